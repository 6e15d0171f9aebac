"""Shared test helpers: the golden cases of a real Asterisk 22.10.1 run."""

from __future__ import annotations

import gzip
import json
import runpy
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# Property tests explore the same examples on every run (a CI run must not fail on a new random
# draw that a developer never saw), with no per-example deadline on a busy machine.
settings.register_profile("pjsipconf", derandomize=True, deadline=None)
settings.load_profile("pjsipconf")

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = ROOT / "fixtures" / "golden"
DEMO_DIR = ROOT / "fixtures" / "demo"


def golden_cases() -> list[str]:
    return sorted(p.name for p in GOLDEN_DIR.iterdir() if (p / "expected.json").is_file())


def load_expected(case: str) -> dict[str, Any]:
    return json.loads((GOLDEN_DIR / case / "expected.json").read_text(encoding="utf-8"))


def load_oracle(case: str) -> dict[str, Any]:
    plain = GOLDEN_DIR / case / "oracle.json"
    if plain.is_file():
        return json.loads(plain.read_text(encoding="utf-8"))
    with gzip.open(GOLDEN_DIR / case / "oracle.json.gz", "rt", encoding="utf-8") as handle:
        return json.load(handle)


def materialize_case(case: str, tmp_path: Path) -> Path:
    """Copy a case's input/ to tmp_path, replacing @ETCDIR@ in text files with that directory."""
    target = tmp_path / case
    shutil.copytree(GOLDEN_DIR / case / "input", target)
    for path in target.rglob("*"):
        if path.is_file() and path.suffix == ".conf":
            data = path.read_bytes()
            if b"@ETCDIR@" in data:
                path.write_bytes(data.replace(b"@ETCDIR@", str(target).encode()))
    return target


@pytest.fixture(scope="session", autouse=True)
def demo_realtime_database() -> Path:
    """The demo's realtime database is made from fixtures/demo/realtime.sql, never committed."""
    namespace = runpy.run_path(str(DEMO_DIR / "make_realtime_db.py"))
    return namespace["make_realtime_db"]()


@pytest.fixture
def golden_input(tmp_path: Path):
    """A function: case name -> a writable copy of its input directory."""
    return lambda case: materialize_case(case, tmp_path)
