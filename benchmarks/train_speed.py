"""Training images per second and the share of a step spent outside the network, for the per-image CPU input path
(chapter 13's DataLoader: decode, crop and draw a hole per photo) beside the device-resident one (chapter 13b), and the
device path with the model and batches channels-last (as the trainer runs them) beside NCHW, measured side by side in
one run on this machine. Writes benchmarks/results/train_speed_<device>_<date>.json.

    python benchmarks/train_speed.py                     # CPU (and the GPU when CUDA is present)
    python benchmarks/train_speed.py --presets tiny --batch 8 --quick"""

import argparse, json, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv=None):
    ap = argparse.ArgumentParser(prog='train_speed', description=__doc__.split('\n\n')[0])
    ap.add_argument('--presets', nargs='+', default=['tiny', 'small'], help="model presets")
    ap.add_argument(
        '--batch', type=int, nargs='+', default=[8, 4], help="batch per preset (one value: the same for all)"
    )
    ap.add_argument('--side', type=int, default=256, help="crop side")
    ap.add_argument('--repeat', type=int, default=3, help="timed repetitions of each part")
    ap.add_argument('--device', default=None, help="'cpu', 'cuda' (default: both where CUDA is present, else cpu)")
    ap.add_argument(
        '--quick', action='store_true', help="a smoke test: 64² crops, one repetition (numbers mean nothing)"
    )
    a = ap.parse_args(argv)
    import torch
    from inpaint_nb.device_train import profile_step, make_mask_bank, machine_description, git_commit, results_path
    from inpaint_nb.data.dataset import get_dls
    from inpaint_nb.data.mask_generator import default_mask_sampler

    side, rep = (64, 1) if a.quick else (a.side, a.repeat)
    batches = a.batch * len(a.presets) if len(a.batch) == 1 else a.batch
    if len(batches) != len(a.presets):
        ap.error("give one --batch value, or one per preset")
    devices = [a.device] if a.device else (['cpu', 'cuda'] if torch.cuda.is_available() else ['cpu'])
    bank = make_mask_bank(512, side)
    rows = []
    for dev in devices:
        for preset, bs in zip(a.presets, batches):
            loader = get_dls('bsds500', size=side, bs=bs, mask_sampler=default_mask_sampler()).train
            batches_ = (b for _ in range(10**6) for b in loader)
            # the trainer's layout (channels-last), then PyTorch's default (NCHW): the device path, side by side
            for cl in (True, False):
                r = profile_step(
                    preset, bs, side, dev, packed_masks=bank, n=rep, loader=batches_ if cl else None, channels_last=cl
                )
                rows.append(r)
                per_image = (
                    f"per-image path {r['loader_images_per_s']:7.1f} img/s, "
                    f"{100 * r['loader_outside_share']:3.0f} % outside the network | "
                    if cl
                    else ''
                )
                print(
                    f"{dev:4s} {preset:5s} batch {bs:3d} {'channels-last' if cl else 'NCHW'}: {per_image}device path "
                    f"{r['images_per_s']:7.1f} img/s, {100 * r['outside_share']:3.0f} % outside (crops+holes "
                    f"{1e3 * r['pipeline_s']:.0f} ms, harmonic start {1e3 * r['prefill_s']:.0f} ms, step "
                    f"{1e3 * r['step_s']:.0f} ms)",
                    flush=True,
                )
    out = dict(
        machine=machine_description(),
        date=time.strftime('%Y-%m-%d'),
        commit=git_commit(),
        command=' '.join(['python benchmarks/train_speed.py', *(sys.argv[1:] if argv is None else argv)]),
        side=side,
        quick=a.quick,
        rows=rows,
    )
    if not a.quick:
        p = results_path(ROOT / 'benchmarks' / 'results', f"train_speed_{'_'.join(devices)}")
        p.write_text(json.dumps(out, indent=1))
        print('wrote', p.relative_to(ROOT))


if __name__ == '__main__':
    main()
