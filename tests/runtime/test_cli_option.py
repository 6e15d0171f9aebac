"""`--cli PREFIX` and `[runtime]` settings -> a RuntimeBridge (or none), bad prefixes -> exit 2."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from pjsipconf.cli.common import cli_option, open_runtime_bridge
from pjsipconf.settings import load_settings


def _probe() -> click.Command:
    @click.command()
    @click.option("--settings", "settings_path", default=None)
    @cli_option
    def probe(settings_path: str | None, cli_prefix: str | None) -> None:
        bridge = open_runtime_bridge(load_settings(settings_path), cli_prefix)
        if bridge is None:
            click.echo("off")
        else:
            click.echo(f"{bridge.argv!r} {bridge.timeout} {bridge.min_interval} {bridge.keep_for}")

    return probe


def _settings(tmp_path: Path, text: str) -> str:
    path = tmp_path / "pjsipconf.ini"
    path.write_text(text)
    return str(path)


def test_off_by_default() -> None:
    result = CliRunner().invoke(_probe(), [])
    assert result.exit_code == 0 and result.output == "off\n"


def test_flag_turns_it_on_with_its_prefix() -> None:
    result = CliRunner().invoke(_probe(), ["--cli", "docker exec asterisk asterisk -rx"])
    assert result.output == "['docker', 'exec', 'asterisk', 'asterisk', '-rx'] 5.0 5.0 600.0\n"


def test_settings_section_is_used(tmp_path: Path) -> None:
    path = _settings(tmp_path, "[runtime]\nenabled = yes\ncli = ssh 'pbx 1' asterisk -rx\ntimeout = 2\nmin_interval = 10\nkeep_for = 30\n")
    result = CliRunner().invoke(_probe(), ["--settings", path])
    assert result.output == "['ssh', 'pbx 1', 'asterisk', '-rx'] 2.0 10.0 30.0\n"


def test_flag_overrides_settings_prefix(tmp_path: Path) -> None:
    path = _settings(tmp_path, "[runtime]\nenabled = no\ncli = nope\ntimeout = 3\n")
    result = CliRunner().invoke(_probe(), ["--settings", path, "--cli", "asterisk -rx"])
    assert result.output == "['asterisk', '-rx'] 3.0 5.0 600.0\n"


def test_bad_prefix_stops_with_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(_probe(), ["--cli", "ssh 'pbx1"])
    assert result.exit_code == 2 and "--cli: cannot split CLI prefix" in result.output
    path = _settings(tmp_path, "[runtime]\nenabled = yes\ncli = \"\"\n")
    result = CliRunner().invoke(_probe(), ["--settings", path])
    assert result.exit_code == 2 and f"{path}: [runtime] cli: the CLI prefix is empty" in result.output
