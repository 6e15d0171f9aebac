"""R3xx: references between objects. Asterisk loads objects whose references dangle; calls fail later."""

from __future__ import annotations

import ipaddress
import re
from typing import Iterable, Iterator

from pjsipconf.check.facts import category_type, last_value, last_variable, option_text, rejected_ids, split_list
from pjsipconf.check.types import CheckSettings, Finding, Rule
from pjsipconf.conf.types import Variable
from pjsipconf.model.types import Snapshot

# What fails when a reference dangles, by (referring type, option); the references themselves are
# the model's (Snapshot.references).
CONSEQUENCES: dict[tuple[str, str], str] = {
    ("endpoint", "aors"): "the endpoint cannot register or be dialled through it",
    ("endpoint", "auth"): "every inbound request of the endpoint is rejected",
    ("endpoint", "outbound_auth"): "challenges from the far end cannot be answered",
    ("endpoint", "transport"): "outgoing requests of the endpoint fail",
    ("identify", "endpoint"): "requests it matches find no endpoint",
    ("registration", "outbound_auth"): "the registration cannot answer the registrar's challenge",
    ("registration", "transport"): "the registration cannot be sent",
    ("registration", "endpoint"): "calls to the line cannot be matched to an endpoint",
    ("outbound-publish", "outbound_auth"): "the publication cannot answer the server's challenge",
    ("outbound-publish", "transport"): "the publication cannot be sent",
    ("inbound-publication", "endpoint"): "publications for it are refused",
}

# Who may use an aor or an auth, so that it is not reported as unused.
USERS: dict[str, tuple[tuple[str, str], ...]] = {
    "aor": (("endpoint", "aors"),),
    "auth": (
        ("endpoint", "auth"),
        ("endpoint", "outbound_auth"),
        ("registration", "outbound_auth"),
        ("outbound-publish", "outbound_auth"),
    ),
}
UNUSED_MEANS = {
    "aor": "no endpoint names it in aors=",
    "auth": "no endpoint names it in auth= or outbound_auth=, no registration or outbound-publish in outbound_auth=",
}

# A TLS listener needs its certificate and key (wss takes them from http.conf instead).
TLS_FILE_OPTIONS = ("cert_file", "priv_key_file")


def _missing_references(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    refused_by_type: dict[str, set[str]] = {}
    for ref in snapshot.references.dangling():
        refused = refused_by_type.setdefault(ref.target_type, rejected_ids(snapshot, ref.target_type))
        state = "is not loaded (see its error)" if ref.target_id in refused else "does not exist"
        consequence = CONSEQUENCES.get((ref.type, ref.option), "it is not usable")
        message = (
            f"{ref.type} '{ref.id}' {ref.option}={ref.target_id}: {ref.target_type} '{ref.target_id}' {state}; "
            f"{consequence}"
        )
        var = ref.variable
        yield MISSING_REFERENCE.finding(
            var.source.name if var else "", var.line if var else 0, message, object_type=ref.type, object_id=ref.id
        )


def _referenced_ids(snapshot: Snapshot) -> dict[str, set[str]]:
    """For each type of USERS, the ids its users name: loaded users, and sections Asterisk refuses
    (their own error is the problem). One pass over each user's lines serves every option."""
    wanted: dict[str, dict[str, list[str]]] = {}  # user type -> option -> the types it names
    for target, users in USERS.items():
        for type_, option in users:
            wanted.setdefault(type_, {}).setdefault(option, []).append(target)
    used: dict[str, set[str]] = {target: set() for target in USERS}

    def collect(type_: str, variables: Iterable[Variable]) -> None:
        options = wanted[type_]
        last = {name: var.value for var in variables if (name := var.name.lower()) in options}
        for option, value in last.items():
            for target in options[option]:
                used[target].update(split_list(value))

    for type_ in wanted:
        for obj in snapshot.of_type(type_).values():
            collect(type_, obj.variables)
    for category in snapshot.config.categories if snapshot.config is not None else ():
        if not category.is_template and (type_ := category_type(category) or "") in wanted:
            collect(type_, category.variables)
    return used


def _unused_objects(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    used_by_target = _referenced_ids(snapshot)
    for target, used in used_by_target.items():
        for obj in snapshot.of_type(target).values():
            if obj.id not in used:
                message = f"{target} '{obj.id}' is not used: {UNUSED_MEANS[target]}"
                yield UNUSED_OBJECT.finding(
                    obj.source.name, obj.line, message, object_type=obj.type, object_id=obj.id
                )


def _tls_without_certificate(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    """Missing or unreadable files are refused by Asterisk (L106); an option never set is not."""
    for transport in snapshot.of_type("transport").values():
        protocol = last_variable(transport.variables, "protocol")
        if protocol is None or protocol.value.strip().lower() != "tls":
            continue
        unset = [option for option in TLS_FILE_OPTIONS if not last_value(transport.variables, option)]
        if unset:
            message = (
                f"TLS transport '{transport.id}' has no {' and no '.join(unset)}: Asterisk starts it, but clients"
                f" cannot complete a TLS handshake with it"
            )
            yield TLS_CERTIFICATE.finding(
                protocol.source.name, protocol.line, message, object_type="transport", object_id=transport.id
            )


# Transports whose bind does not decide where requests leave from (websockets ride the HTTP
# server's connections, a flow transport the connection it was created for).
UNBOUND_PROTOCOLS = frozenset({"ws", "wss", "flow"})
_URI_HOST = re.compile(r"^\s*<?sips?:(?:[^@;>]*@)?(\[[^\]]*\]|[^:;>?]*)", re.IGNORECASE)


def _address_family(host: str) -> int | None:
    """4 or 6 for an IP address literal (IPv6 in brackets or not), None for a name."""
    try:
        return ipaddress.ip_address(host.strip("[]")).version
    except ValueError:
        return None


def _bind_family(bind: str) -> int | None:
    """The family of a transport's rendered bind address (`[::1]:5060`, `0.0.0.0:5060`)."""
    if bind.startswith("["):
        return _address_family(bind[: bind.find("]") + 1])
    return _address_family(bind.rpartition(":")[0] if bind.count(":") == 1 else bind)


def _family_mismatches(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    """Checked with Asterisk 22.10.1: an endpoint whose transport is bound to one family cannot
    reach a contact of the other (qualify logs 'Network is unreachable' or 'Address family not
    supported by protocol'); an [::] bind does not reach IPv4 either."""
    for endpoint in snapshot.of_type("endpoint").values():
        transport = snapshot.get("transport", option_text(endpoint, "transport"))
        if transport is None or option_text(transport, "protocol") in UNBOUND_PROTOCOLS:
            continue
        bind = option_text(transport, "bind")
        family = _bind_family(bind)
        if family is None:
            continue
        for aor_id in split_list(option_text(endpoint, "aors")):
            aor = snapshot.get("aor", aor_id)
            if aor is None:
                continue
            for var in aor.variables:
                if var.name.lower() != "contact":
                    continue
                for uri in split_list(var.value):
                    match = _URI_HOST.match(uri)
                    contact_family = _address_family(match.group(1)) if match else None
                    if contact_family is None or contact_family == family:
                        continue
                    message = (
                        f"aor '{aor.id}' contact {uri} is IPv{contact_family}, but endpoint '{endpoint.id}' sends"
                        f" through transport '{transport.id}', bound to IPv{family} {bind}: every request to it fails"
                        " (qualify, calls; Asterisk logs 'Network is unreachable' or 'Address family not supported')"
                    )
                    yield FAMILY_MISMATCH.finding(var.source.name, var.line, message, object_type="aor", object_id=aor.id)


def _mwi_without_aors(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    """res_pjsip_mwi sends unsolicited MWI to the contacts of the endpoint's aors: with none it
    logs a warning at startup (checked with Asterisk 22.10.1) and on every mailbox change."""
    for endpoint in snapshot.of_type("endpoint").values():
        mailboxes = option_text(endpoint, "mailboxes")
        if not mailboxes or option_text(endpoint, "aors").strip():
            continue
        var = last_variable(endpoint.variables, "mailboxes")
        message = (
            f"endpoint '{endpoint.id}' has mailboxes={mailboxes} but no aors: its phones never get"
            f" message-waiting NOTIFYs (Asterisk logs: Unable to send unsolicited MWI to {endpoint.id} because"
            " the endpoint has no configured AORs)"
        )
        yield MWI_WITHOUT_AORS.finding(
            var.source.name if var else endpoint.source.name, var.line if var else endpoint.line, message,
            object_type="endpoint", object_id=endpoint.id,
        )


MISSING_REFERENCE = Rule(
    "R301", "missing-reference", "warning",
    summary="An object names an aor, auth, transport or endpoint that does not exist (or is not loaded).",
    why="Asterisk loads the referring object anyway; registrations and calls fail at run time, with errors"
    " that do not point back at the configuration.",
    example="[6001]\ntype=endpoint\naors=6001\nauth=6001-auth   ; no [6001-auth] of type auth",
    fix="Create the missing object, fix the name (ids are case-sensitive), or fix the error that keeps it"
    " from loading.",
    check=_missing_references,
)
UNUSED_OBJECT = Rule(
    "R302", "unused-object", "info",
    summary="An aor or auth that no endpoint (registration, outbound-publish) uses.",
    why="It is dead configuration, or an endpoint names the wrong id.",
    example="[6002]\ntype=aor\nmax_contacts=1   ; no endpoint has aors=6002",
    fix="Reference it from the endpoint it belongs to, or delete it.",
    check=_unused_objects,
)
TLS_CERTIFICATE = Rule(
    "R303", "tls-without-certificate", "warning",
    summary="A TLS transport without cert_file or priv_key_file. (A file that does not exist or cannot be read"
    " is an error, L106: Asterisk refuses the transport.)",
    why="Asterisk loads the transport, but without a certificate and key no client can complete a TLS"
    " handshake with it; nothing says so until phones fail to register.",
    example="[t-tls]\ntype=transport\nprotocol=tls\nbind=0.0.0.0:5061\ncert_file=/etc/asterisk/keys/asterisk.crt",
    fix="Set cert_file and priv_key_file to the certificate and key Asterisk can read.",
    check=_tls_without_certificate,
)

FAMILY_MISMATCH = Rule(
    "R304", "address-family-mismatch", "warning",
    summary="A permanent contact of one IP family on an endpoint whose transport is bound to the other.",
    why="The endpoint's transport= pins every request to that socket: an IPv6 transport (even [::]) cannot"
    " send to an IPv4 contact, nor an IPv4 one to IPv6. Asterisk loads both and logs an error on every qualify.",
    example="[t6]\ntype=transport\nprotocol=udp\nbind=[::]:5060\n\n[100]\ntype=aor\ncontact=sip:100@192.0.2.7"
    "\n\n[100]\ntype=endpoint\ntransport=t6\naors=100",
    fix="Give the endpoint a transport of the contact's family, or leave transport= unset so that Asterisk picks"
    " one that matches.",
    check=_family_mismatches,
)

MWI_WITHOUT_AORS = Rule(
    "R305", "mwi-without-aors", "warning",
    summary="An endpoint with mailboxes= but no aors=.",
    why="Unsolicited MWI goes to the contacts of the endpoint's aors; without any, Asterisk logs a warning at"
    " startup and whenever the mailbox changes, and the phone's message light never turns on.",
    example="[6001]\ntype=endpoint\nmailboxes=6001@default   ; no aors=",
    fix="Add aors= naming the aor the phone registers to.",
    check=_mwi_without_aors,
)

RULES: tuple[Rule, ...] = (MISSING_REFERENCE, UNUSED_OBJECT, TLS_CERTIFICATE, FAMILY_MISMATCH, MWI_WITHOUT_AORS)
