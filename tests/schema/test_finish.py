"""Per-type apply handlers: refusals with Asterisk's messages, forced values, warnings."""

from __future__ import annotations

import pytest

from pjsipconf.schema import FinishContext
from pjsipconf.schema.startup import system_taskpool_logs
from tests.schema.helpers import SCHEMA, build, finish, rendered


def test_endpoint_session_timer_checks() -> None:
    result, _ = finish("endpoint", ("timers_min_se", "89"))
    assert result.errors == ("res_pjsip/pjsip_configuration.c: Session timer minimum expires time must be 90 or greater on endpoint 'obj'",)
    result, _ = finish("endpoint", ("timers_min_se", "120"), ("timers_sess_expires", "100"))
    assert result.refused and "Session timer expires must be greater" in result.errors[0]


def test_endpoint_rtp_port_rules() -> None:
    assert "must be set together" in finish("endpoint", ("rtp_port_start", "10000"))[0].errors[0]
    assert "at least 1024" in finish("endpoint", ("rtp_port_start", "100"), ("rtp_port_end", "2000"))[0].errors[0]
    assert "must be greater than rtp_port_start (20000)" in finish("endpoint", ("rtp_port_start", "20000"), ("rtp_port_end", "20000"))[0].errors[0]
    assert not finish("endpoint", ("rtp_port_start", "10000"), ("rtp_port_end", "20000"))[0].refused


def test_endpoint_sdp_session_and_owner_forced_to_dash() -> None:
    result, state = finish("endpoint", ("sdp_session", "  "), ("sdp_owner", "two words"))
    assert not result.refused
    out = dict(SCHEMA.types["endpoint"].render(state))
    assert (out["sdp_session"], out["sdp_owner"]) == ("-", "-")
    assert set(result.adjusted) == {"sdp_session", "sdp_owner"}
    assert len(result.warnings) == 2
    assert not finish("endpoint", ("sdp_owner", "root"))[0].warnings


def test_preferred_codec_only() -> None:
    result, state = finish("endpoint", ("preferred_codec_only", "yes"))
    assert dict(SCHEMA.types["endpoint"].render(state))["incoming_call_offer_pref"] == "local_first"
    result, _ = finish("endpoint", ("preferred_codec_only", "yes"), ("incoming_call_offer_pref", "remote"))
    assert "Setting both preferred_codec_only and incoming_call_offer_pref" in result.errors[0]


def test_bundle_forces_rtcp_mux() -> None:
    assert rendered("endpoint", ("bundle", "yes"), finish=True)["rtcp_mux"] == "true"


def test_webrtc_forces_its_settings() -> None:
    out = rendered("endpoint", ("webrtc", "yes"), finish=True)
    forced = {name: out[name] for name in ("bundle", "rtcp_mux", "use_avpf", "ice_support", "media_use_received_transport",
                                           "media_encryption", "dtls_setup", "dtls_verify", "dtls_rekey", "dtls_auto_generate_cert")}
    assert forced == {"bundle": "true", "rtcp_mux": "true", "use_avpf": "true", "ice_support": "true",
                      "media_use_received_transport": "true", "media_encryption": "dtls", "dtls_setup": "actpass",
                      "dtls_verify": "Fingerprint", "dtls_rekey": "0", "dtls_auto_generate_cert": "Yes"}
    result, _ = finish("endpoint", ("webrtc", "yes"), ("dtls_rekey", "5"))
    assert result.adjusted["dtls_rekey"].startswith("forced by webrtc=yes")
    assert "DTLS renegotiation is not supported with WebRTC" in result.warnings[0]


def test_auto_generated_cert_conflicts_with_cert_file(tmp_path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    result, _ = finish("endpoint", ("dtls_auto_generate_cert", "yes"), ("dtls_cert_file", str(cert)))
    assert result.refused and "dtls_auto_generate_cert" in result.errors[0]


def test_geoloc_profiles_must_exist() -> None:
    result, _ = finish("endpoint", ("geoloc_incoming_call_profile", "p1"))
    assert result.errors == ("res_pjsip/pjsip_configuration.c: geoloc_incoming_call_profile 'p1' on endpoint 'obj' doesn't exist",)
    ok = FinishContext(geoloc_profiles=frozenset({"p1"}))
    assert not finish("endpoint", ("geoloc_incoming_call_profile", "p1"), context=ok)[0].refused


def test_auth_checks() -> None:
    assert finish("auth", ("password", "x"))[0].errors == ("res_pjsip/config_auth.c: obj: No authentication username",)
    result, _ = finish("auth", ("username", "u"))
    assert result.errors == (
        "res_pjsip/config_auth.c: obj: No plain text or digest password found for algorithm MD5 in supported_algorithms_uas",
        "res_pjsip/config_auth.c: obj: No plain text or digest password found for algorithm MD5 in supported_algorithms_uac",
    )
    assert not finish("auth", ("username", "u"), ("md5_cred", "0" * 32))[0].refused
    result, _ = finish("auth", ("username", "u"), ("md5_cred", "0" * 32), ("supported_algorithms_uas", "sha-256"))
    assert result.refused and "algorithm SHA-256 in supported_algorithms_uas" in result.errors[0]
    result, _ = finish("auth", ("username", "u"), ("auth_type", "google_oauth"), ("refresh_token", "t"))
    assert "'google_oauth' authentication specified" in result.errors[0]


def test_auth_algorithms_filled_from_global_defaults() -> None:
    context = FinishContext(default_auth_algorithms_uas="SHA-256,MD5")
    result, state = finish("auth", ("username", "u"), ("password", "p"), context=context)
    out = dict(SCHEMA.types["auth"].render(state))
    assert (out["supported_algorithms_uas"], out["supported_algorithms_uac"]) == ("SHA-256,MD5", "MD5")


def test_transport_checks() -> None:
    result, _ = finish("transport", ("protocol", "udp"))
    assert result.errors == ("res_pjsip/config_transport.c: Transport 'obj' could not be started as binding not specified",)
    for protocol, port in (("udp", "5060"), ("tls", "5061")):
        _result, state = finish("transport", ("protocol", protocol), ("bind", "0.0.0.0"))
        assert dict(SCHEMA.types["transport"].render(state))["bind"] == f"0.0.0.0:{port}"
    result, state = finish("transport", ("bind", "127.0.0.1:5060"), ("async_operations", "4"))
    assert state["async_operations"] == 1 and "can no longer be set" in result.warnings[0]


def test_identify_checks() -> None:
    assert finish("identify", ("match", "10.0.0.1"))[0].errors == (
        "res_pjsip_endpoint_identifier_ip.c: Identify 'obj' missing required endpoint name.",)
    assert "not configured to match anything" in finish("identify", ("endpoint", "e"))[0].errors[0]
    assert "missing ':' separator" in finish("identify", ("endpoint", "e"), ("match_header", "X-Trunk"))[0].errors[0]
    assert not finish("identify", ("endpoint", "e"), ("match_request_uri", "sip:a@b"))[0].refused


@pytest.mark.parametrize("pattern, compiles", [
    ("/^sip:trunk@/", True),
    ("/a**/", True),  # POSIX ERE (glibc) takes what Python's re refuses
    ("/[[:digit:]]+/", True),
    ("/(?i)trunk/", False),  # and refuses Python's inline flags
    ("/(trunk/", False),
])
def test_identify_regexes_are_posix(pattern: str, compiles: bool) -> None:
    by_uri = finish("identify", ("endpoint", "e"), ("match_request_uri", pattern))[0]
    by_header = finish("identify", ("endpoint", "e"), ("match_header", f"X-Trunk: {pattern}"))[0]
    assert by_uri.refused == (not compiles)
    assert by_header.refused == (not compiles)


def test_identify_hosts_resolved_through_the_context() -> None:
    context = FinishContext(resolve_host=lambda host: ("192.0.2.7",) if host == "pbx.example.com" else ())
    result, state = finish("identify", ("endpoint", "e"), ("match", "pbx.example.com"), context=context)
    assert dict(SCHEMA.types["identify"].render(state))["match"] == "192.0.2.7/255.255.255.255"
    result, _ = finish("identify", ("endpoint", "e"), ("match", "nowhere.invalid"), context=context)
    assert "failed when adding resolution results of 'nowhere.invalid'" in result.errors[0]


def test_identify_resolved_addresses_already_matched_are_skipped() -> None:
    # ip_identify_match_host_lookup skips an address ast_apply_ha already denies (a match rule
    # covers it, port included); a name that adds nothing is only a warning. Names are resolved
    # in hash-container order: c.example (bucket 15), a.example (25), b.example (32).
    addresses = {"a.example": ("10.1.2.3", "192.0.2.9"), "b.example": ("10.9.9.9",), "c.example": ("192.0.2.1",)}
    context = FinishContext(resolve_host=lambda host: addresses[host])
    lines = (("endpoint", "e"), ("match", "10.0.0.0/8, 192.0.2.1:5070"), ("match", "a.example,b.example,c.example"))
    result, state = finish("identify", *lines, context=context)
    assert [text for name, text in SCHEMA.types["identify"].render(state) if name == "match"] == [
        "10.0.0.0/255.0.0.0", "192.0.2.1:5070/255.255.255.255", "192.0.2.1/255.255.255.255", "192.0.2.9/255.255.255.255"]
    assert not result.refused
    assert result.warnings == ("res_pjsip_endpoint_identifier_ip.c: Identify 'obj' provided address 'b.example' "
                               "did not resolve to any address",)


def test_registration_checks() -> None:
    base = (("server_uri", "sip:127.0.0.1:5090"),)
    assert finish("registration", *base)[0].errors == (
        "res_pjsip_outbound_registration.c: No client URI specified on outbound registration 'obj'",)
    both = base + (("client_uri", "sip:me@127.0.0.1"),)
    assert "without providing an endpoint" in finish("registration", *both, ("line", "yes"))[0].errors[0]
    assert "without enabling line support" in finish("registration", *both, ("endpoint", "e"))[0].errors[0]
    silent = finish("registration", *both, context=FinishContext(any_transport=False))[0]
    assert silent.refused and silent.errors == ()
    assert not finish("registration", *both)[0].refused
    zero = finish("registration", *both, ("expiration", "0"))[0]  # pjsip_regc_init asserts expires != 0
    assert zero.refused and zero.errors == ()


def test_registration_uris_within_bundled_pjproject_limits() -> None:
    # PJ_MAX_HOSTNAME is 256 in Asterisk's bundled pjproject: a 200-byte host is fine, 246 without a port is not.
    client = ("client_uri", "sip:me@127.0.0.1")
    assert not finish("registration", ("server_uri", "sip:" + "h" * 200), client)[0].refused
    result, _ = finish("registration", ("server_uri", "sip:" + "h" * 246), client)
    assert result.errors == ("res_pjsip_outbound_registration.c: Server URI or hostname length exceeds pjproject limit "
                             "or is not a sip(s) uri: 'obj'",)


@pytest.mark.parametrize(
    ("lines", "logged"),
    [  # each as Asterisk 22.10.1 logged it at startup
        ((("taskpool_minimum_size", "10"), ("taskpool_max_size", "5")), [
            "Taskpool 'pjsip' has an initial size of 4, which is less than the minimum size of 10. Adjusting to 10.",
            "Taskpool 'pjsip' has a max size of 5, which is less than the initial size of 10. Adjusting to 10."]),
        ((("taskpool_auto_increment", "0"), ("taskpool_minimum_size", "0"), ("taskpool_max_size", "0")), [
            "Taskpool 'pjsip' has a minimum size of 0, which is not valid without auto increment. Adjusting to 1.",
            "Taskpool 'pjsip' has a max size of 0, which is not valid without auto increment. Adjusting to 1."]),
        ((("taskpool_auto_increment", "0"), ("taskpool_minimum_size", "3"), ("taskpool_max_size", "7"),
          ("taskpool_initial_size", "2")), [
            "Taskpool 'pjsip' has an initial size of 2, which is less than the minimum size of 3. Adjusting to 3.",
            "Taskpool 'pjsip' has a minimum size of 3, while max size is 7. Adjusting all sizes to 7 due to lack of auto "
            "increment."]),
        ((("threadpool_max_size", "4294967295"),), [  # a C int: -1
            "Taskpool 'pjsip' has a max size of -1, which is less than the initial size of 4. Adjusting to 4."]),
        ((), []),
    ],
)
def test_system_taskpool_sizes_asterisk_adjusts(lines: tuple[tuple[str, str], ...], logged: list[str]) -> None:
    state = build("system", *lines)
    logs = system_taskpool_logs(lambda name: SCHEMA.types["system"].value(state, name))
    assert [str(log) for log in logs] == [f"taskpool.c: {message}" for message in logged]
    assert all(state[name] == int(value) for name, value in lines if name.startswith("taskpool"))  # shown as set


@pytest.mark.parametrize(
    ("lines", "logged"),
    [  # as Asterisk 22.10.1 logged them at startup (res_pjsip_mwi's serializer pool)
        ((("mwi_tps_queue_high", "0"),), ["Invalid 'pjsip/mwi-*' taskprocessor high water alert trigger level '0'"]),
        ((("mwi_tps_queue_low", "-5"),), ["Invalid 'pjsip/mwi-*' taskprocessor low water clear alert level '-5'"]),
        ((("mwi_tps_queue_high", "10"), ("mwi_tps_queue_low", "20")),
         ["Invalid 'pjsip/mwi-*' taskprocessor low water clear alert level '20'"]),
        ((("mwi_tps_queue_low", "-1"),), []),
    ],
)
def test_global_mwi_alert_levels_asterisk_replaces(lines: tuple[tuple[str, str], ...], logged: list[str]) -> None:
    result, _state = finish("global", *lines)
    assert result.warnings == tuple(f"serializer.c: {message}" for message in logged)


def test_global_unknown_default_algorithms_are_named() -> None:
    result, state = finish("global", ("default_auth_algorithms_uac", "bogus"))
    assert result.warnings == ("res_pjsip/config_auth.c: global: Unknown UAC digest algorithm 'bogus' specified",
                               "res_pjsip/config_global.c: global: Invalid values in default_auth_algorithms_uac. "
                               "Defaulting to MD5")
    assert state["default_auth_algorithms_uac"] == "MD5"


@pytest.mark.parametrize(
    ("debug", "logged"),
    [
        ("-", ['netsock2.c: getaddrinfo("-", "(null)", ...): Name or service not known',  # as Asterisk 22.10.1
               "res_pjsip_logger.c: Could not resolve host - for debug logging"]),
        ("pbx.example.com", []), ("10.0.0.0/8", []), ("192.0.2.1:5060", []), ("yes", []), ("off", []),
    ],
)
def test_global_debug_host_is_resolved(debug: str, logged: list[str]) -> None:
    context = FinishContext(resolve_host=lambda host: ("192.0.2.7",) if host == "pbx.example.com" else ())
    result, _state = finish("global", ("debug", debug), context=context)
    assert list(result.warnings) == logged


def test_system_timer_b_raised_and_logged_twice() -> None:
    result, state = finish("system", ("timer_t1", "600"))
    assert state["timer_b"] == 38400
    assert result.warnings == ("res_pjsip/config_system.c: Timer B setting is too low. Setting to 38400",) * 2


def test_global_checks() -> None:
    assert "'debug' can't be empty" in finish("global", ("debug", ""))[0].errors[0]
    result, state = finish("global", ("default_auth_algorithms_uas", "md5,sha-1"))
    assert state["default_auth_algorithms_uas"] == "MD5"
    assert "global: Invalid values in default_auth_algorithms_uas. Defaulting to MD5" in result.warnings[-1]


def test_small_types() -> None:
    assert finish("domain_alias")[0].errors == (
        "res_pjsip/config_domain_aliases.c: domain_alias 'obj' missing required domain being aliased.",)
    assert "has no event set" in finish("resource_list", ("list_item", "a"))[0].errors[0]
    assert "has no list items" in finish("resource_list", ("event", "presence"))[0].errors[0]
    result, _ = finish("phoneprov", ("MAC", "00"), ("endpoint", "e"))
    assert not result.refused and result.warnings == ("res_pjsip_phoneprov_provider.c: phoneprov obj must contain a PROFILE entry.",)
    result, _ = finish("outbound-publish", ("server_uri", "sip:p@127.0.0.1"), ("event", "presence"))
    assert not result.refused and len(result.warnings) == 4
    assert not finish("outbound-publish", ("server_uri", "sip:p@127.0.0.1"), ("event", "presence"),
                      ("@body", "application/pidf+xml"))[0].warnings
