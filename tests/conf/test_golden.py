"""Our parse of every golden case's pjsip.conf against Asterisk's own (AMI GetConfig) parse.

Each case's `input/` is copied with `@ETCDIR@` replaced by the copy's path, parsed, and compared
with `oracle.json` -> ami.GetConfig["pjsip.conf"]: non-template categories in order, their
templates and every [name, value] line; an invalid file is an AMI error with no categories.
config.c's own log messages in expected.json `problems` are compared as (code, line) pairs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pjsipconf.conf import ConfigFile, parse
from tests.conftest import golden_cases, load_expected, load_oracle, materialize_case

CASES = golden_cases()

# config.c's messages -> our problem codes, with the line number the message names.
MESSAGE_CODES = [
    (re.compile(r"No '=' \(equal sign\) in line (\d+)"), "no-equals"),
    (re.compile(r"No variable name in line (\d+)"), "no-variable-name"),
    (re.compile(r"Unknown directive '.*' at line (\d+)"), "unknown-directive"),
    (re.compile(r"Line (\d+) too long, skipping"), "line-too-long"),
    (re.compile(r"Inheritance requested, but category '.*' does not exist, line (\d+)"), "unknown-base"),
    (re.compile(r"Category addition requested, but .* line (\d+)"), "no-addition-target"),
    (re.compile(r"parse error: no closing '\]', line (\d+)"), "unclosed-section"),
    (re.compile(r"parse error: no closing '\)', line (\d+)"), "unclosed-options"),
    (re.compile(r"parse error: No category context for line (\d+)"), "no-category"),
    # N: a counter a stray `--;` left below zero makes config.c print a number from before its array.
    (re.compile(r"Unterminated comment detected beginning on line (-?\d+|N)"), "unterminated-comment"),
    (re.compile(r"The file '.*' was listed as a #include but it does not exist\.()"), "missing-include"),
    (re.compile(r"Maximum Include level \(10\) exceeded()"), "include-depth"),
    (re.compile(r"Invalid escape in line (\d+)"), "invalid-escape"),
    (re.compile(r"'.*' is not a regular file()"), "not-regular-file"),
    (re.compile(r"line (\d+):\s+Same File included more than once"), "duplicate-include"),
    (re.compile(r"Directive '.*' needs an argument \(.*\) at line (\d+)"), "missing-argument"),
    (re.compile(r"#exec.*execincludes()"), "exec-directive"),
    (re.compile(r"Regular expression '.*' failed to compile()"), "bad-filter"),
]


def as_getconfig(config: ConfigFile) -> list[dict]:
    """Our parse in the shape of the oracle's GetConfig categories."""
    if config.invalid:
        return []
    return [
        {
            "name": category.name,
            "is_template": category.is_template,
            "templates": list(category.templates),
            "lines": [[variable.name, variable.value] for variable in category.variables],
        }
        for category in config.categories
        if not category.is_template
    ]


def _line_number(text: str, last_line: int) -> int | None:
    """A line a message names; None for none, and for the meaningless number (`N` in ours) that
    config.c prints for a comment counter below zero (it reads from before its array: any int,
    which a line of the files read cannot be when it is not in 1..last_line)."""
    if not text or text == "N" or not 0 < int(text) <= last_line:
        return None
    return int(text)


def _last_line(config: ConfigFile) -> int:
    """How far config.c's line counter can go: the lines of every file read, together."""
    return sum(Path(path).read_bytes().count(b"\n") + 1 for path in config.files_read)


def parser_problems(expected: dict, last_line: int) -> list[tuple[str, int | None]]:
    """config.c's messages of a case, deduplicated (Asterisk repeats them per sorcery type)."""
    found: list[tuple[str, int | None]] = []
    for entry in expected["problems"]:
        if entry["module"] != "config.c":
            continue
        for pattern, code in MESSAGE_CODES:
            match = pattern.search(entry["message"])
            if match:
                pair = (code, _line_number(match.group(1), last_line))
                if pair not in found:
                    found.append(pair)
                break
        else:
            raise AssertionError(f"config.c message without a code in this test: {entry['message']}")
    return found


@pytest.mark.parametrize("name", CASES)
def test_categories_match_asterisk(name: str, tmp_path: Path) -> None:
    config = parse(str(materialize_case(name, tmp_path) / "pjsip.conf"))
    oracle = load_oracle(name)["ami"]["GetConfig"]["pjsip.conf"]
    assert config.invalid == (oracle["response"]["Response"] == "Error")
    assert as_getconfig(config) == oracle["categories"]


@pytest.mark.parametrize("name", CASES)
def test_problems_match_asterisk_log(name: str, tmp_path: Path) -> None:
    config = parse(str(materialize_case(name, tmp_path) / "pjsip.conf"))
    expected = load_expected(name)
    patterns = {code: pattern for pattern, code in MESSAGE_CODES}
    ours: list[tuple[str, int | None]] = []
    for item in config.problems:
        if item.code in patterns:
            # Our messages quote Asterisk's own wording, logged line number included.
            match = patterns[item.code].search(item.message)
            assert match, item.message
            pair = (item.code, _line_number(match.group(1), _last_line(config)))
            if pair not in ours:
                ours.append(pair)
    assert ours == parser_problems(expected, _last_line(config))
    assert config.invalid == expected["file_invalid"]


OPTION_MESSAGE = re.compile(
    r"(?:Error parsing (?P<name>[^=]+)=(?P<value>.*)|named '(?P<option>[^']+)') at line (?P<line>\d+) of"
)


def test_logged_lines_are_the_ones_asterisk_prints(tmp_path: Path) -> None:
    """Every `... at line N of F` config_options.c names a variable we give logged_line N in F.

    This is what makes line numbers of the 2nd+ files of a glob include right (v04: line 4 of
    conf.d/20-second.conf is logged as line 10).
    """
    checked = 0
    for name in CASES:
        entries = [entry for entry in load_expected(name)["not_loaded"] if entry.get("line") and entry["reason"]]
        if not entries:
            continue
        config = parse(str(materialize_case(name, tmp_path / name) / "pjsip.conf"))
        located = {
            (variable.name, variable.source.name, variable.logged_line): variable
            for category in config.categories
            for variable in category.variables
        }
        for entry in entries:
            match = OPTION_MESSAGE.search(entry["reason"])
            if match is None:
                continue
            option = match.group("name") or match.group("option")
            assert (option, entry["file"], entry["line"]) in located, (name, entry["reason"])
            checked += 1
    assert checked >= 30
    v04 = parse(str(materialize_case("v04_includes", tmp_path / "again") / "pjsip.conf"))
    dtmf = [v for c in v04.categories for v in c.variables if v.name == "dtmf_mode"]
    assert [(v.line, v.logged_line) for v in dtmf] == [(4, 10)]


ASTERISK_SAMPLES = [  # config.c's wording, as it would appear in a case's problems
    ("'@ETCDIR@/sub' is not a regular file, ignoring", ("not-regular-file", None)),
    ("'', line 3:  Same File included more than once! This data will be saved in a.conf~~1 if saved back "
     "to disk.", ("duplicate-include", 3)),
    ("Directive '#include' needs an argument (filename) at line 4 of @ETCDIR@/pjsip.conf", ("missing-argument", 4)),
    ("Cannot perform #exec unless execincludes option is enabled in asterisk.conf (options section)!",
     ("exec-directive", None)),
    ("Regular expression 'a[' failed to compile: Unmatched [, [^, [:, [., or [=", ("bad-filter", None)),
]


def test_our_messages_and_asterisks_map_to_the_same_pairs(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.conf").write_text("")
    (tmp_path / "pjsip.conf").write_text(
        "[x]\ny=1\n#tryinclude sub\n#include a.conf\n#include a.conf\n#include\n#exec /bin/true\n[x](+y=a[)\n"
    )
    config = parse(str(tmp_path / "pjsip.conf"))
    patterns = {code: pattern for pattern, code in MESSAGE_CODES}
    ours = []
    for item in config.problems:
        match = patterns[item.code].search(item.message)
        assert match, item.message
        ours.append((item.code, _line_number(match.group(1), _last_line(config))))
    expected = {"problems": [{"module": "config.c", "message": text} for text, _ in ASTERISK_SAMPLES]}
    assert parser_problems(expected, _last_line(config)) == [pair for _, pair in ASTERISK_SAMPLES]
    assert ("duplicate-include", 5) in ours and ("missing-argument", 6) in ours
    assert {"not-regular-file", "exec-directive", "bad-filter"} <= {code for code, _ in ours}
