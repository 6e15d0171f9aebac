"""What each route says about one object: the contract fields, Asterisk's view and the explain view.

Pure functions of a Snapshot (and the cross references computed once per build); JSON encoding
and tm_update are the documents module's business.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Mapping

from pjsipconf.api.contract import (
    AOR_KEYS,
    AOR_NUMBERS,
    AUTH_KEYS,
    AUTH_NUMBERS,
    CONTACT_KEYS,
    CONTACT_NUMBERS,
    CONTACT_STATUS_LABELS,
    ENDPOINT_KEYS,
    ENDPOINT_NUMBERS,
    ENDPOINT_RENAMES,
)
from pjsipconf.model.contacts import contacts_by_aor
from pjsipconf.model.types import Contact, PjsipObject, Rendered, Snapshot
from pjsipconf.model.views import explain_object
from pjsipconf.secrets import REDACTED, SECRET_OPTIONS

Fields = dict[str, Any]


@dataclass(frozen=True)
class CrossRefs:
    """Who references whom, computed once per build (endpoint_name of aors/auths, aor contacts)."""

    endpoints_of_aor: Mapping[str, tuple[str, ...]]
    endpoints_of_auth: Mapping[str, tuple[str, ...]]
    contacts_of_aor: Mapping[str, tuple[Contact, ...]]


def split_list(value: Rendered | None) -> list[str]:
    """A rendered comma list (`aors`, `auth`) as names; a multi-line value as its lines."""
    if value is None:
        return []
    items = value if isinstance(value, list) else value.split(",")
    return [item.strip() for item in items if item.strip()]


@dataclass(frozen=True, slots=True)
class EndpointRefs:
    """The names an endpoint refers to, with the object they were read from (reused while equal)."""

    endpoint: PjsipObject
    aors: tuple[str, ...]
    auths: tuple[str, ...]  # auth and outbound_auth


def endpoint_refs(endpoint: PjsipObject, previous: EndpointRefs | None = None) -> EndpointRefs:
    """The endpoint's references; the previous build's when its options are unchanged (no render)."""
    if previous is not None and previous.endpoint.state == endpoint.state:
        return previous
    rendered = endpoint.rendered()
    aors = tuple(dict.fromkeys(split_list(rendered.get("aors"))))
    auths = tuple(dict.fromkeys(split_list(rendered.get("auth")) + split_list(rendered.get("outbound_auth"))))
    return EndpointRefs(endpoint, aors, auths)


def cross_refs(snapshot: Snapshot, refs: Mapping[str, EndpointRefs]) -> CrossRefs:
    """Who references whom, from every endpoint's references (`refs`, endpoint id -> EndpointRefs)."""
    aor_users: dict[str, list[str]] = defaultdict(list)
    auth_users: dict[str, list[str]] = defaultdict(list)
    for endpoint_id in sorted(refs, key=lambda i: i.encode("utf-8", "surrogatepass")):
        for aor in refs[endpoint_id].aors:
            aor_users[aor].append(endpoint_id)
        for auth in refs[endpoint_id].auths:
            auth_users[auth].append(endpoint_id)
    return CrossRefs(
        endpoints_of_aor={k: tuple(v) for k, v in aor_users.items()},
        endpoints_of_auth={k: tuple(v) for k, v in auth_users.items()},
        contacts_of_aor={aor: group.contacts for aor, group in contacts_by_aor(snapshot).items()},
    )


def to_number(value: Rendered | None) -> int | float:
    """A rendered number as JSON wants it: `"3.000000"` -> 3 (the contract keeps integer parts)."""
    text = (value if isinstance(value, str) else "0") or "0"
    try:
        return int(text, 10)
    except ValueError:
        try:
            return int(float(text))
        except (ValueError, OverflowError):  # "nan", "inf": qualify_timeout=inf loads; JSON has no infinity
            return 0


class _SecretNames(dict[str, bool]):
    """Whether a printed name is a secret, worked out once per name: every document asks it of
    every option of every object."""

    def __missing__(self, name: str) -> bool:
        secret = self[name] = name.strip().lower() in SECRET_OPTIONS
        return secret


_SECRET_NAMES = _SecretNames()


def is_secret(name: str) -> bool:
    """Option names match in any case (`PASSWORD=` sets an auth's password; a phoneprov prints
    its variables as written)."""
    return _SECRET_NAMES[name]


def redact(options: Mapping[str, Rendered], show_secrets: bool) -> dict[str, Rendered]:
    """Secrets replaced by `********` (an empty secret stays empty) unless the operator opted in."""
    out = dict(options)
    if not show_secrets:
        for name in filter(_SECRET_NAMES.__getitem__, options):
            if out[name] not in ("", []):
                out[name] = REDACTED
    return out


def _string(value: Rendered | None) -> str:
    if value is None:
        return ""
    return ",".join(value) if isinstance(value, list) else value


def _typed(
    keys: tuple[str, ...],
    numbers: frozenset[str],
    rendered: Mapping[str, Rendered],
    derived: Mapping[str, str],
    renames: Mapping[str, str] | None = None,
) -> Fields:
    """The contract keys in contract order (tm_update is added later): `derived` values first, else
    the rendered option (through `renames`); numbers as numbers, everything else as strings."""
    out: Fields = {}
    for key in keys:
        if key in derived:
            value: Rendered | None = derived[key]
        else:
            value = rendered.get(renames.get(key, key) if renames else key)
        if key in numbers:
            out[key] = to_number(value)
        elif value.__class__ is str:
            out[key] = value
        else:
            out[key] = _string(value)
    out.pop("tm_update", None)
    return out


def set_var_string(obj: PjsipObject) -> str:
    """`Z=1,A=2` as Asterisk's set_var_to_str joins the channel variables (AMI `SetVar`): in the
    order they were first set, a repeated name keeping its place. Read from the state, since the
    objectset prints one entry per variable, sorted among the options (and merged with an option
    of the same name)."""
    spec = obj.schema.option("set_var")
    variables = obj.state.get(spec.field, ()) if spec is not None else ()
    return ",".join(f"{name}={value}" for name, value in variables)


def endpoint_fields(
    obj: PjsipObject,
    rendered: Mapping[str, Rendered],
    state: tuple[str, str],
) -> Fields:
    derived = {
        "object_type": "endpoint",
        "object_name": obj.id,
        "disallow": "",  # Asterisk folds disallow into allow
        "set_var": set_var_string(obj),
        "device_state": state[0],
        "active_channels": state[1],
    }
    return _typed(ENDPOINT_KEYS, ENDPOINT_NUMBERS, rendered, derived, ENDPOINT_RENAMES)


def aor_fields(obj: PjsipObject, rendered: Mapping[str, Rendered], refs: CrossRefs) -> Fields:
    contacts = refs.contacts_of_aor.get(obj.id, ())
    permanent = sum(1 for contact in contacts if contact.kind == "permanent")
    derived = {
        "object_type": "aor",
        "object_name": obj.id,
        "endpoint_name": ",".join(refs.endpoints_of_aor.get(obj.id, ())),
        "contacts": ",".join(f"{contact.aor}/{contact.uri}" for contact in contacts),
        "total_contacts": str(len(contacts)),
        "contacts_registered": str(len(contacts) - permanent),
    }
    return _typed(AOR_KEYS, AOR_NUMBERS, rendered, derived)


def auth_fields(obj: PjsipObject, rendered: Mapping[str, Rendered], refs: CrossRefs) -> Fields:
    derived = {
        "object_type": "auth",
        "object_name": obj.id,
        "endpoint_name": ",".join(refs.endpoints_of_auth.get(obj.id, ())),
    }
    return _typed(AUTH_KEYS, AUTH_NUMBERS, rendered, derived)


def round_trip_usec(contact: Contact) -> str:
    """The CLI prints milliseconds (`0.259`, `nan`); AMI's RoundtripUsec is `259` or `N/A`."""
    try:
        millis = float(contact.rtt_ms)
    except ValueError:
        return "N/A"
    if millis != millis or contact.status != "Avail":  # NaN: never measured
        return "N/A"
    return str(round(millis * 1000))


def via_address(details: Mapping[str, str]) -> str:
    address, port = details.get("via_addr", ""), details.get("via_port", "0")
    if not address:
        return ""
    return f"{address}:{port}" if port not in ("", "0") else address


def contact_fields(contact: Contact) -> Fields:
    details = contact.details
    derived: dict[str, str] = {
        "id": contact.id,
        "uri": contact.uri,
        "aor": contact.aor,
        "endpoint_name": details.get("endpoint", ""),
        "status": CONTACT_STATUS_LABELS.get(contact.status, contact.status),
        "round_trip_usec": round_trip_usec(contact),
        "user_agent": details.get("user_agent", ""),
        "reg_expire": details.get("expiration_time", "0") if contact.kind == "dynamic" else "0",
        "via_address": via_address(details),
        "call_id": details.get("call_id", ""),
        "authentication_qualify": "1" if details.get("authenticate_qualify", "no") in ("yes", "true") else "0",
        "outbound_proxy": details.get("outbound_proxy", ""),
        "path": details.get("path", ""),
        "qualify_frequency": details.get("qualify_frequency", "0"),
        "qualify_timout": details.get("qualify_timeout", "0"),
    }
    return _typed(CONTACT_KEYS, CONTACT_NUMBERS, {}, derived)


def generic_fields(obj: PjsipObject, rendered: Mapping[str, Rendered]) -> Fields:
    """Types beyond the contract: Asterisk's option names, values as printed (lists when repeated)."""
    out: Fields = {"object_type": obj.type, "object_name": obj.id}
    for name, value in rendered.items():
        if name not in out:
            out[name] = value
    return out


def explain_fields(obj: PjsipObject, show_secrets: bool) -> Fields:
    """Each option: its value and where it came from (file and line, template, realtime row, default)."""
    options = explain_object(obj)
    if not show_secrets:
        for name, entry in options.items():
            if is_secret(name) and entry["value"] not in ("", []):
                entry["value"] = REDACTED
            for line in entry.get("lines", ()):
                line["text"] = _redacted_line(line["text"])
    return {
        "object_type": obj.type,
        "object_name": obj.id,
        "defined_at": {"source": obj.source.kind, "name": obj.source.name, "line": obj.line},
        "templates": list(obj.templates),
        "options": options,
    }


def _redacted_line(text: str) -> str:
    """A `name=value` line with a secret value hidden, whichever entry shows it: options sharing a
    field show each other's lines (md5_cred's entry shows a `password_digest=SHA-256:...` line)."""
    name, _, value = text.partition("=")
    if value and is_secret(name.removesuffix("+")):  # `password+=...` appends to a secret
        return f"{name}={REDACTED}"
    return text


def contact_explain(contact: Contact) -> Fields:
    if contact.kind == "permanent":
        origin = "permanent contact= line"
    elif contact.source is not None and contact.source.kind == "realtime":
        origin = f"registered (stored in realtime table {contact.source.name})"
    else:
        origin = "registered (runtime bridge)"
    return {
        "id": contact.id,
        "kind": contact.kind,
        "from": origin,
        "source": contact.source.name if contact.source else "",
        "line": contact.line,
        "details": dict(contact.details),
    }
