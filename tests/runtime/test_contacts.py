"""Contacts in the Snapshot: permanent ones from aor contact=, registered ones merged from the
runtime bridge, aor contact lists, and endpoint device states (runtime or derived)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pjsipconf.model.contacts import (
    aor_contacts,
    contacts_by_aor,
    endpoint_state,
    endpoint_states,
    merge_runtime,
    permanent_contacts,
)
from pjsipconf.sources.runtime.types import ContactRow, EndpointState, RegisteredContact, RuntimeState
from tests.conftest import load_expected
from tests.runtime.helpers import RUNTIME_CASE, replay_bridge, runtime_captures, write_captures
from tests.runtime.objects import make_object, make_snapshot

CONTACT_FIELDS = ("aor", "uri", "id", "kind", "hash", "status", "rtt_ms", "details")
NOW = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)


def as_golden(contacts) -> list[dict[str, object]]:
    return [{f: (dict(getattr(c, f)) if f == "details" else getattr(c, f)) for f in CONTACT_FIELDS} for c in contacts]


def golden_contacts(case: str) -> list[dict[str, object]]:
    return [{f: c[f] for f in CONTACT_FIELDS} for c in load_expected(case)["contacts"]]


def v30_snapshot():
    """The objects of golden case v30 (its pjsip.conf), built through the schema."""
    tpl = [("context", "from-phones"), ("disallow", "all"), ("allow", "ulaw")]
    objects = [
        make_object("endpoint", "2001", tpl + [("auth", "2001"), ("aors", "2001")]),
        make_object("endpoint", "2002", tpl + [("auth", "2002"), ("aors", "2002")]),
        make_object("endpoint", "2003", tpl + [("aors", "2003")]),
        make_object("endpoint", "2004", tpl + [("aors", "2004")]),
        make_object("aor", "2001", [("max_contacts", "1"), ("qualify_frequency", "30")]),
        make_object("aor", "2002", [("max_contacts", "2")]),
        make_object("aor", "2003", [("max_contacts", "1"), ("minimum_expiration", "60")]),
        make_object("aor", "2004", [("max_contacts", "1")]),
    ]
    return make_snapshot(*objects)


@pytest.fixture
def v30_state(tmp_path: Path) -> RuntimeState:
    return replay_bridge(write_captures(tmp_path / "captures.json", runtime_captures())).fetch()


def test_merged_contacts_equal_golden(v30_state: RuntimeState) -> None:
    merged = merge_runtime(v30_snapshot(), v30_state)
    assert as_golden(merged.contacts) == golden_contacts(RUNTIME_CASE)
    assert merged.runtime is v30_state


def test_merged_aor_contact_lists_equal_golden(v30_state: RuntimeState) -> None:
    merged = merge_runtime(v30_snapshot(), v30_state)
    want = load_expected(RUNTIME_CASE)["objects"]["aor"]
    assert {aor_id: aor.rendered() for aor_id, aor in merged.of_type("aor").items()} == want


def test_aor_contacts_and_counts_equal_ami_aor_detail(v30_state: RuntimeState) -> None:
    merged = merge_runtime(v30_snapshot(), v30_state)
    grouped = contacts_by_aor(merged)
    details = load_expected(RUNTIME_CASE)["runtime"]["ami_endpoint_detail"]
    for endpoint_id, action in details.items():
        for event in action["events"]:
            if event.get("Event") != "AorDetail":
                continue
            got = aor_contacts(merged, event["ObjectName"])
            assert got == grouped.get(event["ObjectName"], got)
            assert (str(got.total), str(got.registered)) == (event["TotalContacts"], event["ContactsRegistered"])
            assert ",".join(f"{c.aor}/{c.uri}" for c in got.contacts) == event["Contacts"]
    assert "2004" not in grouped


def test_runtime_endpoint_states(v30_state: RuntimeState) -> None:
    merged = merge_runtime(v30_snapshot(), v30_state)
    events = load_expected(RUNTIME_CASE)["runtime"]["ami"]["PJSIPShowEndpoints"]["events"]
    want = {e["ObjectName"]: (e["DeviceState"], int(e["ActiveChannels"])) for e in events if e["Event"] == "EndpointList"}
    states = endpoint_states(merged)
    assert {k: (v.device_state, v.active_channels) for k, v in states.items()} == want
    assert not any(v.derived for v in states.values())
    assert endpoint_state(merged, "2001") == states["2001"]


def test_derived_states_without_runtime_match_an_idle_asterisk(v30_state: RuntimeState) -> None:
    # With the registrations merged but no endpoint listing, derivation gives what Asterisk printed.
    merged = merge_runtime(v30_snapshot(), dataclasses.replace(v30_state, endpoints={}, endpoint_rows=()))
    states = endpoint_states(merged)
    assert {k: v.device_state for k, v in states.items()} == {
        "2001": "Not in use", "2002": "Not in use", "2003": "Not in use", "2004": "Unavailable",
    }
    assert all(v.derived and v.active_channels == 0 for v in states.values())
    plain = endpoint_states(v30_snapshot())  # nothing registered: all offline
    assert {v.device_state for v in plain.values()} == {"Unavailable"}


def test_merge_is_idempotent_and_undone_by_none(v30_state: RuntimeState) -> None:
    base = v30_snapshot()
    once = merge_runtime(base, v30_state)
    twice = merge_runtime(once, v30_state)
    assert twice.contacts == once.contacts
    assert {k: v.rendered() for k, v in twice.of_type("aor").items()} == {k: v.rendered() for k, v in once.of_type("aor").items()}
    undone = merge_runtime(once, None)
    assert undone.contacts == base.contacts and undone.runtime is None
    assert {k: v.rendered() for k, v in undone.of_type("aor").items()} == {k: v.rendered() for k, v in base.of_type("aor").items()}


def test_expired_runtime_data_is_not_merged(v30_state: RuntimeState) -> None:
    expired = RuntimeState(available=False, fetched_at=v30_state.fetched_at, error="down", expired=True)
    merged = merge_runtime(v30_snapshot(), expired)
    assert merged.contacts == () and merged.runtime is expired
    assert endpoint_state(merged, "2001").derived


def test_permanent_contacts_as_asterisk_shows_them() -> None:
    aor = make_object(
        "aor",
        "trunk",
        [("qualify_frequency", "60"), ("qualify_timeout", "2.5"), ("authenticate_qualify", "yes"),
         ("contact", "sip:two@192.0.2.1, sip:one@192.0.2.1"), ("outbound_proxy", "sip:proxy.example.com"),
         ("contact", "sip:three@192.0.2.1")],
        first_line=10,
    )
    contacts = permanent_contacts({"aor": {"trunk": aor}})
    assert [c.uri for c in contacts] == ["sip:one@192.0.2.1", "sip:three@192.0.2.1", "sip:two@192.0.2.1"]
    assert [c.line for c in contacts] == [14, 16, 14]  # the contact= line that named each
    first = contacts[0]
    assert first.id == "trunk@@" + __import__("hashlib").md5(b"sip:one@192.0.2.1").hexdigest()
    assert (first.kind, first.status, first.rtt_ms, first.hash) == ("permanent", "NonQual", "nan", first.id[7:17])
    # Only outbound_proxy is copied from the aor; the qualify settings keep the contact defaults.
    assert first.details["outbound_proxy"] == "sip:proxy.example.com"
    assert (first.details["qualify_frequency"], first.details["qualify_timeout"], first.details["authenticate_qualify"]) == (
        "0", "3.000000", "no",
    )
    assert first.details["expiration_time"] == "0" and list(first.details) == sorted(first.details)


def test_permanent_contacts_of_golden_case_v20() -> None:
    aor = make_object("aor", "l-aor1", [
        ("contact", "sip:one@127.0.0.1:5081"), ("contact", "sip:two@127.0.0.1:5082,sip:three@127.0.0.1:5083"),
        ("max_contacts", "5"),
    ])
    assert as_golden(permanent_contacts({"aor": {"l-aor1": aor}})) == golden_contacts("v20_lists_groups")


def _state(contacts=(), rows=(), endpoints=None) -> RuntimeState:
    return RuntimeState(
        available=True, fetched_at=NOW, contacts=tuple(contacts), rows=tuple(rows), endpoints=endpoints or {},
    )


def test_permanent_contact_status_comes_from_runtime_rows() -> None:
    aor = make_object("aor", "trunk", [("qualify_frequency", "60"), ("contact", "sip:pbx@192.0.2.9")])
    endpoint = make_object("endpoint", "trunk", [("aors", "trunk")])
    snapshot = make_snapshot(aor, endpoint)
    assert endpoint_state(snapshot, "trunk").device_state == "Unavailable"  # qualified, not answered yet
    row = ContactRow("trunk", "sip:pbx@192.0.2.9", snapshot.contacts[0].hash, "Avail", "12.345")
    merged = merge_runtime(snapshot, _state(rows=[row]))
    assert [(c.kind, c.status, c.rtt_ms) for c in merged.contacts] == [("permanent", "Avail", "12.345")]
    assert endpoint_state(merged, "trunk") == EndpointState("trunk", "Not in use", 0, True)
    assert merge_runtime(merged, None).contacts == snapshot.contacts  # back to the offline status


def test_rows_without_stored_contact_become_dynamic_contacts() -> None:
    snapshot = make_snapshot(make_object("aor", "rt", [("max_contacts", "1")]))
    complete = ContactRow("rt", "sip:rt@198.51.100.7:5060", "8b1ac5c6a8", "NonQual", "nan")
    cut = ContactRow("rt", "sip:a-long-uri-that-the-cli-cut@198.51.100.", "0123456789", "Avail", "3.000")
    merged = merge_runtime(snapshot, _state(rows=[complete, cut]))
    by_uri = {c.uri: c for c in merged.contacts}
    assert by_uri[complete.uri].id.startswith("rt;@") and by_uri[complete.uri].kind == "dynamic"
    assert by_uri[cut.uri].id == "rt;@0123456789" and by_uri[cut.uri].details == {}
    assert merged.of_type("aor")["rt"].rendered()["contact"] == sorted(
        [complete.uri, cut.uri], key=lambda uri: by_uri[uri].id
    )


def test_registered_contact_with_a_permanent_uri_is_listed_once() -> None:
    snapshot = make_snapshot(make_object("aor", "a", [("contact", "sip:x@192.0.2.1")]))
    registered = RegisteredContact("a", "sip:x@192.0.2.1", "a;@" + "0" * 32, "Avail", "1.000", {"uri": "sip:x@192.0.2.1"})
    merged = merge_runtime(snapshot, _state(contacts=[registered]))
    assert [(c.kind, c.uri) for c in merged.contacts] == [("dynamic", "sip:x@192.0.2.1")]
    # The aor lists both contacts, by id: `pjsip show aor a` prints the URI twice.
    assert merged.of_type("aor")["a"].rendered()["contact"] == ["sip:x@192.0.2.1", "sip:x@192.0.2.1"]


def test_unknown_endpoint_is_invalid() -> None:
    assert endpoint_state(make_snapshot(), "ghost") == EndpointState("ghost", "Invalid", 0, True)


def test_endpoint_without_aors_is_unavailable_and_aor_list_is_split() -> None:
    snapshot = make_snapshot(
        make_object("endpoint", "lonely", []),
        make_object("endpoint", "multi", [("aors", "missing, b")]),
        make_object("aor", "b", [("contact", "sip:b@192.0.2.2")]),
    )
    assert endpoint_state(snapshot, "lonely").device_state == "Unavailable"
    assert endpoint_state(snapshot, "multi").device_state == "Not in use"


def test_rows_of_an_aor_id_with_a_slash_are_split_at_the_configured_id() -> None:
    aor = make_object("aor", "site/7", [("qualify_frequency", "60"), ("contact", "<sip:trunk@192.0.2.1:5060>")])
    snapshot = make_snapshot(aor)
    (permanent,) = snapshot.contacts
    # The CLI prints `site/7/<sip:...>`: the parser alone splits it at the first `/`.
    row = ContactRow("site", "7/<sip:trunk@192.0.2.1:5060>", permanent.hash, "Avail", "2.000")
    merged = merge_runtime(snapshot, _state(rows=[row]))
    assert [(c.id, c.kind, c.status) for c in merged.contacts] == [(permanent.id, "permanent", "Avail")]


def test_contacts_table_is_what_pjsip_show_contacts_prints(v30_state: RuntimeState) -> None:
    from pjsipconf.model.views import contacts_table

    merged = merge_runtime(v30_snapshot(), v30_state)
    assert contacts_table(merged.contacts) == load_expected(RUNTIME_CASE)["runtime"]["cli"]["pjsip show contacts"]


@pytest.mark.parametrize("aor_length, printed", [(44, "s"), (45, ""), (46, "sip:x@192.0.2.1")])
def test_contacts_table_uri_column_is_what_the_aor_leaves(aor_length: int, printed: str) -> None:
    from pjsipconf.model.views import contacts_table

    aor_id = "a" * aor_length
    snapshot = make_snapshot(make_object("aor", aor_id, [("contact", "sip:x@192.0.2.1")]))
    line = contacts_table(snapshot.contacts).splitlines()[4]
    assert line.startswith(f"  Contact:  {aor_id}/{printed} {snapshot.contacts[0].hash} NonQual")
