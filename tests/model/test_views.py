"""Explain views: where each printed entry came from."""

from __future__ import annotations

from pjsipconf.conf import MemoryReader
from pjsipconf.model.build import build_snapshot
from pjsipconf.model.views import explain_object

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


def test_a_set_var_entry_comes_from_the_line_that_set_its_variable_last() -> None:
    endpoint = _endpoint()
    explained = explain_object(endpoint)
    assert [line["line"] for line in explained["A"]["lines"]] == [8]  # SET_VAR=A=again replaced the template's
    assert [line["line"] for line in explained["B"]["lines"]] == [7]
    assert explained["callerid"]["lines"][0]["text"] == "callerid=A=odd"  # not a set_var line


def test_variables_named_like_options_and_with_blanks() -> None:
    text = b"[e]\ntype=endpoint\nset_var=A = 1\nset_var=CONTEXT=x\nlanguage=fr\nset_var=language=xx\n"
    endpoint = build_snapshot("/etc/asterisk", reader=MemoryReader({"/etc/asterisk/pjsip.conf": text})).get("endpoint", "e")
    assert endpoint is not None
    explained = explain_object(endpoint)
    assert [line["line"] for line in explained["A "]["lines"]] == [3]  # the name keeps its blank, as in C
    assert [line["line"] for line in explained["CONTEXT"]["lines"]] == [4]  # a variable, not the context option
    assert [line["line"] for line in explained["language"]["lines"]] == [6, 5]  # both of its printed values


def test_direct_media_method_is_explained_by_the_line_it_prints() -> None:
    text = b"[e]\ntype=endpoint\nconnected_line_method=update\ndirect_media_method=reinvite\n"
    endpoint = build_snapshot("/etc/asterisk", reader=MemoryReader({"/etc/asterisk/pjsip.conf": text})).get("endpoint", "e")
    assert endpoint is not None
    explained = explain_object(endpoint)["direct_media_method"]  # prints connected_line_method's value
    assert explained["value"] == "update" and [line["line"] for line in explained["lines"]] == [3]


def test_explain_object_uses_where_of_each_entry() -> None:
    endpoint = _endpoint()
    explained = explain_object(endpoint)
    assert [line["line"] for line in explained["allow"]["lines"]] == [10, 11]
    assert explained["context"]["lines"][0]["section"] == "t"


def test_a_value_the_apply_handler_changed_keeps_its_lines_and_says_what_happened() -> None:
    text = b"[t]\ntype=transport\nprotocol=udp\nbind=127.0.0.1\n"
    transport = build_snapshot("/etc/asterisk", reader=MemoryReader({"/etc/asterisk/pjsip.conf": text})).get("transport", "t")
    assert transport is not None
    explained = explain_object(transport)["bind"]
    assert explained["value"] == "127.0.0.1:5060" and [line["line"] for line in explained["lines"]] == [4]
    assert explained["note"] and explained["note"] in explained["description"]


def _explained(text: bytes, type_: str, id_: str) -> dict:  # type: ignore[type-arg]
    reader = MemoryReader({"/etc/asterisk/pjsip.conf": text})
    obj = build_snapshot("/etc/asterisk", reader=reader).get(type_, id_)
    assert obj is not None
    return explain_object(obj)


def test_a_value_built_with_plus_equals_cites_every_line_that_wrote_it() -> None:
    # The template's line keeps its number (Asterisk's messages name it); each `+=` line is cited
    # after it, with the text it appended and the section it was written in.
    text = b"[t](!)\ntype=endpoint\ncontext=from\n[e](t)\ncontext+=-int\nlanguage=en\ncontext+=ernal\n"
    context = _explained(text, "endpoint", "e")["context"]
    assert context["value"] == "from-internal"
    assert [(line["line"], line["section"], line["text"]) for line in context["lines"]] == [
        (3, "t", "context=from"), (5, "e", "context+=-int"), (7, "e", "context+=ernal")]
    assert context["description"] == "pjsip.conf:3 [t], pjsip.conf:5 [e], pjsip.conf:7 [e]"


def test_a_plus_equals_with_nothing_to_append_to_is_its_own_line() -> None:
    language = _explained(b"[e]\ntype=endpoint\nlanguage+=fr\n", "endpoint", "e")["language"]
    assert [(line["line"], line["text"]) for line in language["lines"]] == [(3, "language+=fr")]


def test_lines_a_reset_wiped_out_are_not_cited() -> None:
    transport = b"[t]\ntype=transport\nbind=127.0.0.1\nlocal_net=10.0.0.0/8\nlocal_net=\nlocal_net=192.168.0.0/16\n"
    local_net = _explained(transport, "transport", "t")["local_net"]
    assert local_net["value"] == "192.168.0.0/255.255.0.0"
    assert [line["line"] for line in local_net["lines"]] == [5, 6]  # the line that cleared it, then the new one
    codecs = b"[e]\ntype=endpoint\nallow=ulaw\ndisallow=all\nallow=alaw\nallow=g722\n"
    allow = _explained(codecs, "endpoint", "e")["allow"]
    assert allow["value"] == "(alaw|g722)" and [line["line"] for line in allow["lines"]] == [4, 5, 6]
    kept = _explained(b"[e]\ntype=endpoint\ndisallow=all\nallow=ulaw\ndisallow=alaw\nallow=g722\n", "endpoint", "e")["allow"]
    assert [line["line"] for line in kept["lines"]] == [3, 4, 5, 6]  # nothing wiped out: every line counts
