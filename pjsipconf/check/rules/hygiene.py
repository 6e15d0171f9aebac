"""H5xx: configuration that loads but does not do what it says, and what Asterisk warns about."""

from __future__ import annotations

from typing import Iterator

from pjsipconf.check.facts import (
    ASTERISK_WARNING_CODES,
    REALTIME_COLUMN_CODES,
    REALTIME_ROW_CODES,
    category_type,
    is_wiring_problem,
    last_value,
    last_variable,
    own_variables,
    shown,
    without_module,
)
from pjsipconf.check.selection import matches
from pjsipconf.check.types import CheckSettings, Finding, Rule
from pjsipconf.conf.types import Category, Variable
from pjsipconf.model.types import Snapshot
from pjsipconf.schema import TypeSchema, load_schema
from pjsipconf.schema.cstr import ast_true


def _type_lines(category: Category) -> list[Variable]:
    return [var for var in category.variables if var.name.lower() == "type"]


def _repeated_single_options(category: Category, type_schema: TypeSchema) -> Iterator[tuple[Variable, Variable]]:
    """(earlier line, later line) for single-valued options written twice in the section's own lines."""
    last: dict[str, Variable] = {}
    for var in own_variables(category):
        name = var.name.lower()
        spec = type_schema.option(var.name)
        if name == "type" or spec is None or spec.multi:
            continue
        key = spec.alias_of or spec.name
        earlier = last.get(key)
        if earlier is not None and earlier.source == var.source:
            yield earlier, var
        last[key] = var


def _duplicate_options(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    config = snapshot.config
    if config is None:
        return
    types = load_schema(snapshot.asterisk_version).types
    for category in config.categories:
        type_schema = types.get(category_type(category) or "")
        if type_schema is None:
            continue
        for earlier, later in _repeated_single_options(category, type_schema):
            message = (
                f"[{category.name}] sets {later.name} again (line {earlier.line}: {earlier.name}={shown(earlier)});"
                f" only the last value, {shown(later)!r}, takes effect"
            )
            yield DUPLICATE_OPTION.finding(
                later.source.name, later.line, message, object_type=category_type(category), object_id=category.name
            )


def _max_contacts_without_remove_existing(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for aor in snapshot.of_type("aor").values():
        var = last_variable(aor.variables, "max_contacts")
        if var is None or var.value.strip() != "1":
            continue
        if ast_true(last_value(aor.variables, "remove_existing") or ""):
            continue
        message = (
            f"aor '{aor.id}' has max_contacts=1 without remove_existing=yes: when the phone re-registers from"
            f" a new address (reboot, NAT change) Asterisk refuses it until the old contact expires"
        )
        yield MAX_CONTACTS.finding(var.source.name, var.line, message, object_type="aor", object_id=aor.id)


def _warnings_with(snapshot: Snapshot, rule: Rule, codes: frozenset[str], prefix: str = "") -> Iterator[Finding]:
    for problem in snapshot.warnings:
        if problem.code in codes:
            message = prefix + without_module(problem.message)
            yield rule.finding(problem.source.name, problem.line, message, column=problem.column)


def _asterisk_warnings(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    return _warnings_with(snapshot, ASTERISK_WARNING, ASTERISK_WARNING_CODES, "Asterisk warns: ")


def _realtime_rows(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    return _warnings_with(snapshot, REALTIME_ROWS, REALTIME_ROW_CODES)


def _realtime_columns(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    return _warnings_with(snapshot, REALTIME_COLUMN, REALTIME_COLUMN_CODES)


def _wiring_warnings(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for problem in snapshot.warnings:
        if is_wiring_problem(problem) and problem.severity != "error":
            yield WIRING_WARNING.finding(problem.source.name, problem.line, problem.message, column=problem.column)


def _untrimmed_names(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    config = snapshot.config
    if config is None:
        return
    for category in config.categories:
        if category.name != category.name.strip():
            message = (
                f"section name {category.name!r} has leading or trailing blanks: Asterisk keeps them, so the id"
                f" is {category.name!r}, not {category.name.strip()!r}"
            )
            yield UNTRIMMED_NAME.finding(category.source.name, category.line, message)


def _conflicting_types(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    config = snapshot.config
    if config is None:
        return
    for category in config.categories:
        if category.is_template:
            continue
        lines = _type_lines(category)
        if len({var.value for var in lines}) < 2:
            continue
        first = lines[0]
        for var in lines[1:]:
            if var.value == first.value:
                continue
            origin = f" (inherited from [{first.section}])" if first.section != category.name else ""
            message = (
                f"[{category.name}] has type={var.value}, but an earlier type={first.value} line"
                f" ({first.source.name}:{first.line}{origin}) decides: Asterisk loads it as {first.value}"
            )
            yield CONFLICTING_TYPE.finding(var.source.name, var.line, message, object_id=category.name)


DUPLICATE_OPTION = Rule(
    "H501", "duplicate-option", "warning",
    summary="A single-valued option written twice in one section.",
    why="The last line wins and the earlier one is silently ignored; for aors=, auth= and callerid= this"
    " often drops values someone meant to add.",
    example="[6001]\ntype=endpoint\naors=6001\naors=6001-mobile",
    fix="Keep one line (aors=6001,6001-mobile for lists).",
    check=_duplicate_options,
)
MAX_CONTACTS = Rule(
    "H502", "max-contacts-without-remove-existing", "warning",
    summary="An aor with max_contacts=1 and no remove_existing=yes.",
    why="A phone that reboots or changes address cannot register again until its old contact expires:"
    " Asterisk rejects the new registration because the aor is full.",
    example="[6001]\ntype=aor\nmax_contacts=1",
    fix="Add remove_existing=yes (the new registration replaces the old contact).",
    check=_max_contacts_without_remove_existing,
)
ASTERISK_WARNING = Rule(
    "H503", "asterisk-warning", "warning",
    summary="Something Asterisk accepts but warns about when loading (out-of-range call group, unknown named"
    " ACL, realtime rows a multi-row lookup loses, ...).",
    why="Asterisk loads the object but changes or ignores part of it; the warning appears only in its log.",
    example="[6001]\ntype=endpoint\ncall_group=64   ; groups are 0-63",
    fix="Do what the message says; the value Asterisk actually uses is shown by `pjsipconf show`.",
    check=_asterisk_warnings,
)
UNTRIMMED_NAME = Rule(
    "H504", "untrimmed-name", "warning",
    summary="A section name with leading or trailing blanks, such as [ 6001 ].",
    why="Asterisk does not trim section names: the object is ' 6001 ', and references to 6001 do not find it.",
    example="[ 6001 ]\ntype=endpoint",
    fix="Remove the blanks inside the brackets.",
    check=_untrimmed_names,
)
CONFLICTING_TYPE = Rule(
    "H505", "conflicting-type", "warning",
    summary="A section with two different type= lines (its own or inherited).",
    why="The FIRST type= line decides, and inherited lines come first: a type= in a template overrides the"
    " section's own.",
    example="[tmpl](!)\ntype=endpoint\n\n[6001](tmpl)\ntype=aor   ; loaded as an endpoint",
    fix="Remove type= from the template, or use a template of the right type.",
    check=_conflicting_types,
)

REALTIME_ROWS = Rule(
    "H506", "realtime-lost-rows", "warning",
    summary="Realtime rows that some of Asterisk's lookups lose: NULL/empty columns in multi-row lookups,"
    " empty strings in lookups by id, rows without id, ids in several rows.",
    why="res_config_sqlite3 (and others) hand NULL columns to multi-row lookups as '', which options such as"
    " allow or enums refuse: `pjsip show endpoints` lists nothing while `pjsip show endpoint 1001` works."
    " Asterisk says nothing about it at load time.",
    example="-- ps_endpoints row 1001 with allow = NULL (full Alembic schema)",
    fix="Store a value in the column (or drop the column from the table), and give every row a unique id.",
    check=_realtime_rows,
)
REALTIME_COLUMN = Rule(
    "H507", "realtime-ignored-column", "info",
    summary="A realtime column Asterisk ignores (not an option of the type, or renamed by a migration).",
    why="The value in it has no effect; usually a legacy column such as external_media_address.",
    example="-- ps_endpoints.external_media_address = 192.0.2.1",
    fix="Move the value to the column Asterisk reads (media_address), or drop the column.",
    check=_realtime_columns,
)
WIRING_WARNING = Rule(
    "H508", "wiring-warning", "warning",
    summary="A sorcery.conf or extconfig.conf line Asterisk ignores or doubts (empty mapping, unknown type,"
    " wrong format, duplicate wizard).",
    why="The mapping you meant is not in effect: objects come from a different place than you think.",
    example="[res_pjsip]\nendpont=realtime,ps_endpoints   ; misspelled type",
    fix="Correct the line as the message says.",
    check=_wiring_warnings,
)



def _unknown_suppressions(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    """Suppression comments naming something no rule answers to: they silence nothing."""
    from pjsipconf.check.rules import ALL_RULES  # this module's rules are among them

    config = snapshot.config
    if config is None:
        return
    places = [(item.source.name, item.line, item.rules) for item in config.suppressions]
    places += [(category.source.name, category.line, category.suppressed) for category in config.categories]
    for file, line, tokens in places:
        for token in sorted(tokens):
            if token.lower() != "all" and not any(matches(rule, token) for rule in ALL_RULES):
                yield UNKNOWN_SUPPRESSION.finding(
                    file, line, f"the suppression comment names {token!r}, which is no rule id or name: it silences nothing"
                )


UNKNOWN_SUPPRESSION = Rule(
    "H509", "unknown-suppression", "warning",
    summary="A `; pjsipconf: ignore=...` comment naming no rule id, id prefix or name.",
    why="It silences nothing, so the finding it was meant for is still reported (or a typo hides which one).",
    example="password=1009 ; pjsipconf: ignore=S4O2",
    fix="Write the rule's id (S402) or name (password-is-username); `ignore=all` silences every rule.",
    check=_unknown_suppressions,
)

RULES: tuple[Rule, ...] = (
    DUPLICATE_OPTION, MAX_CONTACTS, ASTERISK_WARNING, UNTRIMMED_NAME, CONFLICTING_TYPE, REALTIME_ROWS,
    REALTIME_COLUMN, WIRING_WARNING, UNKNOWN_SUPPRESSION,
)
