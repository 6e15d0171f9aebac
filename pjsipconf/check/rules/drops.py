"""D2xx: sections Asterisk ignores without a word: no or unknown `type`, templates nobody uses."""

from __future__ import annotations

import difflib
from typing import Iterator

from pjsipconf.check.facts import templates
from pjsipconf.check.types import CheckSettings, Finding, Rule
from pjsipconf.model.types import IgnoredSection, Snapshot
from pjsipconf.schema import load_schema


def _known_types(snapshot: Snapshot) -> list[str]:
    return sorted(load_schema(snapshot.asterisk_version).types)


def _ignored_message(section: IgnoredSection, known: list[str]) -> str:
    if section.type is None:
        return f"section [{section.name}] has no type= line: Asterisk ignores it silently"
    if not section.type:
        return f"section [{section.name}] has an empty type= line: Asterisk ignores it silently"
    if section.type in known:  # contact, subscription_persistence: sorcery reads them from astdb
        return (
            f"section [{section.name}] has type={section.type}, but no sorcery.conf mapping reads "
            f"{section.type} objects from this file: Asterisk ignores it silently"
        )
    text = f"section [{section.name}] has type={section.type}, which is no PJSIP type: Asterisk ignores it silently"
    same_but_case = [name for name in known if name.lower() == section.type.lower()]
    if same_but_case:
        return text + f"; type values are case-sensitive: write type={same_but_case[0]}"
    close = difflib.get_close_matches(section.type.lower(), known, n=1, cutoff=0.6)
    if close:
        return text + f"; did you mean type={close[0]}?"
    return text


def _ignored_sections(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    sections = (*snapshot.ignored_sections, *snapshot.unread_sections)  # findings are sorted afterwards
    if not sections:
        return
    known = _known_types(snapshot)
    for section in sections:
        yield IGNORED_SECTION.finding(
            section.source.name, section.line, _ignored_message(section, known)
        )


def _unused_templates(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    config = snapshot.config
    if config is None or config.invalid:
        return
    # Inheritance looks categories up by name, case-insensitively.
    used = {base.lower() for category in config.categories for base in category.templates}
    for template in templates(config):
        if template.name.lower() not in used:
            message = f"template [{template.name}] is never inherited: none of its lines apply anywhere"
            yield UNUSED_TEMPLATE.finding(template.source.name, template.line, message)


IGNORED_SECTION = Rule(
    "D201", "ignored-section", "warning",
    summary="A section no PJSIP type picks up: no type= line, an unknown type, or a type in the wrong case.",
    why="Asterisk silently ignores it: no error, no warning, the endpoint (or aor, auth...) simply does not"
    " exist. type=Endpoint does not match (the value is case-sensitive).",
    example="[6001]\ntype=Endpoint\ncontext=internal",
    fix="Add the missing type= line or correct its value (lower case: endpoint, aor, auth, transport, ...).",
    check=_ignored_sections,
)
UNUSED_TEMPLATE = Rule(
    "D202", "unused-template", "warning",
    summary="A template (`[name](!)`) that no section inherits.",
    why="Templates are never objects themselves; one nobody inherits usually means a section names the"
    " wrong template, so it misses the options you put in it.",
    example="[phone-defaults](!)\ncontext=internal\n\n[6001](phone-default)   ; typo\ntype=endpoint",
    fix="Inherit it where it was meant to apply, or delete it.",
    check=_unused_templates,
)

RULES: tuple[Rule, ...] = (IGNORED_SECTION, UNUSED_TEMPLATE)
