"""A database that cannot be used is a one-line error naming it, never a traceback."""

from __future__ import annotations

from pathlib import Path

from pjsipconf.schema import load_schema
from pjsipconf.sources.realtime import RealtimeLoader
from pjsipconf.sources.types import Wizard
from tests.realtime.conftest import Db
from tests.realtime.helpers import create_table, load, realtime_config_dir, variables, write_files

SQLITE_CONF = "[asterisk]\ndbfile => {path}\n"


def _config(tmp_path: Path, extconfig: str, **files: str) -> Path:
    return write_files(tmp_path / "etc", {"extconfig.conf": "[settings]\n" + extconfig, **files})


def _error(config_dir: Path, urls: dict[str, str] | None = None, family: str = "ps_aors") -> str:
    result = load(config_dir, "aor", family, urls)
    assert not result.source.ok and result.objects == ()
    assert "\n" not in result.source.error and "Traceback" not in result.source.error
    return result.source.error


def test_family_not_in_extconfig(tmp_path: Path) -> None:
    assert "'ps_aors' is not mapped in extconfig.conf" in _error(_config(tmp_path, ""))


def test_missing_sqlite_dbfile_is_not_created(tmp_path: Path) -> None:
    config_dir = _config(tmp_path, "ps_aors => sqlite3,asterisk\n", **{"res_config_sqlite3.conf": SQLITE_CONF.format(path="no.db")})
    error = _error(config_dir)
    assert "asterisk" in error and "dbfile not found" in error and not (config_dir / "no.db").exists()


def test_missing_driver_file_and_section(tmp_path: Path) -> None:
    assert "res_config_sqlite3.conf not found" in _error(_config(tmp_path, "ps_aors => sqlite3,asterisk\n"))
    config_dir = _config(tmp_path, "ps_aors => sqlite3,other\n", **{"res_config_sqlite3.conf": SQLITE_CONF.format(path="x")})
    assert "has no [other] section" in _error(config_dir)


def test_odbc_needs_a_url_from_pjsipconf(tmp_path: Path) -> None:
    error = _error(_config(tmp_path, "ps_aors => odbc,asterisk\n"))
    assert "'asterisk' is an ODBC connection" in error and "--realtime-url asterisk=URL" in error


def test_unsupported_driver(tmp_path: Path) -> None:
    assert "driver 'ldap'" in _error(_config(tmp_path, "ps_aors => ldap,asterisk\n"))


def test_bad_url_and_missing_python_driver(tmp_path: Path) -> None:
    config_dir = _config(tmp_path, "ps_aors => odbc,asterisk\n")
    assert "is not a database URL" in _error(config_dir, {"asterisk": "not a url"})
    error = _error(config_dir, {"asterisk": "postgresql+pg8000://u:secret@127.0.0.1/db"})
    assert "'pg8000' is not installed" in error and "secret" not in error and "asterisk" in error


def test_unreachable_server_names_the_database(tmp_path: Path) -> None:
    config_dir = _config(tmp_path, "ps_aors => odbc,asterisk\n")
    for url in ("postgresql://u:secret@127.0.0.1:1/db", "mysql://u:secret@127.0.0.1:1/db"):
        error = _error(config_dir, {"asterisk": url})
        assert error.startswith("realtime database asterisk (") and "cannot connect" in error and "secret" not in error


def test_missing_table(database: Db, tmp_path: Path) -> None:
    # The database answers, without the table: Asterisk finds nothing there (an error in check).
    create_table(database, "ps_endpoints", ("id",), [("x",)])  # the database exists, ps_aors does not
    config_dir = realtime_config_dir(tmp_path / "etc", database, ["ps_aors"])
    result = load(config_dir, "aor", "ps_aors")
    assert result.source.ok and result.objects == ()
    (problem,) = result.problems
    assert (problem.code, problem.severity) == ("realtime-missing-table", "error")
    assert "table ps_aors not found" in problem.message and problem.message.endswith("Asterisk loads no aor from it")


def test_failover_to_the_next_priority(database: Db, tmp_path: Path) -> None:
    create_table(database, "ps_aors", ("id", "max_contacts"), [("fo", "2")])
    config_dir = realtime_config_dir(tmp_path / "etc", database, [])
    (config_dir / "extconfig.conf").write_text(f"[settings]\nps_aors => odbc,gone\nps_aors => {database.driver},asterisk,ps_aors,2\n")
    result = load(config_dir, "aor", "ps_aors", {"gone": "postgresql://u@127.0.0.1:1/db"})
    assert result.source.ok and variables(result) == {"fo": [("max_contacts", "2")]}


def test_settings_url_wins_over_asterisk_files(database: Db, tmp_path: Path) -> None:
    create_table(database, "ps_aors", ("id", "max_contacts"), [("u", "3")])
    config_dir = _config(tmp_path, "ps_aors => pgsql,asterisk\n")  # no res_pgsql.conf at all
    loader = RealtimeLoader(str(config_dir), urls={"asterisk": database.url}, schema=load_schema("22"))
    result = loader.load("aor", Wizard("realtime", "ps_aors"))
    loader.close()
    assert result.source.ok and [o.id for o in result.objects] == ["u"]
    assert result.objects[0].variables[0].source.detail.startswith("asterisk (")


def test_an_empty_table_name_finds_nothing(database: Db, tmp_path: Path) -> None:
    # `driver,database,` leaves the table name empty (not the family's): Asterisk queries nothing.
    create_table(database, "ps_aors", ("id",), [("x",)])
    config_dir = realtime_config_dir(tmp_path / "etc", database, ["ps_aors"])
    extconfig = config_dir / "extconfig.conf"
    extconfig.write_text(extconfig.read_text().replace("asterisk\n", "asterisk,\n"))
    result = load(config_dir, "aor", "ps_aors")
    (problem,) = result.problems
    assert result.objects == () and "empty table name" in problem.message
    assert (problem.source.name, problem.line) == ("extconfig.conf", 2)


def test_the_driver_name_is_matched_in_any_case(database: Db, tmp_path: Path) -> None:
    create_table(database, "ps_aors", ("id",), [("x",)])
    config_dir = realtime_config_dir(tmp_path / "etc", database, ["ps_aors"])
    extconfig = config_dir / "extconfig.conf"
    extconfig.write_text(extconfig.read_text().replace(f"=> {database.driver},", f"=> {database.driver.upper()},"))
    assert [obj.id for obj in load(config_dir, "aor", "ps_aors").objects] == ["x"]


def test_a_repeated_sqlite_section_takes_the_later_dbfile(tmp_path: Path) -> None:
    # res_config_sqlite3's parse_config reopens the database with the repeated section's dbfile.
    conf = SQLITE_CONF.format(path="first.db") + SQLITE_CONF.format(path="second.db")
    error = _error(_config(tmp_path, "ps_aors => sqlite3,asterisk\n", **{"res_config_sqlite3.conf": conf}))
    assert "second.db" in error and "first.db" not in error


def test_the_table_is_named_by_the_family_as_the_wizard_writes_it(database: Db, tmp_path: Path) -> None:
    # find_engine: `map->table ? map->table : family`, the family as sorcery.conf gives it.
    create_table(database, "ps_aors", ("id",), [("x",)])
    config_dir = realtime_config_dir(tmp_path / "etc", database, ["ps_aors"])
    loaded = load(config_dir, "aor", "PS_AORS")
    if database.driver == "mysql":
        assert loaded.objects == () and "PS_AORS" in loaded.problems[0].message  # MySQL table names keep their case
    else:
        # SQLite matches table names in any case; res_config_pgsql leaves the name unquoted,
        # so PostgreSQL folds it to ps_aors.
        assert [obj.id for obj in loaded.objects] == ["x"]


def test_driver_files_as_the_drivers_read_them(database: Db, tmp_path: Path) -> None:
    create_table(database, "ps_aors", ("id",), [("x",)])
    config_dir = realtime_config_dir(tmp_path / "etc", database, ["ps_aors"])
    if database.driver == "pgsql":  # [general] in any case
        conf = config_dir / "res_pgsql.conf"
        conf.write_text(conf.read_text().replace("[general]", "[GENERAL]"))
    elif database.driver == "mysql":  # the old file name, and a repeated section replaces the first
        conf = config_dir / "res_config_mysql.conf"
        conf.rename(config_dir / "res_mysql.conf")
        good = (config_dir / "res_mysql.conf").read_text()
        (config_dir / "res_mysql.conf").write_text(good.replace("dbname=", "dbname=nothere_") + good)
    assert [obj.id for obj in load(config_dir, "aor", "ps_aors").objects] == ["x"]


def test_ids_only_a_later_priority_has_are_found_by_id_but_not_listed(tmp_path: Path) -> None:
    """A lookup by id asks the next priority when the first has no such row; a list stops at the
    first database that answers."""
    import sqlite3

    config_dir = _config(
        tmp_path, "ps_aors => sqlite3,one,ps_aors,1\nps_aors => sqlite3,two,ps_aors,2\n",
        **{"res_config_sqlite3.conf": "[one]\ndbfile => one.db\n[two]\ndbfile => two.db\n"},
    )
    for name, rows in (("one", [("a", "1")]), ("two", [("a", "5"), ("b", "2")])):
        with sqlite3.connect(config_dir / f"{name}.db") as db:
            db.execute("CREATE TABLE ps_aors (id TEXT, max_contacts TEXT)")
            db.executemany("INSERT INTO ps_aors VALUES (?, ?)", rows)
    result = load(config_dir, "aor", "ps_aors")
    assert [(obj.id, obj.listed) for obj in result.objects] == [("a", True), ("b", False)]
    assert variables(result) == {"a": [("max_contacts", "1")], "b": [("max_contacts", "2")]}
