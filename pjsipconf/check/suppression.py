"""Inline suppression: `; pjsipconf: ignore=ID[,ID]` on a line, or on a section header for the whole section.

The parser records them (`ConfigFile.suppressions`, `Category.suppressed`); this module decides
which findings they cover. A section's suppression covers findings about its object (wherever
they point, e.g. a bad line in a template it inherits) and findings on its own lines.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from pjsipconf.check.facts import category_type
from pjsipconf.check.selection import matches
from pjsipconf.check.types import Finding, Rule
from pjsipconf.conf.types import ConfigFile


@dataclass
class Suppressions:
    """Lookups built once per run from a parse."""

    by_line: dict[tuple[str, int], frozenset[str]] = field(default_factory=dict)
    by_object: dict[tuple[str | None, str], frozenset[str]] = field(default_factory=dict)
    # file -> sorted header lines, and the suppressed ids of the section starting at each
    spans: dict[str, tuple[list[int], list[frozenset[str]]]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: ConfigFile | None) -> "Suppressions":
        found = cls()
        if config is None:
            return found
        for item in config.suppressions:
            key = (item.source.name, item.line)
            found.by_line[key] = found.by_line.get(key, frozenset()) | item.rules
        headers: dict[str, list[tuple[int, frozenset[str]]]] = {}
        for category in config.categories:
            headers.setdefault(category.source.name, []).append((category.line, category.suppressed))
            if category.suppressed:
                object_key = (category_type(category), category.name)
                found.by_object[object_key] = found.by_object.get(object_key, frozenset()) | category.suppressed
        for source, line, target in config.additions:  # a `(+)` block's lines are its target's
            headers.setdefault(source.name, []).append((line, target.suppressed))
        for file, entries in headers.items():
            entries.sort(key=lambda entry: entry[0])
            found.spans[file] = ([line for line, _ in entries], [rules for _, rules in entries])
        return found

    def _section_rules(self, file: str, line: int) -> frozenset[str]:
        span = self.spans.get(file)
        if span is None:
            return frozenset()
        index = bisect_right(span[0], line) - 1
        return span[1][index] if index >= 0 else frozenset()

    def covers(self, finding: Finding, rule: Rule) -> bool:
        candidates = (
            self.by_line.get((finding.file, finding.line), frozenset())
            | self._section_rules(finding.file, finding.line)
            | self.by_object.get((finding.object_type, finding.object_id or ""), frozenset())
            | self.by_object.get((None, finding.object_id or ""), frozenset())
        )
        return any(token.lower() == "all" or matches(rule, token) for token in candidates)
