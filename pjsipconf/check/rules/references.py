"""R3xx: references between objects. Asterisk loads objects whose references dangle; calls fail later."""

from __future__ import annotations

import os
from typing import Iterator

from pjsipconf.check.facts import last_value, last_variable, rejected_ids, split_list
from pjsipconf.check.types import CheckSettings, Finding, Rule
from pjsipconf.model.types import PjsipObject, Snapshot

# (referring type, option, referenced type, what fails when it dangles)
REFERENCES: tuple[tuple[str, str, str, str], ...] = (
    ("endpoint", "aors", "aor", "the endpoint cannot register or be dialled through it"),
    ("endpoint", "auth", "auth", "every inbound request of the endpoint is rejected"),
    ("endpoint", "outbound_auth", "auth", "challenges from the far end cannot be answered"),
    ("endpoint", "transport", "transport", "outgoing requests of the endpoint fail"),
    ("identify", "endpoint", "endpoint", "requests it matches find no endpoint"),
    ("registration", "outbound_auth", "auth", "the registration cannot answer the registrar's challenge"),
    ("registration", "transport", "transport", "the registration cannot be sent"),
    ("registration", "endpoint", "endpoint", "calls to the line cannot be matched to an endpoint"),
)

# Who may use an aor or an auth (besides endpoints), so that it is not reported as unused.
USERS: dict[str, tuple[tuple[str, str], ...]] = {
    "aor": (("endpoint", "aors"),),
    "auth": (
        ("endpoint", "auth"),
        ("endpoint", "outbound_auth"),
        ("registration", "outbound_auth"),
        ("outbound-publish", "outbound_auth"),
    ),
}

TLS_FILE_OPTIONS = ("cert_file", "priv_key_file", "ca_list_file")
TLS_PROTOCOLS = ("tls", "wss")


def _missing_references(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for type_, option, target, consequence in REFERENCES:
        targets = snapshot.of_type(target)
        refused = rejected_ids(snapshot, target)
        for obj in snapshot.of_type(type_).values():
            var = last_variable(obj.variables, option)
            if var is None:
                continue
            for name in split_list(var.value):
                if name in targets:
                    continue
                state = "is not loaded (see its error)" if name in refused else "does not exist"
                message = f"{type_} '{obj.id}' {option}={name}: {target} '{name}' {state}; {consequence}"
                yield MISSING_REFERENCE.finding(
                    var.source.name, var.line, message, object_type=obj.type, object_id=obj.id
                )


def _referenced_ids(snapshot: Snapshot, target: str) -> set[str]:
    used: set[str] = set()
    for type_, option in USERS[target]:
        for obj in snapshot.of_type(type_).values():
            used.update(split_list(last_value(obj.variables, option)))
    return used


def _unused_objects(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for target in USERS:
        used = _referenced_ids(snapshot, target)
        for obj in snapshot.of_type(target).values():
            if obj.id not in used:
                users = " or ".join(sorted({f"{t} {o}" for t, o in USERS[target]}))
                message = f"{target} '{obj.id}' is used by no {users}"
                yield UNUSED_OBJECT.finding(
                    obj.source.name, obj.line, message, object_type=obj.type, object_id=obj.id
                )


def _tls_files(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for obj in snapshot.of_type("transport").values():
        protocol = (last_value(obj.variables, "protocol") or "").lower()
        if protocol not in TLS_PROTOCOLS:
            continue
        for option in TLS_FILE_OPTIONS:
            yield from _missing_file(snapshot, settings, obj, option)


def _missing_file(snapshot: Snapshot, settings: CheckSettings, obj: PjsipObject, option: str) -> Iterator[Finding]:
    var = last_variable(obj.variables, option)
    if var is None or not var.value:
        return
    # pjproject opens relative paths from Asterisk's working directory; the config dir is the best guess.
    path = var.value if os.path.isabs(var.value) else os.path.join(snapshot.config_dir, var.value)
    if not settings.file_exists(path):
        message = (
            f"transport '{obj.id}' {option}={var.value}: the file does not exist or is not readable here;"
            f" TLS connections on this transport will fail"
        )
        yield TLS_FILE_MISSING.finding(var.source.name, var.line, message, object_type=obj.type, object_id=obj.id)


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
TLS_FILE_MISSING = Rule(
    "R303", "tls-file-missing", "warning",
    summary="A TLS/WSS transport whose cert_file, priv_key_file or ca_list_file does not exist.",
    why="The transport cannot set up TLS: clients fail to connect and Asterisk logs it only at start-up."
    " Checked on the machine running pjsipconf (relative paths against the config directory).",
    example="[t-tls]\ntype=transport\nprotocol=tls\nbind=0.0.0.0:5061\ncert_file=/etc/asterisk/keys/asterisk.pem",
    fix="Install the certificate files where the transport says, or correct the paths.",
    check=_tls_files,
)

RULES: tuple[Rule, ...] = (MISSING_REFERENCE, UNUSED_OBJECT, TLS_FILE_MISSING)
