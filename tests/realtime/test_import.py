"""`realtime import` then reading the tables back gives the objects pjsip.conf gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from pjsipconf.model.build import build_snapshot
from pjsipconf.model.views import asterisk_view
from pjsipconf.schema import load_schema
from pjsipconf.sources.realtime.importer import ImportError_, create_tables, import_config, negated_codecs
from pjsipconf.sources.realtime.tables import realtime_schema
from pjsipconf.sources.sorcery import SECTION_OF_TYPE
from tests.conftest import materialize_case
from tests.realtime.conftest import Db
from tests.realtime.helpers import realtime_config_dir, write_files

SCHEMA = load_schema("22")
TYPES = {"endpoint": "ps_endpoints", "aor": "ps_aors", "auth": "ps_auths", "identify": "ps_endpoint_id_ips",
         "domain_alias": "ps_domain_aliases", "registration": "ps_registrations", "transport": "ps_transports"}
# Each type in its module's section (another module's type in [res_pjsip] makes that module decline).
SORCERY = "".join(f"[{section}]\n" + "".join(f"{t}=realtime,{table}\n" for t, table in TYPES.items()
                                             if SECTION_OF_TYPE[t] == section)
                  for section in dict.fromkeys(SECTION_OF_TYPE[t] for t in TYPES))


def _read_back(database: Db, tmp_path: Path) -> dict:
    served = realtime_config_dir(tmp_path / "served", database, TYPES.values(), sorcery=SORCERY)
    return asterisk_view(build_snapshot(str(served)))["objects"]


@pytest.mark.parametrize("case", ["v02_templates", "v06_shared_name_trio", "v14_identify_reg_misc", "v16_bool_spellings"])
def test_import_reads_back_identically(case: str, database: Db, tmp_path: Path) -> None:
    source = materialize_case(case, tmp_path / "case")
    report = import_config(str(source), database.url, schema=SCHEMA)
    assert report.notes == () and report.driver == database.driver
    want = {t: objs for t, objs in asterisk_view(build_snapshot(str(source)))["objects"].items() if t in TYPES}
    assert _read_back(database, tmp_path) == want


def test_what_a_table_cannot_hold_is_reported(database: Db, tmp_path: Path) -> None:
    source = write_files(tmp_path / "src", {"pjsip.conf": (
        "[order]\ntype=endpoint\nallow=ulaw\ndisallow=all\nallow=alaw,gsm\ndisallow=!g722,gsm\n"
        "[same]\ntype=endpoint\ndisallow=all\nallow=ulaw\nallow=alaw\ncontext=a\\;b\n"
        "[typo]\ntype=endpoint\ncolour=red\n"
        "[ws]\ntype=transport\nprotocol=ws\nbind=127.0.0.1:8088\nwebsocket_write_timeout=50\n"
        "[dup]\ntype=aor\n[dup]\ntype=aor\n")})
    report = import_config(str(source), database.url, schema=SCHEMA)
    notes = {(n.type, n.id): n for n in report.notes}
    assert notes[("transport", "ws")].status == "differs" and "websocket_write_timeout" in notes[("transport", "ws")].reason
    assert notes[("endpoint", "typo")].status == "skipped" and "colour" in notes[("endpoint", "typo")].reason
    assert notes[("aor", "dup")].status == "skipped"
    # several allow lines and a ';' in a value survive; realtime drops a disallow column, so
    # disallow lines are written into allow, negated and in order
    assert ("endpoint", "same") not in notes and ("endpoint", "order") not in notes
    assert report.written == {"ps_endpoints": 2, "ps_transports": 1}
    got = _read_back(database, tmp_path)["endpoint"]
    assert got["same"]["allow"] == "(ulaw|alaw)" and got["same"]["context"] == "a;b"
    assert got["order"]["allow"] == "(alaw|g722)"


def test_disallow_lines_become_negated_allow_entries() -> None:
    assert negated_codecs("all") == "!all" and negated_codecs("!g722, gsm") == "g722,!gsm"
    assert negated_codecs("(ulaw|alaw)") == "all,!ulaw,!alaw"  # a list as Asterisk prints it


def test_import_replaces_rows_of_the_same_id(database: Db, tmp_path: Path) -> None:
    source = write_files(tmp_path / "src", {"pjsip.conf": "[r]\ntype=aor\nmax_contacts=1\n"})
    import_config(str(source), database.url, schema=SCHEMA)
    (source / "pjsip.conf").write_text("[r]\ntype=aor\nmax_contacts=2\n")
    assert import_config(str(source), database.url, schema=SCHEMA).written == {"ps_aors": 1}
    assert _read_back(database, tmp_path)["aor"]["r"]["max_contacts"] == "2"


def test_init_creates_the_alembic_tables(database: Db) -> None:
    assert create_tables(database.url, ["ps_aors"]) == ["ps_aors"]
    assert len(create_tables(database.url)) == len(realtime_schema().tables) - 1  # existing ones are kept
    engine = create_engine(database.url)
    inspector = inspect(engine)
    columns = [c["name"] for c in inspector.get_columns("ps_endpoints")]
    engine.dispose()
    assert columns == [c.name for c in realtime_schema().tables["ps_endpoints"].columns]
    assert columns.index("disallow") < columns.index("allow") and len(columns) == 147


def test_import_errors_are_messages(tmp_path: Path) -> None:
    with pytest.raises(ImportError_, match="file not found"):
        import_config(str(tmp_path), f"sqlite:///{tmp_path / 'x.db'}", schema=SCHEMA)
    write_files(tmp_path, {"pjsip.conf": "#include missing.conf\n"})
    with pytest.raises(ImportError_, match="reject the whole file"):
        import_config(str(tmp_path), f"sqlite:///{tmp_path / 'x.db'}", schema=SCHEMA)
    with pytest.raises(ImportError_, match="cannot connect|Connection refused|connect"):
        write_files(tmp_path, {"pjsip.conf": "[a]\ntype=aor\n"})
        import_config(str(tmp_path), "postgresql://u:secret@127.0.0.1:1/db", schema=SCHEMA)


def test_odbc_database_located_by_the_settings_file(database: Db, tmp_path: Path) -> None:
    from pjsipconf.settings import load_settings

    source = write_files(tmp_path / "src", {"pjsip.conf": "[o1]\ntype=aor\nmax_contacts=4\n"})
    import_config(str(source), database.url, schema=SCHEMA, driver="odbc")
    served = write_files(tmp_path / "served", {
        "pjsip.conf": "", "sorcery.conf": "[res_pjsip]\naor=realtime,ps_aors\n",
        "extconfig.conf": "[settings]\nps_aors => odbc,asterisk\n",
        "pjsipconf.ini": f"[realtime]\nasterisk = {database.url}\n"})
    snapshot = build_snapshot(str(served), settings=load_settings(config_dir=str(served)))
    assert asterisk_view(snapshot)["objects"]["aor"]["o1"]["max_contacts"] == "4"
    assert [s.detail.split(" (")[0] for s in snapshot.sources if s.kind == "realtime"] == ["asterisk"]
