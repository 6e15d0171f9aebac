"""Codec lists, groups, set_var, auth lists, contacts, digests, ACLs and address lists."""

from __future__ import annotations

import hashlib

import pytest

from pjsipconf.schema import ApplyContext, InvalidValue
from tests.schema.helpers import SCHEMA, build, rendered, value

ALL = SCHEMA.types["endpoint"].option("allow").kind.formats  # type: ignore[attr-defined]


@pytest.mark.parametrize("lines,expected", [
    ((("disallow", "all"), ("allow", "ulaw"), ("allow", "alaw,gsm")), "(ulaw|alaw|gsm)"),
    ((("allow", "ulaw,alaw,g722"), ("disallow", "alaw"), ("allow", "gsm"), ("disallow", "ulaw")), "(g722|gsm)"),
    ((("allow", "!all,alaw"), ("allow", "ulaw")), "(alaw|ulaw)"),
    ((("allow", " ulaw , alaw "),), "(ulaw|alaw)"),
    ((("allow", "ulaw|alaw"),), "(ulaw|alaw)"),
    ((("allow", "ULAW:20"),), "(ulaw)"),
    ((("allow", "alaw"), ("allow", "ulaw,alaw")), "(alaw|ulaw)"),
    ((("allow", "gsm"), ("allow", "(ulaw|alaw)")), "(ulaw|alaw)"),
    ((("disallow", ""),), "(nothing)"),
    ((), "(nothing)"),
])
def test_allow_disallow_in_order(lines: tuple, expected: str) -> None:
    assert value("endpoint", "allow", *lines) == expected


def test_allow_all_is_the_core_format_list_in_its_order() -> None:
    assert value("endpoint", "allow", ("allow", "all")) == "(" + "|".join(ALL) + ")"
    assert value("endpoint", "allow", ("allow", "g722"), ("allow", "all")).startswith("(g722|codec2|g723|ulaw")
    assert "gsm" not in value("endpoint", "allow", ("allow", "all"), ("disallow", "g729,gsm"))


@pytest.mark.parametrize("text,logged", [
    ("", "Cannot allow unknown format ''"),
    ("ulaw,foobarcodec", "Cannot allow unknown format 'foobarcodec'"),
    ("ulaw:abc", "Bad packetization value for codec ulaw"),
])
def test_bad_codecs_refuse_the_object(text: str, logged: str) -> None:
    with pytest.raises(InvalidValue) as info:
        build("endpoint", ("allow", text))
    assert info.value.logged[0].message == logged


def test_call_and_pickup_groups() -> None:
    assert value("endpoint", "call_group", ("call_group", "1-3,5")) == "1, 2, 3, 5"
    assert value("endpoint", "pickup_group", ("pickup_group", "0,2,63")) == "0, 2, 63"
    assert value("endpoint", "call_group", ("call_group", "5-3")) == ""
    assert value("endpoint", "call_group", ("call_group", "1"), ("call_group", "2")) == "2"


def test_group_out_of_range_is_ignored_with_a_warning() -> None:
    ctx = ApplyContext(object_id="e")
    state = build("endpoint", ("call_group", "62-64"), ctx=ctx)
    assert SCHEMA.types["endpoint"].render(state) and state["call_group"] == 1 << 62 | 1 << 63
    assert [w.message for w in ctx.warnings] == ["Ignoring invalid group 64 (maximum group is 63)"]



def test_group_numbers_are_stored_in_a_c_int() -> None:
    # sscanf("%d") keeps the low 32 bits: Asterisk 22.10.1 printed 4294967296 as group 0 and
    # ignored 2147483648 as -2147483648.
    assert value("endpoint", "call_group", ("call_group", "4294967296")) == "0"
    ctx = ApplyContext()
    build("endpoint", ("pickup_group", "2147483648"), ctx=ctx)
    assert [w.message for w in ctx.warnings] == ["Ignoring invalid group -2147483648 (maximum group is 63)"]


def test_a_huge_group_range_is_summarized_not_walked() -> None:
    # Asterisk logs a line per number (1..1215752191 here, 99999999999 cut to an int): one says so.
    ctx = ApplyContext()
    state = build("endpoint", ("call_group", "62-99999999999"), ctx=ctx)
    assert state["call_group"] == 1 << 62 | 1 << 63
    (warning,) = ctx.warnings
    assert "62..1215752191" in warning.message and "1215752128 numbers" in warning.message

def test_named_groups_in_hash_order_and_empty_clears() -> None:
    assert value("endpoint", "named_call_group", ("named_call_group", "sales,support")) == "sales, support"
    assert value("endpoint", "named_call_group", ("named_call_group", "support,sales")) == "sales, support"
    assert value("endpoint", "named_call_group", ("named_call_group", "a"), ("named_call_group", "")) == ""


def test_set_var_one_entry_per_variable_same_name_replaced() -> None:
    out = rendered("endpoint", ("set_var", "A=1"), ("set_var", "B=two"), ("set_var", "A=3"), ("set_var", "C="))
    assert (out["A"], out["B"], out["C"]) == ("3", "two", "")
    assert "set_var" not in out
    assert rendered("endpoint")["set_var"] == ""
    with pytest.raises(InvalidValue):
        build("endpoint", ("set_var", "NOEQUALS"))


def test_auth_lists_reset_per_line_and_join_without_spaces() -> None:
    assert value("endpoint", "auth", ("auth", "x"), ("auth", "a, b,,c")) == "a,b,c"
    assert value("registration", "outbound_auth", ("outbound_auth", "a,b")) == ["a", "b"]


def test_identify_by_drops_duplicates_and_rejects_unknown() -> None:
    assert value("endpoint", "identify_by", ("identify_by", "ip, IP,username")) == "ip,username"
    with pytest.raises(InvalidValue) as info:
        build("endpoint", ("identify_by", "username,mac"), ctx=ApplyContext(object_id="l"))
    assert info.value.logged[0].message == "Unrecognized identification method mac specified for endpoint l"


def test_follow_redirect_methods() -> None:
    assert value("endpoint", "follow_redirect_methods", ("follow_redirect_methods", "MESSAGE")) == "message"
    with pytest.raises(InvalidValue):
        build("endpoint", ("follow_redirect_methods", "message,"))


def test_list_item_duplicates_warn() -> None:
    ctx = ApplyContext(object_id="rl")
    state = build("resource_list", ("list_item", "alice"), ("list_item", "bob,carol"), ("list_item", "alice"), ctx=ctx)
    assert dict(SCHEMA.types["resource_list"].render(state))["list_item"] == "alice,bob,carol"
    assert [w.message for w in ctx.warnings] == ["Ignoring duplicated list item 'alice'"]


def test_permanent_contacts_sorted_by_md5_duplicates_dropped() -> None:
    lines = (("contact", "sip:one@127.0.0.1:5081"), ("contact", "sip:two@127.0.0.1:5082,sip:three@127.0.0.1:5083"),
             ("contact", "sip:one@127.0.0.1:5081"), ("contact", ""))
    assert value("aor", "contact", *lines) == ["sip:one@127.0.0.1:5081", "sip:two@127.0.0.1:5082", "sip:three@127.0.0.1:5083"]


def test_many_contact_lines_keep_md5_order_and_drop_duplicates() -> None:
    # Each line is now inserted by binary search into the md5-ordered list (it rehashed them all).
    uris = [f"sip:{n}@10.0.0.{n % 7}:50{n % 100:02d}" for n in range(300)]
    lines = [("contact", uri) for uri in uris] + [("contact", f"{uris[5]},{uris[7]},sip:new@10.0.0.9")]
    expected = sorted(set(uris) | {"sip:new@10.0.0.9"}, key=lambda uri: hashlib.md5(uri.encode()).hexdigest())
    assert value("aor", "contact", *lines) == expected


@pytest.mark.parametrize("uri", ["not-a-uri", "tel:+15551234", "sip:[::1", "<sip:a@b", "sip:" + "h" * 246,
                                 "sip:u@" + "h" * 256 + ":5060", "sip:" + "u" * 506 + "@h"])
def test_contact_must_be_a_sip_uri(uri: str) -> None:
    with pytest.raises(InvalidValue) as info:
        build("aor", ("contact", uri))
    assert info.value.logged[0].message.startswith("Contact uri or hostname length exceeds pjproject limit")


@pytest.mark.parametrize("uri", ["sip:" + "h" * 245, "sip:u@" + "h" * 255 + ":5060", "sip:" + "u" * 200 + "@h",
                                 "<sip:a@b>", "SIPS:a@[::1]:5061"])
def test_contact_limits_of_asterisks_bundled_pjproject(uri: str) -> None:
    # config_site.h: PJ_MAX_HOSTNAME 256 (host up to 255 bytes with a port, 245 without, room for
    # the "_sips.tcp." SRV prefix) and PJSIP_MAX_URL_SIZE 512 (URI up to 511 bytes).
    assert value("aor", "contact", ("contact", uri)) == uri


def test_password_digest_slots_and_md5_cred() -> None:
    md5 = "5f4dcc3b5aa765d61d8327deb882cf99"
    sha = "a" * 64
    out = rendered("auth", ("md5_cred", md5), ("password_digest", f"sha-256:{sha}"))
    assert out["md5_cred"] == md5
    assert out["password_digest"] == f"MD5:{md5},SHA-256:{sha}"
    assert value("auth", "md5_cred", ("password_digest", f"md5:{md5}"), ("md5_cred", "b" * 32)) == "b" * 32


def test_md5_cred_length_error_message() -> None:
    with pytest.raises(InvalidValue) as info:
        build("auth", ("md5_cred", "abc123"), ctx=ApplyContext(object_id="auth-md5-short"))
    assert info.value.logged[0].message == "auth-md5-short: password_digest algorithm 'MD5' length (6) must be 32"


def test_supported_algorithms_append_and_print_iana_names() -> None:
    out = rendered("auth", ("supported_algorithms_uas", "sha-256,md5"), ("supported_algorithms_uas", "sha-512-256"))
    assert out["supported_algorithms_uas"] == "SHA-256,MD5,SHA-512-256"
    with pytest.raises(InvalidValue):
        build("auth", ("supported_algorithms_uac", "md5,sha-1"))


def test_endpoint_acl_renders_first_acl() -> None:
    assert value("endpoint", "acl", ("permit", "127.0.0.0/8"), ("deny", "10.0.0.0/8"), ("acl", "office")) == "deny/permit"
    assert value("endpoint", "acl", ("acl", "office")) == "office"
    # permit/deny always go to the unnamed ACL, inserted at the head of the list
    assert value("endpoint", "acl", ("acl", "office"), ("permit", "127.0.0.0/8")) == "deny/permit"
    assert value("endpoint", "contact_acl", ("contact_deny", "0.0.0.0/0")) == "deny/permit"
    assert value("endpoint", "acl", ("permit", "")) == ""
    assert "permit" not in rendered("endpoint", ("permit", "127.0.0.1"))


def test_a_named_acl_keeps_79_bytes_of_its_name() -> None:
    """struct ast_acl name[80]: Asterisk 22.10.1 printed a 300-character acl= name cut to 79; the
    duplicate test compares the kept name with the whole new one, so a long name may repeat."""
    name = "x" * 300
    assert value("endpoint", "acl", ("acl", name)) == "x" * 79
    assert value("endpoint", "acl", ("acl", f"{name},{name}")) == "x" * 79


def test_named_acl_unknown_warns_known_does_not_one_without_rules_notices() -> None:
    ctx = ApplyContext(object_id="e", named_acls={"known": True, "open": False})
    build("endpoint", ("acl", "office, known, open"), ("contact_acl", "KNOWN"), ctx=ctx)  # names match exactly
    assert [(w.level, w.message) for w in ctx.warnings] == [
        ("WARNING", "ACL 'office' does not exist. The ACL will be marked as undefined and will automatically fail if applied."),
        ("NOTICE", "ACL 'open' contains no rules. It is valid, but it will accept addresses unconditionally."),
        ("WARNING", "ACL 'KNOWN' does not exist. The ACL will be marked as undefined and will automatically fail if applied."),
    ]
    with pytest.raises(InvalidValue):
        build("endpoint", ("acl", "known"), ("acl", "KNOWN"), ctx=ApplyContext(named_acls={"known": True}))


@pytest.mark.parametrize("text", ["10.0.0.300", "10.0.0.0/33", "10.0.0.0/255.0.0.0.1", "10.0.0.1:5060", "::1/255.0.0.0"])
def test_acl_bad_addresses_refuse(text: str) -> None:
    with pytest.raises(InvalidValue):
        build("acl", ("permit", text))


@pytest.mark.parametrize("text", ["10.0.0.0/8, 192.168.0.0/16", "127.0.0.1 ", "127.0.0.1 abc", "127.0.0.1\t/8"])
def test_acl_addresses_are_exact_no_blanks(text: str) -> None:
    # getaddrinfo(AI_NUMERICHOST) reads IPv4 with inet_aton_exact and append_ha_core does not
    # strip list items: a blank anywhere in an address is an invalid address.
    with pytest.raises(InvalidValue) as info:
        build("acl", ("permit", text))
    assert info.value.logged[0].message.startswith("Invalid IP address: ")


@pytest.mark.parametrize(("text", "first_logs"), [
    ("127.0.0.1:5060", ["Port disallowed in 127.0.0.1:5060", "Invalid IP address: 127.0.0.1:5060"]),
    ("[::1]:5060/64", ["Port disallowed in [::1]:5060", "Invalid IP address: [::1]:5060"]),
    ("10.0.0.0/255.0.0.0:1", ["Port disallowed in 255.0.0.0:1", "Invalid netmask: 255.0.0.0:1"]),
])
def test_acl_port_disallowed_is_logged_first(text: str, first_logs: list[str]) -> None:
    with pytest.raises(InvalidValue) as info:
        build("acl", ("deny", text))
    assert [(log.module, log.message) for log in info.value.logged[:2]] == list(zip(("netsock2.c", "acl.c"), first_logs))


def test_local_net_dotted_masks_accumulate_and_empty_clears() -> None:
    lines = (("local_net", "10.0.0.0/8"), ("local_net", "192.168.0.0/255.255.0.0"), ("local_net", "172.16.0.0/12,127.0.0.1"))
    assert value("transport", "local_net", *lines) == [
        "10.0.0.0/255.0.0.0", "192.168.0.0/255.255.0.0", "172.16.0.0/255.240.0.0", "127.0.0.1/255.255.255.255"]
    assert value("transport", "local_net", *lines, ("local_net", "")) == ""
    assert value("transport", "local_net", ("local_net", "10.1.2.3/8")) == "10.0.0.0/255.0.0.0"
    assert value("transport", "local_net", ("local_net", "2001:db8::1/32")) == "2001:db8::/ffff:ffff::"


def test_identify_match_entries_ports_and_hosts() -> None:
    lines = (("match", "127.0.0.10"), ("match", "10.1.2.0/24"), ("match", "192.0.2.1, 192.0.2.2/31"),
             ("match", "192.0.2.9:5070"), ("match", "[2001:db8::1]:5060"), ("match", "pbx.example.com"), ("match", ""))
    assert value("identify", "match", *lines) == [
        "127.0.0.10/255.255.255.255", "10.1.2.0/255.255.255.0", "192.0.2.1/255.255.255.255", "192.0.2.2/255.255.255.254",
        "192.0.2.9:5070/255.255.255.255", "[2001:db8::1]:5060/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]


@pytest.mark.parametrize(("text", "expected"), [
    ("192.0.2.9:", "192.0.2.9/255.255.255.255"),            # empty service: port 0
    ("192.0.2.9:99999", "192.0.2.9:34463/255.255.255.255"),  # htons() keeps 16 bits
    ("192.0.2.9:+5", "192.0.2.9:5/255.255.255.255"),         # strtoul takes a sign
    ("[::1", "::1/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),  # split_hostport keeps a host without ']'
])
def test_identify_match_ports_as_getaddrinfo_reads_them(text: str, expected: str) -> None:
    assert value("identify", "match", ("match", text)) == expected


def test_identify_match_bad_entry_logs() -> None:
    with pytest.raises(InvalidValue) as info:
        build("identify", ("match", "10.0.0.0/99"), ctx=ApplyContext(object_id="id1"))
    assert info.value.logged[-1].message == "Failed to add address '10.0.0.0/99' to ip endpoint identifier 'id1'"


def test_bind_and_media_address() -> None:
    assert value("transport", "bind", ("bind", "[::1]:5070")) == "[::1]:5070"
    with pytest.raises(InvalidValue):
        build("transport", ("bind", "not an address"))
    assert value("endpoint", "media_address", ("media_address", "192.0.2.1:4000")) == "192.0.2.1"
    assert value("endpoint", "media_address", ("media_address", "not an address")) == "not an address"


def test_transport_tls_files_checked_when_applied() -> None:
    ctx = ApplyContext(object_id="t-tls", file_readable=lambda path: False)
    with pytest.raises(InvalidValue) as info:
        build("transport", ("cert_file", "/nonexistent/asterisk.pem"), ctx=ctx)
    assert info.value.logged[0].message == "Transport: t-tls: cert_file /nonexistent/asterisk.pem is either missing or not readable"
    assert value("transport", "cert_file", ("cert_file", "")) == ""


def test_from_user_rejects_non_uri_characters() -> None:
    assert value("endpoint", "from_user", ("from_user", "alice+1")) == "alice+1"
    with pytest.raises(InvalidValue):
        build("endpoint", ("from_user", "alice smith"))


def test_phoneprov_and_extended_fields_render_as_given() -> None:
    out = rendered("phoneprov", ("endpoint", "e1"), ("MAC", "001122334455"), ("LINEKEYS", "2"))
    assert out == {"endpoint": "e1", "MAC": "001122334455", "LINEKEYS": "2"}
    assert rendered("endpoint", ("@custom", "1"), ("@custom", "2"))["@custom"] == "2"


def test_inbound_publication_event_fields_render_nothing() -> None:
    assert rendered("inbound-publication", ("endpoint", "e"), ("event_presence", "pbx")) == {}
    with pytest.raises(InvalidValue):
        build("inbound-publication", ("event_presence", ""))


def test_security_mechanisms_skip_bad_items_and_print_without_q() -> None:
    lines = (("security_mechanisms", "MSRP-TLS;q=0.5;foo, bogus, sdes-srtp;q=7, dtls-srtp"),)
    assert value("endpoint", "security_mechanisms", *lines) == "msrp-tls;foo, dtls-srtp"
    assert "security_mechanisms" not in rendered("endpoint", ("security_mechanisms", "bogus"))
    assert "security_mechanisms" not in rendered("registration")


def test_unknown_digest_algorithms_fail_aka_ones_are_supported() -> None:
    with pytest.raises(InvalidValue) as info:
        build("auth", ("supported_algorithms_uas", "sha-1"), ctx=ApplyContext(object_id="a"))
    assert info.value.logged[0].message == "a: Unknown UAS digest algorithm 'sha-1' specified"
    # pjproject's table gives AKAv1/AKAv2-MD5 no OpenSSL name, so they need no OpenSSL support.
    assert value("auth", "supported_algorithms_uas", ("supported_algorithms_uas", "akav1-md5,AKAv2-MD5")) == "AKAv1-MD5,AKAv2-MD5"
    digest = "AKAv2-MD5:" + "0" * 32
    assert value("auth", "password_digest", ("password_digest", digest)) == digest


@pytest.mark.parametrize("text, want", [
    (":" + "a" * 32, "MD5:" + "a" * 32),  # an empty algorithm name is MD5
    (" sha-256 :" + "b" * 64 + " , ,", None),  # a blank item is a one-byte MD5 digest
    ("MD5: " + "c" * 32, None),  # only the name is trimmed: the digest keeps its blank
    ("MD5:" + "c" * 32 + ",sha-256 : " + "d" * 64, None),
    ("MD5:" + "c" * 32 + " , SHA-256:" + "d" * 64, "MD5:" + "c" * 32 + ",SHA-256:" + "d" * 64),
])
def test_password_digest_items_split_as_ast_strsep_does(text: str, want: str | None) -> None:
    if want is None:
        with pytest.raises(InvalidValue):
            build("auth", ("password_digest", text))
    else:
        assert value("auth", "password_digest", ("password_digest", text)) == want


def test_acl_type_fails_on_empty_and_logs_the_blocking() -> None:
    with pytest.raises(InvalidValue) as info:
        build("acl", ("deny", ""), ctx=ApplyContext(object_id="a", line=7))
    assert [log.message for log in info.value.logged] == [
        "Invalid IP address: ", "Bad ACL '' at line '7' of pjsip.conf",
        "There is an error in ACL configuration. Blocking ALL SIP traffic."]
    assert build("endpoint", ("deny", ""))["acl"] == ()


def test_none_is_a_format_allow_all_leaves_out() -> None:
    assert "none" not in ALL
    assert value("endpoint", "allow", ("allow", "ulaw,NONE")) == "(ulaw|none)"
    assert value("endpoint", "allow", ("allow", "none"), ("disallow", "none")) == "(nothing)"


def test_groups_and_auth_lists_print_into_a_128_byte_buffer() -> None:
    every_group = value("endpoint", "call_group", ("call_group", "0-63"))
    assert len(every_group) == 127 and every_group.endswith(", 33, 3")
    auths = ",".join(f"auth-number-{n:02}-xxxxxxxx" for n in range(1, 7))
    assert value("endpoint", "auth", ("auth", auths)) == auths[:127]
    assert value("endpoint", "outbound_auth", ("outbound_auth", auths)) == auths[:127]


@pytest.mark.parametrize("option, set_value, want", [
    ("language", "fr", ["fr", "en"]),  # language sits in a field bucket after set_var's: variable first
    ("allow", "bar", ["bar", "(nothing)"]),
    ("context", "x", ["default", "x"]),  # context's bucket comes before set_var's
    ("preferred_codec_only", "yes", ["yes", "false"]),  # set_var's own bucket: set_var was registered first
])
def test_a_variable_named_like_an_option_is_listed_in_sorcerys_field_order(option: str, set_value: str, want: list) -> None:
    lines = (("language", "en"), ("set_var", f"{option}={set_value}"))
    assert value("endpoint", option, *lines) == want
    endpoint = SCHEMA.types["endpoint"]
    assert endpoint.render_dict(build("endpoint", *lines))[option] == want
