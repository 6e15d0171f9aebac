"""R3xx: references between objects."""

from __future__ import annotations

from tests.check.helpers import built_snapshot, findings_of

BASE = (
    "[udp]\ntype=transport\nbind=127.0.0.1:5060\n"
    "[6001]\ntype=aor\n"
    "[6001-auth]\ntype=auth\nusername=6001\npassword=correct-horse-battery\n"
)


def test_dangling_references_of_every_kind_are_reported_at_their_line() -> None:
    snapshot = built_snapshot(
        BASE
        + "[6001]\ntype=endpoint\naors=6001, 6099\nauth=6001-auth\noutbound_auth=nope\ntransport=tcp\n"
        + "[id]\ntype=identify\nendpoint=ghost\nmatch=192.0.2.1\n"
        + "[reg]\ntype=registration\nserver_uri=sip:p@192.0.2.9\nclient_uri=sip:me@192.0.2.9\n"
        + "outbound_auth=gone\ntransport=udp\nline=yes\nendpoint=ghost2\n"
    )
    found = [(f.object_type, f.object_id, f.line, f.message.split(":")[0]) for f in findings_of(snapshot, "R301")]
    assert found == [
        ("endpoint", "6001", 12, "endpoint '6001' aors=6099"),
        ("endpoint", "6001", 14, "endpoint '6001' outbound_auth=nope"),
        ("endpoint", "6001", 15, "endpoint '6001' transport=tcp"),
        ("identify", "id", 18, "identify 'id' endpoint=ghost"),
        ("registration", "reg", 24, "registration 'reg' outbound_auth=gone"),
        ("registration", "reg", 27, "registration 'reg' endpoint=ghost2"),
    ]


def test_a_reference_to_a_refused_object_says_so() -> None:
    snapshot = built_snapshot(BASE + "[bad]\ntype=aor\nqualify=yes\n[6001]\ntype=endpoint\naors=bad\nauth=6001-auth\n")
    (finding,) = findings_of(snapshot, "R301")
    assert "aor 'bad' is not loaded (see its error)" in finding.message


def test_aors_and_auths_no_endpoint_uses_are_advice() -> None:
    snapshot = built_snapshot(
        BASE
        + "[spare]\ntype=aor\n[out]\ntype=auth\nusername=o\npassword=long-enough-secret\n"
        + "[reg]\ntype=registration\nserver_uri=sip:p@192.0.2.9\nclient_uri=sip:me@192.0.2.9\noutbound_auth=out\n"
        + "[6001]\ntype=endpoint\naors=6001\nauth=6001-auth\n"
    )
    findings = findings_of(snapshot, "R302")
    assert [(f.object_type, f.object_id, f.severity) for f in findings] == [("aor", "spare", "info")]


def test_objects_named_by_a_refused_endpoint_are_not_unused() -> None:
    snapshot = built_snapshot(BASE + "[6001]\ntype=endpoint\naors=6001\nauth=6001-auth\ndtmf_mode=carrier\n")
    assert snapshot.get("endpoint", "6001") is None
    assert findings_of(snapshot, "R302") == []


def test_tls_transports_without_certificate_or_key() -> None:
    text = (
        "[tls]\ntype=transport\nprotocol=tls\nbind=127.0.0.1:5061\n"
        "[udp]\ntype=transport\nbind=127.0.0.1:5060\n"
    )
    (finding,) = findings_of(built_snapshot(text), "R303")
    assert (finding.object_id, finding.line) == ("tls", 3)
    assert "no cert_file and no priv_key_file" in finding.message


def test_tls_files_that_do_not_exist_are_load_errors(tmp_path) -> None:
    snapshot = built_snapshot(
        "[tls]\ntype=transport\nprotocol=tls\nbind=127.0.0.1:5061\n"
        f"cert_file={tmp_path}/missing.pem\npriv_key_file={tmp_path}/missing.key\n"
    )
    assert findings_of(snapshot, "R303") == []
    findings = findings_of(snapshot, "L106")
    assert [f.line for f in findings] == [5, 6]  # both files, not only the first Asterisk names
    assert "missing.pem" in findings[0].message


FAMILIES = """\
[t6]
type=transport
protocol=udp
bind=[::]:5090
[t4]
type=transport
protocol=udp
bind=127.0.0.1:5092
[a]
type=aor
contact=sip:a@192.0.2.7:5060, sip:a@[2001:db8::7]
[b]
type=aor
contact=sip:b@pbx.example.com
[six]
type=endpoint
transport=t6
aors=a,b
[four]
type=endpoint
transport=t4
aors=a
[any]
type=endpoint
aors=a
"""


def test_a_contact_of_the_other_family_than_the_endpoints_transport_is_unreachable() -> None:
    """As Asterisk 22.10.1 showed: qualify fails with 'Network is unreachable' / 'Address family
    not supported by protocol'; a name, or no transport= (Asterisk picks one), is not reported."""
    findings = findings_of(built_snapshot(FAMILIES), "R304")
    assert [(f.line, f.object_id) for f in findings] == [(11, "a"), (11, "a")]
    assert "sip:a@192.0.2.7:5060 is IPv4, but endpoint 'six'" in findings[0].message + findings[1].message
    assert "sip:a@[2001:db8::7] is IPv6, but endpoint 'four'" in findings[0].message + findings[1].message


def test_mailboxes_without_aors_cannot_get_mwi() -> None:
    snapshot = built_snapshot("[a]\ntype=endpoint\nmailboxes=100@default\n[b]\ntype=endpoint\nmailboxes=1\naors=b\n[b]\ntype=aor\n")
    (finding,) = findings_of(snapshot, "R305")
    assert (finding.line, finding.object_id) == (3, "a")
    assert "Unable to send unsolicited MWI to a because the endpoint has no configured AORs" in finding.message
