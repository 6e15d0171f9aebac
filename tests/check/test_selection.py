"""Which rules run and how severe their findings are: select, ignore, [[severity]], settings errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from pjsipconf.check import ALL_RULES, CheckSettings, UnknownRuleError, check_settings, exit_code, run_checks
from pjsipconf.check.selection import selected_rules, severity_of
from pjsipconf.check.types import Finding
from pjsipconf.settings import load_settings
from tests.check.helpers import parsed_snapshot

# Triggers H504 (untrimmed name), H505 (conflicting type) and S408 (#exec).
CONFIG = "[ 6001 ]\ntype=endpoint\ntype=aor\n#exec /bin/true\n"


def _ids(rules) -> list[str]:
    return [rule.id for rule in rules]


def test_ids_are_unique_and_well_formed() -> None:
    ids = _ids(ALL_RULES)
    assert len(ids) == len(set(ids))
    assert len({rule.name for rule in ALL_RULES}) == len(ids)
    for rule in ALL_RULES:
        assert rule.id[0] in "LDRSH" and rule.id[1:].isdigit() and len(rule.id) == 4
        assert rule.summary and rule.why and rule.example and rule.fix


def test_select_by_id_name_and_prefix_and_ignore() -> None:
    assert _ids(selected_rules(ALL_RULES, ["S402", "short-password"], [], {})) == ["S402", "S403"]
    assert all(r.id.startswith("S") for r in selected_rules(ALL_RULES, ["s"], [], {}))
    assert "S405" not in _ids(selected_rules(ALL_RULES, ["S"], ["open-transport"], {}))
    assert "R302" not in _ids(selected_rules(ALL_RULES, [], [], {"R302": "off"}))


def test_unknown_rule_names_are_refused() -> None:
    with pytest.raises(UnknownRuleError, match="'X999' names no rule"):
        selected_rules(ALL_RULES, ["X999"], [], {})
    with pytest.raises(UnknownRuleError, match="severity"):
        selected_rules(ALL_RULES, [], [], {"no-such-rule": "info"})


def test_most_specific_severity_override_wins() -> None:
    rule = next(r for r in ALL_RULES if r.id == "S403")
    assert severity_of(rule, {"S": "info", "S403": "error"}) == "error"
    assert severity_of(rule, {"S4": "info"}) == "info"
    assert severity_of(rule, {"short-password": "error", "S403": "info"}) == "error"
    assert severity_of(rule, {}) == "warning"


def test_run_checks_applies_selection_and_severity() -> None:
    snapshot = parsed_snapshot(CONFIG)
    everything = {f.rule for f in run_checks(snapshot, CheckSettings(select=("H", "S408")))}
    assert everything == {"H504", "H505", "S408"}
    only = run_checks(snapshot, CheckSettings(select=("H5",), ignore=("conflicting-type",)))
    assert {f.rule for f in only} == {"H504"}
    raised = run_checks(snapshot, CheckSettings(select=("H504",), severity={"H504": "error"}))
    assert [f.severity for f in raised] == ["error"]


def test_findings_are_sorted_by_file_and_line() -> None:
    findings = run_checks(parsed_snapshot(CONFIG), CheckSettings(select=("H", "S408")))
    assert [(f.file, f.line) for f in findings] == sorted((f.file, f.line) for f in findings)


def test_settings_file_feeds_the_check_settings(tmp_path: Path) -> None:
    path = tmp_path / "pjsipconf.ini"
    path.write_text("[check]\nselect = H, S408\nignore = H505\nmin_password_length = 16\n[[severity]]\nH504 = info\n")
    settings = check_settings(load_settings(str(path)))
    assert settings.select == ("H", "S408") and settings.ignore == ("H505",)
    assert settings.min_password_length == 16 and settings.severity == {"H504": "info"}
    findings = run_checks(parsed_snapshot(CONFIG), settings)
    assert [(f.rule, f.severity) for f in findings] == [("H504", "info"), ("S408", "warning")]
    # Flags replace the file's lists.
    assert check_settings(load_settings(str(path)), select=["L"]).select == ("L",)


def test_settings_naming_no_rule_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "pjsipconf.ini"
    path.write_text("[check]\nignore = H999\n")
    with pytest.raises(UnknownRuleError, match="H999"):
        check_settings(load_settings(str(path)))


def test_exit_code_counts_errors_and_with_strict_warnings() -> None:
    warning = Finding("H504", "warning", "pjsip.conf", 1, 1, None, None, "x")
    error = Finding("L101", "error", "pjsip.conf", 1, 1, None, None, "x")
    info = Finding("R302", "info", "pjsip.conf", 1, 1, None, None, "x")
    assert exit_code([info, warning]) == 0
    assert exit_code([info, warning], strict=True) == 1
    assert exit_code([info], strict=True) == 0
    assert exit_code([error]) == 1
    assert exit_code([]) == 0


def test_run_checks_takes_the_loaded_settings_as_the_api_passes_them(tmp_path: Path) -> None:
    path = tmp_path / "pjsipconf.ini"
    path.write_text("[check]\nselect = H504\n")
    findings = run_checks(parsed_snapshot(CONFIG), load_settings(str(path)))
    assert [f.rule for f in findings] == ["H504"]
    assert {f.rule for f in run_checks(parsed_snapshot(CONFIG), None)} >= {"H504", "H505", "S408"}
