"""`pjsipconf realtime init/import` and the --realtime-url option."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pjsipconf.cli import cli
from pjsipconf.cli.common import parse_realtime_urls, realtime_url_option
from tests.realtime.conftest import Db
from tests.realtime.helpers import write_files


def test_init_then_import(database: Db, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["realtime", "init", database.url, "--table", "ps_aors", "--table", "ps_endpoints"])
    assert result.exit_code == 0 and "created 2 table(s)" in result.output
    source = write_files(tmp_path / "src", {"pjsip.conf": "[a]\ntype=aor\nmax_contacts=2\n[e]\ntype=endpoint\ncolour=red\n"})
    result = runner.invoke(cli, ["realtime", "import", database.url, "--config-dir", str(source)])
    assert result.exit_code == 0, result.output
    assert "1 row(s) written" in result.output and "ps_aors: 1" in result.output
    assert "skipped: endpoint 'e' (ps_endpoints): 'colour' is not an option" in result.output


def test_usage_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["realtime", "init", "nonsense"])
    assert result.exit_code == 2 and "is not a database URL" in result.output and "Traceback" not in result.output
    result = runner.invoke(cli, ["realtime", "import", f"sqlite:///{tmp_path}/x.db", "--config-dir", str(tmp_path)])
    assert result.exit_code == 2 and "pjsip.conf: file not found" in result.output


def test_realtime_url_option() -> None:
    assert parse_realtime_urls(["asterisk=postgresql://u@h/db", " b = sqlite:///x=y "]) == {
        "asterisk": "postgresql://u@h/db", "b": "sqlite:///x=y"}
    with pytest.raises(click.BadParameter):
        parse_realtime_urls(["no-equals"])

    @click.command()
    @realtime_url_option
    def probe(realtime_urls: dict[str, str]) -> None:
        click.echo(sorted(realtime_urls.items()))

    runner = CliRunner()
    assert runner.invoke(probe, ["--realtime-url", "a=sqlite://"]).output.strip() == "[('a', 'sqlite://')]"
    assert runner.invoke(probe, ["--realtime-url", "=x"]).exit_code == 2
