"""Comment removal, exactly as config.c's read loop does it (before a line is interpreted).

`;` starts a comment, `\\;` is a literal `;` (the backslash goes), `;--` opens a block comment
(not `;---`), `--;` closes one; blocks nest and span lines, and what follows `--;` is glued onto
what preceded `;--`. The depth counter lives across lines (and across the files of one glob).
Quirk kept on purpose: a `--;` outside any block still decrements the counter, which goes
negative, and config.c then treats everything after it as a comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_NESTED_COMMENTS = 128


@dataclass(slots=True)
class CommentState:
    depth: int = 0
    opened_at: list[int] = field(default_factory=list)  # logged line of each open block
    went_negative: bool = False  # a stray `--;` drove the counter below zero
    nest_overflow: bool = False


def strip_comments(line: str, state: CommentState, lineno: int) -> str | None:
    """The text of `line` left for parsing (None: nothing, the line is inside a comment).

    Mirrors the C loop on a NUL-terminated buffer: `\\0` marks where the text was cut.
    """
    buf = line
    process: int | None = None if state.depth else 0
    pos = 0
    while True:
        semi = _find_semicolon(buf, pos)
        if semi == -1:
            break
        if semi > pos and buf[semi - 1] == "\\":
            buf = buf[: semi - 1] + buf[semi:]  # the backslash goes, the ';' stays as text
            pos = semi
        elif buf[semi + 1 : semi + 3] == "--" and buf[semi + 3 : semi + 4] != "-":
            if state.depth < MAX_NESTED_COMMENTS:
                buf = buf[:semi] + "\0" + buf[semi + 1 :]
                pos = semi + 3
                state.depth += 1
                state.opened_at.append(lineno)
            else:
                # config.c logs "Maximum nest limit" and loops forever on this ';'; go on instead.
                state.nest_overflow = True
                pos = semi + 1
        elif semi >= pos + 2 and buf[semi - 2 : semi] == "--":
            state.depth -= 1
            if state.opened_at:
                state.opened_at.pop()
            if state.depth < 0:
                state.went_negative = True
            pos = semi + 1
            if state.depth == 0:
                if process is not None:
                    kept_end = _c_strlen_end(buf, process)
                    buf = buf[:kept_end] + buf[pos : _c_strlen_end(buf, pos)]
                    pos = kept_end
                else:
                    process = pos
        elif state.depth == 0:
            buf = buf[:semi]
            break
        else:
            pos = semi + 1
    if process is None:
        return None
    return buf[process : _c_strlen_end(buf, process)]


def _find_semicolon(buf: str, start: int) -> int:
    """strchr(buf + start, ';') on a C string: a NUL ends the search."""
    semi = buf.find(";", start)
    if semi == -1:
        return -1
    nul = buf.find("\0", start, semi)
    return -1 if nul != -1 else semi


def _c_strlen_end(buf: str, start: int) -> int:
    nul = buf.find("\0", start)
    return len(buf) if nul == -1 else nul
