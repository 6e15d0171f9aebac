"""Shared test helpers: the golden cases of a real Asterisk 22.10.1 run."""

from __future__ import annotations

import gzip
import ipaddress
import json
import runpy
import shutil
import socket
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


def is_runtime_case(case: str) -> bool:
    """Phones were registered when Asterisk was captured: the case carries the CLI's runtime texts."""
    return "runtime" in load_expected(case)


def is_realtime_case(case: str) -> bool:
    """Objects come from realtime tables too: the case wires them in extconfig.conf."""
    return (GOLDEN_DIR / case / "input" / "extconfig.conf").is_file()


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


@pytest.fixture(autouse=True)
def no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never wait on a DNS server: numeric hosts and localhost (/etc/hosts) resolve as usual,
    every other name fails as an unknown one does (identify `match` names are resolved in builds)."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is None or host == "localhost" or _numeric(host):
            return real(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def _numeric(host: Any) -> bool:
    text = host.decode() if isinstance(host, bytes) else str(host)
    try:
        ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    return True


@pytest.fixture
def golden_input(tmp_path: Path):
    """A function: case name -> a writable copy of its input directory."""
    return lambda case: materialize_case(case, tmp_path)
