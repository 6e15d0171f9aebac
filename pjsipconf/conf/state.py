"""The state one parse shares across the files it reads (config.c's `struct ast_config`), and
how problems are reported into it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pjsipconf.conf.construct import Cat
from pjsipconf.conf.lines import FileLines
from pjsipconf.conf.problems import problem
from pjsipconf.conf.reader import Reader
from pjsipconf.conf.types import ExecDirective, Problem, Source, Suppression

if TYPE_CHECKING:
    from pjsipconf.conf.replay import FileTapes

# Outcomes of loading one file (config.c: NULL, CONFIG_STATUS_FILEINVALID, the config).
Status = Literal["missing", "invalid", "ok"]


@dataclass(slots=True)
class ParseFile:
    """One file being read: its Source and whether it is the top-level file."""

    source: Source
    top_level: bool


@dataclass(slots=True)
class ParseState:
    """Everything one parse shares across files (config.c's `struct ast_config`)."""

    reader: Reader
    config_dir: str
    categories: list[Cat] = field(default_factory=list)
    # Lookups by name (case-insensitive): the first category of each name, and for names used
    # more than once all of them in order (most names are unique; no list for those).
    first_by_name: dict[str, Cat] = field(default_factory=dict)
    all_by_name: dict[str, list[Cat]] = field(default_factory=dict)
    current: Cat | None = None
    include_level: int = 0
    problems: list[Problem] = field(default_factory=list)
    execs: list[ExecDirective] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    additions: list[tuple[Source, int, Cat]] = field(default_factory=list)  # see ConfigFile.additions
    files_read: dict[str, None] = field(default_factory=dict)
    sources: dict[tuple[str, str], Source] = field(default_factory=dict)  # (path, logged as)
    include_names: dict[str, int] = field(default_factory=dict)  # #include name -> times repeated
    reported_once: set[tuple[str, str, int]] = field(default_factory=set)  # see ONCE_PER_LINE
    loading: list[str] = field(default_factory=list)  # files being read, outermost first
    loads: int = 0
    split_cache: dict[tuple[str, bool], FileLines] = field(default_factory=dict)
    read_cache: dict[str, bytes | OSError] = field(default_factory=dict)
    tapes: FileTapes | None = None  # unchanged files of the last build are replayed, not parsed
    update_last_match: bool = False  # `+=` rewrites the last matching line (Asterisk 23), not the first
    filters: dict[str, list[tuple]] = field(default_factory=dict)


ONCE_PER_LINE = frozenset({"duplicate-include", "include-cycle", "include-depth", "tryinclude-depth", "include-budget"})  # repeated by include cycles


def report(state: ParseState, file: ParseFile, code: str, message: str, line: int) -> None:
    if code in ONCE_PER_LINE:
        place = (code, file.source.detail, line)  # the file, whatever name a repeat reads it under
        if place in state.reported_once:
            return
        state.reported_once.add(place)
    state.problems.append(problem(code, f"{message} ({file.source.name}:{line})", file.source, line, top_level=file.top_level))
