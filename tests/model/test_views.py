"""Explain views: the one-pass lookups say what the per-option ones say."""

from __future__ import annotations

from pjsipconf.conf import MemoryReader
from pjsipconf.model.build import build_snapshot
from pjsipconf.model.views import entry_options, explain_object, option_of_entry

CONFIG = b"""
[t](!)
type=endpoint
set_var=A=from-template
context=ctx
[e](t)
set_var=B=1
SET_VAR=A=again
callerid=A=odd
allow=ulaw
allow=!alaw,g722
"""


def _endpoint():  # type: ignore[no-untyped-def]
    snapshot = build_snapshot("/etc/asterisk", reader=MemoryReader({"/etc/asterisk/pjsip.conf": CONFIG}))
    endpoint = snapshot.get("endpoint", "e")
    assert endpoint is not None
    return endpoint


def test_entry_options_agree_with_option_of_entry_later_lines_winning() -> None:
    # entry_options replaced a search over all lines per entry (minutes for thousands of set_var lines).
    endpoint = _endpoint()
    option_of = entry_options(endpoint)
    for name in [*endpoint.rendered(), "A", "B", "nothing-sets-this"]:
        assert option_of(name) == option_of_entry(endpoint, name), name
    assert option_of("A") == "callerid"  # the last line whose value starts with `A=`, as the search found


def test_explain_object_uses_where_of_each_entry() -> None:
    endpoint = _endpoint()
    explained = explain_object(endpoint)
    assert [line["line"] for line in explained["allow"]["lines"]] == [10, 11]
    assert explained["context"]["lines"][0]["section"] == "t"
