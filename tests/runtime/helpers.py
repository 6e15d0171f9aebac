"""Helpers for the runtime tests: capture files for the replay program and bridges pointed at it."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Mapping

from pjsipconf.sources.runtime import RuntimeBridge
from tests.conftest import ROOT, load_expected, load_oracle

REPLAY = ROOT / "fixtures" / "runtime" / "replay.py"
RUNTIME_CASE = "v30_runtime_registered"
# What `database show registrar` prints when nothing is registered (main/db.c).
EMPTY_REGISTRAR = "0 results found.\n"


class FakeClock:
    """Seconds since the epoch that move only when a test says so."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def runtime_captures(case: str = RUNTIME_CASE) -> dict[str, str]:
    """What `asterisk -rx` printed in a runtime case, keyed by command."""
    return dict(load_expected(case)["runtime"]["cli"])


def oracle_captures(case: str) -> dict[str, str]:
    """A case's CLI texts; cases without registrations get the empty registrar listing."""
    captures = dict(load_oracle(case)["cli"])
    captures.setdefault("database show registrar", EMPTY_REGISTRAR)
    return captures


def write_captures(path: Path, captures: Mapping[str, str]) -> Path:
    path.write_text(json.dumps(captures), encoding="utf-8")
    return path


def replay_prefix(captures_file: Path, *options: str) -> str:
    """A CLI prefix that runs the replay program on `captures_file` (the command goes last)."""
    return shlex.join([sys.executable, str(REPLAY), str(captures_file), *options])


def replay_bridge(captures_file: Path, *options: str, **kwargs: object) -> RuntimeBridge:
    kwargs.setdefault("min_interval", 0.0)
    return RuntimeBridge(replay_prefix(captures_file, *options), **kwargs)  # type: ignore[arg-type]
