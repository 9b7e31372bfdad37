"""Peak memory and step time of the real generator training step (chapter 13b's step: the full model, the full loss
with VGG perceptual and style terms, Adam) in fp32, bf16 autocast and fp16 autocast with loss scaling, each with and
without gradient checkpointing of the builder's deep blocks and the texture artist (chapter 16's
`checkpoint_modules`). Each configuration runs in a fresh process, so its peak resident memory (`ru_maxrss`) is its
own; the table reports that peak and the part of it the training steps added above the process after setup (model,
loss networks, data). Writes benchmarks/results/train_memory_<cpu|gpu>_b<batch>_<date>.json.

    python benchmarks/train_memory.py                      # small, batch 16, 256² (the design's setting)
    python benchmarks/train_memory.py --batch 4 --steps 2  # what a 2-core CPU can do in minutes"""

import argparse, json, resource, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PRECISIONS = ('fp32', 'bf16', 'fp16')
CHECKPOINTED = ['builder.enc3', 'builder.bottleneck', 'builder.dec2', 'texture']


def rss_mib() -> float:
    "Peak resident memory of this process so far (Linux reports KiB)."
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(a) -> dict:
    "Run one configuration in this process and return its row."
    import torch
    from inpaint_nb.models.full_model import InpaintingModel, model_config
    from inpaint_nb.utils.losses import InpaintingLoss, LossConfig
    from inpaint_nb.utils.optimization import checkpoint_modules
    from inpaint_nb.data.preprocessing import bsds500_paths
    from inpaint_nb.device_train import PhotoCache, random_crops, make_mask_bank, DeviceMasks

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    g = torch.Generator().manual_seed(0)
    x = random_crops(PhotoCache(bsds500_paths('train')[: a.batch]), a.batch, a.size, g).to(dev)
    m = DeviceMasks(make_mask_bank(64, a.size, processes=1), a.size).sample(a.batch, g).to(dev)
    model = InpaintingModel(model_config(a.model)).to(dev)
    if a.checkpoint:
        checkpoint_modules(model, CHECKPOINTED)
    crit = InpaintingLoss(LossConfig(vgg_pretrained=False)).to(dev)  # random VGG: same memory, no download
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    dtype = {'fp32': None, 'bf16': torch.bfloat16, 'fp16': torch.float16}[a.precision]
    scaler = torch.amp.GradScaler(dev.type, enabled=a.precision == 'fp16')
    sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
    if dev.type == 'cuda':
        torch.cuda.reset_peak_memory_stats()
    base = rss_mib()
    times = []
    for _ in range(a.steps):
        t = time.perf_counter()
        with torch.autocast(dev.type, dtype=dtype or torch.float32, enabled=dtype is not None):
            o = model(x, m)
            loss = crit({k: (v.float() if torch.is_tensor(v) else v) for k, v in o.items()}, x, m)
        opt.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        sync()
        times.append(time.perf_counter() - t)
    row = dict(
        precision=a.precision,
        checkpoint=bool(a.checkpoint),
        loss=float(loss.detach()),
        peak_mib=round(rss_mib(), 1),
        setup_mib=round(base, 1),
        step_mib=round(rss_mib() - base, 1),
        first_step_s=round(times[0], 2),
        step_s=round(min(times[1:] or times), 2),
    )
    if dev.type == 'cuda':
        row['gpu_peak_mib'] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    return row


def main(argv=None):
    ap = argparse.ArgumentParser(prog='train_memory', description=__doc__.split('\n\n')[0])
    ap.add_argument('--model', default='small', help="model preset")
    ap.add_argument('--batch', type=int, default=16, help="images per step")
    ap.add_argument('--size', type=int, default=256, help="crop side")
    ap.add_argument('--steps', type=int, default=3, help="training steps per configuration (the first is a warm-up)")
    ap.add_argument('--threads', type=int, default=2, help="torch threads")
    ap.add_argument('--precisions', nargs='+', default=list(PRECISIONS), choices=PRECISIONS, help="which precisions")
    ap.add_argument('--timeout', type=float, default=1800, help="seconds one configuration may take")
    ap.add_argument('--precision', choices=PRECISIONS, help=argparse.SUPPRESS)  # child mode
    ap.add_argument('--checkpoint', type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument('--child', action='store_true', help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        print(json.dumps(one(a)))
        return
    import torch
    from inpaint_nb.device_train import machine_description, git_commit, results_path

    kind = 'gpu' if torch.cuda.is_available() else 'cpu'
    date = time.strftime('%Y-%m-%d')
    out = results_path(ROOT / 'benchmarks' / 'results', f"train_memory_{kind}_b{a.batch}")
    common = ['--model', a.model, '--batch', str(a.batch), '--size', str(a.size), '--steps', str(a.steps)]
    common += ['--threads', str(a.threads)]
    rows = []
    for p in a.precisions:
        for ck in (0, 1):
            cmd = [sys.executable, __file__, '--child', '--precision', p, '--checkpoint', str(ck), *common]
            try:
                r = subprocess.run(cmd, capture_output=True, text=True, timeout=a.timeout)
                row = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else None
                if row is None:
                    row = dict(precision=p, checkpoint=bool(ck), error=r.stderr.strip().splitlines()[-1][:300])
            except subprocess.TimeoutExpired:
                row = dict(precision=p, checkpoint=bool(ck), error=f"took longer than {a.timeout:.0f} s")
            rows.append(row)
            print(json.dumps(row), flush=True)
    ref = next((r for r in rows if r['precision'] == 'fp32' and not r['checkpoint'] and 'error' not in r), None)
    if ref:
        for r in rows:
            if 'error' not in r:
                r['peak_vs_fp32'] = round(r['peak_mib'] / ref['peak_mib'], 3)
                r['step_mem_vs_fp32'] = round(r['step_mib'] / ref['step_mib'], 3)
                r['time_vs_fp32'] = round(r['step_s'] / ref['step_s'], 3)
    res = dict(
        machine=machine_description(),
        date=date,
        commit=git_commit(),
        command='python benchmarks/train_memory.py ' + ' '.join(argv if argv is not None else sys.argv[1:]),
        method=(
            "each configuration in a fresh process; peak_mib = the process's peak resident memory (ru_maxrss) after "
            "the steps; step_mib = that peak minus the peak after setup (model, VGG, data), i.e. what training adds: "
            "activations kept for the backward pass, gradients, Adam state; step_s = fastest step after the warm-up"
        ),
        checkpointed=CHECKPOINTED,
        args=dict(model=a.model, batch=a.batch, size=a.size, steps=a.steps, threads=a.threads),
        rows=rows,
    )
    out.write_text(json.dumps(res, indent=1) + '\n')
    for r in rows:
        if 'error' in r:
            print(f"{r['precision']:5s} ckpt={r['checkpoint']!s:5s}  failed: {r['error']}")
        else:
            print(
                f"{r['precision']:5s} ckpt={r['checkpoint']!s:5s}  peak {r['peak_mib']:7.0f} MiB ({r.get('peak_vs_fp32', 0):.2f}×)"
                f"  training adds {r['step_mib']:6.0f} MiB ({r.get('step_mem_vs_fp32', 0):.2f}×)"
                f"  step {r['step_s']:6.2f} s ({r.get('time_vs_fp32', 0):.2f}×)"
            )
    print('wrote', out.relative_to(ROOT))


if __name__ == '__main__':
    main()
