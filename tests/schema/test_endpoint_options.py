"""Endpoint options checked against Asterisk 22.10.1's handlers (res/res_pjsip/pjsip_configuration.c
and the helpers it calls): inputs accepted or refused, and what `pjsip show endpoint` prints."""

from __future__ import annotations

import pytest

from pjsipconf.schema import InvalidValue
from tests.schema.helpers import build, rendered, value

# (option, value written, option printed, what Asterisk prints)
ACCEPTED = [
    # OPT_CHAR_ARRAY_T into char context[AST_MAX_CONTEXT]: ast_copy_string keeps 79 bytes.
    ("subscribe_context", "s" * 100, "subscribe_context", "s" * 79),
    ("subscribe_context", "subs", "subscribe_context", "subs"),
    # format_cap.c: `!sscanf(psize, "%30d")` is false for an empty framing (EOF is -1).
    ("allow", "ulaw:", "allow", "(ulaw)"),
    ("allow", "ulaw:20,alaw:", "allow", "(ulaw|alaw)"),
    # ast_sip_parse_qvalue is strtof within [0, 1], not RFC 3261's "0.xxx".
    ("security_mechanisms", "sdes-srtp;q=0.5555", "security_mechanisms", "sdes-srtp"),
    ("security_mechanisms", "sdes-srtp;q=.5,dtls-srtp;q=1.0000", "security_mechanisms", "sdes-srtp, dtls-srtp"),
    ("security_mechanisms", "sdes-srtp;q=2,dtls-srtp;q=nan,msrp-tls;q=", "security_mechanisms", None),
    # ast_callerid_merge: the name is escaped into 128 bytes, the result cut to the unescaped
    # lengths plus 10 (caller_id_to_str's buffer).
    ("callerid", 'a"b"c"d"e"f <123>', "callerid", '"a\\"b\\"c\\"d\\"e\\"f" <123>'),
    ("callerid", 'a"b"c"d"e"f"g <123>', "callerid", '"a\\"b\\"c\\"d\\"e\\"f\\"g" <123'),
    # media_address_handler prints ast_sockaddr_stringify_addr_remote: IPv4-mapped as IPv4.
    ("media_address", "::ffff:1.2.3.4", "media_address", "1.2.3.4"),
    ("media_address", "[::ffff:10.0.0.1]:5000", "media_address", "10.0.0.1"),
    ("media_address", "::1", "media_address", "::1"),
]


@pytest.mark.parametrize("option,text,printed,expected", ACCEPTED)
def test_accepted_and_printed(option: str, text: str, printed: str, expected: str | None) -> None:
    """`expected` None: the option prints nothing (security_mechanisms left empty)."""
    assert rendered("endpoint", (option, text)).get(printed) == expected


# (option, value) Asterisk refuses (the handler returns -1: "Error parsing ...").
REFUSED = [
    ("named_call_group", ","),  # ast_get_namedgroups finds no name and returns NULL
    ("named_pickup_group", ",,"),
    ("allow", "ulaw:x"),
]


@pytest.mark.parametrize("option,text", REFUSED)
def test_refused(option: str, text: str) -> None:
    with pytest.raises(InvalidValue):
        build("endpoint", (option, text))


def test_named_group_empty_value_still_clears() -> None:
    assert value("endpoint", "named_call_group", ("named_call_group", "a"), ("named_call_group", "")) == ""


def test_resource_list_event_is_a_32_byte_array_that_must_not_be_empty() -> None:
    assert value("resource_list", "event", ("event", "e" * 40)) == "e" * 31
    with pytest.raises(InvalidValue):
        build("resource_list", ("event", ""))
