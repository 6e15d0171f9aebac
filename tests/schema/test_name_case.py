"""Handlers that test the option name as written (config_options.c finds options in any case, but
some handlers then strcmp the name): a name in another case is refused or applied as another option."""

from __future__ import annotations

import pytest

from pjsipconf.schema import ApplyContext, InvalidValue
from tests.schema.helpers import build, rendered

REFUSED = [
    ("endpoint", "Call_Group", "1"),  # group_handler: strncmp(var->name, "call_group", 10)
    ("endpoint", "PICKUP_GROUP", "2"),
    ("endpoint", "Named_Call_Group", "sales"),  # named_groups_handler
    ("endpoint", "TOS_AUDIO", "ef"),  # tos_handler: strcmp, then ast_assert(0) and -1
    ("endpoint", "Codec_Prefs_Outgoing_Offer", "prefer:pending"),  # codec_prefs_handler: "Unsupported option"
    ("asterisk-publication", "Device_State_Filter", "^dev"),  # regex_filter_handler: res stays -1
]


@pytest.mark.parametrize("type_name, name, value", REFUSED)
def test_a_name_its_handler_does_not_know_is_refused(type_name: str, name: str, value: str) -> None:
    build(type_name, (name.lower(), value))  # the name in lower case is fine
    with pytest.raises(InvalidValue):
        build(type_name, (name, value))



@pytest.mark.parametrize("name", ["Device_State_Filter", "MAILBOX_STATE_FILTER"])
def test_the_publication_filters_accept_an_empty_value_before_testing_the_name(name: str) -> None:
    # regex_filter_handler returns 0 for an empty value first (Asterisk 22.10.1 loaded it).
    assert build("asterisk-publication", (name, "")) == build("asterisk-publication")


@pytest.mark.parametrize("type_name, name", [("endpoint", "Call_Group"), ("endpoint", "TOS_AUDIO"), ("acl", "Contact_ACL")])
def test_other_handlers_refuse_a_miscased_name_even_when_empty(type_name: str, name: str) -> None:
    with pytest.raises(InvalidValue):  # as Asterisk 22.10.1 did
        build(type_name, (name, ""))

def test_a_miscased_outgoing_call_offer_pref_sets_the_incoming_one() -> None:
    # call_offer_pref_handler: outgoing only when strcmp(var->name, "outgoing_call_offer_pref") == 0.
    shown = rendered("endpoint", ("Outgoing_Call_Offer_Pref", "remote"))
    assert (shown["incoming_call_offer_pref"], shown["outgoing_call_offer_pref"]) == ("remote", "remote_merge")
    with pytest.raises(InvalidValue):  # validated as an incoming preference, which has no *_merge
        build("endpoint", ("Outgoing_Call_Offer_Pref", "remote_merge"))


@pytest.mark.parametrize("type_name", ["endpoint", "acl"])
def test_contact_acl_lines_need_the_prefix_in_lower_case(type_name: str) -> None:
    # strncmp(var->name, "contact_", 8) fails: ast_append_acl("Contact_Permit", ...) on the object's
    # own ACL, whose sense is read from the first letter ('C': neither permit nor acl, so deny).
    state = build(type_name, ("Contact_Permit", "10.0.0.0/8"))
    assert state["acl"] != build(type_name)["acl"] and state["contact_acl"] == build(type_name)["contact_acl"]
    assert state["acl"] == build(type_name, ("deny", "10.0.0.0/8"))["acl"]
    assert build(type_name, ("contact_PERMIT", "10.0.0.0/8"))["contact_acl"] == build(
        type_name, ("contact_permit", "10.0.0.0/8"))["contact_acl"]


def test_other_options_are_found_in_any_case() -> None:
    assert rendered("endpoint", ("CONTEXT", "x"), ("Permit", "10.0.0.0/8"))["context"] == "x"


@pytest.mark.parametrize("line, logged", [
    (("DIRECT_MEDIA_METHOD", "bogus"), "Unrecognized option value bogus for DIRECT_MEDIA_METHOD on endpoint e"),
    (("FROM_USER", "a b"), "Error configuring endpoint 'e' - 'FROM_USER' field contains invalid character ' '"),
    (("DTLS_CERT_FILE", "/no/such/file"), "DTLSCERTFILE file /no/such/file does not exist or is not readable"),
])
def test_handlers_log_the_option_name_as_written(line: tuple[str, str], logged: str) -> None:
    with pytest.raises(InvalidValue) as info:
        build("endpoint", line, ctx=ApplyContext(object_id="e"))
    assert info.value.logged[0].message == logged
