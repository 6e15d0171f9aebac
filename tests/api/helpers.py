"""Snapshots built by hand for the API tests (no parser involved), and small HTTP helpers."""

from __future__ import annotations

import json
import socket
import time
from datetime import datetime, timezone
from typing import Any, Callable

from pjsipconf.model.contacts import permanent_contacts
from pjsipconf.model.types import Contact, PjsipObject, Snapshot
from tests.runtime.objects import PJSIP_CONF
from tests.runtime.objects import make_object as schema_object

FILE = PJSIP_CONF


def make_object(type_: str, object_id: str, line: int = 1, **options: str | list[str]) -> PjsipObject:
    """An object built through the real schema from `name = value` lines (a list: one line each)."""
    lines = [
        (name, item)
        for name, value in options.items()
        for item in (value if isinstance(value, list) else [value])
    ]
    return schema_object(type_, object_id, lines, first_line=line)


def make_snapshot(objects: list[PjsipObject], contacts: tuple[Contact, ...] | None = None) -> Snapshot:
    """A Snapshot of these objects; its contacts are the aors' permanent ones unless given."""
    by_type: dict[str, dict[str, PjsipObject]] = {}
    for obj in sorted(objects, key=lambda o: (o.type, o.id.encode())):
        by_type.setdefault(obj.type, {})[obj.id] = obj
    return Snapshot(
        built_at=datetime.now(timezone.utc),
        asterisk_version="22",
        config_dir="/etc/asterisk",
        objects=by_type,
        contacts=permanent_contacts(by_type) if contacts is None else contacts,
    )


def small_pbx(**endpoint_options: str) -> Snapshot:
    """Two phones, their aors and auths, a trunk aor with a permanent contact, an unused auth."""
    return make_snapshot(
        [
            make_object("endpoint", "1001", aors="1001", auth="1001", **endpoint_options),
            make_object("endpoint", "1002", aors="1002,trunk", auth="1002", outbound_auth="spare"),
            make_object("aor", "1001", max_contacts="1"),
            make_object("aor", "1002", max_contacts="2"),
            make_object("aor", "trunk", contact="sip:198.51.100.7:5060", qualify_timeout="3.5"),
            make_object("auth", "1001", username="1001", password="s3cret-1001"),
            make_object("auth", "1002", username="1002", password="s3cret-1002"),
            make_object("auth", "spare", username="spare", password=""),
            make_object("transport", "udp", bind="0.0.0.0:5060"),
        ]
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
