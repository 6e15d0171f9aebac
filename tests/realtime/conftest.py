"""Real databases for the realtime tests: a fresh SQLite file, PostgreSQL and MariaDB database each.

The servers are expected at the addresses below (override with PJSIPCONF_TEST_POSTGRES /
PJSIPCONF_TEST_MARIADB, a SQLAlchemy URL of the server's admin database). A server that cannot be
reached FAILS the test that needs it, saying so: these tests are never skipped.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

SERVERS = {
    "postgresql": os.environ.get("PJSIPCONF_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
    "mariadb": os.environ.get("PJSIPCONF_TEST_MARIADB", "mysql+pymysql://root@127.0.0.1:3306/"),
}
BACKENDS = ("sqlite", "postgresql", "mariadb")
# The Asterisk realtime driver that reads each kind of database.
ASTERISK_DRIVER = {"sqlite": "sqlite3", "postgresql": "pgsql", "mariadb": "mysql"}


@dataclass(frozen=True)
class Db:
    backend: str
    url: str  # SQLAlchemy URL of the database (created for this test)
    name: str

    @property
    def driver(self) -> str:
        return ASTERISK_DRIVER[self.backend]

    def asterisk_files(self, dbname: str = "asterisk") -> dict[str, str]:
        """The driver config file Asterisk would use to reach this database, as {filename: text}."""
        url = make_url(self.url)
        if self.backend == "sqlite":
            return {"res_config_sqlite3.conf": f"[{dbname}]\ndbfile => {url.database}\nrequirements=warn\nbatch=0\n"}
        if self.backend == "postgresql":
            return {"res_pgsql.conf": f"[general]\ndbhost={url.host}\ndbport={url.port}\ndbname={url.database}\n"
                                      f"dbuser={url.username}\ndbpass={url.password or ''}\nrequirements=warn\n"}
        return {"res_config_mysql.conf": f"[{dbname}]\ndbhost={url.host}\ndbport={url.port}\ndbname={url.database}\n"
                                         f"dbuser={url.username}\ndbpass={url.password or ''}\nrequirements=warn\n"}


def _server_engine(backend: str):
    return create_engine(SERVERS[backend], isolation_level="AUTOCOMMIT")


def _create_database(backend: str, name: str) -> str:
    engine = _server_engine(backend)
    try:
        with engine.connect() as connection:
            charset = "" if backend == "postgresql" else " CHARACTER SET utf8mb4"
            connection.execute(text(f"CREATE DATABASE {name}{charset}"))
    except SQLAlchemyError as exc:
        pytest.fail(f"{backend} server at {make_url(SERVERS[backend]).render_as_string(hide_password=True)} "
                    f"is not reachable (these tests need it): {str(exc).splitlines()[0]}")
    finally:
        engine.dispose()
    return make_url(SERVERS[backend]).set(database=name).render_as_string(hide_password=False)


def _drop_database(backend: str, name: str) -> None:
    engine = _server_engine(backend)
    force = " WITH (FORCE)" if backend == "postgresql" else ""
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}{force}"))
    engine.dispose()


def _empty_database(backend: str, url: str) -> None:
    """Drop everything a test created (tables, PostgreSQL enum types) so the next test starts empty."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if backend == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            for (table_name,) in connection.execute(text("SHOW TABLES")).all():
                connection.execute(text(f"DROP TABLE `{table_name}`"))
    engine.dispose()


@pytest.fixture(scope="session")
def server_databases() -> Iterator[dict[str, Db]]:
    """One scratch database per server for the whole session (created lazily, dropped at the end)."""
    created: dict[str, Db] = {}

    yield created
    for backend, db in created.items():
        _drop_database(backend, db.name)


def make_database(backend: str, tmp_path: Path, pool: dict[str, Db]) -> Iterator[Db]:
    """An empty database of `backend` for one test."""
    if backend == "sqlite":
        yield Db(backend, f"sqlite:///{tmp_path / 'realtime.sqlite3'}", "realtime")
        return
    if backend not in pool:
        name = f"pjsipconf_t_{uuid.uuid4().hex[:12]}"
        pool[backend] = Db(backend, _create_database(backend, name), name)
    try:
        yield pool[backend]
    finally:
        _empty_database(backend, pool[backend].url)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path, server_databases: dict[str, Db]) -> Iterator[Db]:
    """One empty database per backend (the same test body runs on each)."""
    yield from make_database(request.param, tmp_path, server_databases)


@pytest.fixture(params=("postgresql", "mariadb"))
def server_database(request: pytest.FixtureRequest, tmp_path: Path, server_databases: dict[str, Db]) -> Iterator[Db]:
    yield from make_database(request.param, tmp_path, server_databases)
