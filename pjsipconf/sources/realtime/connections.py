"""Where a realtime database is: a SQLAlchemy URL from pjsipconf's settings, else from the driver's file.

pjsipconf's own mapping (`[realtime] <database> = <url>` in pjsipconf.ini, or `--realtime-url
NAME=URL`) wins, keyed by the database name extconfig.conf gives. Otherwise the URL is read from
the driver's config file as Asterisk reads it:

* sqlite3: `res_config_sqlite3.conf`, the section named like the database, `dbfile` (a relative path
  is taken relative to the config directory);
* pgsql: `res_pgsql.conf` `[general]` (res_config_pgsql ignores the database name of extconfig.conf);
* mysql: `res_config_mysql.conf`, the section named like the database (the part before a `/`,
  which is the read database);
* odbc: DSNs live in res_odbc.conf/odbc.ini, which pjsipconf does not read: a URL must be given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from pjsipconf.conf.reader import Reader
from pjsipconf.conf.types import Category
from pjsipconf.sources.realtime.errors import LocateError
from pjsipconf.sources.realtime.extconfig import RealtimeMapping
from pjsipconf.sources.realtime.files import first_category, first_value, read_optional_conf

SUPPORTED_DRIVERS = ("sqlite3", "pgsql", "mysql", "odbc")
# Which SQLAlchemy dialect+DBAPI pjsipconf uses for each kind of database, and the package it needs.
DBAPI_PACKAGES = {"sqlite": "the Python standard library (sqlite3)", "postgresql": "psycopg (pip install 'pjsipconf[postgres]')",
                  "mysql": "PyMySQL (pip install 'pjsipconf[mysql]')", "mariadb": "PyMySQL (pip install 'pjsipconf[mysql]')"}
DEFAULT_DRIVERNAME = {"postgresql": "postgresql+psycopg", "mysql": "mysql+pymysql", "mariadb": "mariadb+pymysql"}


@dataclass(frozen=True, slots=True)
class Connection:
    """A located database: its URL (with password) and the text shown to people (without)."""

    url: URL
    display: str  # "<database> (<redacted url>)"
    origin: str  # where the URL came from: "pjsipconf settings", "res_config_sqlite3.conf", ...
    sqlite_file: str = ""  # res_config_sqlite3 dbfile: opened read-only, never created


def parse_url(text: str, database: str) -> URL:
    """A SQLAlchemy URL, with pjsipconf's DBAPI chosen when only the backend is named."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise LocateError(f"realtime database '{database}': '{redact(text)}' is not a database URL "
                               "(expected e.g. sqlite:////path/db.sqlite3, postgresql://user@host/db, mysql://user@host/db)") from None
    return url.set(drivername=DEFAULT_DRIVERNAME.get(url.drivername, url.drivername))


def redact(text: str) -> str:
    try:
        return make_url(text).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def locate(mapping: RealtimeMapping, config_dir: str, urls: Mapping[str, str], *, reader: Reader | None = None) -> Connection:
    """The connection Asterisk would use for this extconfig.conf mapping."""
    if mapping.database in urls:
        return _connection(parse_url(urls[mapping.database], mapping.database), mapping.database, "pjsipconf settings")
    if mapping.engine == "sqlite3":
        return _sqlite3(mapping, config_dir, reader)
    if mapping.engine == "pgsql":
        return _pgsql(mapping, config_dir, reader)
    if mapping.engine == "mysql":
        return _mysql(mapping, config_dir, reader)
    hint = f"set `{mapping.database} = <SQLAlchemy URL>` in the [realtime] section of pjsipconf.ini or pass --realtime-url {mapping.database}=URL"
    if mapping.engine == "odbc":
        raise LocateError(f"realtime database '{mapping.database}' is an ODBC connection (res_odbc.conf/odbc.ini), "
                               f"which pjsipconf does not read: {hint}")
    raise LocateError(f"realtime driver '{mapping.driver}' of database '{mapping.database}' is not supported "
                           f"(supported: {', '.join(SUPPORTED_DRIVERS)}); {hint}")


def _connection(url: URL, database: str, origin: str) -> Connection:
    return Connection(url=url, display=f"{database} ({url.render_as_string(hide_password=True)})", origin=origin)


def _driver_section(
    config_dir: str,
    filenames: str | tuple[str, ...],
    section: str,
    reader: Reader | None,
    *,
    last: bool = False,
    case_sensitive: bool = True,
) -> Category:
    """The driver's section for a database, from the first of its file names that exists;
    `last`: a repeated section replaces the earlier one."""
    names = (filenames,) if isinstance(filenames, str) else filenames
    filename, config = names[0], None
    for filename in names:
        config = read_optional_conf(config_dir, filename, reader=reader)
        if config is not None:
            break
    if config is None:
        raise LocateError(f"realtime database '{section}': {names[0]} not found in {config_dir}")
    categories = reversed(config.categories) if last else config.categories
    category = first_category(categories, section, case_sensitive=case_sensitive)
    if category is None:
        raise LocateError(f"realtime database '{section}': {filename} has no [{section}] section")
    return category


def _sqlite3(mapping: RealtimeMapping, config_dir: str, reader: Reader | None) -> Connection:
    filename = "res_config_sqlite3.conf"
    # parse_config reopens a database whose section comes again with that section's dbfile.
    section = _driver_section(config_dir, filename, mapping.database, reader, last=True)
    dbfiles = [v for v in section.variables if v.name.lower() == "dbfile"]  # the driver keeps the last one
    if not dbfiles or not dbfiles[-1].value:
        raise LocateError(f"realtime database '{mapping.database}': [{mapping.database}] in {filename} has no dbfile")
    path = os.path.join(os.path.abspath(config_dir), dbfiles[-1].value)
    return Connection(URL.create("sqlite", database=path), f"{mapping.database} ({path})", filename, sqlite_file=path)


def _pgsql(mapping: RealtimeMapping, config_dir: str, reader: Reader | None) -> Connection:
    # ast_variable_retrieve(config, "general", ...) finds the section in any case.
    section = _driver_section(config_dir, "res_pgsql.conf", "general", reader, case_sensitive=False)

    def value(*names: str, default: str = "") -> str:
        var = first_value(section, *names)
        return var.value if var is not None else default

    host = value("hostname", "dbhost")
    query = {}
    if not host:  # `host=<dbsock>` for libpq: a directory, the Unix socket's ("localhost" is TCP)
        query["host"] = value("socket", "dbsock", default="/tmp")
    url = URL.create(
        "postgresql+psycopg",
        username=value("user", "dbuser", default="asterisk"),
        password=value("password", "dbpass", default="asterisk"),
        host=host or None,
        port=_port(value("port", "dbport"), 5432),
        database=value("dbname", default="asterisk"),
        query=query,
    )
    return _connection(url, mapping.database, "res_pgsql.conf")


_MYSQL_FILES = ("res_config_mysql.conf", "res_mysql.conf")


def _mysql(mapping: RealtimeMapping, config_dir: str, reader: Reader | None) -> Connection:
    name = mapping.database.split("/", 1)[0]  # "read/write" databases: reads use the first
    # A repeated section loads again over the first (parse_config); without res_config_mysql.conf
    # the driver reads its old name, res_mysql.conf.
    section = _driver_section(config_dir, _MYSQL_FILES, name, reader, last=True)

    def value(key: str, default: str = "") -> str:
        var = first_value(section, key)
        return var.value if var is not None else default

    host = value("dbhost")
    query = {"unix_socket": value("dbsock")} if not host and value("dbsock") else {}
    if value("dbcharset"):
        query["charset"] = value("dbcharset")
    url = URL.create(
        "mysql+pymysql",
        username=value("dbuser", "asterisk"),
        password=value("dbpass", "asterisk"),
        host=host or "localhost",
        port=_port(value("dbport"), 3306),
        database=value("dbname", "asterisk"),
        query=query,
    )
    return _connection(url, mapping.database, section.source.name)


def _port(text: str, default: int) -> int:
    return int(text) if text.strip().isdigit() else default
