"""`pjsipconf check` against `pjsipconf show` on the same generated configuration.

    python bench/check.py [N]        (default 10000 extensions of bench/generate.py)

Target (issue #4): check takes at most 1.5x the time of show. Both run in-process through the
click command (build + output), best of a few runs each; the ratio is printed.
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from pjsipconf.cli import cli  # noqa: E402

RUNS = 3
TARGET = 1.5


def best_of(runs: int, args: list[str]) -> tuple[float, int, int]:
    """Best wall time of `pjsipconf ARGS`, its exit code and output size."""
    runner = CliRunner()
    best, code, size = float("inf"), 0, 0
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = runner.invoke(cli, args, catch_exceptions=False)
        best = min(best, time.perf_counter() - start)
        code, size = result.exit_code, len(result.output)
    return best, code, size


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        config_dir = str(Path(generate(Path(scratch), n)).parent)
        show, show_code, show_size = best_of(RUNS, ["show", "--config-dir", config_dir])
        check, check_code, check_size = best_of(RUNS, ["check", "--config-dir", config_dir, "--format", "json"])
    ratio = check / show
    print(f"extensions: {n}")
    print(f"show : {show * 1000:9.0f} ms  (exit {show_code}, {show_size} bytes)")
    print(f"check: {check * 1000:9.0f} ms  (exit {check_code}, {check_size} bytes)")
    print(f"ratio check/show: {ratio:.2f} (target <= {TARGET}) -> {'OK' if ratio <= TARGET else 'TOO SLOW'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
