"""Plain data of the check stage: rules' metadata, findings, and the settings rules read.

A `Finding` is what every output format, the API (`/pjsip/findings`) and the exit code are made
from; it is frozen so a Snapshot's findings can be computed once and shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Literal, Mapping

if TYPE_CHECKING:
    from pjsipconf.model.types import Snapshot

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: Mapping[str, int] = {"error": 0, "warning": 1, "info": 2}

# One letter per rule family; a rule id is the letter and three digits (L101, S402, ...).
FAMILIES: Mapping[str, str] = {
    "L": "load errors: Asterisk would not load the object, the type or the file",
    "D": "silent drops: Asterisk ignores a section without saying so",
    "R": "references: objects load, but calls or registrations fail",
    "S": "security audit",
    "H": "hygiene: surprising but loadable configuration",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found: where it is, what it is about, and what to do."""

    rule: str  # stable id, e.g. "L101"
    severity: Severity
    file: str  # relative to the config dir, or a realtime table ("ps_endpoints")
    line: int  # 0 when no line applies (realtime rows, a type-wide problem without a line)
    column: int
    object_type: str | None
    object_id: str | None
    message: str

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        return (self.file, self.line, self.column, SEVERITY_RANK[self.severity], self.rule, self.message)


@dataclass(frozen=True)
class CheckSettings:
    """What the rules and the runner read: the `[check]` settings merged with command-line flags."""

    select: tuple[str, ...] = ()  # rule ids, names or id prefixes ("S", "L1"); empty = all rules
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)  # id or name -> error|warning|info|off
    min_password_length: int = 12


CheckFunction = Callable[["Snapshot", CheckSettings], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A rule's identity, its documentation (docs/rules.md and SARIF are made from it) and its check."""

    id: str  # "L101"
    name: str  # "unknown-option"
    severity: Severity  # default severity
    summary: str  # one line
    why: str  # why it matters
    example: str  # a pjsip.conf fragment that triggers it
    fix: str  # how to fix it
    check: CheckFunction = field(repr=False, compare=False)

    @property
    def family(self) -> str:
        return self.id[0]

    def finding(
        self,
        file: str,
        line: int | None,
        message: str,
        *,
        column: int = 1,
        object_type: str | None = None,
        object_id: str | None = None,
    ) -> Finding:
        """A finding of this rule at its default severity (the runner applies overrides)."""
        return Finding(self.id, self.severity, file, line or 0, column, object_type, object_id, message)


def summarize(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity: {"error": n, "warning": n, "info": n}."""
    counts: dict[str, int] = {severity: 0 for severity in SEVERITIES}
    for finding in findings:
        counts[finding.severity] += 1
    return counts
