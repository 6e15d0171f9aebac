"""Identify `match` host names: resolved as Asterisk resolves them when it applies the identify."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from pjsipconf.model.build import build_snapshot
from pjsipconf.schema.core import HostLookupError
from pjsipconf.settings import load_settings
from pjsipconf.sources.dns import HostResolver

CONFIG = """\
[e]
type=endpoint

[by-name]
type=identify
endpoint=e
match=10.0.0.1,{name}
"""


def _snapshot(tmp_path: Path, name: str, settings: str = ""):  # type: ignore[no-untyped-def]
    (tmp_path / "pjsip.conf").write_text(CONFIG.format(name=name))
    (tmp_path / "pjsipconf.ini").write_text(settings)
    return build_snapshot(str(tmp_path), settings=load_settings(None, config_dir=str(tmp_path)))


def test_a_name_that_resolves_joins_the_match_list(tmp_path: Path) -> None:
    identify = _snapshot(tmp_path, "localhost:5070").get("identify", "by-name")
    assert identify is not None
    assert "127.0.0.1:5070/255.255.255.255" in identify.rendered()["match"]


def test_a_name_that_does_not_resolve_refuses_the_identify(tmp_path: Path) -> None:
    # RFC 6761: .invalid never resolves (here: tests/conftest.py answers every name but localhost).
    snapshot = _snapshot(tmp_path, "blue.invalid")
    assert snapshot.get("identify", "by-name") is None
    (rejection,) = snapshot.rejected
    assert rejection.message == (
        "res_pjsip_endpoint_identifier_ip.c: Identify 'by-name' failed when adding resolution results of 'blue.invalid'")
    (logged,) = [w.message for w in snapshot.warnings if "getaddrinfo" in w.message]
    assert logged.startswith('netsock2.c: getaddrinfo("blue.invalid", "(null)", ...): ')


def test_resolution_can_be_turned_off(tmp_path: Path) -> None:
    identify = _snapshot(tmp_path, "blue.invalid", "[general]\nresolve_hosts = no\n").get("identify", "by-name")
    assert identify is not None and identify.rendered()["match"] == "10.0.0.1/255.255.255.255"


def test_each_name_is_looked_up_once_per_build(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple] = []

    def getaddrinfo(host: str, port: str | None, family: int, kind: int) -> list[tuple]:
        calls.append((host, port, family, kind))
        mapped = (socket.AF_INET6, kind, 17, "", ("::ffff:192.0.2.5", int(port or 0), 0, 0))
        return [(socket.AF_INET, kind, 17, "", ("192.0.2.4", int(port or 0))), mapped]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    resolve = HostResolver()
    assert resolve("pbx.example:5061") == resolve("pbx.example:5061") == ("192.0.2.4:5061", "192.0.2.5:5061")
    assert resolve("[2001:db8::1]") == ("192.0.2.4", "192.0.2.5")
    assert calls == [("pbx.example", "5061", socket.AF_UNSPEC, socket.SOCK_DGRAM),
                     ("2001:db8::1", None, socket.AF_UNSPEC, socket.SOCK_DGRAM)]


def test_a_failed_lookup_says_what_getaddrinfo_said(monkeypatch: pytest.MonkeyPatch) -> None:
    def getaddrinfo(*args: object) -> list[tuple]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(HostLookupError) as raised:
        HostResolver()("sip.example.com:5080")
    assert str(raised.value) == 'getaddrinfo("sip.example.com", "5080", ...): Temporary failure in name resolution'


def test_a_resolver_that_does_not_answer_is_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = threading.Event()

    def getaddrinfo(*args: object) -> list[tuple]:
        answer.wait(5)  # a DNS server whose packets are dropped
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    resolve = HostResolver(timeout=0.2)
    started = time.monotonic()
    for name in ("a.example", "b.example", "c.example"):
        with pytest.raises(HostLookupError, match=r'getaddrinfo\("[abc].example", "\(null\)", ...\): Temporary failure'):
            resolve(name)
    answer.set()
    assert time.monotonic() - started < 1.0  # 0.2 s for the first, a fraction of it for the others
