"""A Snapshot becomes every route's JSON, rendered to bytes once per build.

`build_documents(snapshot, previous=...)` reuses what the previous build rendered for objects that
did not change, and carries their `tm_update` over: an object's tm_update is the time its
effective content (every field but tm_update) last changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from pjsipconf.api import fields as F
from pjsipconf.api.contract import COLLECTIONS, VIEWS
from pjsipconf.api.envelope import API_VERSION, SUCCESS_HEAD, SUCCESS_MIDDLE, encode_json, timestamp_of
from pjsipconf.model.contacts import IDLE_OFFLINE, endpoint_state
from pjsipconf.model.types import Contact, PjsipObject, Snapshot
from pjsipconf.sources.runtime.types import EndpointState

MemoKey = tuple[str, str]  # (Asterisk type or "contact", id)


class Document:
    """One route's pre-rendered JSON result and its ETag.

    A deferred document (a list, an explain view) is rendered the first time its bytes are
    needed, at most once per build: most of them are never asked for. Its ETag is known at once.
    """

    __slots__ = ("_result", "_make", "etag")

    def __init__(self, result: bytes | None, etag: str, make: Callable[[], bytes] | None = None) -> None:
        self._result = result
        self._make = make
        self.etag = etag

    @classmethod
    def deferred(cls, etag_inputs: Iterable[bytes], make: Callable[[], bytes]) -> "Document":
        """A document rendered on first use; `etag_inputs` must change whenever its bytes would."""
        return cls(None, 'W/"' + fingerprint(etag_inputs)[:24] + '"', make)

    @classmethod
    def of_result(cls, result: bytes) -> "Document":
        return cls(result, make_etag(result))

    @classmethod
    def list_of(cls, members: Sequence["Document"]) -> "Document":
        """`{"list": [...]}` of the members; the ETag derives from theirs (they hash their bytes)."""
        digest = hashlib.blake2b(b"list", digest_size=12)
        for member in members:
            digest.update(member.etag.encode("ascii"))
        items = tuple(members)
        return cls(None, 'W/"' + digest.hexdigest() + '"', lambda: b'{"list": [' + b", ".join(m.result for m in items) + b"]}")

    @property
    def result(self) -> bytes:
        result = self._result
        if result is None:
            # Two threads may render at once; both produce the same bytes, and either is kept.
            make = self._make
            result = make() if make is not None else self._result
            assert result is not None
            self._result, self._make = result, None
        return result

    def parts(self, timestamp: str) -> list[bytes]:
        """The whole envelope as pieces (nothing large is copied per response)."""
        return [SUCCESS_HEAD, timestamp.encode("ascii"), SUCCESS_MIDDLE, self.result, b"}"]

    def body(self, timestamp: str) -> bytes:
        return b"".join(self.parts(timestamp))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Document) and other.etag == self.etag

    def __hash__(self) -> int:
        return hash(self.etag)

    def __repr__(self) -> str:
        return f"Document({self.etag})"


def make_etag(data: bytes) -> str:
    # Weak: the body's timestamp differs per response while the result stays the same.
    return 'W/"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'


@dataclass(frozen=True, slots=True)
class Memo:
    """What one object rendered to, remembered for the next build."""

    fingerprint: str  # hash of the effective content: every view but tm_update
    tm_update: str
    # The inputs it was rendered from and its documents per view; None when read back from a
    # static manifest (then only fingerprint and tm_update carry over).
    inputs: Any = None
    views: Mapping[str, Document] | None = None


@dataclass(frozen=True)
class BuildOptions:
    show_secrets: bool = False


@dataclass(frozen=True)
class Baseline:
    """What the next build needs from the previous one: per-object memos, when content last
    changed, and the list documents with the memos they were joined from (reused when equal)."""

    memos: Mapping[MemoKey, Memo] = field(default_factory=dict)
    built_at: str | None = None
    lists: Mapping[tuple[str, str], Document] = field(default_factory=dict)
    members: Mapping[str, tuple[Memo, ...]] = field(default_factory=dict)
    refs: Mapping[str, F.EndpointRefs] = field(default_factory=dict)


@dataclass(frozen=True)
class Documents:
    """Every document of one build. Collections are keyed by their URL name (`endpoints`)."""

    built_at: str
    lists: Mapping[tuple[str, str], Document]  # (collection, view) -> list document
    details: Mapping[tuple[str, str], Mapping[str, Document]]  # (collection, view) -> id -> document
    extras: Mapping[str, Document]  # URL path without the leading slash -> document ("pjsip/findings", ...)
    memos: Mapping[MemoKey, Memo] = field(repr=False, default_factory=dict)
    members: Mapping[str, tuple[Memo, ...]] = field(repr=False, default_factory=dict)  # collection -> its memos
    refs: Mapping[str, F.EndpointRefs] = field(repr=False, default_factory=dict)  # endpoint id -> its references

    def lookup(self, collection: str, object_id: str | None, view: str = "api") -> Document | None:
        if object_id is None:
            return self.lists.get((collection, view))
        return self.details.get((collection, view), {}).get(object_id)

    def ids(self, collection: str) -> Sequence[str]:
        return list(self.details.get((collection, "api"), {}))

    def baseline(self) -> Baseline:
        return Baseline(self.memos, self.built_at, self.lists, self.members, self.refs)


def byte_order(ids: Iterable[str]) -> list[str]:
    """Ids as Asterisk lists them: strcmp (UTF-8 byte) order."""
    return sorted(ids, key=lambda ident: ident.encode("utf-8", "surrogatepass"))


def fingerprint(parts: Iterable[bytes]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _with_tm_update(fields_json: bytes, tm_update: str) -> bytes:
    """Append `tm_update` as the last key of an encoded object (the contract puts it last)."""
    return fields_json[:-1] + b', "tm_update": ' + encode_json(tm_update) + b"}"


def _memo_for(
    key: MemoKey,
    inputs: Any,
    render: Callable[[], tuple[bytes, bytes, Document]],
    previous: Mapping[MemoKey, Memo],
    now: str,
) -> Memo:
    """Reuse the previous memo when the inputs are equal; keep tm_update when the content is equal."""
    old = previous.get(key)
    if old is not None and old.views is not None and old.inputs == inputs:
        return old
    api_fields, asterisk, explain = render()
    print_ = fingerprint((api_fields, asterisk))
    tm_update = old.tm_update if old is not None and old.fingerprint == print_ else now
    views = {
        "api": Document.of_result(_with_tm_update(api_fields, tm_update)),
        "asterisk": Document.of_result(asterisk),
        "explain": explain,
    }
    return Memo(print_, tm_update, inputs, views)


def _provenance_key(obj: PjsipObject) -> Iterator[bytes]:
    """Everything the explain view shows besides the values: lines, templates, apply notes."""
    yield f"{obj.source.kind}\0{obj.source.name}\0{obj.line}\0{obj.templates}\0{sorted(obj.adjusted.items())}".encode()
    for var in obj.variables:
        yield f"{var.source.kind}\0{var.source.name}\0{var.line}\0{var.section}\0{var.name}\0{var.value}".encode()


def _object_renderer(
    obj: PjsipObject, states: Mapping[str, EndpointState], refs: F.CrossRefs, options: BuildOptions
) -> tuple[Any, Callable[[], tuple[bytes, bytes, Document]]]:
    """The inputs an object's documents depend on, and how to render them."""
    extra: Any = ()
    if obj.type == "endpoint":
        state = states[obj.id]
        extra = (state.device_state, str(state.active_channels))
    elif obj.type == "aor":
        extra = (refs.endpoints_of_aor.get(obj.id, ()), refs.contacts_of_aor.get(obj.id, ()))
    elif obj.type == "auth":
        extra = refs.endpoints_of_auth.get(obj.id, ())

    def render() -> tuple[bytes, bytes, Document]:
        rendered = F.redact(obj.rendered(), options.show_secrets)
        if obj.type == "endpoint":
            api = F.endpoint_fields(obj, rendered, extra)
        elif obj.type == "aor":
            api = F.aor_fields(obj, rendered, refs)
        elif obj.type == "auth":
            api = F.auth_fields(obj, rendered, refs)
        else:
            api = F.generic_fields(obj, rendered)
        asterisk = encode_json(rendered)
        # Working out every option's provenance costs more than everything else together, and
        # explain views are seldom asked for: rendered on first use.
        explain = Document.deferred(
            (asterisk, b"secrets" if options.show_secrets else b"", *_provenance_key(obj)),
            lambda: encode_json(F.explain_fields(obj, options.show_secrets)),
        )
        return encode_json(api), asterisk, explain

    return (obj, extra, options.show_secrets), render


def _contact_renderer(contact: Contact) -> Callable[[], tuple[bytes, bytes, Document]]:
    def render() -> tuple[bytes, bytes, Document]:
        return (
            encode_json(F.contact_fields(contact)),
            encode_json(dict(contact.details)),
            Document.of_result(encode_json(F.contact_explain(contact))),
        )

    return render


def build_documents(
    snapshot: Snapshot,
    *,
    previous: Baseline | None = None,
    options: BuildOptions = BuildOptions(),
    findings: Sequence[Any] = (),
    extras: Mapping[str, Any] | None = None,
    now: str,
) -> Documents:
    """Render every object route (three views each), the lists, /pjsip/findings and `extras`.

    `now` (an API timestamp) becomes the tm_update of new and changed objects; `extras` maps
    further routes (e.g. "health") to JSON results in the envelope. `built_at` stays the previous
    one when no object changed, so an unchanged rebuild yields byte-identical documents.
    """
    baseline = previous or Baseline()
    previous_memos = baseline.memos
    endpoint_refs = {
        oid: F.endpoint_refs(endpoint, baseline.refs.get(oid)) for oid, endpoint in snapshot.of_type("endpoint").items()
    }
    refs = F.cross_refs(snapshot, endpoint_refs)
    states = _endpoint_states(snapshot, endpoint_refs, refs)
    memos: dict[MemoKey, Memo] = {}
    per_collection: dict[str, dict[str, Memo]] = {coll: {} for coll in COLLECTIONS.values()}
    for type_, objects in snapshot.objects.items():
        collection = COLLECTIONS.get(type_)
        if collection is None:
            continue
        for object_id in byte_order(objects):
            inputs, render = _object_renderer(objects[object_id], states, refs, options)
            memo = _memo_for((type_, object_id), inputs, render, previous_memos, now)
            memos[(type_, object_id)] = per_collection[collection][object_id] = memo
    contacts = {contact.id: contact for contact in snapshot.contacts}
    for contact_id in byte_order(contacts):
        contact = contacts[contact_id]
        memo = _memo_for(("contact", contact_id), contact, _contact_renderer(contact), previous_memos, now)
        memos[("contact", contact_id)] = per_collection["contacts"][contact_id] = memo

    lists: dict[tuple[str, str], Document] = {}
    details: dict[tuple[str, str], dict[str, Document]] = {}
    members: dict[str, tuple[Memo, ...]] = {}
    for collection, by_id in per_collection.items():
        members[collection] = tuple(by_id.values())
        unchanged = _same_members(members[collection], baseline.members.get(collection))
        for view in VIEWS:
            details[(collection, view)] = {oid: memo.views[view] for oid, memo in by_id.items()}  # type: ignore[index]
            previous_list = baseline.lists.get((collection, view)) if unchanged else None
            lists[(collection, view)] = previous_list or Document.list_of(list(details[(collection, view)].values()))
    extra_docs = {"pjsip/findings": Document.of_result(encode_json({"list": [finding_fields(f) for f in findings]}))}
    for path, value in (extras or {}).items():
        extra_docs[path] = Document.of_result(encode_json(value))
    built_at = baseline.built_at if baseline.built_at and _same_content(memos, previous_memos) else now
    return Documents(built_at, lists, details, extra_docs, memos, members, endpoint_refs)


def _endpoint_states(
    snapshot: Snapshot, endpoint_refs: Mapping[str, F.EndpointRefs], refs: F.CrossRefs
) -> dict[str, EndpointState]:
    """`endpoint_state` of every endpoint, skipping the common case without asking the model.

    An endpoint the runtime bridge did not list and none of whose aors has a contact is offline
    for an idle Asterisk (contacts.endpoint_state says the same, after rendering the endpoint);
    only the others go through `endpoint_state`. tests/api/test_contract.py checks both agree.
    """
    runtime = snapshot.runtime
    listed = runtime.endpoints if runtime is not None and runtime.has_data else {}
    states: dict[str, EndpointState] = {}
    for endpoint_id, endpoint in endpoint_refs.items():
        if endpoint_id in listed:
            states[endpoint_id] = listed[endpoint_id]
        elif not any(aor in refs.contacts_of_aor for aor in endpoint.aors):
            states[endpoint_id] = EndpointState(endpoint_id, IDLE_OFFLINE, 0, True)
        else:
            states[endpoint_id] = endpoint_state(snapshot, endpoint_id)
    return states


def _same_members(new: tuple[Memo, ...], old: tuple[Memo, ...] | None) -> bool:
    """The same memo objects in the same order: the list documents can be reused as they are."""
    return old is not None and len(new) == len(old) and all(a is b for a, b in zip(new, old))


def _same_content(memos: Mapping[MemoKey, Memo], previous: Mapping[MemoKey, Memo]) -> bool:
    if memos.keys() != previous.keys():
        return False
    return all(memo.fingerprint == previous[key].fingerprint for key, memo in memos.items())


def finding_fields(finding: Any) -> dict[str, Any]:
    """A check Finding as `/pjsip/findings` lists it."""
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "object_type": finding.object_type,
        "object_id": finding.object_id,
        "message": finding.message,
    }


def with_extra(documents: Documents, path: str, value: Any) -> Documents:
    """The same documents with one extra route replaced (health changes without a rebuild)."""
    extras = dict(documents.extras)
    extras[path] = Document.of_result(encode_json(value))
    return Documents(
        documents.built_at, documents.lists, documents.details, extras, documents.memos, documents.members, documents.refs
    )



def api_view(
    snapshot: Snapshot, object_type: str | None = None, object_id: str | None = None, *, show_secrets: bool = False
) -> dict[str, Any]:
    """The API's object documents for `show --view api`: `{"api_ver", "objects": {type: {id: fields}}}`."""
    import json

    documents = build_documents(snapshot, options=BuildOptions(show_secrets=show_secrets), now=_snapshot_time(snapshot))
    objects: dict[str, dict[str, Any]] = {}
    for type_, collection in COLLECTIONS.items():
        if object_type is not None and type_ != object_type:
            continue
        for oid, document in documents.details.get((collection, "api"), {}).items():
            if object_id is None or oid == object_id:
                objects.setdefault(type_, {})[oid] = json.loads(document.result)
    return {"api_ver": API_VERSION, "objects": objects}


def _snapshot_time(snapshot: Snapshot) -> str:
    return timestamp_of(snapshot.built_at)
