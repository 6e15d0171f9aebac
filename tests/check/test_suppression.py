"""Inline suppression: `; pjsipconf: ignore=ID[,ID]` on a line or on a section header."""

from __future__ import annotations

from pjsipconf.check import CheckSettings, run_checks
from tests.check.helpers import built_snapshot, parsed_snapshot

SETTINGS = CheckSettings(select=("H5", "S408"))


def _rules(text: str) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in run_checks(parsed_snapshot(text), SETTINGS)]


def test_without_suppression_every_finding_is_reported() -> None:
    text = "[ a ]\ntype=endpoint\ntype=aor\n\n[ b ]\ntype=endpoint\n"
    assert _rules(text) == [("H504", 1), ("H505", 3), ("H504", 5)]


def test_a_line_comment_suppresses_findings_on_that_line_only() -> None:
    text = "[ a ]\ntype=endpoint\ntype=aor ; pjsipconf: ignore=H505\n\n[x]\ntype=endpoint\ntype=aor\n"
    assert _rules(text) == [("H504", 1), ("H505", 7)]


def test_names_work_as_well_as_ids() -> None:
    text = "[x]\ntype=endpoint\ntype=aor ; pjsipconf: ignore=conflicting-type\n"
    assert _rules(text) == []


def test_a_header_comment_suppresses_the_whole_section() -> None:
    text = (
        "[ a ] ; pjsipconf: ignore=H504,H505\ntype=endpoint\ntype=aor\n\n"
        "[ b ]\ntype=endpoint\ntype=aor\n"
    )
    assert _rules(text) == [("H504", 5), ("H505", 7)]


def test_other_rules_are_not_suppressed() -> None:
    text = "[ a ] ; pjsipconf: ignore=H505\ntype=endpoint\ntype=aor\n"
    assert _rules(text) == [("H504", 1)]


def test_directive_lines_and_refused_headers_take_a_line_comment_too() -> None:
    # The comment on an #exec/#include line or on a header Asterisk refuses was once dropped.
    text = "#exec /bin/true ; pjsipconf: ignore=S408\n[a]\ntype=aor\n#exec /bin/false\n"
    assert _rules(text) == [("S408", 4)]
    for text in ("[a](nope) ; pjsipconf: ignore=L103\ntype=aor\n", "#include gone.conf ; pjsipconf: ignore=L102\n"):
        assert run_checks(built_snapshot(text), CheckSettings(select=("L102", "L103"))) == ()
        assert run_checks(built_snapshot(text.split(" ;")[0] + "\n"), CheckSettings(select=("L102", "L103")))


def test_ignore_all_suppresses_every_rule() -> None:
    text = "[ a ] ; pjsipconf: ignore=all\ntype=endpoint\ntype=aor\n"
    assert _rules(text) == []



def test_a_header_comment_covers_findings_about_its_object_on_template_lines() -> None:
    snapshot = built_snapshot(
        "[t](!)\ntype=endpoint\ncolour=blue\n[a](t) ; pjsipconf: ignore=unknown-option\n[b](t)\n"
    )
    findings = run_checks(snapshot, CheckSettings(select=("L105",)))
    assert [(f.object_id, f.line) for f in findings] == [("b", 3)]


def test_the_lines_of_an_addition_belong_to_the_section_they_add_to() -> None:
    """`[a](+)` lines are a's: the header comment of the section before them does not cover them,
    a's own does."""
    select = CheckSettings(select=("L106",))
    added = "[a](+)\ndtmf_mode=bogus\n"
    other = built_snapshot("[a]\ntype=endpoint\n\n[b] ; pjsipconf: ignore=all\ntype=aor\n\n" + added)
    assert [(f.object_id, f.line) for f in run_checks(other, select)] == [("a", 8)]
    own = built_snapshot("[a] ; pjsipconf: ignore=L106\ntype=endpoint\n\n[b]\ntype=aor\n\n" + added)
    assert list(run_checks(own, select)) == []


def test_a_reason_may_follow_the_ids_and_an_unknown_id_is_reported() -> None:
    text = ("[a]\ntype=auth\nusername=1009\npassword=1009 ; pjsipconf: ignore=S402, S403 reviewed by bob\n"
            "[b]\ntype=auth\nusername=1010\npassword=1010 ; pjsipconf: ignore=S4O2\n")
    findings = run_checks(built_snapshot(text), CheckSettings(select=("S402", "H509")))
    assert [(f.rule, f.line) for f in findings] == [("H509", 8), ("S402", 8)]
    assert "'S4O2'" in findings[0].message
