"""Replaying unchanged files (conf.replay): a rebuild's parse equals a fresh parse of the same files."""

from __future__ import annotations

import random
from typing import Callable

import pytest

from pjsipconf.conf import ConfigFile, MemoryReader, parse
from pjsipconf.conf.replay import FileTapes
from tests.pipeline.generate import generate_config

CONFIG_DIR = "/etc/asterisk"
Files = dict[str, str]


def _parse(files: Files, tapes: FileTapes | None = None) -> ConfigFile:
    reader = MemoryReader({f"{CONFIG_DIR}/{name}": text.encode() for name, text in files.items()})
    return parse(f"{CONFIG_DIR}/pjsip.conf", config_dir=CONFIG_DIR, reader=reader, tapes=tapes)


def _rebuild(tapes: FileTapes, files: Files) -> ConfigFile:
    """A parse as the server's rebuild makes it: with the tapes of the last one, kept for the next."""
    config = _parse(files, tapes)
    tapes.build_done()
    return config


def _edit_line(rng: random.Random, files: Files, change: Callable[[random.Random, list[str], int], None]) -> Files:
    name = rng.choice(sorted(files))
    lines = files[name].split("\n")
    change(rng, lines, rng.randrange(len(lines)))
    return {**files, name: "\n".join(lines)}


def _new_value(rng: random.Random, lines: list[str], at: int) -> None:
    name, equals, _value = lines[at].partition("=")
    lines[at] = f"{name}={rng.choice(('yes', 'no', '5', 'ulaw', 'x y'))}" if equals else lines[at]


def _new_header(rng: random.Random, lines: list[str], at: int) -> None:
    header = rng.choice(("[fresh]", "[fresh](!)", "[3070](+)", "[fresh](t-endpoint-0)", "[Transport-UDP](+)", "[x](nope)"))
    lines.insert(at, header)


def _odd_line(rng: random.Random, lines: list[str], at: int) -> None:
    lines.insert(at, rng.choice(("allow += ,gsm", "no equals here", '#include "endpoints.conf"', "\\;x=1",
                                 "context=a ; pjsipconf: ignore=S201", ";-- open", "--; close", "type=aor")))


def _drop_line(rng: random.Random, lines: list[str], at: int) -> None:
    del lines[at]


def _recase_header(rng: random.Random, lines: list[str], at: int) -> None:
    headers = [i for i, line in enumerate(lines) if line.startswith("[")]
    if headers:
        i = rng.choice(headers)
        lines[i] = lines[i].swapcase()


def _line_before_first_header(rng: random.Random, lines: list[str], at: int) -> None:
    lines.insert(0, "context=continued")


EDITS = (_new_value, _new_header, _odd_line, _drop_line, _recase_header, _line_before_first_header)


@pytest.mark.parametrize("seed", range(60))
def test_rebuilds_with_tapes_equal_fresh_parses(seed: int) -> None:
    rng = random.Random(seed)
    files = generate_config(seed)
    tapes = FileTapes()
    assert _rebuild(tapes, files) == _parse(files)
    for _ in range(8):
        files = _edit_line(rng, files, rng.choice(EDITS))
        assert _rebuild(tapes, files) == _parse(files)


TEMPLATES = "[tpl](!)\ntype=endpoint\ncontext=one\n"
PHONES = "[6001](tpl)\naors=6001\n\n[6002](tpl)\naors=6002\n"
MAIN = '#include "templates.conf"\n#include "phones.conf"\n'


def _variables(config: ConfigFile, name: str) -> tuple:
    return next(c for c in config.categories if c.name == name).variables


def test_an_unchanged_file_is_replayed_and_a_changed_one_parsed() -> None:
    tapes = FileTapes()
    files = {"pjsip.conf": MAIN, "templates.conf": TEMPLATES, "phones.conf": PHONES}
    first = _rebuild(tapes, files)
    second = _rebuild(tapes, {**files, "templates.conf": TEMPLATES.replace("one", "two")})
    own = lambda config: _variables(config, "6001")[-1]  # noqa: E731 - the line phones.conf holds
    assert own(second) is own(first)  # the very Variable: replayed, not parsed again
    assert [v.value for v in _variables(second, "6001")] == ["endpoint", "two", "6001"]  # inherits anew
    assert _variables(second, "tpl")[1] is not _variables(first, "tpl")[1]


def test_a_replayed_addition_takes_the_spelling_of_the_section_it_finds() -> None:
    tapes = FileTapes()
    files = {"pjsip.conf": MAIN, "templates.conf": "[abc]\ntype=aor\n", "phones.conf": "[ABC](+)\nmax_contacts=2\n"}
    _rebuild(tapes, files)
    files["templates.conf"] = "[Abc]\ntype=aor\n"
    config = _rebuild(tapes, files)
    assert config == _parse(files)
    assert [v.section for v in _variables(config, "Abc")] == ["Abc", "Abc"]


def test_glob_files_after_a_longer_one_are_counted_on() -> None:
    tapes = FileTapes()
    files = {"pjsip.conf": '#include "d/*.conf"\n', "d/a.conf": "[a]\ntype=aor\n", "d/b.conf": "[b]\ntype=aor\n"}
    _rebuild(tapes, files)
    files["d/a.conf"] = "\n\n" + files["d/a.conf"]
    config = _rebuild(tapes, files)
    assert config == _parse(files)
    assert _variables(config, "b")[0].logged_line == 7  # a.conf moves the counter by 5 now (was 3)
