"""Seconds per fill and quality of the shipped generators in float32 (eager), bfloat16 autocast (each with the weights
as trained, NCHW, and stored channels-last, as `Inpainter` runs them), compiled (`torch.compile` of the network
pass), float32 in ONNX Runtime, INT8 in ONNX Runtime (static QDQ quantisation, calibrated on BSDS500 train photos)
and INT8 through PyTorch's compiler (torchao's PT2E flow, the same photos), at one image size on the CPU (chapter
16b); each INT8 way also with every layer in INT8 (`*_all`), beside the build that keeps the sensitive layers in
float where needed. Quality: hole PSNR against the ground truth on the held-out BSDS500 test half (chapter 13b's hash
split), and its loss against float32. All precisions of a model are timed side by side in one process, photo by photo
in turn, so a busy machine slows them alike. Writes benchmarks/results/accelerate_cpu_<date>.json.

    python benchmarks/accelerate.py                       # default and small_ffc, 512², 2 threads
    python benchmarks/accelerate.py --models default --photos 4 --size 256"""

import argparse, copy, json, os, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MODES = ('fp32', 'fp32_cl', 'bf16', 'bf16_cl', 'compiled', 'onnx_fp32')
MODES += ('int8', 'int8_all', 'int8_pt2e', 'int8_pt2e_all')  # *_all: every layer in INT8


def bench_model(name, a, tmp) -> dict:
    "Time and score every mode of one shipped model; returns its result block."
    import numpy as np, torch
    from inpaint_nb.accelerate import (
        core_inputs,
        accelerated,
        channels_last,
        compiled,
        graph_pieces,
        export_onnx,
        int8_onnx,
        int8_plan,
        fit_photo,
        OnnxPass,
        ort_session,
        run_session,
    )
    from inpaint_nb.checkpoint import load_generator_weights, model_from_weights, default_weights_path
    from inpaint_nb.data.preprocessing import load_image, to_tensor
    from inpaint_nb.device_train import bsds500_heldout
    from inpaint_nb.data.mask_generator import demo_mask
    from inpaint_nb.utils.metrics import psnr

    w = default_weights_path().parent / f'{name}.safetensors'
    g, meta = load_generator_weights(w)
    model = model_from_weights(g, meta, w, None).eval().requires_grad_(False)
    S = a.size
    photos = [load_image(p) for p in bsds500_heldout()['test'][: a.photos]]
    xs = [to_tensor(fit_photo(p, S, S))[None] for p in photos]
    ms = [torch.from_numpy(demo_mask(S, S, seed=i))[None, None].float() for i in range(len(photos))]
    setup = {}
    cl = channels_last(copy.deepcopy(model))  # what `Inpainter` runs
    runners = {'fp32': model, 'fp32_cl': cl, 'bf16': accelerated(model, 'bf16'), 'bf16_cl': accelerated(cl, 'bf16')}
    t0 = time.perf_counter()
    p8, _ = int8_onnx(model, (S, S), Path(tmp) / 'cache')
    setup['int8_build_s'] = round(time.perf_counter() - t0, 1)
    setup['int8_plan'] = int8_plan(model, (S, S), Path(tmp) / 'cache')  # the losses it measured, what it kept in float
    runners['int8'] = accelerated(model, 'int8', threads=a.threads, cache=Path(tmp) / 'cache')
    runners['int8_all'] = accelerated(model, 'int8', threads=a.threads, cache=Path(tmp) / 'cache', keep_float=())
    f32 = export_onnx(model, Path(tmp) / f'{name}_fp32.onnx', (S, S))
    onnx32 = copy.copy(model)
    onnx32.one_pass = OnnxPass(model, a.threads)
    sess32 = ort_session(f32, a.threads)
    onnx32.one_pass.programs[(S, S)] = lambda *args: run_session(sess32, args)  # the float graph in the same runtime
    runners['onnx_fp32'] = onnx32
    with torch.no_grad():
        graphs, breaks = graph_pieces(model)
    setup['compiled_graphs'], setup['graph_breaks'] = graphs, breaks
    cm = compiled(model)
    with torch.inference_mode():
        t0 = time.perf_counter()
        cm(xs[0], ms[0])
        setup['compile_first_call_s'] = round(time.perf_counter() - t0, 1)
    runners['compiled'] = cm
    runners['int8_pt2e'] = accelerated(model, 'int8', engine='pt2e')
    runners['int8_pt2e_all'] = accelerated(model, 'int8', engine='pt2e', keep_float=())
    times = {k: [] for k in (*MODES, 'outside')}
    outs = {k: [] for k in MODES}
    with torch.inference_mode():
        for k in MODES:  # warm-up, not counted
            t0 = time.perf_counter()
            runners[k](xs[0], ms[0])
            if k.startswith('int8_pt2e'):  # its first call calibrates, converts and compiles
                setup[f'{k}_build_s'] = round(time.perf_counter() - t0, 1)
        setup['int8_pt2e_kept'] = list(runners['int8_pt2e'].one_pass.programs[(S, S)].kept)
        for r in range(a.repeats):
            for x, m in zip(xs, ms):
                t = time.perf_counter()
                core_inputs(model, x, m)  # what every mode computes outside the network: analysis maps, start
                times['outside'].append(time.perf_counter() - t)
                for k in MODES:
                    t = time.perf_counter()
                    o = runners[k](x, m)['output']
                    times[k].append(time.perf_counter() - t)
                    if r == 0:
                        outs[k].append(o.float())
    gt, mk = torch.cat(xs), torch.cat(ms)
    rows = []
    ref = None
    for k in MODES:
        o = torch.cat(outs[k])
        p = psnr(o, gt, mk)
        row = dict(
            mode=k,
            s_per_fill=round(float(np.median(times[k])), 4),
            psnr_db=round(p.mean().item(), 3),
            mean_abs_diff_vs_fp32=None if k == 'fp32' else round((o - torch.cat(outs['fp32'])).abs().mean().item(), 6),
        )
        if k == 'fp32':
            ref = row
        row['speedup_vs_fp32'] = round(ref['s_per_fill'] / row['s_per_fill'], 3)
        row['psnr_loss_db'] = round(ref['psnr_db'] - row['psnr_db'], 3)
        rows.append(row)
    size = {
        'fp32_safetensors_mib': round(w.stat().st_size / 2**20, 2),
        'fp32_onnx_mib': round(f32.stat().st_size / 2**20, 2),
        'int8_onnx_mib': round(p8.stat().st_size / 2**20, 2),
    }
    return dict(
        model=name,
        parameters=model.parameter_counts()['total'],
        outside_network_s=round(float(np.median(times['outside'])), 4),
        setup=setup,
        file_size=size,
        rows=rows,
    )


def main(argv=None):
    ap = argparse.ArgumentParser(prog='accelerate', description=__doc__.split('\n\n')[0])
    ap.add_argument('--models', nargs='+', default=['default', 'small_ffc'], help="shipped weights to time")
    ap.add_argument('--size', type=int, default=512, help="image side (square crops of the photos, resized)")
    ap.add_argument('--photos', type=int, default=6, help="held-out test photos")
    ap.add_argument('--repeats', type=int, default=1, help="timed passes over the photos")
    ap.add_argument('--threads', type=int, default=2, help="torch and ONNX Runtime threads")
    ap.add_argument('--note', default='', help="what the machine was doing meanwhile")
    a = ap.parse_args(argv)
    import torch
    from inpaint_nb.device_train import machine_description, git_commit, results_path
    from inpaint_nb.accelerate import cold_compile_cache

    torch.set_num_threads(a.threads)
    date = time.strftime('%Y-%m-%d')
    out = results_path(ROOT / 'benchmarks' / 'results', 'accelerate_cpu')
    blocks = []
    load_start = os.getloadavg()[0]  # processes wanting a core (1-minute average): how busy the machine was
    # an empty compiler cache, so that compile_first_call_s is a cold compile (Inductor caches compiled code on disk)
    with tempfile.TemporaryDirectory() as tmp, cold_compile_cache():
        for name in a.models:
            blocks.append(bench_model(name, a, tmp))
            for r in blocks[-1]['rows']:
                print(name, json.dumps(r), flush=True)
    res = dict(
        machine=machine_description(),
        date=date,
        commit=git_commit(),
        command='python benchmarks/accelerate.py ' + ' '.join(argv if argv is not None else sys.argv[1:]),
        note=a.note,
        load_average=dict(start=round(load_start, 2), end=round(os.getloadavg()[0], 2)),
        method=(
            "one fill = Inpainter-style call model(x, m) on a 1×3×S×S photo with a seeded mask (strokes and a box), "
            "including the analysis maps and the harmonic start; *_cl = the same model with its weights stored channels-last "
            "(accelerate.channels_last, as Inpainter runs it); s_per_fill = median over photos × repeats after one "
            "warm-up fill per mode; modes alternate photo by photo; psnr_db = mean hole PSNR against the ground truth; "
            "int8 and int8_pt2e calibrated on 8 BSDS500 train photos, scored on the BSDS500 val test half; "
            "int8/int8_pt2e keep INT8_KEEP_FLOAT in float where rounding everything loses more than INT8_BUDGET_DB on the "
            "calibration photos (setup: int8_plan, int8_pt2e_kept); *_all = every layer in INT8; "
            "outside_network_s = "
            "median time of the part every mode runs in eager PyTorch/OpenCV (analysis maps, harmonic start, padding)"
        ),
        args=dict(size=a.size, photos=a.photos, repeats=a.repeats, threads=a.threads),
        models=blocks,
        compile_cache='cold',  # compile_first_call_s started from an empty Inductor cache
    )
    out.write_text(json.dumps(res, indent=1) + '\n')
    print('wrote', out.relative_to(ROOT))


if __name__ == '__main__':
    main()
