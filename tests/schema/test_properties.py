"""Properties the model relies on: diff states behave like full states, states are never shared
mutably, and the integer parsers agree with C on arbitrary numbers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pjsipconf.schema import InvalidValue
from tests.schema.helpers import SCHEMA

ENDPOINT = SCHEMA.types["endpoint"]
LINES = [
    ("allow", "ulaw"), ("allow", "!all,g722"), ("disallow", "gsm"), ("allow", "all"), ("context", "default"),
    ("context", "office"), ("set_var", "A=1"), ("set_var", "A=2"), ("set_var", "B="), ("call_group", "1-3"),
    ("named_call_group", "sales,support"), ("callerid", "Bob <100>"), ("direct_media", "no"), ("direct_media", "yes"),
    ("permit", "10.0.0.0/8"), ("contact_deny", "0.0.0.0/0"), ("dtmf_mode", "info"), ("timers", "forced"), ("@x", "1"),
    ("identify_by", "ip"), ("auth", "a,b"), ("tos_audio", "ef"), ("sdp_owner", ""), ("webrtc", "yes"),
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=12))
def test_diff_state_equals_full_state(lines: list[tuple[str, str]]) -> None:
    full = ENDPOINT.new_state()
    diff: dict = {}
    for name, value in lines:
        ENDPOINT.apply(full, name, value)
        ENDPOINT.apply(diff, name, value)
    assert ENDPOINT.render(diff) == ENDPOINT.render(full) == ENDPOINT.render(ENDPOINT.diff(full))
    ENDPOINT.finish(full, "e", None)
    ENDPOINT.finish(diff, "e", None)
    assert ENDPOINT.render(diff) == ENDPOINT.render(full)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=8))
def test_copies_of_a_state_are_independent(lines: list[tuple[str, str]]) -> None:
    template = ENDPOINT.new_state()
    for name, value in lines:
        ENDPOINT.apply(template, name, value)
    before = ENDPOINT.render(template)
    child = dict(template)
    ENDPOINT.apply(child, "allow", "opus")
    ENDPOINT.apply(child, "set_var", "Z=9")
    assert ENDPOINT.render(template) == before


@given(st.integers(min_value=-(2**40), max_value=2**40))
def test_uint_accepts_exactly_the_32_bit_unsigned_range(number: int) -> None:
    try:
        ENDPOINT.apply({}, "rtp_keepalive", str(number))
        accepted = True
    except InvalidValue:
        accepted = False
    assert accepted == (0 <= number <= 4294967295)


@given(st.integers(min_value=0, max_value=2**33))
def test_uint_hex_and_decimal_agree(number: int) -> None:
    as_hex, as_dec = {}, {}
    try:
        ENDPOINT.apply(as_dec, "rtp_keepalive", str(number))
        ENDPOINT.apply(as_hex, "rtp_keepalive", hex(number))
    except InvalidValue:
        assert number > 4294967295
        return
    assert as_dec == as_hex == {"rtp_keepalive": number}


@given(st.integers(min_value=-(2**33), max_value=2**33))
def test_int_accepts_exactly_the_32_bit_signed_range(number: int) -> None:
    transport = SCHEMA.types["transport"]
    try:
        transport.apply({}, "tcp_keepalive_idle_time", str(number))
        accepted = True
    except InvalidValue:
        accepted = False
    assert accepted == (-(2**31) <= number <= 2**31 - 1)
