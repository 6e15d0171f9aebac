"""H5xx: loadable but surprising configuration, and what Asterisk or the sources warn about."""

from __future__ import annotations

from tests.check.helpers import built_snapshot, findings_of, parsed_snapshot


def test_single_valued_options_set_twice_in_one_section() -> None:
    snapshot = built_snapshot(
        "[t](!)\ncontext=from-template\n"
        "[6001](t)\ntype=endpoint\ncontext=own\naors=a\nallow=ulaw\nallow=alaw\nAORS=b\ndisallow=all\n"
    )
    (finding,) = findings_of(snapshot, "H501")
    assert (finding.line, finding.object_id) == (9, "6001")
    assert "line 6: aors=a" in finding.message and "'b'" in finding.message


def test_max_contacts_one_without_remove_existing() -> None:
    snapshot = built_snapshot(
        "[a]\ntype=aor\nmax_contacts=1\n[b]\ntype=aor\nmax_contacts=1\nremove_existing=yes\n[c]\ntype=aor\nmax_contacts=5\n"
    )
    assert [(f.object_id, f.line) for f in findings_of(snapshot, "H502")] == [("a", 3)]


def test_what_asterisk_warns_about_while_loading() -> None:
    snapshot = built_snapshot("[6001]\ntype=endpoint\ncall_group=1-3,64\n")
    findings = findings_of(snapshot, "H503")
    assert findings and findings[0].line == 3 and findings[0].message.startswith("Asterisk warns: ")


def test_section_names_with_blanks() -> None:
    (finding,) = findings_of(parsed_snapshot("[ 6001 ]\ntype=endpoint\n"), "H504")
    assert finding.line == 1 and "' 6001 '" in finding.message


def test_the_first_type_line_decides() -> None:
    snapshot = parsed_snapshot("[t](!)\ntype=endpoint\n[6001](t)\ntype=aor\n[6002]\ntype=aor\ntype=aor\n")
    (finding,) = findings_of(snapshot, "H505")
    assert finding.line == 4 and "inherited from [t]" in finding.message and "loads it as endpoint" in finding.message


def test_sorcery_lines_asterisk_ignores() -> None:
    snapshot = built_snapshot("[6001]\ntype=endpoint\n", **{"sorcery.conf": "[res_pjsip]\nendpont=config,pjsip.conf\n"})
    findings = findings_of(snapshot, "H508")
    assert findings and findings[0].file == "sorcery.conf" and findings[0].line == 2


def test_realtime_rows_lookups_lose_and_ignored_columns(golden_input) -> None:
    from pjsipconf.model.build import build_snapshot

    snapshot = build_snapshot(str(golden_input("v40_realtime_all_three")))
    rows = findings_of(snapshot, "H506")
    assert {f.file for f in rows} == {"ps_endpoints", "ps_aors", "ps_auths"}
    assert all("multi-row lookups" in f.message for f in rows)
    columns = findings_of(snapshot, "H507")  # the legacy column, and disallow (an alias realtime drops)
    assert [f.severity for f in columns] == ["info", "info"]
    assert sorted(f.message.split(" ", 1)[0] for f in columns) == ["ps_endpoints.disallow", "ps_endpoints.external_media_address"]


def test_duplicate_secret_lines_do_not_show_the_secret() -> None:
    snapshot = built_snapshot("[a]\ntype=auth\nusername=u\npassword=first-secret-value\npassword=second-secret-value\n")
    (finding,) = findings_of(snapshot, "H501")
    assert "secret-value" not in finding.message and "********" in finding.message
