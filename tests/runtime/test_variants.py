"""Runtime captures of the kind golden case v30 holds, for other registrations and device states,
built by evaluating Asterisk's CLI formats (tests/runtime/asterisk_cli.py), replayed through the
bridge and merged into a configuration built from pjsip.conf."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from pjsipconf.model.build import build_snapshot
from pjsipconf.model.contacts import contacts_by_aor, endpoint_states, merge_runtime
from tests.runtime.asterisk_cli import Channel, Contact, Endpoint, aor_order, captures, show_contacts, show_endpoints
from tests.runtime.helpers import replay_bridge, runtime_captures, write_captures

# An id the CLI cuts to the endpoint name column (51) and, as an aor, to the aor column (41).
LONG = "alice.smith.with.a.really.long.endpoint.name.beyond.51.chars"
LONG_TWIN = "alice.smith.with.a.really.long.endpoint.name.beyond.51.other"  # same first 51 characters
# Aor ids whose contact URI column (45 - len(aor) characters) is 1, 0 and negative (URI in full).
AOR_44, AOR_45, AOR_46 = "a" * 44, "b" * 45, "c" * 46

PJSIP_CONF = f"""
[transport-udp]
type=transport
protocol=udp
bind=127.0.0.1:5060

[tpl](!)
type=endpoint
context=from-phones
disallow=all
allow=ulaw

[3001](tpl)
aors=3001
callerid="Desk" <3001>
[3001]
type=aor
max_contacts=3
qualify_frequency=60

[{LONG}](tpl)
aors={LONG}
callerid=<5551234>
[{LONG}]
type=aor
max_contacts=2

[{LONG_TWIN}](tpl)
aors=3001

[site/7](tpl)
aors=site/7
[site/7]
type=aor

[office phone](tpl)
aors=office phone
[office phone]
type=aor
contact=sip:office@192.0.2.5:5060
qualify_frequency=30

[edges](tpl)
aors={AOR_44},{AOR_45},{AOR_46}
[{AOR_44}]
type=aor
max_contacts=1
[{AOR_45}]
type=aor
max_contacts=1
[{AOR_46}]
type=aor
max_contacts=1
"""


def _stored(endpoint: str) -> dict[str, str]:
    """What the registrar keeps besides the uri (a few of the contact's fields)."""
    return {"endpoint": endpoint, "expiration_time": "1795689301", "user_agent": "UA", "via_addr": "::1"}


CONTACTS = [
    Contact("3001", "sip:3001@[::1]:5075;transport=tcp", "Avail", 12.345, fields=_stored("3001")),
    Contact("3001", "sip:3001-2@127.0.0.1:5080;transport=TCP;ob", "Unavail", fields=_stored("3001")),
    Contact("3001", "sips:+14155550100;phone-context=example.com@127.0.0.1:5061;transport=tls", "Unknown",
            fields=_stored("3001")),
    Contact(LONG, "sip:alice@127.0.0.1:5090", fields=_stored(LONG)),
    Contact("site/7", "sip:7@127.0.0.1:5091", fields=_stored("site/7")),
    Contact("office phone", "sip:office@192.0.2.5:5060", "Avail", 1.5, permanent=True),
    Contact(AOR_44, "sip:edge44@127.0.0.1:5092", fields=_stored("edges")),
    Contact(AOR_45, "sip:edge45@127.0.0.1:5093", fields=_stored("edges")),
    Contact(AOR_46, "sip:edge46@127.0.0.1:5094", "Avail", 1234.5, fields=_stored("edges")),
]
ENDPOINTS = [
    Endpoint("3001", "In use", number="3001", aors=(("3001", 3),),
             channels=(Channel("PJSIP/3001-00000001", "Dial", "Up", "200", ("Bob", "200")),)),
    Endpoint(LONG, "Ringing", number="5551234", aors=((LONG, 2),),
             channels=(Channel(f"PJSIP/{LONG}-00000002", "AppDial", "Ringing", "s"),)),
    Endpoint(LONG_TWIN, "On Hold", aors=(("3001", 3),), busy_at=2),
    Endpoint("edges", "Not in use", aors=((AOR_44, 1), (AOR_45, 1), (AOR_46, 1))),
    Endpoint("office phone", "Not in use", aors=(("office phone", 0),)),
    Endpoint("site/7", "Ring+Inuse", aors=(("site/7", 1),)),
]


def _rtt(contact: Contact) -> str:
    return f"{contact.rtt_ms:.3f}" if contact.status == "Avail" and not math.isnan(contact.rtt_ms) else "nan"


@pytest.fixture
def merged(tmp_path: Path):
    config = tmp_path / "etc"
    config.mkdir()
    (config / "pjsip.conf").write_text(PJSIP_CONF, encoding="utf-8")
    state = replay_bridge(write_captures(tmp_path / "captures.json", captures(ENDPOINTS, CONTACTS))).fetch()
    assert state.available, state.error
    assert state.problems == ()
    return merge_runtime(build_snapshot(str(config)), state)


def test_emulated_formatters_print_what_asterisk_printed_in_v30() -> None:
    contacts = [
        Contact("2001", "sip:2001@127.0.0.1:5071", "Avail", 0.259),
        Contact("2002", "sip:2002@127.0.0.1:5072"),
        Contact("2002", "sip:2002@127.0.0.1:5073"),
        Contact("2003", "sip:2003@127.0.0.1:5074"),
    ]
    endpoints = [
        Endpoint("2001", "Not in use", aors=(("2001", 1),), inbound_auths=(("2001", "2001"),)),
        Endpoint("2002", "Not in use", aors=(("2002", 2),), inbound_auths=(("2002", "2002"),)),
        Endpoint("2003", "Not in use", aors=(("2003", 1),)),
        Endpoint("2004", "Unavailable", aors=(("2004", 1),)),
    ]
    golden = runtime_captures()
    assert show_contacts(contacts) == golden["pjsip show contacts"]
    assert show_endpoints(endpoints, contacts) == golden["pjsip show endpoints"]


def test_contacts_are_the_listing_with_full_uris_ids_and_statuses(merged) -> None:
    want = [
        (c.aor, c.uri, c.id, "permanent" if c.permanent else "dynamic", c.status, _rtt(c))
        for c in sorted(CONTACTS, key=lambda c: f"{c.aor}/{c.uri}")
    ]
    assert [(c.aor, c.uri, c.id, c.kind, c.status, c.rtt_ms) for c in merged.contacts] == want
    registered = [c for c in merged.contacts if c.kind == "dynamic"]
    assert all(c.details["uri"] == c.uri and c.details["endpoint"] for c in registered)


def test_aor_contact_lists_are_in_asterisk_order(merged) -> None:
    aor_ids = {c.aor for c in CONTACTS}
    want = {aor_id: [c.uri for c in aor_order(CONTACTS, aor_id)] for aor_id in aor_ids}
    rendered = {aor_id: merged.get("aor", aor_id).rendered()["contact"] for aor_id in aor_ids}
    assert {k: [v] if isinstance(v, str) else v for k, v in rendered.items()} == want
    grouped = contacts_by_aor(merged)
    assert {k: [c.uri for c in grouped[k].contacts] for k in aor_ids} == want


def test_device_states_of_long_slashed_and_callerid_endpoints(merged) -> None:
    states = endpoint_states(merged)
    assert {k: (v.device_state, v.active_channels, v.derived) for k, v in states.items()} == {
        e.id: (e.state, len(e.channels), False) for e in ENDPOINTS
    }
