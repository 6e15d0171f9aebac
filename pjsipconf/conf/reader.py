"""All file access of the parser goes through a `Reader`, so tests can point it at memory.

Asterisk expands every include path with `glob(GLOB_NOMAGIC | GLOB_BRACE)`; the brace expansion and
the "no magic characters: take the path as written" rule live in `expand_pattern`, so a reader only
has to answer four plain questions about paths.
"""

from __future__ import annotations

import fnmatch
import glob as _glob
import os
import stat
from typing import Protocol

_MAGIC = frozenset("*?[")


class Reader(Protocol):
    """What the parser needs to know about files; every path it passes is absolute."""

    def read_bytes(self, path: str) -> bytes:
        """The file's content; raises OSError when it cannot be read."""

    def glob(self, pattern: str) -> list[str]:
        """Paths matching a brace-free pattern with `*`, `?` or `[...]`, in any order."""

    def exists(self, path: str) -> bool:
        """True when something (file, directory, ...) is at `path`."""

    def is_file(self, path: str) -> bool:
        """True when `path` is a regular file (after following symlinks)."""


class FileSystemReader:
    """The real filesystem."""

    def read_bytes(self, path: str) -> bytes:
        with open(path, "rb") as handle:
            return handle.read()

    def glob(self, pattern: str) -> list[str]:
        return _glob.glob(pattern)

    def exists(self, path: str) -> bool:
        return os.path.exists(path)

    def is_file(self, path: str) -> bool:
        try:
            return stat.S_ISREG(os.stat(path).st_mode)
        except (OSError, ValueError):
            return False


class MemoryReader:
    """Files held in a dict {absolute path: bytes}; directories are implied by the paths."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = {os.path.normpath(path): data for path, data in files.items()}
        self.dirs = {os.path.dirname(path) for path in self.files}
        for directory in list(self.dirs):
            while directory not in ("/", ""):
                directory = os.path.dirname(directory)
                self.dirs.add(directory)

    def read_bytes(self, path: str) -> bytes:
        try:
            return self.files[os.path.normpath(path)]
        except KeyError:
            raise FileNotFoundError(path) from None

    def glob(self, pattern: str) -> list[str]:
        parts = os.path.normpath(pattern).split(os.sep)
        candidates = [path for path in self.files if len(path.split(os.sep)) == len(parts)]
        return [
            path
            for path in candidates
            if all(
                fnmatch.fnmatchcase(name, part) and not (name.startswith(".") and not part.startswith("."))
                for name, part in zip(path.split(os.sep), parts)
            )
        ]

    def exists(self, path: str) -> bool:
        path = os.path.normpath(path)
        return path in self.files or path in self.dirs

    def is_file(self, path: str) -> bool:
        return os.path.normpath(path) in self.files


def has_magic(pattern: str) -> bool:
    return not _MAGIC.isdisjoint(pattern)


def expand_braces(pattern: str) -> list[str] | None:
    """`a{b,c}d` -> [`abd`, `acd`] (nested, left to right) as glibc's GLOB_BRACE does; None if no braces."""
    start = pattern.find("{")
    while start != -1:
        depth = 0
        alternatives: list[str] = []
        piece_start = start + 1
        for index in range(start, len(pattern)):
            char = pattern[index]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    alternatives.append(pattern[piece_start:index])
                    head, tail = pattern[:start], pattern[index + 1 :]
                    expanded: list[str] = []
                    for alternative in alternatives:
                        candidate = head + alternative + tail
                        expanded.extend(expand_braces(candidate) or [candidate])
                    return expanded
            elif char == "," and depth == 1:
                alternatives.append(pattern[piece_start:index])
                piece_start = index + 1
        # An unmatched `{` is literal: look for a later one.
        start = pattern.find("{", start + 1)
    return None


def expand_pattern(reader: Reader, pattern: str) -> list[str]:
    """The paths Asterisk's glob(GLOB_NOMAGIC|GLOB_BRACE) yields for `pattern`, in its order.

    Without magic characters the pattern itself comes back (GLOB_NOMAGIC) even if nothing is
    there; the caller's is-file check then skips it. Brace alternatives are globbed one by one
    (without NOMAGIC, so a literal alternative must exist) and each one's matches are sorted.
    """
    alternatives = expand_braces(pattern)
    if alternatives is None:
        return sorted(reader.glob(pattern), key=_byte_order) if has_magic(pattern) else [pattern]
    found: list[str] = []
    for alternative in alternatives:
        if has_magic(alternative):
            found.extend(sorted(reader.glob(alternative), key=_byte_order))
        elif reader.exists(alternative):
            found.append(alternative)
    return found


def _byte_order(path: str) -> bytes:
    # glob sorts with strcoll; Asterisk runs in the C locale, which is byte order.
    return path.encode("utf-8", "surrogateescape")
