"""`pjsipconf check`: rules over a Snapshot -> findings -> formats.

Public entry: `run_checks(snapshot, settings)`; the API serves its result at /pjsip/findings.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

from pjsipconf.check.rules import ALL_RULES
from pjsipconf.check.selection import UnknownRuleError, selected_rules, severity_of
from pjsipconf.check.suppression import Suppressions
from pjsipconf.check.types import CheckSettings, Finding, Rule, Severity, summarize
from pjsipconf.model.types import Snapshot
from pjsipconf.settings import Settings

__all__ = [
    "ALL_RULES", "CheckSettings", "ChecksStopped", "Finding", "Rule", "UnknownRuleError", "check_settings", "exit_code",
    "rule_by_id", "run_checks", "summarize",
]


def check_settings(
    settings: Settings | None = None,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    **overrides: object,
) -> CheckSettings:
    """The `[check]` section of `settings`, with `select`/`ignore` flags replacing the file's lists."""
    section: Mapping[str, object] = settings.section("check") if settings is not None else {}
    severity = section.get("severity") or {}
    result = CheckSettings(
        select=tuple(select) if select is not None else tuple(section.get("select") or ()),  # type: ignore[arg-type]
        ignore=tuple(ignore) if ignore is not None else tuple(section.get("ignore") or ()),  # type: ignore[arg-type]
        severity=dict(severity),  # type: ignore[call-overload]
        min_password_length=int(section.get("min_password_length", 12)),  # type: ignore[call-overload]
        **overrides,  # type: ignore[arg-type]
    )
    # Fail early (exit 2) on a settings file or flag that names no rule.
    selected_rules(ALL_RULES, result.select, result.ignore, result.severity)
    return result


class ChecksStopped(Exception):
    """run_checks gave up because its `stop` said so (the server has a newer Snapshot to check)."""


def run_checks(
    snapshot: Snapshot, settings: CheckSettings | Settings | None = None, *, stop: Callable[[], bool] | None = None
) -> tuple[Finding, ...]:
    """Every finding of the selected rules, severity overrides applied, suppressions removed, sorted
    by file, line and column. Raises UnknownRuleError when the settings name no rule, and
    ChecksStopped when `stop()` turns true between two rules."""
    if not isinstance(settings, CheckSettings):
        settings = check_settings(settings)
    suppressions = Suppressions.from_config(snapshot.config)
    findings: set[Finding] = set()
    for rule in selected_rules(ALL_RULES, settings.select, settings.ignore, settings.severity):
        if stop is not None and stop():
            raise ChecksStopped(f"stopped before rule {rule.id}")
        severity = severity_of(rule, settings.severity)
        for finding in rule.check(snapshot, settings):
            if suppressions.covers(finding, rule):
                continue
            if severity != finding.severity:
                finding = _with_severity(finding, severity)  # type: ignore[arg-type]
            findings.add(finding)
    return tuple(sorted(findings, key=Finding.sort_key))


def _with_severity(finding: Finding, severity: Severity) -> Finding:
    return Finding(
        finding.rule, severity, finding.file, finding.line, finding.column,
        finding.object_type, finding.object_id, finding.message,
    )


def exit_code(findings: Iterable[Finding], *, strict: bool = False) -> int:
    """0 when nothing blocks deployment; 1 on an error (with `strict`, on a warning too)."""
    counts = summarize(findings)
    failing = counts["error"] + (counts["warning"] if strict else 0)
    return 1 if failing else 0


def rule_by_id(rule_id: str) -> Rule | None:
    return next((rule for rule in ALL_RULES if rule.id == rule_id), None)
