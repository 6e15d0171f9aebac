"""How each Asterisk realtime driver turns one column of a row into variables (ASTERISK.md C.4).

Two paths differ. A single-row fetch (`pjsip show endpoint 100`, every lookup by id) goes through
ast_load_realtime_fields(), which drops empty values and turns a lone " " into "". A multi-row
fetch (`pjsip show endpoints`, qualify, identify by IP) gets the driver's variables as they are.

* sqlite3 never splits; NULL comes back as "" (kept in multi-row fetches).
* pgsql splits every value on `;`, trims each chunk, decodes `^XX`, drops blank chunks.
* mysql splits and decodes; a single-row fetch keeps chunks untrimmed and sends "" as " ".
* odbc splits, trims, decodes upper-case `^XX` only; `@` columns are never split and an
  empty one is sent as " ".

"Trims" is what the C code does, not a full strip: it tests `ast_strip(chunk)` (a pointer past
the leading blanks, trailing blanks cut in place) but makes the variable from `chunk` itself, so
a chunk keeps its leading blanks (`"ulaw; alaw"` -> "ulaw", " alaw"; `" rfc4733"` stays so and
is no valid dtmf_mode).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Callable

# ast_strip(): everything up to and including ' ' is blank.
BLANKS = "".join(chr(code) for code in range(33))
_HEX_ANY = re.compile(r"\^([0-9A-Fa-f]{2})")
_HEX_UPPER = re.compile(r"\^([0-9A-F]{2})")

Values = tuple[str, ...]
NOTHING: Values = ()
EMPTY: Values = ("",)


def cell_text(cell: object) -> str | None:
    """A column value as the driver's C API hands it over (text), None for NULL."""
    if cell is None or isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "t" if cell else "f"  # PostgreSQL's text form of a native BOOLEAN
    if isinstance(cell, (bytes, bytearray, memoryview)):
        return bytes(cell).decode("utf-8", errors="replace")
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))  # the servers print a whole double as 3, not Python's 3.0
    return str(cell)


def _decode_bytes(chunk: str, pattern: re.Pattern[str]) -> str:
    out = bytearray()
    position = 0
    for match in pattern.finditer(chunk):
        out += chunk[position : match.start()].encode("utf-8")
        out.append(int(match.group(1), 16))
        position = match.end()
    out += chunk[position:].encode("utf-8")
    return out.decode("utf-8", errors="replace")


def decode_chunk(chunk: str) -> str:
    """ast_realtime_decode_chunk(): `^3B` -> `;`, `^5E` -> `^` (any hex digit case)."""
    return _decode_bytes(chunk, _HEX_ANY) if "^" in chunk else chunk


def decode_chunk_odbc(chunk: str) -> str:
    """res_config_odbc's decode_chunk(): upper-case hex digits only."""
    return _decode_bytes(chunk, _HEX_UPPER) if "^" in chunk else chunk


def encode_chunk(value: str) -> str:
    """ast_realtime_encode_chunk(): what a writer stores so that a split driver reads `value` back."""
    if ";" not in value and "^" not in value:
        return value
    return "".join(f"^{ord(char):02X}" if char in ";^" else char for char in value)


def _split(text: str, decode: Callable[[str], str]) -> Values:
    """The variables of one column for pgsql, odbc and mysql's multi-row fetch."""
    if ";" not in text and "^" not in text and text[:1] > " " and text[-1:] > " ":
        return (text,)  # the common case: nothing to split, trim or decode
    chunks = (_trimmed(chunk, decode) for chunk in text.split(";"))
    return tuple(chunk for chunk in chunks if chunk)


def _trimmed(chunk: str, decode: Callable[[str], str]) -> str:
    """A chunk without its trailing blanks, decoded; its leading blanks stay ("" when all blank)."""
    body = chunk.strip(BLANKS)
    if not body:
        return ""
    return chunk[: len(chunk) - len(chunk.lstrip(BLANKS))] + decode(body)


def _generic_single(values: Values) -> Values:
    """ast_load_realtime_fields(): drop empty values, keep a lone " " as ""."""
    return tuple("" if value == " " else value for value in values if value)


class Driver(ABC):
    """The column semantics of one realtime driver."""

    name = ""
    splits = True

    @abstractmethod
    def single(self, column: str, text: str | None) -> Values:
        """The variables a lookup by id gets for this column."""

    @abstractmethod
    def multi(self, column: str, text: str | None) -> Values:
        """The variables a multi-row lookup gets for this column."""


class Sqlite3(Driver):
    name = "sqlite3"
    splits = False

    def single(self, column: str, text: str | None) -> Values:
        if not text:
            return NOTHING
        return EMPTY if text == " " else (text,)

    def multi(self, column: str, text: str | None) -> Values:
        return (text or "",)  # append_row_to_cfg: S_OR(value, "")


class Pgsql(Driver):
    name = "pgsql"

    def single(self, column: str, text: str | None) -> Values:
        return _split(text or "", decode_chunk)

    multi = single


class Mysql(Driver):
    name = "mysql"

    def single(self, column: str, text: str | None) -> Values:
        if text is None:
            return NOTHING
        if text == "":
            return EMPTY  # sent as " ", kept as ""
        return _generic_single(_split_keep_empty(text, decode_chunk))

    def multi(self, column: str, text: str | None) -> Values:
        return _split(text or "", decode_chunk)


class Odbc(Driver):
    name = "odbc"

    def single(self, column: str, text: str | None) -> Values:
        if column.startswith("@"):
            return _generic_single((text or " ",))
        return _split(text or "", decode_chunk_odbc)

    def multi(self, column: str, text: str | None) -> Values:
        if text is None:
            return NOTHING
        if column.startswith("@"):
            return (text or " ",)
        return _split(text, decode_chunk_odbc)


def _split_keep_empty(text: str, decode: Callable[[str], str]) -> Values:
    """mysql's single-row split: chunks neither stripped nor filtered (the generic filter follows)."""
    if ";" not in text and "^" not in text:
        return (text,)
    return tuple(decode(chunk) for chunk in text.split(";"))


DRIVERS: dict[str, Driver] = {driver.name: driver for driver in (Sqlite3(), Pgsql(), Mysql(), Odbc())}
