"""Address kinds: ACL rules (permit/deny/acl), host access lists (transport local_net, identify
match), transport bind, endpoint media_address. Addresses are numeric only, as Asterisk's
`ast_sockaddr_parse` (AI_NUMERICHOST) requires, except transport bind, whose host names pjproject
resolves: they go to the resolver the apply context carries; nothing here touches DNS itself."""

from __future__ import annotations

import socket
from typing import Any, Callable, NamedTuple

from pjsipconf.schema.core import ApplyCall, HostLookupError, InvalidValue, Kind, Lines, Logged, invalid, register
from pjsipconf.schema.cstr import ast_strip, c_buffer, sscanf_int, strtol_prefix
from pjsipconf.schema.kinds.lists import PJ_MAX_HOSTNAME

ACL_NAME_LENGTH = 80  # struct ast_acl name[ACL_NAME_LENGTH] (include/asterisk/acl.h)


class Address(NamedTuple):
    family: int  # socket.AF_INET / AF_INET6
    packed: bytes
    port: int
    scope: str = ""  # an IPv6 address's `%interface`: printed nowhere, but a bind needs it

    @property
    def text(self) -> str:
        """`ast_sockaddr_stringify_addr`: the address without port or brackets."""
        return socket.inet_ntop(self.family, self.packed)

    def with_port(self) -> str:
        """`ast_sockaddr_stringify`: address and port (brackets for IPv6) when a port is set."""
        if not self.port:
            return self.text
        return f"[{self.text}]:{self.port}" if self.family == socket.AF_INET6 else f"{self.text}:{self.port}"


def split_host_port(text: str) -> tuple[str, str | None]:
    """`ast_sockaddr_split_hostport`: `[v6]` (anything after the bracket other than `:port` is
    ignored, a missing `]` leaves the rest as host), `v6` (2+ colons: no port), `host:port`, `host`."""
    if text.startswith("["):
        close = text.find("]")
        if close < 0:
            return text[1:], None
        rest = text[close + 1 :]
        return text[1:close], (rest[1:] if rest.startswith(":") else None)
    if text.count(":") == 1:
        host, port = text.split(":")
        return host, port
    return text, None


_C_SPACE = " \t\n\v\f\r"
ULONG_MAX = 2**64 - 1


def numeric_service_port(text: str) -> int | None:
    """The port glibc's getaddrinfo (AI_NUMERICSERV) makes of a service: `strtoul(text, 10)` must
    consume all of it ("" is 0); the number lands in an int (negative fails) and is cut to 16 bits
    by htons, so 65536 is port 0 and 99999 port 34463."""
    if text == "":
        return 0
    number, rest, _ = strtol_prefix(text, 10)
    if number is None or rest:
        return None
    unsigned = ULONG_MAX if abs(number) > ULONG_MAX else number % (ULONG_MAX + 1)
    as_int = unsigned & 0xFFFFFFFF
    return None if as_int > 0x7FFFFFFF else as_int & 0xFFFF


def parse_address(text: str, port_rule: str = "optional", logs: list[Logged] | None = None) -> Address | None:
    """`ast_sockaddr_parse` (numeric host and service) with PARSE_PORT_FORBID ("forbid", which logs
    "Port disallowed" into `logs`) or no port rule ("optional")."""
    host, port_text = split_host_port(text)
    if port_text is not None and port_rule == "forbid":
        if logs is not None:
            logs.append(Logged("WARNING", "netsock2.c", f"Port disallowed in {text}"))
        return None
    port = 0
    if port_text is not None:
        numeric = numeric_service_port(port_text)
        if numeric is None:
            return None
        port = numeric
    if not host or any(ch in _C_SPACE for ch in host):
        # getaddrinfo reads IPv4 with inet_aton_exact: no blanks (Python's inet_aton stops at one).
        return None
    try:
        if ":" in host:
            address, _, scope = host.partition("%")
            return Address(socket.AF_INET6, socket.inet_pton(socket.AF_INET6, address), port, scope)
        # glibc's numeric getaddrinfo accepts inet_aton forms (127.1, 0x7f.1).
        return Address(socket.AF_INET, socket.inet_aton(host), port)
    except (OSError, ValueError):
        return None


def getaddrinfo_failure(name: str, resolve: Callable[[str], tuple[str, ...]], family: int | None = None) -> str | None:
    """What netsock2.c logs when ast_sockaddr_resolve finds no address of `family` (any family
    when None) for a host name; None when it finds one."""
    try:
        addresses = [parse_address(answer) for answer in resolve(name)]
    except HostLookupError as exc:
        return str(exc)
    if any(address is not None and family in (None, address.family) for address in addresses):
        return None
    # getaddrinfo is asked for that family only: a name without such an address is unknown
    return f'getaddrinfo("{name}", "(null)", ...): Name or service not known'


def _unmap_v4(address: Address, logs: list[Logged] | None = None, what: str = "") -> Address:
    """IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are turned into IPv4 ones, as acl.c does; an
    ACL's `what` ("network address" or "netmask") converted so is logged as a NOTICE into `logs`."""
    if address.family == socket.AF_INET6 and address.packed[:12] == b"\0" * 10 + b"\xff\xff":
        if logs is not None:
            logs.append(Logged("NOTICE", "acl.c", f"IPv4-mapped ACL {what} specified. Converting to an IPv4 ACL {what}."))
        return Address(socket.AF_INET, address.packed[12:], address.port)
    return address


def _cidr_mask(family: int, bits: int) -> bytes | None:
    width = 32 if family == socket.AF_INET else 128
    if bits < 0 or bits > width:
        return None
    value = ((1 << width) - 1) ^ ((1 << (width - bits)) - 1)
    return value.to_bytes(width // 8, "big")


class HostAccess(NamedTuple):
    """One `ast_ha` rule: printed `[!]addr/netmask` (the `!` marks the inverted sense)."""

    inverted: bool
    address: Address
    netmask: bytes

    def render(self) -> str:
        mask = socket.inet_ntop(self.address.family, self.netmask)
        return f"{'!' if self.inverted else ''}{self.address.with_port()}/{mask}"


def parse_ha_list(value: str, port_rule: str, logs: list[Logged]) -> tuple[list[HostAccess], bool]:
    """`append_ha_core`: comma-separated `[!]addr[/mask]`; stops at the first bad entry.

    Returns the rules parsed before any error and whether an error happened; what acl.c logs on
    the way (also for accepted entries: IPv4-mapped addresses) is appended to `logs`."""
    rules: list[HostAccess] = []
    for entry in value.split(","):
        address_text, _, mask_text = entry.partition("/")
        has_mask = "/" in entry
        inverted = address_text.startswith("!")
        if inverted:
            address_text = address_text[1:]
        address = parse_address(address_text, port_rule, logs)
        if address is None:
            logs.append(Logged("WARNING", "acl.c", f"Invalid IP address: {address_text}"))
            return rules, True
        address = _unmap_v4(address, logs, "network address")
        width = 32 if address.family == socket.AF_INET else 128
        if not has_mask:
            netmask = _cidr_mask(address.family, width)
        elif ":" in mask_text or "." in mask_text:
            parsed = parse_address(mask_text, "forbid", logs)
            parsed = _unmap_v4(parsed, logs, "netmask") if parsed else None
            if parsed is None:
                logs.append(Logged("WARNING", "acl.c", f"Invalid netmask: {mask_text}"))
                return rules, True
            if parsed.family != address.family:
                logs.append(Logged("WARNING", "acl.c", "Address and mask are not using same address scheme."))
                return rules, True
            netmask = parsed.packed
        else:
            bits = sscanf_int(mask_text[:30])
            netmask = _cidr_mask(address.family, bits) if bits is not None else None
        if netmask is None:
            logs.append(Logged("WARNING", "acl.c", f"Invalid CIDR netmask: {mask_text}"))
            return rules, True
        masked = bytes(a & m for a, m in zip(address.packed, netmask))
        rules.append(HostAccess(inverted, Address(address.family, masked, address.port), netmask))
    return rules, False


def ha_denies(rules: list[HostAccess], address: Address) -> bool:
    """`ast_apply_ha` on a list of deny rules (identify match): whether the last rule matching the
    address (and its port, when the rule has one) denies it; `!` rules allow. Rules of the other
    address family never match."""
    denied = False
    for rule in rules:
        if rule.address.family != address.family:
            continue
        masked = bytes(a & m for a, m in zip(address.packed, rule.netmask))
        if masked == rule.address.packed and rule.address.port in (0, address.port):
            denied = not rule.inverted
    return denied


@register
class AclKind(Kind):
    """permit / deny / acl (and contact_*): rules appended to an ACL list.

    State: ((acl name, (rule, ...)), ...). permit/deny rules go to the unnamed ACL, which is always
    first (created at the head when needed); `acl=` adds named ACLs at the tail (an unknown name
    only warns, a repeated one fails). Printed: the first ACL's name, or `deny/permit` for the
    unnamed one, or empty.

    params: `skip_empty` (the endpoint handler ignores an empty value; the acl type's fails on it),
    `bad_acl_log` (the acl type logs the bad line and that all SIP traffic is blocked)."""

    kind_name = "acl"
    zero: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if value == "" and self.params.get("skip_empty"):
            return current
        try:
            return self._append(current, value, call)
        except InvalidValue as exc:
            if not self.params.get("bad_acl_log"):
                raise
            which = "contact ACL" if call.name.startswith("contact_") else "ACL"
            extra = (Logged("ERROR", "res_pjsip_acl.c", f"Bad {which} '{value}' at line '{call.ctx.line}' of pjsip.conf"),
                     Logged("ERROR", "res_pjsip_acl.c", "There is an error in ACL configuration. Blocking ALL SIP traffic."))
            raise InvalidValue(exc.message, exc.valid, exc.logged + extra) from None

    def _append(self, current: Any, value: str, call: ApplyCall) -> tuple[tuple[str, tuple[str, ...]], ...]:
        sense = call.name.removeprefix("contact_")
        acls = list(current)
        if not sense.lower().startswith("a"):
            logs: list[Logged] = []
            rules, failed = parse_ha_list(value, "forbid", logs)
            allow = sense.lower().startswith("p")
            texts = tuple(f"{'permit' if allow != rule.inverted else 'deny'} {rule.render().lstrip('!')}" for rule in rules)
            if acls and acls[0][0] == "":
                acls[0] = ("", acls[0][1] + texts)
            else:
                acls.insert(0, ("", texts))
            if failed:
                raise invalid(call.name, value, "addresses with optional /mask, comma separated (e.g. 10.0.0.0/8)", (), tuple(logs))
            for logged in logs:  # notices of accepted entries
                call.ctx.warnings.append(logged)
            return tuple(acls)
        failed_logs: list[Logged] = []
        for raw in value.split(","):
            acl_name = raw.lstrip("".join(chr(c) for c in range(1, 33)))
            if any(existing.lower() == acl_name.lower() for existing, _ in acls):
                failed_logs.append(Logged("ERROR", "acl.c", f"Named ACL '{acl_name}' occurs multiple times in ACL definition. "
                                                             "Please update your ACL configuration."))
                continue
            has_rules = call.ctx.named_acls.get(acl_name)  # ast_named_acl_find, case-sensitive
            if has_rules is None:
                call.warn("named_acl.c", f"ACL '{acl_name}' does not exist. The ACL will be marked as undefined "
                                         "and will automatically fail if applied.")
            elif not has_rules:
                call.warn("named_acl.c", f"ACL '{acl_name}' contains no rules. It is valid, but it will accept "
                                         "addresses unconditionally.", "NOTICE")
            acls.append((c_buffer(acl_name, ACL_NAME_LENGTH), ()))  # the name is kept in a char[80]
        if failed_logs:
            raise invalid(call.name, value, "names of ACLs defined in acl.conf, each once", (), tuple(failed_logs))
        return tuple(acls)

    def render(self, name: str, value: Any) -> Lines:
        if not value:
            return [(name, "")]
        return [(name, value[0][0] or "deny/permit")]


@register
class HostListKind(Kind):
    """transport local_net and identify match: `addr[/mask]` rules, one printed line each.

    params: `empty_clears` (local_net= clears the list; match= is ignored), `ports` (identify
    accepts `addr:port`), `hosts` (identify keeps names that are not addresses for resolution at
    apply time; state items are then ("host", name) tuples), `log` (module, template) for a bad entry.
    """

    kind_name = "host_list"
    zero: tuple[Any, ...] = ()

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[Any, ...]:
        if value == "":
            return () if self.params.get("empty_clears") else current
        port_rule = "optional" if self.params.get("ports") else "forbid"
        items = list(current)
        entries = [ast_strip(piece) for piece in value.split(",")] if self.params.get("hosts") else [value]
        for entry in entries:
            if not entry:
                continue
            if self.params.get("hosts") and "/" not in entry and parse_address(entry, port_rule) is None:
                items.append(("host", entry))
                continue
            logs: list[Logged] = []
            rules, failed = parse_ha_list(entry, port_rule, logs)
            items.extend(rule.render() for rule in rules)
            if failed:
                if self.params.get("log"):
                    module, template = self.params["log"]
                    logs.append(Logged("ERROR", module, template.format(value=entry, id=call.ctx.object_id)))
                raise invalid(call.name, value, "IP addresses with optional /mask (CIDR bits or dotted), comma separated", (), tuple(logs))
            for logged in logs:  # notices of accepted entries
                call.ctx.warnings.append(logged)
        return tuple(items)

    def render(self, name: str, value: Any) -> Lines:
        lines = [(name, item) for item in value if isinstance(item, str)]
        return lines or [(name, "")]


_PJ_INET_ADDRSTRLEN, _PJ_INET6_ADDRSTRLEN = 16, 46


def _pj_port(text: str) -> int | None:
    """A port as pj_sockaddr_parse reads it: digits only ("" is 0), pj_strtoul (which wraps at
    2**64), at most 65535."""
    if not all(ch in "0123456789" for ch in text):
        return None
    port = int(text or "0") % 2**64
    return port if port <= 65535 else None


def _pj_getaddrinfo(family: int, host: str, resolve: Callable[[str], tuple[str, ...]] | None) -> bytes | None:
    """pj_getaddrinfo for one family: a whole numeric address (IPv4 in the forms inet_aton reads),
    else the first address of that family the name resolves to."""
    try:
        if family == socket.AF_INET6:
            return socket.inet_pton(family, host)
        if not any(ch in _C_SPACE for ch in host):
            return socket.inet_aton(host)
    except OSError:
        pass
    # No name has brackets (glibc answers EAI_NONAME for "[127.0.0.1]"); the resolver would take
    # them off, as ast_sockaddr_resolve does, so it must not see them.
    if resolve is None or "[" in host or "]" in host:
        return None
    try:
        answers = resolve(host)
    except HostLookupError:
        return None
    for answer in answers:
        try:
            return socket.inet_pton(family, answer)
        except OSError:
            continue
    return None


def _pj_host(family: int, host: str, resolve: Callable[[str], tuple[str, ...]] | None) -> bytes | None:
    """pj_sockaddr_set_str_addr: "" is the any address; an IPv4 host is tried with the lax inet_aton
    (a blank ends it: "1.2.3.4 x" passes) when shorter than 16 bytes, an IPv6 one with inet_pton
    when shorter than 46, and then handed to getaddrinfo (255.255.255.255 always is)."""
    size = len(host.encode("utf-8", "surrogateescape"))
    if size == 0:
        return bytes(4 if family == socket.AF_INET else 16)
    if size >= PJ_MAX_HOSTNAME:
        return None
    try:
        if family == socket.AF_INET and size < _PJ_INET_ADDRSTRLEN:
            packed = socket.inet_aton(host)
            if packed != b"\xff" * 4:  # INADDR_NONE, inet_addr's failure value
                return packed
        if family == socket.AF_INET6 and size < _PJ_INET6_ADDRSTRLEN:
            return socket.inet_pton(family, host)
    except (OSError, ValueError):
        pass
    return _pj_getaddrinfo(family, host, resolve)


def pj_sockaddr_parse(text: str, resolve: Callable[[str], tuple[str, ...]] | None = None) -> Address | None:
    """`pj_sockaddr_parse(pj_AF_UNSPEC(), ...)`: up to one colon is IPv4 `host[:port]` (both may be
    empty: ":5060" is 0.0.0.0:5060, "" is 0.0.0.0); more is IPv6, `[host]` with an optional
    `:port` after the bracket (anything else there is ignored) or a bare address. An IPv6 host
    that is no address is retried with the text after the last colon as the port."""
    last = text.rfind(":")
    if text.count(":") <= 1:
        host, port_text = (text[:last], text[last + 1 :]) if last >= 0 else (text, "")
        port = _pj_port(port_text)
        packed = _pj_host(socket.AF_INET, host, resolve) if port is not None else None
        return Address(socket.AF_INET, packed, port) if packed is not None and port is not None else None
    if text.startswith("["):
        close = text.find("]")
        port = _pj_port(text[last + 1 :] if last > close else "") if close >= 0 else None
        if port is None:
            return None
        host = text[1:close]
    else:
        port, host = 0, text
    packed = _pj_host(socket.AF_INET6, host, resolve)
    if packed is None:
        port, host = _pj_port(text[last + 1 :]), text[:last]
        packed = _pj_host(socket.AF_INET6, host, resolve) if port is not None else None
    if packed is None or port is None:
        return None
    return Address(socket.AF_INET6, packed, port, host.partition("%")[2])  # getaddrinfo keeps the scope


@register
class BindKind(Kind):
    """transport bind (`pj_sockaddr_parse`): an address with optional port; a host name is resolved
    (ApplyContext.resolve_host; without it a name fails). State: Address or None; the port
    defaults to 5060 (5061 for TLS) when the transport is applied."""

    kind_name = "bind"
    zero = None

    def parse(self, current: Any, value: str, call: ApplyCall) -> Address:
        address = pj_sockaddr_parse(value, call.ctx.resolve_host)
        if address is None:
            raise invalid(call.name, value, "an IP address or host name with optional port, e.g. 0.0.0.0:5060 or [::]:5060")
        return address

    def render(self, name: str, value: Any) -> Lines:
        if value is None:
            return [(name, "")]
        text = f"[{value.text}]" if value.family == socket.AF_INET6 else value.text
        return [(name, f"{text}:{value.port}")]


@register
class MediaAddressKind(Kind):
    """endpoint media_address: an IP address is normalised (port dropped; an IPv4-mapped IPv6
    address printed as IPv4, as ast_sockaddr_stringify does); anything else is kept as a host
    name. Never an error."""

    kind_name = "media_address"
    zero = ""

    def parse(self, current: Any, value: str, call: ApplyCall) -> str:
        address = parse_address(value, "optional")
        return _unmap_v4(address).text if address is not None else value
