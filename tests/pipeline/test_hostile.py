"""Hostile bytes at build_snapshot: whatever is on disk, the result is a Snapshot (perhaps with the
whole file rejected), never an exception; and check, the views and the documents take it too."""

from __future__ import annotations

import json
import random
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pjsipconf.api.documents import build_documents
from pjsipconf.check import ALL_RULES, run_checks
from pjsipconf.check.formats import Report, render
from pjsipconf.conf import MemoryReader
from pjsipconf.model.build import build_snapshot
from pjsipconf.model.types import Snapshot
from pjsipconf.model.views import asterisk_view, dump_json, explain_view
from tests.pipeline.generate import generate_config

ETC = "/etc/asterisk"
NOW = "2026-01-01T00:00:00Z"


def build_bytes(files: dict[str, bytes]) -> Snapshot:
    snapshot = build_snapshot(ETC, reader=MemoryReader({f"{ETC}/{name}": data for name, data in files.items()}))
    findings = run_checks(snapshot)
    for view in (asterisk_view(snapshot), explain_view(snapshot)):
        assert json.loads(dump_json(view)) == view
    build_documents(snapshot, findings=findings, now=NOW)
    report = Report(rules=ALL_RULES, config_dir=ETC)
    json.loads(render(findings, "sarif", report))
    ElementTree.fromstring(render(findings, "junit", report))  # control characters quoted from the files
    if snapshot.config is not None and snapshot.config.invalid:
        assert any(rejection.cause == "whole-file" for rejection in snapshot.rejected)
        assert any(finding.severity == "error" for finding in findings)
    return snapshot


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600), st.binary(max_size=200))
def test_random_bytes(main: bytes, included: bytes) -> None:
    build_bytes({"pjsip.conf": b"#include inc.conf\n" + main, "inc.conf": included, "sorcery.conf": included})


def _corrupt(rng: random.Random, data: bytes) -> bytes:
    """A real configuration with some bytes replaced by NUL, invalid UTF-8, control characters."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        position = rng.randrange(len(out))
        out[position:position + 1] = rng.choice((b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\r", b"\x1b", b"["))
    return bytes(out)


@pytest.mark.parametrize("seed", range(1, 31))
def test_corrupted_generated_configuration(seed: int) -> None:
    rng = random.Random(seed)
    files = {name: text.encode("utf-8") for name, text in generate_config(seed).items()}
    target = rng.choice(sorted(files))
    files[target] = _corrupt(rng, files[target])
    build_bytes(files)


def test_bom_crlf_latin1_and_nul_lines() -> None:
    main = b"\xef\xbb\xbf[a]\r\ntype=endpoint\r\ncallerid=\xe9t\xe9 <1>\r\ncontext=\x00x\r\n[b\x00]\ntype=aor\n"
    snapshot = build_bytes({"pjsip.conf": main})
    assert snapshot.config is not None


@pytest.mark.parametrize("depth", [5, 11, 40])
def test_deeply_nested_includes(depth: int) -> None:
    files = {f"n{level}.conf": f"[s{level}]\ntype=aor\n#include n{level + 1}.conf\n".encode() for level in range(depth)}
    files["pjsip.conf"] = b"#include n0.conf\n"
    snapshot = build_bytes(files)
    assert snapshot.of_type("aor")  # the first levels load whatever the depth limit does below them


def test_include_cycles_and_self_globs() -> None:
    files = {
        "pjsip.conf": b"#include pjsip.conf\n#include *.conf\n[x]\ntype=aor\n",
        "a.conf": b"#include b.conf\n[ya]\ntype=auth\nusername=u\n",
        "b.conf": b"#include a.conf\n#include *.conf\n",
    }
    build_bytes(files)


def test_include_of_a_directory_and_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "dir.conf").mkdir()
    (tmp_path / "pjsip.conf").write_bytes(b"#include dir.conf\n#tryinclude nothing.conf\n[e]\ntype=endpoint\n")
    snapshot = build_snapshot(str(tmp_path))
    run_checks(snapshot)
    assert snapshot.config is not None
