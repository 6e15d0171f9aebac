"""`pjsipconf realtime`: create the ps_* tables and copy pjsip.conf objects into them.

Also the `--realtime-url NAME=URL` option other commands take to reach a realtime database that
Asterisk's files do not locate (ODBC DSNs) or that should be read elsewhere (a replica).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

import click

from pjsipconf.cli.common import (
    ToolError,
    asterisk_version_option,
    config_dir_option,
    open_settings,
    resolve_version,
    settings_option,
)


def realtime_url_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--realtime-url NAME=URL` (repeatable): the database extconfig.conf calls NAME is at URL."""
    return click.option(
        "--realtime-url",
        "realtime_urls",
        multiple=True,
        metavar="NAME=URL",
        callback=_parse_realtime_urls,
        help="Realtime database NAME (as extconfig.conf names it) is at this SQLAlchemy URL; "
             "overrides the [realtime] section of the settings file. Repeatable.",
    )(func)


def _parse_realtime_urls(_ctx: click.Context, _param: click.Parameter, values: Iterable[str]) -> dict[str, str]:
    return parse_realtime_urls(values)


def parse_realtime_urls(values: Iterable[str]) -> dict[str, str]:
    """NAME=URL pairs -> {NAME: URL}; a pair without '=' or a name is a usage error."""
    urls: dict[str, str] = {}
    for value in values:
        name, equals, url = value.partition("=")
        if not equals or not name.strip() or not url.strip():
            raise click.BadParameter(f"'{value}' is not NAME=URL (e.g. asterisk=postgresql://asterisk@db/asterisk)")
        urls[name.strip()] = url.strip()
    return urls


@click.group()
def realtime() -> None:
    """Realtime (database) tables: create them, fill them from a pjsip.conf."""


@realtime.command("init")
@click.argument("url")
@click.option("--table", "tables", multiple=True, help="Only this ps_* table (repeatable; default: all 15).")
def init(url: str, tables: tuple[str, ...]) -> None:
    """Create the ps_* tables at URL as Asterisk's Alembic migrations leave them (existing ones are kept)."""
    from pjsipconf.sources.realtime.importer import ImportError_, create_tables

    try:
        created = create_tables(url, list(tables) or None)
    except ImportError_ as exc:
        raise ToolError(str(exc)) from None
    click.echo(f"created {len(created)} table(s)" + (f": {', '.join(created)}" if created else " (all existed)"))


@realtime.command("import")
@click.argument("url")
@config_dir_option
@click.option("--driver", type=click.Choice(["sqlite3", "pgsql", "mysql", "odbc"]), default=None,
              help="The Asterisk driver that will read the tables (default: from the URL; say odbc for ODBC).")
@asterisk_version_option
@settings_option
def import_(url: str, config_dir: str, driver: str | None, asterisk_version: str | None, settings_path: str | None) -> None:
    """Write the objects of CONFIG_DIR's pjsip.conf into the ps_* tables at URL (rows with the same ids are replaced)."""
    from pjsipconf.schema import load_schema
    from pjsipconf.sources.realtime.importer import ImportError_, import_config

    settings = open_settings(settings_path, config_dir)
    version = resolve_version(asterisk_version, settings)
    main_file = str(settings.section("general").get("main_file", "pjsip.conf"))
    try:
        report = import_config(config_dir, url, schema=load_schema(version), driver=driver, main_file=main_file)
    except ImportError_ as exc:
        raise ToolError(str(exc)) from None
    total = sum(report.written.values())
    click.echo(f"{report.url} (read by res_config_{report.driver}): {total} row(s) written"
               + "".join(f"\n  {table}: {count}" for table, count in report.written.items()))
    for note in report.notes:
        click.echo(f"{note.status}: {note.type} {note.id!r} ({note.table}): {note.reason}", err=True)
