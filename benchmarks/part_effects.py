"""What each part of a shipped generator adds to its fill. The model as shipped is compared, photo by photo, with the
same weights with one part taken away at inference: the texture artist (the prediction is then the structure
builder's coarse fill), the exemplar (a BSDS500 *train* photo's pixels in place of the photo's own known region), and
the network altogether (the harmonic start it corrects). Scored on a fixed half of BSDS500 val with chapter 14b's
masks at 256²: gain of the full model over each, bootstrap 95 % CI, paired test. Where the learning-curve run's
checkpoints are on disk, it also records the largest weight of the texture artist's last layer at each checkpoint
(checkpoints no longer on disk keep what an earlier results file of the same run measured, with that file's name).
Writes benchmarks/results/part_effects_<weights>_<date>.json, or _<date>_<HHMM>.json when that file exists (chapter 13b
renders the newest).

    python benchmarks/part_effects.py                     # the default model, test half (about 2 minutes, one core)
    python benchmarks/part_effects.py --weights small_ffc --half valid"""

import argparse, copy, json, os, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv=None):
    ap = argparse.ArgumentParser(prog='part_effects', description=__doc__.split('\n\n')[0])
    ap.add_argument('--weights', default='default', help="a shipped model's name, or a .safetensors path")
    ap.add_argument('--half', default='test', choices=['test', 'valid'], help="which half of BSDS500 val")
    ap.add_argument(
        '--run', default='tiny_ffc_cpu_lr5e-4_restarts_seed1', help="learning-curve run whose checkpoints to read"
    )
    ap.add_argument('--threads', type=int, default=1, help="torch threads")
    a = ap.parse_args(argv)
    import torch
    from safetensors.torch import load_file
    from inpaint_nb.checkpoint import load_generator_weights, model_from_weights, default_weights_path
    from inpaint_nb.data.preprocessing import bsds500_paths, load_image, to_tensor, to_uint8
    from inpaint_nb.device_train import heldout_records, gain_table, machine_description, git_commit, results_path
    from inpaint_nb.eval import classical_fill_fn
    from inpaint_nb.accelerate import fit_photo

    torch.set_num_threads(a.threads)
    w = (
        Path(a.weights)
        if a.weights.endswith('.safetensors')
        else default_weights_path().parent / f'{a.weights}.safetensors'
    )
    g, meta = load_generator_weights(w)
    model = model_from_weights(g, meta, w, None).eval().requires_grad_(False)
    no_texture = copy.deepcopy(model)
    no_texture.texture = None  # `one_pass` then returns the builder's coarse fill as the prediction
    other = to_tensor(fit_photo(load_image(bsds500_paths('train')[0]), 256, 256))[None]  # never in BSDS500 val

    def fill_fn(mdl, exemplar=None):
        @torch.no_grad()
        def fill(img, m):
            x = to_tensor(img)[None]
            mk = torch.from_numpy(m)[None, None].float()
            ex = None if exemplar is None else torch.nn.functional.interpolate(exemplar, size=x.shape[-2:], mode='area')
            return to_uint8(mdl(x, mk, exemplar=ex)['output'][0])

        return fill

    methods = {
        'model': fill_fn(model),
        'without the texture artist': fill_fn(no_texture),
        'exemplar from another photo': fill_fn(model, other),
        'harmonic start': classical_fill_fn('harmonic'),
    }
    t0 = time.perf_counter()
    recs = heldout_records(methods, half=a.half)
    score_s = time.perf_counter() - t0
    rows = []
    for base in list(methods)[1:]:  # the full model against each, photo by photo
        rows += [dict(r, baseline=base) for r in gain_table(recs, baseline=base) if r['method'] == 'model']
    last = [k for k in g if k.startswith('texture.dec_out.') and k.endswith('.weight')][-1]  # the artist's last conv
    shipped = float(g[last].abs().max())
    run = ROOT / 'runs' / 'learning_curve' / a.run
    steps = sorted(
        (int(p.name[4:]), p / 'final.safetensors') for p in run.glob('step*') if (p / 'final.safetensors').exists()
    )
    trajectory = [dict(steps=s, max_abs_weight=float(load_file(str(f))[last].abs().max())) for s, f in steps]
    # a checkpoint of this run no longer on disk keeps what an earlier results file measured from it
    seen = {t['steps'] for t in trajectory}
    for f in sorted((ROOT / 'benchmarks' / 'results').glob('part_effects_*.json')):
        old = json.loads(f.read_text()).get('texture_last_layer') or {}
        if old.get('run') == a.run and old.get('name') == last:
            for t in old.get('checkpoints', []):
                if t['steps'] not in seen:
                    trajectory.append(dict(t, measured_in=t.get('measured_in', f.name)))
                    seen.add(t['steps'])
    trajectory.sort(key=lambda t: t['steps'])
    for r in rows:
        print(f"model vs {r['baseline']:28s} {r['kind']:6s} {r['gain']:+.4f} dB [{r['ci_lo']:+.4f}, {r['ci_hi']:+.4f}]")
    print(
        f"{last}: largest |weight| {shipped:.2e} in the shipped file;",
        ', '.join(f"{t['steps']}: {t['max_abs_weight']:.1e}" for t in trajectory),
    )
    res = dict(
        machine=machine_description(),
        date=time.strftime('%Y-%m-%d'),
        commit=git_commit(),
        command='python benchmarks/part_effects.py ' + ' '.join(argv if argv is not None else sys.argv[1:]),
        weights=os.path.relpath(w, ROOT),
        half=a.half,
        score_seconds=round(score_s, 1),
        rows=rows,
        texture_last_layer=dict(name=last, shipped_max_abs_weight=shipped, run=a.run, checkpoints=trajectory),
    )
    out = results_path(ROOT / 'benchmarks' / 'results', f"part_effects_{w.stem}")
    out.write_text(json.dumps(res, indent=1) + '\n')
    print('wrote', out.relative_to(ROOT))


if __name__ == '__main__':
    main()
