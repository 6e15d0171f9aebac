"""The contract routes against API.md, on the demo and on every golden case.

Values must equal what Asterisk 22.10.1 reported for the case (`expected.json` `objects`, through
the contract's renames; contacts against `contacts`), keys and order must be the contract's, and
JSON types numbers exactly where the contract has numbers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pjsipconf.api.contract import (
    CONTRACT_KEYS,
    CONTRACT_NUMBERS,
    CONTACT_STATUS_LABELS,
    ENDPOINT_RENAMES,
)
from pjsipconf.api.documents import BuildOptions, Documents, build_documents
from pjsipconf.api.envelope import now_timestamp
from pjsipconf.api.web import FixedView, create_app
from pjsipconf.model.build import build_snapshot
from pjsipconf.model.contacts import merge_runtime
from pjsipconf.model.types import Snapshot
from pjsipconf.sources.runtime import RuntimeBridge
from tests.conftest import DEMO_DIR, golden_cases, is_runtime_case, load_expected
from tests.runtime.helpers import RUNTIME_CASE, replay_prefix, runtime_captures, write_captures

CASES = golden_cases()
# Keys the API works out itself rather than copying an option of the same object.
DERIVED = {
    "endpoint": {"object_type", "object_name", "disallow", "device_state", "active_channels", "set_var", "tm_update"},
    "aor": {"object_type", "object_name", "endpoint_name", "contacts", "total_contacts", "contacts_registered", "tm_update"},
    "auth": {"object_type", "object_name", "endpoint_name", "tm_update"},
}
COLLECTION = {"endpoint": "endpoints", "aor": "aors", "auth": "auths", "contact": "contacts"}


def _documents(config_dir: Path, case: str | None, tmp_path: Path) -> Documents:
    snapshot = _snapshot(config_dir, case, tmp_path)
    return build_documents(snapshot, options=BuildOptions(show_secrets=True), now=now_timestamp())


def _snapshot(config_dir: Path, case: str | None, tmp_path: Path) -> Snapshot:
    snapshot = build_snapshot(str(config_dir))
    if case is not None and is_runtime_case(case):
        captures = write_captures(tmp_path / "cli.json", runtime_captures(case))
        bridge = RuntimeBridge(replay_prefix(captures), min_interval=0)
        snapshot = merge_runtime(snapshot, bridge.fetch())
    return snapshot


def _envelope(client, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, path
    body = json.loads(response.data)
    assert list(body) == ["api_ver", "timestamp", "statuscode", "result"]
    assert body["api_ver"] == "0.1" and body["statuscode"] == 200
    return body["result"]


def _check_shape(type_: str, fields: dict[str, Any]) -> None:
    assert list(fields) == list(CONTRACT_KEYS[type_])
    for key, value in fields.items():
        wanted = int if key in CONTRACT_NUMBERS[type_] else str
        assert type(value) is wanted, (type_, key, value)


def _check_contract_routes(documents: Documents) -> dict[str, dict[str, dict[str, Any]]]:
    """Every contract list and detail route: envelope, key order, JSON types, list order."""
    client = create_app(FixedView(documents)).test_client()
    seen: dict[str, dict[str, dict[str, Any]]] = {}
    for type_, collection in COLLECTION.items():
        items = _envelope(client, f"/pjsip/{collection}")["list"]
        id_key = "id" if type_ == "contact" else "object_name"
        ids = [item[id_key] for item in items]
        assert ids == sorted(ids, key=lambda i: i.encode())
        for item in items:
            _check_shape(type_, item)
            from urllib.parse import quote

            assert _envelope(client, f"/pjsip/{collection}/{quote(item[id_key], safe='')}") == item
        seen[type_] = {item[id_key]: item for item in items}
    return seen


def _as_api_string(value: Any) -> str:
    return ",".join(value) if isinstance(value, list) else value


@pytest.mark.parametrize("case", CASES)
def test_golden_contract_values(case: str, golden_input, tmp_path: Path) -> None:
    expected = load_expected(case)
    snapshot = _snapshot(golden_input(case), case, tmp_path)
    documents = build_documents(snapshot, options=BuildOptions(show_secrets=True), now=now_timestamp())
    seen = _check_contract_routes(documents)
    for type_ in ("endpoint", "aor", "auth"):
        want = expected["objects"].get(type_, {})
        assert sorted(seen[type_]) == sorted(want), type_
        for object_id, options in want.items():
            fields = seen[type_][object_id]
            for key in CONTRACT_KEYS[type_]:
                if key in DERIVED[type_]:
                    continue
                asterisk = options[ENDPOINT_RENAMES.get(key, key) if type_ == "endpoint" else key]
                if key in CONTRACT_NUMBERS[type_]:
                    assert fields[key] == int(float(asterisk)), (type_, object_id, key)
                else:
                    assert fields[key] == _as_api_string(asterisk), (type_, object_id, key)
            assert fields["object_name"] == object_id and fields["object_type"] == type_
    # The contacts list is `pjsip show contacts`: none of the realtime aors Asterisk's multi-row
    # lookup refuses (v40, golden README point 13). Their by-id view still counts the contacts
    # `pjsip show aor <id>` prints, so the counts are compared for the other aors.
    listed_aors = {aor_id: aor for aor_id, aor in seen["aor"].items() if snapshot.get("aor", aor_id).listed}  # type: ignore[union-attr]
    _check_contacts(expected, seen["contact"], listed_aors)
    # Asterisk's own view of every type equals what Asterisk printed.
    for type_, objects in expected["objects"].items():
        from pjsipconf.api.contract import COLLECTIONS

        for object_id, options in objects.items():
            document = documents.lookup(COLLECTIONS[type_], object_id, "asterisk")
            assert document is not None and json.loads(document.result) == options, (type_, object_id)


def _check_contacts(expected: dict[str, Any], contacts: dict[str, dict[str, Any]], aors: dict[str, dict[str, Any]]) -> None:
    assert sorted(contacts) == sorted(c["id"] for c in expected["contacts"])
    for want in expected["contacts"]:
        got = contacts[want["id"]]
        details = want["details"]
        assert (got["uri"], got["aor"]) == (want["uri"], want["aor"])
        assert got["status"] == CONTACT_STATUS_LABELS[want["status"]]
        assert got["endpoint_name"] == details["endpoint"]
        assert got["user_agent"] == details["user_agent"] and got["call_id"] == details["call_id"]
        assert got["qualify_frequency"] == int(details["qualify_frequency"])
        assert got["qualify_timout"] == int(float(details["qualify_timeout"]))
        assert got["reg_expire"] == (int(details["expiration_time"]) if want["kind"] == "dynamic" else 0)
        if "ami" in want:  # AMI's ContactList event is what the original API read
            assert got["round_trip_usec"] == want["ami"]["RoundtripUsec"]
            assert got["authentication_qualify"] == (1 if want["ami"]["AuthenticateQualify"] == "yes" else 0)
        assert f"{want['aor']}/{want['uri']}" in aors[want["aor"]]["contacts"].split(",")
    for aor_id, aor in aors.items():
        mine = [c for c in expected["contacts"] if c["aor"] == aor_id]
        assert aor["total_contacts"] == len(mine)
        assert aor["contacts_registered"] == sum(1 for c in mine if c["kind"] == "dynamic")


def test_runtime_case_device_states(golden_input, tmp_path: Path) -> None:
    """device_state and active_channels are what `pjsip show endpoints` printed in the runtime case."""
    import re

    documents = _documents(golden_input(RUNTIME_CASE), RUNTIME_CASE, tmp_path)
    cli = runtime_captures()["pjsip show endpoints"]
    printed = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^ Endpoint:  (\S+)\s+(\S.*?)\s+(\d+) of ", cli, re.MULTILINE)
    }
    assert printed and set(printed) <= set(documents.ids("endpoints"))
    for object_id, (state, channels) in printed.items():
        fields = json.loads(documents.lookup("endpoints", object_id).result)  # type: ignore[union-attr]
        assert (fields["device_state"], fields["active_channels"]) == (state, channels), object_id


def test_demo_contract_routes(tmp_path: Path) -> None:
    documents = _documents(DEMO_DIR, None, tmp_path)
    seen = _check_contract_routes(documents)
    assert seen["endpoint"], "the demo has endpoints"
    # Every aor and auth is listed, referenced or not, with its referencing endpoints.
    for endpoint in seen["endpoint"].values():
        for aor in filter(None, endpoint["aors"].split(",")):
            if aor in seen["aor"]:
                assert endpoint["object_name"] in seen["aor"][aor]["endpoint_name"].split(",")


@pytest.mark.parametrize("case", CASES)
def test_endpoint_states_agree_with_the_model(case: str, golden_input, tmp_path: Path) -> None:
    """The documents' shortcut for endpoints without contacts says what contacts.endpoint_states says."""
    from pjsipconf.model.contacts import endpoint_states

    snapshot = _snapshot(golden_input(case), case, tmp_path)
    documents = build_documents(snapshot, now=now_timestamp())
    for endpoint_id, state in endpoint_states(snapshot).items():
        fields = json.loads(documents.lookup("endpoints", endpoint_id).result)  # type: ignore[union-attr]
        assert (fields["device_state"], fields["active_channels"]) == (state.device_state, str(state.active_channels))
