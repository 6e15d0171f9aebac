"""Write the documents as files a plain web server serves at the same URLs.

Every write is atomic (a temporary file in the same directory, then `os.replace`), a rebuild
rewrites only files whose content changed and removes the files of deleted objects. A manifest
(`.pjsipconf-manifest.json`) remembers each file's ETag and each object's fingerprint and
tm_update, so a later `build` in a new process knows what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

from pjsipconf.api import paths
from pjsipconf.api.browse import render_browse
from pjsipconf.api.contract import TYPE_OF_COLLECTION
from pjsipconf.api.documents import Baseline, Document, Documents, Memo
from pjsipconf.api.envelope import error_body
from pjsipconf.api.openapi import openapi_bytes
from pjsipconf.templating import environment

Progress = Callable[[int, int], None]  # (done, total)

ERROR_MESSAGES = {
    400: "bad request: empty id, malformed percent-escape or unknown view",
    404: "not found: no such object or route",
    405: "method not allowed: use GET, HEAD or OPTIONS",
}


@dataclass(frozen=True)
class Planned:
    """One file of the output: where, a tag that changes when its content does, and its bytes."""

    path: str
    tag: str
    produce: Callable[[], bytes]


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int


@dataclass(frozen=True)
class Manifest:
    files: Mapping[str, str]  # relative path -> tag ("" while a write of it may be unfinished)
    baseline: Baseline
    incomplete: bool = False  # the run that wrote it was stopped before it finished


def _tag(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def _document(path: str, document: Document, timestamp: str) -> Planned:
    return Planned(path, document.etag, lambda: document.body(timestamp))


def _bytes(path: str, data: bytes) -> Planned:
    return Planned(path, _tag(data), lambda: data)


def plan_documents(documents: Documents, timestamp: str) -> Iterator[Planned]:
    """Every JSON document of the API, at its static path."""
    for (collection, view), document in documents.lists.items():
        yield _document(paths.list_file(collection, view), document, timestamp)
    for (collection, view), by_id in documents.details.items():
        for object_id, document in by_id.items():
            yield _document(paths.detail_file(collection, object_id, view), document, timestamp)
    for route, document in documents.extras.items():
        yield _document(paths.extra_file(route), document, timestamp)
    yield _bytes("openapi.json", openapi_bytes())
    for status, message in ERROR_MESSAGES.items():
        # The error documents keep a fixed timestamp so that they never change between builds.
        yield _bytes(paths.error_file(status), error_body(status, message, "1970-01-01T00:00:00.000000000Z"))


def encoded_routes(documents: Documents) -> list[tuple[str, str]]:
    """(decoded URL path, file path) of every id whose file name is not the id itself (for nginx)."""
    out = []
    for (collection, view), by_id in documents.details.items():
        if view != "api":
            continue
        for object_id in by_id:
            if not paths.is_plain(object_id):
                out.append((f"/pjsip/{collection}/{object_id}", "/" + paths.detail_file(collection, object_id)))
    return out


def _nginx_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_nginx(documents: Documents, outdir: str) -> bytes:
    template = environment().get_template("nginx/pjsipconf.conf.j2")
    encoded = encoded_routes(documents)
    routes = [(_nginx_string(url), _nginx_string(file)) for url, file in encoded]
    longest = max((len(url.encode("utf-8")) for url, _ in encoded), default=0)
    bucket = 64
    while bucket < longest + 64:  # nginx needs every map key to fit a hash bucket
        bucket *= 2
    collections = "|".join(re.escape(collection) for collection in sorted(TYPE_OF_COLLECTION))
    return template.render(
        root=os.path.abspath(outdir), routes=routes, paths=paths, bucket=bucket, collections=collections
    ).encode("utf-8")


def plan_all(documents: Documents, outdir: str, timestamp: str) -> list[Planned]:
    planned = list(plan_documents(documents, timestamp))
    planned.extend(_bytes(path, data) for path, data in render_browse(documents))
    planned.append(_bytes(paths.NGINX_SNIPPET, render_nginx(documents, outdir)))
    return planned


def inside(root: str, relative: str) -> str:
    """The absolute path of `relative` under `root` (already a real path); refuses anything that
    could leave it: absolute paths, `.`/`..`/empty components, NUL. Checked lexically (no
    filesystem calls: a build checks 90,000 paths), which suffices because the output tree
    holds only what this module writes."""
    parts = relative.split("/")
    if relative.startswith("/") or "\0" in relative or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"refusing to write outside {root}: {relative!r}")
    return os.path.join(root, *parts)


def write_atomic(path: str, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one."""
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def load_manifest(outdir: str) -> Manifest:
    """The previous build's manifest; an empty one when there is none or it is unreadable."""
    try:
        with open(os.path.join(outdir, paths.MANIFEST), encoding="utf-8") as stream:
            raw = json.load(stream)
        memos = {
            (type_, object_id): Memo(fingerprint, tm_update, explain_key=explain_key, explain_etag=explain_etag)
            for type_, object_id, fingerprint, tm_update, explain_key, explain_etag in raw["objects"]
        }
        return Manifest(dict(raw["files"]), Baseline(memos, raw.get("built_at")), bool(raw.get("incomplete")))
    except (OSError, ValueError, KeyError, TypeError):
        return Manifest({}, Baseline())


def _manifest_bytes(files: Mapping[str, str], documents: Documents, *, incomplete: bool = False) -> bytes:
    objects = [
        [t, i, memo.fingerprint, memo.tm_update, memo.current_explain_key(), _explain_etag(memo)]
        for (t, i), memo in documents.memos.items()
    ]
    manifest: dict[str, object] = {"built_at": documents.built_at, "files": files, "objects": objects}
    if incomplete:
        manifest["incomplete"] = True
    return json.dumps(manifest).encode("utf-8")


def _explain_etag(memo: Memo) -> str | None:
    return memo.views["explain"].etag if memo.views is not None else None


def _remove_temporary_files(root: str) -> None:
    """The `.tmp-*` files a stopped run of write_atomic left behind."""
    for directory, _dirs, names in os.walk(root):
        for name in names:
            if name.startswith(".tmp-"):
                os.unlink(os.path.join(directory, name))


def _remove_empty_parents(path: str, root: str) -> None:
    directory = os.path.dirname(path)
    while directory != root and directory.startswith(root):
        try:
            os.rmdir(directory)
        except OSError:
            return
        directory = os.path.dirname(directory)


def write_static(
    documents: Documents,
    outdir: str,
    *,
    timestamp: str,
    manifest: Manifest | None = None,
    progress: Progress | None = None,
) -> WriteReport:
    """Bring `outdir` up to date with `documents`; returns what was written and removed.

    Before it writes anything, the manifest lists every file it is about to write as unknown
    (and still lists the ones it is about to remove): a run killed halfway leaves a manifest
    from which the next run rewrites exactly what may be stale and removes what is not wanted."""
    os.makedirs(outdir, exist_ok=True)
    root = os.path.realpath(outdir)
    manifest = manifest if manifest is not None else load_manifest(outdir)
    if manifest.incomplete:
        _remove_temporary_files(root)  # of the run that was stopped
    planned = plan_all(documents, outdir, timestamp)
    files: dict[str, str] = {}
    pending: list[tuple[Planned, str]] = []
    for item in planned:
        target = inside(root, item.path)
        files[item.path] = item.tag
        if manifest.files.get(item.path) != item.tag or not os.path.isfile(target):
            pending.append((item, target))
    stale_files = sorted(set(manifest.files) - set(files))
    if pending or stale_files:
        interim = {**manifest.files, **{item.path: "" for item, _target in pending}}
        write_atomic(os.path.join(root, paths.MANIFEST), _manifest_bytes(interim, documents, incomplete=True))
    written: list[str] = []
    for done, (item, target) in enumerate(pending, start=1):
        write_atomic(target, item.produce())
        written.append(item.path)
        if progress is not None and (done % 500 == 0 or done == len(pending)):
            progress(done, len(pending))
    removed = []
    for stale in stale_files:
        target = inside(root, stale)
        if os.path.isfile(target):
            os.unlink(target)
            _remove_empty_parents(target, root)
        removed.append(stale)
    if written or removed or dict(manifest.files) != files or manifest.incomplete:
        write_atomic(os.path.join(root, paths.MANIFEST), _manifest_bytes(files, documents))
    return WriteReport(tuple(written), tuple(removed), len(planned) - len(written))
