"""Section headers: `[name]`, `[name](!)`, `[name](base,...)`, `[name](+filter)`, as config.c
creates, inherits, finds and appends to categories."""

from __future__ import annotations

import re
from sys import intern

from pjsipconf.conf.construct import (
    Cat,
    ascii_lower,
    new_category,
    set_inherited,
    set_is_template,
    set_templates,
)
from pjsipconf.conf.filters import filter_matches, parse_filter
from pjsipconf.conf.state import ParseFile, ParseState, report
from pjsipconf.conf.types import Variable

CATEGORY_NAME_MAX = 79  # char name[80]


def header(
    state: ParseState, file: ParseFile, text: str, line: int, logged: int, cat: Cat | None
) -> tuple[bool, Cat | None]:
    """`[name]`, `[name](!)`, `[name](base,...)`, `[name](+filter)`: config.c's category header."""
    close = text.find("]")
    if close == -1:
        message = f"parse error: no closing ']', line {logged}: Asterisk rejects the whole file"
        report(state, file, "unclosed-section", message, line)
        return False, cat
    written = text[1:close]
    name = intern(written)  # [1001] names an endpoint, an aor and an auth: one string
    if len(name) > CATEGORY_NAME_MAX // 4:
        name = _cut_name(name)
    new: Cat | None = new_category(name, file.source, line)
    cat = new
    if text[close + 1 : close + 2] == "(":
        end = text.find(")", close + 2)
        if end == -1:
            message = f"parse error: no closing ')', line {logged}: Asterisk rejects the whole file"
            report(state, file, "unclosed-options", message, line)
            return False, cat
        for token in text[close + 2 : end].split(","):
            if token == "!":
                set_is_template(cat, True)
            elif token[:1] == "+":
                # config.c looks for the name as written, not as stored (cut to 79 bytes): a
                # longer name never finds its section.
                target = _find_category(state, written, token[1:], file, line)
                if target is None:
                    message = (
                        f"Category addition requested, but category '{written}' does not exist, line {logged}: "
                        "'(+)' needs an earlier section of that name (at most "
                        f"{CATEGORY_NAME_MAX} bytes); Asterisk rejects the whole file"
                    )
                    report(state, file, "no-addition-target", message, line)
                    return False, cat
                state.additions.append((file.source, line, target))
                if new is not None:
                    state.current = target
                    set_is_template(target, target.is_template or new.is_template)
                    _move_variables(new, target)
                    new = None
                cat = target
            else:
                base = _find_base(state, token)
                if base is None:
                    message = (
                        f"Inheritance requested, but category '{token}' does not exist, line {logged}: "
                        "names in (...) are not trimmed and must name an earlier section; "
                        "Asterisk rejects the whole file"
                    )
                    report(state, file, "unknown-base", message, line)
                    return False, cat
                _inherit(cat, base)  # type: ignore[arg-type]
    if new is not None:
        _append_category(state, new)
    return True, cat


def _cut_name(name: str) -> str:
    if len(encoded := name.encode("utf-8", "replace")) <= CATEGORY_NAME_MAX:
        return name
    return encoded[:CATEGORY_NAME_MAX].decode("utf-8", "replace")


def _append_category(state: ParseState, cat: Cat) -> None:
    state.categories.append(cat)
    name = cat.name
    key = name.lower() if name.isascii() else ascii_lower(name)
    first = state.first_by_name.setdefault(key, cat)
    if first is not cat:
        same = state.all_by_name.get(key)
        if same is None:
            state.all_by_name[key] = [first, cat]
        else:
            same.append(cat)
    state.current = cat


def _inherit(cat: Cat, base: Cat) -> None:
    """ast_category_inherit: the base's variables (the same immutable objects) go to the end."""
    set_templates(cat, (*cat.templates, base.name))
    variables: list[Variable] = cat.variables  # type: ignore[assignment]
    if cat.inherited == len(variables):
        set_inherited(cat, cat.inherited + len(base.variables))
    variables.extend(base.variables)


def _move_variables(source: Cat, target: Cat) -> None:
    """move_variables: only the variables go; the target's templates (and prefix) stay as they were."""
    target.variables.extend(source.variables)  # type: ignore[attr-defined]


def _find_base(state: ParseState, name: str) -> Cat | None:
    """category_get_sep(name, "TEMPLATES=include"): that filter admits every category, so the
    first one of that name (any category at all for an empty name)."""
    if not name:
        return state.categories[0] if state.categories else None
    return state.first_by_name.get(name.lower() if name.isascii() else ascii_lower(name))


def _find_category(state: ParseState, name: str, match: str, file: ParseFile, line: int) -> Cat | None:
    """category_get_sep: the first category (config order) with that name matching `match`.

    An empty name matches every category (config.c skips the name test for "").
    """
    if name:
        key = ascii_lower(name)
        first = state.first_by_name.get(key)
        candidates = state.all_by_name.get(key) or ([first] if first is not None else [])
    else:
        candidates = state.categories
    for candidate in candidates:
        if _category_matches(state, candidate, match, file, line):
            return candidate
    return None


def _category_matches(state: ParseState, cat: Cat, match: str, file: ParseFile, line: int) -> bool:
    """does_category_match: empty filter = not a template; else every `name=value` regex pair."""
    if not match:
        return not cat.is_template
    terms = state.filters.get(match)
    if terms is None:
        def bad_regex(pattern: str, error: re.error) -> None:
            message = (
                f"Regular expression '{pattern}' failed to compile ({error}): Asterisk treats the section as "
                "not matching"
            )
            report(state, file, "bad-filter", message, line)

        terms = state.filters[match] = parse_filter(match, bad_regex)
    return filter_matches(terms, cat.is_template, cat.variables)  # type: ignore[arg-type]
