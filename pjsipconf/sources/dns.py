"""Host names resolved as Asterisk resolves an identify's `match` names when it applies them.

res_pjsip_endpoint_identifier_ip.c resolves each name with ast_sockaddr_resolve(name, 0,
AST_AF_UNSPEC): an optional `:port` is split off, getaddrinfo asks for datagram sockets of any
family, and a failure is logged by netsock2.c. The identify is refused when a name gives nothing,
so a misspelt name (or a word where an address belongs) drops the identify, as on the PBX. The
answer is this machine's resolver's (/etc/hosts, DNS); SRV records, which Asterisk asks first
for a name without a port, are not looked up. `[general] resolve_hosts = no` turns it off.

A resolver that does not answer (a DNS server behind a firewall that drops its packets) would hold
a build for tens of seconds per name: a name waits at most `timeout` seconds, and once one name
went unanswered the others of the build get a fraction of it; an unanswered name fails as glibc's
"Temporary failure in name resolution" does.
"""

from __future__ import annotations

import socket
import threading

from pjsipconf.schema.core import HostLookupError
from pjsipconf.schema.kinds.net import Address, split_host_port

DEFAULT_TIMEOUT = 2.0  # seconds a name may take
AFTER_SILENCE = 0.1  # share of it left once a name of the build went unanswered
UNANSWERED = "Temporary failure in name resolution"  # gai_strerror(EAI_AGAIN)


class HostResolver:
    """One build's lookups: each name is asked once (many identifies may name the same host)."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._answers: dict[str, tuple[str, ...] | HostLookupError] = {}
        self._timeout = timeout
        self._after_silence = timeout * AFTER_SILENCE

    def __call__(self, name: str) -> tuple[str, ...]:
        answer = self._answers.get(name)
        if answer is None:
            answer = self._answers[name] = self._ask(name)
        if isinstance(answer, HostLookupError):
            raise answer
        return answer

    def _ask(self, name: str) -> tuple[str, ...] | HostLookupError:
        """`_resolve` in a thread of its own, given up on (left to finish alone) after the timeout."""
        found: list[tuple[str, ...] | HostLookupError] = []
        worker = threading.Thread(target=lambda: found.append(_resolve(name)), daemon=True)
        worker.start()
        worker.join(self._timeout)
        if found:
            return found[0]
        self._timeout = self._after_silence  # the resolver is not answering: do not wait as long again
        host, port = split_host_port(name)
        return _lookup_error(host, port, UNANSWERED)


def _resolve(name: str) -> tuple[str, ...] | HostLookupError:
    host, port = split_host_port(name)
    if not host:
        return ()  # ast_sockaddr_split_hostport fails: nothing, and nothing logged
    try:
        found = socket.getaddrinfo(host, port, socket.AF_UNSPEC, socket.SOCK_DGRAM)
    except (socket.gaierror, UnicodeError) as exc:
        reason = (exc.strerror if isinstance(exc, socket.gaierror) else None) or "Name or service not known"
        return _lookup_error(host, port, reason)
    return tuple(_stringify(family, address) for family, _type, _proto, _name, address in found)


def _lookup_error(host: str, port: str | None, reason: str) -> HostLookupError:
    """What netsock2.c logs when getaddrinfo fails."""
    return HostLookupError(f'getaddrinfo("{host}", "{port if port is not None else "(null)"}", ...): {reason}')


_V4_MAPPED = bytes(10) + b"\xff\xff"


def _stringify(family: int, address: tuple) -> str:
    """ast_sockaddr_stringify: `addr` or `addr:port` (IPv6 in brackets then; an IPv4-mapped
    address prints as IPv4)."""
    packed = socket.inet_pton(family, address[0].split("%", 1)[0])
    if family == socket.AF_INET6 and packed.startswith(_V4_MAPPED):
        family, packed = socket.AF_INET, packed[12:]
    return Address(family, packed, address[1]).with_port()
