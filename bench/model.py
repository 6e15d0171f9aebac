"""Full `show` against the floor: a bare loop that only reads and splits the same lines.

    python bench/model.py [N ...]        (default 10000 100000)

For each N (extensions of bench/generate.py's FreePBX-like config: an endpoint, an aor and an auth
each, from templates, over #included files) it times in one run:
- floor: read every file the build read and split its lines (bench/parse.py's bare loop);
- build: parse + sorcery + every object typed (build_snapshot);
- show: build + the whole asterisk view rendered to JSON text (what `pjsipconf show` prints);
and prints the ratios to the floor (issue target: show at most 5x at 10,000), plus the peak memory
of a Snapshot (tracemalloc; target: under 400 MB at 100,000 extensions = 300,000 objects).
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402
from parse import bare_loop  # noqa: E402

from pjsipconf.model.build import build_snapshot  # noqa: E402
from pjsipconf.model.views import asterisk_json_chunks  # noqa: E402


def full_show(config_dir: str) -> int:
    """What `show` does: build, then make the JSON text piece by piece (it prints them as they come)."""
    return sum(map(len, asterisk_json_chunks(build_snapshot(config_dir))))


def cpu_seconds(function, *args) -> float:
    gc.collect()
    start = time.process_time()
    result = function(*args)
    elapsed = time.process_time() - start
    del result
    return elapsed


def peak_snapshot_mb(config_dir: str) -> tuple[float, int]:
    gc.collect()
    tracemalloc.start()
    snapshot = build_snapshot(config_dir)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    count = sum(len(objects) for objects in snapshot.objects.values())
    return peak / 1e6, count


def main(sizes: list[int]) -> None:
    print(f"{'N':>7} {'floor ms':>9} {'build ms':>9} {'show ms':>9} {'build/fl':>8} {'show/fl':>8} "
          f"{'objects':>8} {'peak MB':>8}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as scratch:
            config_dir = str(generate(Path(scratch), n).parent)
            files = build_snapshot(config_dir).config.files_read
            runs = 3 if n <= 10000 else 1
            floor = min(cpu_seconds(bare_loop, files) for _ in range(runs))
            built = min(cpu_seconds(build_snapshot, config_dir) for _ in range(runs))
            shown = min(cpu_seconds(full_show, config_dir) for _ in range(runs))
            peak, objects = peak_snapshot_mb(config_dir)
        print(f"{n:>7} {floor * 1e3:>9.1f} {built * 1e3:>9.1f} {shown * 1e3:>9.1f} {built / floor:>8.2f} "
              f"{shown / floor:>8.2f} {objects:>8} {peak:>8.1f}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10000, 100000])
