"""Parsers for what `asterisk -rx` prints: `pjsip show contacts`, `pjsip show endpoints`,
`database show registrar`.

The formats are those of `res/res_pjsip/pjsip_cli.c` and `main/db.c` (ASTERISK.md D.2). The
parsers never rely on column widths (another version may pad differently, long values are cut
to the column): fields are found by their shape. They never raise: a line they cannot use, a
missing footer (output cut short) or a count that does not match becomes a problem string.
Output with none of the expected structure is `recognised=False`: the caller treats it as a
failed command.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Iterable

from pjsipconf.sources.runtime.types import ContactRow, EndpointRow, EndpointState

# Enough to locate a bad line; a page of garbage must not become a page of problems.
MAX_PROBLEMS_PER_COMMAND = 20

NO_OBJECTS = "No objects found."
_SEPARATOR = re.compile(r"^={10,}\s*$")
_OBJECTS_FOUND = re.compile(r"^Objects found: (\d+)\s*$")
_HEADER_FIELD = re.compile(r"<[^>]*>")

# `"%*s:  %s/%-*.*s %-10.10s %-7.7s %11.3f"`: located from the right, where the columns are fixed
# words; the aor/uri part keeps whatever is left (URIs hold no spaces, aor ids may: `[office phone]`).
_CONTACT = re.compile(
    r"^\s*Contact:\s+(?P<name>\S.*?)\s+(?P<hash>[0-9a-fA-F]{1,10})\s+(?P<status>\S+)\s+(?P<rtt>\S+)\s*$"
)
# `"%*s:  %-*.*s  %-12.12s  %d of %.0f"`: the name column, the two literal spaces of the format,
# the state (words with single spaces: "Not in use"), the channel counts. The name is taken
# greedily (an id may hold spaces); the gap before the state is exactly the format's two spaces
# when the name fills its column, i.e. when it may have been cut.
_ENDPOINT = re.compile(
    r"^\s*Endpoint:\s+(?P<name>\S(?:.*\S)?)(?P<gap>\s{2,})(?P<state>\S+(?: \S+)*)\s{2,}"
    r"(?P<active>\d+) of (?P<busy>\S+)\s*$"
)
# Lines `pjsip show endpoints` prints under an endpoint (channels_cli and the formatters).
_ENDPOINT_CHILD = re.compile(
    r"^\s+(?:InAuth|OutAuth|Auth|Aor|Contact|Transport|Identify|Match|Header|RequestURI|Channel|Exten):"
)
# `"%-50s: %-25s"` with the key `/registrar/contact/<aor>;@<md5>` and the contact's JSON (the aor
# id may hold spaces; a key without `;@` is read up to the first blank, to be reported).
_REGISTRAR_ENTRY = re.compile(r"^/registrar/contact/(?P<id>.*?;@\S*?|\S+?) *: (?P<value>.*)$")
_RESULTS_FOUND = re.compile(r"^(\d+) results? found\.\s*$")
# The scheme that starts every contact URI Asterisk accepts (ast_sip_validate_uri_length).
_URI_START = re.compile(r"/(?=sips?:)", re.IGNORECASE)


@dataclass
class ProblemList:
    """Collects problems for one command, capped, with the number left out."""

    command: str
    items: list[str] = field(default_factory=list)
    left_out: int = 0

    def add(self, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS_PER_COMMAND:
            self.items.append(f"{self.command}: {message}")
        else:
            self.left_out += 1

    def unknown_line(self, number: int, line: str) -> None:
        self.add(f"line {number}: not understood: {_clip(line)!r}")

    def result(self) -> tuple[str, ...]:
        if self.left_out:
            return (*self.items, f"{self.command}: {self.left_out} more problems not listed")
        return tuple(self.items)


def _clip(text: str, limit: int = 100) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class ContactListing:
    rows: tuple[ContactRow, ...]
    problems: tuple[str, ...]
    recognised: bool


@dataclass(frozen=True)
class EndpointListing:
    endpoints: dict[str, EndpointState]  # endpoints_by_id(rows) without the configured ids
    rows: tuple[EndpointRow, ...]
    problems: tuple[str, ...]
    recognised: bool


@dataclass(frozen=True)
class StoredContact:
    """One `/registrar/contact/...` entry: the contact's sorcery id and its stored fields."""

    id: str
    aor: str
    fields: dict[str, str]


@dataclass(frozen=True)
class RegistrarListing:
    contacts: tuple[StoredContact, ...]
    problems: tuple[str, ...]
    recognised: bool


@dataclass
class _Body:
    """The part of a `pjsip show/list <kind>s` listing between the header and the footer."""

    lines: list[tuple[int, str]]
    recognised: bool
    count: int | None  # "Objects found: N", None when missing


def _split_listing(text: str, problems: ProblemList) -> _Body:
    """Find the body of a container listing (ASTERISK.md D.2 steps 1-6)."""
    lines = text.splitlines()
    if any(line.strip() == NO_OBJECTS for line in lines[:3]):
        return _Body([], True, 0)
    separator = next((i for i, line in enumerate(lines) if _SEPARATOR.match(line)), None)
    if separator is None:
        return _Body([], False, None)
    for number, line in enumerate(lines[:separator], start=1):
        if line.strip() and not _HEADER_FIELD.search(line):
            problems.unknown_line(number, line)
    body: list[tuple[int, str]] = []
    count: int | None = None
    for number, line in enumerate(lines[separator + 1 :], start=separator + 2):
        found = _OBJECTS_FOUND.match(line)
        if found:
            count = int(found.group(1))
            continue
        if count is not None and line.strip():
            problems.unknown_line(number, line)
            continue
        body.append((number, line))
    if count is None:
        problems.add("output ends before 'Objects found: N' (cut short?)")
    return _Body(body, True, count)


def split_aor_uri(name: str) -> tuple[str, str]:
    """`aor/uri` as printed: the aor is everything before the `/` that starts the sip(s): URI."""
    start = _URI_START.search(name)
    if start is None:
        aor, _, uri = name.partition("/")
        return aor, uri
    return name[: start.start()], name[start.end() :]


def parse_contacts(text: str, command: str = "pjsip show contacts") -> ContactListing:
    """Rows of `pjsip show contacts` (or `pjsip list contacts`)."""
    problems = ProblemList(command)
    body = _split_listing(text, problems)
    rows: list[ContactRow] = []
    for number, line in body.lines:
        if not line.strip():
            continue
        match = _CONTACT.match(line)
        if match is None or "/" not in match.group("name"):
            problems.unknown_line(number, line)
            continue
        aor, uri = split_aor_uri(match.group("name"))
        rows.append(ContactRow(aor, uri, match.group("hash").lower(), match.group("status"), match.group("rtt")))
    if body.count is not None and body.count != len(rows):
        problems.add(f"says {body.count} objects but {len(rows)} contact lines were read")
    return ContactListing(tuple(rows), problems.result(), body.recognised)


def _endpoint_id(name: str) -> str:
    # The CLI prints `id/<callerid number>` when the endpoint has a caller id number.
    return name.split("/", 1)[0]


def parse_endpoints(text: str, command: str = "pjsip show endpoints") -> EndpointListing:
    """Device state and active channel count of each endpoint (`pjsip show|list endpoints`)."""
    problems = ProblemList(command)
    body = _split_listing(text, problems)
    rows: list[EndpointRow] = []
    for number, line in body.lines:
        if not line.strip() or _ENDPOINT_CHILD.match(line):
            continue
        match = _ENDPOINT.match(line)
        if match is None:
            problems.unknown_line(number, line)
            continue
        fills_column = len(match.group("gap")) == 2
        rows.append(EndpointRow(match.group("name"), match.group("state"), int(match.group("active")), fills_column))
    if body.count is not None and body.count != len(rows):
        problems.add(f"says {body.count} objects but {len(rows)} endpoint lines were read")
    return EndpointListing(endpoints_by_id(rows), tuple(rows), problems.result(), body.recognised)


def endpoints_by_id(rows: Iterable[EndpointRow], ids: Iterable[str] | None = None) -> dict[str, EndpointState]:
    """Each row's device state keyed by the endpoint id it was printed for.

    Without `ids` a row's id is its name up to the first `/`. With the configured ids, a row is
    printed for the id it equals, for `<id>/<callerid number>` (maybe cut) or, when the name fills
    its column, for an id the name begins (cut). A name printed once is its own id when that is
    configured (an id Asterisk does not know yet must not take another's row); rows printed alike
    take their candidate ids in strcmp order, the order of the listing. A row that names no free
    configured id keeps its reading without ids.
    """
    rows = list(rows)
    if ids is None:
        return {_endpoint_id(row.name): _endpoint_state(_endpoint_id(row.name), row) for row in rows}
    known = sorted(ids)
    exact = set(known)
    alike: dict[str, list[EndpointRow]] = {}
    for row in rows:
        alike.setdefault(row.name, []).append(row)
    own = {name for name, group in alike.items() if len(group) == 1 and name in exact}
    states = {name: _endpoint_state(name, alike[name][0]) for name in own}
    guessed: dict[str, EndpointState] = {}
    for name, group in alike.items():
        if name in own:
            continue
        free = [endpoint for endpoint in _candidates(group[0], known, exact) if endpoint not in states]
        for row, endpoint in zip(group, free):
            states[endpoint] = _endpoint_state(endpoint, row)
        for row in group[len(free) :]:
            guessed.setdefault(_endpoint_id(name), _endpoint_state(_endpoint_id(name), row))
    return {**guessed, **states}


def _candidates(row: EndpointRow, known: list[str], exact: set[str]) -> list[str]:
    """The configured ids (of the sorted `known`) whose printed name this row can be, sorted."""
    name = row.name
    # `<id>/<number>`: the id is the name up to one of its slashes (shorter ids sort first).
    found = [name[:slash] for slash, char in enumerate(name) if char == "/" and name[:slash] in exact]
    if not row.fills_column:
        return found + [name] if name in exact else found
    # A name that may be cut: the ids it begins sort right from it on (the name itself included).
    # C cuts bytes: a character cut in two decodes as U+FFFD (command._decode), not part of the id.
    name = name.rstrip("\ufffd")
    index = bisect.bisect_left(known, name)
    while index < len(known) and known[index].startswith(name):
        found.append(known[index])
        index += 1
    return found


def _endpoint_state(endpoint: str, row: EndpointRow) -> EndpointState:
    return EndpointState(endpoint, row.device_state, row.active_channels, False)


def _stored_fields(value: str) -> dict[str, str] | None:
    """The contact's JSON object as strings, names in strcmp order (as `pjsip show contact`)."""
    try:
        decoded = json.loads(value)
    except ValueError:
        return None
    if not isinstance(decoded, dict):
        return None
    items = sorted(decoded.items())  # JSON object names are always strings
    if all(type(value) is str for _, value in items):
        return dict(items)
    return {name: _as_text(value) for name, value in items}


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def parse_registrar(text: str, command: str = "database show registrar") -> RegistrarListing:
    """Registered contacts as stored in AstDB: one JSON object per `/registrar/contact/<id>` key."""
    problems = ProblemList(command)
    contacts: list[StoredContact] = []
    total: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = _RESULTS_FOUND.match(line)
        if found:
            total = int(found.group(1))
            continue
        entry = _REGISTRAR_ENTRY.match(line)
        if entry is None:
            problems.unknown_line(number, line)
            continue
        contact_id = entry.group("id")
        aor, marker, _ = contact_id.rpartition(";@")
        fields = _stored_fields(entry.group("value").rstrip())
        if not marker or fields is None:
            what = "an id without ';@'" if not marker else "a value that is not a JSON object (cut short?)"
            problems.add(f"line {number}: contact {contact_id!r} has {what}")
            continue
        if not fields.get("uri"):
            problems.add(f"line {number}: contact {contact_id!r} has no uri")
            continue
        contacts.append(StoredContact(contact_id, aor, fields))
    if total is None:
        problems.add("output ends before 'N results found.' (cut short?)")
    elif total != len(contacts) and not problems.items:
        # Other keys of the family count too; only a shortfall without another explanation is odd.
        problems.add(f"says {total} results but {len(contacts)} contacts were read")
    recognised = total is not None or bool(contacts)
    return RegistrarListing(tuple(contacts), problems.result(), recognised)
