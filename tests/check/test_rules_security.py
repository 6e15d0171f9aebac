"""S4xx: the security audit."""

from __future__ import annotations

from tests.check.helpers import built_snapshot, findings_of

TRANSPORT = "[udp]\ntype=transport\nbind=127.0.0.1:5060\n"


def _auth(name: str, username: str, password: str | None) -> str:
    line = f"password={password}\n" if password is not None else ""
    return f"[{name}]\ntype=auth\nusername={username}\n{line}"


def test_weak_passwords() -> None:
    snapshot = built_snapshot(
        _auth("same", "6001", "6001")
        + _auth("short", "6002", "abc123")
        + _auth("fine", "6003", "a-long-random-secret")
        + _auth("digest", "6004", "") + "password_digest=MD5:5f4dcc3b5aa765d61d8327deb882cf99\n"
    )
    assert [f.object_id for f in findings_of(snapshot, "S402")] == ["same"]
    assert [f.object_id for f in findings_of(snapshot, "S403")] == ["short"]
    assert [f.object_id for f in findings_of(snapshot, "S403", min_password_length=25)] == ["short", "fine"]


def test_an_empty_password_is_a_load_error_not_a_warning() -> None:
    snapshot = built_snapshot(_auth("open", "6001", ""))
    (finding,) = findings_of(snapshot, "L107")
    assert finding.object_id == "open" and "No plain text or digest password" in finding.message
    assert findings_of(snapshot, "S") == []


def test_endpoints_without_auth_or_identify() -> None:
    snapshot = built_snapshot(
        TRANSPORT
        + _auth("a1", "6001", "a-long-random-secret")
        + "[6001]\ntype=endpoint\nauth=a1\n[trunk]\ntype=endpoint\nidentify_by=ip\n"
        + "[trunk]\ntype=identify\nendpoint=trunk\nmatch=192.0.2.1\n"
        + "[carrier]\ntype=endpoint\n[carrier]\ntype=identify\nendpoint=carrier\nmatch=192.0.2.2\n"
        + "[byip]\ntype=endpoint\nidentify_by=ip\n[open]\ntype=endpoint\n[anonymous]\ntype=endpoint\n"
    )
    findings = findings_of(snapshot, "S404")
    # carrier: its identify does not stop the username identifier (identify_by=username,ip)
    assert [f.object_id for f in findings] == ["carrier", "byip", "open", "anonymous"]
    assert "identified by username" in findings[0].message and "no identify matches it" in findings[1].message
    assert "every request no other endpoint matches" in findings[3].message


def test_without_the_username_identifier_an_identify_protects() -> None:
    snapshot = built_snapshot(
        TRANSPORT + "[global]\ntype=global\nendpoint_identifier_order=ip,anonymous\n"
        "[carrier]\ntype=endpoint\n[carrier]\ntype=identify\nendpoint=carrier\nmatch=192.0.2.2\n"
    )
    assert findings_of(snapshot, "S404") == []


def test_transports_on_all_addresses_with_open_endpoints() -> None:
    snapshot = built_snapshot(
        "[any]\ntype=transport\nbind=0.0.0.0:5060\n[v6]\ntype=transport\nbind=[::]:5060\n"
        "[lan]\ntype=transport\nbind=192.0.2.5\n"
        "[open]\ntype=endpoint\ntransport=v6\n[free]\ntype=endpoint\n"
    )
    findings = findings_of(snapshot, "S405")
    assert [(f.object_id, f.line) for f in findings] == [("any", 3), ("v6", 6)]
    assert "free" in findings[0].message and "open" not in findings[0].message
    assert "free, open" in findings[1].message


def test_no_open_transport_finding_without_open_endpoints() -> None:
    snapshot = built_snapshot("[any]\ntype=transport\nbind=0.0.0.0\n" + _auth("a", "u", "a-long-random-secret")
                              + "[6001]\ntype=endpoint\nauth=a\n")
    assert findings_of(snapshot, "S405") == []


def test_deprecated_options_and_values() -> None:
    snapshot = built_snapshot(
        "[t](!)\npreferred_codec_only=yes\n[e1](t)\ntype=endpoint\n[e2](t)\ntype=endpoint\n"
        + _auth("md5", "u", None) + "auth_type=md5\nmd5_cred=5f4dcc3b5aa765d61d8327deb882cf99\n"
    )
    options = findings_of(snapshot, "S406")
    assert [(f.line, f.message.split(" is")[0]) for f in options] == [
        (2, "endpoint option 'preferred_codec_only'"), (11, "auth option 'md5_cred'"),
    ]
    assert "use incoming_call_offer_pref instead" in options[0].message
    (value,) = findings_of(snapshot, "S407")
    assert value.line == 10 and "auth_type=digest" in value.message


def test_exec_directives() -> None:
    (finding,) = findings_of(built_snapshot(TRANSPORT + "#exec /usr/local/bin/gen.sh\n"), "S408")
    assert finding.line == 4 and "/usr/local/bin/gen.sh" in finding.message
