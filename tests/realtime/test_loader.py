"""Rows -> raw objects on SQLite, PostgreSQL and MariaDB, through Asterisk's own config files."""

from __future__ import annotations

from pathlib import Path

from pjsipconf.schema import load_schema
from pjsipconf.sources.realtime import RealtimeLoader
from pjsipconf.sources.sorcery import parse_wizard
from tests.realtime.conftest import Db
from tests.realtime.helpers import create_table, load, realtime_config_dir, variables

COLUMNS = ("id", "disallow", "allow", "context", "external_media_address", "set_var", "callerid")
ROWS = (
    ("split", "all", "ulaw;alaw", "ctx", None, "A=1^3Bx", " padded ; "),
    ("nulls", None, None, None, None, None, None),
    ("empty", None, None, "", None, None, None),
    ("legacy", None, None, "legacy", "198.51.100.9", None, None),
)


def _load_endpoints(database: Db, tmp_path: Path):
    create_table(database, "ps_endpoints", COLUMNS, ROWS, text_columns=("set_var",))
    config_dir = realtime_config_dir(tmp_path / "etc", database, ["ps_endpoints"])
    return load(config_dir, "endpoint", "ps_endpoints")


def test_rows_become_objects_as_the_driver_delivers_them(database: Db, tmp_path: Path) -> None:
    result = _load_endpoints(database, tmp_path)
    assert result.source.ok, result.source.error
    got = variables(result)
    assert list(got) == ["split", "nulls", "empty", "legacy"]  # table order; ids from the id column
    # disallow is an alias, not a field of endpoint: res_sorcery_realtime drops the column
    if database.driver == "sqlite3":  # never splits, never decodes
        assert got["split"] == [("allow", "ulaw;alaw"), ("context", "ctx"), ("set_var", "A=1^3Bx"),
                                ("callerid", " padded ; ")]
    else:  # one variable per ";" chunk, trailing blanks trimmed (pgsql, mysql multi) and ^3B decoded
        assert got["split"][:3] == [("allow", "ulaw"), ("allow", "alaw"), ("context", "ctx")]
        assert got["split"][3] == ("set_var", "A=1;x")
        # res_config_mysql's lookup by id does not trim: " " survives as '' (the generic filter);
        # res_config_pgsql trims trailing blanks only.
        mysql = [("callerid", " padded "), ("callerid", "")]
        expected_callerid = mysql if database.driver == "mysql" else [("callerid", " padded")]
        assert got["split"][4:] == expected_callerid
    assert got["nulls"] == []  # NULL: not set, the default applies
    # '' is dropped by a lookup by id, except res_config_mysql which sends it as " " (kept as '').
    assert got["empty"] == ([("context", "")] if database.driver == "mysql" else [])
    assert got["legacy"] == [("context", "legacy")]  # not an endpoint option: dropped silently


def test_variables_carry_table_row_and_database(database: Db, tmp_path: Path) -> None:
    result = _load_endpoints(database, tmp_path)
    obj = result.objects[0]
    var = obj.variables[0]
    assert (obj.type, obj.line, obj.source.kind, obj.source.name) == ("endpoint", 0, "realtime", "ps_endpoints")
    assert (var.line, var.logged_line, var.section) == (0, 0, "split")
    assert var.source.detail.startswith("asterisk (") and "password" not in var.source.detail
    assert result.source.name == "ps_endpoints" and result.source.detail == var.source.detail


def test_ignored_columns_with_data_are_reported_as_info(database: Db, tmp_path: Path) -> None:
    result = _load_endpoints(database, tmp_path)
    infos = [p for p in result.problems if p.code == "realtime-ignored-column"]
    assert [p.severity for p in infos] == ["info", "info"]
    assert "disallow is an alias of allow" in infos[0].message and "'split'" in infos[0].message
    assert "external_media_address" in infos[1].message and "'legacy'" in infos[1].message


def test_multirow_differences_are_warnings(database: Db, tmp_path: Path) -> None:
    result = _load_endpoints(database, tmp_path)
    codes = {p.code: p for p in result.problems}
    if database.driver == "sqlite3":
        # NULL allow comes back as '' in multi-row lookups: rows 'nulls', 'empty', 'legacy' are not listable.
        message = codes["realtime-multirow-null"].message
        assert "row 'nulls' (allow)" in message and "row 'empty' (allow)" in message and "'split'" not in message
    else:
        assert "realtime-multirow-null" not in codes
    assert "realtime-empty-string" not in codes  # '' context is accepted even where it is kept


def test_column_order_is_table_order(database: Db, tmp_path: Path) -> None:
    create_table(database, "ps_endpoints", ("id", "context", "allow"), [("o", "c", "ulaw")])
    config_dir = realtime_config_dir(tmp_path / "etc", database, ["ps_endpoints"])
    assert variables(load(config_dir, "endpoint", "ps_endpoints"))["o"] == [("context", "c"), ("allow", "ulaw")]


def test_duplicate_and_missing_ids(database: Db, tmp_path: Path) -> None:
    create_table(database, "ps_aors", ("id", "max_contacts"), [("a", "1"), ("a", "2"), (None, "3"), ("", "4")])
    config_dir = realtime_config_dir(tmp_path / "etc", database, ["ps_aors"])
    result = load(config_dir, "aor", "ps_aors")
    assert variables(result) == {"a": [("max_contacts", "1")]}
    codes = {p.code for p in result.problems}
    assert {"realtime-duplicate-id", "realtime-row-without-id"} <= codes


def test_extconfig_table_name_and_case_insensitive_family(database: Db, tmp_path: Path) -> None:
    create_table(database, "my_aors", ("id", "max_contacts"), [("x", "5")])
    config_dir = realtime_config_dir(tmp_path / "etc", database, [])
    (config_dir / "extconfig.conf").write_text(f"[settings]\nPS_AORS => {database.driver},asterisk,my_aors\n")
    result = load(config_dir, "aor", "ps_aors")
    assert result.source.name == "my_aors" and variables(result) == {"x": [("max_contacts", "5")]}


def test_unqualified_fetch_refused_leaves_rows_out_of_lists(database: Db, tmp_path: Path) -> None:
    create_table(database, "ps_aors", ("id", "max_contacts"), [("a", "1")])
    config_dir = realtime_config_dir(tmp_path / "etc", database, ["ps_aors"])
    loader = RealtimeLoader(str(config_dir), schema=load_schema("22"))
    try:
        cases = (("no", False), ("ERROR", False), ("warn", True), ("", True), ("no,allow_unqualified_fetch=yes", True))
        for options, listed in cases:
            wizard = parse_wizard("realtime", f"ps_aors,allow_unqualified_fetch={options}", caching=False, families=None)
            result = loader.load("aor", wizard)
            assert [(o.id, o.listed) for o in result.objects] == [("a", listed)], options
    finally:
        loader.close()


def test_a_refused_pjsip_conf_section_stays_refused_when_a_table_serves_its_id(database: Db, tmp_path: Path) -> None:
    # The config wizard logs its refusal when it loads; lookups then find the realtime row.
    from pjsipconf.check import run_checks
    from pjsipconf.model.build import build_snapshot

    create_table(database, "ps_endpoints", ("id", "context"), [("both", "from-db")])
    sorcery = "[res_pjsip]\nendpoint=realtime,ps_endpoints\nendpoint=config,pjsip.conf,criteria=type=endpoint\n"
    config_dir = realtime_config_dir(tmp_path / "etc", database, ["ps_endpoints"], sorcery=sorcery,
                                     pjsip="[both]\ntype=endpoint\ndtmf_mode=nope\n")
    snapshot = build_snapshot(str(config_dir))
    assert snapshot.get("endpoint", "both").rendered()["context"] == "from-db"
    assert [(r.id, r.message) for r in snapshot.rejected] == [("both", "Error parsing dtmf_mode=nope at line 3 of ")]
    (finding,) = [f for f in run_checks(snapshot) if f.rule == "L106"]
    assert finding.severity == "error" and "Asterisk refuses this endpoint 'both' and uses the one from ps_endpoints" in finding.message


def test_a_disallow_column_is_dropped_as_asterisk_drops_it(database: Db, tmp_path: Path) -> None:
    """`pjsip show endpoint` of these rows in Asterisk 22.10.1 (res_config_sqlite3): `disallow` is
    registered as an alias, so res_sorcery_realtime filters the column out before applying."""
    from pjsipconf.model.build import build_snapshot

    rows = [("a", "ulaw,!alaw", "ulaw"), ("c", "!alaw", None), ("e", "all", "!alaw,ulaw")]
    create_table(database, "ps_endpoints", ("id", "disallow", "allow"), rows)
    sorcery = "[res_pjsip]\nendpoint=realtime,ps_endpoints\n"
    config_dir = realtime_config_dir(tmp_path / "etc", database, ["ps_endpoints"], sorcery=sorcery)
    snapshot = build_snapshot(str(config_dir))
    allow = {i: obj.rendered()["allow"] for i, obj in snapshot.of_type("endpoint").items()}
    assert allow == {"a": "(ulaw)", "c": "(nothing)", "e": "(ulaw)"}
