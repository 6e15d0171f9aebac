"""Plain data produced by the config-file parser (the `conf` stage).

Everything here is frozen and slotted: a 100,000-endpoint configuration holds millions of
`Variable`s, and inherited variables are the *same* objects as the template's (they are
immutable, so sharing is safe and saves memory).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where lines come from: a config file, or a realtime table. Few exist; objects share them."""

    kind: Literal["file", "realtime"]
    name: str  # file: path relative to the config dir (absolute if outside it); realtime: table name
    detail: str = ""  # file: absolute path; realtime: database name / redacted URL
    # file: the name Asterisk's option messages give it instead of its path: `name~~N` for the
    # Nth repeat of an #include name (config.c's ast_include_new); for the top-level file, its
    # absolute path once an invalid #include has left config.c's include level raised (its lines
    # are otherwise named ""); else "".
    logged_as: str = ""

    def __str__(self) -> str:
        return self.name if self.kind == "file" else f"{self.name} ({self.detail})" if self.detail else self.name


@dataclass(frozen=True, slots=True)
class Variable:
    """One `name = value` line, after comment removal, escapes and `+=` folding.

    `section` is the category the line was written in: for a variable inherited from a
    template it names the template, which is how provenance says "via template X".
    `logged_line` is the line number Asterisk prints for this line; it differs from `line`
    only for the 2nd+ files of a glob `#include` (Asterisk keeps counting across them).
    For realtime values `line` is 0 and `section` is the row id.
    """

    name: str
    value: str
    source: Source
    line: int
    section: str
    logged_line: int
    operator: Literal["=", "=>", "+="] = "="

    def written(self) -> tuple["Variable", ...]:
        """The lines as written that made this one: itself, or for a folded `+=`, each of them."""
        return (self,)


@dataclass(frozen=True, slots=True)
class FoldedVariable(Variable):
    """A variable that `key += text` lines appended to. Like config.c's, it keeps the first line's
    number (Asterisk's messages name that line); `parts` keeps what each line wrote, the original
    first, then every `+=` with the text it appended, so provenance can cite them all."""

    parts: tuple[Variable, ...] = ()

    def written(self) -> tuple[Variable, ...]:
        return self.parts


@dataclass(frozen=True, slots=True)
class Category:
    """One `[name]` section with its variables in Asterisk's order (inherited ones first)."""

    name: str
    source: Source
    line: int
    is_template: bool
    templates: tuple[str, ...]  # the categories it inherits from, as written in `(a,b)`
    variables: tuple[Variable, ...]
    # How many leading `variables` were inherited (copied from the categories in `templates`).
    inherited: int = 0
    # Rule ids suppressed for the whole section by `; pjsipconf: ignore=ID[,ID]` on its header.
    suppressed: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Problem:
    """A syntax problem of the kind config.c logs; `fatal` ones invalidate the whole file."""

    code: str  # stable id, e.g. "no-equals", "missing-include" (see conf.problems)
    message: str  # for a person: what is wrong and what Asterisk does about it
    source: Source
    line: int
    column: int = 1
    fatal: bool = False  # Asterisk rejects the whole top-level file
    severity: Severity = "warning"


@dataclass(frozen=True, slots=True)
class ExecDirective:
    """An `#exec` line: recorded and reported, never run."""

    command: str
    source: Source
    line: int


@dataclass(frozen=True, slots=True)
class Suppression:
    """`; pjsipconf: ignore=ID[,ID]` written on a variable line."""

    rules: frozenset[str]
    source: Source
    line: int


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """The parse of one top-level config file and everything it includes."""

    path: str  # absolute path of the top-level file
    config_dir: str  # absolute config directory (include paths are relative to it)
    categories: tuple[Category, ...]  # in file order, templates included
    problems: tuple[Problem, ...]
    files_read: tuple[str, ...]  # absolute paths, in read order (top-level first)
    invalid: bool  # Asterisk would reject the whole file (a fatal problem in the top-level file)
    execs: tuple[ExecDirective, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    exists: bool = True  # False when the top-level file itself is missing (Asterisk: no objects, no error)
    # Each `[name](+)` header: its file and line, and the category its lines went to.
    additions: tuple[tuple[Source, int, Category], ...] = ()
