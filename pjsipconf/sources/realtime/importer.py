"""`pjsipconf realtime init/import`: create the ps_* tables and write the objects of a pjsip.conf into them.

A migration aid. Each object becomes one row: its lines grouped by column, in the form the driver
that will read the table gives back (split drivers: `;`-joined, `^3B`-encoded chunks; sqlite3: one
value, accumulating options comma-joined; an empty value as " " where the driver keeps it). Every
row is checked before it is written: the lines the driver will hand Asterisk are applied and must
give the same option state as the file's lines, otherwise the object is reported as differing
(written anyway, so that `check` shows the difference). Rows a typed column cannot hold (an enum
value PostgreSQL does not know, a number in hex ...) are normalised where that keeps the meaning,
else skipped and reported.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Literal, Sequence

from sqlalchemy import delete, inspect, select, text
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.engine import Connection as SAConnection
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.expression import TableClause

from pjsipconf.conf.reader import Reader
from pjsipconf.conf.types import ConfigFile
from pjsipconf.schema.cstr import ast_true
from pjsipconf.sources.realtime.connections import parse_url, redact
from pjsipconf.sources.realtime.database import DatabaseError, engine_for_url
from pjsipconf.sources.realtime.drivers import DRIVERS, Driver, cell_text, encode_chunk
from pjsipconf.sources.realtime.rows import is_registered_field
from pjsipconf.sources.realtime.tables import ColumnSpec, TableSpec, build_metadata, realtime_schema
from pjsipconf.sources.types import RawObject

if TYPE_CHECKING:
    from pjsipconf.schema import Schema, TypeSchema

DIALECT_DRIVERS = {"sqlite": "sqlite3", "postgresql": "pgsql", "mysql": "mysql", "mariadb": "mysql"}
WRITE_BATCH = 1000
# Accumulating options whose several lines cannot be one comma-joined value (each line is one item
# that may itself contain commas or '='), so sqlite3 (which never splits) cannot hold several.
NOT_COMMA_JOINABLE = frozenset({"set_var", "password_digest", "md5_cred"})
_C_INTEGER = re.compile(r"[ \t]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[ \t]*")
_VARCHAR = re.compile(r"VARCHAR\((\d+)\)")


class ImportError_(Exception):
    """The import cannot run at all (bad URL, unreadable pjsip.conf, database error)."""


class NotStorable(Exception):
    """A value a typed column cannot hold."""


@dataclass(frozen=True, slots=True)
class ImportNote:
    type: str
    id: str
    table: str
    status: Literal["skipped", "differs"]
    reason: str


@dataclass(frozen=True)
class ImportReport:
    url: str  # redacted
    driver: str
    written: dict[str, int] = field(default_factory=dict)  # table -> rows written
    notes: tuple[ImportNote, ...] = ()

    @property
    def skipped(self) -> tuple[ImportNote, ...]:
        return tuple(n for n in self.notes if n.status == "skipped")

    @property
    def differing(self) -> tuple[ImportNote, ...]:
        return tuple(n for n in self.notes if n.status == "differs")


def open_target(url: str) -> Engine:
    try:
        return engine_for_url(parse_url(url, "target"), redact(url))
    except Exception as exc:  # LocateError / DatabaseError: both carry a message for a person
        raise ImportError_(str(exc)) from None


def create_tables(url: str, names: Sequence[str] | None = None) -> list[str]:
    """`realtime init`: create the ps_* tables (all, or `names`) that do not exist yet; returns those created."""
    engine = open_target(url)
    unknown = [n for n in names or () if n not in realtime_schema().tables]
    if unknown:
        raise ImportError_(f"unknown table(s) {', '.join(unknown)}; known: {', '.join(realtime_schema().tables)}")
    try:
        with engine.begin() as connection:
            existing = set(inspect(connection).get_table_names())
            metadata = build_metadata(list(names) if names else None)
            wanted = [t for t in metadata.sorted_tables if t.name not in existing]
            metadata.create_all(connection, tables=wanted)
        return [t.name for t in wanted]
    except SQLAlchemyError as exc:
        raise ImportError_(f"{redact(url)}: cannot create tables ({_first_line(exc)})") from None
    finally:
        engine.dispose()


def import_config(
    config_dir: str,
    url: str,
    *,
    schema: "Schema",
    driver: str | None = None,
    main_file: str = "pjsip.conf",
    reader: Reader | None = None,
) -> ImportReport:
    """Write every object pjsip.conf defines (for types with a ps_* table) into the database at `url`."""
    config = _read_pjsip_conf(config_dir, main_file, reader)
    engine = open_target(url)
    try:
        chosen = _driver_for(engine, driver)
        rows_by_table, notes = _rows_of_config(config, schema, chosen, engine.dialect.name)
        written = _write(engine, rows_by_table, notes)
    except DatabaseError as exc:
        raise ImportError_(str(exc)) from None
    except SQLAlchemyError as exc:
        raise ImportError_(f"{redact(url)}: {_first_line(exc)}") from None
    finally:
        engine.dispose()
    return ImportReport(url=redact(url), driver=chosen.name, written=written, notes=tuple(notes))


def _read_pjsip_conf(config_dir: str, main_file: str, reader: Reader | None) -> ConfigFile:
    from pjsipconf.conf import parse

    path = os.path.join(os.path.abspath(config_dir), main_file)
    config = parse(path, config_dir=os.path.abspath(config_dir), reader=reader)  # type: ignore[arg-type]
    if not config.exists:
        raise ImportError_(f"{path}: file not found")
    if config.invalid:
        fatal = next((p for p in config.problems if p.fatal), None)
        where = f" ({fatal.source.name}:{fatal.line}: {fatal.message})" if fatal else ""
        raise ImportError_(f"{path}: Asterisk would reject the whole file{where}; nothing to import")
    return config


def _driver_for(engine: Engine, name: str | None) -> Driver:
    name = name or DIALECT_DRIVERS.get(engine.dialect.name, "")
    if name not in DRIVERS:
        raise ImportError_(f"cannot tell which Asterisk driver reads a {engine.dialect.name} database; pass --driver "
                           f"({', '.join(DRIVERS)})")
    return DRIVERS[name]


@dataclass
class _TableRows:
    spec: TableSpec
    rows: list[dict[str, Any]] = field(default_factory=list)


def _rows_of_config(
    config: ConfigFile, schema: "Schema", driver: Driver, dialect: str
) -> tuple[dict[str, _TableRows], list[ImportNote]]:
    from pjsipconf.model.config_wizard import CategoryIndex, ConfigCriteria, raw_object
    from pjsipconf.sources.sorcery import default_wizard

    notes: list[ImportNote] = []
    out: dict[str, _TableRows] = {}
    index = CategoryIndex(config.categories)
    for table_spec in realtime_schema().tables.values():
        type_schema = schema.types.get(table_spec.type)
        if type_schema is None or type_schema.default_wizard[0] != "config":
            continue  # contacts, subscriptions: runtime data, not pjsip.conf objects
        criteria = ConfigCriteria.from_wizard(default_wizard(schema, table_spec.type))
        raws = [raw_object(category, table_spec.type) for category in index.select(criteria, type_schema)]
        if len({r.id for r in raws}) != len(raws):
            notes.extend(ImportNote(r.type, r.id, table_spec.name, "skipped",
                                    "pjsip.conf defines this id twice for the type: Asterisk loads no object of the type")
                         for r in raws)
            continue
        encoder = RowEncoder(type_schema, table_spec, driver, dialect)
        rows = _TableRows(table_spec)
        for raw in raws:
            try:
                rows.rows.append(encoder.encode(raw))
            except NotStorable as exc:
                notes.append(ImportNote(raw.type, raw.id, table_spec.name, "skipped", str(exc)))
                continue
            difference, refused_in_file = encoder.difference(raw, rows.rows[-1])
            if difference and refused_in_file:
                rows.rows.pop()  # the row would be an object Asterisk refuses from pjsip.conf
                notes.append(ImportNote(raw.type, raw.id, table_spec.name, "skipped", difference))
            elif difference:
                notes.append(ImportNote(raw.type, raw.id, table_spec.name, "differs", difference))
        if rows.rows:
            out[table_spec.name] = rows
    return out, notes


class RowEncoder:
    """One type's objects -> rows of its table, for one driver and SQL dialect."""

    def __init__(self, type_schema: "TypeSchema", table: TableSpec, driver: Driver, dialect: str) -> None:
        self.type_schema = type_schema
        self.table = table
        self.driver = driver
        self.typed = dialect != "sqlite"  # SQLite stores any text in any column
        self.enums = realtime_schema().enums
        self.columns: Sequence[str] = [c.name for c in table.columns]
    def _is_option(self, name: str) -> bool:
        """A line that sets something (type= is only the config wizard's criteria: it has no column)."""
        spec = self.type_schema.option(name)
        return spec is not None and spec.kind_name != "noop"

    def encode(self, raw: RawObject) -> dict[str, Any]:
        values: dict[str, list[str]] = {}
        for var in raw.variables:
            spec = self.type_schema.option(var.name)
            if spec is None:
                raise NotStorable(f"'{var.name}' is not an option of {raw.type}: Asterisk refuses the object in pjsip.conf")
            if spec.kind_name == "noop":
                continue  # type=: only the config wizard's criteria
            if spec.sorcery_alias and spec.alias_of:
                # Realtime drops an alias column (disallow): its codecs go into allow, negated, in order.
                if var.value:
                    values.setdefault(spec.alias_of, []).append(negated_codecs(var.value))
                continue
            values.setdefault(var.name if spec.regex else spec.name, []).append(var.value)
        row: dict[str, Any] = {"id": self._store(self.table.columns[0], raw.id, raw.id)}
        for column, column_values in values.items():
            column_spec = self.table.column(column)
            if column_spec is not None:
                row[column] = self._store(column_spec, self._combine(column, column_values), raw.id)
        return row

    def _combine(self, column: str, values: list[str]) -> str:
        spec = self.type_schema.option(column)
        if spec is not None and not spec.multi:
            values = values[-1:]  # the last line wins
        if self.driver.splits:
            return ";".join(encode_chunk(v) for v in values)
        if len(values) == 1:
            return values[0] or " "  # sqlite3 drops '' but keeps " " as ''
        return ",".join(values)

    def _store(self, column: ColumnSpec, cell: str, object_id: str) -> Any:
        if not self.typed:
            return cell
        try:
            return coerce(cell, column.sql_type, self.enums)
        except NotStorable as exc:
            raise NotStorable(f"{self.table.name}.{column.name}: {exc}") from None

    def difference(self, raw: RawObject, row: dict[str, Any]) -> tuple[str, bool]:
        """What Asterisk would see differently reading the row ("" when nothing), and whether it
        refuses the object from pjsip.conf."""
        message, from_file = self._difference(raw, row)
        return message, isinstance(from_file, str)

    def _difference(self, raw: RawObject, row: dict[str, Any]) -> tuple[str, dict[str, Any] | str]:
        lines = [(v.name, v.value) for v in raw.variables if self._is_option(v.name)]
        from_file = _state_after(self.type_schema, lines)
        read_back: list[tuple[str, str]] = []
        for column in self.columns[1:]:
            if column in row and is_registered_field(self.type_schema, column):
                read_back.extend((column, value) for value in self.driver.single(column, cell_text(row[column])))
        from_db = _state_after(self.type_schema, read_back)
        if from_file == from_db:
            return "", from_file
        lost = [v.name for v in raw.variables
                if self._is_option(v.name) and self.table.column(_column_name(self.type_schema, v.name)) is None]
        if lost:
            return f"{self.table.name} has no column for {', '.join(sorted(set(lost)))}", from_file
        if isinstance(from_file, str) or isinstance(from_db, str):
            message = (f"pjsip.conf: {from_file if isinstance(from_file, str) else 'accepted'}; database: "
                       f"{from_db if isinstance(from_db, str) else 'accepted'}")
            return message, from_file
        changed = sorted(k for k in set(from_file) | set(from_db) if from_file.get(k) != from_db.get(k))
        return f"the table cannot hold these lines as written (order or repetition): {', '.join(changed)}", from_file


def negated_codecs(value: str) -> str:
    """An allow= value that does what `disallow = value` does (ast_format_cap_update_by_allow_disallow:
    each entry of a disallow line is applied inverted, `!entry` inverted twice; a `(a|b)` list, as
    Asterisk prints one, first takes in every format)."""
    if value[:1] == "(" and value[-1:] == ")":
        return ",".join(["all"] + [_negated(entry) for entry in re.split(r"[,|]", value[1:-1])])
    return ",".join(_negated(entry) for entry in re.split(r"[,|]", value))


def _negated(entry: str) -> str:
    entry = entry.strip()
    return entry[1:] if entry.startswith("!") else f"!{entry}"


def _column_name(type_schema: "TypeSchema", name: str) -> str:
    spec = type_schema.option(name)
    return name if spec is None or spec.regex else spec.name


def _state_after(type_schema: "TypeSchema", lines: Iterable[tuple[str, str]]) -> dict[str, Any] | str:
    """The option state after applying lines to a fresh object, or why Asterisk refuses them."""
    from pjsipconf.schema import InvalidValue, UnknownOption

    state = type_schema.new_state()
    try:
        for name, value in lines:
            type_schema.apply(state, name, value)
    except (InvalidValue, UnknownOption) as exc:
        return f"refused ({exc})"
    return state


def coerce(cell: str, sql_type: str, enums: dict[str, tuple[str, ...]]) -> Any:
    """The value a typed column stores for `cell`, keeping Asterisk's reading of it; NotStorable otherwise."""
    varchar = _VARCHAR.fullmatch(sql_type)
    if varchar:
        if len(cell) > int(varchar.group(1)):
            raise NotStorable(f"value of {len(cell)} characters does not fit {sql_type}")
        return cell
    if sql_type in ("INTEGER", "BIGINT"):
        number, bits = c_integer(cell), 32 if sql_type == "INTEGER" else 64
        if not -(2 ** (bits - 1)) <= number < 2 ** (bits - 1):
            raise NotStorable(f"{number} is out of range for {sql_type}")
        return number
    if sql_type == "FLOAT":
        try:
            return float(cell)
        except ValueError:
            raise NotStorable(f"'{cell}' is not a number") from None
    if sql_type == "BOOLEAN":
        return ast_true(cell.strip())
    if sql_type == "TEXT":
        return cell
    return enum_value(cell, sql_type, enums[sql_type])


def c_integer(cell: str) -> int:
    """strtol(base 0) as Asterisk parses numbers: hex 0x.., octal 0.., decimal; nothing else."""
    match = _C_INTEGER.fullmatch(cell)
    if not match:
        raise NotStorable(f"'{cell}' is not an integer")
    sign, digits = match.groups()
    value = int(digits, 16) if digits[:2].lower() == "0x" else int(digits, 8) if digits.startswith("0") and digits != "0" else int(digits)
    return -value if sign == "-" else value


def enum_value(cell: str, enum_name: str, allowed: tuple[str, ...]) -> str:
    if cell in allowed:
        return cell
    if enum_name == "ast_bool_values":
        return "yes" if ast_true(cell) else "no"  # every other word is false
    folded = [v for v in allowed if v.lower() == cell.lower()]
    if len(folded) == 1:
        return folded[0]  # the state check tells whether Asterisk reads it the same
    raise NotStorable(f"'{cell}' is not a value of {enum_name} ({', '.join(allowed)})")


def _write(engine: Engine, rows_by_table: dict[str, _TableRows], notes: list[ImportNote]) -> dict[str, int]:
    """Create missing tables, then replace the rows of the imported ids, all in one transaction."""
    written: dict[str, int] = {}
    with engine.begin() as connection:
        existing = set(inspect(connection).get_table_names())
        missing = [name for name in rows_by_table if name not in existing]
        if missing:
            build_metadata(missing).create_all(connection)
        for name, table_rows in rows_by_table.items():
            # Untyped columns: values are already what the column holds (SQLite: Asterisk's text as is).
            target = sql_table(name, *(sql_column(c) for c in _column_names(connection, name)))
            rows = _fit_to_table(target, table_rows, notes)
            _replace_rows(connection, target, rows)
            written[name] = len(rows)
    return written


def _column_names(connection: SAConnection, name: str) -> list[str]:
    """The columns of an existing table, in table order (one cheap query instead of reflection)."""
    return list(connection.execute(select(text("*")).select_from(sql_table(name)).limit(0)).keys())


def _fit_to_table(table: TableClause, table_rows: _TableRows, notes: list[ImportNote]) -> list[dict[str, Any]]:
    """Rows restricted to the columns the existing table has (an older or minimal schema)."""
    present = set(table.columns.keys())
    fitted = []
    for row in table_rows.rows:
        absent = sorted(set(row) - present)
        if absent:
            notes.append(ImportNote(table_rows.spec.type, str(row["id"]), table.name, "differs",
                                    f"{table.name} has no column for {', '.join(absent)}"))
        fitted.append({k: v for k, v in row.items() if k in present})
    return fitted


def _replace_rows(connection: SAConnection, table: TableClause, rows: list[dict[str, Any]]) -> None:
    ids = [row["id"] for row in rows]
    for start in range(0, len(ids), WRITE_BATCH):
        connection.execute(delete(table).where(table.c.id.in_(ids[start : start + WRITE_BATCH])))
    # executemany needs the same keys in every row: absent columns are NULL ("not set").
    columns = [c for c in table.columns.keys() if any(c in row for row in rows)]
    full = [{c: row.get(c) for c in columns} for row in rows]
    for start in range(0, len(full), WRITE_BATCH):
        connection.execute(table.insert(), full[start : start + WRITE_BATCH])


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
