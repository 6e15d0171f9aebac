"""`pjsipconf build`: real configurations, hostile section names, minimal rewrites, clear errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from pjsipconf.cli import cli
from tests.conftest import DEMO_DIR

PJSIP = """\
[t](!)
type=endpoint
context=from-phones

[1001](t)
aors=1001

[1002](t)
aors=1002
language={language}

[1001]
type=aor

[1002]
type=aor

[../../escape]
type=aor

[a/b c]
type=aor

[x\\;@y]
type=aor
"""


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _write(config: Path, language: str = "en") -> None:
    (config / "pjsip.conf").write_text(PJSIP.format(language=language))


def test_build_writes_once_then_only_what_changed(tmp_path: Path) -> None:
    config, out = tmp_path / "etc", tmp_path / "out"
    config.mkdir()
    _write(config)
    first = _run("build", "--config-dir", str(config), str(out))
    assert " removed" in first and not first.startswith(f"{out}: 0 files written")
    for path in tmp_path.rglob("*"):
        assert os.path.realpath(path).startswith(str(tmp_path.resolve()))
    assert not (tmp_path / "escape.json").exists()
    names = {json.loads(p.read_bytes())["result"]["object_name"] for p in (out / "pjsip" / "aors").rglob("*.json")}
    assert names == {"1001", "1002", "../../escape", "a/b c", "x;@y"}

    second = _run("build", "--config-dir", str(config), str(out))
    assert second.startswith(f"{out}: 0 files written, 0 removed")

    _write(config, language="fr")  # one value of endpoint 1002, no line moves
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    _run("build", "--config-dir", str(config), str(out))
    changed = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and before.get(p) != p.stat().st_mtime_ns}
    views = ("", "_view/asterisk/", "_view/explain/")
    expected = {f"{v}pjsip/endpoints/1002.json" for v in views} | {f"{v}pjsip/endpoints.json" for v in views}
    expected |= {"health.json", ".pjsipconf-manifest.json"}  # health: when the view last changed
    assert changed == expected
    assert json.loads((out / "pjsip/endpoints/1002.json").read_bytes())["result"]["language"] == "fr"


def test_build_refuses_a_file_asterisk_would_reject(tmp_path: Path) -> None:
    config = tmp_path / "etc"
    config.mkdir()
    (config / "pjsip.conf").write_text("#include nowhere.conf\n[a]\ntype=aor\n")
    result = CliRunner().invoke(cli, ["build", "--config-dir", str(config), str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "reject the whole file" in result.output and "Traceback" not in result.output


def test_build_demo_has_browse_pages_and_nginx_snippet(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run("build", "--config-dir", str(DEMO_DIR), str(out))
    assert "/browse/endpoints.html" in (out / "index.html").read_text()
    snippet = (out / "_nginx/pjsipconf.conf").read_text()
    assert f"root {out.resolve()};" in snippet and "try_files" in snippet
    assert json.loads((out / "openapi.json").read_bytes())["openapi"].startswith("3.")


def test_build_merges_runtime_state_with_cli_prefix(tmp_path: Path) -> None:
    """`build --cli PREFIX`: registered contacts and device states come from the Asterisk CLI."""
    import sys

    from tests.conftest import GOLDEN_DIR, ROOT

    case = GOLDEN_DIR / "v30_runtime_registered"
    prefix = f"{sys.executable} {ROOT / 'fixtures/runtime/replay.py'} {case / 'expected.json'}"
    out = tmp_path / "out"
    _run("build", "--config-dir", str(case / "input"), "--cli", prefix, str(out))
    contacts = json.loads((out / "pjsip" / "contacts.json").read_text())["result"]["list"]
    assert {c["status"] for c in contacts} == {"Reachable", "NonQualified"}
    assert len(contacts) == 4
    health = json.loads((out / "health.json").read_text())["result"]
    assert health["runtime"]["enabled"] is True
