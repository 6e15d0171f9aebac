"""Every folder under cases/: parse its input and compare with its expected.json (see casefile)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conf.casefile import CASES, run_case

NAMES = sorted(path.name for path in CASES.iterdir() if (path / "expected.json").exists())


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str, tmp_path: Path) -> None:
    expected, actual = run_case(CASES / name, tmp_path / "root")
    assert actual == expected
