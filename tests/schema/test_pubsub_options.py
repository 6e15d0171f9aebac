"""outbound-publish, inbound-publication, resource_list, asterisk-publication, phoneprov and system
options audited against res_pjsip_outbound_publish.c, res_pjsip_pubsub.c,
res_pjsip_publish_asterisk.c, res_pjsip_phoneprov_provider.c and res_pjsip/config_system.c."""

from __future__ import annotations

import pytest

from pjsipconf.schema import ApplyContext, InvalidValue
from pjsipconf.schema.cstr import REG_EXTENDED, REG_ICASE, REG_NOSUB, regcomp_error
from tests.schema.helpers import build, finish, rendered

SERVER = ("server_uri", "sip:presence@127.0.0.1:5092")


@pytest.mark.parametrize("lines,error", [
    ((("event", "presence"),), "No server URI specified on outbound publish 'obj'"),
    ((("server_uri", "http://127.0.0.1"), ("event", "x")),
     "Server URI or hostname length exceeds pjproject limit or is not a sip(s) uri: 'http://127.0.0.1' on outbound publish 'obj'"),
    ((SERVER,), "No event type specified for outbound publish 'obj'"),
    ((SERVER, ("event", "x"), ("from_uri", "pbx@127.0.0.1")),
     "From URI or hostname length exceeds pjproject limit or is not a sip(s) uri: 'pbx@127.0.0.1' on outbound publish 'obj'"),
    ((SERVER, ("event", "x"), ("to_uri", "<tel:100>")),
     "To URI or hostname length exceeds pjproject limit or is not a sip(s) uri: '<tel:100>' on outbound publish 'obj'"),
])
def test_outbound_publish_refused_by_its_apply_handler(lines: tuple[tuple[str, str], ...], error: str) -> None:
    result, _ = finish("outbound-publish", *lines)
    assert result.errors == (f"res_pjsip_outbound_publish.c: {error}",)


def test_outbound_publish_with_valid_uris_loads() -> None:
    result, _ = finish("outbound-publish", SERVER, ("event", "asterisk-devicestate"), ("from_uri", "sip:pbx@127.0.0.1"),
                       ("to_uri", "<sips:p@[::1]:5061>"))
    assert not result.refused and not result.logs


@pytest.mark.parametrize("line, logged", [
    (("server_uri", "sip:presence@127.0.0.1:99999"),
     "res_pjsip_outbound_publish.c: Invalid server URI 'sip:presence@127.0.0.1:99999' specified on outbound publish 'obj'"),
    (("to_uri", "sip:"), "res_pjsip_outbound_publish.c: Invalid to URI 'sip:' specified on outbound publish 'obj'"),
    (("outbound_proxy", "proxy.example.com"), None),  # no Route header: nothing logged before the refusal
    (("expiration", "0"),  # pjsip_publishc_init asserts a non-zero expiry
     "res_pjsip_outbound_publish.c: Failed to initialize publishing client on outbound publish 'obj'"),
])
def test_outbound_publish_whose_publisher_cannot_be_made_is_refused(line: tuple[str, str], logged: str | None) -> None:
    """Applying a publish that is not multi_user makes its publisher (sip_outbound_publisher_init)."""
    result, _ = finish("outbound-publish", SERVER, ("event", "x"), line)
    assert result.errors == ("res_pjsip_outbound_publish.c: Unable to create publisher for outbound publish 'obj'",)
    assert [(entry.level, str(entry)) for entry in result.logs[:-1]] == ([("ERROR", logged)] if logged else [])
    # A multi_user publish makes its publishers later, one per user: applying it checks no more.
    assert not finish("outbound-publish", SERVER, ("event", "x"), line, ("multi_user", "yes"))[0].refused


def test_phoneprov_ignores_empty_values() -> None:
    out = rendered("phoneprov", ("MAC", ""), ("PROFILE", "polycom"), ("endpoint", ""), ("MAC", "aa"), ("MAC", "bb"))
    assert out == {"PROFILE": "polycom", "MAC": ["aa", "bb"]}
    result, _ = finish("phoneprov", ("MAC", ""), ("PROFILE", "polycom"))
    assert result.warnings == ("res_pjsip_phoneprov_provider.c: phoneprov obj must contain a MAC entry.",)


def test_phoneprov_keys_are_case_sensitive() -> None:
    result, _ = finish("phoneprov", ("mac", "aa"), ("PROFILE", "polycom"))
    assert "must contain a MAC entry" in result.warnings[0]


@pytest.mark.parametrize("name", ["event_presence", "EVENT_presence", "Event_dialog"])
def test_inbound_publication_event_names_match_in_any_case(name: str) -> None:
    assert rendered("inbound-publication", ("endpoint", "e"), (name, "pbx-a"), finish=True) == {}


@pytest.mark.parametrize("name,text", [("event_", "pbx-a"), ("EVENT_", "pbx-a"), ("event_presence", "")])
def test_inbound_publication_event_needs_a_name_and_a_value(name: str, text: str) -> None:
    with pytest.raises(InvalidValue):
        build("inbound-publication", (name, text))


@pytest.mark.parametrize("option", ["device_state_filter", "mailbox_state_filter"])
def test_asterisk_publication_filters_must_compile(option: str) -> None:
    assert rendered("asterisk-publication", (option, "^PJSIP/"), (option, "")) == rendered("asterisk-publication")
    with pytest.raises(InvalidValue) as info:
        build("asterisk-publication", (option, "[abc"), ctx=ApplyContext(object_id="pbx-a"))
    (logged,) = info.value.logged
    assert (logged.level, logged.module) == ("ERROR", "res_pjsip_publish_asterisk.c")
    assert logged.message == "Could not compile regex '[abc': Unmatched [, [^, [:, [., or [="


@pytest.mark.parametrize("pattern,error", [
    ("^PJSIP/(alice|bob)$", None), ("a)", None), ("(a", "Unmatched ( or \\("), ("a{2", "Unmatched \\{"),
    ("*a", "Invalid preceding regular expression"), ("a\\", "Trailing backslash"),
])
def test_regcomp_is_posix(pattern: str, error: str | None) -> None:
    assert regcomp_error(pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB) == error


def test_resource_list_items() -> None:
    ctx = ApplyContext(object_id="buddies")
    state = build("resource_list", ("event", "presence"), ("list_item", "alice"), ("list_item", " bob ,, alice,carol"), ctx=ctx)
    assert [logged.message for logged in ctx.warnings] == ["Ignoring duplicated list item 'alice'"]
    assert state["list_item"] == ("alice", "bob", "carol")
    assert rendered("resource_list", ("event", "x" * 40))["event"] == "x" * 31  # char event[32]
    with pytest.raises(InvalidValue):
        build("resource_list", ("event", ""))


@pytest.mark.parametrize("t1,timer_b,logged", [
    ("500", "32000", None),
    ("50", "32000", None),  # T1 raised to 100: 6400 <= 32000
    ("1000", "64000", "Timer B setting is too low. Setting to 64000"),
    ("50000000", "3200000000", "Timer B setting is too low. Setting to -1094967296"),  # 64 * T1 as a C int
])
def test_system_timer_b_follows_timer_t1(t1: str, timer_b: str, logged: str | None) -> None:
    result, state = finish("system", ("timer_t1", t1))
    assert rendered("system", ("timer_t1", t1), ("timer_b", str(state.get("timer_b", 32000))))["timer_b"] == timer_b
    messages = [line for line in result.warnings if "Timer B" in line]
    assert messages == ([f"res_pjsip/config_system.c: {logged}"] * 2 if logged else [])


@pytest.mark.parametrize("event, times", [("presence", 2), ("dialog", 1)])
def test_an_extension_state_publish_without_a_body_fails_once_per_handler_registration(event: str, times: int) -> None:
    # presence is retried when the dialog handler registers after it; dialog is tried only then.
    result, _ = finish("outbound-publish", SERVER, ("event", event))
    assert not result.refused
    assert result.warnings == (
        "res_pjsip_exten_state.c: Outbound extension state publisher 'obj': Body not set",
        f"res_pjsip_outbound_publish.c: Failed to start outbound publish with event '{event}' for client 'obj'",
    ) * times
