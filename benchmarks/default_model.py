"""The shipped default model's benchmark: chapter 14b's protocol (the 100 BSDS500 val photos at 256², seeded thin /
medium / thick / box masks), every classical fill beside the model, PSNR and SSIM on the whole image and on the hole
(mean ± std over photos), and paired tests of the model against the better OpenCV method and against its own
harmonic start. Writes benchmarks/results/default_model_<date>.json (or _<date>_<HHMM>.json when that exists, like every benchmark here), which
README.md, the model card and chapter 17 render their tables from (the newest).

    python benchmarks/default_model.py                       # the shipped default, several minutes on 2 CPU cores
    python benchmarks/default_model.py --weights my.safetensors --n_images 20
    python benchmarks/default_model.py --half test      # only the fixed test half of val (chapter 13b), which no choice saw"""

import argparse, json, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

METRICS = ('psnr_full', 'ssim_full', 'psnr_hole', 'ssim_hole')


def main(argv=None):
    ap = argparse.ArgumentParser(prog='default_model', description=__doc__.split('\n\n')[0])
    ap.add_argument('--weights', default=None, help="model weights (default: the shipped default model)")
    ap.add_argument('--n_images', type=int, default=None, help="first N photos of BSDS500 val (default: all 100)")
    ap.add_argument(
        '--half',
        default='all',
        choices=['all', 'valid', 'test'],
        help="all 100 val photos, or one fixed half of them (chapter 13b's split; same masks per photo)",
    )
    ap.add_argument('--out', default=None, help="results file (default: benchmarks/results/default_model_<date>.json)")
    a = ap.parse_args(argv)
    if a.half != 'all' and a.n_images is not None:
        ap.error("--n_images applies to --half all only")
    from inpaint_nb.eval import EvalProtocol, evaluate, compare, classical_fill_fn, model_fill_fn
    from inpaint_nb.utils.metrics import summarise
    from inpaint_nb.classical import CLASSICAL_FILLS
    from inpaint_nb.inpaint import default_weights_path
    from inpaint_nb.device_train import machine_description, git_commit, results_path

    commit = git_commit()  # the code that runs: taken before the (minutes-long) run
    weights = Path(a.weights) if a.weights else default_weights_path()
    proto = EvalProtocol(split='val', size=256, seed=0, n_images=a.n_images)
    methods = {**{m: classical_fill_fn(m) for m in CLASSICAL_FILLS}, 'model': model_fill_fn(weights)}
    t0 = time.perf_counter()
    if a.half == 'all':
        recs = evaluate(methods, proto, progress=False)
    else:  # the same protocol, its records kept for the photos of one half only
        from inpaint_nb.device_train import heldout_records

        recs = heldout_records(methods, half=a.half)
    seconds = time.perf_counter() - t0
    kinds = list(dict.fromkeys(r['kind'] for r in recs))
    table = {
        metric: {
            meth: {k: summarise([r[metric] for r in recs if r['method'] == meth and r['kind'] == k]) for k in kinds}
            for meth in methods
        }
        for metric in METRICS
    }
    paired = []
    for metric in ('psnr_full', 'ssim_full', 'ssim_hole'):
        for k in kinds:
            best = max(('telea', 'ns'), key=lambda c: table[metric][c][k]['mean'])
            for ref in (best, 'harmonic'):
                t = compare([r for r in recs if r['kind'] == k], 'model', ref, metric)[k]
                paired.append(dict(metric=metric, kind=k, a='model', b=ref, **t))
    argv_s = ' '.join(sys.argv[1:] if argv is None else argv)
    out = dict(
        machine=machine_description(),
        date=time.strftime('%Y-%m-%d'),
        commit=commit,
        command=f"python benchmarks/default_model.py {argv_s}".strip(),
        weights=weights.name,
        protocol=dict(
            split=proto.split, size=proto.size, seed=proto.seed, kinds=kinds, n_images=proto.n_images, half=a.half
        ),
        n_photos=len({r['id'] for r in recs}),
        seconds=round(seconds, 1),
        table=table,
        paired=paired,
    )
    p = Path(a.out) if a.out else results_path(ROOT / 'benchmarks' / 'results', 'default_model')
    p.write_text(json.dumps(out, indent=1, default=float) + '\n')
    print(f"{len(recs)} records in {seconds:.0f} s; wrote {p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}")


if __name__ == '__main__':
    main()
