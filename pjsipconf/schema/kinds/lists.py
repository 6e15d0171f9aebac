"""List-valued kinds: auth vectors, identify_by, set_var, call/pickup groups, named groups,
resource list items, permanent contacts, digest algorithms and password digests, TLS ciphers,
and the free-form fields (`@extended`, phoneprov keys, inbound-publication `event_*`)."""

from __future__ import annotations

import hashlib
import struct
from bisect import bisect_left
from typing import Any

from pjsipconf.schema.core import ApplyCall, Kind, Lines, Logged, invalid, register
from pjsipconf.schema.cstr import ast_str_hash, ast_strip, ast_strsep, ast_strsep_once, c_buffer, scanf_int_store, sscanf_int, sscanf_is_eof, strip_quoted, strtod_full, strtol_prefix


MAX_OBJECT_FIELD = 128  # res_pjsip's buffer for a field some to_str handlers print into


def _comma_items(value: str) -> list[str]:
    """`strsep(',')` + `ast_strip` + skip empty: the common list loop of the handlers."""
    return [item for item in (ast_strip(piece) for piece in value.split(",")) if item]


@register
class AuthListKind(Kind):
    """auth / outbound_auth: each line replaces the list; printed comma-joined without spaces,
    cut to the 128-byte buffer `ast_sip_auths_to_str` joins into.

    `one_line_each`: registration's list handler prints one `outbound_auth` line per auth."""

    kind_name = "auth_list"
    zero: tuple[str, ...] = ()

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[str, ...]:
        return tuple(_comma_items(value))

    def render(self, name: str, value: Any) -> Lines:
        if value and self.params.get("one_line_each"):
            return [(name, item) for item in value]
        return [(name, c_buffer(",".join(value), MAX_OBJECT_FIELD))]


@register
class IdentifyByKind(Kind):
    """identify_by: each line replaces the list; duplicates dropped; an unknown method fails."""

    kind_name = "identify_by"
    zero: tuple[str, ...] = ()
    METHODS = ("username", "auth_username", "ip", "header", "request_uri")

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[str, ...]:
        methods: list[str] = []
        for item in _comma_items(value):
            method = item.lower()
            if method not in self.METHODS:
                logged = (Logged("ERROR", "res_pjsip/pjsip_configuration.c",
                                 f"Unrecognized identification method {item} specified for endpoint {call.ctx.object_id}"),)
                raise invalid(call.name, value, f"a comma list of {', '.join(self.METHODS)}", self.METHODS, logged)
            if method not in methods:
                methods.append(method)
        return tuple(methods)

    def render(self, name: str, value: Any) -> Lines:
        return [(name, ",".join(value))]


@register
class SetVarKind(Kind):
    """set_var: NAME=value lines accumulate; a repeated NAME replaces its value in place.

    Printed one line per variable, named by the variable (the list handler); `set_var` itself
    (empty) only when there are none."""

    kind_name = "set_var"
    zero: tuple[tuple[str, str], ...] = ()

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[tuple[str, str], ...]:
        if value == "":
            return current
        if "=" not in value:
            raise invalid(call.name, value, "NAME=value")
        var_name, var_value = value.split("=", 1)
        variables = list(current)
        for index, (existing, _old) in enumerate(variables):
            if existing == var_name:
                variables[index] = (var_name, var_value)
                break
        else:
            variables.append((var_name, var_value))
        return tuple(variables)

    def render(self, name: str, value: Any) -> Lines:
        return list(value) if value else [(name, "")]


@register
class GroupKind(Kind):
    """call_group / pickup_group (`ast_get_group`): numbers and ranges 0..63, comma separated.

    Out-of-range numbers are ignored with a warning, a reversed range is silently empty, a piece
    that is not a number is ignored with an error log. State: the 64-bit mask. Printed by
    `ast_print_group` into a 128-byte buffer, so `0-63` is cut after 127 characters."""

    kind_name = "group"
    zero = 0

    def parse(self, current: Any, value: str, call: ApplyCall) -> int:
        group = 0
        if value == "":
            return 0
        start = finish = 0
        for piece in value.split(","):
            # sscanf(piece, "%d-%d") first, then sscanf(piece, "%d").
            first, rest, _ = strtol_prefix(piece[:30], 10)
            second = None
            if first is not None and rest.startswith("-"):
                second, _rest, _ = strtol_prefix(rest[1:31], 10)
            if first is not None and second is not None:
                start, finish = scanf_int_store(first), scanf_int_store(second)
            elif first is not None:
                start = finish = scanf_int_store(first)
            elif sscanf_is_eof(piece):
                finish = start  # sscanf returned EOF (truthy in C): the previous start is reused
            else:
                call.warn("channel.c", f"Syntax error parsing group configuration '{value}' at '{piece}'. Ignoring.", "ERROR")
                continue
            for number in range(max(start, 0), min(finish, 63) + 1):
                group |= 1 << number
            _warn_out_of_range_groups(call, start, finish)
        return group

    def render(self, name: str, value: Any) -> Lines:
        return [(name, c_buffer(", ".join(str(bit) for bit in range(64) if value >> bit & 1), MAX_OBJECT_FIELD))]


# ast_get_group logs one warning per number of a range outside 0..63: a range over millions of
# numbers floods Asterisk's log for minutes; beyond this many, one line says so.
_GROUP_WARNINGS_SPELLED_OUT = 64


def _warn_out_of_range_groups(call: ApplyCall, start: int, finish: int) -> None:
    """The warnings for the numbers of start..finish outside 0..63, in the order Asterisk logs them."""
    below = range(start, min(finish, -1) + 1)
    above = range(max(start, 64), finish + 1)
    if len(below) + len(above) > _GROUP_WARNINGS_SPELLED_OUT:
        call.warn("channel.c", f"Ignoring invalid group {start}..{finish} outside 0..63 (maximum group is 63): "
                               f"Asterisk logs one such line for each of {len(below) + len(above)} numbers")
        return
    for number in (*below, *above):
        call.warn("channel.c", f"Ignoring invalid group {number} (maximum group is 63)")


@register
class NamedGroupsKind(Kind):
    """named_call_group / named_pickup_group: names in a 19-bucket ao2 hash container, printed
    in its iteration order (bucket by ast_str_hash, then insertion). A repeated name moves to the end
    of its bucket; an empty value clears, but one with no name at all (`,`) fails: ast_get_namedgroups
    returns NULL for it and the handler takes that as an error."""

    kind_name = "named_groups"
    zero: tuple[str, ...] = ()
    BUCKETS = 19

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[str, ...]:
        names: list[str] = []
        for item in _comma_items(value):
            if item in names:
                names.remove(item)
            names.append(item)
        if value and not names:
            raise invalid(call.name, value, "group names separated by commas")
        # Store in print order so rendering stays a join.
        return tuple(sorted(names, key=lambda n: ast_str_hash(n) % self.BUCKETS))

    def render(self, name: str, value: Any) -> Lines:
        return [(name, ", ".join(value))]


@register
class WordListKind(Kind):
    """A comma list of words from a fixed set (follow_redirect_methods): each line replaces it.

    Pieces are trimmed but not skipped when empty (ast_strsep), so `message,` fails as in C,
    and a blank piece is named untrimmed."""

    kind_name = "word_list"
    zero: tuple[str, ...] = ()

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[str, ...]:
        if value == "":
            return ()
        words: tuple[str, ...] = tuple(self.params.get("values", ()))
        chosen: set[str] = set()
        for piece in ast_strsep(value, ",", trim=True):
            word = piece.lower()
            if word not in words:
                logged = (Logged("ERROR", "res_pjsip/pjsip_configuration.c",
                                 f"Unrecognized SIP method '{piece}' for {call.name} on endpoint {call.ctx.object_id}"),)
                raise invalid(call.name, value, f"a comma list of {', '.join(words)}", words, logged)
            chosen.add(word)
        return tuple(word for word in words if word in chosen)

    def render(self, name: str, value: Any) -> Lines:
        return [(name, ",".join(value))]


@register
class TlsCiphersKind(Kind):
    """transport cipher (transport_tls_cipher_handler): comma-separated cipher names, exactly as
    pjproject's table spells them, or numbers (`0x` hex, else atoi); lines accumulate and a cipher
    already listed is skipped. State: the cipher ids in order; printed by their table names with
    ", " between. Every unsupported cipher of the line is logged, then the line fails; the 65th
    cipher fails at once.

    params: `ciphers` {name: id} (pjproject's table: OpenSSL's list, then its aliases)."""

    kind_name = "tls_ciphers"
    zero: tuple[int, ...] = ()
    MODULE = "res_pjsip/config_transport.c"
    MAX_CIPHERS = 64  # SIP_TLS_MAX_CIPHERS

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.ids: dict[str, int] = dict(params.get("ciphers", {}))
        self.names: dict[int, str] = {}
        for name, number in self.ids.items():
            self.names.setdefault(number, name)

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[int, ...]:
        ciphers = list(current)
        logged: list[Logged] = []
        for name in _comma_items(value):
            if len(ciphers) >= self.MAX_CIPHERS:
                logged.append(Logged("ERROR", self.MODULE, f"Too many ciphers specified (maximum allowed is {self.MAX_CIPHERS})"))
                break
            number = self._id_of(name)
            if number not in self.names:
                logged.append(Logged("ERROR", self.MODULE, f"Cipher '{name}' is unsupported"))
            elif number not in ciphers:
                ciphers.append(number)
        if logged:
            raise invalid(call.name, value, "OpenSSL cipher names (e.g. ECDHE-RSA-AES128-GCM-SHA256), comma separated",
                          (), tuple(logged))
        return tuple(ciphers)

    def _id_of(self, name: str) -> int:
        """`cipher_name_to_id`, else pjsua's fallback: hex after `0x` (pj_strtoul2), else atoi;
        compared as the 32-bit pj_ssl_cipher."""
        if name in self.ids:
            return self.ids[name]
        if name[:2].lower() == "0x":
            digits = name[2:]
            end = next((i for i, ch in enumerate(digits) if ch not in "0123456789abcdefABCDEF"), len(digits))
            return int(digits[:end] or "0", 16) & 0xFFFFFFFF
        return (sscanf_int(name) or 0) & 0xFFFFFFFF

    def render(self, name: str, value: Any) -> Lines:
        return [(name, ", ".join(self.names[number] for number in value))]

    def describe(self) -> str:
        return "OpenSSL cipher names, comma separated"


@register
class ListItemKind(Kind):
    """resource_list list_item: items accumulate; a duplicate is ignored with a warning."""

    kind_name = "list_item"
    zero: tuple[str, ...] = ()

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[str, ...]:
        items = list(current)
        for item in _comma_items(value):
            if item in items:
                call.warn("res_pjsip_pubsub.c", f"Ignoring duplicated list item '{item}'")
                continue
            items.append(item)
        return tuple(items)

    def render(self, name: str, value: Any) -> Lines:
        return [(name, ",".join(value))]


# Asterisk's bundled pjproject (third-party/pjproject/patches/config_site.h) raises both limits:
# PJ_MAX_HOSTNAME 256 (pjproject's own default is 128) and PJSIP_MAX_URL_SIZE 512 (default 256).
PJ_MAX_HOSTNAME = 256
PJSIP_MAX_URL_SIZE = 512


def validate_sip_uri(uri: str) -> bool:
    """`ast_sip_validate_uri_length`: a sip:/sips: URI whose host fits pjproject's limits
    (lengths in bytes, as C's strlen counts them)."""
    if len(uri.encode("utf-8", "surrogateescape")) > PJSIP_MAX_URL_SIZE - 1:
        return False
    contact = strip_quoted(uri, "<", ">")
    lowered = contact.lower()
    if lowered.startswith("sip:"):
        host = contact[4:]
    elif lowered.startswith("sips:"):
        host = contact[5:]
    else:
        return False
    if "@" in contact:
        host = contact[contact.index("@") + 1 :]
    has_port = False
    if host.startswith("["):
        close = host.find("]")
        if close < 0:
            return False
        has_port = host[close + 1 : close + 2] == ":"
        host = host[: close + 1]
    else:
        for stop in ";?":
            host = host.split(stop, 1)[0]
        if ":" in host:
            has_port = True
            host = host.split(":", 1)[0]
    max_length = PJ_MAX_HOSTNAME - 1
    if not has_port:
        max_length -= len("_sips.tcp.")
    return len(host.encode("utf-8", "surrogateescape")) <= max_length


def _md5(uri: str) -> str:
    return hashlib.md5(uri.encode()).hexdigest()


@register
class ContactUriKind(Kind):
    """aor contact: permanent contact URIs accumulate (comma lists too); each must be a sip(s) URI.

    Contacts live in a container sorted by id `<aor>@@<md5(uri)>` that rejects duplicates, so they
    print in md5 order, one `contact` line each."""

    kind_name = "contact_uris"
    zero: tuple[str, ...] = ()

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[str, ...]:
        # `current` is already in md5 order: each new URI is inserted by binary search, so a line
        # hashes only the URIs it compares with (rehashing all of them made N lines cost N^2).
        uris = list(current)
        for uri in _comma_items(value):
            if not validate_sip_uri(uri):
                logged = (Logged("ERROR", "res_pjsip/location.c",
                                 f"Contact uri or hostname length exceeds pjproject limit or is not a sip(s) uri: {uri}"),)
                raise invalid(call.name, value, "sip: or sips: URIs separated by commas", (), logged)
            index = bisect_left(uris, _md5(uri), key=_md5)
            if index == len(uris) or uris[index] != uri:
                uris.insert(index, uri)
        return tuple(uris)

    def render(self, name: str, value: Any) -> Lines:
        return [(name, uri) for uri in value] if value else [(name, "")]


# pjproject 2.17's digest algorithms (pjsip_auth_algorithms, in its order): IANA name -> length of
# the digest in hex. All are supported: the AKA ones need no OpenSSL digest.
DIGEST_ALGORITHMS = {"MD5": 32, "SHA-256": 64, "SHA-512-256": 64, "AKAv1-MD5": 32, "AKAv2-MD5": 32}
_ALGORITHMS_BY_UPPER = {name.upper(): name for name in DIGEST_ALGORITHMS}


def algorithm_by_name(name: str) -> str | None:
    """`pjsip_auth_get_algorithm_by_iana_name`: any case; an empty name is MD5."""
    return _ALGORITHMS_BY_UPPER.get(name.upper()) if name else "MD5"


def _unknown_algorithm(object_id: str, what: str, name: str) -> Logged:
    return Logged("WARNING", "res_pjsip/config_auth.c", f"{object_id}: Unknown {what} algorithm '{name}' specified")


def parse_algorithms(object_id: str, agent: str, value: str, warn: list[Logged]) -> tuple[tuple[str, ...], bool]:
    """`ast_sip_auth_digest_algorithms_vector_init`: (algorithms found, whether any was unknown)."""
    found: list[str] = []
    failed = False
    for item in _comma_items(value):
        algorithm = algorithm_by_name(item)
        if algorithm is None:
            warn.append(_unknown_algorithm(object_id, f"{agent} digest", item))
            failed = True
            continue
        found.append(algorithm)
    return tuple(found), failed


@register
class AlgorithmsKind(Kind):
    """supported_algorithms_uac/uas: lines append; an unknown algorithm fails the line (after the
    known ones were appended). Printed with IANA names, comma-joined."""

    kind_name = "algorithms"
    zero: tuple[str, ...] = ()

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[str, ...]:
        logged: list[Logged] = []
        found, failed = parse_algorithms(call.ctx.object_id, str(self.params.get("agent", "UAS")), value, logged)
        if failed:
            raise invalid(call.name, value, f"a comma list of {', '.join(DIGEST_ALGORITHMS)}", tuple(DIGEST_ALGORITHMS), tuple(logged))
        return tuple(current) + found

    def render(self, name: str, value: Any) -> Lines:
        return [(name, ",".join(value))]


@register
class PasswordDigestKind(Kind):
    """password_digest / md5_cred: `[algorithm:]digest` items, one slot per algorithm (a later one
    replaces it); a digest of the wrong length fails. State: ((algorithm, digest), ...) in
    pjproject's algorithm order. `md5_only` prints just the MD5 slot (md5_cred)."""

    kind_name = "password_digest"
    zero: tuple[tuple[str, str], ...] = ()

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[tuple[str, str], ...]:
        slots = dict(current)
        for item in ast_strsep(value, ",", trim=True):
            if not item:
                continue
            if ":" in item:
                # Only the name is trimmed: `MD5: <hash>` keeps the blank and fails on its length.
                iana, rest = ast_strsep_once(item, ":", trim=True)
                iana, digest = iana or "", rest or ""
            else:
                iana, digest = "MD5", item  # md5_cred carries no algorithm name
            algorithm = algorithm_by_name(iana)
            module = "res_pjsip/config_auth.c"
            if algorithm is None:
                logged = _unknown_algorithm(call.ctx.object_id, "password_digest", iana)
                raise invalid(call.name, value, "<algorithm>:<hex digest> with " + ", ".join(DIGEST_ALGORITHMS),
                              tuple(DIGEST_ALGORITHMS), (logged,))
            expected = DIGEST_ALGORITHMS[algorithm]
            if len(digest.encode("utf-8", "surrogateescape")) != expected:
                length = len(digest.encode("utf-8", "surrogateescape"))
                logged = Logged("WARNING", module, f"{call.ctx.object_id}: password_digest algorithm '{iana}' length ({length}) must be {expected}")
                raise invalid(call.name, value, f"a {algorithm} digest of {expected} hex characters", (), (logged,))
            slots[algorithm] = digest
        return tuple((name, slots[name]) for name in DIGEST_ALGORITHMS if name in slots)

    def render(self, name: str, value: Any) -> Lines:
        if self.params.get("md5_only"):
            return [(name, dict(value).get("MD5", ""))]
        # password_digest_to_str appends to a 256-byte ast_str_alloca, which cannot grow.
        return [(name, c_buffer(",".join(f"{algorithm}:{digest}" for algorithm, digest in value), 256))]


@register
class FieldsKind(Kind):
    """Free-form keys stored with their value and printed under their own name, one line each.

    Used by `@extended` fields (a repeated key replaces), phoneprov (any key, stored as given; an
    empty value is not stored: `skip_empty`) and inbound-publication `event_*` (not printed; an
    empty event name or value fails: `require_value`, the name after `prefix` of any case)."""

    kind_name = "fields"
    zero: tuple[tuple[str, str], ...] = ()

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[tuple[str, str], ...]:
        if self.params.get("require_value") and (value == "" or len(call.name) == len(self.params.get("prefix", ""))):
            raise invalid(call.name, value, "a non-empty value")
        if value == "" and self.params.get("skip_empty"):
            return current
        fields = [pair for pair in current if not (self.params.get("replace") and pair[0] == call.name)]
        fields.append((call.name, value))
        return tuple(fields)

    def render(self, name: str, value: Any) -> Lines:
        return list(value)


@register
class SecurityMechanismsKind(Kind):
    """security_mechanisms (res_pjsip/security_agreements.c): each line replaces the list; items
    are `type[;param...]` with type none|msrp-tls|sdes-srtp|dtls-srtp (any case). A bad item is
    skipped silently, never an error. Printed `type;param, type` (q values left out); nothing at
    all while empty."""

    kind_name = "security_mechanisms"
    zero: tuple[str, ...] = ()
    TYPES = ("none", "msrp-tls", "sdes-srtp", "dtls-srtp")

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[str, ...]:
        mechanisms = []
        for item in (ast_strip(piece) for piece in value.split(",")):
            kind, *params = (ast_strip(part) for part in item.split(";"))
            if kind.lower() not in self.TYPES:
                continue
            kept = [param for param in params if not param.startswith("q=")]
            if any(not _valid_qvalue(param[2:]) for param in params if param.startswith("q=")):
                continue
            mechanisms.append(";".join([kind.lower(), *kept]))
        return tuple(mechanisms)

    def render(self, name: str, value: Any) -> Lines:
        return [(name, ", ".join(value))] if value else []


def _valid_qvalue(text: str) -> bool:
    """`ast_sip_parse_qvalue`: `strtof` must read the whole text and give a finite number from 0
    to 1. Not RFC 3261's grammar: `.5`, `0.5555` and `5e-1` pass; compared as a C float, so
    `1.00000001` (rounded to 1) passes too."""
    number = strtod_full(text)
    if number is None or not 0.0 <= number <= 2.0:  # also drops nan/inf before the float cast
        return False
    return struct.unpack("f", struct.pack("f", number))[0] <= 1.0
