"""A transport whose socket an earlier transport of the load already bound cannot start
(config_transport.c: "could not be started: Address already in use") and is dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from pjsipconf.model.build import build_snapshot


def _started(tmp_path: Path, *transports: tuple[str, str]) -> list[str]:
    sections = [f"[t{i}]\ntype=transport\nprotocol={protocol}\nbind={bind}\n" for i, (protocol, bind) in enumerate(transports)]
    (tmp_path / "pjsip.conf").write_text("\n".join(sections))
    return sorted(build_snapshot(str(tmp_path)).of_type("transport"))


@pytest.mark.parametrize("first, second, both", [
    (("udp", "127.0.0.1:5060"), ("udp", "127.0.0.1:5060"), False),
    (("udp", "0.0.0.0:5060"), ("udp", "127.0.0.1:5060"), False),  # the wildcard holds every address
    (("udp", "127.0.0.1:5060"), ("udp", "0.0.0.0"), False),  # no port: 5060
    (("tls", "127.0.0.1"), ("tcp", "127.0.0.1:5061"), False),  # both listen on TCP; tls defaults to 5061
    (("udp", "127.0.0.1:5060"), ("tcp", "127.0.0.1:5060"), True),  # UDP and TCP ports are apart
    (("udp", "127.0.0.1:5060"), ("udp", "127.0.0.2:5060"), True),
    (("udp", "0.0.0.0:5060"), ("udp", "[::1]:5060"), True),  # another family
    (("udp", "127.0.0.1:5060"), ("ws", "127.0.0.1:5060"), True),  # websockets live in the HTTP server
])
def test_the_second_transport_on_a_taken_socket_is_dropped(tmp_path: Path, first, second, both: bool) -> None:
    assert _started(tmp_path, first, second) == (["t0", "t1"] if both else ["t0"])


def test_asterisk_logs_why(tmp_path: Path) -> None:
    _started(tmp_path, ("udp", "127.0.0.1:5060"), ("udp", "127.0.0.1:5060"))
    (rejection,) = build_snapshot(str(tmp_path)).rejected
    assert rejection.message == "res_pjsip/config_transport.c: Transport 't1' could not be started: Address already in use"


def test_an_ipv4_mapped_bind_does_not_start(tmp_path: Path) -> None:
    # pjproject's IPv6 sockets are IPV6_V6ONLY, and Linux refuses them a v4-mapped address (EINVAL).
    assert _started(tmp_path, ("udp", "[::ffff:127.0.0.1]:5070"), ("udp", "[::1]:5070")) == ["t1"]
    (rejection,) = build_snapshot(str(tmp_path)).rejected
    assert rejection.message == "res_pjsip/config_transport.c: Transport 't0' could not be started: Invalid argument"



# What Asterisk 22.10.1 did with each bind (Linux): EINVAL for addresses that need an interface
# and for TCP on IPv6 multicast; a scoped address binds where the interface has it, which is this
# machine's business (not modelled: it starts), as is any other address (t5, t6).
@pytest.mark.parametrize("protocol, bind, starts", [
    ("udp", "[fe80::1]:5061", False), ("tcp", "[fe80::1]:5061", False), ("udp", "fe80::2", False),
    ("tcp", "[febf::1]:5061", False),  # the last of fe80::/10
    ("udp", "[ff02::1]:5061", False), ("udp", "[ff12::1]:5061", False), ("udp", "[ff01::1]:5061", False),
    ("udp", "[ff05::1]:5061", True), ("udp", "[ff0e::1]:5061", True),  # wider scopes: UDP joins them
    ("tcp", "[ff05::1]:5061", False), ("tcp", "[ff0e::1]:5061", False),
    ("udp", "[fe80::1%lo]:5061", True), ("tcp", "[fe80::1%lo]:5061", True),
    ("tls", "[fe80::1]:5061", True),  # the TLS listener swallows the error
    ("udp", "[fec0::1]:5061", True), ("udp", "224.0.0.1:5061", True), ("tcp", "224.0.0.1:5061", True),
])
def test_ipv6_binds_linux_refuses_on_any_machine(tmp_path: Path, protocol: str, bind: str, starts: bool) -> None:
    assert _started(tmp_path, (protocol, bind)) == (["t0"] if starts else [])
    if not starts:
        (rejection,) = build_snapshot(str(tmp_path)).rejected
        assert rejection.message == "res_pjsip/config_transport.c: Transport 't0' could not be started: Invalid argument"


def test_a_scoped_bind_prints_without_its_interface(tmp_path: Path) -> None:
    _started(tmp_path, ("udp", "[fe80::1%lo]:5061"))
    assert build_snapshot(str(tmp_path)).get("transport", "t0").value("bind") == "[fe80::1]:5061"

@pytest.mark.parametrize("bind", ["[127.0.0.1]:5060", "[localhost]:5060"])
def test_brackets_around_an_ipv4_address_or_a_name_are_refused(tmp_path: Path, bind: str) -> None:
    # One colon: pj_sockaddr_parse reads IPv4 `host:port`, and getaddrinfo knows no "[127.0.0.1]".
    assert _started(tmp_path, ("udp", bind)) == []
    (rejection,) = build_snapshot(str(tmp_path)).rejected
    assert rejection.message.startswith(f"Error parsing bind={bind} at line 4")


@pytest.mark.parametrize("tls_bind", ["127.0.0.1:5061", "[::ffff:127.0.0.1]:5062"])
def test_a_tls_listener_that_cannot_bind_still_loads_and_holds_nothing(tmp_path: Path, tls_bind: str) -> None:
    # pjsip_tls_transport_lis_start replaces the bind error by update_factory_addr's success.
    assert _started(tmp_path, ("tcp", "127.0.0.1:5061"), ("tls", tls_bind), ("udp", "127.0.0.1:5061")) == ["t0", "t1", "t2"]
    assert not build_snapshot(str(tmp_path)).rejected
    # It holds no socket: had it bound 0.0.0.0:5061, the last transport could not start.
    assert _started(tmp_path, ("tcp", "127.0.0.1:5061"), ("tls", "0.0.0.0:5061"), ("tcp", "127.0.0.2:5061")) == ["t0", "t1", "t2"]
