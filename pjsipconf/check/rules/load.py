"""L1xx: what Asterisk's parser and loader refuse, one finding per cause, at the line Asterisk names.

Errors here mean something is lost: the whole file (a fatal parse problem), a whole type (a
duplicate id), or one object (a bad option, a failed apply check). Asterisk logs only the first
bad option of an object; the model keeps every one and so do these rules.
"""

from __future__ import annotations

from functools import cached_property
from typing import Iterable, Iterator

from pjsipconf.check.facts import (
    Place,
    is_wiring_problem,
    object_place,
    section_headers,
    shown,
    source_name,
    without_location,
    without_module,
)
from pjsipconf.check.types import CheckSettings, Finding, Rule
from pjsipconf.conf.types import Problem, Variable
from pjsipconf.model.types import OptionIssue, Rejection, Snapshot
from pjsipconf.schema import load_schema

# Parser problem codes whose rule is not the generic parse error / syntax warning.
MISSING_INCLUDE_CODES = frozenset({"missing-include"})
MISSING_BASE_CODES = frozenset({"unknown-base"})
INCLUDE_CYCLE_CODES = frozenset({"include-cycle"})
# `#exec` is a security finding (S408), from ConfigFile.execs.
SPECIFIC_CODES = MISSING_INCLUDE_CODES | MISSING_BASE_CODES | INCLUDE_CYCLE_CODES | frozenset({"exec-directive"})


def _problems(snapshot: Snapshot) -> tuple[Problem, ...]:
    return snapshot.config.problems if snapshot.config is not None else ()


def _is_lossy(problem: Problem) -> bool:
    """Fatal problems lose the whole file; an error-level one inside an include loses that file's rest."""
    return problem.fatal or problem.severity == "error"


def _problem_finding(rule: Rule, problem: Problem, consequence: str) -> Finding:
    message = without_location(problem.message, problem.source.name, problem.line)
    return rule.finding(problem.source.name, problem.line, f"{message}{consequence}", column=problem.column)


def _consequence(problem: Problem) -> str:
    if "rejects the" in problem.message or problem.line == 0:
        return ""  # the parser's message says it already, or it is about the whole file, not a line
    if problem.fatal:
        return "; Asterisk rejects the whole file: no object of any type loads from it"
    if problem.severity == "error":
        return f"; Asterisk stops reading {problem.source.name} here: everything after this line in it is lost"
    return ""


def _parse_errors(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for problem in _problems(snapshot):
        if problem.code not in SPECIFIC_CODES and _is_lossy(problem):
            yield _problem_finding(PARSE_ERROR, problem, _consequence(problem))
    yield from _unexplained_whole_file_failures(snapshot)


def _unexplained_whole_file_failures(snapshot: Snapshot) -> Iterator[Finding]:
    """A whole-file rejection whose cause no parser problem of the main file reports (e.g. another file)."""
    reported = {(p.source.name, p.line) for p in _problems(snapshot) if p.fatal}
    for rejection in snapshot.rejected:
        if rejection.cause != "whole-file":
            continue
        file = source_name(rejection.source)
        if (file, rejection.line) in reported:
            continue
        yield PARSE_ERROR.finding(file, rejection.line, f"{rejection.message}: no object of any type loads from it")


def _missing_includes(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for problem in _problems(snapshot):
        if problem.code in MISSING_INCLUDE_CODES:
            yield _problem_finding(MISSING_INCLUDE, problem, _consequence(problem))


def _missing_bases(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for problem in _problems(snapshot):
        if problem.code in MISSING_BASE_CODES:
            hint = ""
            if "category ' " in problem.message or " ' does not exist" in problem.message:
                hint = " (a space after the comma in '(a, b)' is part of the name: write '(a,b)')"
            yield _problem_finding(MISSING_BASE, problem, hint + _consequence(problem))


def _syntax_warnings(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for problem in _problems(snapshot):
        if problem.code not in SPECIFIC_CODES and not _is_lossy(problem):
            yield _problem_finding(SYNTAX_WARNING, problem, "")


def _where(var: Variable) -> tuple[str, int, str]:
    """The file and physical line (where an editor, a CI annotation and a suppression comment
    find it), and a note with the line Asterisk names when that differs."""
    note = ""
    if var.logged_line != var.line:
        note = f" (Asterisk counts lines across the files of a glob #include and names this line {var.logged_line})"
    return var.source.name, var.line, note


def _via(issue: OptionIssue, rejection: Rejection) -> str:
    section = issue.variable.section
    if issue.variable.source.kind == "file" and section and section != rejection.id:
        return f" (inherited from [{section}])"
    return ""


def _issue_findings(rule: Rule, snapshot: Snapshot, code: str) -> Iterator[Finding]:
    for rejection in snapshot.rejected:
        for issue in rejection.issues:
            if issue.code != code:
                continue
            file, line, note = _where(issue.variable)
            message = _issue_message(snapshot, issue, rejection) + _via(issue, rejection) + note
            yield rule.finding(file, line, message, object_type=rejection.type, object_id=rejection.id)


def _named_in(snapshot: Snapshot, option: str, types: tuple[str, ...]) -> tuple[str, ...]:
    """The types that have `option` by name; phoneprov takes any key (a regex), which is no hint."""
    schema = load_schema(snapshot.asterisk_version).types
    named = []
    for type_ in types:
        spec = schema[type_].option(option) if type_ in schema else None
        if spec is not None and not spec.regex:
            named.append(type_)
    return tuple(named)


def refusal(snapshot: Snapshot, rejection: Rejection) -> str:
    """What a refusal loses. Another sorcery wizard (realtime, a second config file) may still
    serve the id: the refused section's settings are lost all the same."""
    served = snapshot.get(rejection.type, rejection.id)
    if served is None:
        return f"Asterisk refuses {rejection.type} '{rejection.id}'"
    where = f"{served.source}:{served.line}" if served.source.kind == "file" else str(served.source)
    return f"Asterisk refuses this {rejection.type} '{rejection.id}' and uses the one from {where} instead"


def _issue_message(snapshot: Snapshot, issue: OptionIssue, rejection: Rejection) -> str:
    lost = refusal(snapshot, rejection)
    if issue.code == "invalid-value":
        message = issue.message
        if issue.value and shown(issue.variable) != issue.value:
            message = _secret_masked(message, issue.value, shown(issue.variable))
        return f"{message}; {lost}"
    text = f"unknown option '{issue.option}' for type {rejection.type}"
    belongs_to = _named_in(snapshot, issue.option, issue.belongs_to)
    if belongs_to:
        text += f"; it is an option of {_or_list(belongs_to)}, not of {rejection.type}"
    if issue.suggestion:
        text += f"; did you mean '{issue.suggestion}'?"
    return f"{text}; {lost}"


def _secret_masked(message: str, value: str, mask: str) -> str:
    """An invalid-value message without the secret it is about. The message starts with the value
    quoted; Asterisk's log, appended after it, quotes the value in its own ways and is left out.
    (Replacing the value wherever it occurs mangled the text when the secret was short, e.g. `'`.)"""
    message = message.partition(" (Asterisk logs: ")[0]
    quoted = repr(value)
    if message.startswith(quoted):
        return repr(mask) + message[len(quoted):]
    return message.replace(value, mask)


def _or_list(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _unknown_options(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    return _issue_findings(UNKNOWN_OPTION, snapshot, "unknown-option")


def _invalid_values(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    return _issue_findings(INVALID_VALUE, snapshot, "invalid-value")


class _ObjectFindings:
    """Findings about refused objects: at the line Asterisk names, else at the section header."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    @cached_property
    def headers(self) -> dict[tuple[str, str], list[Place]]:
        return section_headers(self.snapshot)  # only when a refusal names no line

    def finding(self, rule: Rule, rejection: Rejection, message: str) -> Finding:
        file, line = source_name(rejection.source), rejection.line
        if line is None:
            place = object_place(self.snapshot, self.headers, rejection.type, rejection.id)
            if place is not None:
                file, line = place
        return rule.finding(file, line, message, object_type=rejection.type, object_id=rejection.id)


def _apply_errors(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    findings = _ObjectFindings(snapshot)
    for rejection in snapshot.rejected:
        if rejection.cause == "apply":
            logged = rejection.errors or (rejection.message,)  # an auth logs one error per algorithm
            reason = "; ".join(without_module(error).rstrip(". ") for error in logged) or "refused by its type"
            message = f"{reason}; {refusal(snapshot, rejection)}"
            yield findings.finding(APPLY_ERROR, rejection, message)
        elif rejection.cause == "option" and not rejection.issues:
            yield findings.finding(APPLY_ERROR, rejection, rejection.message)


def _duplicates(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    findings = _ObjectFindings(snapshot)
    by_type: dict[str, list[Rejection]] = {}
    for rejection in snapshot.rejected:
        if rejection.cause == "duplicate":
            by_type.setdefault(rejection.type, []).append(rejection)
    for type_, rejections in by_type.items():
        doubled = {id_: places for (t, id_), places in findings.headers.items() if t == type_ and len(places) > 1}
        culprits = "; ".join(
            f"[{id_}] at " + ", ".join(f"{file}:{line}" for file, line in places) for id_, places in doubled.items()
        )
        for rejection in rejections:
            places = findings.headers.get((type_, rejection.id), [])
            yield from _duplicate_findings(findings, rejection, places, culprits)


def _duplicate_findings(
    findings: _ObjectFindings, rejection: Rejection, places: list[Place], culprits: str
) -> Iterable[Finding]:
    type_, id_ = rejection.type, rejection.id
    if len(places) > 1:
        first = f"{places[0][0]}:{places[0][1]}"
        for file, line in places[1:]:
            message = (
                f"{type_} '{id_}' is defined again (first at {first}); a duplicate id makes Asterisk drop"
                f" every {type_} of the file"
            )
            yield DUPLICATE_OBJECT.finding(file, line, message, object_type=type_, object_id=id_)
        return
    message = f"{type_} '{id_}' is not loaded: the {type_} type contains a duplicate id ({culprits or rejection.message})"
    yield findings.finding(DUPLICATE_OBJECT, rejection, message)


def _single_objects(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    findings = _ObjectFindings(snapshot)
    for rejection in snapshot.rejected:
        if rejection.cause == "single-object":
            message = f"{rejection.message}; Asterisk loads no {rejection.type} object at all"
            yield findings.finding(SINGLE_OBJECT, rejection, message)


PARSE_ERROR = Rule(
    "L101", "parse-error", "error",
    summary="A syntax error that makes Asterisk reject the whole file (or the rest of an included file).",
    why="config.c gives up on the file: no object of any type is loaded from pjsip.conf, and Asterisk logs"
    " the reason once per object type, at load time, on the production box.",
    example="[6001\ntype=endpoint",
    fix="Correct the line named in the message (close the ']' or ')', put options under a section header).",
    check=_parse_errors,
)
MISSING_INCLUDE = Rule(
    "L102", "missing-include", "error",
    summary="An #include names a file (or a glob) that does not exist.",
    why="In the top-level file a missing #include makes the whole pjsip.conf invalid: nothing loads. Inside an"
    " included file it silently cuts the rest of that file.",
    example="#include pjsip_custom.conf   ; file not present",
    fix="Create the file, correct the name (paths are relative to the config directory, not to the including"
    " file), or use #tryinclude for optional files.",
    check=_missing_includes,
)
MISSING_BASE = Rule(
    "L103", "missing-template", "error",
    summary="A section inherits from a category that does not exist (yet).",
    why="Inheritance from a missing category is fatal for the whole file. The base must be defined earlier"
    " in the file (or in an earlier include), and '(a, b)' looks for a category named ' b' with a space.",
    example="[6001](phone-template)\ntype=endpoint   ; [phone-template] defined later or not at all",
    fix="Define the template before the sections that use it, fix its name, and write '(a,b)' without spaces.",
    check=_missing_bases,
)
SYNTAX_WARNING = Rule(
    "L104", "syntax-warning", "warning",
    summary="A line Asterisk's parser skips with a warning (no '=', no name, unknown directive, line too long).",
    why="Asterisk loads the rest but ignores the line, so the option you meant to set is not set.",
    example="[6001]\ntype=endpoint\ncontext default",
    fix="Write the line as 'name = value', or remove it.",
    check=_syntax_warnings,
)
UNKNOWN_OPTION = Rule(
    "L105", "unknown-option", "error",
    summary="An option the object's type does not have (often an option of another type, or a typo).",
    why="One unknown option makes Asterisk refuse the whole object; in a template it breaks every object"
    " that inherits it. Asterisk names only the first bad option; this rule reports every one.",
    example="[6001]\ntype=endpoint\nmax_contacts=1   ; an aor option",
    fix="Move the option to the section of the type it belongs to, or correct its spelling.",
    check=_unknown_options,
)
INVALID_VALUE = Rule(
    "L106", "invalid-value", "error",
    summary="A value the option's parser refuses (bad number, enum value, codec, address, file...).",
    why="Asterisk refuses the whole object (its 'Error parsing' message names only the first bad line).",
    example="[6001]\ntype=endpoint\ndtmf_mode=carrier",
    fix="Use one of the valid values the message lists.",
    check=_invalid_values,
)
APPLY_ERROR = Rule(
    "L107", "apply-error", "error",
    summary="An object its type refuses as a whole (transport without bind, auth without username, ...).",
    why="The type's apply check fails after every option parsed: the object is not loaded, and Asterisk's"
    " log names no line.",
    example="[t1]\ntype=transport\nprotocol=udp   ; no bind=",
    fix="Add what the message says is missing.",
    check=_apply_errors,
)
DUPLICATE_OBJECT = Rule(
    "L108", "duplicate-object", "error",
    summary="Two sections define the same id for one type.",
    why="A duplicate id aborts the load of that whole type from the file: not one object of the type"
    " (endpoint, aor, ...) is loaded. Every object of the type gets this error.",
    example="[dup]\ntype=endpoint\n\n[dup]\ntype=endpoint",
    fix="Rename one of the sections, or merge them (use [dup](+) to add lines to the first).",
    check=_duplicates,
)
SINGLE_OBJECT = Rule(
    "L109", "single-object", "error",
    summary="Several sections of a type that may exist only once (global, system).",
    why="With three or more, Asterisk refuses the type as a whole, so none of the settings apply (with two it"
    " loads both and warns; which one wins is not defined).",
    example="[global]\ntype=global\n\n[global2]\ntype=global\n\n[global3]\ntype=global",
    fix="Merge the sections into one.",
    check=_single_objects,
)

def _wiring_errors(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for problem in snapshot.warnings:
        if problem.severity == "error" and is_wiring_problem(problem):
            yield WIRING_ERROR.finding(problem.source.name, problem.line, problem.message, column=problem.column)


WIRING_ERROR = Rule(
    "L110", "wiring-error", "error",
    summary="sorcery.conf, extconfig.conf or a realtime table that Asterisk cannot use.",
    why="A wizard that fails to open loses its types (for [res_pjsip]: res_pjsip does not load at all); an"
    " invalid sorcery.conf loses every mapping; a table without an id column, or one the database does not"
    " have, serves no object.",
    example="[res_pjsip]\nendpoint=realtime,ps_endpoints   ; but extconfig.conf maps no ps_endpoints",
    fix="Correct the mapping as the message says (sorcery.conf type=wizard,data; extconfig.conf family =>"
    " driver,database,table).",
    check=_wiring_errors,
)


def _include_cycles(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for problem in _problems(snapshot):
        if problem.code in INCLUDE_CYCLE_CODES:
            yield _problem_finding(INCLUDE_CYCLE, problem, "")


INCLUDE_CYCLE = Rule(
    "L111", "include-cycle", "error",
    summary="A file that #includes itself, directly or through other files.",
    why="Asterisk crashes at startup (checked with 22.10.1: a segmentation fault while res_pjsip loads): each"
    " sorcery type loads pjsip.conf again, and config.c's check whether a file changed follows its"
    " #include lines recursively with no depth limit, round the cycle until the stack overflows. #tryinclude"
    " cycles crash too; a glob #include is not followed by that check.",
    example="; pjsip.conf\n#include pjsip_custom.conf\n; pjsip_custom.conf\n#include pjsip.conf",
    fix="Remove the #include that leads back to a file already being read.",
    check=_include_cycles,
)

RULES: tuple[Rule, ...] = (
    PARSE_ERROR, MISSING_INCLUDE, MISSING_BASE, SYNTAX_WARNING, UNKNOWN_OPTION, INVALID_VALUE,
    APPLY_ERROR, DUPLICATE_OBJECT, SINGLE_OBJECT, WIRING_ERROR, INCLUDE_CYCLE,
)
