"""sorcery.conf -> wizards per type, as res_pjsip's modules apply it."""

from __future__ import annotations

from pathlib import Path

from pjsipconf.schema import load_schema
from pjsipconf.sources.sorcery import read_sorcery
from pjsipconf.sources.types import Wizard
from tests.realtime.helpers import write_files

SCHEMA = load_schema("22")
EXTCONFIG = "[settings]\nps_endpoints => sqlite3,asterisk\nps_aors => sqlite3,asterisk\nps_endpoint_id_ips => odbc,asterisk\n"


def _read(tmp_path: Path, sorcery: str | None, extconfig: str = EXTCONFIG):
    files = {"extconfig.conf": extconfig}
    if sorcery is not None:
        files["sorcery.conf"] = sorcery
    return read_sorcery(str(write_files(tmp_path, files)), SCHEMA)


def _codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_no_sorcery_conf_means_every_builtin_default(tmp_path: Path) -> None:
    mapping, problems = _read(tmp_path, None)
    assert problems == () and mapping.explicit == frozenset()
    assert mapping.wizards["endpoint"] == (Wizard("config", "pjsip.conf", (("criteria", "type=endpoint"),)),)
    assert mapping.wizards["contact"] == (Wizard("astdb", "registrar"),)
    assert mapping.wizards["global"][0].options == (("criteria", "type=global"), ("single_object", "yes"),
                                                    ("explicit_name", "global"))


def test_a_mapping_replaces_the_default_and_lines_keep_their_order(tmp_path: Path) -> None:
    sorcery = ("[res_pjsip]\nendpoint=realtime,ps_endpoints\nendpoint=config,pjsip.conf,criteria=type=endpoint\n"
               "aor/cache=memory_cache,object_lifetime_maximum=60\naor=realtime,ps_aors,allow_unqualified_fetch=warn\n")
    mapping, problems = _read(tmp_path, sorcery)
    assert problems == ()
    assert [w.kind for w in mapping.wizards["endpoint"]] == ["realtime", "config"]
    cache, aor = mapping.wizards["aor"]
    assert cache == Wizard("memory_cache", "", (("object_lifetime_maximum", "60"),), cache=True)
    assert aor == Wizard("realtime", "ps_aors", (("allow_unqualified_fetch", "warn"),))
    assert mapping.explicit == {"endpoint", "aor"}
    assert mapping.wizards["auth"][0].kind == "config"  # not mapped: its default


def test_module_sections_and_res_pjsip_serving_other_modules(tmp_path: Path) -> None:
    sorcery = "[res_pjsip_endpoint_identifier_ip]\nidentify=realtime,ps_endpoint_id_ips\n[RES_PJSIP]\naor=realtime,ps_aors\n"
    mapping, problems = _read(tmp_path, sorcery)
    assert mapping.wizards["identify"] == (Wizard("realtime", "ps_endpoint_id_ips"),)
    assert mapping.wizards["aor"] == (Wizard("realtime", "ps_aors"),)  # section names are case-insensitive



def test_another_modules_type_in_res_pjsip_makes_that_module_decline(tmp_path: Path) -> None:
    """Checked with Asterisk 22.10.1: the type is created under res_pjsip, whose XML documentation
    lacks it, so its module fails to register it and declines to load, with the modules that
    require it (res_pjsip_pubsub -> res_pjsip_publish_asterisk)."""
    mapping, problems = _read(tmp_path, "[res_pjsip]\nidentify=realtime,ps_endpoint_id_ips\n")
    assert mapping.wizards["identify"] == ()
    (problem,) = problems
    assert problem.severity == "error" and "res_pjsip_endpoint_identifier_ip declines to load" in problem.message
    assert "Cannot update type 'identify' in module 'res_pjsip'" in problem.message
    mapping, problems = _read(tmp_path, "[res_pjsip]\nresource_list=config,pjsip.conf,criteria=type=resource_list\n")
    gone = {"resource_list", "inbound-publication", "subscription_persistence", "asterisk-publication"}
    assert {t for t, wizards in mapping.wizards.items() if not wizards} == gone
    assert [p.message.split(": ", 1)[1].split(" (")[0] for p in problems] == [
        "res_pjsip_pubsub declines to load", "res_pjsip_publish_asterisk declines to load"]


def test_only_the_first_section_of_a_name_is_read(tmp_path: Path) -> None:
    mapping, _ = _read(tmp_path, "[res_pjsip]\naor=realtime,ps_aors\n[res_pjsip]\nendpoint=realtime,ps_endpoints\n")
    assert mapping.wizards["aor"][0].kind == "realtime" and mapping.wizards["endpoint"][0].kind == "config"


def test_a_second_wizard_of_the_same_kind_is_ignored(tmp_path: Path) -> None:
    mapping, problems = _read(tmp_path, "[res_pjsip]\nendpoint=realtime,ps_endpoints\nendpoint=realtime,ps_aors\n")
    assert mapping.wizards["endpoint"] == (Wizard("realtime", "ps_endpoints"),)
    assert _codes(problems) == ["sorcery-duplicate-wizard"] and problems[0].line == 3


def test_a_family_missing_from_extconfig_stops_res_pjsip(tmp_path: Path) -> None:
    mapping, problems = _read(tmp_path, "[res_pjsip]\nauth=realtime,ps_auths\n")
    assert _codes(problems) == ["sorcery-wizard-failed"] and problems[0].severity == "error"
    assert "ps_auths" in problems[0].message and "res_pjsip does not load" in problems[0].message
    assert all(wizards == () for wizards in mapping.wizards.values())


def test_nothing_is_stripped_after_the_comma(tmp_path: Path) -> None:
    _, problems = _read(tmp_path, "[res_pjsip]\nendpoint = realtime, ps_endpoints\n")
    assert _codes(problems) == ["sorcery-wizard-failed"] and "note the space" in problems[0].message


def test_a_failure_in_another_module_skips_the_rest_of_its_section(tmp_path: Path) -> None:
    sorcery = "[res_pjsip_pubsub]\nresource_list=bogus,x\ninbound-publication=realtime,ps_endpoints\n"
    mapping, problems = _read(tmp_path, sorcery)
    assert _codes(problems) == ["sorcery-wizard-failed"] and "[res_pjsip_pubsub]" in problems[0].message
    assert mapping.wizards["inbound-publication"][0].kind == "config"  # skipped line: the default applies
    assert mapping.wizards["endpoint"][0].kind == "config"


def test_unknown_types_and_unread_sections_are_reported(tmp_path: Path) -> None:
    sorcery = "[res_pjsip]\nEndpoint=realtime,ps_endpoints\n[res_pjsip_bogus]\naor=realtime,ps_aors\n"
    mapping, problems = _read(tmp_path, sorcery)
    assert _codes(problems) == ["sorcery-unknown-type", "sorcery-unread-section"]
    assert mapping.wizards["endpoint"][0].kind == "config" and mapping.wizards["aor"][0].kind == "config"


def test_bad_wizard_options(tmp_path: Path) -> None:
    for line in ("aor=realtime,ps_aors,allow_unqualified_fetch=maybe", "aor=realtime,ps_aors,colour=red",
                 "aor=config", "aor=config,pjsip.conf,explicit_name="):
        _, problems = _read(tmp_path, f"[res_pjsip]\n{line}\n")
        assert _codes(problems) == ["sorcery-wizard-failed"], line


def test_syntax_problems_of_sorcery_conf_are_passed_on(tmp_path: Path) -> None:
    _, problems = _read(tmp_path, "[res_pjsip]\nendpoint realtime\n")
    assert problems and problems[0].source.name == "sorcery.conf" and problems[0].line == 2


def test_an_invalid_sorcery_conf_stops_res_pjsip(tmp_path: Path) -> None:
    mapping, problems = _read(tmp_path, "#include missing.conf\n[res_pjsip]\nendpoint=realtime,ps_endpoints\n")
    assert "sorcery-invalid" in _codes(problems)
    assert all(wizards == () for wizards in mapping.wizards.values())


def test_extconfig_problems_are_reported_with_sorcery(tmp_path: Path) -> None:
    _, problems = _read(tmp_path, None, extconfig="[settings]\nps_aors => sqlite3\n")
    assert _codes(problems) == ["extconfig-line-ignored"] and problems[0].source.name == "extconfig.conf"
