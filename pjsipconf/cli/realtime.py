"""`pjsipconf realtime`: create the ps_* tables and copy pjsip.conf objects into them."""

from __future__ import annotations

import click

from pjsipconf.cli.common import (
    ToolError,
    asterisk_version_option,
    config_dir_option,
    open_settings,
    resolve_version,
    settings_option,
)


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
