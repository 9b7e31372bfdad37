"""Do the scene vector, the structure maps and the exemplar reach the fill of a trained model? Train a generator that
reads all three (chapter 13b's device-resident pipeline on the CPU: `tiny` + Fourier units, the scene computed from
the known region, edge and line maps computed by the model — and, with `--analysis objects`, YOLO's nine object maps —,
exemplars from the other half of each photo), then fill the fixed *test* half of BSDS500 val (chapter 14b's masks at
256²) with every input as in use and with one input taken away at a time — the scene replaced by the uniform vector
(no information), the structure maps by zeros, the object maps by zeros, the exemplar by another photo — and compare
photo by photo (gain over the full input, bootstrap 95 % CI, paired test).
Resumable: the trained weights are kept in runs/component_effects/NAME and reused. Writes
benchmarks/results/component_effects_NAME_DATE.json.

    python benchmarks/component_effects.py --steps 1000
    python benchmarks/component_effects.py --analysis objects --detector yolov5su.pt --name tiny_ffc_objects"""

import argparse, json, os, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv=None):
    ap = argparse.ArgumentParser(prog='component_effects', description=__doc__.split('\n\n')[0])
    ap.add_argument('--name', default='tiny_ffc_scene_structure_cpu', help="name of the run (weights and results file)")
    ap.add_argument('--steps', type=int, default=1000, help="training steps (batch 8, 128² crops)")
    ap.add_argument('--scene', default='random', help="ModelConfig.scene: 'random' or Places365 weights")
    ap.add_argument(
        '--analysis', default='structure', choices=['structure', 'objects'], help="ModelConfig.analysis of the model"
    )
    ap.add_argument('--detector', default='yolov5su.pt', help="YOLO weights for --analysis objects (chapter 04)")
    ap.add_argument(
        '--half', default='test', choices=['valid', 'test'], help="which fixed half of BSDS500 val to score"
    )
    ap.add_argument('--kinds', nargs='+', default=['thin', 'medium', 'thick', 'box'], help="mask kinds to score")
    ap.add_argument('--threads', type=int, default=1, help="torch threads")
    a = ap.parse_args(argv)
    import numpy as np, torch

    torch.set_num_threads(a.threads)
    from inpaint_nb.device_train import (
        results_path,
        DeviceTrainConfig,
        train_on_device,
        heldout_batch,
        bsds500_heldout,
        heldout_records,
        gain_table,
        machine_description,
        git_commit,
    )
    from inpaint_nb.models.full_model import InpaintingModel, model_config, own_analysis, SCENE_CONTEXT
    from inpaint_nb.models.structure import ANALYSIS_CHANNELS
    from inpaint_nb.checkpoint import load_generator_weights
    from inpaint_nb.data.preprocessing import to_tensor, to_uint8, load_image, center_crop_resize

    run = ROOT / 'runs' / 'component_effects' / a.name
    overrides = {
        'builder': {'prefill': 'harmonic', 'use_ffc': True},
        'scene': a.scene,
        'analysis': a.analysis,
    }
    if a.analysis == 'objects':
        from inpaint_nb.models.detection import find_weights, is_downloadable

        if not (a.detector.endswith(('.yaml', '.yml')) or find_weights(a.detector) or is_downloadable(a.detector)):
            ap.error(
                f"--analysis objects needs the YOLO weights {a.detector!r}: put them in $INPAINT_NB_WEIGHTS (chapter 04)"
            )
        overrides['detector'] = a.detector
    cfg = DeviceTrainConfig(
        model='tiny',
        model_overrides=overrides,
        crop=128,
        batch_size=8,
        lr=2e-3,
        warmup=0.05,
        minutes=0,
        max_steps=a.steps,
        valid_every=0,
        mask_bank=2000,
        reuse=4,
        exemplar='split',
        out_dir=str(run),
    )
    weights = run / 'final.safetensors'
    summary = run / 'valid.json'
    if not weights.exists():
        valid = heldout_batch(bsds500_heldout()['valid'][:8], size=128)
        train_on_device(cfg, device='cpu', valid=valid, log=lambda *x: print(*x, flush=True))
    trained = json.loads(summary.read_text())
    model = InpaintingModel(model_config('tiny', **overrides)).eval()
    model.load_state_dict(load_generator_weights(weights)[0])
    photos = [center_crop_resize(load_image(p), 256) for p in bsds500_heldout()[a.half]]

    def filler(**change):
        @torch.no_grad()
        def fill(img, m):
            x = to_tensor(img)[None]
            mk = torch.from_numpy(m)[None, None].float()
            kw = {}
            if change.get('scene'):  # no scene information: every meta-category equally likely
                kw['scene'] = torch.full((1, SCENE_CONTEXT), 1.0 / SCENE_CONTEXT)
            if change.get('structure') and a.analysis != 'objects':  # edges and lines were all there was
                kw['analysis'] = torch.zeros(1, ANALYSIS_CHANNELS, *x.shape[-2:])
            elif change.get('structure') or change.get('objects'):
                own = own_analysis(x, mk, a.analysis, ANALYSIS_CHANNELS, overrides.get('detector'))
                kw['analysis'] = own.index_fill(
                    1, torch.arange(2) if change.get('structure') else torch.arange(2, ANALYSIS_CHANNELS), 0
                )
            if change.get('exemplar'):  # the next photo of the half, never the photo itself
                k = next(i for i, p in enumerate(photos) if np.array_equal(p, img))
                kw['exemplar'] = to_tensor(photos[(k + 1) % len(photos)])[None]
            return to_uint8(model(x, mk, **kw)['output'][0])

        return fill

    methods = {
        'all inputs': filler(),
        'scene removed': filler(scene=True),
        'structure maps removed': filler(structure=True),
        **({'object maps removed': filler(objects=True)} if a.analysis == 'objects' else {}),
        'another photo as exemplar': filler(exemplar=True),
    }
    t = time.perf_counter()
    recs = heldout_records(methods, half=a.half, kinds=a.kinds)
    rows = gain_table(recs, baseline='all inputs')
    for r in rows:
        print(
            f"{r['method']:26s} {r['kind']:7s} {r['gain']:+.4f} dB [{r['ci_lo']:+.4f}, {r['ci_hi']:+.4f}] p={r['p']:.3g}"
        )
    date = time.strftime('%Y-%m-%d')
    out = dict(
        machine=machine_description(),
        date=date,
        commit=git_commit(),
        command='python benchmarks/component_effects.py ' + ' '.join(argv if argv is not None else sys.argv[1:]),
        half=a.half,
        model=dict(preset='tiny', overrides=overrides),
        training=dict(
            steps=trained['steps'], crops_seen=trained['crops_seen'], seconds=trained['train_seconds'], crop=cfg.crop
        ),
        score_seconds=round(time.perf_counter() - t, 1),
        rows=rows,
        records=recs,
    )
    p = results_path(ROOT / 'benchmarks' / 'results', f"component_effects_{a.name}")
    p.write_text(json.dumps(out, indent=1))
    print('wrote', os.path.relpath(p, ROOT))


if __name__ == '__main__':
    main()
