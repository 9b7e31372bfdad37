"""Does a training recipe learn on a CPU? Train one generator on the device-resident pipeline (chapter 13b) in segments,
and after each segment score it against the harmonic fill on the fixed *valid* half of BSDS500 val (chapter 14b's
masks at 256², gain per mask kind with a bootstrap 95 % CI). A recipe that learns shows a gain that grows with the
crops seen. `--test` scores the last point once more on the *test* half — the half results are reported on, which
no choice looks at. Resumable: a finished segment is kept in the results file and its weights in the run folder, so an
interrupted run goes on from the last finished point. Writes benchmarks/results/learning_curve_<name>_<date>.json.
`--branch FILE:STEPS` starts a run from another run's point: that run's weights at STEPS and its points up to STEPS
(marked `from`) are the new run's history, and the segments after it draw the same seeds, so the two runs differ only
in what the new one changes.

    python benchmarks/learning_curve.py --name tiny_ffc_cpu --points 250 750 2000"""

import argparse, json, os, shutil, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv=None):
    ap = argparse.ArgumentParser(prog='learning_curve', description=__doc__.split('\n\n')[0])
    ap.add_argument('--name', default='tiny_ffc_cpu', help="name of the run (results file and run folder)")
    ap.add_argument('--model', default='tiny', help="model preset")
    ap.add_argument('--ffc', type=int, default=1, help="1: Fourier units in the builder's bottleneck")
    ap.add_argument('--crop', type=int, default=128, help="training crop side (the network is scored at 256²)")
    ap.add_argument('--batch_size', type=int, default=8, help="crops per step")
    ap.add_argument('--lr', type=float, default=2e-3, help="peak learning rate")
    ap.add_argument(
        '--schedule',
        default='constant',
        choices=['constant', 'restarts'],
        help="constant: warm up over 50 steps, then constant; restarts: each segment warms up over 5 %% of its steps "
        "and decays by a cosine to 2 %% of the peak, so every scored point is at the bottom of a cycle (SGDR)",
    )
    ap.add_argument(
        '--lama_share', type=float, default=0.5, help="share of the holes from the LaMa presets (the rest: the mixture)"
    )
    ap.add_argument(
        '--lama_kinds',
        nargs='+',
        default=['thin', 'medium', 'thick', 'box'],
        help="the LaMa presets that share draws from (scoring always uses all four)",
    )
    ap.add_argument(
        '--loss',
        nargs='*',
        default=[],
        metavar='KEY=VALUE',
        help="loss weights to change from the device recipe's (LossConfig fields), e.g. l1=0 l2=10",
    )
    ap.add_argument('--points', type=int, nargs='+', default=[250, 750, 2000], help="steps at which to score")
    ap.add_argument(
        '--seed',
        type=int,
        default=0,
        help="another seed, another run of the same recipe (initial weights, crops, holes): how far reruns scatter",
    )
    ap.add_argument(
        '--threads', type=int, default=1, help="torch threads (not part of the recipe: a run resumes with any)"
    )
    ap.add_argument(
        '--branch',
        default=None,
        metavar='FILE:STEPS',
        help="go on from another run's results file and its point at STEPS (its weights must be in its run folder)",
    )
    ap.add_argument(
        '--test',
        action='store_true',
        help="also score the last point on the test half (once; kept in the file as that point's test_rows)",
    )
    ap.add_argument(
        '--out', default=None, help="results file (default: benchmarks/results/learning_curve_NAME_DATE.json)"
    )
    a = ap.parse_args(argv)
    import torch
    from inpaint_nb.core import ConfigError
    from inpaint_nb.device_train import DeviceTrainConfig
    from inpaint_nb.train_config import apply_overrides

    try:  # the library's key=value rules (chapter 12c): an unknown key or a bad value stops here, not minutes in
        weights = apply_overrides(DeviceTrainConfig(), [f"loss.{kv}" for kv in a.loss]).loss
    except (ConfigError, ValueError) as e:
        ap.error(f"--loss: {e}")
    loss = {k: getattr(weights, k) for k in (kv.partition('=')[0].strip() for kv in a.loss)}
    # one spelling per recipe, so a rerun resumes
    a.loss = sorted(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in loss.items())

    torch.set_num_threads(a.threads)
    from inpaint_nb.device_train import (
        train_on_device,
        heldout_batch,
        bsds500_heldout,
        heldout_records,
        gain_table,
        machine_description,
        git_commit,
        RUN_DRIVERS,
    )
    from inpaint_nb.eval import classical_fill_fn, model_fill_fn

    date = time.strftime('%Y-%m-%d')
    out = Path(a.out) if a.out else ROOT / 'benchmarks' / 'results' / f"learning_curve_{a.name}_{date}.json"
    run = ROOT / 'runs' / 'learning_curve' / a.name
    run.mkdir(parents=True, exist_ok=True)
    res = json.loads(out.read_text()) if out.exists() else None
    defaults = vars(ap.parse_args([]))  # a file written before an option existed ran with its default
    same = lambda d: {k: v for k, v in {**defaults, **d}.items() if k not in RUN_DRIVERS}  # the recipe alone
    if res is None or same(res['args']) != same(vars(a)):  # another recipe: start afresh
        res = dict(
            machine=machine_description(),
            date=date,
            commit=git_commit(),
            args=vars(a),
            points=[],
        )
    if a.branch and not res['points']:  # a new branch: the parent's history up to the branch point, and its weights
        fname, _, at = a.branch.rpartition(':')
        if not (fname and at.isdigit()):
            ap.error(f"--branch wants FILE:STEPS, got {a.branch!r}")
        parent = json.loads(Path(fname).read_text())
        at, pname = int(at), parent['args']['name']
        src = ROOT / 'runs' / 'learning_curve' / pname / f"step{at}" / 'final.safetensors'
        if at not in {p['steps'] for p in parent['points']} or not src.exists():
            ap.error(f"--branch: {pname} has no scored point with weights at step {at} ({os.path.relpath(src, ROOT)})")
        if at not in a.points:
            ap.error(f"--branch: --points must include the branch point {at}")
        res['points'] = [dict(p, **{'from': pname}) for p in parent['points'] if p['steps'] <= at]
        for p in res['points']:
            p.pop('test_rows', None)  # the parent's looks at the test half belong to the parent
        dst = ROOT / 'runs' / 'learning_curve' / a.name / f"step{at}" / 'final.safetensors'
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not dst.exists():
            shutil.copy(src, dst)
    # a resumed run that adds points records the command that asked for all of them
    res['command'] = 'python benchmarks/learning_curve.py ' + ' '.join(argv if argv is not None else sys.argv[1:])
    overrides = {'builder': {'prefill': 'harmonic', 'use_ffc': bool(a.ffc)}}
    valid = heldout_batch(bsds500_heldout()['valid'][:8], size=a.crop)  # the trainer's own quick check
    harmonic = classical_fill_fn('harmonic')
    done = {p['steps'] for p in res['points']}
    gains = lambda rows: ', '.join(f"{r['kind']} {r['gain']:+.3f} [{r['ci_lo']:+.3f}, {r['ci_hi']:+.3f}]" for r in rows)
    # go on from the last scored point whose weights are here (earlier segments' weights are not needed)
    resume = max((s for s in done if (run / f"step{s}" / 'final.safetensors').exists()), default=0)
    prev_steps, init = 0, ''
    for steps in a.points:
        seg = run / f"step{steps}"
        if steps <= resume:
            prev_steps, init = steps, str(run / f"step{resume}" / 'final.safetensors')
            continue
        trained = seg / 'valid.json'  # trained but not scored (an interrupted run): score it
        if a.schedule == 'constant':  # warm up over the first 50 steps of the whole run; later segments start warm
            warmup, floor = (min(0.5, 50 / (steps - prev_steps)) if prev_steps == 0 else 0.0), 1.0
        else:  # restarts: a warm-up and a cosine to 2 % in every segment
            warmup, floor = 0.05, 0.02
        cfg = DeviceTrainConfig(
            model=a.model,
            model_overrides=overrides,
            crop=a.crop,
            batch_size=a.batch_size,
            lr=a.lr,
            warmup=warmup,
            min_lr_ratio=floor,
            minutes=0,
            max_steps=steps - prev_steps,
            valid_every=0,
            mask_bank=2000,
            lama_share=a.lama_share,
            lama_kinds=a.lama_kinds,
            reuse=4,
            exemplar='split',
            loss=loss,
            init_weights=init,
            seed=a.seed * 10**6 + prev_steps,  # a new stream of crops and masks for each segment
            out_dir=str(seg),
        )
        if trained.exists() and (seg / 'final.safetensors').exists():
            s = json.loads(trained.read_text())
            train_s = s['train_seconds']
        else:
            t = time.perf_counter()
            s = train_on_device(cfg, device='cpu', valid=valid, log=lambda *x: print(*x, flush=True))
            train_s = time.perf_counter() - t
        recs = heldout_records({'harmonic': harmonic, 'model': model_fill_fn(seg / 'final.safetensors')}, half='valid')
        rows = gain_table(recs, baseline='harmonic')
        point = dict(
            steps=steps,
            crops_seen=steps * a.batch_size,
            segment_seconds=round(train_s, 1),
            images_per_s=s['images_per_s'],
            rows=rows,
        )
        res['points'] = [p for p in res['points'] if p['steps'] != steps] + [point]
        res['points'].sort(key=lambda p: p['steps'])
        out.write_text(json.dumps(res, indent=1))
        print(
            f"{steps} steps ({point['crops_seen']} crops): " + gains(rows),
            flush=True,
        )
        prev_steps, init = steps, str(seg / 'final.safetensors')
    last = next((p for p in res['points'] if p['steps'] == a.points[-1]), None)
    if a.test and last is not None and 'test_rows' not in last:  # the report half, once
        final = run / f"step{last['steps']}" / 'final.safetensors'
        if not final.exists():
            sys.exit(f"--test: the weights of step {last['steps']} are not at {os.path.relpath(final, ROOT)}")
        recs = heldout_records({'harmonic': harmonic, 'model': model_fill_fn(final)}, half='test')
        last['test_rows'] = gain_table(recs, baseline='harmonic')
        out.write_text(json.dumps(res, indent=1))
        print(f"test half, {last['steps']} steps: " + gains(last['test_rows']), flush=True)
    print('wrote', os.path.relpath(out, ROOT))


if __name__ == '__main__':
    main()
