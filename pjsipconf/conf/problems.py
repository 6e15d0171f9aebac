"""The stable codes of the problems the config-file parser reports, in one place.

Each code says what Asterisk's main/config.c does with such a line. "Fatal" codes make config.c
reject the file they occur in: in the top-level file that makes the whole configuration invalid
(`ConfigFile.invalid`), in an `#include`d file only the rest of that file is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from pjsipconf.conf.types import Problem, Severity, Source


@dataclass(frozen=True, slots=True)
class Code:
    id: str
    severity: Severity
    fatal: bool  # config.c stops reading the file (fatal for the configuration in the top-level file)
    meaning: str


CODES: dict[str, Code] = {
    code.id: code
    for code in (
        # Lines
        Code("no-equals", "warning", False, "a line inside a section has no '='; Asterisk ignores it"),
        Code("no-variable-name", "warning", False, "'= value' with nothing before '='; Asterisk ignores it"),
        Code("invalid-escape", "error", True, "a leading '\\' escapes a blank or nothing"),
        Code("no-category", "error", True, "a 'key = value' line before any [section]"),
        Code("line-too-long", "warning", False, "a line of 8191 bytes or more; Asterisk skips it"),
        Code("nul-byte", "warning", False, "a NUL byte; Asterisk's C strings end there"),
        Code("not-utf8", "warning", False, "bytes that are not UTF-8; shown here as U+FFFD"),
        # Comments
        Code("unterminated-comment", "warning", False, "a ';--' block comment never closed; the rest is ignored"),
        Code("stray-comment-end", "warning", False, "'--;' outside a block comment; Asterisk ignores the rest"),
        Code("comment-nesting", "error", False, "more than 128 nested ';--' block comments"),
        # Sections
        Code("unclosed-section", "error", True, "a '[' header without its closing ']'"),
        Code("unclosed-options", "error", True, "a '[name](' header without its closing ')'"),
        Code("unknown-base", "error", True, "inheritance from a section that is not defined before"),
        Code("no-addition-target", "error", True, "'(+)' addition to a section that is not defined before"),
        Code("bad-filter", "error", False, "a regular expression in a '(+filter)' that does not compile"),
        # Directives
        Code("unknown-directive", "warning", False, "a '#' line that is not #include, #tryinclude or #exec"),
        Code("missing-argument", "warning", False, "#include/#tryinclude/#exec without an argument"),
        Code("missing-include", "error", True, "#include of a missing file or a glob matching nothing"),
        Code("include-depth", "error", True, "more than 10 nested #include levels"),
        Code("tryinclude-depth", "warning", False, "a #tryinclude more than 10 levels deep: not read"),
        Code("include-cycle", "error", False, "a file includes itself, directly or indirectly: Asterisk crashes"),
        Code("include-budget", "error", False, "include expansion too large to follow; the rest is not read"),
        Code("duplicate-include", "warning", False, "the same #include name used again"),
        Code("not-regular-file", "warning", False, "an #include target that is a directory or device"),
        Code("unreadable-file", "error", False, "a file that exists but cannot be read"),
        Code("exec-directive", "warning", False, "#exec runs a program; pjsipconf never runs it"),
        Code("missing-file", "error", False, "the top-level file does not exist: Asterisk loads nothing from it"),
    )
}


def problem(code: str, message: str, source: Source, line: int, *, top_level: bool, column: int = 1) -> Problem:
    """A Problem with the code's severity; `fatal` only when it invalidates the top-level file."""
    spec = CODES[code]
    return Problem(code, message, source, line, column, spec.fatal and top_level, spec.severity)
