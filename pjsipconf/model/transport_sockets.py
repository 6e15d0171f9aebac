"""Transports that cannot start: an earlier transport of the load holds their socket, or the
kernel refuses the address.

config_transport.c starts each transport as it applies it: pjproject binds a UDP socket (without
SO_REUSEADDR) or a TCP listener (TCP and TLS alike; Linux lets no second listener share a port a
listening socket holds). A second transport on the same port, at the same address or where either
address is the wildcard of their family, fails with "Transport 'x' could not be started: Address
already in use", and Asterisk drops it. Websocket transports live in Asterisk's HTTP server and
flows make outgoing connections only: they bind nothing here.

Linux refuses some IPv6 binds outright, on any machine: "could not be started: Invalid argument".
pjproject sets IPV6_V6ONLY on every IPv6 socket, which cannot bind an IPv4-mapped address
(`[::ffff:127.0.0.1]`); a link-local address (`fe80::1`, or a multicast one of link or interface
scope, `ff02::1`, `ff01::1`) needs the interface (`%eth0`) the bare address does not name; and a
TCP socket binds no IPv6 multicast address. Whether an address is this machine's ("Cannot assign
requested address") is not knowable offline, so that error is not modelled.

A TLS transport is the exception: pjproject 2.17's pjsip_tls_transport_lis_start overwrites the
listener's bind error with the next call's success, so the transport loads without a listening
socket (client-only), logs nothing, and holds no port for later transports.
"""

from __future__ import annotations

import ipaddress
from typing import Iterable, NamedTuple

MODULE = "res_pjsip/config_transport.c"
_WILDCARDS = frozenset({"0.0.0.0", "::"})


class Socket(NamedTuple):
    kind: str  # "udp" or "tcp" (tls listens on TCP too)
    ipv6: bool
    host: str
    port: int


def socket_of(protocol: str, bind: str, scope: str = "") -> Socket | None:
    """The socket a transport binds, from its printed protocol and bind (`1.2.3.4:5060`, `[::1]:5061`)
    and the interface an IPv6 bind named (`[fe80::1%eth0]`), which the printed bind leaves out."""
    if protocol not in ("udp", "tcp", "tls"):
        return None
    host, _, port = bind.rpartition(":")
    if not port.isdigit():
        return None
    ipv6 = host.startswith("[")
    host = host.strip("[]")
    return Socket("udp" if protocol == "udp" else "tcp", ipv6, f"{host}%{scope}" if scope else host, int(port))


def is_taken(wanted: Socket, started: Iterable[Socket]) -> bool:
    """Whether a socket already bound leaves no room for `wanted`."""
    for socket in started:
        same_place = socket.host == wanted.host or socket.host in _WILDCARDS or wanted.host in _WILDCARDS
        if socket[:2] == wanted[:2] and socket.port == wanted.port and same_place:
            return True
    return False


def bind_error(wanted: Socket, started: Iterable[Socket]) -> str | None:
    """Why binding `wanted` fails (strerror of the errno), or None when it binds."""
    if wanted.ipv6 and _refused_ipv6(wanted):
        return "Invalid argument"
    if is_taken(wanted, started):
        return "Address already in use"
    return None


def _refused_ipv6(wanted: Socket) -> bool:
    """Whether Linux refuses to bind this IPv6 address on any machine (EINVAL)."""
    try:
        address = ipaddress.IPv6Address(wanted.host)
    except ValueError:
        return False
    if address.ipv4_mapped is not None:
        return True
    if address.scope_id:
        return False  # binds where the named interface has the address
    if address.is_multicast:
        return wanted.kind == "tcp" or address.packed[1] & 0x0F in _SCOPES_NEEDING_INTERFACE
    return address.is_link_local


# Multicast scopes (RFC 4291 2.7) that name no place without an interface: interface-local (ff01::)
# and link-local (ff02::); Linux's __ipv6_addr_needs_scope_id.
_SCOPES_NEEDING_INTERFACE = (1, 2)


def start_failure(transport_id: str, error: str) -> str:
    """What Asterisk logs for a transport whose socket does not bind."""
    return f"{MODULE}: Transport '{transport_id}' could not be started: {error}"
