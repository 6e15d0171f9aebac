"""The static output: safe file names, atomic minimal rewrites, same JSON as the Flask routes."""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from pjsipconf.api import paths
from pjsipconf.api.documents import build_documents
from pjsipconf.api.envelope import format_timestamp
from pjsipconf.api.static import load_manifest, write_atomic, write_static
from pjsipconf.api.web import FixedView, create_app
from tests.api.helpers import make_object, make_snapshot, small_pbx
from tests.api.staticserver import StaticServer

T1, T2, T3 = (format_timestamp(n * 1_000_000_000) for n in (1_700_000_000, 1_700_000_100, 1_700_000_200))
HOSTILE_IDS = [
    "a/b", "..", ".", "../../etc/passwd", "/abs", "x;@y", "with space", "ünïcode", "a" * 300, "é" * 300,
    ".hidden", "~tilde", "A", "a", "x.json", "x", "100%", "%2F", "back\\slash", "q?u#e", "tab\there",
]


@given(st.text(min_size=1, max_size=400))
def test_id_encoding_is_reversible_and_safe(object_id: str) -> None:
    stem = paths.encode_id(object_id)
    assert paths.decode_id(stem) == object_id
    for part in stem.split("/"):
        assert part not in ("", ".", "..") and len(part.encode()) + len(paths.SUFFIX) <= 255
        assert "\x00" not in part


def _hostile_snapshot():
    return make_snapshot([make_object("aor", oid) for oid in HOSTILE_IDS] + [make_object("endpoint", "e", aors="a/b")])


def _files(outdir: Path) -> set[str]:
    return {str(p.relative_to(outdir)) for p in outdir.rglob("*") if p.is_file()}


def test_hostile_ids_stay_inside_and_do_not_collide(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    write_static(build_documents(_hostile_snapshot(), now=T1), str(outdir), timestamp=T1)
    for path in tmp_path.rglob("*"):
        assert os.path.realpath(path).startswith(str(outdir.resolve())), path
    details = [f for f in _files(outdir) if f.startswith("pjsip/aors/")]
    assert len(details) == len(HOSTILE_IDS)  # one file each: nothing overwrote anything
    decoded = {paths.decode_id(f[len("pjsip/aors/") : -len(".json")]) for f in details}
    assert decoded == set(HOSTILE_IDS)
    for object_id in HOSTILE_IDS:
        data = json.loads((outdir / paths.detail_file("aors", object_id)).read_bytes())
        assert data["result"]["object_name"] == object_id


def test_second_build_without_change_writes_nothing(tmp_path: Path) -> None:
    outdir = str(tmp_path / "out")
    first = write_static(build_documents(small_pbx(), now=T1), outdir, timestamp=T1)
    assert first.written and not first.removed
    before = {p: p.stat().st_mtime_ns for p in Path(outdir).rglob("*") if p.is_file()}
    baseline = load_manifest(outdir).baseline
    second = write_static(build_documents(small_pbx(), previous=baseline, now=T2), outdir, timestamp=T2)
    assert second.written == () and second.removed == ()
    after = {p: p.stat().st_mtime_ns for p in Path(outdir).rglob("*") if p.is_file()}
    assert before == after


def test_one_object_edit_rewrites_only_its_documents_and_lists(tmp_path: Path) -> None:
    outdir = str(tmp_path / "out")
    write_static(build_documents(small_pbx(), now=T1), outdir, timestamp=T1)
    baseline = load_manifest(outdir).baseline
    report = write_static(
        build_documents(small_pbx(context="edited"), previous=baseline, now=T2), outdir, timestamp=T2
    )
    views = ("", "_view/asterisk/", "_view/explain/")
    expected = {f"{v}pjsip/endpoints/1001.json" for v in views} | {f"{v}pjsip/endpoints.json" for v in views}
    assert set(report.written) == expected
    edited = json.loads((Path(outdir) / "pjsip/endpoints/1001.json").read_bytes())
    assert edited["result"]["context"] == "edited" and edited["result"]["tm_update"] == T2
    untouched = json.loads((Path(outdir) / "pjsip/endpoints/1002.json").read_bytes())
    assert untouched["result"]["tm_update"] == T1 and untouched["timestamp"] == T1


def test_deleted_objects_are_removed(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    write_static(build_documents(_hostile_snapshot(), now=T1), str(outdir), timestamp=T1)
    baseline = load_manifest(str(outdir)).baseline
    smaller = make_snapshot([make_object("aor", "x")])
    report = write_static(build_documents(smaller, previous=baseline, now=T2), str(outdir), timestamp=T2)
    assert paths.detail_file("aors", "a" * 300) in report.removed
    remaining = {f for f in _files(outdir) if f.startswith("pjsip/aors/")}
    assert remaining == {"pjsip/aors/x.json"}
    assert not [d for d in (outdir / "pjsip/aors").iterdir() if d.is_dir()]  # emptied chunk dirs are gone


def test_atomic_writes_never_show_half_a_file(tmp_path: Path) -> None:
    target = tmp_path / "doc.json"
    payloads = [json.dumps({"n": i, "pad": "x" * (200_000 * (i % 3))}).encode() for i in range(40)]
    write_atomic(str(target), payloads[0])
    stop = threading.Event()
    seen: list[int] = []

    def read() -> None:
        while not stop.is_set():
            seen.append(json.loads(target.read_bytes())["n"])  # raises on a torn file

    reader = threading.Thread(target=read)
    reader.start()
    for payload in payloads:
        write_atomic(str(target), payload)
    stop.set()
    reader.join()
    assert seen and not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_progress_reports_the_total(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    write_static(build_documents(small_pbx(), now=T1), str(tmp_path), timestamp=T1, progress=lambda d, t: calls.append((d, t)))
    assert calls and calls[-1][0] == calls[-1][1]


def _routes(documents) -> list[str]:
    routes = ["/pjsip/findings", "/pjsip/nope", "/pjsip/aors/nope"]
    for (collection, view), by_id in documents.details.items():
        suffix = "" if view == "api" else f"?view={view}"
        routes.append(f"/pjsip/{collection}{suffix}")
        routes.extend(f"/pjsip/{collection}/{quote(oid, safe='')}{suffix}" for oid in by_id)
    return routes


def _fetch(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], json.loads(error.read())


def test_static_files_serve_the_same_json_as_flask(tmp_path: Path) -> None:
    snapshot = make_snapshot(
        [obj for objs in small_pbx().objects.values() for obj in objs.values()]
        + [make_object("aor", oid) for oid in HOSTILE_IDS if oid not in (".", "..") and not oid.startswith("/")],
        contacts=small_pbx().contacts,
    )
    documents = build_documents(snapshot, now=T1)
    outdir = tmp_path / "out"
    write_static(documents, str(outdir), timestamp=T1)
    client = create_app(FixedView(documents)).test_client()
    with StaticServer(outdir) as server:
        for route in _routes(documents):
            response = client.get(route)
            status, content_type, static_body = _fetch(server.url + route)
            assert status == response.status_code, route
            assert content_type == "application/json", route
            flask_body = json.loads(response.data)
            for body in (flask_body, static_body):
                body.pop("timestamp")
                body.get("error", {}).pop("message", None)
            assert static_body == flask_body, route
        spec = urllib.request.urlopen(server.url + "/openapi.json", timeout=10).read()
        assert json.loads(spec) == json.loads(client.get("/openapi.json").data)
        index = urllib.request.urlopen(server.url + "/index.html", timeout=10).read().decode()
        assert 'href="/pjsip/aors"' in index and 'href="/browse/aors.html"' in index
        page = urllib.request.urlopen(server.url + "/browse/aors.html", timeout=10).read().decode()
        assert 'href="/pjsip/aors/a%2Fb"' in page


def test_inside_refuses_paths_that_leave_the_output(tmp_path: Path) -> None:
    import pytest

    from pjsipconf.api.static import inside

    root = str(tmp_path)
    assert inside(root, "pjsip/aors/x.json") == str(tmp_path / "pjsip/aors/x.json")
    for bad in ("../x.json", "pjsip/../../x", "/etc/passwd", "pjsip//x", "./x", "a/\0"):
        with pytest.raises(ValueError):
            inside(root, bad)


def test_moved_lines_rewrite_only_the_explain_views(tmp_path: Path) -> None:
    outdir = str(tmp_path / "out")
    before = make_snapshot([make_object("aor", "x", line=1, max_contacts="3"), make_object("aor", "y", line=9)])
    write_static(build_documents(before, now=T1), outdir, timestamp=T1)
    moved = make_snapshot([make_object("aor", "x", line=5, max_contacts="3"), make_object("aor", "y", line=9)])
    report = write_static(build_documents(moved, previous=load_manifest(outdir).baseline, now=T2), outdir, timestamp=T2)
    assert set(report.written) == {"_view/explain/pjsip/aors/x.json", "_view/explain/pjsip/aors.json"}
    explained = json.loads((Path(outdir) / "_view/explain/pjsip/aors/x.json").read_bytes())["result"]
    assert explained["options"]["max_contacts"]["lines"][0]["line"] == 6


def test_a_run_stopped_halfway_is_repaired_by_the_next(tmp_path: Path) -> None:
    """Killed after writing new files but before its final manifest: the next run (back to the
    first configuration) rewrites what changed and removes what is no longer wanted."""
    import pytest

    outdir = tmp_path / "out"
    first = build_documents(small_pbx(context="one"), now=T1)
    write_static(first, str(outdir), timestamp=T1)
    wanted = _files(outdir)

    bigger = small_pbx(context="two")
    extra = make_snapshot([obj for objs in bigger.objects.values() for obj in objs.values()] + [make_object("aor", "new")])

    def killed(done: int, total: int) -> None:
        raise KeyboardInterrupt  # the files are written, the run dies before its final manifest

    with pytest.raises(KeyboardInterrupt):
        write_static(build_documents(extra, now=T2), str(outdir), timestamp=T2, progress=killed)
    (outdir / "pjsip" / ".tmp-left-behind").write_text("half")
    assert load_manifest(str(outdir)).incomplete

    write_static(build_documents(small_pbx(context="one"), now=T3), str(outdir), timestamp=T3)
    assert _files(outdir) == wanted
    endpoint = json.loads((outdir / "pjsip/endpoints/1001.json").read_bytes())
    assert endpoint["result"]["context"] == "one" and not load_manifest(str(outdir)).incomplete
