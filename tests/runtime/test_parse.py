"""The CLI parsers on Asterisk 22's real output, other column widths, and damaged output."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pjsipconf.sources.runtime.parse import (
    endpoints_by_id,
    parse_contacts,
    parse_endpoints,
    parse_registrar,
    split_aor_uri,
)
from tests.conftest import golden_cases, load_expected, load_oracle
from tests.runtime.helpers import runtime_captures


def _rows_as_golden(rows) -> list[dict[str, str]]:
    return [{"aor": r.aor, "uri": r.uri, "hash": r.hash, "status": r.status, "rtt_ms": r.rtt_ms} for r in rows]


def _golden_rows(case: str) -> list[dict[str, str]]:
    keys = ("aor", "uri", "hash", "status", "rtt_ms")
    rows = [{k: c[k] for k in keys} for c in load_expected(case)["contacts"]]
    return sorted(rows, key=lambda r: f"{r['aor']}/{r['uri']}")


@pytest.mark.parametrize("case", golden_cases())
def test_show_contacts_rows_equal_golden_contacts(case: str) -> None:
    listing = parse_contacts(load_oracle(case)["cli"]["pjsip show contacts"])
    assert listing.recognised
    assert listing.problems == ()
    want = _golden_rows(case)
    assert len(listing.rows) == len(want)
    for got, contact, row in zip(_rows_as_golden(listing.rows), want, listing.rows):
        # A URI longer than its column is printed cut: the row holds its beginning, and knows it.
        assert contact["uri"].startswith(got["uri"]) and row.uri_complete == (got["uri"] == contact["uri"])
        assert {**got, "uri": contact["uri"]} == contact


@pytest.mark.parametrize("case", golden_cases())
def test_show_endpoints_states_equal_ami_endpoint_list(case: str) -> None:
    oracle = load_oracle(case)
    listing = parse_endpoints(oracle["cli"]["pjsip show endpoints"])
    events = oracle["ami"]["PJSIPShowEndpoints"].get("events", [])
    want = {
        e["ObjectName"]: (e["DeviceState"], int(e["ActiveChannels"])) for e in events if e["Event"] == "EndpointList"
    }
    assert listing.recognised and listing.problems == ()
    # Named by the ids Asterisk has (the CLI cuts long ones and appends caller id numbers).
    states = endpoints_by_id(listing.rows, want)
    assert {k: (v.device_state, v.active_channels) for k, v in states.items()} == want
    assert not any(state.derived for state in states.values())


def test_list_endpoints_reads_like_show_endpoints() -> None:
    cli = load_oracle("v20_lists_groups")["cli"]
    assert parse_endpoints(cli["pjsip list endpoints"]).endpoints == parse_endpoints(cli["pjsip show endpoints"]).endpoints


def test_endpoint_with_callerid_number_is_keyed_by_its_id() -> None:
    listing = parse_endpoints(load_oracle("v01_syntax_comments")["cli"]["pjsip show endpoints"])
    assert list(listing.endpoints) == ["alice"]  # printed as "alice/100"


def test_registrar_entries_are_the_golden_details() -> None:
    listing = parse_registrar(runtime_captures()["database show registrar"])
    assert listing.recognised and listing.problems == ()
    want = {c["id"]: c["details"] for c in load_expected("v30_runtime_registered")["contacts"]}
    got = {c.id: c.fields for c in listing.contacts}
    assert got == want
    assert all(list(c.fields) == sorted(c.fields) for c in listing.contacts)
    assert {c.aor for c in listing.contacts} == {"2001", "2002", "2003"}


def test_empty_listings_are_recognised() -> None:
    assert parse_contacts("No objects found.\n\n").recognised
    assert parse_endpoints("No objects found.\n\n").endpoints == {}
    registrar = parse_registrar("0 results found.\n")
    assert registrar.recognised and registrar.contacts == () and registrar.problems == ()


CONTACTS_OTHER_WIDTHS = """
 Contact:  <Aor/ContactUri...> <Hash....> <Status> <RTT(ms)..>
=============================================================
 Contact:  a-very-long-aor-name/sip:someone@203.0.113.77:5062;transport=tcp 0123456789 Avail 1.5
 Contact:  b/sip:b@198.51.100.1 abcdef0123 Unavail nan

Objects found: 2
"""


def test_contacts_do_not_depend_on_column_widths() -> None:
    listing = parse_contacts(CONTACTS_OTHER_WIDTHS)
    assert listing.problems == ()
    assert [(r.aor, r.uri, r.hash, r.status, r.rtt_ms) for r in listing.rows] == [
        ("a-very-long-aor-name", "sip:someone@203.0.113.77:5062;transport=tcp", "0123456789", "Avail", "1.5"),
        ("b", "sip:b@198.51.100.1", "abcdef0123", "Unavail", "nan"),
    ]


def test_endpoints_do_not_depend_on_column_widths() -> None:
    text = (
        "\n Endpoint:  <Endpoint/CID>  <State>  <Channels>\n" + "=" * 40 + "\n\n"
        " Endpoint:  trunk  In use  2 of 4\n"
        "   Channel:  PJSIP/trunk-00000001/Dial  Up  00:01:02\n"
        "     Exten: 100  CLCID: \"A\" <1>\n"
        " Endpoint:  desk/200  Ring+Inuse  1 of inf\n"
        "\nObjects found: 2\n"
    )
    listing = parse_endpoints(text)
    assert listing.problems == ()
    assert {k: (v.device_state, v.active_channels) for k, v in listing.endpoints.items()} == {
        "trunk": ("In use", 2),
        "desk": ("Ring+Inuse", 1),
    }


def test_unknown_lines_are_reported_not_fatal() -> None:
    text = runtime_captures()["pjsip show contacts"].replace(
        "\nObjects found", "  Frobnicated: something new\n\nObjects found"
    )
    listing = parse_contacts(text)
    assert len(listing.rows) == 4
    assert len(listing.problems) == 1 and "Frobnicated" in listing.problems[0]


def test_truncated_contacts_are_reported() -> None:
    full = runtime_captures()["pjsip show contacts"]
    cut = full[: full.index("2003/sip")]
    listing = parse_contacts(cut)
    assert listing.recognised and len(listing.rows) == 3
    assert any("cut short" in p for p in listing.problems)


def test_truncated_registrar_is_reported() -> None:
    full = runtime_captures()["database show registrar"]
    cut = full[: full.index('"user_agent":"NoAuthPhone')]
    listing = parse_registrar(cut)
    assert [c.aor for c in listing.contacts] == ["2001", "2002", "2002"]
    assert any("not a JSON object" in p for p in listing.problems)
    assert any("cut short" in p for p in listing.problems)


def test_count_mismatch_is_reported() -> None:
    text = runtime_captures()["pjsip show contacts"].replace("Objects found: 4", "Objects found: 5")
    assert any("says 5 objects" in p for p in parse_contacts(text).problems)


def test_garbage_is_not_recognised() -> None:
    garbage = "Segmentation fault\n\x00\x01 ~~~\n"
    assert not parse_contacts(garbage).recognised
    assert not parse_endpoints(garbage).recognised
    assert not parse_registrar(garbage).recognised


def test_problems_are_capped() -> None:
    text = "\n" + "=" * 90 + "\n" + "nonsense line\n" * 500 + "\nObjects found: 0\n"
    problems = parse_contacts(text).problems
    assert len(problems) == 21 and problems[-1].endswith("480 more problems not listed")


def test_aor_with_slash_is_split_at_the_uri_scheme() -> None:
    assert split_aor_uri("site/a/sips:x@example.com") == ("site/a", "sips:x@example.com")
    assert split_aor_uri("a/weird") == ("a", "weird")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Contact:Endpoint/sip@ =\n0123abcdef.{}\"results found;@")), max_size=400))
def test_parsers_never_raise(text: str) -> None:
    parse_contacts(text)
    parse_endpoints(text)
    parse_registrar(text)


def test_contact_of_an_aor_id_with_a_space() -> None:
    # `[office phone]` is a valid section name; the CLI prints `%s/%-*.*s` with the id as is.
    text = CONTACTS_OTHER_WIDTHS.replace(" b/sip:b@198.51.100.1 ", " office phone/sip:b@198.51.100.1 ")
    listing = parse_contacts(text)
    assert listing.problems == ()
    assert [(r.aor, r.uri) for r in listing.rows][1] == ("office phone", "sip:b@198.51.100.1")


def test_registrar_contact_of_an_aor_id_with_a_space() -> None:
    text = (
        '/registrar/contact/office phone;@7f719026a35c80931c5e42511a86d318: {"uri":"sip:o@192.0.2.5","a":"b: c"}\n'
        "1 results found.\n"
    )
    listing = parse_registrar(text)
    assert listing.problems == ()
    assert [(c.id, c.aor, c.fields) for c in listing.contacts] == [
        ("office phone;@7f719026a35c80931c5e42511a86d318", "office phone", {"a": "b: c", "uri": "sip:o@192.0.2.5"})
    ]


# `pjsip show endpoints` rows (name column 51 wide): ids longer than that are cut, `id/<callerid
# number>` is cut too, and an id may hold a `/` or spaces.
LONG_ID = "alice.smith.with.a.really.long.endpoint.name.beyond.51.chars"
LONG_TWIN = "alice.smith.with.a.really.long.endpoint.name.beyond.51.other"
ENDPOINT_ROWS = [
    ("3001", "3001", "In use", 1),
    (LONG_ID, "", "Ringing", 1),
    (LONG_TWIN, "", "On Hold", 0),
    ("office phone", "", "Not in use", 0),
    ("p" * 45, "5551234567", "Busy", 2),
    ("site", "7", "Ring+Inuse", 1),
    ("site/7", "", "Unavailable", 0),
]


def _endpoints_text(rows) -> str:
    lines = [
        f" Endpoint:  {(f'{id_}/{number}' if number else id_)[:51]:<51}  {state:<12.12}  {active} of inf\n"
        for id_, number, state, active in rows
    ]
    return "\n Endpoint:  <Endpoint/CID>\n" + "=" * 90 + "\n\n" + "".join(lines) + f"\nObjects found: {len(rows)}\n\n"


def test_endpoint_rows_keep_the_printed_names() -> None:
    listing = parse_endpoints(_endpoints_text(ENDPOINT_ROWS))
    assert listing.problems == ()  # two cut names alike are still two endpoints
    assert [(r.name, r.device_state, r.fills_column) for r in listing.rows] == [
        ("3001/3001", "In use", False),
        (LONG_ID[:51], "Ringing", True),
        (LONG_TWIN[:51], "On Hold", True),
        ("office phone", "Not in use", False),
        ("p" * 45 + "/55512", "Busy", True),
        ("site/7", "Ring+Inuse", False),
        ("site/7", "Unavailable", False),
    ]


def test_endpoint_rows_are_named_by_the_configured_ids() -> None:
    rows = parse_endpoints(_endpoints_text(ENDPOINT_ROWS)).rows
    ids = sorted(id_ for id_, *_ in ENDPOINT_ROWS)
    states = endpoints_by_id(rows, ids)
    assert {k: (v.endpoint, v.device_state, v.active_channels) for k, v in states.items()} == {
        id_: (id_, state, active) for id_, _, state, active in ENDPOINT_ROWS
    }


def test_endpoint_rows_of_ids_not_configured_keep_their_reading() -> None:
    rows = parse_endpoints(_endpoints_text([("gone", "100", "In use", 1), ("ab", "", "Busy", 0)])).rows
    states = endpoints_by_id(rows, ["abc"])  # "ab" does not fill its column: not a cut "abc"
    assert {k: v.device_state for k, v in states.items()} == {"gone": "In use", "ab": "Busy"}


def test_endpoint_row_is_its_own_id_before_a_callerid_reading() -> None:
    # The configuration names "site" too (not loaded by Asterisk yet): the one row stays "site/7"'s.
    rows = parse_endpoints(_endpoints_text([("site/7", "", "In use", 1)])).rows
    assert {k: v.device_state for k, v in endpoints_by_id(rows, ["site", "site/7"]).items()} == {"site/7": "In use"}


def test_endpoint_name_cut_inside_a_character_still_names_its_id() -> None:
    # C's `%-51.51s` counts bytes: "é" (2 bytes) at byte 51 is cut in two, decoded as U+FFFD.
    endpoint = "x" * 50 + "é-desk"
    line = b" Endpoint:  " + endpoint.encode()[:51] + b"  Not in use    0 of inf\n"
    text = "\n Endpoint:  <Endpoint/CID>\n" + "=" * 90 + "\n\n" + line.decode(errors="replace") + "\nObjects found: 1\n"
    rows = parse_endpoints(text).rows
    assert list(endpoints_by_id(rows, [endpoint, "y"])) == [endpoint]
