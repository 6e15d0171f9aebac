"""The C string helpers behind callerid, at the edges of their short cuts."""

from __future__ import annotations

import pytest

from pjsipconf.schema.kinds.text import _unescape_quoted, callerid_split, escape_quoted, shrink_phone_number


@pytest.mark.parametrize("text, escaped", [
    ("Alice Martin", "Alice Martin"),
    ('Say "hi"', 'Say \\"hi\\"'),
    ("back\\slash", "back\\\\slash"),
    ("tab\there", "tab\there"),  # LWS is copied as it is
    ("Zoë", "Zoë"),
    ("a" * 126, "a" * 126),  # fits the 128-byte buffer with its NUL
    ("a" * 127, "a" * 127),
    ("a" * 130, "a" * 127),  # cut where the buffer is full
    ("a" * 126 + '"', "a" * 126),  # an escape that no longer fits is left out
    ("a" * 125 + '"', "a" * 125 + '\\"'),
])
def test_escape_quoted(text: str, escaped: str) -> None:
    assert escape_quoted(text) == escaped


@pytest.mark.parametrize("text, shrunk", [
    ("10001", "10001"),
    ("(555) 123-4567", "5551234567"),
    ("[1-3].", "[1-3]."),
    ("1.2.3", "123"),
])
def test_shrink_phone_number(text: str, shrunk: str) -> None:
    assert shrink_phone_number(text) == shrunk


@pytest.mark.parametrize("text, plain", [("Alice", "Alice"), ('Al\\"ice', 'Al"ice'), ("trail\\", "trail")])
def test_unescape_quoted(text: str, plain: str) -> None:
    assert _unescape_quoted(text) == plain


def test_callerid_split_of_the_common_form() -> None:
    assert callerid_split('"Extension 10001" <10001>') == ("Extension 10001", "10001")


def test_callerid_parts_keep_79_bytes_not_characters() -> None:
    name, number = callerid_split('"' + "é" * 45 + '" <100>')  # 90 bytes: char cid_name[80]
    assert (name, number) == ("é" * 39, "100")  # 79 bytes end in half a character, dropped
    assert callerid_split("x" * 90 + " <1>")[0] == "x" * 79
