"""Transports that cannot start because an earlier transport of the load holds their socket.

config_transport.c starts each transport as it applies it: pjproject binds a UDP socket (without
SO_REUSEADDR) or a TCP listener (TCP and TLS alike; Linux lets no second listener share a port a
listening socket holds). A second transport on the same port, at the same address or where either
address is the wildcard of their family, fails with "Transport 'x' could not be started: Address
already in use", and Asterisk drops it. Websocket transports live in Asterisk's HTTP server and
flows make outgoing connections only: they bind nothing here.
"""

from __future__ import annotations

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


def start_failure(transport_id: str) -> str:
    """What Asterisk logs (pj_strerror of EADDRINUSE) for a transport whose socket is taken."""
    return f"{MODULE}: Transport '{transport_id}' could not be started: Address already in use"
