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
        return re.compile(posix_to_python(pattern))
    except re.error as error:
        bad_regex(pattern, error)
        return None


# POSIX character classes as glibc has them for ASCII (Asterisk runs in C.UTF-8).
_CLASSES = {
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "alnum": "a-zA-Z0-9",
    "upper": "A-Z",
    "lower": "a-z",
    "space": " \\t\\n\\r\\f\\v",
    "blank": " \\t",
    "punct": "!-/:-@\\[-`{-~",
    "print": " -~",
    "graph": "!-~",
    "cntrl": "\\x00-\\x1f\\x7f",
    "xdigit": "0-9A-Fa-f",
}
# glibc's escapes outside brackets; any other `\c` is the character c itself.
_ESCAPES = {"w": r"\w", "W": r"\W", "s": r"\s", "S": r"\S", "b": r"\b", "B": r"\B",
            "<": r"\b(?=\w)", ">": r"\b(?<=\w)", "`": r"\A", "'": r"\Z"}


def posix_to_python(pattern: str) -> str:
    """A POSIX extended regex (glibc regcomp) as Python `re` syntax.

    Only what the two disagree on is rewritten: bracket expressions (`[[:alpha:]]`, `[]a]`, a
    backslash is literal inside them) and backslash escapes (`\\d` is a plain `d` for glibc).
    Raises re.error where regcomp fails on a bracket or a trailing backslash.
    """
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            if index + 1 == len(pattern):
                raise re.error("trailing backslash", pattern, index)
            out.append(_escape(pattern[index + 1]))
            index += 2
        elif char == "[":
            bracket, index = _bracket(pattern, index)
            out.append(bracket)
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if "1" <= char <= "9":
        return "\\" + char  # a back-reference in both
    return re.escape(char)


def _bracket(pattern: str, start: int) -> tuple[str, int]:
    """The bracket expression opening at `start` as a Python set, and the index after it."""
    index = start + 1
    negate = index < len(pattern) and pattern[index] == "^"
    index += negate
    items: list[str] = []
    first = True
    while index < len(pattern) and (pattern[index] != "]" or first):
        first = False
        if pattern.startswith(("[:", "[=", "[."), index):
            close = pattern.find(pattern[index + 1] + "]", index + 2)
            if close == -1:
                raise re.error("unterminated bracket item", pattern, index)
            name = pattern[index + 2 : close]
            if pattern[index + 1] == ":":
                if name not in _CLASSES:
                    raise re.error(f"invalid character class '{name}'", pattern, index)
                items.append(_CLASSES[name])
            else:
                items.append(re.escape(name))
            index = close + 2
            continue
        char = pattern[index]
        if char == "-" and items and index + 1 < len(pattern) and pattern[index + 1] != "]":
            items.append("-")  # a range between the previous and the next character
        else:
            items.append(re.escape(char) if char != "-" else "\\-")
        index += 1
    if index >= len(pattern):
        raise re.error("unmatched [", pattern, start)
    return ("[^" if negate else "[") + "".join(items) + "]", index + 1


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
    """ast_strip_quoted: a lone quote is both ends at once and leaves an empty string."""
    text = text.strip(BLANKS)
    if text and text[0] in "'\"" and text[-1] == text[0]:
        return text[1:-1]
    return text
