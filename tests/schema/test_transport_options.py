"""Transport options audited against res/res_pjsip/config_transport.c and pjproject 2.17's address
parsing (pj_sockaddr_parse), TLS cipher table, external_* lookups and the apply handler."""

from __future__ import annotations

import pytest

from pjsipconf.schema import ApplyContext, FinishContext, InvalidValue
from pjsipconf.schema.core import HostLookupError
from pjsipconf.schema.cstr import sscanf_int, sscanf_uint
from tests.schema.helpers import SCHEMA, build, finish, rendered, value


def _hosts(table: dict[str, tuple[str, ...]]):
    """A resolver answering from `table`; other names fail as an unknown name does."""
    def resolve(name: str) -> tuple[str, ...]:
        if name in table:
            return table[name]
        raise HostLookupError(f'getaddrinfo("{name}", "(null)", ...): Name or service not known')
    return resolve


LOCALHOST = _hosts({"localhost": ("::1", "127.0.0.1"), "v6only": ("::1",)})


@pytest.mark.parametrize("text,printed", [
    ("127.0.0.1:5070", "127.0.0.1:5070"),
    ("127.0.0.1", "127.0.0.1:5060"),          # port 0: the protocol's default when applied
    ("127.0.0.1:", "127.0.0.1:5060"),         # an empty port is 0
    (":5070", "0.0.0.0:5070"),                # an empty host is the any address
    ("", "0.0.0.0:5060"),
    ("127.1", "127.0.0.1:5060"),              # inet_aton forms
    ("127.0.0.1 5070", "127.0.0.1:5060"),     # pj_inet_aton stops at a blank
    ("255.255.255.255", "255.255.255.255:5060"),
    ("127.0.0.1:18446744073709556676", "127.0.0.1:5060"),  # pj_strtoul wraps at 2**64
    ("[::1]", "[::1]:5060"),
    ("[::1]:", "[::1]:5060"),
    ("[::1]:5070", "[::1]:5070"),
    ("[::1]x", "[::1]:5060"),                 # text after the bracket without a colon is ignored
    ("::1", "[::1]:5060"),
    ("fe80::1:5070", "[fe80::1:5070]:5060"),  # a bare IPv6 address keeps all its groups
    ("::ffff:1.2.3.4:5070", "[::ffff:1.2.3.4]:5070"),  # no address as a whole: the last group is the port
    ("[::]:5070", "[::]:5070"),
    ("127.0.0.1:65536", None),
    ("127.0.0.1:+5", None),
    ("[127.0.0.1]:5060", None),               # one colon: IPv4, and "[127.0.0.1]" is no host
    ("[]:5060", None),
    ("[::1:5060", None),
    ("[::1]:abc", None),
    ("localhost", None),                      # no resolver: a name is no address
    ("not an address", None),
])
def test_bind_parses_as_pj_sockaddr_parse(text: str, printed: str | None) -> None:
    if printed is None:
        with pytest.raises(InvalidValue):
            build("transport", ("bind", text))
        return
    result, state = finish("transport", ("bind", text))
    assert not result.refused
    assert dict(SCHEMA.types["transport"].render(state))["bind"] == printed


@pytest.mark.parametrize("text,printed", [
    ("localhost:5070", "127.0.0.1:5070"),     # one colon: resolved for IPv4
    ("[localhost]:5070", None),               # one colon: "[localhost]" is the IPv4 host
    ("v6only:5070", None),                    # no IPv4 address
    ("nosuch.invalid", None),
])
def test_bind_host_names_resolve_through_the_context(text: str, printed: str | None) -> None:
    ctx = ApplyContext(object_id="obj", resolve_host=LOCALHOST)
    if printed is None:
        with pytest.raises(InvalidValue):
            build("transport", ("bind", text), ctx=ctx)
        return
    state = build("transport", ("bind", text), ctx=ctx)
    assert dict(SCHEMA.types["transport"].render(state))["bind"] == printed


def test_ciphers_print_by_table_name_once_each() -> None:
    lines = (("cipher", "ECDHE-RSA-AES128-GCM-SHA256, AES128-SHA"), ("cipher", "0xC02F,47,DEFAULT"))
    assert value("transport", "cipher", *lines) == "ECDHE-RSA-AES128-GCM-SHA256, AES128-SHA, DEFAULT"


def test_unsupported_ciphers_are_each_logged_and_refused() -> None:
    with pytest.raises(InvalidValue) as info:
        build("transport", ("cipher", "HIGH,AES128-SHA,aes256-sha"))
    assert [logged.message for logged in info.value.logged] == ["Cipher 'HIGH' is unsupported", "Cipher 'aes256-sha' is unsupported"]


def test_at_most_64_ciphers() -> None:
    names = [name for name in SCHEMA.types["transport"].option("cipher").kind.ids][:65]
    assert value("transport", "cipher", ("cipher", ",".join(names[:64]))).count(", ") == 63
    with pytest.raises(InvalidValue) as info:
        build("transport", ("cipher", ",".join(names)))
    assert info.value.logged[-1].message == "Too many ciphers specified (maximum allowed is 64)"


def test_local_net_ipv4_mapped_entries_log_notices() -> None:
    ctx = ApplyContext(object_id="obj")
    state = build("transport", ("local_net", "::ffff:10.0.0.0/::ffff:255.0.0.0"), ctx=ctx)
    assert [logged.level for logged in ctx.warnings] == ["NOTICE", "NOTICE"]
    assert ctx.warnings[0].message == "IPv4-mapped ACL network address specified. Converting to an IPv4 ACL network address."
    assert ctx.warnings[1].message == "IPv4-mapped ACL netmask specified. Converting to an IPv4 ACL netmask."
    assert dict(SCHEMA.types["transport"].render(state))["local_net"] == "10.0.0.0/255.0.0.0"


@pytest.mark.parametrize("text,tos,warned", [
    ("ef", 184, False), ("AF41", 136, False), ("cs3", 96, False), ("0xB8", 184, False), ("1.5", 0, True),
    ("10000000000000000000", 252, True),  # sscanf %i saturates at LONG_MAX, then keeps the low byte
])
def test_tos(text: str, tos: int, warned: bool) -> None:
    ctx = ApplyContext(object_id="obj")
    assert build("transport", ("tos", text), ctx=ctx)["tos"] == tos
    assert bool(ctx.warnings) == warned


def test_sscanf_saturates_like_glibc() -> None:
    assert sscanf_int("10000000000000000000") == -1  # LONG_MAX stored into an int
    assert sscanf_int("-10000000000000000000") == 0  # LONG_MIN
    assert sscanf_uint("-99999999999999999999") == 4294967295
    assert sscanf_uint("-5") == 4294967291


def test_cos_has_no_range() -> None:
    assert value("transport", "cos", ("cos", "9")) == "9"
    with pytest.raises(InvalidValue):
        build("transport", ("cos", "-1"))


def test_async_operations_warning_prints_the_value_as_int() -> None:
    result, _ = finish("transport", ("bind", "127.0.0.1"), ("async_operations", "4294967295"))
    assert "has been set to '-1'" in result.warnings[0]


@pytest.mark.parametrize("value_,logged", [
    ("203.0.113.5", []),
    ("2001:db8::5", []),
    ("localhost", []),
    ("203.0.113.5:5062", [("WARNING", "netsock2.c", "Port disallowed in 203.0.113.5:5062"),
                          ("WARNING", "netsock2.c", "Port disallowed in 203.0.113.5:5062"),
                          ("WARNING", "acl.c", "Unable to lookup '203.0.113.5:5062'")]),
    ("nosuch.invalid", [("ERROR", "netsock2.c", 'getaddrinfo("nosuch.invalid", "(null)", ...): Name or service not known'),
                        ("WARNING", "acl.c", "Unable to lookup 'nosuch.invalid'")]),
    ("v6only", [("ERROR", "netsock2.c", 'getaddrinfo("v6only", "(null)", ...): Name or service not known'),
                ("WARNING", "acl.c", "Unable to lookup 'v6only'")]),  # looked up for the IPv4 bind only
])
def test_external_addresses_are_looked_up_and_only_logged(value_: str, logged: list[tuple[str, str, str]]) -> None:
    for option in ("external_signaling_address", "external_media_address"):
        result, _ = finish("transport", ("bind", "127.0.0.1"), (option, value_), context=FinishContext(resolve_host=LOCALHOST))
        assert not result.refused
        assert [(line.level, line.module, line.message) for line in result.logs] == logged


def test_flow_transport_ignores_bind() -> None:
    out = rendered("transport", ("protocol", "flow"), ("bind", "192.0.2.1:5070"), finish=True)
    assert (out["protocol"], out["bind"]) == ("flow", "0.0.0.0:0")
    result, _ = finish("transport", ("protocol", "flow"), ("external_signaling_address", "192.0.2.1"))
    assert result.errors == ("res_pjsip/config_transport.c: Unknown address family for transport 'obj', "
                             "could not get external signaling address",)
