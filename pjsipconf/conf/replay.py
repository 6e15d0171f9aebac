"""Re-reading an unchanged file without parsing its lines again: the server's rebuilds.

A file of section headers and plain `name = value` lines (comments and blank lines aside) means
the same lines whatever was read before it: each variable belongs to the header above it, so it is
the same immutable Variable every time. Only the headers depend on what came before (templates,
`(+)` targets, duplicate names), so a replay feeds the recorded headers to `header()` again and
appends each header's recorded variables. Anything else in a file (directives, `+=`, escapes,
lines before the first header, problems of its own lines) and the file is simply parsed again.

A tape is kept for exactly the bytes, source, starting line counter (glob files continue it) of
one read of the file; `FileTapes` holds those of the last build (see `model.reuse.BuildMemo`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pjsipconf.conf.categories import header
from pjsipconf.conf.construct import Cat, make_variable
from pjsipconf.conf.state import ParseFile, ParseState
from pjsipconf.conf.types import Source, Variable
from pjsipconf.generations import Generations

TapeKey = tuple[Source, int, bytes]


@dataclass(frozen=True, slots=True)
class Segment:
    """One header line and the variables written under it."""

    text: str
    line: int
    logged: int
    variables: tuple[Variable, ...]


@dataclass(frozen=True, slots=True)
class Tape:
    segments: tuple[Segment, ...]
    consumed: int  # how far the file moves the line counter (FileLines.consumed)


# The tapes of the last build, by key (see model.reuse.BuildMemo, which holds them for a server).
FileTapes = Generations[TapeKey, Tape]


@dataclass(slots=True)
class Recorder:
    """Watches one file being parsed: the headers it met and whether the file is replayable."""

    entering: Cat | None  # the category the file continues (it must not receive a line)
    entering_size: int
    replayable: bool = True
    # Per header: its text, line, logged line, the category it left current and that category's
    # number of variables right after it; `ends` closes each header's run at the next one.
    marks: list[tuple[str, int, int, Cat, int]] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    @classmethod
    def entering_with(cls, cat: Cat | None) -> "Recorder":
        return cls(cat, len(cat.variables) if cat is not None else 0)

    def before_header(self, cat: Cat | None) -> None:
        if self.marks:
            self.ends.append(len(cat.variables))  # type: ignore[union-attr]
        elif cat is not None and (cat is not self.entering or len(cat.variables) != self.entering_size):
            self.replayable = False  # lines before the first header went to the section read before

    def after_header(self, text: str, line: int, logged: int, cat: Cat) -> None:
        self.marks.append((text, line, logged, cat, len(cat.variables)))

    def tape(self, cat: Cat | None, consumed: int) -> Tape | None:
        """The file's tape once it was read to its end (None when it cannot be replayed)."""
        if not self.replayable:
            return None
        if not self.marks:
            if cat is not self.entering or (cat is not None and len(cat.variables) != self.entering_size):
                return None
            return Tape((), consumed)
        ends = [*self.ends, len(self.marks[-1][3].variables)]
        segments = tuple(
            Segment(text, line, logged, tuple(target.variables[start:end]))
            for (text, line, logged, target, start), end in zip(self.marks, ends)
        )
        return Tape(segments, consumed)


def replay(state: ParseState, file: ParseFile, tape: Tape, cat: Cat | None) -> tuple[Cat | None, bool]:
    """What `_parse_lines` does with the recorded file: the same headers, the same variables."""
    for segment in tape.segments:
        ok, cat = header(state, file, segment.text, segment.line, segment.logged, cat)
        if not ok:
            return cat, False
        variables = segment.variables
        if variables:
            if variables[0].section != cat.name:  # type: ignore[union-attr]
                variables = _in_section(variables, cat.name)  # type: ignore[union-attr]
            cat.variables.extend(variables)  # type: ignore[union-attr]
    return cat, True


def _in_section(variables: tuple[Variable, ...], section: str) -> tuple[Variable, ...]:
    """A `(+)` header found its section under another spelling this time (names match in any case)."""
    return tuple(
        make_variable(v.name, v.value, v.source, v.line, section, v.logged_line, v.operator) for v in variables
    )
