"""For every golden case, the objects pjsipconf reports equal what Asterisk 22.10.1 reported."""

from __future__ import annotations

from collections import Counter

import pytest

from pjsipconf.model.build import build_snapshot
from pjsipconf.model.views import asterisk_json, asterisk_view, dump_json
from tests.conftest import golden_cases, is_runtime_case, load_expected

CASES = golden_cases()


@pytest.mark.parametrize("case", CASES)
def test_objects_equal_asterisk(case: str, golden_input) -> None:
    expected = load_expected(case)
    snapshot = build_snapshot(str(golden_input(case)))
    got = asterisk_view(snapshot)["objects"]
    want = expected["objects"]
    if is_runtime_case(case):
        # Registered contacts show up in aor `contact` only once runtime state is merged
        # (tests/runtime covers that); compare the configuration side here.
        got.pop("aor", None), want.pop("aor", None)
    assert sorted(got) == sorted(want), "object types differ"
    for type_name in want:
        assert sorted(got[type_name]) == sorted(want[type_name]), f"{type_name} ids differ"
        for object_id, options in want[type_name].items():
            assert got[type_name][object_id] == options, f"{type_name} {object_id}"


@pytest.mark.parametrize("case", CASES)
def test_refused_objects_equal_asterisk(case: str, golden_input) -> None:
    expected = load_expected(case)
    snapshot = build_snapshot(str(golden_input(case)))
    # Asterisk's log names realtime refusals only as "at line 0 of" errors; golden `not_loaded`
    # lists the configuration file's refusals, so compare those (realtime ones are checked below).
    got = sorted((r.type, r.id) for r in snapshot.rejected if r.source is None or r.source.kind == "file")
    want = sorted((r["type"], r["id"]) for r in expected["not_loaded"])
    assert got == want
    # Sections sharing a (type, id) can each be refused: match the lines Asterisk named as a multiset.
    named = Counter((r.type, r.id, r.source.name if r.source else None, r.line) for r in snapshot.rejected)
    want_named = Counter((e["type"], e["id"], e["file"], e["line"]) for e in expected["not_loaded"] if e["line"] is not None)
    assert want_named - named == Counter()


@pytest.mark.parametrize("case", CASES)
def test_ignored_sections_equal_asterisk(case: str, golden_input) -> None:
    expected = load_expected(case)
    snapshot = build_snapshot(str(golden_input(case)))
    got = sorted((s.name, s.type) for s in snapshot.ignored_sections)
    want = sorted((s["id"], s["type"]) for s in expected["ignored_sections"])
    assert got == want


def test_refused_realtime_row_is_named(golden_input) -> None:
    """v40: the row with an invalid dtmf_mode is refused, as Asterisk logs 'at line 0 of'."""
    snapshot = build_snapshot(str(golden_input("v40_realtime_all_three")))
    (rejection,) = [r for r in snapshot.rejected if r.source is not None and r.source.kind == "realtime"]
    assert (rejection.type, rejection.id, rejection.line) == ("endpoint", "rt103-bad", 0)
    assert rejection.message.startswith("Error parsing dtmf_mode=") and rejection.message.endswith("at line 0 of ")
    assert snapshot.get("endpoint", "rt103-bad") is None


@pytest.mark.parametrize("case", CASES)
def test_rendered_dict_equals_grouped_objectset(case: str, golden_input) -> None:
    """The fast dict rendering agrees with the objectset lines for every golden object."""
    snapshot = build_snapshot(str(golden_input(case)))
    for objects in snapshot.objects.values():
        for obj in objects.values():
            lines = obj.objectset()
            grouped: dict[str, object] = {}
            for name, value in lines:
                grouped.setdefault(name, []).append(value)  # type: ignore[union-attr]
            want = {name: values[0] if len(values) == 1 else values for name, values in grouped.items()}
            got = obj.rendered()
            assert got == want and list(got) == list(want), (obj.type, obj.id)


@pytest.mark.parametrize("case", CASES)
def test_show_json_equals_the_dumped_asterisk_view(case: str, golden_input) -> None:
    """`show` encodes each object from its state (render_json): the same text as dumping the view."""
    snapshot = build_snapshot(str(golden_input(case)))
    assert asterisk_json(snapshot) == dump_json(asterisk_view(snapshot))


def test_two_globals_both_load_with_asterisk_error(tmp_path) -> None:
    """ast_is_prime(2) is false, so single_object lets exactly two [global]s through; res_pjsip then
    logs 'At most one ... You have 2 defined.' (golden README item 15). Three fail the type."""
    text = "[g1]\ntype=global\nuser_agent=A\n\n[g2]\ntype=global\nuser_agent=B\n"
    (tmp_path / "pjsip.conf").write_text(text)
    snapshot = build_snapshot(str(tmp_path))
    assert sorted(snapshot.of_type("global")) == ["g1", "g2"]
    assert any("You have 2 defined." in w.message and w.line == 5 for w in snapshot.warnings)
    (tmp_path / "pjsip.conf").write_text(text + "\n[g3]\ntype=global\n")
    snapshot = build_snapshot(str(tmp_path))
    assert snapshot.of_type("global") == {}
    assert sorted(r.id for r in snapshot.rejected if r.cause == "single-object") == ["g1", "g2", "g3"]


def test_of_two_globals_auths_take_their_algorithms_from_the_later_one(tmp_path) -> None:
    """global_apply replaces res_pjsip's cached global: the one applied last (file order) wins."""
    (tmp_path / "pjsip.conf").write_text(
        "[zz]\ntype=global\ndefault_auth_algorithms_uas=SHA-256\n\n"
        "[aa]\ntype=global\ndefault_auth_algorithms_uas=SHA-512-256\n\n"
        "[au]\ntype=auth\nusername=x\npassword=y\n"
    )
    auth = build_snapshot(str(tmp_path)).of_type("auth")["au"]
    assert auth.rendered()["supported_algorithms_uas"] == "SHA-512-256"


def test_phoneprov_provider_lookups_are_reported(golden_input, tmp_path) -> None:
    """v15: the provider logs 'Endpoint pres-ep contained invalid transport .' and keeps the object."""
    snapshot = build_snapshot(str(golden_input("v15_pubsub_types")))
    messages = [w.message for w in snapshot.warnings if "phoneprov_provider" in w.message]
    assert messages == ["res_pjsip_phoneprov_provider.c: Endpoint pres-ep contained invalid transport ."]
    assert snapshot.get("phoneprov", "phone-1") is not None
    (tmp_path / "pjsip.conf").write_text(
        "[t]\ntype=transport\nbind=127.0.0.1\n\n[e]\ntype=endpoint\ntransport=t\nauth=gone\n\n"
        "[p1]\ntype=phoneprov\nendpoint=e\nMAC=001122334455\nPROFILE=polycom\n\n"
        "[p2]\ntype=phoneprov\nendpoint=nobody\nMAC=001122334466\nPROFILE=polycom\n"
    )
    messages = sorted(w.message for w in build_snapshot(str(tmp_path)).warnings if "phoneprov_provider" in w.message)
    assert messages == [
        "res_pjsip_phoneprov_provider.c: phoneprov p1 contained invalid auth gone.",
        "res_pjsip_phoneprov_provider.c: phoneprov p2 contained invalid endpoint nobody.",
    ]


def test_sections_of_a_type_no_wizard_reads_are_unread_not_ignored(tmp_path) -> None:
    """golden README: ignored_sections are those without a type or of a type that is no PJSIP type;
    a section of a PJSIP type no config wizard reads from pjsip.conf is ignored for another reason."""
    (tmp_path / "pjsip.conf").write_text("[c]\ntype=contact\nuri=sip:a@b\n\n[x]\ntype=Endpoint\n\n[e]\ntype=endpoint\n")
    (tmp_path / "sorcery.conf").write_text("[res_pjsip]\nendpoint=memory\n")
    snapshot = build_snapshot(str(tmp_path))
    assert [(s.name, s.type) for s in snapshot.ignored_sections] == [("x", "Endpoint")]
    assert [(s.name, s.type) for s in snapshot.unread_sections] == [("c", "contact"), ("e", "endpoint")]


def test_phoneprov_lookups_use_the_exact_key(tmp_path) -> None:
    """ast_var_find compares with strcmp: `Endpoint=nobody` is a template variable, not the endpoint."""
    (tmp_path / "pjsip.conf").write_text("[p1]\ntype=phoneprov\nEndpoint=nobody\nMAC=001122334455\nPROFILE=polycom\n")
    assert not [w for w in build_snapshot(str(tmp_path)).warnings if "phoneprov_provider" in w.message]


def test_a_file_a_config_wizard_loads_is_named_empty_in_asterisks_messages(tmp_path) -> None:
    """config.c names every file ast_config_load2 opens "" (include level 1), not only pjsip.conf."""
    (tmp_path / "sorcery.conf").write_text("[res_pjsip]\nendpoint=config,pjsip_ep.conf,criteria=type=endpoint\n")
    (tmp_path / "pjsip_ep.conf").write_text("[e]\ntype=endpoint\ndtmf_mode=bogus\n#include more.conf\n")
    (tmp_path / "more.conf").write_text("[f]\ntype=endpoint\ndtmf_mode=bogus\n")
    (tmp_path / "pjsip.conf").write_text("")
    messages = {r.id: r.message for r in build_snapshot(str(tmp_path)).rejected}
    assert messages["e"] == "Error parsing dtmf_mode=bogus at line 3 of "
    assert messages["f"] == f"Error parsing dtmf_mode=bogus at line 3 of {tmp_path / 'more.conf'}"


def test_lines_of_a_repeated_include_are_logged_under_name_tilde_count(tmp_path) -> None:
    """ast_include_new names the Nth repeat of an #include name `name~~N`; option messages use it."""
    (tmp_path / "pjsip.conf").write_text(
        "[a]\ntype=endpoint\n#include opts.conf\n[b]\ntype=endpoint\n#include opts.conf\n[c]\ntype=endpoint\n#include \"opts.conf\"\n")
    (tmp_path / "opts.conf").write_text("\ndtmf_mode=bogus\n")
    messages = {r.id: (r.message, str(r.source)) for r in build_snapshot(str(tmp_path)).rejected}
    assert messages == {
        "a": (f"Error parsing dtmf_mode=bogus at line 2 of {tmp_path / 'opts.conf'}", "opts.conf"),
        "b": ("Error parsing dtmf_mode=bogus at line 2 of opts.conf~~1", "opts.conf"),
        "c": ("Error parsing dtmf_mode=bogus at line 2 of opts.conf~~2", "opts.conf"),
    }


def test_after_an_invalid_include_the_top_level_file_is_named_by_its_path(tmp_path) -> None:
    """An included file that is invalid (here a `(+)` on a missing section) only cuts that file, but
    config.c does not give the include level back: the top-level file's later lines are read above
    level 1, and option messages name them by path (checked against Asterisk 22.10.1)."""
    (tmp_path / "pjsip.conf").write_text(
        "[e0]\ntype=endpoint\ndtmf_mode=bogus\n#include bad.conf\n[e1]\ntype=endpoint\ndtmf_mode=bogus\n")
    (tmp_path / "bad.conf").write_text("[zz](+)\ncontext=x\n")
    messages = {r.id: (r.message, str(r.source)) for r in build_snapshot(str(tmp_path)).rejected if r.id != "*"}
    assert messages == {
        "e0": ("Error parsing dtmf_mode=bogus at line 3 of ", "pjsip.conf"),
        "e1": (f"Error parsing dtmf_mode=bogus at line 7 of {tmp_path / 'pjsip.conf'}", "pjsip.conf"),
    }


def test_lines_after_an_objects_first_bad_line_log_nothing(tmp_path) -> None:
    """ast_sorcery_objectset_apply stops at the first line that fails: a warning a later line would
    cause is never logged (checked with Asterisk 22.10.1); one from an earlier line is."""
    (tmp_path / "pjsip.conf").write_text(
        "[a]\ntype=endpoint\ndtmf_mode=bogus\ncall_group=64\n[b]\ntype=endpoint\ncall_group=64\ndtmf_mode=bogus\n")
    snapshot = build_snapshot(str(tmp_path))
    assert [(w.line, w.message) for w in snapshot.warnings] == [(7, "channel.c: Ignoring invalid group 64 (maximum group is 63)")]
    assert sorted(r.id for r in snapshot.rejected) == ["a", "b"]


def test_taskpool_sizes_are_logged_for_the_system_object_res_pjsip_keeps(tmp_path) -> None:
    """As Asterisk 22.10.1 logged: a lone [system] gets its taskpool adjusted; two of them are a
    duplicate, the type keeps no object, and the defaults need no adjustment."""
    system = "[system]\ntype=system\ntaskpool_auto_increment=0\ntaskpool_max_size=5\n"
    (tmp_path / "pjsip.conf").write_text(system)
    assert [w.message for w in build_snapshot(str(tmp_path)).warnings] == [
        "taskpool.c: Taskpool 'pjsip' has a minimum size of 4, while max size is 5. Adjusting all sizes to 5 due to lack "
        "of auto increment."]
    (tmp_path / "pjsip.conf").write_text(system + system)
    assert [w.message for w in build_snapshot(str(tmp_path)).warnings if "Taskpool" in w.message] == []


def test_a_refused_section_does_not_make_a_later_one_of_its_id_a_duplicate(tmp_path) -> None:
    """res_sorcery_config only links objects that applied: the first [dup] is refused (and logged),
    the second loads; refusals met before a real duplicate stay logged beside the duplicate error."""
    (tmp_path / "pjsip.conf").write_text("[dup]\ntype=endpoint\ndtmf_mode=bogus\n[dup]\ntype=endpoint\ncontext=second\n")
    snapshot = build_snapshot(str(tmp_path))
    assert snapshot.of_type("endpoint")["dup"].rendered()["context"] == "second"
    assert [(r.id, r.cause, r.line) for r in snapshot.rejected] == [("dup", "option", 3)]
    (tmp_path / "pjsip.conf").write_text("[a]\ntype=endpoint\ndtmf_mode=bogus\n[b]\ntype=endpoint\n[b]\ntype=endpoint\n")
    snapshot = build_snapshot(str(tmp_path))
    assert snapshot.of_type("endpoint") == {}
    assert [(r.id, r.cause, r.line) for r in snapshot.rejected] == [("a", "option", 3), ("a", "duplicate", None), ("b", "duplicate", None)]


def test_phoneprov_keys_the_provider_also_sets_hold_both_values(tmp_path) -> None:
    """load_endpoint appends ENDPOINT_ID, CALLERID, USERNAME, SECRET, ... to the phoneprov's own
    list without looking for them: a key the configuration sets too has two values (AST_SORCERY
    returns both); the first MAC is the one ast_var_find takes."""
    (tmp_path / "pjsip.conf").write_text(
        "[t]\ntype=transport\nbind=127.0.0.1:5060\n[au]\ntype=auth\nusername=authuser\npassword=p\n"
        "[e]\ntype=endpoint\ntransport=t\nauth=au\ncallerid=\"Bob\" <200>\n"
        "[ph]\ntype=phoneprov\nendpoint=e\nMAC=001122334455\nMAC=001122334456\nPROFILE=polycom\n"
        "USERNAME=custom\nCALLERID=999\nLABEL=x\n")
    phoneprov = build_snapshot(str(tmp_path)).of_type("phoneprov")["ph"]
    assert phoneprov.rendered() == {
        "endpoint": "e", "MAC": ["001122334455", "001122334456"], "PROFILE": "polycom",
        "USERNAME": ["custom", "authuser"], "CALLERID": ["999", "200"], "LABEL": "x"}
    assert phoneprov.where("LABEL").describe() == "pjsip.conf:21 [ph]"
    assert phoneprov.where("USERNAME").describe().startswith("pjsip.conf:19 [ph]; also added by res_pjsip_phoneprov_provider")


def test_an_apply_handler_refusal_is_named_by_the_error_logged_last(tmp_path) -> None:
    """auth_apply logs the missing password for uas, then for uac; the uac line comes right before
    "Could not create ..."."""
    (tmp_path / "pjsip.conf").write_text("[au]\ntype=auth\nusername=u\n")
    (rejection,) = build_snapshot(str(tmp_path)).rejected
    assert rejection.message.endswith("au: No plain text or digest password found for algorithm MD5 in supported_algorithms_uac")


def test_named_acls_come_from_acl_conf(tmp_path) -> None:
    """named_acl.c loads acl.conf before res_pjsip: its categories (but [general]) are the ACLs."""
    (tmp_path / "pjsip.conf").write_text("[e]\ntype=endpoint\nacl=office,open,missing\n")
    (tmp_path / "acl.conf").write_text("[general]\n[office]\npermit=10.0.0.0/8\n[open]\n")
    messages = [w.message for w in build_snapshot(str(tmp_path)).warnings]
    assert messages == [
        "named_acl.c: ACL 'open' contains no rules. It is valid, but it will accept addresses unconditionally.",
        "named_acl.c: ACL 'missing' does not exist. The ACL will be marked as undefined and will automatically fail if applied.",
    ]
