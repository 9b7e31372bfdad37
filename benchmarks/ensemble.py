"""Self-ensemble of a shipped generator: `Inpainter(ensemble=K)` averages the network's fill over K flips and
rotations of the photo (chapter 17). Scored on a fixed half of BSDS500 val with chapter 14b's masks at 256², beside
the harmonic start, photo by photo: gain over harmonic with bootstrap 95 % CI for each K, and the gain of K views over
one; then the seconds of one 512² fill for each K (median of a few photos, the K values in turn, on --threads torch
threads). Writes benchmarks/results/ensemble_<weights>_<date>.json (chapter 17 renders the newest).

    python benchmarks/ensemble.py --half valid            # choose K: 1, 2, 4, 8 (about 15 minutes on one core)
    python benchmarks/ensemble.py --half test --ks 1 8 --time_ks 1 2 4 8   # report on the half no choice saw"""

import argparse, json, os, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv=None):
    ap = argparse.ArgumentParser(prog='ensemble', description=__doc__.split('\n\n')[0])
    ap.add_argument('--weights', default=None, help="a .safetensors file (default: the shipped default model)")
    ap.add_argument('--half', default='valid', choices=['valid', 'test'], help="which half of BSDS500 val")
    ap.add_argument('--ks', type=int, nargs='+', default=[1, 2, 4, 8], help="views averaged (1 = one pass)")
    ap.add_argument('--threads', type=int, default=1, help="torch threads while scoring")
    ap.add_argument('--time_threads', type=int, default=2, help="torch threads for the 512² timing (0: skip it)")
    ap.add_argument('--time_photos', type=int, default=3, help="photos timed at 512² per K")
    ap.add_argument('--time_ks', type=int, nargs='+', default=None, help="K values timed (default: --ks)")
    a = ap.parse_args(argv)
    if 1 not in a.ks:
        ap.error("--ks must include 1 (the one-pass fill the others are compared with)")
    import torch
    from inpaint_nb.inpaint import Inpainter, default_weights_path, speed_per_image, ENSEMBLES
    from inpaint_nb.checkpoint import load_generator_weights
    from inpaint_nb.eval import classical_fill_fn, model_fill_fn
    from inpaint_nb.device_train import heldout_records, gain_table, machine_description, git_commit, results_path
    from inpaint_nb.data.preprocessing import bsds500_paths, load_image, center_crop_resize
    from inpaint_nb.data.mask_generator import demo_mask

    time_ks = a.time_ks or a.ks
    bad = [k for k in (*a.ks, *time_ks) if k not in ENSEMBLES]
    if bad:
        ap.error(f"--ks: {bad} not among {ENSEMBLES}")
    commit = git_commit()
    torch.set_num_threads(a.threads)
    w = Path(a.weights) if a.weights else default_weights_path()
    crops = load_generator_weights(w)[1].get('crops')  # how far the weights were trained, as their file records
    methods = {'harmonic': classical_fill_fn('harmonic')}
    methods.update({f"ensemble {k}": model_fill_fn(w, ensemble=k) for k in a.ks})
    t = time.perf_counter()
    recs = heldout_records(methods, half=a.half)
    score_s = time.perf_counter() - t
    over_harmonic = gain_table(recs, baseline='harmonic')
    over_one = gain_table([r for r in recs if r['method'] != 'harmonic'], baseline='ensemble 1')
    for base, rows in (('harmonic', over_harmonic), ('ensemble 1', over_one)):
        for r in rows:
            print(
                f"{r['method']:11s} − {base:10s} {r['kind']:6s} {r['gain']:+.3f} [{r['ci_lo']:+.3f}, {r['ci_hi']:+.3f}]"
            )
    timing = []
    if a.time_threads:
        photos = [center_crop_resize(load_image(p), 512) for p in bsds500_paths('val')[: a.time_photos]]
        masks = [demo_mask(512, 512, seed=i) for i in range(len(photos))]
        for k in time_ks:  # chapter 17's timer: a warm-up fill, then the median over the photos
            inp = Inpainter(w, threads=a.time_threads, ensemble=k)
            s = speed_per_image(inp, list(zip(photos, masks)), threads=(a.time_threads,), baselines=())
            timing.append(dict(ensemble=k, seconds_512=round(s[f'model@{a.time_threads}'], 3)))
            print(f"ensemble {k}: {timing[-1]['seconds_512']:.3f} s per 512² fill on {a.time_threads} threads")
    res = dict(
        machine=machine_description(),
        date=time.strftime('%Y-%m-%d'),
        commit=commit,
        command=' '.join(['python benchmarks/ensemble.py', *(sys.argv[1:] if argv is None else argv)]),
        weights=os.path.relpath(w, ROOT),
        weights_crops=int(crops) if crops else None,
        half=a.half,
        load_average=os.getloadavg()[0],
        score_seconds=round(score_s, 1),
        over_harmonic=over_harmonic,
        over_one=over_one,
        timing=dict(threads=a.time_threads, size=512, rows=timing),
    )
    out = results_path(ROOT / 'benchmarks' / 'results', f"ensemble_{w.stem}")
    out.write_text(json.dumps(res, indent=1) + '\n')
    print('wrote', out.relative_to(ROOT))


if __name__ == '__main__':
    main()
