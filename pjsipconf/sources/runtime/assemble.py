"""Turn the texts of the three CLI commands into one RuntimeState (pure: no process, no clock)."""

from __future__ import annotations

from datetime import datetime
from typing import Mapping

from pjsipconf.sources.runtime.parse import (
    ContactListing,
    ProblemList,
    RegistrarListing,
    StoredContact,
    parse_contacts,
    parse_endpoints,
    parse_registrar,
)
from pjsipconf.sources.runtime.types import ContactRow, RegisteredContact, RuntimeState

REGISTRAR_COMMAND = "database show registrar"
CONTACTS_COMMAND = "pjsip show contacts"
ENDPOINTS_COMMAND = "pjsip show endpoints"
# In the order they run: the stored contacts first, then their statuses, then the devices.
COMMANDS = (REGISTRAR_COMMAND, CONTACTS_COMMAND, ENDPOINTS_COMMAND)

# The registrar is read first, so a stored contact the listing leaves out went away in between
# (unregistered, expired, replaced) or was stored by another server (reg_server, which the
# listing filters on). It keeps what the CLI prints for a contact without a status object.
UNLISTED_STATUS, UNLISTED_RTT = "Unknown", "nan"


class UnusableOutput(Exception):
    """A command printed something that is not its listing at all; the text says which and what."""


def assemble_state(outputs: Mapping[str, str], fetched_at: datetime) -> RuntimeState:
    """Parse the outputs (keyed by command) of one fetch; raises UnusableOutput for garbage."""
    registrar = parse_registrar(outputs[REGISTRAR_COMMAND], REGISTRAR_COMMAND)
    listing = parse_contacts(outputs[CONTACTS_COMMAND], CONTACTS_COMMAND)
    endpoints = parse_endpoints(outputs[ENDPOINTS_COMMAND], ENDPOINTS_COMMAND)
    for command, recognised in (
        (REGISTRAR_COMMAND, registrar.recognised),
        (CONTACTS_COMMAND, listing.recognised),
        (ENDPOINTS_COMMAND, endpoints.recognised),
    ):
        if not recognised:
            raise UnusableOutput(f"{command!r} printed something else than its listing: {_first_line(outputs[command])}")
    contacts, join_problems = registered_contacts(registrar, listing)
    problems = registrar.problems + listing.problems + endpoints.problems + join_problems
    return RuntimeState(
        available=True,
        fetched_at=fetched_at,
        contacts=contacts,
        endpoints=endpoints.endpoints,
        problems=problems,
        rows=listing.rows,
        endpoint_rows=endpoints.rows,
        attempted_at=fetched_at,
    )


def registered_contacts(
    registrar: RegistrarListing, listing: ContactListing
) -> tuple[tuple[RegisteredContact, ...], tuple[str, ...]]:
    """Stored contacts with the status and RTT `pjsip show contacts` printed for them."""
    rows = {row.key: row for row in listing.rows}
    contacts: list[RegisteredContact] = []
    unlisted: list[str] = []
    for stored in registrar.contacts:
        row = rows.get((stored.aor, _hash_of(stored)))
        if row is None:
            unlisted.append(stored.id)
        contacts.append(_registered(stored, row))
    contacts.sort(key=lambda contact: f"{contact.aor}/{contact.uri}")  # `pjsip show contacts` order
    problems = ProblemList(CONTACTS_COMMAND)
    for contact_id in unlisted:
        problems.add(f"does not list stored contact {contact_id!r} (removed in between?)")
    return tuple(contacts), problems.result()


def _hash_of(stored: StoredContact) -> str:
    return stored.id.rpartition(";@")[2][:10].lower()


def _registered(stored: StoredContact, row: ContactRow | None) -> RegisteredContact:
    return RegisteredContact(
        aor=stored.aor,
        uri=stored.fields["uri"],
        id=stored.id,
        status=row.status if row else UNLISTED_STATUS,
        rtt_ms=row.rtt_ms if row else UNLISTED_RTT,
        details=stored.fields,
    )


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return repr(line if len(line) <= 80 else line[:77] + "...")
    return "(nothing)"
