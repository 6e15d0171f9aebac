"""Enums, callerid, tos, dtls, codec preferences (golden README 8 and 10)."""

from __future__ import annotations

import pytest

from pjsipconf.schema import ApplyContext, InvalidValue
from tests.schema.helpers import build, rendered, value


def test_case_insensitive_enums() -> None:
    assert value("endpoint", "dtmf_mode", ("dtmf_mode", "RFC4733")) == "rfc4733"
    assert value("endpoint", "timers", ("timers", "ALWAYS")) == "always"
    assert value("transport", "protocol", ("protocol", "TCP")) == "tcp"


@pytest.mark.parametrize("option,text", [
    ("t38_udptl_ec", "FEC"), ("incoming_call_offer_pref", "Local"), ("outgoing_call_offer_pref", "REMOTE"),
])
def test_case_sensitive_enums_reject_other_case(option: str, text: str) -> None:
    with pytest.raises(InvalidValue) as info:
        build("endpoint", (option, text))
    assert info.value.valid


def test_merge_preferences_only_for_outgoing() -> None:
    assert value("endpoint", "outgoing_call_offer_pref", ("outgoing_call_offer_pref", "local_merge")) == "local_merge"
    for text in ("local_merge", "remote_merge"):
        with pytest.raises(InvalidValue):
            build("endpoint", ("incoming_call_offer_pref", text))


def test_aliases_render_canonically() -> None:
    assert value("endpoint", "timers", ("timers", "forced")) == "always"
    assert value("endpoint", "connected_line_method", ("connected_line_method", "reinvite")) == "invite"


def test_direct_media_method_prints_connected_line_method_asterisk_bug() -> None:
    out = rendered("endpoint", ("direct_media_method", "reinvite"), ("connected_line_method", "update"))
    assert out["direct_media_method"] == "update"
    assert rendered("endpoint", ("direct_media_method", "update"))["direct_media_method"] == "invite"


def test_prack_and_timers_accept_bool_words() -> None:
    assert value("endpoint", "100rel", ("100rel", "off")) == "no"
    assert value("endpoint", "100rel", ("100rel", "Peer_Supported")) == "peer_supported"
    assert value("endpoint", "timers", ("timers", "0")) == "no"
    with pytest.raises(InvalidValue):
        build("endpoint", ("100rel", "sometimes"))


def test_enum_error_logs_what_asterisk_logs() -> None:
    with pytest.raises(InvalidValue) as info:
        build("endpoint", ("redirect_method", "bogus"), ctx=ApplyContext(object_id="e9"))
    assert str(info.value.logged[0]) == "res_pjsip/pjsip_configuration.c: Unrecognized redirect method bogus specified for endpoint e9"
    with pytest.raises(InvalidValue) as info:
        build("auth", ("auth_type", "plaintext"))
    assert info.value.logged[0].message == "Unknown authentication storage type 'plaintext' specified for auth_type"


def test_callerid_privacy_names_and_numbers() -> None:
    assert value("endpoint", "callerid_privacy", ("callerid_privacy", "PROHIB")) == "prohib"
    assert value("endpoint", "callerid_privacy", ("callerid_privacy", "32")) == "prohib_not_screened"
    assert value("endpoint", "callerid_privacy", ("callerid_privacy", "unavailable")) == "unavailable"
    assert value("endpoint", "callerid_privacy", ("callerid_privacy", "99")) == "unknown"
    with pytest.raises(InvalidValue):
        build("endpoint", ("callerid_privacy", "secret"))


@pytest.mark.parametrize("text,expected", [
    ('"Alice ; Smith" <100>', '"Alice ; Smith" <100>'),
    ("Bob <200>", '"Bob" <200>'),
    ('"Desk 100" <100>', '"Desk 100" <100>'),
    ("555-1234", "5551234"),
    ("Just A Name", "Just A Name"),
    ("", "<unknown>"),
    ('"Unterminated <100', '"\\"Unterminated" <100>'),
    ('"Quoted 123"', "Quoted 123"),
    ("<300>", "300"),
])
def test_callerid_split_and_merge(text: str, expected: str) -> None:
    assert value("endpoint", "callerid", ("callerid", text)) == expected


@pytest.mark.parametrize("text,expected", [("ef", "184"), ("EF", "184"), ("af41", "136"), ("0x10", "16"), ("184", "184"), ("300", "44")])
def test_endpoint_tos(text: str, expected: str) -> None:
    assert value("endpoint", "tos_audio", ("tos_audio", text)) == expected


def test_endpoint_tos_error_logs() -> None:
    with pytest.raises(InvalidValue) as info:
        build("endpoint", ("tos_audio", "fancy"), ctx=ApplyContext(object_id="x-bad-tos"))
    assert info.value.logged[0].message == "Error configuring endpoint 'x-bad-tos' - Could not interpret 'tos_audio' value 'fancy'"


def test_transport_tos_drops_low_bits_with_warning() -> None:
    ctx = ApplyContext(object_id="t")
    state = build("transport", ("tos", "5"), ctx=ctx)
    assert state["tos"] == 4
    assert "Using equivalent 4 instead" in ctx.warnings[0].message


def test_dtls_renderings() -> None:
    out = rendered("endpoint", ("dtls_verify", "fingerprint"), ("dtls_setup", "actpass"), ("dtls_fingerprint", "sha-1"),
                   ("dtls_auto_generate_cert", "yes"))
    assert (out["dtls_verify"], out["dtls_setup"], out["dtls_fingerprint"], out["dtls_auto_generate_cert"]) == (
        "Fingerprint", "actpass", "SHA-1", "Yes")
    fresh = rendered("endpoint")
    assert (fresh["dtls_verify"], fresh["dtls_setup"], fresh["dtls_fingerprint"]) == ("No", "active", "SHA-256")


def test_dtls_setup_ignores_unknown_words_but_verify_rejects_them() -> None:
    assert value("endpoint", "dtls_setup", ("dtls_setup", "passive"), ("dtls_setup", "bogus")) == "passive"
    with pytest.raises(InvalidValue):
        build("endpoint", ("dtls_verify", "sometimes"))


def test_dtls_files_must_be_readable() -> None:
    ctx = ApplyContext(object_id="e", file_readable=lambda path: path == "/ok.pem")
    assert build("endpoint", ("dtls_cert_file", "/ok.pem"), ctx=ctx)["dtls_cert_file"] == "/ok.pem"
    with pytest.raises(InvalidValue) as info:
        build("endpoint", ("dtls_cert_file", "/missing.pem"), ctx=ctx)
    assert info.value.logged[0].message == "dtlscertfile file /missing.pem does not exist or is not readable"


def test_codec_prefs() -> None:
    assert value("endpoint", "codec_prefs_outgoing_offer", ("codec_prefs_outgoing_offer", "prefer: configured, keep: first")) == (
        "prefer:configured, operation:union, keep:first, transcode:allow")
    with pytest.raises(InvalidValue) as info:
        build("endpoint", ("codec_prefs_incoming_offer", "operation: union"), ctx=ApplyContext(object_id="e"))
    assert info.value.logged[0].message == (
        "Endpoint 'e': Codec preference 'operation' has invalid value 'union' for option: 'codec_prefs_incoming_offer'")
    with pytest.raises(InvalidValue) as info:
        build("endpoint", ("codec_prefs_incoming_answer", "prefer: sometimes"), ctx=ApplyContext(object_id="e"))
    assert info.value.logged[0].message == (
        "Endpoint 'e': Codec preference 'prefer' has invalid value 'sometimes' for option 'codec_prefs_incoming_answer'")
    with pytest.raises(InvalidValue):
        build("endpoint", ("codec_prefs_incoming_answer", "prefer"))
    # unknown names are ignored; a later bad value for an already set preference is too (C macro quirk)
    assert value("endpoint", "codec_prefs_incoming_answer", ("codec_prefs_incoming_answer", "colour: blue, keep: first")) == (
        "prefer:pending, operation:intersect, keep:first, transcode:allow")
    assert value("endpoint", "codec_prefs_incoming_answer", ("codec_prefs_incoming_answer", "keep: first, keep: bogus")) == (
        "prefer:pending, operation:intersect, keep:first, transcode:allow")
    assert value("endpoint", "codec_prefs_incoming_answer", ("codec_prefs_incoming_answer", "")) == (
        "prefer:pending, operation:intersect, keep:all, transcode:allow")


def test_media_encryption_and_security_negotiation() -> None:
    assert value("endpoint", "media_encryption", ("media_encryption", "SDES")) == "sdes"
    with pytest.raises(InvalidValue):
        build("endpoint", ("media_encryption", "zrtp"))
    assert value("registration", "security_negotiation", ("security_negotiation", "mediasec")) == "mediasec"


@pytest.mark.parametrize("lines,printed", [
    ((), "unspecified"),  # pjsip_tls_setting_default leaves 0; the registered default "" is not applied
    ((("method", "tlsv1_2"),), "tlsv1_2"),
    ((("method", "tlsv1_2"), ("method", "")), "tlsv1"),  # "" and default: PJSIP_SSL_DEFAULT_METHOD = TLSv1
    ((("method", "DEFAULT"),), "tlsv1"),
    ((("method", "Unspecified"),), "unspecified"),
])
def test_tls_method(lines: tuple[tuple[str, str], ...], printed: str) -> None:
    assert value("transport", "method", *lines) == printed


@pytest.mark.parametrize("text, printed", [("prefer:", "prefer"), (" prefer", " prefer"), (":", ":")])
def test_codec_prefs_name_a_lone_token_as_strtok_left_it(text: str, printed: str) -> None:
    with pytest.raises(InvalidValue) as info:
        build("endpoint", ("codec_prefs_outgoing_offer", text), ctx=ApplyContext(object_id="e"))
    assert info.value.logged[0].message == (
        f"Endpoint 'e': Codec preference '{printed}' is invalid for option 'codec_prefs_outgoing_offer'")
