"""Opening realtime databases with SQLAlchemy and streaming one table, with errors a person can act on."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from sqlalchemy import create_engine, select, table, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from pjsipconf.sources.realtime.connections import DBAPI_PACKAGES, Connection
from pjsipconf.sources.realtime.errors import DatabaseError, MissingTable

STREAM_BATCH = 2000
CONNECT_TIMEOUT_SECONDS = 5


def open_engine(connection: Connection) -> Engine:
    """An engine for the connection; a missing DBAPI package or a bad URL is a DatabaseError."""
    if connection.sqlite_file:
        return _sqlite_file_engine(connection.sqlite_file, connection.display)
    return engine_for_url(connection.url, connection.display)


def engine_for_url(url: URL, display: str) -> Engine:
    backend = url.get_backend_name()
    try:
        return create_engine(url, connect_args=_connect_args(backend), pool_pre_ping=False)
    except (NoSuchModuleError, ArgumentError) as exc:
        raise DatabaseError(f"realtime database {display}: unsupported database URL ({_first_line(exc)})") from None
    except ImportError as exc:
        package = DBAPI_PACKAGES.get(backend, f"the Python driver for {url.drivername}")
        raise DatabaseError(f"realtime database {display}: the Python driver '{exc.name or exc}' is not installed "
                            f"(pjsipconf's choice for {backend} is {package})") from None


def _connect_args(backend: str) -> dict[str, object]:
    if backend == "postgresql":
        return {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    if backend in ("mysql", "mariadb"):
        return {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    return {}


def _sqlite_file_engine(path: str, display: str) -> Engine:
    """res_config_sqlite3's dbfile, opened read-only so that a wrong path is an error, not a new empty file."""
    if not Path(path).is_file():
        raise DatabaseError(f"realtime database {display}: dbfile not found")
    uri = Path(path).as_uri() + "?mode=ro"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))


@contextmanager
def read_table(engine: Engine, name: str, display: str) -> Iterator[tuple[list[str], Iterator[Sequence[object]]]]:
    """`SELECT *` of one table, streamed: (column names in table order, rows). DB errors -> DatabaseError."""
    schema, _, bare = name.rpartition(".")
    if engine.dialect.name == "postgresql":
        # res_config_pgsql pastes the name into its SQL unquoted, so PostgreSQL folds it to lower case.
        schema, bare = schema.lower(), bare.lower()
    statement = select(text("*")).select_from(table(bare, schema=schema or None))
    try:
        with engine.connect() as connection:
            result = connection.execution_options(stream_results=True, yield_per=STREAM_BATCH).execute(statement)
            yield list(result.keys()), iter(result)
    except DBAPIError as exc:
        described = _describe(exc, name)
        error = MissingTable if described.startswith(f"table {name} not found") else DatabaseError
        raise error(f"realtime database {display}: {described}") from None
    except SQLAlchemyError as exc:
        raise DatabaseError(f"realtime database {display}: {_first_line(exc)}") from None


def _describe(exc: DBAPIError, name: str) -> str:
    message = _first_line(exc.orig) if exc.orig is not None else _first_line(exc)
    lowered = message.lower()
    if exc.connection_invalidated or "connect" in lowered or "connection" in lowered or "access denied" in lowered:
        return f"cannot connect ({message})"
    if "no such table" in lowered or "does not exist" in lowered or "doesn't exist" in lowered:
        return f"table {name} not found ({message})"
    return f"cannot read table {name} ({message})"


def _first_line(exc: BaseException | object) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0].strip() if lines else type(exc).__name__
