"""Building config directories and tables for the realtime tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

from sqlalchemy import Column, MetaData, String, Table, Text, create_engine

from pjsipconf.schema import load_schema
from pjsipconf.sources.realtime import RealtimeLoader, RealtimeResult
from pjsipconf.sources.types import Wizard
from tests.realtime.conftest import Db


def write_files(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (directory / name).write_text(content, encoding="utf-8")
    return directory


def realtime_config_dir(directory: Path, database: Db, families: Iterable[str],
                        sorcery: str | None = None, pjsip: str = "") -> Path:
    """A config dir whose extconfig.conf maps `families` to `database` through Asterisk's driver files."""
    extconfig = "[settings]\n" + "".join(f"{family} => {database.driver},asterisk\n" for family in families)
    files = {"extconfig.conf": extconfig, "pjsip.conf": pjsip, **database.asterisk_files()}
    if sorcery is not None:
        files["sorcery.conf"] = sorcery
    return write_files(directory, files)


def create_table(database: Db, name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                 text_columns: Sequence[str] = ()) -> None:
    """A table with VARCHAR columns in the given order (TEXT for `text_columns`), filled with `rows`."""
    engine = create_engine(database.url)
    metadata = MetaData()
    table = Table(name, metadata, *(Column(c, Text if c in text_columns else String(255)) for c in columns))
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(table.insert(), [dict(zip(columns, row)) for row in rows])
    engine.dispose()


def load(config_dir: Path, type_name: str, family: str, urls: dict[str, str] | None = None) -> RealtimeResult:
    loader = RealtimeLoader(str(config_dir), urls=urls, schema=load_schema("22"))
    try:
        return loader.load(type_name, Wizard("realtime", family))
    finally:
        loader.close()


def variables(result: RealtimeResult) -> dict[str, list[tuple[str, str]]]:
    return {obj.id: [(v.name, v.value) for v in obj.variables] for obj in result.objects}
