"""The schema API the model uses, and the generated option tables."""

from __future__ import annotations

import filecmp
import json
import os

import pytest

from pjsipconf.schema import DATA_DIR, UnknownOption, available_versions, load_schema
from pjsipconf.schema.generate import DEFAULT_OVERRIDES, GenerateError, generate, main
from tests.conftest import ROOT
from tests.schema.helpers import SCHEMA, build

# The reference facts the option tables are generated from, kept in the repository.
REFERENCE = str(ROOT / "fixtures" / "reference" / "pjsip_options.json")
COLUMNS = str(ROOT / "fixtures" / "reference" / "ASTERISK.md")
ALL_TYPES = {"endpoint", "aor", "auth", "transport", "identify", "registration", "domain_alias", "acl", "global", "system",
             "contact", "phoneprov", "outbound-publish", "inbound-publication", "resource_list", "asterisk-publication",
             "subscription_persistence"}


def test_load_schema_cached_per_version() -> None:
    assert load_schema("22") is load_schema("22")
    assert (SCHEMA.version, SCHEMA.asterisk_version) == ("22", "22.10.1")
    assert load_schema("23").asterisk_version == "23.4.1"
    assert available_versions() == ["22", "23"]
    with pytest.raises(ValueError, match="no option table"):
        load_schema("99")


def test_all_types_and_default_wizards() -> None:
    assert set(SCHEMA.types) == ALL_TYPES
    assert SCHEMA.type_of("endpoint").default_wizard == ("config", "pjsip.conf,criteria=type=endpoint")  # type: ignore[union-attr]
    assert SCHEMA.types["contact"].default_wizard == ("astdb", "registrar")
    assert "single_object=yes" in SCHEMA.types["global"].default_wizard[1]
    assert SCHEMA.type_of("Endpoint") is None


def test_option_lookup() -> None:
    endpoint = SCHEMA.types["endpoint"]
    assert endpoint.option("ALLOW").name == "allow"  # type: ignore[union-attr]
    disallow = endpoint.option("disallow")
    assert disallow is not None and disallow.alias_of == "allow" and not disallow.rendered
    assert endpoint.option("@anything").name == "@"  # type: ignore[union-attr]
    assert endpoint.option("max_contacts") is None
    assert SCHEMA.types["phoneprov"].option("LINEKEYS").name == "^"  # type: ignore[union-attr]
    assert SCHEMA.types["inbound-publication"].option("event_presence").name == "^event_"  # type: ignore[union-attr]
    assert SCHEMA.types["inbound-publication"].option("presence") is None
    md5 = SCHEMA.types["auth"].option("md5_cred")
    assert md5 is not None and md5.deprecated and md5.replaced_by == "password_digest"
    names = endpoint.option_names()
    assert "allow" in names and "type" not in names and names == sorted(names)


def test_apply_returns_the_changed_field() -> None:
    endpoint = SCHEMA.types["endpoint"]
    state = endpoint.new_state()
    assert endpoint.apply(state, "Disallow", "all") == "allow"
    assert endpoint.apply(state, "permit", "10.0.0.0/8") == "acl"
    assert endpoint.apply(state, "type", "endpoint") == "type"
    assert SCHEMA.types["phoneprov"].apply({}, "MAC", "00") == "MAC"
    with pytest.raises(UnknownOption):
        endpoint.apply(state, "colour", "blue")


def test_states_are_immutable_values() -> None:
    for type_schema in SCHEMA.types.values():
        for name, value in type_schema.new_state().items():
            hash(value)  # raises for lists/dicts: every state value must be safe to share


def test_diff_and_render_agree() -> None:
    endpoint = SCHEMA.types["endpoint"]
    state = build("endpoint", ("allow", "ulaw"), ("set_var", "A=1"), ("context", "default"), ("callerid", "Bob <1>"))
    diff = endpoint.diff(state)
    assert set(diff) == {"allow", "set_var", "callerid"}
    assert endpoint.render(diff) == endpoint.render(state)
    assert [name for name, _ in endpoint.render(diff)] == sorted(name for name, _ in endpoint.render(diff))


def test_apply_works_on_diff_states() -> None:
    endpoint = SCHEMA.types["endpoint"]
    diff: dict = {}
    endpoint.apply(diff, "allow", "ulaw")
    endpoint.apply(diff, "allow", "alaw")
    assert dict(endpoint.render(diff))["allow"] == "(ulaw|alaw)"


@pytest.mark.parametrize("type_name", sorted(ALL_TYPES))
def test_fresh_objects_render_the_tables_rendered_defaults(type_name: str) -> None:
    type_schema = SCHEMA.types[type_name]
    printed = dict(type_schema.render(type_schema.new_state()))
    for spec in type_schema.options:
        if spec.rendered and not spec.regex:
            assert printed.get(spec.name) == spec.rendered_default, spec.name


def test_packaged_tables_are_what_the_generator_writes(tmp_path) -> None:
    written = generate(REFERENCE, str(tmp_path), columns_path=COLUMNS)
    for path in written:
        assert filecmp.cmp(path, os.path.join(DATA_DIR, os.path.basename(path)), shallow=False), path


def test_generator_refuses_an_option_without_a_kind(tmp_path) -> None:
    overrides = json.load(open(DEFAULT_OVERRIDES, encoding="utf-8"))
    del overrides["handlers"]["dtmf_handler"]
    bad = tmp_path / "overrides.json"
    bad.write_text(json.dumps(overrides))
    with pytest.raises(GenerateError, match="endpoint/dtmf_mode"):
        generate(REFERENCE, str(tmp_path / "out"), str(bad))
    assert main([REFERENCE, str(tmp_path / "out"), "--overrides", str(bad)]) == 1
    assert main(["/nonexistent.json", str(tmp_path / "out")]) == 1


def test_realtime_tables_and_column_types() -> None:
    endpoint = SCHEMA.types["endpoint"]
    assert endpoint.realtime_table == "ps_endpoints"
    assert SCHEMA.types["acl"].realtime_table is None
    assert endpoint.option("context").db_column == "VARCHAR(40)"  # type: ignore[union-attr]
    assert endpoint.option("type").db_column is None  # type: ignore[union-attr]


def test_apply_accepts_a_plain_list_for_warnings() -> None:
    logged: list[str] = []
    SCHEMA.types["endpoint"].apply({}, "call_group", "64", logged, object_id="e")
    assert logged == ["channel.c: Ignoring invalid group 64 (maximum group is 63)"]


def test_finish_context_reads_loaded_objects() -> None:
    from pjsipconf.schema import FinishContext

    glob = SCHEMA.types["global"]
    state = glob.new_state()
    glob.apply(state, "default_auth_algorithms_uac", "SHA-256")

    class Loaded:  # what the model passes: objects with .state (a diff) and .schema
        def __init__(self, diff: dict) -> None:
            self.state, self.schema = diff, glob

    context = FinishContext(loaded={"global": {"global": Loaded(glob.diff(state))}, "transport": {}})
    assert (context.auth_algorithms("uas"), context.auth_algorithms("uac")) == ("MD5", "SHA-256")
    assert context.transports() == {}
    assert FinishContext().transports() is None and FinishContext().auth_algorithms("uac") == "MD5"
    assert FinishContext(file_exists=lambda path: True).readable("/nowhere")
