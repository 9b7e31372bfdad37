"""CPU fill time at 512² with 1 thread, 2 threads and `fill_threads()`'s choice, on an idle machine and with another
process keeping one core busy, side by side in one run. Writes benchmarks/results/threads_busy_<date>.json.

    python benchmarks/threads_busy.py"""

import argparse, json, os, sys, time, subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv=None):
    ap = argparse.ArgumentParser(prog='threads_busy', description=__doc__.split('\n\n')[0])
    ap.add_argument('--repeat', type=int, default=5, help="fills timed per setting (median reported)")
    ap.add_argument('--size', type=int, default=512, help="image side")
    a = ap.parse_args(argv)
    import numpy as np
    from inpaint_nb.inpaint import Inpainter
    from inpaint_nb.data.mask_generator import demo_mask
    from inpaint_nb.data.preprocessing import demo_image_path
    from inpaint_nb.data.preprocessing import load_image, center_crop_resize
    from inpaint_nb.device_train import machine_description, git_commit, results_path

    img = center_crop_resize(load_image(demo_image_path()), a.size)
    m = demo_mask(a.size, a.size, seed=0)

    def median_fill(threads):
        inp = Inpainter(threads=threads)
        inp(img, m)  # warm-up
        ts = []
        for _ in range(a.repeat):
            t = time.perf_counter()
            inp(img, m)
            ts.append(time.perf_counter() - t)
        return float(np.median(ts)), inp.threads

    rows = []
    for busy in (False, True):
        spin = subprocess.Popen([sys.executable, '-c', 'while True: pass']) if busy else None
        try:
            if busy:
                time.sleep(20)  # let the one-minute load average see it
            for t in (1, 2, None):
                s, used = median_fill(t)
                rows.append(dict(busy=busy, requested=t, threads=used, seconds=s, loadavg=os.getloadavg()[0]))
                print(
                    f"{'busy' if busy else 'idle'}: threads={'auto' if t is None else t} (used {used}): {s:.2f} s per {a.size}² fill",
                    flush=True,
                )
        finally:
            if spin:
                spin.kill()
    out = dict(
        machine=machine_description(),
        date=time.strftime('%Y-%m-%d'),
        commit=git_commit(),
        command=' '.join(['python benchmarks/threads_busy.py', *(sys.argv[1:] if argv is None else argv)]),
        size=a.size,
        rows=rows,
    )
    p = results_path(ROOT / 'benchmarks' / 'results', 'threads_busy')
    p.write_text(json.dumps(out, indent=1))
    print('wrote', p.relative_to(ROOT))


if __name__ == '__main__':
    main()
