"""Documents of a Snapshot: contract shapes, cross references, tm_update across rebuilds."""

from __future__ import annotations

import json

from pjsipconf.api.contract import AOR_KEYS, AUTH_KEYS, CONTACT_KEYS, ENDPOINT_KEYS
from pjsipconf.api.documents import Document, build_documents
from pjsipconf.api.envelope import format_timestamp, timestamp_of
from tests.api.helpers import make_object, make_snapshot, small_pbx

T1, T2, T3 = (format_timestamp(n * 1_000_000_000 + 5) for n in (1_700_000_000, 1_700_000_100, 1_700_000_200))


def _detail(documents, collection: str, object_id: str, view: str = "api") -> dict:
    document = documents.lookup(collection, object_id, view)
    assert document is not None, (collection, object_id)
    return json.loads(document.result)


def test_timestamps_are_zero_padded_nanoseconds() -> None:
    assert format_timestamp(1_513_713_821_000_000_042) == "2017-12-19T20:03:41.000000042Z"
    from datetime import datetime, timezone

    assert timestamp_of(datetime(2017, 12, 19, 20, 3, 41, 263715, tzinfo=timezone.utc)) == "2017-12-19T20:03:41.263715000Z"


def test_contract_key_sets_and_counts() -> None:
    documents = build_documents(small_pbx(), now=T1)
    assert list(_detail(documents, "endpoints", "1001")) == list(ENDPOINT_KEYS) and len(ENDPOINT_KEYS) == 116
    assert list(_detail(documents, "aors", "trunk")) == list(AOR_KEYS) and len(AOR_KEYS) == 19
    assert list(_detail(documents, "auths", "1001")) == list(AUTH_KEYS) and len(AUTH_KEYS) == 10
    contact_id = documents.ids("contacts")[0]
    assert list(_detail(documents, "contacts", contact_id)) == list(CONTACT_KEYS) and len(CONTACT_KEYS) == 16


def test_cross_references() -> None:
    documents = build_documents(small_pbx(), now=T1)
    trunk = _detail(documents, "aors", "trunk")
    assert trunk["endpoint_name"] == "1002"
    assert trunk["contacts"] == "trunk/sip:198.51.100.7:5060"
    assert (trunk["total_contacts"], trunk["contacts_registered"], trunk["qualify_timeout"]) == (1, 0, 3)
    assert _detail(documents, "auths", "spare")["endpoint_name"] == "1002"  # via outbound_auth
    endpoint = _detail(documents, "endpoints", "1001")
    assert endpoint["device_state"] == "Unavailable" and endpoint["active_channels"] == "0"
    assert endpoint["disallow"] == "" and endpoint["caller_id"] == "<unknown>" and endpoint["rel_100"] == "yes"


def test_infinite_and_nan_numbers_are_zero() -> None:
    # Asterisk's strtod takes qualify_timeout=inf and prints "inf"; building the aor once raised OverflowError.
    snapshot = make_snapshot([
        make_object("aor", "a", qualify_timeout="inf"),
        make_object("aor", "b", qualify_timeout="nan"),
    ])
    documents = build_documents(snapshot, now=T1)
    assert _detail(documents, "aors", "a")["qualify_timeout"] == 0
    assert _detail(documents, "aors", "b")["qualify_timeout"] == 0


def test_set_var_joined_as_asterisk_to_str() -> None:
    snapshot = make_snapshot([make_object("endpoint", "v", set_var=["A=1", "B=two"])])
    assert _detail(build_documents(snapshot, now=T1), "endpoints", "v")["set_var"] == "A=1,B=two"


def test_set_var_in_the_order_first_set() -> None:
    """set_var_to_str (AMI SetVar) keeps the order the variables were first set, a repeated name
    in its place; the objectset prints them sorted among the options."""
    snapshot = make_snapshot([make_object("endpoint", "v", set_var=["Z=1", "A=2", "Z=3", "M="])])
    assert _detail(build_documents(snapshot, now=T1), "endpoints", "v")["set_var"] == "Z=3,A=2,M="


def test_contacts_list_leaves_out_what_pjsip_show_contacts_does() -> None:
    """A realtime aor that Asterisk's multi-row lookup refuses (listed=False) is listed itself (its
    by-id view is golden's `objects`), but `pjsip show contacts` lists none of its contacts (golden
    v40 `contacts` is empty): the contacts list leaves them out, the lookup by id finds them."""
    import dataclasses

    from pjsipconf.model.contacts import permanent_contacts

    hidden = dataclasses.replace(make_object("aor", "rt", contact="sip:rt@192.0.2.9"), listed=False)
    shown = make_object("aor", "file", contact="sip:file@192.0.2.8")
    snapshot = make_snapshot([hidden, shown])
    assert [c.listed for c in permanent_contacts(snapshot.objects)] == [True, False]
    for previous in (None, build_documents(snapshot, now=T1).baseline()):
        documents = build_documents(snapshot, previous=previous, now=T2)
        for view in ("api", "asterisk", "explain"):
            listed = json.loads(documents.lookup("contacts", None, view).result)["list"]  # type: ignore[union-attr]
            assert len(listed) == 1, view
        assert json.loads(documents.lookup("contacts", None).result)["list"][0]["aor"] == "file"  # type: ignore[union-attr]
        rt_contact = next(cid for cid in documents.ids("contacts") if cid.startswith("rt@@"))
        assert _detail(documents, "contacts", rt_contact)["aor"] == "rt"
        assert [a["object_name"] for a in json.loads(documents.lookup("aors", None).result)["list"]] == ["file", "rt"]  # type: ignore[union-attr]
        assert _detail(documents, "aors", "rt")["total_contacts"] == 1  # `pjsip show aor rt` prints it


def test_list_is_the_details_joined() -> None:
    documents = build_documents(small_pbx(), now=T1)
    listed = json.loads(documents.lookup("aors", None).result)["list"]
    assert listed == [_detail(documents, "aors", oid) for oid in ("1001", "1002", "trunk")]


def test_unchanged_rebuild_keeps_tm_update_and_bytes() -> None:
    first = build_documents(small_pbx(), now=T1)
    second = build_documents(small_pbx(), previous=first.baseline(), now=T2)
    assert second.built_at == T1
    for collection in ("endpoints", "aors", "auths", "contacts", "transports"):
        assert second.lookup(collection, None) == first.lookup(collection, None)
    assert _detail(second, "endpoints", "1001")["tm_update"] == T1


def test_changed_object_gets_new_tm_update_others_keep_theirs() -> None:
    first = build_documents(small_pbx(), now=T1)
    second = build_documents(small_pbx(context="changed"), previous=first.baseline(), now=T2)
    assert _detail(second, "endpoints", "1001")["tm_update"] == T2
    assert _detail(second, "endpoints", "1001")["context"] == "changed"
    assert _detail(second, "endpoints", "1002")["tm_update"] == T1
    assert second.lookup("endpoints", "1002") == first.lookup("endpoints", "1002")
    assert second.built_at == T2
    # Changing it back is a change too.
    third = build_documents(small_pbx(), previous=second.baseline(), now=T3)
    assert _detail(third, "endpoints", "1001")["tm_update"] == T3


def test_derived_fields_count_as_content() -> None:
    """An aor whose referencing endpoint changes gets a new tm_update (its endpoint_name changed)."""
    before = make_snapshot([make_object("aor", "x"), make_object("endpoint", "e1", aors="x")])
    after = make_snapshot([make_object("aor", "x"), make_object("endpoint", "e1", aors="y")])
    first = build_documents(before, now=T1)
    second = build_documents(after, previous=first.baseline(), now=T2)
    assert _detail(second, "aors", "x")["endpoint_name"] == ""
    assert _detail(second, "aors", "x")["tm_update"] == T2


def test_moved_line_keeps_tm_update_but_explain_follows() -> None:
    first = build_documents(make_snapshot([make_object("aor", "x", line=1, max_contacts="3")]), now=T1)
    moved = make_snapshot([make_object("aor", "x", line=40, max_contacts="3")])
    second = build_documents(moved, previous=first.baseline(), now=T2)
    assert _detail(second, "aors", "x")["tm_update"] == T1
    assert _detail(second, "aors", "x", "explain")["options"]["max_contacts"]["lines"][0]["line"] == 41
    assert second.lookup("aors", "x", "explain") != first.lookup("aors", "x", "explain")  # a new ETag
    assert second.lookup("aors", "x") == first.lookup("aors", "x")


def test_deleted_objects_disappear() -> None:
    first = build_documents(small_pbx(), now=T1)
    smaller = make_snapshot([make_object("endpoint", "1001", aors="1001")])
    second = build_documents(smaller, previous=first.baseline(), now=T2)
    assert second.ids("endpoints") == ["1001"] and second.lookup("endpoints", "1002") is None
    assert ("endpoint", "1002") not in second.memos


def test_document_body_splices_the_timestamp() -> None:
    document = Document.of_result(b'{"list": []}')
    body = json.loads(document.body(T1))
    assert body == {"api_ver": "0.1", "timestamp": T1, "statuscode": 200, "result": {"list": []}}
    assert document.result == b'{"list": []}'


def test_explain_views_are_rendered_on_first_use_and_reused() -> None:
    first = build_documents(small_pbx(), now=T1)
    explain = first.lookup("endpoints", "1001", "explain")
    assert explain is not None and not explain.resolved
    rendered = explain.result
    second = build_documents(small_pbx(), previous=first.baseline(), now=T2)
    again = second.lookup("endpoints", "1001", "explain")
    assert again is not explain and not again.resolved
    assert again.result == rendered and again == explain
    # Never asked for in between: the next build still reuses the last rendered one.
    third = build_documents(small_pbx(), previous=second.baseline(), now=T3)
    fourth = build_documents(small_pbx(), previous=third.baseline(), now=T3)
    assert fourth.lookup("endpoints", "1001", "explain").result == rendered  # type: ignore[union-attr]
    listed = json.loads(fourth.lookup("endpoints", None, "explain").result)["list"]  # type: ignore[union-attr]
    assert [item["object_name"] for item in listed] == ["1001", "1002"]


def test_rebuild_reuses_documents_of_objects_the_model_reused(tmp_path) -> None:
    """With the model's BuildMemo, an unchanged object is the same object, and its documents are
    taken over as they are; an object whose extra inputs changed (who uses an aor) is rendered again."""
    from pjsipconf.api.documents import BuildOptions, build_documents
    from pjsipconf.model.build import build_snapshot
    from pjsipconf.model.reuse import BuildMemo

    conf = tmp_path / "pjsip.conf"
    body = "[a1]\ntype=aor\n\n[a2]\ntype=aor\n\n[e1]\ntype=endpoint\naors=a1\n\n[e2]\ntype=endpoint\naors=a2\n"
    conf.write_text(body)
    memo = BuildMemo()
    first = build_documents(build_snapshot(str(tmp_path), memo=memo), options=BuildOptions(), now="T1")
    conf.write_text(body.replace("[e2]\ntype=endpoint\naors=a2", "[e2]\ntype=endpoint\naors=a1"))
    second_snapshot = build_snapshot(str(tmp_path), memo=memo)
    second = build_documents(second_snapshot, previous=first.baseline(), options=BuildOptions(), now="T2")
    old, new = first.baseline().memos, second.baseline().memos
    assert new[("endpoint", "e1")] is old[("endpoint", "e1")]  # same object, same users: taken over
    assert new[("aor", "a1")] is not old[("aor", "a1")]  # same object, but e2 now uses it too
    assert json.loads(second.lookup("aors", "a1", "api").result)["endpoint_name"] == "e1,e2"
    assert json.loads(second.lookup("aors", "a2", "api").result)["endpoint_name"] == ""
    assert new[("endpoint", "e2")] is not old[("endpoint", "e2")]


def test_documents_of_a_build_make_no_reference_cycles() -> None:
    """The collector is frozen after each rebuild (pjsipconf.gcpause): a cycle in a build's
    documents would never be freed, and a server rebuilding all day would grow without end."""
    import gc

    gc.collect()
    first = build_documents(small_pbx(), now="2023-11-14T22:13:20.000000000Z")
    second = build_documents(small_pbx(context="two"), previous=first.baseline(), now="2023-11-14T22:13:21.000000000Z")
    del first, second
    assert gc.collect() == 0
