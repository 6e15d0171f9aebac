"""Bad input never raises: any bytes, any mix of config-ish tokens, unreadable files, odd readers."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from pjsipconf.conf import MemoryReader, parse
from pjsipconf.conf.reader import expand_braces

ROOT = "/etc/asterisk"

TOKENS = st.sampled_from(
    [
        "[", "]", "(", ")", "!", "+", ",", "=", "=>", "+=", ";", ";--", "--;", ";---", "\\", "\\;",
        "#include", "#tryinclude", "#exec", "#bogus", " ", "\t", "\r", "\n", "\x00", "\ufeff", "é",
        "a", "b", "type", "endpoint", "inc.conf", "*.conf", "{a,b}", "<", ">", '"', "TEMPLATES=include",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_parse(data: bytes) -> None:
    config = parse(f"{ROOT}/pjsip.conf", reader=MemoryReader({f"{ROOT}/pjsip.conf": data}))
    assert config.exists
    for category in config.categories:
        assert 0 <= category.inherited <= len(category.variables)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=80), st.lists(TOKENS, max_size=40))
def test_config_like_text_parses(main: list[str], included: list[str]) -> None:
    files = {
        f"{ROOT}/pjsip.conf": "".join(main).encode(),
        f"{ROOT}/inc.conf": "".join(included).encode(),
        f"{ROOT}/a.conf": b"#include inc.conf\n[a]\nx=1\n",
    }
    config = parse(f"{ROOT}/pjsip.conf", reader=MemoryReader(files))
    if config.invalid:
        assert any(problem.fatal for problem in config.problems)
    else:
        assert not any(problem.fatal for problem in config.problems)


class UnreadableReader(MemoryReader):
    """A file that is there but cannot be read (permissions, I/O error)."""

    def read_bytes(self, path: str) -> bytes:
        if path.endswith("secret.conf"):
            raise PermissionError(13, "Permission denied", path)
        return super().read_bytes(path)


def test_unreadable_include_is_a_problem_not_an_exception() -> None:
    files = {f"{ROOT}/pjsip.conf": b"[a]\n#include secret.conf\nx=1\n", f"{ROOT}/secret.conf": b"[s]\n"}
    config = parse(f"{ROOT}/pjsip.conf", reader=UnreadableReader(files))
    codes = [problem.code for problem in config.problems]
    # Asterisk skips a file fopen() refuses; nothing read means the #include "does not exist".
    assert codes == ["unreadable-file", "missing-include"]
    assert config.invalid


def test_unreadable_top_level_file() -> None:
    config = parse(f"{ROOT}/secret.conf", reader=UnreadableReader({f"{ROOT}/secret.conf": b"[s]\n"}))
    assert config.exists and not config.invalid and config.categories == ()
    assert [problem.code for problem in config.problems] == ["unreadable-file"]


def test_memory_reader_and_relative_path_with_config_dir() -> None:
    files = {f"{ROOT}/pjsip.conf": b"[a]\n#include sub/{y,x}.conf\n", f"{ROOT}/sub/x.conf": b"x=1\n"}
    config = parse("pjsip.conf", config_dir=ROOT, reader=MemoryReader(files))
    assert config.path == os.path.join(ROOT, "pjsip.conf")
    assert [(v.name, v.source.name) for v in config.categories[0].variables] == [("x", "sub/x.conf")]
    # One Source object per file, shared by everything read from it.
    assert config.categories[0].variables[0].source is config.categories[0].variables[0].source


def test_sources_are_shared_per_file() -> None:
    files = {f"{ROOT}/pjsip.conf": b"[a]\nx=1\ny=2\n[b](a)\nz=3\n"}
    config = parse(f"{ROOT}/pjsip.conf", reader=MemoryReader(files))
    a, b = config.categories
    assert len({id(v.source) for v in a.variables + b.variables}) == 1
    assert b.variables[0] is a.variables[0]  # inherited variables are the base's own objects


def test_brace_expansion_order() -> None:
    assert expand_braces("a{b,c{d,e}}f") == ["abf", "acdf", "acef"]
    assert expand_braces("x{y") is None
    assert expand_braces("plain") is None


def test_a_top_level_file_that_is_a_directory_loads_nothing_as_a_missing_one() -> None:
    class DirectoryReader(MemoryReader):
        def exists(self, path: str) -> bool:
            return path == f"{ROOT}/pjsip.conf" or super().exists(path)

    config = parse(f"{ROOT}/pjsip.conf", reader=DirectoryReader({}))
    assert config.categories == ()
    assert "missing-file" in [problem.code for problem in config.problems]
