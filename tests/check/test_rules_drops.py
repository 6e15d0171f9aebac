"""D2xx: sections Asterisk ignores without a word."""

from __future__ import annotations

from tests.check.helpers import built_snapshot, findings_of


def test_sections_without_a_known_type_are_reported_with_a_hint() -> None:
    snapshot = built_snapshot(
        "[notype]\ncontext=a\n[caps]\ntype=Endpoint\n[typo]\ntype=endpont\n[sip]\ntype=peer\n[ok]\ntype=endpoint\n"
    )
    messages = {f.line: f.message for f in findings_of(snapshot, "D201")}
    assert sorted(messages) == [1, 3, 5, 7]
    assert "no type= line" in messages[1]
    assert "case-sensitive: write type=endpoint" in messages[3]
    assert "did you mean type=endpoint?" in messages[5]
    assert "type=peer, which is no PJSIP type" in messages[7]


def test_a_known_type_no_wizard_reads_from_the_file_is_not_called_unknown() -> None:
    # type=contact once got "which is no PJSIP type ... write type=contact".
    (finding,) = findings_of(built_snapshot("[c]\ntype=contact\nuri=sip:a@b\n"), "D201")
    assert "no sorcery.conf mapping reads contact objects from this file" in finding.message
    assert "no PJSIP type" not in finding.message and "write type=" not in finding.message


def test_global_and_system_need_no_type_line() -> None:
    assert findings_of(built_snapshot("[global]\nuser_agent=x\n"), "D201") == []


def test_templates_nobody_inherits_are_reported() -> None:
    snapshot = built_snapshot(
        "[used](!)\ncontext=a\n[Unused](!)\ncontext=b\n[chain](!,used)\n[6001](CHAIN)\ntype=endpoint\n"
    )
    (finding,) = findings_of(snapshot, "D202")
    assert (finding.line, finding.severity) == (3, "warning")
    assert "[Unused]" in finding.message


def test_an_empty_type_is_called_empty() -> None:
    (finding,) = findings_of(built_snapshot("[x]\ntype=\ncontext=a\n"), "D201")
    assert "has an empty type= line" in finding.message
