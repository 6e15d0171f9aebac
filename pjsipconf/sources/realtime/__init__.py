"""Realtime sources: the objects of a type read from the ps_* table its sorcery.conf wizard names.

`RealtimeLoader.load(type, wizard)` follows Asterisk's chain: the wizard's family -> the
extconfig.conf mapping(s) (failover by priority) -> the driver's database -> one streamed
`SELECT *` of the table -> raw objects (rows.py). A database that cannot be used never raises:
the result carries `SourceInfo(ok=False, error=...)` naming the database and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Mapping

from pjsipconf.conf.reader import Reader
from pjsipconf.conf.types import Problem, Source
from pjsipconf.model.types import SourceInfo
from pjsipconf.sources.realtime.drivers import DRIVERS, Driver
from pjsipconf.sources.realtime.errors import DatabaseError, LocateError, MissingTable
from pjsipconf.sources.realtime.extconfig import Extconfig, RealtimeMapping, read_extconfig
from pjsipconf.sources.realtime.rows import RowConverter
from pjsipconf.sources.types import RawObject, Wizard

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from pjsipconf.schema import Schema
    from pjsipconf.sources.realtime.connections import Connection

__all__ = ["RealtimeLoader", "RealtimeResult"]


@dataclass(frozen=True)
class RealtimeResult:
    """The objects one realtime wizard serves, where they came from, and what `check` should know."""

    objects: tuple[RawObject, ...]
    source: SourceInfo
    problems: tuple[Problem, ...] = ()


class RealtimeLoader:
    """Reads realtime tables for one build; engines are shared between tables and closed by close()."""

    def __init__(
        self,
        config_dir: str,
        *,
        urls: Mapping[str, str] | None = None,
        reader: Reader | None = None,
        schema: "Schema | None" = None,
    ) -> None:
        self.config_dir = config_dir
        self.urls = dict(urls or {})
        self.reader = reader
        self._schema = schema
        self._extconfig: Extconfig | None = None
        self._engines: dict[str, "Engine"] = {}

    @property
    def extconfig(self) -> Extconfig:
        if self._extconfig is None:
            self._extconfig = read_extconfig(self.config_dir, reader=self.reader)
        return self._extconfig

    def schema(self) -> "Schema":
        if self._schema is None:
            from pjsipconf.schema import load_schema

            self._schema = load_schema("22")
        return self._schema

    def load(self, type_: str, wizard: Wizard) -> RealtimeResult:
        family = wizard.data
        chain = self.extconfig.chain(family)
        if not chain:
            return _failed(family, "", f"realtime family '{family}' is not mapped in extconfig.conf [settings]")
        errors: list[str] = []
        missing: MissingTable | None = None
        answered: list[RealtimeResult] = []
        for mapping in chain:  # priority 1, 2, ...
            try:
                answered.append(self._load_mapping(type_, mapping))
            except MissingTable as exc:
                missing = exc  # the lookup finds nothing there: Asterisk asks the next database
            except (LocateError, DatabaseError) as exc:
                errors.append(str(exc))
        if answered:
            result = _failover(answered)
            return result if unqualified_fetch_allowed(wizard) else _unlisted(result)
        last = chain[-1]
        if missing is not None and not errors:
            return _no_table(type_, last, str(missing))
        prefix = "every database of the failover chain failed: " if len(chain) > 1 else ""
        return _failed(last.table, last.database, prefix + "; ".join(errors + ([str(missing)] if missing else [])))

    def _load_mapping(self, type_: str, mapping: RealtimeMapping) -> RealtimeResult:
        # SQLAlchemy is loaded here, by the first table read: most configurations have none.
        from pjsipconf.sources.realtime.connections import locate
        from pjsipconf.sources.realtime.database import read_table

        driver = self._driver(mapping)
        if not mapping.table:
            raise MissingTable(f"extconfig.conf line {mapping.line} maps {mapping.family} to an empty table name "
                               "(a trailing comma): Asterisk queries no table")
        connection = locate(mapping, self.config_dir, self.urls, reader=self.reader)
        source = Source("realtime", mapping.table, connection.display)
        engine = self._engine(connection)
        type_schema = self.schema().types[type_]
        with read_table(engine, mapping.table, connection.display) as (columns, rows):
            converter = RowConverter(type_schema, columns, driver, source)
            objects = converter.convert(rows)
        info = SourceInfo("realtime", mapping.table, connection.display)
        return RealtimeResult(tuple(objects), info, tuple(converter.problems()))

    def _driver(self, mapping: RealtimeMapping) -> Driver:
        driver = DRIVERS.get(mapping.engine)
        if driver is None:
            raise LocateError(f"realtime driver '{mapping.driver}' (database '{mapping.database}') is not supported; "
                              f"pjsipconf reads {', '.join(DRIVERS)}")
        return driver

    def _engine(self, connection: "Connection") -> "Engine":
        from pjsipconf.sources.realtime.database import open_engine

        key = connection.url.render_as_string(hide_password=False) + connection.sqlite_file
        if key not in self._engines:
            self._engines[key] = open_engine(connection)
        return self._engines[key]

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()


def unqualified_fetch_allowed(wizard: Wizard) -> bool:
    """False for `allow_unqualified_fetch=no` or `=error` (the last one given counts): the wizard
    then answers a multi-row lookup without a filter (`pjsip show endpoints`, the aors behind
    `pjsip show contacts`) with nothing, while lookups by id still work (res_sorcery_realtime)."""
    values = [value for name, value in wizard.options if name.lower() == "allow_unqualified_fetch"]
    return not values or values[-1].lower() not in ("no", "error")


def _failover(answered: list[RealtimeResult]) -> RealtimeResult:
    """What a failover chain serves: a multi-row lookup stops at the first database that answers
    (rows or none), a lookup by id at the first that has the row (sqlite3, pgsql and mysql answer
    NULL for no row, and config.c then asks the next priority). So the first database's rows
    are listed, the later ones' other ids are found by id only."""
    first = answered[0]
    if len(answered) == 1:
        return first
    seen = {obj.id for obj in first.objects}
    objects = list(first.objects)
    problems = list(first.problems)
    for later in answered[1:]:
        objects.extend(replace(obj, listed=False) for obj in later.objects if obj.id not in seen)
        seen.update(obj.id for obj in later.objects)
        problems.extend(later.problems)
    return replace(first, objects=tuple(objects), problems=tuple(problems))


def _unlisted(result: RealtimeResult) -> RealtimeResult:
    objects = tuple(replace(obj, listed=False) for obj in result.objects)
    return replace(result, objects=objects)


def _no_table(type_: str, mapping: RealtimeMapping, error: str) -> RealtimeResult:
    """A database without the table: no object, and an error `check` reports (Asterisk logs the
    failed query on every lookup and serves nothing from it)."""
    message = f"{error}: Asterisk loads no {type_} from it"
    # Named at the extconfig.conf line that sends the family there: that is what a person fixes.
    problem = Problem("realtime-missing-table", message, mapping.source, mapping.line, severity="error")
    return RealtimeResult((), SourceInfo("realtime", mapping.table, mapping.database), (problem,))


def _failed(name: str, detail: str, error: str) -> RealtimeResult:
    return RealtimeResult((), SourceInfo("realtime", name, detail, ok=False, error=error))
