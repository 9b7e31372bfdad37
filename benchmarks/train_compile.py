"""Seconds per training step of the generator, eager beside `torch.compile`d (forward pass and loss as one graph, as
`train_on_device(compile=True)` runs it), for each preset on this machine's CPU: the cold compile time, the median
step after it, and how far the two losses are apart on the same batch. Eager and compiled steps alternate, so a busy
machine slows both alike. Writes benchmarks/results/train_compile_cpu_<date>.json.

    python benchmarks/train_compile.py                      # tiny and small with Fourier units, batch 8, 128²
    python benchmarks/train_compile.py --presets tiny --steps 5 --side 64"""

import argparse, copy, json, os, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def bench_preset(preset, a) -> dict:
    "Time eager and compiled training steps of one preset on the same batches; returns its result block."
    import numpy as np, torch
    import torch._dynamo
    import inpaint_nb.device_train as dt
    from inpaint_nb.device_train import DeviceTrainConfig, InpaintingModel, model_config, InpaintingLoss
    from inpaint_nb.classical import classical_prefill

    torch.manual_seed(0)
    over = {'builder': {'prefill': 'harmonic', 'use_ffc': preset != 'tiny'}}
    eager = InpaintingModel(model_config(preset, **over)).train()
    comp = copy.deepcopy(eager)
    crit = InpaintingLoss(DeviceTrainConfig().loss)
    S, B = a.side, a.batch
    gen = torch.Generator().manual_seed(1)
    x = torch.nn.functional.interpolate(torch.rand(B, 3, S // 8, S // 8, generator=gen), (S, S), mode='bilinear')
    m = torch.zeros(B, 1, S, S)
    m[..., S // 4 : S // 2 + S // 8, S // 4 : S // 2 + S // 8] = 1
    ex = torch.rand(B, 3, S, S, generator=gen)
    pre = classical_prefill(x * (1 - m), m, 'harmonic')
    loss_e = lambda: dt.step_loss(eager, crit, x, m, False, ex, pre)
    loss_c = torch.compile(lambda: dt.step_loss(comp, crit, x, m, False, ex, pre))
    opts = {k: torch.optim.Adam(mdl.parameters(), lr=1e-4) for k, mdl in (('eager', eager), ('compiled', comp))}

    def step(k, f):
        t = time.perf_counter()
        loss = f()
        opts[k].zero_grad(set_to_none=True)
        loss.backward()
        opts[k].step()
        return time.perf_counter() - t, loss.item()

    first_e, l_e = step('eager', loss_e)
    first_c, l_c = step('compiled', loss_c)  # compiles forward and backward
    times = {'eager': [], 'compiled': []}
    for _ in range(a.steps):
        times['eager'].append(step('eager', loss_e)[0])
        times['compiled'].append(step('compiled', loss_c)[0])
    torch._dynamo.reset()
    med = {k: float(np.median(v)) for k, v in times.items()}
    return dict(
        preset=preset,
        parameters=sum(p.numel() for p in eager.parameters()),
        compile_first_step_s=round(first_c, 1),
        eager_first_step_s=round(first_e, 3),
        first_loss_eager=l_e,
        first_loss_compiled=l_c,
        s_per_step={k: round(v, 4) for k, v in med.items()},
        speedup=round(med['eager'] / med['compiled'], 3),
    )


def main(argv=None):
    ap = argparse.ArgumentParser(prog='train_compile', description=__doc__.split('\n\n')[0])
    ap.add_argument(
        '--presets', nargs='+', default=['tiny', 'small'], help="model presets ('small' gets Fourier units)"
    )
    ap.add_argument('--batch', type=int, default=8, help="crops per step")
    ap.add_argument('--side', type=int, default=128, help="crop side")
    ap.add_argument('--steps', type=int, default=10, help="timed steps of each, after the first")
    ap.add_argument('--threads', type=int, default=2, help="torch threads")
    ap.add_argument(
        '--out', default=None, help="results file (default: benchmarks/results/train_compile_cpu_DATE.json)"
    )
    a = ap.parse_args(argv)
    import torch, warnings, logging

    warnings.filterwarnings('ignore')
    logging.getLogger('torch.utils.cpp_extension').setLevel(logging.ERROR)
    torch.set_num_threads(a.threads)
    from inpaint_nb.device_train import machine_description, git_commit, results_path
    from inpaint_nb.accelerate import cold_compile_cache

    date = time.strftime('%Y-%m-%d')
    out = Path(a.out) if a.out else results_path(ROOT / 'benchmarks' / 'results', 'train_compile_cpu')
    with cold_compile_cache():  # a cold compile: nothing from an earlier run
        blocks = []
        for p in a.presets:
            blocks.append(bench_preset(p, a))
            b = blocks[-1]
            print(
                f"{p}: eager {b['s_per_step']['eager']:.3f} s/step, compiled {b['s_per_step']['compiled']:.3f} "
                f"({b['speedup']:.2f}×), compile {b['compile_first_step_s']:.0f} s",
                flush=True,
            )
    res = dict(
        machine=machine_description(),
        date=date,
        commit=git_commit(),
        command='python benchmarks/train_compile.py ' + ' '.join(argv if argv is not None else sys.argv[1:]),
        args=vars(a),
        load_average=dict(zip(('1min', '5min', '15min'), os.getloadavg())),
        presets=blocks,
    )
    out.write_text(json.dumps(res, indent=1))
    print('wrote', os.path.relpath(out, ROOT))


if __name__ == '__main__':
    main()
