"""Speed of the shipped default model, measured side by side with the classical fills in one run.

    python benchmarks/speed.py                 # CPU at 512² with 1 and 2 torch threads; GPU throughput at 256² if CUDA is present
    python benchmarks/speed.py --quick         # a few seconds: small sizes, one repetition (a smoke test, not a measurement)

A full run also writes benchmarks/results/speed_<cpu|gpu>_<date>.json (machine, date, commit, command, load average and
every number printed), so that numbers quoted elsewhere can be traced to a file; run it on an otherwise idle machine.

Prints ratios measured in the same run (never compare numbers across machines or runs). The CPU table is chapter 17's
(`speed_per_image`): the first five BSDS500 val photos under seeded demo masks, or the bundled demo photo under five
masks where the data is not installed. The GPU table uses the demo photo, so it needs no data and no network. Part of
the model's work is per image on the CPU (the edge and line maps; on the CPU also the harmonic prefill, which on a GPU
is solved there), so the GPU section reports the whole forward pass and the prefill alone.
"""

from __future__ import annotations
import argparse, json, os, sys, time, statistics
from pathlib import Path
import torch
from inpaint_nb.data.preprocessing import load_image, to_tensor, bsds500_paths
from inpaint_nb.core import cpu_processes
from inpaint_nb.eval import center_crop_resize
from inpaint_nb.inpaint import Inpainter, speed_per_image, format_speed
from inpaint_nb.data.mask_generator import demo_mask
from inpaint_nb.data.preprocessing import demo_image_path
from inpaint_nb.classical import classical_prefill


def median_seconds(f, reps: int, sync=lambda: None) -> float:
    "Median wall-clock seconds of `reps` calls of `f()` after one warm-up call."
    f()
    sync()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        sync()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def photos(size: int, n: int):
    "`n` (photo, mask) pairs: the demo photo at size², under n different seeded demo masks."
    img = center_crop_resize(load_image(demo_image_path()), size)
    return [(img, demo_mask(size, size, seed=k)) for k in range(n)]


def cpu_pairs(size: int, n: int = 5):
    "The protocol of chapter 17's speed table: the first `n` BSDS500 val photos at size² under seeded demo masks, or the demo photo under `n` masks where the data is not installed."
    try:
        paths = bsds500_paths('val')[:n]
    except FileNotFoundError:
        return photos(size, n)
    return [(center_crop_resize(load_image(p), size), demo_mask(size, size, seed=k)) for k, p in enumerate(paths)]


def cpu_section(inp: Inpainter, size: int, n: int, threads=(1, 2)):
    "Seconds per size² image on the CPU: the model at each thread count beside Telea, Navier–Stokes and harmonic (chapter 17's `speed_per_image`)."
    print(f"CPU, {size}² per image (median of {n} photos):")
    s = speed_per_image(inp, cpu_pairs(size, n), threads)
    print(format_speed(s))
    return dict(size=size, photos=n, seconds=s)


def throughput_section(inp: Inpainter, device: str, size: int, batches, reps: int):
    "Images per second of the model's forward pass on `device` for each batch size, in fp32 and autocast bf16/fp16."
    dev = torch.device(device)
    model = inp.model.to(dev)
    pairs = photos(size, max(batches))
    x = torch.stack([to_tensor(im) for im, _ in pairs]).to(dev)
    m = torch.stack([torch.from_numpy(mk)[None].float() for _, mk in pairs]).to(dev)
    sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
    name = torch.cuda.get_device_name(dev) if dev.type == 'cuda' else 'CPU'
    print(f"{name}, {size}², images per second (median of {reps}):")
    rows = []
    for b in batches:
        xb, mb = x[:b], m[:b]
        with torch.no_grad():
            pre = model.cfg.builder.prefill
            t_pre = (
                median_seconds(lambda: classical_prefill(xb * (1 - mb), mb, pre), reps, sync) if pre != 'none' else 0.0
            )
            row = [f"  batch {b:3d}: prefill alone {b / t_pre:8.1f}" if t_pre else f"  batch {b:3d}:"]
            rec = dict(batch=b, prefill_images_per_s=b / t_pre if t_pre else None)
            for dname, dtype in (('fp32', None), ('bf16', torch.bfloat16), ('fp16', torch.float16)):

                def fwd():
                    with torch.autocast(dev.type, dtype=dtype, enabled=dtype is not None):
                        model(xb, mb)

                try:
                    rec[f'{dname}_images_per_s'] = b / median_seconds(fwd, reps, sync)
                    row.append(f"{dname} forward {rec[f'{dname}_images_per_s']:8.1f}")
                except RuntimeError as ex:
                    row.append(f"{dname}: not supported here ({str(ex).splitlines()[0][:60]})")
        print(' | '.join(row))
        rows.append(rec)
    model.to(inp.device)
    return dict(device=name, size=size, reps=reps, rows=rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--size', type=int, default=512, help='CPU benchmark side (the speed target is per 512² image)')
    ap.add_argument('--gpu-size', type=int, default=256, help='GPU throughput side (training and evaluation use 256²)')
    ap.add_argument('--batches', default='1,8,32', help='GPU batch sizes')
    ap.add_argument('--reps', type=int, default=5, help='timed repetitions of each GPU batch (after one warm-up)')
    ap.add_argument('--photos', type=int, default=5, help='photos timed on the CPU (median over them)')
    ap.add_argument(
        '--quick', action='store_true', help='smoke test: 128² CPU / 64² GPU, batch 1 and 2, one repetition'
    )
    ap.add_argument('--weights', default=None, help='weights to time (default: the shipped model)')
    ap.add_argument(
        '--cpu-processes',
        type=int,
        default=None,
        help='worker processes for the per-image CPU work (sets INPAINT_NB_CPU_PROCESSES; default: threads)',
    )
    ap.add_argument(
        '--skip-cpu',
        action='store_true',
        help='only the GPU throughput table (on a GPU machine, whose CPU is not the target)',
    )
    a = ap.parse_args(argv)
    if a.quick:
        a.size, a.gpu_size, a.batches, a.reps, a.photos = 128, 64, '1,2', 1, 2
    if a.cpu_processes is not None:
        os.environ['INPAINT_NB_CPU_PROCESSES'] = str(a.cpu_processes)
    from inpaint_nb.device_train import git_commit

    commit = git_commit()  # before the run
    inp = Inpainter(weights=a.weights)
    load = os.getloadavg()[0] if hasattr(os, 'getloadavg') else float('nan')
    n_proc = cpu_processes()
    print(
        f"torch {torch.__version__}; model {inp.model.cfg.name} + {inp.model.cfg.builder.prefill} prefill + {inp.model.cfg.analysis!r} analysis "
        f"({sum(p.numel() for p in inp.model.parameters()):,} parameters); {os.cpu_count()} CPUs, load average {load:.1f}; "
        f"per-image CPU work on {f'{n_proc} processes' if n_proc else 'threads'}"
    )
    out = dict(load_average=load, cpu_processes=n_proc, model=inp.model.cfg.name, weights=a.weights or 'default')
    if not a.skip_cpu:
        out['cpu'] = cpu_section(inp, a.size, a.photos)
    batches = [int(b) for b in a.batches.split(',')]
    if torch.cuda.is_available():
        out['gpu'] = throughput_section(inp, 'cuda', a.gpu_size, batches, a.reps)
    else:
        print(
            "GPU: none here (torch.cuda.is_available() is False) — run this script on a GPU machine for the throughput table"
        )
        if a.quick:
            throughput_section(inp, 'cpu', a.gpu_size, batches, a.reps)  # exercise the throughput code path
    if not a.quick:
        from inpaint_nb.device_train import machine_description, git_commit, results_path

        date = time.strftime('%Y-%m-%d')
        argv_s = ' '.join(sys.argv[1:] if argv is None else argv)
        rec = dict(
            machine=machine_description(),
            date=date,
            commit=commit,
            command=f"python benchmarks/speed.py {argv_s}".strip(),
        )
        p = results_path(Path(__file__).resolve().parent / 'results', f"speed_{'gpu' if 'gpu' in out else 'cpu'}")
        p.write_text(json.dumps({**rec, **out}, indent=1) + '\n')
        print(f"wrote benchmarks/results/{p.name}")


if __name__ == '__main__':
    main()
