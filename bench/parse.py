"""Parser speed against the floor: a bare loop that only reads and splits the same lines.

    python bench/parse.py [N ...]        (default 1000 10000 100000)

For each N (extensions of bench/generate.py's FreePBX-like config) it prints the best of a few
runs of both (CPU time, interleaved), their ratio (the issue's target: at most 3x at 10,000), the time per extension
(linear in N means a flat column) and the parser's peak memory (tracemalloc, a separate run).
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

from pjsipconf.conf import parse  # noqa: E402


def bare_loop(paths: tuple[str, ...]) -> int:
    """Read every file, split it into lines, strip each and split it on '='."""
    count = 0
    for path in paths:
        with open(path, "rb") as handle:
            for line in handle.read().decode("utf-8").split("\n"):
                line.strip().partition("=")
                count += 1
    return count


def timed(function, *args) -> float:
    """CPU seconds of one call: steadier than wall time on a shared machine."""
    gc.collect()
    start = time.process_time()
    result = function(*args)
    elapsed = time.process_time() - start
    del result  # freeing the result is not part of producing it
    return elapsed


def best_of(runs: int, floor_args: tuple, parse_args: tuple) -> tuple[float, float]:
    """Best of `runs` for the floor and the parser, interleaved so both see the same machine."""
    floor = parsed = float("inf")
    for _ in range(runs):
        floor = min(floor, timed(bare_loop, *floor_args))
        parsed = min(parsed, timed(parse, *parse_args))
    return floor, parsed


def peak_memory(path: str) -> float:
    gc.collect()
    tracemalloc.start()
    config = parse(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del config
    return peak / 1e6


def main(sizes: list[int]) -> None:
    print(f"{'N':>8} {'lines':>9} {'floor ms':>9} {'parse ms':>9} {'ratio':>6} {'us/ext':>7} {'peak MB':>8}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as scratch:
            path = str(generate(Path(scratch), n))
            config = parse(path)
            assert not config.invalid and not config.problems, config.problems[:3]
            files = config.files_read
            runs = 5 if n <= 10000 else 2
            lines = bare_loop(files)
            floor, parsed = best_of(runs, (files,), (path,))
            peak = peak_memory(path)
        print(
            f"{n:>8} {lines:>9} {floor * 1e3:>9.1f} {parsed * 1e3:>9.1f} {parsed / floor:>6.2f} "
            f"{parsed / n * 1e6:>7.2f} {peak:>8.1f}"
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000, 100000])
