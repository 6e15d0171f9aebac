"""Transports that cannot start: an earlier transport of the load holds their socket, or the
kernel refuses the address.

config_transport.c starts each transport as it applies it: pjproject binds a UDP socket (without
SO_REUSEADDR) or a TCP listener (TCP and TLS alike; Linux lets no second listener share a port a
listening socket holds). A second transport on the same port, at the same address or where either
address is the wildcard of their family, fails with "Transport 'x' could not be started: Address
already in use", and Asterisk drops it. Websocket transports live in Asterisk's HTTP server and
flows make outgoing connections only: they bind nothing here.

pjproject sets IPV6_V6ONLY on every IPv6 socket, and Linux refuses to bind such a socket to an
IPv4-mapped address (`[::ffff:127.0.0.1]`): "could not be started: Invalid argument".

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


def socket_of(protocol: str, bind: str) -> Socket | None:
    """The socket a transport binds, from its printed protocol and bind (`1.2.3.4:5060`, `[::1]:5061`)."""
    if protocol not in ("udp", "tcp", "tls"):
        return None
    host, _, port = bind.rpartition(":")
    if not port.isdigit():
        return None
    ipv6 = host.startswith("[")
    return Socket("udp" if protocol == "udp" else "tcp", ipv6, host.strip("[]"), int(port))


def is_taken(wanted: Socket, started: Iterable[Socket]) -> bool:
    """Whether a socket already bound leaves no room for `wanted`."""
    for socket in started:
        same_place = socket.host == wanted.host or socket.host in _WILDCARDS or wanted.host in _WILDCARDS
        if socket[:2] == wanted[:2] and socket.port == wanted.port and same_place:
            return True
    return False


def bind_error(wanted: Socket, started: Iterable[Socket]) -> str | None:
    """Why binding `wanted` fails (strerror of the errno), or None when it binds."""
    if wanted.ipv6 and _is_v4_mapped(wanted.host):
        return "Invalid argument"
    if is_taken(wanted, started):
        return "Address already in use"
    return None


def _is_v4_mapped(host: str) -> bool:
    try:
        return ipaddress.IPv6Address(host).ipv4_mapped is not None
    except ValueError:
        return False


def start_failure(transport_id: str, error: str) -> str:
    """What Asterisk logs for a transport whose socket does not bind."""
    return f"{MODULE}: Transport '{transport_id}' could not be started: {error}"
