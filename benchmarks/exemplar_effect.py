"""Does a model's fill depend on the exemplar it is given? On one half of BSDS500 val (chapter 13b's fixed halves,
chapter 14b's masks at 256²), fill every hole twice: with the photo's own known region as the exemplar (the default)
and with another photo of the same half, and compare hole PSNR photo by photo. Writes
benchmarks/results/exemplar_effect_<name>_<date>.json.

    python benchmarks/exemplar_effect.py --weights inpaint_nb/weights/small_ffc.safetensors --half test"""

import argparse, json, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv=None):
    ap = argparse.ArgumentParser(prog='exemplar_effect', description=__doc__.split('\n\n')[0])
    ap.add_argument('--weights', default=None, help="model weights (default: the shipped default model)")
    ap.add_argument('--half', default='test', choices=['valid', 'test'], help="which fixed half of BSDS500 val")
    ap.add_argument('--kinds', nargs='+', default=['thin', 'medium', 'thick', 'box'], help="mask kinds")
    a = ap.parse_args(argv)
    import numpy as np
    from inpaint_nb.inpaint import Inpainter
    from inpaint_nb.device_train import (
        heldout_records,
        gain_table,
        bsds500_heldout,
        machine_description,
        git_commit,
        results_path,
    )
    from inpaint_nb.data.preprocessing import load_image, center_crop_resize

    inp = Inpainter(a.weights)
    photos = [center_crop_resize(load_image(p), 256) for p in bsds500_heldout()[a.half]]

    def with_other(img, m):  # the exemplar is the next photo of the half (never the photo itself)
        k = next(i for i, p in enumerate(photos) if np.array_equal(p, img))
        return inp(img, m, exemplar=photos[(k + 1) % len(photos)])

    recs = heldout_records(
        {'other photo': with_other, 'own region': lambda i, m: inp(i, m)}, half=a.half, kinds=a.kinds
    )
    rows = gain_table(recs, baseline='own region')
    for r in rows:
        print(
            f"{r['kind']:7s} other − own exemplar: {r['gain']:+.4f} dB [{r['ci_lo']:+.4f}, {r['ci_hi']:+.4f}] p={r['p']:.3g}"
        )
    name = Path(a.weights).stem if a.weights else 'default'
    out = dict(
        machine=machine_description(),
        date=time.strftime('%Y-%m-%d'),
        commit=git_commit(),
        command=' '.join(['python benchmarks/exemplar_effect.py', *(sys.argv[1:] if argv is None else argv)]),
        weights=name,
        half=a.half,
        rows=rows,
        records=recs,
    )
    p = results_path(ROOT / 'benchmarks' / 'results', f"exemplar_effect_{name}")
    p.write_text(json.dumps(out, indent=1))
    print('wrote', p.relative_to(ROOT))


if __name__ == '__main__':
    main()
