"""Variant CLI captures for the runtime tests, built from data by evaluating the printf formats of
Asterisk 22's CLI formatters (ASTERISK.md D.2; res/res_pjsip/location.c cli_contact_print_body,
pjsip_configuration.c cli_endpoint_print_body, config_auth.c, channels/pjsip/cli_commands.c,
main/db.c `database show`).

ASCII data only: C's `%.*s` cuts bytes, these helpers cut characters.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field

CLI_LAST_TABSTOP = 62
SEPARATOR = "=" * 90

CONTACTS_HEADER = "  Contact:  <Aor/ContactUri..............................> <Hash....> <Status> <RTT(ms)..>\n"
ENDPOINTS_HEADER = (
    " Endpoint:  <Endpoint/CID.....................................>  <State.....>  <Channels.>\n"
    "    I/OAuth:  <AuthId/UserName...........................................................>\n"
    "        Aor:  <Aor............................................>  <MaxContact>\n"
    "      Contact:  <Aor/ContactUri..........................> <Hash....> <Status> <RTT(ms)..>\n"
    "  Transport:  <TransportId........>  <Type>  <cos>  <tos>  <BindAddress..................>\n"
    "   Identify:  <Identify/Endpoint.........................................................>\n"
    "        Match:  <criteria.........................>\n"
    "    Channel:  <ChannelId......................................>  <State.....>  <Time.....>\n"
    "        Exten: <DialedExten...........>  CLCID: <ConnectedLineCID.......>\n"
)


def indent_of(level: int) -> int:
    """CLI_INDENT_TO_SPACES."""
    return level * 2 + 1 + 8


def c_str(value: str, width: int, precision: int | None = None) -> str:
    """printf `%-*.*s`: a negative width still left-justifies, a negative precision means none."""
    if precision is not None and precision >= 0:
        value = value[:precision]
    return value.ljust(abs(width))


@dataclass(frozen=True)
class Contact:
    aor: str
    uri: str
    status: str = "NonQual"  # short label
    rtt_ms: float = math.nan  # printed only for Avail
    permanent: bool = False
    fields: dict[str, str] = field(default_factory=dict)  # stored JSON besides uri (registered only)

    @property
    def id(self) -> str:
        return f"{self.aor}{'@@' if self.permanent else ';@'}{hashlib.md5(self.uri.encode()).hexdigest()}"

    def line(self, level: int) -> str:
        indent = indent_of(level)
        flexwidth = CLI_LAST_TABSTOP - indent - 9 - len(self.aor) + 1
        rtt = self.rtt_ms if self.status == "Avail" else math.nan
        hash_start = self.id[len(self.aor) + 2 :]
        return (
            f"{'Contact':>{indent}}:  {self.aor}/{c_str(self.uri, flexwidth, flexwidth)} "
            f"{hash_start:<10.10} {self.status:<7.7} {rtt:11.3f}\n"
        )


@dataclass(frozen=True)
class Channel:
    name: str  # e.g. PJSIP/3001-00000001
    appl: str
    state: str  # ast_state2str: Up, Ring, Ringing, ...
    exten: str = ""
    clcid: tuple[str, str] = ("", "")

    def lines(self, level: int) -> str:
        indent = indent_of(level)
        inner = indent_of(level + 1)
        name_width, exten_width = CLI_LAST_TABSTOP - indent, CLI_LAST_TABSTOP - inner - 25
        return (
            f"{'Channel':>{indent}}: {c_str(f'{self.name}/{self.appl}', name_width, name_width)}"
            f" {self.state:<12.12}  {'00:00:07':<11.11}\n"
            f"{'Exten':>{inner}}: {c_str(self.exten, exten_width, exten_width)}"
            f"  CLCID: \"{self.clcid[0]}\" <{self.clcid[1]}>\n"
        )


@dataclass(frozen=True)
class Endpoint:
    id: str
    state: str = "Unavailable"
    number: str = ""  # caller id number: printed as id/number
    aors: tuple[tuple[str, int], ...] = ()  # (aor id, max_contacts)
    inbound_auths: tuple[tuple[str, str], ...] = ()  # (auth id, username)
    channels: tuple[Channel, ...] = ()
    busy_at: int = 0

    def lines(self, contacts: list[Contact]) -> str:
        flexwidth = CLI_LAST_TABSTOP - indent_of(0) - 2
        name = f"{self.id}/{self.number}" if self.number else self.id
        busy = f"{self.busy_at}" if self.busy_at else "inf"
        text = f" Endpoint:  {c_str(name, flexwidth, flexwidth)}  {self.state:<12.12}  {len(self.channels)} of {busy}\n"
        for auth_id, username in self.inbound_auths:
            text += f"{'InAuth':>{indent_of(1)}}:  {auth_id}/{username}\n"
        for aor_id, max_contacts in self.aors:
            aor_width = CLI_LAST_TABSTOP - indent_of(1) - 12
            text += f"{'Aor':>{indent_of(1)}}:  {c_str(aor_id, aor_width, aor_width)} {max_contacts:12d}\n"
            text += "".join(c.line(2) for c in aor_order(contacts, aor_id))
        text += "".join(channel.lines(1) for channel in self.channels)
        return text + "\n"


def aor_order(contacts: list[Contact], aor_id: str) -> list[Contact]:
    """An aor's contacts as Asterisk iterates them: registered by id, then permanent by id."""
    mine = [c for c in contacts if c.aor == aor_id]
    return sorted(mine, key=lambda c: (c.permanent, c.id))


def show_contacts(contacts: list[Contact]) -> str:
    if not contacts:
        return "No objects found.\n\n"
    body = "".join(c.line(0) for c in sorted(contacts, key=lambda c: f"{c.aor}/{c.uri}"))
    return f"\n{CONTACTS_HEADER}{SEPARATOR}\n\n{body}\nObjects found: {len(contacts)}\n\n"


def show_endpoints(endpoints: list[Endpoint], contacts: list[Contact]) -> str:
    if not endpoints:
        return "No objects found.\n\n"
    body = "".join(e.lines(contacts) for e in sorted(endpoints, key=lambda e: e.id))
    return f"\n{ENDPOINTS_HEADER}{SEPARATOR}\n\n{body}\nObjects found: {len(endpoints)}\n\n"


def show_registrar(contacts: list[Contact]) -> str:
    registered = sorted((c for c in contacts if not c.permanent), key=lambda c: c.id)
    lines = [
        f"{'/registrar/contact/' + c.id:<50}: {json.dumps({**c.fields, 'uri': c.uri}, separators=(',', ':')):<25}\n"
        for c in registered
    ]
    return "".join(lines) + f"{len(registered)} results found.\n"


def captures(endpoints: list[Endpoint], contacts: list[Contact]) -> dict[str, str]:
    """The three commands the bridge runs, as `asterisk -rx` would print them."""
    return {
        "database show registrar": show_registrar(contacts),
        "pjsip show contacts": show_contacts(contacts),
        "pjsip show endpoints": show_endpoints(endpoints, contacts),
    }
