"""Which rules run and at what severity: `select` / `ignore` / `[[severity]]` from settings and flags.

A rule is named by its id (`S403`), its name (`short-password`) or an id prefix (`S`, `L1`).
"""

from __future__ import annotations

from typing import Iterable, Mapping

from pjsipconf.check.types import Rule

OFF = "off"


class UnknownRuleError(ValueError):
    """A settings key, flag or selector names no rule."""


def matches(rule: Rule, selector: str) -> bool:
    token = selector.strip()
    return token.lower() == rule.name or (bool(token) and rule.id.startswith(token.upper()))


def _check_known(rules: Iterable[Rule], selectors: Iterable[str], where: str) -> None:
    rules = tuple(rules)
    for selector in selectors:
        if not any(matches(rule, selector) for rule in rules):
            raise UnknownRuleError(f"{where}: {selector!r} names no rule (see docs/rules.md)")


def selected_rules(
    rules: tuple[Rule, ...], select: Iterable[str], ignore: Iterable[str], severity: Mapping[str, str]
) -> tuple[Rule, ...]:
    """The rules that run: all (or those selected), minus the ignored and those set to 'off'."""
    select, ignore = tuple(s for s in select if s.strip()), tuple(s for s in ignore if s.strip())
    _check_known(rules, select, "select")
    _check_known(rules, ignore, "ignore")
    _check_known(rules, severity, "[[severity]]")
    return tuple(
        rule
        for rule in rules
        if (not select or any(matches(rule, s) for s in select))
        and not any(matches(rule, s) for s in ignore)
        and severity_of(rule, severity) != OFF
    )


def severity_of(rule: Rule, overrides: Mapping[str, str]) -> str:
    """The most specific override wins: name or full id, then the longest id prefix."""
    best: str = rule.severity
    best_len = -1
    for selector, value in overrides.items():
        if not matches(rule, selector):
            continue
        weight = 99 if selector.strip().lower() == rule.name else len(selector.strip())
        if weight > best_len:
            best, best_len = value, weight
    return best
