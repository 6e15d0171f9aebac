"""Rebuilds with a BuildMemo give exactly what a fresh build gives, reusing only what is safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from pjsipconf.model.build import build_snapshot
from pjsipconf.model.reuse import BuildMemo
from pjsipconf.model.views import asterisk_view
from tests.conftest import golden_cases

BASE = """
[global]
type=global
default_auth_algorithms_uas=MD5

[t-tls]
type=transport
protocol=tls
bind=127.0.0.1:5061
cert_file={cert}
priv_key_file={cert}

[phone](!)
type=endpoint
context=office
allow=ulaw

[1001](phone)
auth=1001
callerid="Alice" <1001>

[1002](phone)
call_group=1,64

[1001]
type=auth
username=1001
password=Alice-secret-123
"""


def _same(a, b) -> None:
    assert asterisk_view(a) == asterisk_view(b)
    assert [(r.type, r.id, r.message) for r in a.rejected] == [(r.type, r.id, r.message) for r in b.rejected]
    assert [(w.message, w.line) for w in a.warnings] == [(w.message, w.line) for w in b.warnings]


def _write_base(directory: Path) -> tuple[Path, Path]:
    """BASE written into `directory` with a readable certificate; (certificate, pjsip.conf)."""
    cert = directory / "cert.pem"
    cert.write_text("x")
    conf = directory / "pjsip.conf"
    conf.write_text(BASE.format(cert=cert))
    return cert, conf


def test_unchanged_objects_are_reused_and_edits_are_not(tmp_path: Path) -> None:
    cert, conf = _write_base(tmp_path)
    memo = BuildMemo()
    first = build_snapshot(str(tmp_path), memo=memo)
    second = build_snapshot(str(tmp_path), memo=memo)
    _same(second, build_snapshot(str(tmp_path)))
    assert second.get("endpoint", "1001") is first.get("endpoint", "1001")  # reused
    assert second.get("transport", "t-tls") is not first.get("transport", "t-tls")  # reads files: rebuilt
    # The object with a logged warning (call group 64) is built again, so its warning is logged again.
    assert any("64" in w.message for w in second.warnings)

    conf.write_text(BASE.format(cert=cert).replace('"Alice" <1001>', '"Alicia" <1001>'))
    third = build_snapshot(str(tmp_path), memo=memo)
    _same(third, build_snapshot(str(tmp_path)))
    assert third.get("endpoint", "1001").rendered()["callerid"] == '"Alicia" <1001>'
    assert third.get("endpoint", "1001") is not second.get("endpoint", "1001")
    assert third.get("auth", "1001") is second.get("auth", "1001")
    assert third.get("endpoint", "1002") is not second.get("endpoint", "1002")  # warned: never memoised
    assert any("64" in w.message for w in third.warnings)


def test_what_apply_handlers_read_outside_the_object_invalidates_reuse(tmp_path: Path) -> None:
    cert, conf = _write_base(tmp_path)
    memo = BuildMemo()
    build_snapshot(str(tmp_path), memo=memo)
    conf.write_text(BASE.format(cert=cert).replace("default_auth_algorithms_uas=MD5", "default_auth_algorithms_uas=SHA-256"))
    rebuilt = build_snapshot(str(tmp_path), memo=memo)
    _same(rebuilt, build_snapshot(str(tmp_path)))
    assert rebuilt.get("auth", "1001").rendered()["supported_algorithms_uas"] == "SHA-256"
    cert.unlink()  # no line changed, but Asterisk now refuses the transport
    rebuilt = build_snapshot(str(tmp_path), memo=memo)
    assert rebuilt.get("transport", "t-tls") is None
    _same(rebuilt, build_snapshot(str(tmp_path)))


@pytest.mark.parametrize("case", golden_cases())
def test_golden_rebuilds_equal_fresh_builds(case: str, golden_input) -> None:
    config_dir = str(golden_input(case))
    memo = BuildMemo()
    build_snapshot(config_dir, memo=memo)
    _same(build_snapshot(config_dir, memo=memo), build_snapshot(config_dir))


def test_endpoints_naming_files_and_a_changed_option_table_are_not_reused(tmp_path: Path) -> None:
    cert, conf = _write_base(tmp_path)
    conf.write_text(BASE.format(cert=cert) + f"\n[dtls](phone)\ndtls_cert_file={cert}\n")
    memo = BuildMemo()
    first = build_snapshot(str(tmp_path), memo=memo)
    assert first.get("endpoint", "dtls") is not None
    cert.unlink()  # no line changed, but Asterisk now refuses the endpoint
    rebuilt = build_snapshot(str(tmp_path), memo=memo)
    assert rebuilt.get("endpoint", "dtls") is None
    _same(rebuilt, build_snapshot(str(tmp_path)))
    # asterisk_version = 23 in the settings: nothing typed by the 22 table is reused
    on_23 = build_snapshot(str(tmp_path), memo=memo, asterisk_version="23")
    assert on_23.get("endpoint", "1001") is not rebuilt.get("endpoint", "1001")
    _same(on_23, build_snapshot(str(tmp_path), asterisk_version="23"))
