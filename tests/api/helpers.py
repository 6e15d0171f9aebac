"""Snapshots built by hand for the API tests (no parser involved), and small HTTP helpers."""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from pjsipconf.conf.types import Source, Variable
import hashlib
from pjsipconf.model.types import Contact, PjsipObject, Snapshot
from tests.conftest import load_expected

FILE = Source("file", "pjsip.conf", "/etc/asterisk/pjsip.conf")


def _golden_defaults(type_: str, object_id: str) -> dict[str, Any]:
    return dict(load_expected("v30_runtime_registered")["objects"][type_][object_id])


# Every option of the type with a value like Asterisk's defaults (taken from a golden run).
DEFAULTS: dict[str, dict[str, Any]] = {
    "endpoint": _golden_defaults("endpoint", "2001") | {"aors": "", "auth": "", "context": "default"},
    "aor": _golden_defaults("aor", "2004"),
    "auth": _golden_defaults("auth", "2001") | {"password": "", "username": ""},
    "transport": {"bind": "0.0.0.0:5060", "protocol": "udp", "local_net": []},
}


@dataclass(frozen=True)
class Spec:
    name: str
    alias_of: str | None = None
    multi: bool = False


@dataclass(frozen=True)
class FakeSchema:
    """A TypeSchema stand-in: state holds rendered strings (lists print one line each)."""

    type: str
    defaults: Mapping[str, Any] = field(default_factory=dict)

    def render(self, state: Mapping[str, Any]) -> list[tuple[str, str]]:
        merged = {**self.defaults, **state}
        lines: list[tuple[str, str]] = []
        for name in sorted(merged):
            value = merged[name]
            if value is None:  # printed nothing (set_var prints its variables instead)
                continue
            if isinstance(value, (list, tuple)):
                lines.extend((name, item) for item in value)
            else:
                lines.append((name, str(value)))
        return lines

    def option(self, name: str) -> Spec | None:
        return Spec(name) if name in self.defaults else None

    def new_state(self) -> dict[str, Any]:
        return {}

    def diff(self, full: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in full.items() if v != self.defaults.get(k) and v != ()}


SCHEMAS = {type_: FakeSchema(type_, defaults) for type_, defaults in DEFAULTS.items()}


def make_object(type_: str, object_id: str, line: int = 1, **options: Any) -> PjsipObject:
    """An object whose options are given as rendered strings; each one comes from a pjsip.conf line."""
    schema = SCHEMAS.get(type_) or FakeSchema(type_, {})
    variables = tuple(
        Variable(name, value if isinstance(value, str) else ",".join(value), FILE, line + i + 1, object_id, line + i + 1)
        for i, (name, value) in enumerate(options.items())
        if value is not None
    )
    return PjsipObject(type_, object_id, FILE, line, dict(options), variables, schema)


# `pjsip show contact` of a permanent contact, as golden v08 printed it.
PERMANENT_DETAILS = dict(load_expected("v08_crlf_bom_tabs")["contacts"][0]["details"])


def permanent_contact(aor: str, uri: str) -> Contact:
    digest = hashlib.md5(uri.encode()).hexdigest()
    details = PERMANENT_DETAILS | {"uri": uri}
    return Contact(f"{aor}@@{digest}", aor, uri, "permanent", "NonQual", "nan", details, FILE, 3)


def make_snapshot(objects: list[PjsipObject], contacts: tuple[Contact, ...] = ()) -> Snapshot:
    by_type: dict[str, dict[str, PjsipObject]] = {}
    for obj in objects:
        by_type.setdefault(obj.type, {})[obj.id] = obj
    return Snapshot(
        built_at=datetime.now(timezone.utc),
        asterisk_version="22",
        config_dir="/etc/asterisk",
        objects={t: dict(sorted(objs.items())) for t, objs in by_type.items()},
        contacts=contacts,
    )


def small_pbx(**endpoint_options: Any) -> Snapshot:
    """Two phones, their aors and auths, a trunk aor with a permanent contact, an unused auth."""
    return make_snapshot(
        [
            make_object("endpoint", "1001", aors="1001", auth="1001", **endpoint_options),
            make_object("endpoint", "1002", aors="1002,trunk", auth="1002", outbound_auth="spare"),
            make_object("aor", "1001", max_contacts="1"),
            make_object("aor", "1002", max_contacts="2"),
            make_object("aor", "trunk", contact=["sip:198.51.100.7:5060"], qualify_timeout="3.500000"),
            make_object("auth", "1001", username="1001", password="s3cret-1001"),
            make_object("auth", "1002", username="1002", password="s3cret-1002"),
            make_object("auth", "spare", username="spare", password=""),
            make_object("transport", "udp", bind="0.0.0.0:5060"),
        ],
        contacts=(permanent_contact("trunk", "sip:198.51.100.7:5060"),),
    )


def result_of(body: bytes) -> Any:
    return json.loads(body)["result"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Callable[[], Any], timeout: float = 20.0, interval: float = 0.05) -> Any:
    """Poll `predicate` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last: {last!r})")
