"""The filters of `[name](+filter)` and of config.c's category lookups (does_category_match).

A filter is `&`-separated `regex_name=regex_value` pairs (POSIX ERE, unanchored; Python's `re`
stands in), plus the special `TEMPLATES=include|restrict`. It is parsed once per header and then
matched against each candidate category's variables.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from pjsipconf.conf.types import Variable

BLANKS = "".join(map(chr, range(33)))  # ast_strip removes every byte < 33

# ("incomplete",) | ("include",) | ("restrict",) | ("ignored-templates",) | ("bad-regex",)
# | ("regex", name_pattern, value_pattern)
Term = tuple


def parse_filter(match: str, bad_regex: Callable[[str, re.error], None]) -> list[Term]:
    """A filter split into terms; `bad_regex` hears of each pattern that does not compile."""
    terms: list[Term] = []
    for pair in strsep_strip(match, "&"):
        parts = strsep_strip(pair, "=")
        if len(parts) < 2:
            terms.append(("incomplete",))
            break
        regex_name, regex_value = parts[0], parts[1]
        if regex_name == "TEMPLATES":
            mode = regex_value.lower()
            terms.append((mode,) if mode in ("include", "restrict") else ("ignored-templates",))
            continue
        compiled_name = _compile(regex_name, bad_regex)
        compiled_value = _compile(regex_value, bad_regex)
        if compiled_name is None or compiled_value is None:
            terms.append(("bad-regex",))
        else:
            terms.append(("regex", compiled_name, compiled_value))
    return terms


def filter_matches(terms: list[Term], is_template: bool, variables: Iterable[Variable]) -> bool:
    """does_category_match for a non-empty filter: every term holds (a template only when allowed)."""
    expressions = found = 0
    template_ok = False
    for term in terms:
        expressions += 1
        kind = term[0]
        if kind == "incomplete":  # a pair without '=' ends the list unmatched
            break
        if kind == "include":
            template_ok = template_ok or is_template
            found += 1
        elif kind == "restrict":
            if not is_template:
                break
            found += 1
            template_ok = True
        elif kind == "regex":
            name_re, value_re = term[1], term[2]
            if any(name_re.search(v.name) and value_re.search(v.value) for v in variables):
                found += 1
        elif kind == "bad-regex":
            return False
    return found == expressions and (not is_template or template_ok)


def _compile(pattern: str, bad_regex: Callable[[str, re.error], None]) -> re.Pattern[str] | None:
    """regcomp(REG_EXTENDED); a pattern that does not compile makes the category not match."""
    try:
        return re.compile(pattern)
    except re.error as error:
        bad_regex(pattern, error)
        return None


def strsep_strip(text: str, separator: str) -> list[str]:
    """ast_strsep(AST_STRSEP_STRIP) repeated: split outside quotes, `\\` protects a character,
    each piece trimmed and stripped of one pair of surrounding quotes."""
    pieces: list[str] = []
    start = index = 0
    quotes: list[str] = []
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char in "'\"":
            if quotes and quotes[-1] == char:
                quotes.pop()
            else:
                quotes.append(char)
        elif char == separator and not quotes:
            pieces.append(text[start:index])
            start = index + 1
        index += 1
    pieces.append(text[start:])
    return [strip_quoted(piece) for piece in pieces]


def strip_quoted(text: str) -> str:
    text = text.strip(BLANKS)
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
        return text[1:-1]
    return text
