"""A registration needs a transport for its Contact (sip_outbound_registration_regc_alloc): the one
its transport= names, else one of the type its server URI asks for; without, Asterisk refuses it
and logs nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from pjsipconf.model.build import build_snapshot

TRANSPORTS = {
    "udp4": "[udp4]\ntype=transport\nprotocol=udp\nbind=127.0.0.1:5060\n",
    "udp6": "[udp6]\ntype=transport\nprotocol=udp\nbind=[::1]:5060\n",
    "tcp4": "[tcp4]\ntype=transport\nprotocol=tcp\nbind=127.0.0.1:5060\n",
    "ws4": "[ws4]\ntype=transport\nprotocol=ws\nbind=127.0.0.1:8088\n",
    "tls4": "[tls4]\ntype=transport\nprotocol=tls\nbind=127.0.0.1:5091\n",
}


def _loads(tmp_path: Path, transports: tuple[str, ...], server_uri: str, transport: str = "") -> bool:
    written = server_uri.replace(";", "\\;")  # an unescaped ';' starts a comment in pjsip.conf
    registration = (f"[reg]\ntype=registration\nserver_uri={written}\nclient_uri=sip:me@127.0.0.1\n"
                    + (f"transport={transport}\n" if transport else ""))
    (tmp_path / "pjsip.conf").write_text("\n".join([*(TRANSPORTS[t] for t in transports), registration]))
    snapshot = build_snapshot(str(tmp_path))
    assert set(snapshot.of_type("transport")) == set(transports)
    return snapshot.get("registration", "reg") is not None


@pytest.mark.parametrize("transports, server_uri, loads", [
    (("udp4",), "sip:pbx@127.0.0.2:5070", True),
    (("udp4",), "sip:pbx@127.0.0.2:5070;transport=tcp", False),
    (("udp4", "tcp4"), "sip:pbx@127.0.0.2:5070;transport=TCP", True),
    (("udp4", "tcp4"), "sips:pbx@127.0.0.2:5071", False),  # sips wants TLS
    (("udp4",), "sip:pbx@[::1]:5070", False),  # an IPv6 host wants a UDP6 transport
    (("udp4", "udp6"), "sip:pbx@[::1]:5070", True),
    (("udp6",), "sip:pbx@127.0.0.2:5070", False),
    (("udp4", "ws4"), "sip:pbx@127.0.0.2:5070;transport=ws", False),  # websockets make no client connections
    (("udp4",), "sip:pbx@127.0.0.2:5070;transport=bogus", False),
])
def test_the_server_uri_asks_for_a_transport_type(tmp_path: Path, transports: tuple[str, ...], server_uri: str,
                                                   loads: bool) -> None:
    assert _loads(tmp_path, transports, server_uri) is loads


def test_a_named_transport_serves_whatever_the_uri_says(tmp_path: Path) -> None:
    assert _loads(tmp_path, ("tcp4",), "sip:pbx@127.0.0.2:5070", transport="tcp4")
    assert not _loads(tmp_path, ("ws4",), "sip:pbx@127.0.0.2:5070", transport="ws4")  # no selector: type lookup


def test_a_missing_named_transport_is_logged_and_the_type_decides(tmp_path: Path) -> None:
    assert _loads(tmp_path, ("udp4",), "sip:pbx@127.0.0.2:5070", transport="gone")
    snapshot = build_snapshot(str(tmp_path))
    assert [w.message for w in snapshot.warnings] == ["res_pjsip.c: Unable to retrieve PJSIP transport 'gone'"]


def _registration(tmp_path: Path, *lines: str) -> tuple[bool, list[str], str]:
    """Whether [reg] loads, what was logged, and why check's record says it was refused."""
    body = "\n".join(["[reg]", "type=registration", "client_uri=sip:me@127.0.0.1", *lines])
    (tmp_path / "pjsip.conf").write_text(TRANSPORTS["udp4"] + body + "\n")
    snapshot = build_snapshot(str(tmp_path))
    reasons = [r.message for r in snapshot.rejected if r.id == "reg"]
    logged = [w.message for w in snapshot.warnings]
    return snapshot.get("registration", "reg") is not None, logged, reasons[0] if reasons else ""


def test_a_server_uri_pjproject_cannot_parse_is_logged_and_refused(tmp_path: Path) -> None:
    loads, _logged, reason = _registration(tmp_path, "server_uri=sip:pbx@127.0.0.2:99999")
    assert not loads
    assert reason == ("res_pjsip_outbound_registration.c: Invalid server URI 'sip:pbx@127.0.0.2:99999' "
                      "specified on outbound registration 'reg'")


@pytest.mark.parametrize("line, loads", [
    ("outbound_proxy=sip:proxy.example.com\\;lr", True),
    ("outbound_proxy=<sip:proxy.example.com\\;lr>", True),
    ("outbound_proxy=proxy.example.com", False),  # a Route header needs a URI with its scheme
    ("contact_user=inbound", True),
    ("contact_user=in bound", False),  # the Contact it builds does not parse
    ("contact_header_params=+sip.instance=\"<urn:uuid:1>\"", True),
    ("contact_header_params=a b", False),
])
def test_the_route_and_contact_it_builds_must_parse(tmp_path: Path, line: str, loads: bool) -> None:
    loaded, logged, reason = _registration(tmp_path, "server_uri=sip:pbx@127.0.0.2:5070", line)
    assert loaded is loads
    assert logged == []  # pjproject's failures there are not logged at Asterisk's default level
    assert loads or "Asterisk logs nothing" in reason


def test_transports_started_before_a_duplicate_id_keep_running(tmp_path: Path) -> None:
    """A duplicate transport id drops the type from sorcery, but the transports applied before it
    were started and keep their sockets: a registration still finds one for its Contact."""
    (tmp_path / "pjsip.conf").write_text(
        TRANSPORTS["udp4"] + TRANSPORTS["udp4"].replace("127.0.0.1", "127.0.0.2")
        + "[reg]\ntype=registration\nserver_uri=sip:127.0.0.9\nclient_uri=sip:me@127.0.0.9\n"
        + "[reg6]\ntype=registration\nserver_uri=sip:[::1]:5070\nclient_uri=sip:me@[::1]\n")
    snapshot = build_snapshot(str(tmp_path))
    assert snapshot.of_type("transport") == {}
    assert list(snapshot.of_type("registration")) == ["reg"]  # no IPv6 transport ever ran for reg6


@pytest.mark.parametrize("server_uri, transport, loads", [
    ("sip:127.0.0.1:5090;transport=bogus", "udp4", False),  # refused before the selector is consulted
    ("sip:[::1]:5090;transport=udp6", "", False),  # pjproject has no "udp6": its IPv6 types are named UDP
    ("sips:127.0.0.1:5091;transport=tls6", "", True),  # unknown on sips: plain TLS, IPv4 by the host
    ("sips:127.0.0.1:5091;transport=wss", "", True),  # Asterisk registers "ws" only
])
def test_transport_parameters_as_pjproject_names_them(tmp_path: Path, server_uri: str, transport: str, loads: bool) -> None:
    assert _loads(tmp_path, ("udp4", "udp6", "tls4"), server_uri, transport) is loads
