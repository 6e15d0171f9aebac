"""Per-type apply handlers: what Asterisk checks and adjusts once all lines of an object are applied.

Each handler reads and adjusts the object's state (option names here are the ones with behaviour
of their own) and reports through a `Finisher`: errors refuse the object, warnings are only
logged, adjustments record why Asterisk forced a value. Messages are Asterisk's log text.
"""

from __future__ import annotations

import socket
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable

from pjsipconf.schema.core import FinishContext, FinishResult, HostLookupError, Logged
from pjsipconf.schema.cstr import ast_str_hash, ast_strip, c_int, regcomp_error, skip_blanks, strip_quoted
from pjsipconf.schema.kinds.lists import parse_algorithms, validate_sip_uri
from pjsipconf.schema.kinds.net import (
    Address,
    getaddrinfo_failure,
    ha_denies,
    parse_address,
    parse_ha_list,
    split_host_port,
)
from pjsipconf.schema.sip_parser import parses_as_header, parses_as_uri
from pjsipconf.schema.startup import debug_host_logs, mwi_alert_levels

if TYPE_CHECKING:
    from pjsipconf.schema import TypeSchema


class Finisher:
    """Collects the outcome of one apply handler."""

    def __init__(self, schema: "TypeSchema", state: dict[str, Any], object_id: str, context: FinishContext, module: str) -> None:
        self.schema = schema
        self.state = state
        self.id = object_id
        self.context = context
        self.module = module
        self.logs: list[Logged] = []
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.adjusted: dict[str, str] = {}
        self.refused = False
        self.silent_reason = ""

    def get(self, field: str) -> Any:
        return self.schema.value(self.state, field)

    def set(self, field: str, value: Any, why: str) -> None:
        if self.get(field) != value:
            self.state[field] = value
            self.adjusted[field] = why

    def error(self, message: str, level: str = "ERROR", module: str | None = None) -> None:
        logged = Logged(level, module or self.module, message)
        self.logs.append(logged)
        self.errors.append(str(logged))
        self.refused = True

    def warn(self, message: str, level: str = "WARNING", module: str | None = None) -> None:
        logged = Logged(level, module or self.module, message)
        self.logs.append(logged)
        self.warnings.append(str(logged))

    def warn_all(self, logs: Iterable[Logged]) -> None:
        """Lines a helper worked out, logged as they are (their own level and module)."""
        for logged in logs:
            self.warn(logged.message, logged.level, logged.module)

    def refuse_silently(self, why: str) -> None:
        """Asterisk drops the object without a log line; `why` says what pjsipconf knows of it."""
        self.refused = True
        self.silent_reason = why

    def result(self) -> FinishResult:
        if not (self.refused or self.logs or self.adjusted):
            return _UNEVENTFUL  # nearly every object: one shared result
        return FinishResult(self.refused, tuple(self.errors), tuple(self.warnings), dict(self.adjusted),
                            tuple(self.logs), self.silent_reason)


def _blank(text: str) -> bool:
    return not skip_blanks(text)


def finish_endpoint(f: Finisher) -> None:
    """sip_endpoint_apply_handler (res/res_pjsip/pjsip_configuration.c)."""
    min_se, expires = f.get("timers_min_se"), f.get("timers_sess_expires")
    if min_se < 90:
        return f.error(f"Session timer minimum expires time must be 90 or greater on endpoint '{f.id}'")
    if expires < min_se:
        return f.error(f"Session timer expires must be greater than minimum session expires time on endpoint '{f.id}'")
    if _blank(f.get("sdp_session")):
        f.warn(f"SDP session was set to empty on endpoint '{f.id}'. Not permitted as per RFC8866. SDP session set to '-'. ")
        f.set("sdp_session", "-", "an empty sdp_session is replaced by '-' (RFC 8866)")
    owner = f.get("sdp_owner")
    if not owner or any(ord(ch) < 33 for ch in skip_blanks(owner)):
        f.warn(f"SDP origin username on endpoint '{f.id}' is empty or contains spaces ('{owner}'). "
               "Not permitted as per RFC8866. Setting to '-'.")
        f.set("sdp_owner", "-", "an empty sdp_owner or one with spaces is replaced by '-' (RFC 8866)")
    if f.get("dtls_auto_generate_cert"):
        if f.get("dtls_cert_file"):
            return f.error("You cannot request automatically generated certificates (dtls_auto_generate_cert) and also "
                           "specify a certificate file (dtls_cert_file) at the same time", module="rtp_engine.c")
        if f.get("dtls_private_key") or f.get("dtls_ca_file") or f.get("dtls_ca_path"):
            f.warn("dtls_pvt_file, dtls_cafile, and dtls_ca_path are ignored when dtls_auto_generate_cert is enabled",
                   level="NOTICE", module="rtp_engine.c")
    start, end = f.get("rtp_port_start"), f.get("rtp_port_end")
    if start or end:
        if not start or not end:
            return f.error(f"Endpoint '{f.id}': Both rtp_port_start and rtp_port_end must be set together")
        if start < 1024 or end < 1024:
            return f.error(f"Endpoint '{f.id}': rtp_port_start and rtp_port_end must be at least 1024")
        if end <= start:
            return f.error(f"Endpoint '{f.id}': rtp_port_end ({end}) must be greater than rtp_port_start ({start})")
    if f.get("preferred_codec_only"):
        if f.get("incoming_call_offer_pref") != "local":
            return f.error(f"Setting both preferred_codec_only and incoming_call_offer_pref is not supported on endpoint '{f.id}'")
        f.set("incoming_call_offer_pref", "local_first", "preferred_codec_only=yes keeps only the first local codec")
    if f.get("bundle"):
        f.set("rtcp_mux", True, "forced by bundle=yes")
    if f.get("webrtc"):
        _force_webrtc(f)
    _check_geoloc(f)


def _force_webrtc(f: Finisher) -> None:
    why = "forced by webrtc=yes"
    for name in ("bundle", "rtcp_mux", "use_avpf", "ice_support", "media_use_received_transport"):
        f.set(name, True, why)
    f.set("media_encryption", "dtls", why)
    f.set("dtls_setup", "actpass", why)
    f.set("dtls_verify", "fingerprint", why)
    if f.get("dtls_rekey"):
        f.warn("DTLS renegotiation is not supported with WebRTC. Disabling dtls_rekey.")
        f.set("dtls_rekey", 0, why + " (WebRTC forbids DTLS renegotiation)")
    if not f.get("dtls_cert_file"):
        f.set("dtls_auto_generate_cert", True, why + " without dtls_cert_file")


def _check_geoloc(f: Finisher) -> None:
    incoming, outgoing = f.get("geoloc_incoming_call_profile"), f.get("geoloc_outgoing_call_profile")
    if not incoming and not outgoing:
        return
    profiles = f.context.geoloc_profiles
    if profiles is None:
        return f.error(f"A geoloc incoming and/or outgoing call_profile was specified on endpoint '{f.id}' "
                       "but res_geolocation is not loaded.")
    for direction, profile in (("incoming", incoming), ("outgoing", outgoing)):
        if profile and profile not in profiles:
            return f.error(f"geoloc_{direction}_call_profile '{profile}' on endpoint '{f.id}' doesn't exist")


@lru_cache(maxsize=64)
def _clean_default_algorithms(agent: str, value: str) -> tuple[str, ...] | None:
    """The global default algorithms every auth without its own falls back to, parsed once and
    shared by all of them (one tuple, not 100,000); None when parsing them logs a warning."""
    logged: list[Logged] = []
    found, _failed = parse_algorithms("", agent, value, logged)
    return None if logged else found


def finish_auth(f: Finisher) -> None:
    """auth_apply (res/res_pjsip/config_auth.c)."""
    if not f.get("username"):
        return f.error(f"{f.id}: No authentication username")
    if f.get("auth_type") == "google_oauth":
        if not (f.get("refresh_token") and f.get("oauth_clientid") and f.get("oauth_secret")):
            f.error(f"{f.id}: 'google_oauth' authentication specified but refresh_token, oauth_clientid, "
                    "or oauth_secret not specified")
        return
    defaults = {"uas": f.context.auth_algorithms("uas"), "uac": f.context.auth_algorithms("uac")}
    for side in ("uas", "uac"):
        field = f"supported_algorithms_{side}"
        if not f.get(field):
            found = _clean_default_algorithms(side.upper(), defaults[side])
            if found is None:  # the global's list logs warnings, which name this auth
                found, _failed = parse_algorithms(f.id, side.upper(), defaults[side], f.logs)
            f.set(field, found, f"filled from global default_auth_algorithms_{side}")
    digests = dict(f.get("password_digest"))
    password = f.get("password")
    for side in ("uas", "uac"):
        for algorithm in f.get(f"supported_algorithms_{side}"):
            if algorithm not in digests and not password:
                f.error(f"{f.id}: No plain text or digest password found for algorithm {algorithm} in supported_algorithms_{side}")


def finish_transport(f: Finisher) -> None:
    """transport_apply (res/res_pjsip/config_transport.c): the checks that need no socket."""
    if f.get("async_operations") != 1:
        f.warn(f"The async_operations setting on transport '{f.id}' has been set to '{c_int(f.get('async_operations'))}'. "
               "The setting can no longer be set and is always 1.")
        f.set("async_operations", 1, "async_operations can no longer be set and is always 1")
    protocol = f.get("protocol")
    bind = f.get("bind")
    if protocol != "flow":
        if bind is None:
            return f.error(f"Transport '{f.id}' could not be started as binding not specified")
        if not bind.port:
            bind = bind._replace(port=5061 if protocol == "tls" else 5060)
            f.set("bind", bind, "default port of the protocol")
    for which in ("signaling", "media"):
        name = f.get(f"external_{which}_address")
        if name:
            if bind is None:
                return f.error(f"Unknown address family for transport '{f.id}', could not get external {which} address")
            _lookup_external(f, name, bind.family)
    if protocol == "flow":
        f.set("bind", Address(socket.AF_INET, bytes(4), 0), "a flow transport ignores bind and is 0.0.0.0:0")
    if protocol in ("ws", "wss"):
        if f.get("tos") or f.get("cos"):
            f.warn("TOS and COS values ignored for websocket transport")
        elif any(f.get(name) for name in ("ca_list_file", "ca_list_path", "cert_file", "priv_key_file")):
            f.warn("TLS certificate values ignored for websocket transport as they are configured in http.conf")


def _lookup_external(f: Finisher, name: str, family: int) -> None:
    """ast_dnsmgr_lookup of an external_* address (the transport is kept whatever happens): an IP
    address is taken as it is; anything else is resolved in the bind's address family, and a
    failure is only logged. A port is refused by both of its parses (PARSE_PORT_FORBID)."""
    if split_host_port(name)[1] is not None:
        for _ in range(2):  # ast_sockaddr_parse, then ast_sockaddr_resolve
            f.warn(f"Port disallowed in {name}", module="netsock2.c")
        f.warn(f"Unable to lookup '{name}'", module="acl.c")
        return
    resolve = f.context.resolve_host
    if resolve is None or parse_address(name) is not None:
        return
    failure = getaddrinfo_failure(name, resolve, family)
    if failure is None:
        return
    f.warn(failure, level="ERROR", module="netsock2.c")
    f.warn(f"Unable to lookup '{name}'", module="acl.c")


def finish_identify(f: Finisher) -> None:
    """ip_identify_apply (res/res_pjsip_endpoint_identifier_ip.c)."""
    f.module = "res_pjsip_endpoint_identifier_ip.c"
    matches = f.get("match")
    header, request_uri = f.get("match_header"), f.get("match_request_uri")
    if not f.get("endpoint"):
        return f.error(f"Identify '{f.id}' missing required endpoint name.")
    if not header and not request_uri and not matches:
        return f.error(f"Identify '{f.id}' is not configured to match anything.")
    if header:
        name, colon, value = header.partition(":")
        if not colon:
            return f.error(f"Identify '{f.id}' missing ':' separator in match_header '{header}'.")
        if not ast_strip(name):
            return f.error(f"Identify '{f.id}' has no SIP header to match in match_header '{header}'.")
        pattern = ast_strip(value)
        # (The two messages name each other's option: so does Asterisk's log.)
        if len(pattern) > 2 and pattern[0] == "/" and pattern[-1] == "/" and regcomp_error(pattern[1:-1]):
            return f.error(f"Identify '{f.id}' failed to compile match_request_uri regex '{pattern[1:-1]}'.")
    if request_uri and len(request_uri) > 2 and request_uri[0] == "/" and request_uri[-1] == "/":
        if regcomp_error(request_uri[1:-1]):
            return f.error(f"Identify '{f.id}' failed to compile match_header regex '{request_uri[1:-1]}'.")
    _resolve_hosts(f, matches)


HOSTS_BUCKETS = 53  # res_pjsip_endpoint_identifier_ip.c


def _resolve_hosts(f: Finisher, matches: tuple[Any, ...]) -> None:
    """Host names in `match` are resolved once at apply; their addresses join the match list,
    except those a rule already matches (ast_apply_ha). A name without addresses refuses the
    identify; one whose addresses were all matched already is only reported."""
    resolve = f.context.resolve_host
    hosts = [item[1] for item in matches if not isinstance(item, str)]
    if not hosts or resolve is None:
        return
    resolved = [item for item in matches if isinstance(item, str)]
    rules = [rule for text in resolved for rule in parse_ha_list(text, "optional", [])[0]]
    # The names wait in a 53-bucket string hash container, which is walked bucket by bucket and
    # keeps each bucket sorted.
    hosts.sort(key=lambda host: (ast_str_hash(host) % HOSTS_BUCKETS, host.encode("utf-8", "surrogateescape")))
    for host in hosts:
        try:
            addresses = resolve(host)
        except HostLookupError as exc:
            f.warn(str(exc), level="ERROR", module="netsock2.c")
            addresses = ()
        parsed = [parse_ha_list(address, "optional", []) for address in addresses]
        if not parsed or any(failed for _rules, failed in parsed):
            return f.error(f"Identify '{f.id}' failed when adding resolution results of '{host}'")
        added = 0
        for (rule, *_), _failed in parsed:
            if not ha_denies(rules, rule.address):
                rules.append(rule)
                resolved.append(rule.render())
                added += 1
        if not added:
            f.warn(f"Identify '{f.id}' provided address '{host}' did not resolve to any address")
    f.set("match", tuple(resolved), "host names resolved when the identify was applied")


def finish_registration(f: Finisher) -> None:
    """sip_outbound_registration_apply (res/res_pjsip_outbound_registration.c)."""
    server, client = f.get("server_uri"), f.get("client_uri")
    if not server:
        return f.error(f"No server URI specified on outbound registration '{f.id}'")
    if not validate_sip_uri(server):
        return f.error(f"Server URI or hostname length exceeds pjproject limit or is not a sip(s) uri: '{f.id}'")
    if not client:
        return f.error(f"No client URI specified on outbound registration '{f.id}'")
    if not validate_sip_uri(client):
        return f.error(f"Client URI or hostname length exceeds pjproject limit or is not a sip(s) uri: '{f.id}'")
    if f.get("line") and not f.get("endpoint"):
        return f.error(f"Line support has been enabled on outbound registration '{f.id}' without providing an endpoint")
    if f.get("endpoint") and not f.get("line"):
        return f.error(f"An endpoint has been specified on outbound registration '{f.id}' without enabling line support")
    _allocate_client(f, server, client)


def _allocate_client(f: Finisher, server: str, client: str) -> None:
    """sip_outbound_registration_regc_alloc, in its order: both URIs through pjproject's parser,
    the transport selector, the outbound_proxy as a Route header, the Contact it builds (which
    needs a transport), then pjsip_regc_init (a non-zero expiration; the Contact must parse as a
    Contact header). Only the URIs' failures are logged."""
    for which, uri in (("server", server), ("client", client)):
        if not parses_as_uri(uri):
            return f.error(f"Invalid {which} URI '{uri}' specified on outbound registration '{f.id}'")
    transports = f.context.transports()
    selected = _selected_transport(f, transports)
    proxy = f.get("outbound_proxy")
    if proxy and not parses_as_header("Route", proxy):
        return f.refuse_silently(f"pjproject cannot parse outbound_proxy '{proxy}' as a Route header")
    if _uri_transport_name(server) is None:  # sip_dialog_create_contact fails before any selector
        return f.refuse_silently(f"server_uri {server} names a transport pjproject does not know, so Asterisk "
                                 "cannot build the registration's Contact")
    running = f.context.running()
    if selected is None and running is not None and not _contact_transport(f, server, running):
        return
    if f.get("expiration") == 0:
        # pjsip_regc_init's PJ_ASSERT_RETURN(... && expires): pjproject only logs "Assert failed".
        return f.refuse_silently("expiration=0: pjsip_regc_init refuses a zero expiry")
    if not parses_as_header("Contact", _registration_contact(f, server, selected)):
        culprits = [f"{name} '{f.get(name)}'" for name in ("contact_user", "contact_header_params") if f.get(name)]
        verb = "make" if len(culprits) > 1 else "makes"
        f.refuse_silently(f"{' and '.join(culprits)} {verb} a Contact header pjproject cannot parse "
                          "(pjsip_regc_init fails)")


# pjsip_transport_get_type_from_name: the `transport=` URI parameters pjproject 2.17 knows (its
# IPv6 types are named UDP, TCP, ... too: there is no "udp6") and the one Asterisk's websocket
# module registers ("ws", flagged secure; no "wss"). The ones a client can make a Contact for need
# a transport of that protocol.
_URI_TRANSPORTS = frozenset({"udp", "tcp", "tls", "dtls", "sctp", "loop", "loop-dgram", "ws"})
_SECURE_TRANSPORTS = frozenset({"tls", "dtls", "ws"})


def _selected_transport(f: Finisher, transports: dict[str, tuple[str, bool]] | None) -> tuple[str, bool] | None:
    """ast_sip_set_tpselector_from_transport_name: the loaded transport `transport=` names, when it
    gives pjproject a selector (websocket and flow transports do not); a missing one is logged."""
    named = f.get("transport")
    if not named or transports is None:
        return None
    found = transports.get(named)
    if found is None:
        f.warn(f"Unable to retrieve PJSIP transport '{named}'", level="ERROR", module="res_pjsip.c")
        return None
    return found if found[0] not in ("ws", "wss", "flow") else None


def _contact_transport(f: Finisher, server: str, running: tuple[tuple[str, bool], ...]) -> bool:
    """Without a selected transport, sip_dialog_create_contact needs a running transport of the
    type the server URI asks for; without one the registration is refused and nothing is logged."""
    wanted = _uri_transport(server)
    if wanted is None:
        f.refuse_silently(f"no transport can reach server_uri {server}: its transport parameter names none a "
                          "client can use, so Asterisk cannot build the registration's Contact")
        return False
    if wanted not in running:
        protocol = f"{wanted[0]} ({'IPv6' if wanted[1] else 'IPv4'})"
        f.refuse_silently(f"no {protocol} transport is loaded for server_uri {server}, so Asterisk cannot build "
                          "the registration's Contact")
        return False
    return True


def _registration_contact(f: Finisher, server: str, selected: tuple[str, bool] | None) -> str:
    """The Contact sip_dialog_create_contact prints (the local address stands in for the one the
    transport has: only contact_user and contact_header_params can break it)."""
    protocol, ipv6 = selected or _uri_transport(server) or ("udp", False)
    address = "[2001:db8::1]" if ipv6 else "192.0.2.1"
    secure = protocol == "tls" and strip_quoted(server, "<", ">")[:5].lower() == "sips:"
    transport = "" if protocol == "udp" else f";transport={protocol}"
    line = ";line=abcdefgh" if f.get("line") else ""  # ast_generate_random_string: letters
    params = f.get("contact_header_params")
    header_params = f";{params}" if params else ""
    user = f.get("contact_user") or "s"
    return f"<{'sips' if secure else 'sip'}:{user}@{address}:5060{transport}{line}>{header_params}"


def _uri_transport_name(uri: str) -> tuple[str, bool] | None:
    """sip_dialog_create_contact's transport type for `uri`: (name, IPv6: the host has a ':');
    None for a `sip:` URI whose transport= pjproject does not know (it then gives up)."""
    target = strip_quoted(uri, "<", ">")
    scheme, _, rest = target.partition(":")
    hostpart = rest.rsplit("@", 1)[-1]
    host, _, params = hostpart.partition(";")
    param = next((p.split("=", 1)[1] for p in params.split(";") if p.lower().startswith("transport=")), "")
    name = param.lower()
    if scheme.lower() == "sips":
        if name not in _SECURE_TRANSPORTS:
            name = "tls"
    elif not param:
        name = "udp"
    elif name not in _URI_TRANSPORTS:
        return None
    return name, host.startswith("[")


def _uri_transport(uri: str) -> tuple[str, bool] | None:
    """The (protocol, IPv6) of transport pjproject looks for to reach `uri` (None: none can)."""
    found = _uri_transport_name(uri)
    if found is None or found[0] not in ("udp", "tcp", "tls"):
        return None  # Asterisk's websocket, dtls, sctp and loop transports make no client connections
    return found


def finish_domain_alias(f: Finisher) -> None:
    if not f.get("domain"):
        f.error(f"domain_alias '{f.id}' missing required domain being aliased.")


def finish_resource_list(f: Finisher) -> None:
    if not f.get("event"):
        return f.error(f"Resource list '{f.id}' has no event set", level="WARNING")
    if not f.get("list_item"):
        f.error(f"Resource list '{f.id}' has no list items", level="WARNING")


def finish_global(f: Finisher) -> None:
    """global_apply (res/res_pjsip/config_global.c)."""
    if not f.get("debug"):
        return f.error("Global option 'debug' can't be empty.  Set it to a valid value or remove the entry to accept 'no' as the default")
    if not f.get("default_from_user"):
        return f.error("Global option 'default_from_user' can't be empty.  Set it to a valid value or remove the entry to "
                       "accept 'asterisk' as the default")
    for side in ("uas", "uac"):
        field = f"default_auth_algorithms_{side}"
        unknown: list[Logged] = []
        _found, failed = parse_algorithms("global", side.upper(), f.get(field), unknown)
        f.warn_all(unknown)  # each unknown name, before the line that replaces the list
        if failed:
            default = f.schema.default_of(field)
            f.warn(f"global: Invalid values in {field}. Defaulting to {default}")
            f.set(field, default, "invalid algorithms replaced by the default")
    for message in mwi_alert_levels(f.get("mwi_tps_queue_high"), c_int(f.get("mwi_tps_queue_low"))):
        f.warn(message, module="serializer.c")
    f.warn_all(debug_host_logs(f.get("debug"), f.context.resolve_host))


def finish_system(f: Finisher) -> None:
    """system_apply (res/res_pjsip/config_system.c). Asterisk applies the system object twice at
    startup (once on its own, once with the other types), so each warning is logged twice."""
    messages = []
    t1 = f.get("timer_t1")
    if t1 < 100:
        messages.append("Timer T1 setting is too low. Setting to 100")
        f.set("timer_t1", 100, "timer_t1 below the minimum of 100")
        t1 = 100
    # `int min_timerb = 64 * timert1`: the unsigned product wraps at 32 bits, is compared unsigned
    # and logged with %d.
    min_timer_b = 64 * t1 & 0xFFFFFFFF
    if f.get("timer_b") < min_timer_b:
        messages.append(f"Timer B setting is too low. Setting to {c_int(min_timer_b)}")
        f.set("timer_b", min_timer_b, "timer_b must be at least 64 x timer_t1")
    for _ in range(2):
        for message in messages:
            f.warn(message)


def finish_phoneprov(f: Finisher) -> None:
    """The phoneprov provider logs missing MAC/PROFILE entries but the sorcery object still loads."""
    keys = {name for name, _value in f.get("^")}
    if "MAC" not in keys:
        f.warn(f"phoneprov {f.id} must contain a MAC entry.", level="ERROR")
    elif "PROFILE" not in keys:
        f.warn(f"phoneprov {f.id} must contain a PROFILE entry.", level="ERROR")


def finish_outbound_publish(f: Finisher) -> None:
    """sip_outbound_publish_apply (res_pjsip_outbound_publish.c) refuses a publish without a usable
    server URI or event, and one whose publisher cannot be made; then res_pjsip_exten_state starts
    the publishers for presence/dialog events: without an `@body` field it logs an error (twice:
    the publish module applies at load and again) and the object stays."""
    server = f.get("server_uri")
    event = f.get("event")
    if not server:
        return f.error(f"No server URI specified on outbound publish '{f.id}'")
    if not validate_sip_uri(server):
        return f.error(f"Server URI or hostname length exceeds pjproject limit or is not a sip(s) uri: '{server}' "
                       f"on outbound publish '{f.id}'")
    if not event:
        return f.error(f"No event type specified for outbound publish '{f.id}'")
    for which in ("From", "To"):
        uri = f.get(f"{which.lower()}_uri")
        if uri and not validate_sip_uri(uri):
            return f.error(f"{which} URI or hostname length exceeds pjproject limit or is not a sip(s) uri: '{uri}' "
                           f"on outbound publish '{f.id}'")
    if not f.get("multi_user") and not _publisher_starts(f, server):
        return f.error(f"Unable to create publisher for outbound publish '{f.id}'")
    body = dict(f.get("@")).get("@body", "")
    if event in ("presence", "dialog") and not body:
        # res_pjsip_exten_state registers its presence handler, then its dialog one, and each
        # registration retries every publish not started yet: presence fails twice, dialog once.
        for _ in range(2 if event == "presence" else 1):
            f.warn(f"Outbound extension state publisher '{f.id}': Body not set", level="ERROR", module="res_pjsip_exten_state.c")
            f.warn(f"Failed to start outbound publish with event '{event}' for client '{f.id}'", level="ERROR",
                   module="res_pjsip_outbound_publish.c")


def _publisher_starts(f: Finisher, server: str) -> bool:
    """sip_outbound_publisher_init, which applying a publish that is not multi_user runs for its
    one publisher: the outbound_proxy as a Route header (a failure logs nothing), then the server,
    to and from URIs through pjproject's parser (a failure is logged), then pjsip_publishc_init,
    whose assertion wants a non-zero expiration."""
    proxy = f.get("outbound_proxy")
    if proxy and not parses_as_header("Route", proxy):
        return False
    for which, uri in (("server", server), ("to", f.get("to_uri")), ("from", f.get("from_uri"))):
        if uri and not parses_as_uri(uri):
            f.warn(f"Invalid {which} URI '{uri}' specified on outbound publish '{f.id}'", level="ERROR")
            return False
    if f.get("expiration") == 0:
        f.warn(f"Failed to initialize publishing client on outbound publish '{f.id}'", level="ERROR")
        return False
    return True


# type -> (module Asterisk names in its log lines, handler)
FINISHERS: dict[str, tuple[str, Callable[[Finisher], None]]] = {
    "endpoint": ("res_pjsip/pjsip_configuration.c", finish_endpoint),
    "auth": ("res_pjsip/config_auth.c", finish_auth),
    "transport": ("res_pjsip/config_transport.c", finish_transport),
    "identify": ("res_pjsip_endpoint_identifier_ip.c", finish_identify),
    "registration": ("res_pjsip_outbound_registration.c", finish_registration),
    "domain_alias": ("res_pjsip/config_domain_aliases.c", finish_domain_alias),
    "resource_list": ("res_pjsip_pubsub.c", finish_resource_list),
    "global": ("res_pjsip/config_global.c", finish_global),
    "system": ("res_pjsip/config_system.c", finish_system),
    "phoneprov": ("res_pjsip_phoneprov_provider.c", finish_phoneprov),
    "outbound-publish": ("res_pjsip_outbound_publish.c", finish_outbound_publish),
}


_UNEVENTFUL = FinishResult(adjusted=MappingProxyType({}))


def run_finish(schema: "TypeSchema", state: dict[str, Any], object_id: str, context: FinishContext) -> FinishResult:
    module, handler = FINISHERS.get(schema.name, ("", None))  # type: ignore[arg-type]
    if handler is None:
        return _UNEVENTFUL
    finisher = Finisher(schema, state, object_id, context, module)
    handler(finisher)
    return finisher.result()


__all__ = ["run_finish", "FINISHERS"]
