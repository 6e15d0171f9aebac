"""Registrations a realtime table keeps (`contact=realtime,ps_contacts`): listed as `pjsip show
contacts` lists them, offline, and kept (with their status updated) when runtime data is merged."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

from pjsipconf.model.build import build_snapshot
from pjsipconf.model.contacts import merge_runtime
from pjsipconf.sources.realtime.drivers import DRIVERS
from pjsipconf.sources.runtime.types import ContactRow, RuntimeState
from tests.realtime.conftest import Db
from tests.realtime.helpers import create_table, realtime_config_dir

PJSIP = """\
[udp]
type=transport
protocol=udp
bind=127.0.0.1:5060

[100]
type=aor
max_contacts=2
contact=sip:100@192.0.2.9:5060

[100]
type=endpoint
aors=100
"""
COLUMNS = ("id", "uri", "expiration_time", "qualify_frequency", "endpoint", "user_agent", "reg_server", "prune_on_boot")
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
LATER, EARLIER = str(int(NOW.timestamp()) + 3600), str(int(NOW.timestamp()) - 1)


def _config(tmp_path: Path, database: Db) -> Path:
    # Asterisk stores ';' as ^3B where its driver splits values on ';' (pgsql, mysql).
    at = "^3B@" if DRIVERS[database.driver].splits else ";@"
    create_table(database, "ps_contacts", COLUMNS, [
        (f"100{at}aaa111", "sip:100@198.51.100.7:5062", LATER, "0", "100", "Desk/1.0", "", "no"),
        (f"100{at}bbb222", "sip:100@198.51.100.8:5062", EARLIER, "0", "100", "Gone/1.0", "", "no"),  # expired
        (f"100{at}ccc333", "sip:100@198.51.100.9:5062", "0", "0", "100", "Never/1.0", "", "no"),  # 0 is expired too
        (f"100{at}eee555", "sip:100@198.51.100.11:5062", LATER, "0", "100", "Boot/1.0", "", "yes"),  # pruned at boot
        (f"100{at}fff666", "sip:100@198.51.100.12:5062", LATER, "0", "100", "Pbx2/1.0", "pbx2", "yes"),  # another system's
        (f"200{at}ddd444", "sip:200@198.51.100.10:5062", LATER, "0", "200", "Orphan/1.0", "", "no"),  # no aor 200
    ])
    sorcery = "[res_pjsip]\ncontact=realtime,ps_contacts\n"
    return realtime_config_dir(tmp_path / "etc", database, ["ps_contacts"], sorcery=sorcery, pjsip=PJSIP)


def test_unexpired_contacts_are_listed_as_asterisk_lists_them(tmp_path: Path, database: Db) -> None:
    snapshot = build_snapshot(str(_config(tmp_path, database)), now=NOW)
    assert "contact" not in snapshot.objects, snapshot.rejected  # contacts are listed as contacts, not as objects
    assert not snapshot.rejected, snapshot.rejected
    # `pjsip show contacts`, by aor/uri: this system's contacts (reg_server ''), its aor existing or not.
    assert [(c.id, c.kind, c.status) for c in snapshot.contacts if c.listed] == [
        (f"100@@{_md5('sip:100@192.0.2.9:5060')}", "permanent", "NonQual"),
        ("100;@aaa111", "dynamic", "NonQual"),
        ("200;@ddd444", "dynamic", "NonQual"),
    ]
    stored = next(c for c in snapshot.contacts if c.id == "100;@aaa111")
    assert stored.details["user_agent"] == "Desk/1.0" and stored.details["expiration_time"] == LATER
    assert stored.source is not None and stored.source.name == "ps_contacts"
    # `pjsip show aor`: registered contacts first, another system's too (only the listing leaves it out)
    assert snapshot.get("aor", "100").value("contact") == [
        "sip:100@198.51.100.7:5062", "sip:100@198.51.100.12:5062", "sip:100@192.0.2.9:5060"]


def test_runtime_rows_update_their_status_and_add_no_copy(tmp_path: Path, database: Db) -> None:
    snapshot = build_snapshot(str(_config(tmp_path, database)), now=NOW)
    row = ContactRow(aor="100", uri="sip:100@198.51.100.7:5062", hash="aaa111", status="Avail", rtt_ms="1.234")
    merged = merge_runtime(snapshot, RuntimeState(available=True, fetched_at=NOW, rows=(row,)))
    by_id = {c.id: (c.status, c.rtt_ms) for c in merged.contacts}
    assert by_id["100;@aaa111"] == ("Avail", "1.234") and by_id["200;@ddd444"] == ("NonQual", "nan")
    assert len(merged.contacts) == 4
    assert merge_runtime(merged, None).contacts == snapshot.contacts  # idempotent: back to the offline view


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def test_the_api_explains_a_stored_contact_by_its_table(tmp_path: Path, database: Db) -> None:
    from pjsipconf.api.fields import contact_explain

    snapshot = build_snapshot(str(_config(tmp_path, database)), now=NOW)
    stored = next(c for c in snapshot.contacts if c.id == "100;@aaa111")
    assert contact_explain(stored)["from"] == "registered (stored in realtime table ps_contacts)"


def test_asterisk_conf_systemname_decides_which_rows_are_this_systems(tmp_path: Path, database: Db) -> None:
    """With systemname=pbx2 the rows stamped pbx2 are this system's: listed, or pruned at boot when
    prune_on_boot=yes; the unstamped ones belong to another system now."""
    config_dir = _config(tmp_path, database)
    (config_dir / "asterisk.conf").write_text("[options]\nsystemname = pbx2\n")
    snapshot = build_snapshot(str(config_dir), now=NOW)
    assert [c.id for c in snapshot.contacts if c.listed] == [f"100@@{_md5('sip:100@192.0.2.9:5060')}"]
    assert snapshot.get("aor", "100").value("contact") == [
        "sip:100@198.51.100.7:5062", "sip:100@198.51.100.11:5062", "sip:100@192.0.2.9:5060"]
