"""One command for a GPU machine: draw the mask bank once, train recipes side by side on the device-resident pipeline
(chapter 13b), choose each run's checkpoint on BSDS500 val's valid half, then time where a training step's time goes.

    INPAINT_NB_DATA=/path/to/data python benchmarks/device_run.py --recipes tiny small_ffc --minutes 6.5 --out runs/h200

Writes, per recipe, OUT/<recipe>/{best,final}.safetensors and valid.json (config, steps, crops seen, wall time, the
training log and the validation gains), and OUT/bench.json with the step profile. The test half of BSDS500 val is
not read here: report results on it with chapter 13b's held-out evaluation."""

import argparse, json, os, sys, time, multiprocessing as mp
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # runs from a checkout, installed or not


def _worker(name, cfg, bank_path, threads):
    import numpy as np, torch

    torch.set_num_threads(threads)
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = True
    from inpaint_nb.device_train import train_on_device, EVAL_KINDS

    log = lambda s: print(f"[{name}] {s}", flush=True)
    # the shared bank holds 256² holes from the default mix; a recipe that asks for other holes draws its own
    shared = (cfg.crop, cfg.lama_share, list(cfg.lama_kinds)) == (256, 0.5, list(EVAL_KINDS))
    if not shared:
        log(f"own mask bank: crop {cfg.crop}, lama_share {cfg.lama_share}, lama_kinds {list(cfg.lama_kinds)}")
    s = train_on_device(cfg, packed_masks=np.load(bank_path) if shared else None, log=log)
    log(
        f"done: {s['steps']} steps, {s['crops_seen']} crops, {s['train_seconds']} s, {s['images_per_s']} img/s; "
        f"best valid mean gain {s['best']['mean_gain']:+.3f} dB at step {s['best']['step']}"
    )


def main(argv=None):
    ap = argparse.ArgumentParser(prog='device_run', description=__doc__.split('\n\n')[0])
    ap.add_argument(
        '--recipes', nargs='+', default=['tiny', 'small_ffc'], help="config names: inpaint_nb/config/device_<name>.yaml"
    )
    ap.add_argument(
        '--minutes', type=float, default=6.5, help="training wall-clock budget of each recipe (they run side by side)"
    )
    ap.add_argument(
        '--set',
        nargs='*',
        default=[],
        metavar='KEY=VALUE',
        help="recipe fields to change, e.g. batch_size=256 init_weights=runs/x/best.safetensors",
    )
    ap.add_argument('--bank', type=int, default=12000, help="masks in the bank")
    ap.add_argument('--out', default='runs/device', help="output folder")
    ap.add_argument('--bench_batch', type=int, default=64, help="batch of the step profile (0 = no profile)")
    ap.add_argument('--bench_presets', nargs='+', default=['tiny', 'small'], help="model presets to profile")
    a = ap.parse_args(argv)
    from inpaint_nb.core import ConfigError
    from inpaint_nb.device_train import load_device_config
    from inpaint_nb.train_config import apply_overrides

    cfgs = {r: ROOT / 'inpaint_nb' / 'config' / f'device_{r}.yaml' for r in a.recipes}
    for r, p in cfgs.items():
        if not p.is_file():
            ap.error(f"no recipe {r!r}: {p} does not exist")
    out = Path(a.out)
    try:  # every recipe with every --set, checked before anything starts; each recipe its own folder, whatever --set says
        recipes = {
            r: replace(apply_overrides(load_device_config(p, minutes=a.minutes), a.set), out_dir=str(out / r))
            for r, p in cfgs.items()
        }
    except (ConfigError, ValueError) as e:
        ap.error(f"--set: {e}")
    out.mkdir(parents=True, exist_ok=True)
    from inpaint_nb.device_train import make_mask_bank
    import numpy as np

    t = time.perf_counter()
    bank = make_mask_bank(a.bank, 256, seed=0, processes=os.cpu_count())
    bank_path = Path('/tmp/inpaint_nb_mask_bank.npy')
    np.save(bank_path, bank)
    print(f"mask bank: {len(bank)} masks in {time.perf_counter() - t:.1f} s on {os.cpu_count()} processes", flush=True)
    ctx = mp.get_context('spawn')  # CUDA cannot be forked
    threads = max(1, (os.cpu_count() or 2) // (2 * len(cfgs)))
    procs = [ctx.Process(target=_worker, args=(r, cfg, str(bank_path), threads)) for r, cfg in recipes.items()]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print('exit codes', [p.exitcode for p in procs], flush=True)
    if a.bench_batch:
        from inpaint_nb.device_train import profile_step

        rows = []
        for preset in a.bench_presets:
            try:
                r = profile_step(
                    preset,
                    a.bench_batch,
                    256,
                    packed_masks=bank[:2048],
                    n=5,
                    prefill_tol=recipes[a.recipes[0]].model_overrides.get('builder', {}).get('prefill_tol', 1e-5),
                )
            except Exception as e:
                r = dict(preset=preset, error=f"{type(e).__name__}: {e}")
            print(r, flush=True)
            rows.append(r)
        from inpaint_nb.device_train import machine_description, git_commit

        (out / 'bench.json').write_text(
            json.dumps(
                dict(
                    machine=machine_description(),
                    date=time.strftime('%Y-%m-%d'),
                    commit=git_commit(),
                    command=' '.join(['python benchmarks/device_run.py', *(sys.argv[1:] if argv is None else argv)]),
                    rows=rows,
                ),
                indent=1,
            )
        )


if __name__ == '__main__':
    main()
