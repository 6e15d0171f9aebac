"""The realtime golden cases: objects equal Asterisk's, from SQLite as recorded and, loaded with
`realtime import`, from PostgreSQL and MariaDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from pjsipconf.model.build import build_snapshot
from pjsipconf.model.views import asterisk_view
from pjsipconf.schema import load_schema
from pjsipconf.sources.realtime import RealtimeLoader
from pjsipconf.sources.realtime.importer import import_config
from pjsipconf.sources.sorcery import read_sorcery
from pjsipconf.sources.types import RawObject
from tests.conftest import golden_cases, is_realtime_case, load_expected, materialize_case
from tests.realtime.conftest import Db
from tests.realtime.helpers import realtime_config_dir

CASES = [case for case in golden_cases() if is_realtime_case(case)]
SCHEMA = load_schema("22")


def _objects(config_dir: Path) -> dict:
    return asterisk_view(build_snapshot(str(config_dir)))["objects"]


@pytest.mark.parametrize("case", CASES)
def test_sqlite_case_equals_asterisk(case: str, tmp_path: Path) -> None:
    assert _objects(materialize_case(case, tmp_path)) == load_expected(case)["objects"]


def test_sqlite_null_columns_are_reported_for_lists(tmp_path: Path) -> None:
    snapshot = build_snapshot(str(materialize_case("v40_realtime_all_three", tmp_path)))
    warnings = {p.source.name: p.message for p in snapshot.warnings if p.code == "realtime-multirow-null"}
    assert "row 'rt100' (connected_line_method)" in warnings["ps_endpoints"]
    assert "row 'rt101' (allow)" in warnings["ps_endpoints"]
    assert "row 'rt100' (default_expiration)" in warnings["ps_aors"]
    assert all(source.ok for source in snapshot.sources)


def _realtime_rows(case_dir: Path) -> list[RawObject]:
    """The rows of the case's SQLite tables, as raw objects of the types sorcery.conf maps to them."""
    mapping, _ = read_sorcery(str(case_dir), SCHEMA)
    loader = RealtimeLoader(str(case_dir), schema=SCHEMA)
    try:
        return [obj for type_name, wizards in mapping.wizards.items() for w in wizards if w.kind == "realtime"
                for obj in loader.load(type_name, w).objects]
    finally:
        loader.close()


def _as_pjsip_conf(objects: list[RawObject]) -> str:
    sections = []
    for obj in objects:
        lines = [f"[{obj.id}]", f"type={obj.type}"] + [f"{v.name}={v.value.replace(';', chr(92) + ';')}" for v in obj.variables]
        sections.append("\n".join(lines))
    return "\n\n".join(sections) + "\n"


@pytest.mark.parametrize("case", CASES)
def test_same_objects_imported_into_a_server(case: str, server_database: Db, tmp_path: Path) -> None:
    case_dir = materialize_case(case, tmp_path / "case")
    rows = _realtime_rows(case_dir)
    import_dir = tmp_path / "import"
    import_dir.mkdir()
    (import_dir / "pjsip.conf").write_text(_as_pjsip_conf(rows))
    report = import_config(str(import_dir), server_database.url, schema=SCHEMA)
    shown = load_expected(case)["objects"]
    # Only rows Asterisk did not show may be refused (rt103-bad's dtmf_mode=bogus fits no enum column).
    assert all(n.id not in shown.get(n.type, {}) for n in report.notes)
    families = sorted({m for m in ("ps_endpoints", "ps_aors", "ps_auths") if m in (case_dir / "extconfig.conf").read_text()})
    served = realtime_config_dir(tmp_path / "served", server_database, families,
                                 sorcery=(case_dir / "sorcery.conf").read_text(), pjsip=(case_dir / "pjsip.conf").read_text())
    assert _objects(served) == load_expected(case)["objects"]
