"""bool/yesno, uint/int/double, strings: Asterisk's edge cases (golden README 7 and 9)."""

from __future__ import annotations

import pytest

from pjsipconf.schema import InvalidValue
from pjsipconf.schema.cstr import ast_strsep, ast_strsep_once, strip_quoted
from tests.schema.helpers import build, value


@pytest.mark.parametrize("word", ["yes", "YES", "true", "True", "y", "t", "1", "on", "ON"])
def test_bool_true_words(word: str) -> None:
    assert value("endpoint", "rtp_symmetric", ("rtp_symmetric", word)) == "true"
    assert value("endpoint", "send_connected_line", ("send_connected_line", word)) == "yes"  # OPT_YESNO_T


# " yes ": ast_true() does not strip; only a realtime value can still carry the blanks.
@pytest.mark.parametrize("word", ["no", "0", "off", "maybe", "sometimes", "", "yess", " yes "])
def test_bool_anything_else_is_false_never_an_error(word: str) -> None:
    assert value("endpoint", "direct_media", ("direct_media", word)) == "false"
    assert value("endpoint", "send_connected_line", ("send_connected_line", word)) == "no"


def test_tls_booleans_print_capitalised() -> None:
    assert value("transport", "verify_server", ("verify_server", "yes")) == "Yes"
    assert value("transport", "verify_server") == "No"


@pytest.mark.parametrize("text,expected", [
    ("0", "0"), ("4294967295", "4294967295"), ("0x5", "5"), ("0X1f", "31"), ("010", "8"), ("+7", "7"),
])
def test_uint_accepts_strtoul_base_0(text: str, expected: str) -> None:
    assert value("endpoint", "rtp_keepalive", ("rtp_keepalive", text)) == expected


@pytest.mark.parametrize("text", ["-1", "4294967296", "1.5", "forever", "", "5 ", "0x", "09", "1e3", "- 1"])
def test_uint_rejects(text: str) -> None:
    with pytest.raises(InvalidValue) as info:
        build("endpoint", ("rtp_keepalive", text))
    assert "unsigned integer" in info.value.message


def test_uint_range_of_qualify_frequency() -> None:
    assert value("aor", "qualify_frequency", ("qualify_frequency", "86400")) == "86400"
    with pytest.raises(InvalidValue):
        build("aor", ("qualify_frequency", "86401"))


def test_int_accepts_negative_and_hex_rejects_out_of_range() -> None:
    assert value("transport", "tcp_keepalive_idle_time", ("tcp_keepalive_idle_time", "-5")) == "-5"
    assert value("transport", "tcp_keepalive_idle_time", ("tcp_keepalive_idle_time", "0x10")) == "16"
    for bad in ("2147483648", "abc", "", "1.0"):
        with pytest.raises(InvalidValue):
            build("transport", ("tcp_keepalive_idle_time", bad))


def test_int_range_websocket_write_timeout() -> None:
    with pytest.raises(InvalidValue):
        build("transport", ("websocket_write_timeout", "0"))


@pytest.mark.parametrize("text,expected", [
    ("3", "3.000000"), ("2.5", "2.500000"), ("1e1", "10.000000"), ("0", "0.000000"), (".5", "0.500000"),
    ("-2", "-2.000000"), ("0x1p3", "8.000000"), ("0e-999", "0.000000"), ("inf", "inf"),
    ("nan", "nan"), ("-nan", "-nan"), ("NaN(123)", "nan"),  # %f keeps a NaN's sign; strtod takes nan(chars)
])
def test_double_renders_percent_f(text: str, expected: str) -> None:
    assert value("aor", "qualify_timeout", ("qualify_timeout", text)) == expected


# ERANGE fails: overflow, and underflow (a non-zero number whose double is subnormal or zero).
@pytest.mark.parametrize("text", ["fast", "", "3s", "1e999", "1e-400", "1e-310", "+-1", "nan(1.2)"])
def test_double_rejects(text: str) -> None:
    with pytest.raises(InvalidValue):
        build("aor", ("qualify_timeout", text))


def test_strings_are_kept_as_written_and_last_wins() -> None:
    assert value("endpoint", "context", ("context", "a"), ("context", " b c ")) == " b c "
    assert value("endpoint", "aors", ("aors", "l-aor1, l-aor2")) == "l-aor1, l-aor2"


def test_dtls_rekey_takes_a_leading_number() -> None:
    assert value("endpoint", "dtls_rekey", ("dtls_rekey", "60s")) == "60"
    with pytest.raises(InvalidValue):
        build("endpoint", ("dtls_rekey", "soon"))


def test_stir_shaken_is_obsolete_prints_no_and_warns() -> None:
    from pjsipconf.schema import ApplyContext

    ctx = ApplyContext(object_id="e1")
    build("endpoint", ("stir_shaken", "yes"), ctx=ctx)
    assert value("endpoint", "stir_shaken", ("stir_shaken", "yes")) == "no"
    assert "no longer supported" in ctx.warnings[0].message


def test_endpoint_contact_user_printed_only_once_set() -> None:
    from tests.schema.helpers import rendered

    assert "contact_user" not in rendered("endpoint")
    assert rendered("endpoint", ("contact_user", ""))["contact_user"] == ""
    assert rendered("registration")["contact_user"] == ""


@pytest.mark.parametrize(("text", "begin", "end", "expected"), [
    ('"a"', '"', '"', "a"), ('"', '"', '"', ""), ("<", "<", ">", "<"), ("<>", "<", ">", ""), ("<a", "<", ">", "<a"),
])
def test_strip_quoted_needs_the_matching_closing_quote(text: str, begin: str, end: str, expected: str) -> None:
    assert strip_quoted(text, begin, end) == expected


@pytest.mark.parametrize("text, pieces", [
    ("a,b", ["a", "b"]),
    ("a,", ["a", ""]),  # an empty rest is one more (empty) piece
    ("", [""]),
    (" a , b ,  ,c", ["a", "b", "  ", "c"]),  # trimming that would leave nothing is not done
    ('"a,b",c', ['"a,b"', "c"]),  # no split inside quotes
    ("a\\,b,c", ["a\\,b", "c"]),  # nor after a backslash
    ("'\"'\"'\"'\"x,y", []),  # quotes nested eight deep: ast_strsep returns NULL at once
])
def test_ast_strsep_with_trim(text: str, pieces: list[str]) -> None:
    assert ast_strsep(text, ",", trim=True) == pieces


def test_ast_strsep_once_leaves_the_rest_untrimmed() -> None:
    assert ast_strsep_once("MD5 : 0123", ":", trim=True) == ("MD5", " 0123")
    assert ast_strsep_once("no separator", ":") == ("no separator", None)
