"""Every golden case built from its input: permanent contacts, contacts merged with the case's own
CLI captures (replayed through the bridge), and device states, equal what Asterisk printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pjsipconf.model.build import build_snapshot
from pjsipconf.model.contacts import endpoint_states, merge_runtime
from pjsipconf.sources.runtime.parse import parse_contacts
from tests.conftest import golden_cases, load_expected, load_oracle
from tests.runtime.helpers import oracle_captures, replay_bridge, write_captures
from tests.runtime.test_contacts import as_golden, golden_contacts

CASES = golden_cases()


def _assert_contacts_equal_golden(case: str, contacts) -> None:
    """The listed contacts are exactly the `pjsip show contacts` rows (the golden contacts); the
    unlisted ones (realtime aors the sqlite3 multi-row lookup refuses, golden README #13) are exactly
    the contacts the single `pjsip show aor <id>` lookups print beyond that listing."""
    want = golden_contacts(case)
    listed_keys = {(c["aor"], c["hash"]) for c in want}
    assert as_golden([c for c in contacts if c.listed]) == want
    rows = [row for command, text in load_oracle(case)["cli"].items() if command.startswith("pjsip show aor ")
            for row in parse_contacts(text).rows]
    unlisted = sorted((r.aor, r.uri, r.hash, r.status) for r in rows if r.key not in listed_keys)
    assert sorted((c.aor, c.uri, c.hash, c.status) for c in contacts if not c.listed) == unlisted


def _ami_device_states(case: str) -> dict[str, tuple[str, int]]:
    events = load_oracle(case)["ami"]["PJSIPShowEndpoints"].get("events", [])
    return {e["ObjectName"]: (e["DeviceState"], int(e["ActiveChannels"])) for e in events if e["Event"] == "EndpointList"}


def _has_registrations(case: str) -> bool:
    """Phones registered before the capture (a runtime case): its contacts are not all permanent."""
    return "runtime" in load_expected(case)


@pytest.mark.parametrize("case", CASES)
def test_permanent_contacts_equal_golden(case: str, golden_input) -> None:
    snapshot = build_snapshot(str(golden_input(case)))
    assert all(contact.kind == "permanent" for contact in snapshot.contacts)
    if _has_registrations(case):
        # Offline: the permanent ones only, without the statuses the running Asterisk had.
        want = [(c["aor"], c["uri"], c["id"]) for c in golden_contacts(case) if c["kind"] == "permanent"]
        assert [(c.aor, c.uri, c.id) for c in snapshot.contacts] == want
    else:
        _assert_contacts_equal_golden(case, snapshot.contacts)


@pytest.mark.parametrize("case", CASES)
def test_contacts_merged_from_replayed_cli_equal_golden(case: str, golden_input, tmp_path: Path) -> None:
    captures = oracle_captures(case)
    state = replay_bridge(write_captures(tmp_path / "captures.json", captures)).fetch()
    assert state.available, state.error
    merged = merge_runtime(build_snapshot(str(golden_input(case))), state)
    _assert_contacts_equal_golden(case, merged.contacts)
    want_aors = load_expected(case)["objects"].get("aor", {})
    assert {aor_id: aor.rendered() for aor_id, aor in merged.of_type("aor").items()} == want_aors
    want_states = _ami_device_states(case)
    states = endpoint_states(merged)
    assert {k: (states[k].device_state, states[k].active_channels) for k in want_states} == want_states


@pytest.mark.parametrize("case", [c for c in CASES if not _has_registrations(c)])
def test_derived_device_states_equal_an_idle_asterisk(case: str, golden_input) -> None:
    # Asterisk lists the endpoints `pjsip show endpoints` can retrieve (not realtime rows it fails to list).
    want = _ami_device_states(case)
    states = endpoint_states(build_snapshot(str(golden_input(case))))
    assert all(state.derived for state in states.values())
    assert {k: (states[k].device_state, states[k].active_channels) for k in want} == want
