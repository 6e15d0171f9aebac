"""extconfig.conf [settings]: driver, database, table, priority as main/config.c splits them."""

from __future__ import annotations

from pathlib import Path

from pjsipconf.sources.realtime.extconfig import read_extconfig
from tests.realtime.helpers import write_files


def _read(tmp_path: Path, text: str):
    return read_extconfig(str(write_files(tmp_path, {"extconfig.conf": text})))


def test_fields_defaults_and_quoting(tmp_path: Path) -> None:
    ext = _read(tmp_path, '[settings]\nps_endpoints => odbc,asterisk\nps_aors = pgsql,"db,with,commas",aors_tbl\n'
                          'ps_auths => mysql,"quoted" ,auth_tbl,1\n')
    (endpoints,), (aors,), (auths,) = ext.chain("ps_endpoints"), ext.chain("PS_AORS"), ext.chain("ps_auths")
    assert (endpoints.driver, endpoints.database, endpoints.table, endpoints.priority) == ("odbc", "asterisk", "ps_endpoints", 1)
    assert (aors.driver, aors.database, aors.table) == ("pgsql", "db,with,commas", "aors_tbl")
    assert (auths.database, auths.table) == ("quoted", "auth_tbl")
    assert endpoints.source.name == "extconfig.conf" and endpoints.line == 2


def test_priorities_form_a_failover_chain_until_the_first_gap(tmp_path: Path) -> None:
    ext = _read(tmp_path, "[settings]\nps_aors => pgsql,second,,2\nps_aors => sqlite3,first\nps_aors => mysql,fourth,,4\n"
                          "ps_auths => sqlite3,only_two,,2\n")
    assert [m.database for m in ext.chain("ps_aors")] == ["first", "second"]
    assert ext.chain("ps_auths") == ()  # no priority 1: Asterisk never looks further


def test_same_family_and_priority_the_last_line_wins(tmp_path: Path) -> None:
    ext = _read(tmp_path, "[settings]\nps_aors => sqlite3,old\nps_aors => sqlite3,new,,0\nps_aors => sqlite3,x,,junk\n")
    assert [m.database for m in ext.chain("ps_aors")] == ["x"]  # 0 and junk are priority 1 (atoi)


def test_lines_asterisk_ignores(tmp_path: Path) -> None:
    ext = _read(tmp_path, "[settings]\nps_aors => sqlite3\nextconfig.conf => sqlite3,x\n[other]\nps_auths => sqlite3,x\n")
    assert ext.mappings == {}
    assert [p.message for p in ext.problems] == ["extconfig.conf: value 'sqlite3' ignored due to wrong format",
                                                 "Cannot bind 'extconfig.conf'!"]


def test_missing_file(tmp_path: Path) -> None:
    ext = read_extconfig(str(tmp_path))
    assert not ext.exists and ext.chain("ps_aors") == ()


def test_an_empty_table_part_stays_empty(tmp_path: Path) -> None:
    # strsep gives "" (not NULL) for `db,` and `db,,2`: find_engine only falls back to the family on NULL.
    ext = _read(tmp_path, "[settings]\nps_aors => sqlite3,db,\nps_auths => sqlite3,db,,2\nps_auths => SQLite3,db\n")
    assert [m.table for m in ext.chain("ps_aors")] == [""]
    assert [(m.table, m.engine) for m in ext.chain("ps_auths")] == [("ps_auths", "sqlite3"), ("", "sqlite3")]


def test_a_missing_table_part_is_the_family_as_looked_up(tmp_path: Path) -> None:
    ext = _read(tmp_path, "[settings]\nps_aors => sqlite3,db\n")
    assert [m.table for m in ext.chain("PS_AORS")] == ["PS_AORS"]
