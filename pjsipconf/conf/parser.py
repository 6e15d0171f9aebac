"""Asterisk's config-file syntax (main/config.c), for any *.conf: files in, categories out.

The structure follows config.c on purpose, because its quirks are the point: one shared
"current category" that an `#include`d file continues, a per-load line counter shared by the
files of a glob, an include-level counter that is not given back when an included file fails,
`+=` folding through `ast_variable_update`'s case-insensitive match. See ASTERISK.md section A.
"""

from __future__ import annotations

import os
import re
from sys import intern

from pjsipconf.conf.categories import header
from pjsipconf.conf.comments import CommentState, strip_comments
from pjsipconf.conf.construct import (
    Cat,
    ascii_lower,
    line_numbers,
    make_variable,
    new_object,
    seal,
    set_inherited,
    set_line,
    set_logged,
    set_name,
    set_operator,
    set_section,
    set_source,
    set_suppressed,
    set_value,
)
from pjsipconf.conf.filters import BLANKS
from pjsipconf.conf.lines import LINE_MAX, FileLines, split_lines
from pjsipconf.conf.problems import problem
from pjsipconf.conf.reader import FileSystemReader, Reader, expand_pattern
from pjsipconf.conf.replay import FileTapes, Recorder, replay
from pjsipconf.conf.state import ParseFile, ParseState, Status, report
from pjsipconf.conf.types import (
    ConfigFile,
    ExecDirective,
    FoldedVariable,
    Source,
    Suppression,
    Variable,
)
from pjsipconf.gcpause import without_cyclic_gc

SHARED_VALUE_MAX = 24  # values up to this length are interned
MAX_INCLUDE_LEVEL = 10
MAX_FILE_LOADS = 2000  # a cycle through a glob grows exponentially below the depth limit
# `; pjsipconf: ignore=ID[,ID]`, then anything (a reason: "reviewed by bob").
_SUPPRESSION = re.compile(r";\s*pjsipconf:\s*ignore\s*=\s*([A-Za-z0-9_.-]+(?:\s*,\s*[A-Za-z0-9_.-]+)*)")

def parse(
    path: str,
    *,
    config_dir: str | None = None,
    reader: Reader | None = None,
    tapes: FileTapes | None = None,
    update_last_match: bool = False,
) -> ConfigFile:
    """Read `path` and everything it includes exactly as Asterisk would.

    `config_dir` is where relative `#include` paths (and a relative `path`) point, as Asterisk's
    astetcdir; by default the directory of `path`. All file access goes through `reader`.
    `tapes` (the same FileTapes for successive parses) replays files read unchanged since.
    `update_last_match`: Asterisk 23's config.c, whose `key += value` rewrites the last line that
    matches instead of the first (see `_append_to_variable`).
    Categories parsed before a fatal problem are kept even when `invalid` is True (Asterisk
    itself would load nothing from the file); the problems say why.
    """
    if config_dir is not None:
        config_dir = os.path.abspath(config_dir)
        full_path = path if os.path.isabs(path) else os.path.join(config_dir, path)
    else:
        full_path = os.path.abspath(path)
        config_dir = os.path.dirname(full_path)
    state = ParseState(reader or FileSystemReader(), config_dir, tapes=tapes, update_last_match=update_last_match)
    with without_cyclic_gc():  # hundreds of thousands of small acyclic objects
        status = _load(state, full_path, None)
    exists = status != "missing" or state.reader.exists(full_path)
    if status == "missing" and not (exists and state.reader.is_file(full_path)):  # unreadable: said already
        source = _source_for(state, full_path)
        what = "is not a regular file" if exists else "does not exist"
        message = f"{source.name}: the file {what}; Asterisk logs \"Unable to load config file\" and loads no object from it"
        state.problems.append(problem("missing-file", message, source, 0, top_level=True))
    shared_templates: dict[tuple[str, ...], tuple[str, ...]] = {}
    categories = tuple(seal(category, shared_templates) for category in state.categories)
    sealed = {id(raw): category for raw, category in zip(state.categories, categories)} if state.additions else {}
    return ConfigFile(
        path=full_path,
        config_dir=config_dir,
        categories=categories,
        problems=tuple(state.problems),
        files_read=tuple(state.files_read),
        invalid=status == "invalid",
        execs=tuple(state.execs),
        suppressions=tuple(state.suppressions),
        exists=exists,
        additions=tuple((source, line, sealed[id(target)]) for source, line, target in state.additions),
    )


def _source_for(state: ParseState, path: str, logged_as: str = "") -> Source:
    """One shared Source per file (and name it is logged as): named relative to the config dir,
    absolute when outside."""
    absolute = os.path.normpath(path)
    key = (absolute, logged_as)
    source = state.sources.get(key)
    if source is None:
        relative = os.path.relpath(absolute, state.config_dir)
        outside = relative == os.pardir or relative.startswith(os.pardir + os.sep)
        source = Source("file", absolute if outside else relative, absolute, logged_as)
        state.sources[key] = source
    return source


def _load(state: ParseState, filename: str, including: ParseFile | None, logged_as: str = "") -> Status:
    """ast_config_internal_load: the include-level guard around one (glob of) file(s)."""
    if state.include_level == MAX_INCLUDE_LEVEL + 1:
        return "missing"  # the caller reports the depth problem with its own file and line
    state.include_level += 1
    status = _load_text_file(state, filename, including, logged_as)
    if status != "invalid":  # config.c does not give the level back after an invalid include
        state.include_level -= 1
    return status


def _load_text_file(state: ParseState, filename: str, including: ParseFile | None, logged_as: str = "") -> Status:
    """config_text_file_load: glob the name, read each match; NULL when nothing was read.
    `logged_as`: the name its lines are logged under, for a repeated #include."""
    path = filename if filename.startswith("/") else f"{state.config_dir}/{filename}"
    top_level = including is None
    cat = state.current
    lineno = 0  # shared by all files of the glob, as in config.c
    comments = CommentState()
    count = 0
    status: Status = "ok"
    for match in expand_pattern(state.reader, path):
        if not state.reader.is_file(match):
            if state.reader.exists(match):
                source = _source_for(state, match)
                message = f"'{match}' is not a regular file; Asterisk ignores it"
                state.problems.append(problem("not-regular-file", message, source, 0, top_level=top_level))
            continue
        data = _read_cached(state, match)
        source = _source_for(state, match, logged_as)
        if isinstance(data, OSError):
            message = f"{source.name}: cannot be read ({data.strerror or data}); Asterisk skips it"
            state.problems.append(problem("unreadable-file", message, source, 0, top_level=top_level))
            continue
        count += 1
        state.files_read[source.detail] = None
        current_file = ParseFile(source, top_level)
        state.loading.append(source.detail)
        try:
            cat, ok, consumed = _read_lines(state, current_file, data, lineno, cat, comments)
        finally:
            state.loading.pop()
        if comments.depth > 0:
            _report_unterminated(state, current_file, comments, lineno)
        elif comments.depth < 0:
            _report_negative_comment_depth(state, current_file, max(consumed - 1, 1))
        lineno += consumed
        if not ok:
            status = "invalid"
            break
    if count == 0:
        return "missing"
    return status


def _report_negative_comment_depth(state: ParseState, file: ParseFile, last_line: int) -> None:
    """config.c's counter is still below zero when the file ends (a stray `--;` no `;--` made up
    for): it warns of an unterminated comment, naming a line read from before its array."""
    message = (
        "Asterisk warns 'Unterminated comment detected beginning on line N' at the end of this file, "
        "N a meaningless number: a '--;' that closed no block comment left its comment counter below zero"
    )
    report(state, file, "unterminated-comment", message, last_line)


def _report_unterminated(state: ParseState, file: ParseFile, comments: CommentState, lineno: int) -> None:
    """config.c warns after each file (of a glob) that ends inside a block comment."""
    opened = comments.opened_at[-1] if comments.opened_at else lineno + 1
    line = max(opened - lineno, 1)
    message = (
        f"Unterminated comment detected beginning on line {opened}: "
        "Asterisk ignores everything after ';--' up to the end of the file"
    )
    report(state, file, "unterminated-comment", message, line)


def _read_lines(
    state: ParseState, file: ParseFile, data: bytes, lineno: int, cat: Cat | None, comments: CommentState
) -> tuple[Cat | None, bool, int]:
    """One file's lines into the state: replayed when the last build recorded these very bytes
    (see conf.replay), else parsed (and recorded when replayable). Returns the category the file
    ends in, False on a fatal line, and how far the line counter moves."""
    key = (file.source, lineno, data) if state.tapes is not None and comments.depth == 0 else None
    tape = state.tapes.find(key) if key is not None else None  # type: ignore[union-attr]
    if tape is not None:
        cat, ok = replay(state, file, tape, cat)
        return cat, ok, tape.consumed
    lines = _split_cached(state, file.source.detail, data, lineno)
    _report_line_notes(state, file, lines, lineno)
    recorder = Recorder.entering_with(cat) if key is not None and not lines.notes else None
    trouble_before = (comments.went_negative, comments.nest_overflow)  # the comment problems a line reports
    cat, ok = _parse_lines(state, file, lines, lineno, cat, comments, recorder)
    clean = ok and not comments.depth and trouble_before == (comments.went_negative, comments.nest_overflow)
    if recorder is not None and clean:
        recorded = recorder.tape(cat, lines.consumed)
        if recorded is not None:
            state.tapes.keep(key, recorded)  # type: ignore[union-attr, arg-type]
    return cat, ok, lines.consumed


def _read_cached(state: ParseState, path: str) -> bytes | OSError:
    cached = state.read_cache.get(path)
    if cached is None:
        try:
            cached = state.reader.read_bytes(path)
        except OSError as error:
            cached = error
        state.read_cache[path] = cached
    return cached


def _split_cached(state: ParseState, path: str, data: bytes, lineno: int) -> FileLines:
    key = (path, lineno == 0)  # only the first line of a load strips a BOM
    cached = state.split_cache.get(key)
    if cached is None:
        cached = state.split_cache[key] = split_lines(data, lineno)
    return cached


def _report_line_notes(state: ParseState, file: ParseFile, lines: FileLines, lineno: int) -> None:
    for code, index, detail in lines.notes:
        line = lines.physical[index] if lines.physical is not None else index + 1
        logged = lineno + index + 1
        if code == "line-too-long":
            message = (
                f"Line {logged} too long, skipping. It begins with: {detail}... "
                f"(Asterisk reads lines of at most {LINE_MAX - 1} bytes and ignores this one)"
            )
        elif code == "nul-byte":
            message = f"a NUL byte on line {line}: Asterisk ignores the rest of the line after it"
        else:
            message = f"line {line} is not valid UTF-8; Asterisk uses the bytes as they are"
        state.problems.append(problem(code, message, file.source, line, top_level=file.top_level))


def _parse_lines(
    state: ParseState,
    file: ParseFile,
    lines: FileLines,
    lineno: int,
    cat: Cat | None,
    comments: CommentState,
    recorder: Recorder | None = None,
) -> tuple[Cat | None, bool]:
    """The read loop of one file; returns the category it ends in and False on a fatal line.

    The plain `key = value` line is handled inline: it is nearly every line of a big config.
    `recorder` (rebuilds) notes the headers and whether anything else than headers and plain
    lines occurred; it is only looked at off the plain line's path.
    """
    source = file.source
    physical = lines.physical
    cat_vars = cat.variables if cat is not None else None
    section = cat.name if cat is not None else ""
    in_block = comments.depth != 0
    numbers = line_numbers(len(lines.texts))
    for position, raw in zip(numbers, lines.texts):
        if in_block or ";" in raw:
            line = physical[position - 1] if physical is not None else position
            text = _uncomment(state, file, raw, comments, lineno + position, line)
            in_block = comments.depth != 0
            if text is None:
                continue
            suppression = _suppression(raw) if "pjsipconf:" in raw else None
        else:
            text = raw
            suppression = None
        text = text.strip(BLANKS)
        if not text:
            continue
        if text[0] in "[#\\" or cat_vars is None or suppression is not None:
            line = physical[position - 1] if physical is not None else position
            if text[0] == "[" and suppression is None:
                if recorder is not None:
                    recorder.before_header(cat)
                ok, cat = header(state, file, text, line, lineno + position, cat)
                if recorder is not None and ok:
                    recorder.after_header(text, line, lineno + position, cat)  # type: ignore[arg-type]
            else:
                if recorder is not None:
                    recorder.replayable = False
                ok, cat = _special_line(state, file, text, line, lineno + position, cat, suppression)
            if not ok:
                return cat, False
            source = file.source  # an #include may have changed the name its lines are logged under
            cat_vars = cat.variables if cat is not None else None
            section = cat.name if cat is not None else ""
            continue
        name, equals_sign, value = text.partition("=")
        if not equals_sign or not name or name[-1] == "+":
            line = physical[position - 1] if physical is not None else position
            equals = len(name) if equals_sign else -1
            if recorder is not None:
                recorder.replayable = False
            _odd_variable_line(state, file, cat, text, equals, 0, line, lineno + position)  # type: ignore[arg-type]
            continue
        if value[:1] == ">":
            value = value[1:]
            operator = "=>"
        else:
            operator = "="
        variable = new_object(Variable)
        set_name(variable, intern(name.rstrip(BLANKS)))
        value = value.lstrip(BLANKS)
        # Short values repeat across sections (aors=1001, username=1001, [1001]): one string each.
        set_value(variable, intern(value) if len(value) <= SHARED_VALUE_MAX else value)
        set_source(variable, source)
        if physical is None and not lineno:  # the usual case: one int object for both numbers
            set_line(variable, position)
            set_logged(variable, position)
        else:
            set_line(variable, physical[position - 1] if physical is not None else position)
            logged = lineno + position  # 2nd+ files of a glob: Asterisk keeps counting
            set_logged(variable, numbers[logged - 1] if logged <= len(numbers) else logged)
        set_section(variable, section)
        set_operator(variable, operator)
        cat_vars.append(variable)  # type: ignore[attr-defined]  # a list until the category is sealed
    return cat, True


def _uncomment(
    state: ParseState,
    file: ParseFile,
    raw: str,
    comments: CommentState,
    logged: int,
    line: int,
) -> str | None:
    """Comment removal with the common `text ; comment` case short-cut."""
    if not comments.depth:
        semi = raw.find(";")
        if (
            (semi == 0 or raw[semi - 1] != "\\")
            and (raw[semi + 1 : semi + 3] != "--" or raw[semi + 3 : semi + 4] == "-")
            and (semi < 2 or raw[semi - 2 : semi] != "--")
        ):
            return raw[:semi]
    was_negative = comments.went_negative
    was_overflow = comments.nest_overflow
    text = strip_comments(raw, comments, logged)
    if comments.went_negative and not was_negative:
        message = (
            f"'--;' closes a block comment that was never opened (line {line}); Asterisk's comment "
            "counter goes below zero and it ignores what follows as a comment, until a ';--' brings it back to zero"
        )
        state.problems.append(problem("stray-comment-end", message, file.source, line, top_level=file.top_level))
    if comments.nest_overflow and not was_overflow:
        message = f"more than 128 nested ';--' block comments (line {line}): Asterisk hangs on this line"
        state.problems.append(problem("comment-nesting", message, file.source, line, top_level=file.top_level))
    return text


def _suppression(raw: str) -> frozenset[str] | None:
    match = _SUPPRESSION.search(raw)
    if match is None:
        return None
    rules = frozenset(rule.strip() for rule in match.group(1).split(",") if rule.strip())
    return rules or None


def _special_line(
    state: ParseState,
    file: ParseFile,
    text: str,
    line: int,
    logged: int,
    cat: Cat | None,
    suppression: frozenset[str] | None,
) -> tuple[bool, Cat | None]:
    """Headers, directives, escaped names, lines outside any category, suppressed lines."""
    first = text[0]
    if first == "[":
        ok, cat = header(state, file, text, line, logged, cat)
        if ok and cat is not None and suppression:
            set_suppressed(cat, set(cat.suppressed) | suppression)
        elif suppression:  # a refused header: its own finding (L101, L103) can still be silenced
            state.suppressions.append(Suppression(suppression, file.source, line))
        return ok, cat
    if suppression:  # directives (#include, #exec) and lines in error too, not only variables
        state.suppressions.append(Suppression(suppression, file.source, line))
    if first == "#":
        return _directive(state, file, text, line, logged, cat), cat
    if cat is None:
        message = (
            f"parse error: No category context for line {logged}: a 'key = value' line before any "
            "[section]; Asterisk rejects the whole file"
        )
        report(state, file, "no-category", message, line)
        return False, cat
    escaped = 1 if first == "\\" else 0
    body = text[escaped:]
    if escaped and (not body or body[0] < "!"):
        message = f"Invalid escape in line {logged}: '\\' must be followed by a visible character"
        report(state, file, "invalid-escape", message, line)
        return False, cat
    equals = body.find("=", escaped)
    _odd_variable_line(state, file, cat, body, equals, escaped, line, logged)
    return True, cat


def _odd_variable_line(
    state: ParseState, file: ParseFile, cat: Cat, body: str, equals: int, escaped: int, line: int, logged: int
) -> None:
    """A variable line off the fast path: `+=`, no `=`, empty name, escaped first character."""
    if equals == -1:
        message = f"No '=' (equal sign) in line {logged}: Asterisk ignores the line"
        report(state, file, "no-equals", message, line)
        return
    if equals > escaped and body[equals - 1] == "+":
        name = body[: equals - 1].strip(BLANKS)
        value, operator = body[equals + 1 :].strip(BLANKS), "+="
        if name:
            appended = make_variable(name, value, file.source, line, cat.name, logged, operator)
            if _append_to_variable(cat, appended, body[equals + 1 :], state.update_last_match):
                return
    else:
        name = body[:equals].strip(BLANKS)
        value = body[equals + 1 :]
        operator = "="
        if value[:1] == ">":
            value, operator = value[1:], "=>"
        value = value.strip(BLANKS)
    if not name:
        message = f"No variable name in line {logged}: Asterisk ignores the line"
        report(state, file, "no-variable-name", message, line)
        return
    cat.variables.append(make_variable(  # type: ignore[attr-defined]
        intern(name), value, file.source, line, cat.name, logged, operator))


def _append_to_variable(cat: Cat, appended: Variable, raw_value: str, last_match: bool = False) -> bool:
    """`name += text` (`appended`, the line as written): the last `name` (strcmp) gives the old
    value, ast_variable_update stores it.

    Asterisk 22's ast_variable_update replaces the FIRST variable whose name matches
    case-insensitively and whose value matches the old value case-insensitively (any value when
    the old one is empty): with `context=a` inherited and `context=a` written again, `context+=b`
    rewrites the inherited line and the later plain `context=a` still wins. Asterisk 23's
    replaces the LAST such variable (`last_match`), so there `context` becomes `ab`.
    """
    variables: list[Variable] = cat.variables  # type: ignore[assignment]
    name = appended.name
    replace = None
    for variable in variables:
        if variable.name == name:
            replace = variable
    if replace is None:
        return False
    old_value = replace.value
    new_value = (old_value + raw_value).strip(BLANKS)
    key, old_key = ascii_lower(name), ascii_lower(old_value)
    matches = [
        position
        for position, variable in enumerate(variables)
        if ascii_lower(variable.name) == key and (not old_value or ascii_lower(variable.value) == old_key)
    ]
    target = matches[-1] if last_match else matches[0]
    current = variables[target]
    variables[target] = FoldedVariable(
        replace.name, new_value, current.source, current.line, current.section, current.logged_line, "+=",
        (*current.written(), appended),
    )
    if target < cat.inherited:
        set_inherited(cat, target)  # the prefix shared with the bases ends here now
    return True


def _directive(state: ParseState, file: ParseFile, text: str, line: int, logged: int, cat: Cat | None) -> bool:
    """`#include`, `#tryinclude`, `#exec`; anything else is warned about and ignored."""
    end = 1
    while end < len(text) and "!" <= text[end] <= "\x7f":
        end += 1
    directive = text[1:end]
    argument = text[end + 1 :].strip(BLANKS) if end < len(text) else ""
    kind = directive.lower() if directive.isascii() else directive
    if kind == "exec":
        state.execs.append(ExecDirective(argument, file.source, line))
        message = (
            f"#exec {argument} at line {logged}: Asterisk runs this program only with execincludes=yes in "
            "asterisk.conf (and otherwise ignores the line); pjsipconf never runs it, so its output is not "
            "part of this view"
        )
        report(state, file, "exec-directive", message, line)
        return True
    if kind not in ("include", "tryinclude"):
        message = f"Unknown directive '#{directive}' at line {logged}: Asterisk ignores the line"
        report(state, file, "unknown-directive", message, line)
        return True
    if not argument:
        message = f"Directive '#{directive}' needs an argument (filename) at line {logged}: Asterisk ignores it"
        report(state, file, "missing-argument", message, line)
        return True
    name = _dequote(argument)
    return _include(state, file, name, kind == "tryinclude", line, logged)


def _dequote(argument: str) -> str:
    closing = {'"': '"', "<": ">"}.get(argument[0])
    if closing is not None and argument[-1] == closing:
        return argument[1:-1]
    return argument


def _include(state: ParseState, file: ParseFile, name: str, optional: bool, line: int, logged: int) -> bool:
    logged_as = ""
    repeats = state.include_names.get(name)
    if repeats is not None:
        repeats += 1
        logged_as = f"{name}~~{repeats}"  # what Asterisk's option messages call the lines read now
        message = (f"line {logged}: Same File included more than once ('{name}'); Asterisk reads it again "
                   f"and names its lines '{logged_as}' in its messages")
        report(state, file, "duplicate-include", message, line)
    state.include_names[name] = repeats or 0
    target = name if name.startswith("/") else f"{state.config_dir}/{name}"
    if os.path.normpath(target) in state.loading:
        message = (
            f"'{name}' includes a file that is already being read (line {logged}): an #include cycle, on "
            "which Asterisk crashes at startup (its check for changed files follows the cycle without end)"
        )
        report(state, file, "include-cycle", message, line)
    state.loads += 1
    if state.loads > MAX_FILE_LOADS:
        message = (
            f"more than {MAX_FILE_LOADS} file reads through #include (line {logged}), e.g. a #tryinclude "
            "cycle through a glob, which Asterisk expands exponentially: not followed further"
        )
        report(state, file, "include-budget", message, line)
        return True
    if state.include_level == MAX_INCLUDE_LEVEL + 1:
        if optional:
            message = (f"Maximum Include level ({MAX_INCLUDE_LEVEL}) exceeded: '{name}' at line {logged} is not "
                       "read; as a #tryinclude of a missing file, Asterisk goes on with the next line")
            report(state, file, "tryinclude-depth", message, line)
            return True
        message = (
            f"Maximum Include level ({MAX_INCLUDE_LEVEL}) exceeded: '{name}' at line {logged} is not read; "
            "Asterisk treats it as a missing #include"
        )
        report(state, file, "include-depth", message, line)
        return False
    status = _load(state, name, file, logged_as)
    if status == "invalid" and file.top_level and not file.source.logged_as:
        # config.c did not give the include level back: from here on the top-level file reads
        # above level 1, where its lines are named by their path instead of "".
        file.source = _source_for(state, file.source.detail, file.source.detail)
    if status == "missing" and not optional:
        message = (
            f"The file '{name}' was listed as a #include but it does not exist. Asterisk rejects the "
            "file with this #include (include paths are relative to the config directory)"
        )
        report(state, file, "missing-include", message, line)
        return False
    return True
