"""Every golden object built by the schema alone must render exactly as Asterisk printed it, and
every object Asterisk refused must be refused.

Objects whose verdict depends on context outside one object (a duplicate id dropping the whole
type, a whole-file failure) are left out here, each for the reason `_model_decides` gives; the
model's golden tests (tests/model) cover them."""

from __future__ import annotations

import os

import pytest

from pjsipconf.schema import load_schema
from tests.schema.golden_build import GOLDEN_DIR, build_case, golden_cases, is_realtime, read_case

SCHEMA = load_schema("22")


def _model_decides(expected: dict, built_type: str, built_id: str) -> str | None:
    for entry in expected["not_loaded"]:
        if entry["type"] == "*":
            return "whole-file failure: the config parser, not the schema, decides that nothing loads"
        if entry["type"] == built_type and entry["id"] == built_id and entry["reason"] and "duplicate object" in entry["reason"]:
            return "duplicate id in one type drops the whole type: a cross-object rule of the model"
    for entry in expected["not_loaded"]:
        if entry["type"] == built_type and "duplicate" in (entry.get("reason") or ""):
            return "its type was dropped for a duplicate id (model rule)"
    return None


def _runtime_contacts(expected: dict, built_type: str, built_id: str) -> bool:
    """aor `contact` also lists contacts registered at runtime (v30): not config."""
    return built_type == "aor" and any(c["aor"] == built_id and c["kind"] == "dynamic" for c in expected.get("contacts", []))


def _cases() -> list[tuple[str, str, str]]:
    params = []
    for case in golden_cases():
        expected, categories = read_case(case)
        for built in build_case(SCHEMA, categories):
            if _model_decides(expected, built.type, built.id) is None:
                params.append((case, built.type, built.id))
    return params


CASES = _cases()


@pytest.fixture(scope="module")
def builds() -> dict[str, tuple[dict, dict]]:
    out = {}
    for case in golden_cases():
        expected, categories = read_case(case)
        out[case] = (expected, {(b.type, b.id): b for b in build_case(SCHEMA, categories)})
    return out


@pytest.mark.parametrize("case,type_name,object_id", CASES, ids=[f"{c}:{t}:{i}" for c, t, i in CASES])
def test_golden_object(builds: dict, case: str, type_name: str, object_id: str) -> None:
    expected, built_objects = builds[case]
    built = built_objects[(type_name, object_id)]
    refused = {(e["type"], e["id"]) for e in expected["not_loaded"]}
    if (type_name, object_id) in refused:
        assert built.refused, f"Asterisk refused {type_name} {object_id} but the schema built it"
        return
    assert not built.refused, f"Asterisk loaded {type_name} {object_id}; schema refused it: {built.reason}"
    want = dict(expected["objects"][type_name][object_id])
    got = dict(built.rendered)
    if _runtime_contacts(expected, type_name, object_id):
        want.pop("contact"), got.pop("contact")
    assert got == want


def test_every_golden_object_is_checked() -> None:
    """Each expected object and refusal of the non-realtime cases corresponds to a built object."""
    for case in golden_cases():
        expected, categories = read_case(case)
        built = {(b.type, b.id) for b in build_case(SCHEMA, categories)}
        for type_name, objects in expected["objects"].items():
            for object_id in objects:
                assert (type_name, object_id) in built, f"{case}: {type_name} {object_id} not built"
        for entry in expected["not_loaded"]:
            if entry["type"] != "*":
                assert (entry["type"], entry["id"]) in built, f"{case}: refused {entry['type']} {entry['id']} not built"


# Log lines the schema cannot produce: the sorcery/config_options wrappers the model writes
# around a refusal, config-file syntax messages, and checks across objects.
_NOT_SCHEMA_MODULES = {"config.c", "res_sorcery_config.c", "config_options.c", "res_sorcery_realtime.c"}
_CROSS_OBJECT = ("contained invalid transport", "contained invalid endpoint", "contained invalid auth",
                 "At most one pjsip.conf type=global")


@pytest.mark.parametrize("case", golden_cases())
def test_golden_log_lines(case: str) -> None:
    """What the schema logs for a case is exactly what Asterisk logged from option handlers and
    apply handlers (same level, module, text and count)."""
    expected, categories = read_case(case)
    ours = sorted((log.level, log.module, log.message) for built in build_case(SCHEMA, categories) for log in built.logs)
    theirs = sorted(
        (p["level"], p["module"], p["message"])
        for p in expected["problems"]
        if p["module"] not in _NOT_SCHEMA_MODULES and not any(text in p["message"] for text in _CROSS_OBJECT)
    )
    assert ours == theirs


REALTIME_CASES = sorted(name for name in os.listdir(GOLDEN_DIR) if is_realtime(GOLDEN_DIR, name))
REALTIME_TABLES = (("endpoint", "ps_endpoints"), ("auth", "ps_auths"), ("aor", "ps_aors"))


def _sqlite_file(input_dir: str) -> str:
    """The database res_config_sqlite3.conf names (`dbfile =`), relative paths in the input dir."""
    with open(os.path.join(input_dir, "res_config_sqlite3.conf"), encoding="utf-8") as handle:
        names = [line.split("=", 1)[1].lstrip(">").strip() for line in handle if line.strip().startswith("dbfile")]
    return os.path.join(input_dir, os.path.basename(names[0]))


def _realtime_rows(case: str) -> list[tuple[str, dict]]:
    import sqlite3

    db = sqlite3.connect(_sqlite_file(os.path.join(GOLDEN_DIR, case, "input")))
    db.row_factory = sqlite3.Row
    tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
    rows = [(type_name, dict(row)) for type_name, table in REALTIME_TABLES if table in tables
            for row in db.execute(f"select * from {table}")]
    db.close()
    return rows


@pytest.mark.parametrize("case", REALTIME_CASES)
def test_realtime_rows_single_lookup(case: str) -> None:
    """`pjsip show <type> <id>` of a realtime row: NULL and empty columns are dropped, unknown
    columns (legacy external_media_address) filtered, the rest applied in column order."""
    from pjsipconf.schema import ApplyContext, FinishContext, InvalidValue
    from tests.schema.golden_build import group

    expected, _categories = read_case(case)
    for type_name, row in _realtime_rows(case):
        type_schema = SCHEMA.types[type_name]
        state, refused = type_schema.new_state(), False
        for column, cell in row.items():
            if column == "id" or cell in (None, "") or type_schema.option(column) is None:
                continue
            try:
                type_schema.apply(state, column, str(cell), ApplyContext(object_id=row["id"]))
            except InvalidValue:
                refused = True
                break
        want = expected["objects"].get(type_name, {}).get(row["id"])
        if refused or type_schema.finish(state, row["id"], FinishContext()).refused:
            assert want is None, f"{type_name} {row['id']} refused but Asterisk showed it"
            continue
        assert group(type_schema.render(type_schema.diff(state))) == want
