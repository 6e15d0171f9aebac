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


def make_database(backend: str, tmp_path: Path) -> Iterator[Db]:
    name = f"pjsipconf_t_{uuid.uuid4().hex[:12]}"
    if backend == "sqlite":
        yield Db(backend, f"sqlite:///{tmp_path / (name + '.sqlite3')}", name)
        return
    url = _create_database(backend, name)
    try:
        yield Db(backend, url, name)
    finally:
        _drop_database(backend, name)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    """One empty database per backend (the same test body runs on each)."""
    yield from make_database(request.param, tmp_path)


@pytest.fixture(params=("postgresql", "mariadb"))
def server_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    yield from make_database(request.param, tmp_path)
