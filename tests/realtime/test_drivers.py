"""Column values -> variables, per Asterisk driver and fetch path (ASTERISK.md C.4)."""

from __future__ import annotations

import pytest

from pjsipconf.sources.realtime.drivers import DRIVERS, cell_text, decode_chunk, decode_chunk_odbc, encode_chunk

SQLITE3, PGSQL, MYSQL, ODBC = (DRIVERS[n] for n in ("sqlite3", "pgsql", "mysql", "odbc"))


@pytest.mark.parametrize(
    ("driver", "text", "single", "multi"),
    [
        (SQLITE3, None, (), ("",)),  # NULL: not set by id, '' in lists
        (SQLITE3, "", (), ("",)),
        (SQLITE3, " ", ("",), (" ",)),  # a lone blank is Asterisk's "empty but set"
        (SQLITE3, "a;b^3B", ("a;b^3B",), ("a;b^3B",)),  # never split nor decoded
        (PGSQL, None, (), ()),
        (PGSQL, "", (), ()),
        # Each chunk loses its trailing blanks only: the C code tests ast_strip(chunk) but keeps chunk.
        (PGSQL, " ulaw ;alaw;; ", (" ulaw", "alaw"), (" ulaw", "alaw")),
        (PGSQL, " rfc4733\t", (" rfc4733",), (" rfc4733",)),  # no ';': trimmed all the same
        (PGSQL, " \t", (), ()),
        (PGSQL, "sip:a@h^3Btransport=tcp", ("sip:a@h;transport=tcp",), ("sip:a@h;transport=tcp",)),
        (MYSQL, None, (), ()),
        (MYSQL, "", ("",), ()),  # sent as " " by id: kept as ''; skipped in lists
        (MYSQL, " a ;b", (" a ", "b"), (" a", "b")),  # only lists trim
        (ODBC, None, (), ()),
        (ODBC, "", (), ()),
        (ODBC, " a ; b^3b", (" a", " b^3b"), (" a", " b^3b")),  # odbc decodes upper-case hex only
        (ODBC, "  x^3B ", ("  x;",), ("  x;",)),
    ],
)
def test_single_and_multi_row_values(driver, text, single, multi) -> None:
    assert driver.single("allow", text) == single
    assert driver.multi("allow", text) == multi


def test_odbc_extended_columns_are_never_split() -> None:
    assert ODBC.single("@body", "a;b") == ("a;b",)
    assert ODBC.single("@body", None) == ("",) and ODBC.single("@body", "") == ("",)
    assert ODBC.multi("@body", "") == (" ",)


def test_chunk_codec() -> None:
    assert decode_chunk("a^3Bb^5Ec^3b") == "a;b^c;"
    assert decode_chunk_odbc("a^3b") == "a^3b"
    assert decode_chunk("^C3^A9t^E9") == "ét\ufffd"  # bytes recombine into UTF-8 as in C
    assert decode_chunk("^5E41") == "^41"  # a decoded '^' is not decoded again
    value = "sip:x@h;transport=tcp^"
    assert decode_chunk(encode_chunk(value)) == value and encode_chunk("plain") == "plain"


def test_cell_text_mirrors_the_text_protocols() -> None:
    assert [cell_text(v) for v in (None, "x", 5, 2.5, True, False, b"b\xc3\xa9")] == [None, "x", "5", "2.5", "t", "f", "bé"]


def test_cell_text_prints_whole_doubles_as_the_servers_do() -> None:
    # PQgetvalue / mysql_fetch_row hand over "3" for a double precision 3, not Python's "3.0".
    assert [cell_text(value) for value in (3.0, 60.0, 2.5, -0.0, 1e20)] == ["3", "60", "2.5", "0", "1e+20"]
