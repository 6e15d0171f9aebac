"""A transport refused before its apply handler leaves its socket settings to the next transport
(config_transport.c's temporary state; see pjsipconf.model.transport_state)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pjsipconf.model.build import build_snapshot
from pjsipconf.model.types import Snapshot

REFUSED = """\
[t1]
type=transport
protocol=udp
bind=127.0.0.5:5070
local_net=10.0.0.0/8
{bad}

[t2]
type=transport
protocol=udp
local_net=192.168.0.0/16

[t3]
type=transport
protocol=tcp
"""


def _build(tmp_path: Path, text: str) -> Snapshot:
    (tmp_path / "pjsip.conf").write_text(text)
    return build_snapshot(str(tmp_path))


@pytest.mark.parametrize("bad", ["cos=abc", "external_signaling_port=70000", "colour=blue", "local_net=10.0.0.300"])
def test_the_next_transport_starts_from_the_refused_ones_settings(tmp_path: Path, bad: str) -> None:
    snapshot = _build(tmp_path, REFUSED.format(bad=bad))
    assert sorted(snapshot.of_type("transport")) == ["t2"]
    t2 = snapshot.of_type("transport")["t2"].rendered()
    assert t2["bind"] == "127.0.0.5:5070"
    assert t2["local_net"] == ["10.0.0.0/255.0.0.0", "192.168.0.0/255.255.0.0"]  # its own line adds
    # t2's apply handler took the state: t3 has nothing left over and no bind of its own.
    (t3,) = [r for r in snapshot.rejected if r.id == "t3"]
    assert "binding not specified" in t3.message


@pytest.mark.parametrize("bad", ["tos=bogus", "bind=not-an-address.invalid", "protocol=sctp", "method=tlsv9"])
def test_handlers_that_refuse_their_own_value_discard_the_state(tmp_path: Path, bad: str) -> None:
    snapshot = _build(tmp_path, REFUSED.format(bad=bad).replace("local_net=10.0.0.0/8\n", ""))
    assert snapshot.of_type("transport") == {}
    assert {r.id for r in snapshot.rejected} == {"t1", "t2", "t3"}


def test_a_bad_first_local_net_discards_the_state(tmp_path: Path) -> None:
    text = REFUSED.format(bad="").replace("local_net=10.0.0.0/8", "local_net=10.0.0.300")
    assert _build(tmp_path, text).of_type("transport") == {}


def test_a_bad_local_net_keeps_the_entries_of_its_line_before_the_bad_one(tmp_path: Path) -> None:
    text = REFUSED.format(bad="").replace("local_net=10.0.0.0/8", "local_net=10.0.0.0/8,10.0.0.300,172.16.0.0/12")
    t2 = _build(tmp_path, text).of_type("transport")["t2"].rendered()
    assert t2["bind"] == "127.0.0.5:5070"
    assert t2["local_net"] == ["10.0.0.0/255.0.0.0", "192.168.0.0/255.255.0.0"]


def test_explain_names_the_transport_the_settings_came_from(tmp_path: Path) -> None:
    text = REFUSED.format(bad="cos=abc").replace("protocol=udp\nlocal_net=192", "protocol=udp\nbind=127.0.0.6\nlocal_net=192")
    t2 = _build(tmp_path, text).of_type("transport")["t2"]
    assert t2.rendered()["bind"] == "127.0.0.6:5060"
    assert "left over" not in t2.where("bind").describe()  # its own bind line replaced it
    assert "the first entries are left over from transport 't1'" in t2.where("local_net").describe()
