"""Contacts: the permanent ones an aor's `contact=` creates, the registered ones a realtime table
keeps (sorcery.conf `contact=realtime,ps_contacts`) and the registered ones the runtime bridge
reports, merged into a Snapshot the way a running Asterisk shows them.

Facts from `res/res_pjsip/location.c` (Asterisk 22), confirmed by the golden cases:
- `permanent_uri_handler` allocates a bare contact object with only its `uri` set; the aor's
  apply handler then copies the aor's `outbound_proxy` into it. Every other field keeps the
  contact type's default, rendered here through the schema's `contact` type. The qualify
  settings are NOT copied from the aor: golden v53/v54/v55 print qualify_frequency 0 for
  permanent contacts of aors qualified every 60/300 s.
- A new contact status starts as CREATED ("NonQual") and only a qualify answer changes it, so
  without runtime data every permanent contact is "NonQual" with RTT "nan" (golden v53 aor 3300,
  qualify_frequency 60, prints NonQual).
- An aor's contact list (`pjsip show aor`, AMI `Contacts`) is its registered contacts in id order,
  then its permanent ones in id order; `pjsip show contacts` sorts all of them by "aor/uri".
- An aor's contact list finds registered contacts by the id prefix `<aor>;@` and drops (deletes)
  the expired ones as it reads them: an expiration_time that is not in the future, 0 included
  (location.c `contact_expire`). `pjsip show contacts` lists every stored contact of this
  system's `reg_server`, whether its aor exists or not (`cli_gather_contact`).
- An endpoint's device state comes from its endpoint state: online when one of its aors has an
  available contact, where every contact of an aor with qualify_frequency 0 counts as available
  and, in a qualified aor, only contacts answering the qualify (Avail) do.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Mapping

from pjsipconf.conf.types import Variable
from pjsipconf.model.types import Contact, PjsipObject, Rendered, Snapshot
from pjsipconf.schema import TypeSchema, load_schema
from pjsipconf.sources.runtime.parse import endpoints_by_id
from pjsipconf.sources.runtime.types import ContactRow, EndpointState, RegisteredContact, RuntimeState

# The status and RTT `pjsip show contacts` prints for a contact nobody has qualified yet.
UNQUALIFIED_STATUS = "NonQual"
NO_RTT = "nan"
AVAILABLE_STATUS = "Avail"

# `ast_devstate2str` of an idle endpoint: online (a usable contact) or offline; and of an id
# chan_pjsip does not know.
IDLE_ONLINE, IDLE_OFFLINE, NO_SUCH_DEVICE = "Not in use", "Unavailable", "Invalid"


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def cli_order(contact: Contact) -> str:
    """`pjsip show contacts` order: strcmp on "aor/uri" (code point order = UTF-8 byte order)."""
    return f"{contact.aor}/{contact.uri}"


def as_list(value: Rendered | None) -> list[str]:
    """A rendered multi-line option as a list, without the empty line printed for "none"."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [item for item in items if item]


# ---------------------------------------------------------------- permanent contacts


def permanent_contacts(objects: Mapping[str, Mapping[str, PjsipObject]]) -> tuple[Contact, ...]:
    """Every aor's `contact=` URIs as contacts, in `pjsip show contacts` order."""
    contacts: list[Contact] = []
    for aor_id, aor in objects.get("aor", {}).items():
        if _contact_field(aor.schema) not in aor.state:  # the state holds only what differs from the default
            continue
        rendered = aor.rendered()
        proxy = rendered.get("outbound_proxy", "")
        proxy = proxy if isinstance(proxy, str) else ""
        contact_schema = _contact_schema(aor)
        origins = _uri_origins(aor)
        for uri in as_list(rendered.get("contact")):
            origin = origins.get(uri)
            contacts.append(
                Contact(
                    id=f"{aor_id}@@{md5_hex(uri)}",
                    aor=aor_id,
                    uri=uri,
                    kind="permanent",
                    status=UNQUALIFIED_STATUS,
                    rtt_ms=NO_RTT,
                    details=permanent_details(uri, proxy, contact_schema),
                    source=origin.source if origin else aor.source,
                    line=origin.line if origin else aor.line,
                    listed=aor.listed,
                )
            )
    contacts.sort(key=cli_order)
    return tuple(contacts)


def permanent_details(uri: str, outbound_proxy: str, contact_schema: TypeSchema) -> dict[str, str]:
    """`pjsip show contact <aor>/<uri>` of a permanent contact: a fresh contact object with its
    uri and the aor's outbound_proxy (the objectset comes in the CLI's strcmp order)."""
    state = contact_schema.new_state()
    contact_schema.apply(state, "uri", uri)
    if outbound_proxy:
        contact_schema.apply(state, "outbound_proxy", outbound_proxy)
    return dict(contact_schema.render(contact_schema.diff(state)))


def _contact_schema(aor: PjsipObject) -> TypeSchema:
    """The contact type of the aor's option-table family."""
    return load_schema(aor.schema.version).types["contact"]


def _contact_field(aor_schema: TypeSchema) -> str:
    """The state key of the aor's `contact` option."""
    spec = aor_schema.option("contact")
    return spec.field if spec is not None and spec.field else "contact"


def _uri_origins(aor: PjsipObject) -> dict[str, Variable]:
    """URI -> the `contact=` line that first named it (a line may hold a comma list)."""
    origins: dict[str, Variable] = {}
    for var in aor.where("contact").variables:
        for uri in var.value.split(","):
            origins.setdefault(uri.strip(), var)
    return origins


# ---------------------------------------------------------------- stored registrations


def with_stored_contacts(snapshot: Snapshot, stored: Mapping[str, PjsipObject], system_name: str = "") -> Snapshot:
    """The snapshot with the registered contacts a realtime table holds (contact objects by id):
    listed among the contacts, and first in their aors' contact lists. `system_name` is
    asterisk.conf's (ast_config_AST_SYSTEM_NAME), the `reg_server` of this system's rows."""
    registered = stored_contacts(stored, snapshot.built_at, system_name)
    if not registered:
        return snapshot
    permanent = [contact for contact in snapshot.contacts if contact.kind == "permanent"]
    contacts = _dedupe_by_cli_id(registered + permanent)
    objects = _with_registered_uris(snapshot, registered, permanent)
    return dataclasses.replace(snapshot, contacts=tuple(contacts), objects=objects)


def stored_contacts(stored: Mapping[str, PjsipObject], now: datetime, system_name: str = "") -> list[Contact]:
    """The contacts a running Asterisk holds among stored contact objects: not expired at `now`
    (the registrar's expiration check deletes those), nor deleted at boot (`prune_on_boot` with
    this system's `reg_server`). Each belongs to the aor its id names up to `;@` (contact_alloc),
    existing or not; `pjsip show contacts` lists the ones of this system's `reg_server`."""
    now_ms = now.timestamp() * 1000
    contacts = []
    for contact_id, obj in stored.items():
        details = {name: value if isinstance(value, str) else ",".join(value) for name, value in obj.rendered().items()}
        if not int(details.get("expiration_time") or 0) * 1000 > now_ms:
            continue
        ours = details.get("reg_server", "") == system_name
        if ours and details.get("prune_on_boot") == "yes":
            continue
        contacts.append(
            Contact(
                id=contact_id,
                aor=contact_id.partition(";@")[0],
                uri=details.get("uri", ""),
                kind="dynamic",
                status=UNQUALIFIED_STATUS,
                rtt_ms=NO_RTT,
                details=details,
                source=obj.source,
                line=obj.line,
                listed=obj.listed and ours,
            )
        )
    return contacts


# ---------------------------------------------------------------- merging runtime data


def merge_runtime(snapshot: Snapshot, state: RuntimeState | None) -> Snapshot:
    """A new Snapshot with the registered contacts of `state` merged in (and `runtime=state`).

    Idempotent: the contacts of the configuration (permanent ones, and registrations a realtime
    table keeps: those with a `source`) are the base, registered ones of an earlier merge are
    replaced. Without runtime data (None, or data expired) the result holds the base only, with
    its offline status. Rows of `pjsip show contacts` that match neither a registration of
    Asterisk's registrar nor a contact of the base become dynamic contacts without details;
    their URI may be cut to the CLI's column.
    The device states of `state` are keyed by the snapshot's endpoint ids (`_with_endpoint_ids`).
    """
    if state is not None and state.has_data:
        state = _with_aor_ids(_with_endpoint_ids(state, snapshot), snapshot)
    data = state if state is not None and state.has_data else None
    rows = {row.key: row for row in data.rows} if data else {}
    configured = [
        _with_runtime_status(contact, rows.get((contact.aor, contact.hash)))
        for contact in snapshot.contacts
        if contact.source is not None
    ]
    dynamic = _dynamic_contacts(data, {(c.aor, c.hash) for c in configured}) if data else []
    contacts = _dedupe_by_cli_id(dynamic + configured)
    # An aor lists its contacts by id: a registration of a permanent contact's URI (another id,
    # `aor;@hash` beside `aor@@hash`) is listed as well, though `pjsip show contacts` shows one.
    registered = _dedupe_by_id(contact for contact in dynamic + configured if contact.kind == "dynamic")
    permanent = [contact for contact in configured if contact.kind == "permanent"]
    objects = _with_registered_uris(snapshot, registered, permanent)
    return dataclasses.replace(snapshot, contacts=tuple(contacts), objects=objects, runtime=state)


def _with_endpoint_ids(state: RuntimeState, snapshot: Snapshot) -> RuntimeState:
    """The state with `pjsip show endpoints` rows named by the configured ids: a row prints
    `<id>/<callerid number>`, cut to its column, so the parser alone cannot tell a long id or one
    holding a `/`. A state without rows (made by hand) is keyed already."""
    if not state.endpoint_rows:
        return state
    endpoints = endpoints_by_id(state.endpoint_rows, snapshot.of_type("endpoint"))
    return state if endpoints == state.endpoints else dataclasses.replace(state, endpoints=endpoints)


def _with_aor_ids(state: RuntimeState, snapshot: Snapshot) -> RuntimeState:
    """The state with `pjsip show contacts` rows split at a configured aor id: a row prints
    `<aor>/<uri>`, and the URI may be cut short or start with `<`, so the parser alone cannot
    tell where an aor id holding a `/` ends."""
    aor_ids = [aor_id for aor_id in snapshot.of_type("aor") if "/" in aor_id]
    if not aor_ids:
        return state
    rows = tuple(_split_at_known_aor(row, aor_ids) for row in state.rows)
    return state if rows == state.rows else dataclasses.replace(state, rows=rows)


def _split_at_known_aor(row: ContactRow, aor_ids: list[str]) -> ContactRow:
    printed = f"{row.aor}/{row.uri}"
    known = [aor_id for aor_id in aor_ids if printed.startswith(aor_id + "/")]
    if not known:
        return row
    aor_id = max(known, key=len)
    return dataclasses.replace(row, aor=aor_id, uri=printed[len(aor_id) + 1 :])


def _with_runtime_status(contact: Contact, row: ContactRow | None) -> Contact:
    status, rtt = (row.status, row.rtt_ms) if row else (UNQUALIFIED_STATUS, NO_RTT)
    if contact.status == status and contact.rtt_ms == rtt:
        return contact
    return dataclasses.replace(contact, status=status, rtt_ms=rtt)


def _dynamic_contacts(data: RuntimeState, permanent_keys: set[tuple[str, str]]) -> list[Contact]:
    contacts = [_registered_contact(registered) for registered in data.contacts]
    known = permanent_keys | {(contact.aor, contact.hash) for contact in contacts}
    contacts.extend(_listed_only_contact(row) for row in data.rows if row.key not in known)
    return contacts


def _registered_contact(registered: RegisteredContact) -> Contact:
    return Contact(
        id=registered.id,
        aor=registered.aor,
        uri=registered.uri,
        kind="dynamic",
        status=registered.status,
        rtt_ms=registered.rtt_ms,
        details=registered.details,
    )


def _listed_only_contact(row: ContactRow) -> Contact:
    digest = md5_hex(row.uri) if row.uri_complete else row.hash
    return Contact(
        id=f"{row.aor};@{digest}",
        aor=row.aor,
        uri=row.uri,
        kind="dynamic",
        status=row.status,
        rtt_ms=row.rtt_ms,
        details={},
    )


def _dedupe_by_cli_id(contacts: Iterable[Contact]) -> list[Contact]:
    """One contact per "aor/uri", the registered one first (the CLI container rejects duplicates)."""
    unique = _first_of_each(contacts, cli_order)
    return [unique[key] for key in sorted(unique)]


def _dedupe_by_id(contacts: Iterable[Contact]) -> list[Contact]:
    """One contact per id, the first one (sorcery's containers reject duplicate ids)."""
    return list(_first_of_each(contacts, lambda contact: contact.id).values())


def _first_of_each(contacts: Iterable[Contact], key: Callable[[Contact], str]) -> dict[str, Contact]:
    unique: dict[str, Contact] = {}
    for contact in contacts:
        unique.setdefault(key(contact), contact)
    return unique


def _with_registered_uris(
    snapshot: Snapshot, dynamic: list[Contact], permanent: list[Contact]
) -> Mapping[str, Mapping[str, PjsipObject]]:
    """Objects whose aors list their registered URIs first, as `pjsip show aor` does."""
    aors = snapshot.objects.get("aor", {})
    dynamic_by_aor = _by_aor(dynamic)
    # Aors that listed registered URIs after an earlier merge must lose them again.
    touched = (set(dynamic_by_aor) | {c.aor for c in snapshot.contacts if c.kind == "dynamic"}) & set(aors)
    if not touched:
        return snapshot.objects
    permanent_by_aor = _by_aor(permanent)
    updated = dict(aors)
    for aor_id in touched:
        uris = [c.uri for c in sorted(dynamic_by_aor.get(aor_id, []), key=lambda c: c.id)]
        uris += [c.uri for c in sorted(permanent_by_aor.get(aor_id, []), key=lambda c: c.id)]
        updated[aor_id] = with_contact_uris(aors[aor_id], uris)
    objects = dict(snapshot.objects)
    objects["aor"] = updated
    return objects


def _by_aor(contacts: Iterable[Contact]) -> dict[str, list[Contact]]:
    grouped: dict[str, list[Contact]] = {}
    for contact in contacts:
        grouped.setdefault(contact.aor, []).append(contact)
    return grouped


def with_contact_uris(aor: PjsipObject, uris: list[str]) -> PjsipObject:
    """The aor with its `contact` state replaced by `uris`, printed in the order given.

    The schema's `contact_uris` kind keeps the URIs as a tuple in print order (it sorts permanent
    ones by md5 as it parses lines); registered URIs cannot go through its parser because they
    print before the permanent ones, so the tuple is built here and the schema's `diff` drops it
    again when it is empty (the default).
    """
    full = aor.schema.new_state()
    full.update(aor.state)
    full[_contact_field(aor.schema)] = tuple(uris)
    return dataclasses.replace(aor, state=aor.schema.diff(full))


# ---------------------------------------------------------------- per-aor and per-endpoint views


@dataclass(frozen=True)
class AorContacts:
    """An aor's contacts in Asterisk's order (registered by id, then permanent by id), with the
    counts AMI AorDetail prints (TotalContacts, ContactsRegistered)."""

    contacts: tuple[Contact, ...]

    @property
    def total(self) -> int:
        return len(self.contacts)

    @property
    def registered(self) -> int:
        return sum(1 for contact in self.contacts if contact.kind == "dynamic")


def contacts_by_aor(snapshot: Snapshot) -> dict[str, AorContacts]:
    """Every aor that has contacts -> its AorContacts (compute once per Snapshot, then look up)."""
    grouped = _by_aor(snapshot.contacts)
    return {aor_id: AorContacts(tuple(sorted(items, key=_aor_order))) for aor_id, items in grouped.items()}


def aor_contacts(snapshot: Snapshot, aor_id: str) -> AorContacts:
    """One aor's contacts (empty for an aor without any)."""
    return AorContacts(tuple(sorted((c for c in snapshot.contacts if c.aor == aor_id), key=_aor_order)))


def _aor_order(contact: Contact) -> tuple[int, str]:
    return (0 if contact.kind == "dynamic" else 1, contact.id)


def endpoint_state(snapshot: Snapshot, endpoint_id: str) -> EndpointState:
    """What `pjsip show endpoints` says for the endpoint, or (no runtime data, or Asterisk did not
    list it) the state an idle Asterisk would report for this configuration (`derived=True`)."""
    runtime = snapshot.runtime
    if runtime is not None and runtime.has_data and endpoint_id in runtime.endpoints:
        return runtime.endpoints[endpoint_id]
    aor_ids = _aor_ids_of(snapshot, endpoint_id)
    wanted = set(aor_ids or ())
    grouped = _by_aor(c for c in snapshot.contacts if c.aor in wanted)
    return _derived(snapshot, endpoint_id, aor_ids, grouped)


def endpoint_states(snapshot: Snapshot) -> dict[str, EndpointState]:
    """`endpoint_state` of every endpoint, grouping the contacts once (for whole-Snapshot documents)."""
    runtime = snapshot.runtime
    listed = runtime.endpoints if runtime is not None and runtime.has_data else {}
    grouped = _by_aor(snapshot.contacts)
    states: dict[str, EndpointState] = {}
    for endpoint_id in snapshot.of_type("endpoint"):
        listed_state = listed.get(endpoint_id)
        states[endpoint_id] = listed_state or _derived(snapshot, endpoint_id, _aor_ids_of(snapshot, endpoint_id), grouped)
    return states


def _aor_ids_of(snapshot: Snapshot, endpoint_id: str) -> list[str] | None:
    endpoint = snapshot.get("endpoint", endpoint_id)
    return None if endpoint is None else endpoint_aor_ids(endpoint)


def _derived(
    snapshot: Snapshot, endpoint_id: str, aor_ids: list[str] | None, grouped: Mapping[str, list[Contact]]
) -> EndpointState:
    if aor_ids is None:
        return EndpointState(endpoint_id, NO_SUCH_DEVICE, 0, True)
    online = any(_aor_has_available_contact(snapshot.get("aor", aor_id), grouped.get(aor_id, [])) for aor_id in aor_ids)
    return EndpointState(endpoint_id, IDLE_ONLINE if online else IDLE_OFFLINE, 0, True)


def endpoint_aor_ids(endpoint: PjsipObject) -> list[str]:
    """The endpoint's `aors` list as ast_sip_for_each_aor splits it (commas, blanks stripped)."""
    value = endpoint.value("aors")
    text = value if isinstance(value, str) else ",".join(value or [])
    return [name.strip() for name in text.split(",") if name.strip()]


def _aor_has_available_contact(aor: PjsipObject | None, contacts: list[Contact]) -> bool:
    if aor is None or not contacts:
        return False
    if _qualify_frequency(aor) == 0:
        return True
    return any(contact.status == AVAILABLE_STATUS for contact in contacts)


def _qualify_frequency(aor: PjsipObject) -> int:
    value = aor.value("qualify_frequency")
    try:
        return int(value) if isinstance(value, str) else 0
    except ValueError:
        return 0
