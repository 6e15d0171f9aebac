"""`pjsipconf check`: exit codes, formats, output file, settings and their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pjsipconf.cli import cli

CLEAN = (
    "[udp]\ntype=transport\nbind=127.0.0.1:5060\n"
    "[6001]\ntype=aor\nmax_contacts=1\nremove_existing=yes\n"
    "[6001-auth]\ntype=auth\nusername=6001\npassword=a-long-random-secret\n"
    "[6001]\ntype=endpoint\naors=6001\nauth=6001-auth\ntransport=udp\n"
)
WARNING_ONLY = CLEAN + "[6002-auth]\ntype=auth\nusername=6002\npassword=6002\n[6002]\ntype=endpoint\nauth=6002-auth\n"
ERROR = CLEAN + "[6003]\ntype=endpoint\ndtmf_mode=carrier\n"


def _dir(tmp_path: Path, text: str, settings: str | None = None) -> str:
    (tmp_path / "pjsip.conf").write_text(text)
    if settings is not None:
        (tmp_path / "pjsipconf.ini").write_text(settings)
    return str(tmp_path)


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["check", *args], env={"GITHUB_ACTIONS": "", **(env or {})})


def test_clean_configuration_exits_0(tmp_path: Path) -> None:
    result = _run("--config-dir", _dir(tmp_path, CLEAN), "--strict")
    assert result.exit_code == 0, result.output
    assert result.output == "No problems found.\n"


def test_warnings_exit_0_unless_strict(tmp_path: Path) -> None:
    config_dir = _dir(tmp_path, WARNING_ONLY)
    result = _run("--config-dir", config_dir)
    assert result.exit_code == 0
    assert "pjsip.conf:20:1: S402 warning: auth '6002-auth' password equals its username" in result.output
    assert _run("--config-dir", config_dir, "--strict").exit_code == 1


def test_errors_exit_1_with_text_lines_and_a_summary(tmp_path: Path) -> None:
    result = _run("--config-dir", _dir(tmp_path, ERROR))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("pjsip.conf:19:1: L106 error: ")
    assert lines[-1].startswith("1 error")


def test_json_format_and_output_file(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    config_dir = _dir(tmp_path / "conf", ERROR)
    out = tmp_path / "report.json"
    result = _run("--config-dir", config_dir, "--format", "json", "--output", str(out))
    assert result.exit_code == 1
    document = json.loads(out.read_text())
    assert document["summary"]["error"] == 1
    assert document["findings"][0]["object"] == {"type": "endpoint", "id": "6003"}


def test_github_is_the_default_inside_github_actions(tmp_path: Path) -> None:
    result = _run("--config-dir", _dir(tmp_path, ERROR), env={"GITHUB_ACTIONS": "true"})
    assert result.output.startswith("::error file=")


def test_select_and_ignore_flags(tmp_path: Path) -> None:
    config_dir = _dir(tmp_path, ERROR)
    assert _run("--config-dir", config_dir, "--ignore", "L106").exit_code == 0
    result = _run("--config-dir", config_dir, "--select", "S,L106", "--format", "json")
    assert {f["rule"] for f in json.loads(result.output)["findings"]} == {"L106"}


def test_settings_file_in_the_config_dir_is_used(tmp_path: Path) -> None:
    config_dir = _dir(tmp_path, ERROR, settings="[check]\n[[severity]]\nL106 = warning\n")
    result = _run("--config-dir", config_dir)
    assert result.exit_code == 0 and " L106 warning: " in result.output


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("[check]\nmin_password_length = many\n", "[check/min_password_length]"),
        ("[check]\nselect = Z123\n", "'Z123' names no rule"),
        ("[check]\n[[severity]]\nL106 = loud\n", "[check/severity/L106]"),
    ],
)
def test_bad_settings_exit_2_with_a_clear_message(tmp_path: Path, settings: str, message: str) -> None:
    result = _run("--config-dir", _dir(tmp_path, CLEAN, settings=settings))
    assert result.exit_code == 2
    assert message in result.output and "pjsipconf.ini" in result.output
    assert "Traceback" not in result.output


def test_missing_config_dir_or_settings_file_exit_2(tmp_path: Path) -> None:
    result = _run("--config-dir", str(tmp_path / "nowhere"))
    assert result.exit_code == 2 and "config directory not found" in result.output
    result = _run("--config-dir", _dir(tmp_path, CLEAN), "--settings", str(tmp_path / "none.ini"))
    assert result.exit_code == 2 and "settings file not found" in result.output


def test_unknown_rule_on_the_command_line_exits_2(tmp_path: Path) -> None:
    result = _run("--config-dir", _dir(tmp_path, CLEAN), "--select", "nope")
    assert result.exit_code == 2 and "'nope' names no rule" in result.output


def test_asterisk_version_23_is_accepted(tmp_path: Path) -> None:
    result = _run("--config-dir", _dir(tmp_path, CLEAN), "--asterisk-version", "23", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output)["summary"] == {"error": 0, "warning": 0, "info": 0}


def test_every_format_through_the_command(tmp_path: Path) -> None:
    config_dir = _dir(tmp_path, ERROR)
    for fmt, start in [("junit", "<?xml"), ("sarif", "{"), ("html", "<!DOCTYPE html>"), ("github", "::error")]:
        result = _run("--config-dir", config_dir, "--format", fmt)
        assert result.exit_code == 1 and result.output.startswith(start), fmt


def test_an_unreachable_realtime_database_exits_2(golden_input) -> None:
    config_dir = golden_input("v41_realtime_minimal_columns")
    (config_dir / "rt.sqlite3").unlink()
    result = _run("--config-dir", str(config_dir))
    assert result.exit_code == 2
    assert "cannot check realtime objects: ps_endpoints" in result.output


def test_a_missing_realtime_table_is_an_error_finding(golden_input) -> None:
    import sqlite3

    config_dir = golden_input("v41_realtime_minimal_columns")
    with sqlite3.connect(config_dir / "rt.sqlite3") as db:
        db.execute("DROP TABLE ps_endpoints")
    result = _run("--config-dir", str(config_dir))
    assert result.exit_code == 1
    assert "L110 error: realtime database asterisk" in result.output and "table ps_endpoints not found" in result.output


def test_run_checks_stops_between_rules_when_asked() -> None:
    from pjsipconf.check import ChecksStopped, run_checks
    from pjsipconf.model.build import build_snapshot
    from tests.conftest import DEMO_DIR

    snapshot = build_snapshot(str(DEMO_DIR))
    asked: list[int] = []

    def stop_after_three() -> bool:
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(ChecksStopped):
        run_checks(snapshot, stop=stop_after_three)
    assert len(asked) == 4
    assert run_checks(snapshot, stop=lambda: False) == run_checks(snapshot)
