"""The ps_* realtime tables as data (tables.json) and as SQLAlchemy Core tables to create them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from sqlalchemy import BigInteger, Boolean, Column, Enum, Float, Index, Integer, MetaData, String, Table, Text, UniqueConstraint
from sqlalchemy.types import TypeEngine

_VARCHAR = re.compile(r"VARCHAR\((\d+)\)")


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    name: str
    sql_type: str  # "VARCHAR(40)", "INTEGER", "BIGINT", "FLOAT", "TEXT", "BOOLEAN" or an enum type name
    nullable: bool


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    type: str  # the PJSIP object type whose rows it holds
    columns: tuple[ColumnSpec, ...]
    unique: tuple[tuple[str, ...], ...]
    indexes: tuple[tuple[str, tuple[str, ...]], ...]

    def column(self, name: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class RealtimeSchema:
    enums: dict[str, tuple[str, ...]]
    tables: dict[str, TableSpec]


@lru_cache(maxsize=1)
def realtime_schema() -> RealtimeSchema:
    data = json.loads(resources.files("pjsipconf.sources.realtime").joinpath("tables.json").read_text("utf-8"))
    tables = {
        name: TableSpec(
            name=name,
            type=spec["type"],
            columns=tuple(ColumnSpec(*column) for column in spec["columns"]),
            unique=tuple(tuple(u) for u in spec["unique"]),
            indexes=tuple((index, tuple(cols)) for index, cols in spec["indexes"].items()),
        )
        for name, spec in data["tables"].items()
    }
    return RealtimeSchema(enums={k: tuple(v) for k, v in data["enums"].items()}, tables=tables)


def sqlalchemy_type(sql_type: str, enums: dict[str, tuple[str, ...]]) -> TypeEngine:
    varchar = _VARCHAR.fullmatch(sql_type)
    if varchar:
        return String(int(varchar.group(1)))
    plain: dict[str, TypeEngine] = {"INTEGER": Integer(), "BIGINT": BigInteger(), "FLOAT": Float(), "TEXT": Text(),
                                    "BOOLEAN": Boolean(create_constraint=False)}
    if sql_type in plain:
        return plain[sql_type]
    # PostgreSQL: a named ENUM type; MySQL/MariaDB: an inline ENUM; SQLite: VARCHAR (no CHECK, like Alembic's).
    return Enum(*enums[sql_type], name=sql_type, create_constraint=False)


def build_metadata(names: list[str] | None = None) -> MetaData:
    """SQLAlchemy tables for the named ps_* tables (all of them by default)."""
    schema = realtime_schema()
    metadata = MetaData()
    for name in names or list(schema.tables):
        spec = schema.tables[name]
        columns = [Column(c.name, sqlalchemy_type(c.sql_type, schema.enums), nullable=c.nullable) for c in spec.columns]
        constraints = [UniqueConstraint(*cols, name=f"{name}_uq" if len(cols) > 1 else None) for cols in spec.unique]
        table = Table(name, metadata, *columns, *constraints)
        for index, cols in spec.indexes:
            Index(index, *(table.c[c] for c in cols))
    return metadata
