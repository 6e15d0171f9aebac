"""A Snapshot becomes every route's JSON, rendered to bytes once per build (never per request).

`build_documents(snapshot, previous=...)` reuses what the previous build rendered for objects that
did not change, and carries their `tm_update` over: an object's tm_update is the time its
effective content (every field but tm_update) last changed. The Flask app and the static writer
serve the same `Documents`. Lists and explain views are rendered on first use (at most once per
build), since most of them are never asked for; everything else when the build runs.
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
    """One route's JSON result and its ETag, rendered once per build at most.

    Most documents are rendered when the build runs. A deferred one (the lists, the explain
    views: most are never asked for) is rendered the first time its bytes or its ETag are needed.
    Two threads may render it at once: both produce the same bytes and either is kept.
    """

    __slots__ = ("_result", "_etag", "_make", "_members")

    def __init__(
        self,
        result: bytes | None = None,
        etag: str | None = None,
        make: Callable[[], bytes] | None = None,
        members: tuple["Document", ...] | None = None,
    ) -> None:
        self._result = result
        self._etag = etag
        self._make = make
        self._members = members

    @classmethod
    def of_result(cls, result: bytes) -> "Document":
        return cls(result, make_etag(result))

    @classmethod
    def list_of(cls, members: Sequence["Document"]) -> "Document":
        """`{"list": [...]}` of the members, joined from their results on first use."""
        return cls(members=tuple(members))

    def lists_exactly(self, members: Sequence["Document"]) -> bool:
        """A list of these very document objects in this order: it can be reused as it is."""
        mine = self._members
        return mine is not None and len(mine) == len(members) and all(a is b for a, b in zip(mine, members))

    @property
    def resolved(self) -> bool:
        return self._result is not None

    @property
    def result(self) -> bytes:
        result = self._result
        if result is None:
            if self._members is not None:
                result = b'{"list": [' + b", ".join(member.result for member in self._members) + b"]}"
            else:
                assert self._make is not None
                result = self._make()
            self._result, self._make = result, None
        return result

    @property
    def etag(self) -> str:
        etag = self._etag
        if etag is None:
            if self._members is not None:  # from the members' tags: no need to join the bytes
                digest = hashlib.blake2b(b"list", digest_size=12)
                for member in self._members:
                    digest.update(member.etag.encode("ascii"))
                etag = 'W/"' + digest.hexdigest() + '"'
            else:
                etag = make_etag(self.result)
            self._etag = etag
        return etag

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
        return f"Document({self._etag or 'deferred'})"


def make_etag(data: bytes) -> str:
    # Weak: the body's timestamp differs per response while the result stays the same.
    return 'W/"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'


@dataclass(slots=True)  # not frozen: 30,000 are made per build and frozen __init__ costs thrice as much
class Memo:
    """What one object rendered to, remembered for the next build."""

    fingerprint: str  # hash of the effective content: every view but tm_update
    tm_update: str
    # The inputs it was rendered from and its documents per view; None when read back from a
    # static manifest (then only fingerprint and tm_update carry over).
    inputs: Any = None
    views: Mapping[str, Document] | None = None
    # (what the explain view shows, its document), and the nearest earlier pair whose document
    # was rendered: the next build's explain view reuses that when the object (lines included)
    # is equal, without comparing anything until someone asks for it.
    explained: tuple[Any, Document] | None = None
    explain_base: tuple[Any, Document] | None = None
    # The lines, templates and notes the explain view shows (besides the values), as bytes; and
    # what a static manifest remembers of it: a key over those and the content, and the ETag.
    provenance: Callable[[], Iterable[bytes]] | None = field(default=None, compare=False)
    explain_key: str | None = None
    explain_etag: str | None = None

    def current_explain_key(self) -> str | None:
        if self.provenance is None:
            return self.explain_key
        return fingerprint((self.fingerprint.encode(), *self.provenance()))


@dataclass(frozen=True)
class BuildOptions:
    show_secrets: bool = False


@dataclass(frozen=True)
class Baseline:
    """What the next build needs from the previous one: per-object memos, when content last
    changed, the list documents (one is reused when its members are the very same documents),
    and each endpoint's references (reused while its options are equal)."""

    memos: Mapping[MemoKey, Memo] = field(default_factory=dict)
    built_at: str | None = None
    lists: Mapping[tuple[str, str], Document] = field(default_factory=dict)
    refs: Mapping[str, F.EndpointRefs] = field(default_factory=dict)


@dataclass(frozen=True)
class Documents:
    """Every document of one build. Collections are keyed by their URL name (`endpoints`)."""

    built_at: str
    lists: Mapping[tuple[str, str], Document]  # (collection, view) -> list document
    details: Mapping[tuple[str, str], Mapping[str, Document]]  # (collection, view) -> id -> document
    extras: Mapping[str, Document]  # URL path without the leading slash -> document ("pjsip/findings", ...)
    memos: Mapping[MemoKey, Memo] = field(repr=False, default_factory=dict)
    refs: Mapping[str, F.EndpointRefs] = field(repr=False, default_factory=dict)  # endpoint id -> its references

    def lookup(self, collection: str, object_id: str | None, view: str = "api") -> Document | None:
        if object_id is None:
            return self.lists.get((collection, view))
        return self.details.get((collection, view), {}).get(object_id)

    def ids(self, collection: str) -> Sequence[str]:
        return list(self.details.get((collection, "api"), {}))

    def baseline(self) -> Baseline:
        return Baseline(self.memos, self.built_at, self.lists, self.refs)


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


Renderer = Callable[[], tuple[bytes, bytes]]  # -> (api fields without tm_update, asterisk view)


def _explain_base(old: Memo | None) -> tuple[Any, Document] | None:
    if old is None or old.explained is None:
        return None
    return old.explained if old.explained[1].resolved else old.explain_base


def _deferred_explain(source: Any, base: tuple[Any, Document] | None, render: Callable[[], bytes]) -> Document:
    """An explain view rendered on first use: the base's bytes when its source is equal.

    The maker must not refer to the document it fills: that cycle outlives the build once the
    collector freezes the heap after it (pjsipconf.gcpause), and every rebuild would leak one."""

    def make() -> bytes:
        if base is not None and base[0] == source:
            return base[1].result
        return render()

    return Document(make=make)


Explain = tuple[Any, Callable[[], bytes], Callable[[], Iterable[bytes]] | None]  # source, render, provenance


def _memo_for(key: MemoKey, inputs: Any, render: Renderer, explain: Explain, previous: Mapping[MemoKey, Memo], now: str) -> Memo:
    """Reuse the previous documents when the inputs are equal; keep tm_update when the content is.

    The explain view also shows lines (which move when a line is added above the object): it is
    a new deferred document every build, reusing the last rendered one when the object is equal.
    """
    old = previous.get(key)
    base = _explain_base(old)
    source, render_explain, provenance = explain
    explained = (source, _deferred_explain(source, base, render_explain))
    if old is not None and old.views is not None and old.inputs == inputs:
        views = {**old.views, "explain": explained[1]}
        return Memo(old.fingerprint, old.tm_update, inputs, views, explained, base, provenance)
    api_fields, asterisk = render()
    print_ = fingerprint((api_fields, asterisk))
    tm_update = old.tm_update if old is not None and old.fingerprint == print_ else now
    views = {
        "api": Document.of_result(_with_tm_update(api_fields, tm_update)),
        "asterisk": Document.of_result(asterisk),
        "explain": explained[1],
    }
    memo = Memo(print_, tm_update, inputs, views, explained, base, provenance)
    if old is not None and old.explain_etag is not None and old.explain_key == memo.current_explain_key():
        # Read back from a static manifest and unchanged: the ETag is known without rendering.
        explained[1]._etag = old.explain_etag
    return memo


def _extra_inputs(obj: PjsipObject, states: Mapping[str, EndpointState], refs: F.CrossRefs) -> Any:
    """What an object's api document shows besides its options (device state, who uses it)."""
    if obj.type == "endpoint":
        state = states[obj.id]
        return (state.device_state, str(state.active_channels))
    if obj.type == "aor":
        return (refs.endpoints_of_aor.get(obj.id, ()), refs.contacts_of_aor.get(obj.id, ()))
    if obj.type == "auth":
        return refs.endpoints_of_auth.get(obj.id, ())
    return ()


def _unchanged_memo(
    old: Memo | None, obj: PjsipObject, states: Mapping[str, EndpointState], refs: F.CrossRefs, options: BuildOptions
) -> Memo | None:
    """The previous build's memo as it is, when it was made from this very object (the model
    reuses unchanged objects across rebuilds) with the same extra inputs: every view still holds."""
    if old is None or old.views is None or old.explained is None:
        return None
    source = old.explained[0]
    if source[0] is not obj or source[1] != options.show_secrets:
        return None
    if old.inputs != (obj.schema, obj.state, _extra_inputs(obj, states, refs), options.show_secrets):
        return None
    return old


def _object_renderer(
    obj: PjsipObject, states: Mapping[str, EndpointState], refs: F.CrossRefs, options: BuildOptions
) -> tuple[Any, Renderer, Explain]:
    """What an object's api and asterisk documents depend on, how to render them, and its explain view.

    The rendered options depend on the state alone (and the schema that renders it), so equal
    states mean equal documents, whatever the lines look like.
    """
    extra = _extra_inputs(obj, states, refs)

    def render() -> tuple[bytes, bytes]:
        rendered = F.redact(obj.rendered(), options.show_secrets)
        if obj.type == "endpoint":
            api = F.endpoint_fields(obj, rendered, extra)
        elif obj.type == "aor":
            api = F.aor_fields(obj, rendered, refs)
        elif obj.type == "auth":
            api = F.auth_fields(obj, rendered, refs)
        else:
            api = F.generic_fields(obj, rendered)
        return encode_json(api), encode_json(rendered)

    # Working out every option's provenance costs more than everything else together.
    explain = (
        (obj, options.show_secrets),
        lambda: encode_json(F.explain_fields(obj, options.show_secrets)),
        lambda: _provenance_bytes(obj, options.show_secrets),
    )
    return (obj.schema, obj.state, extra, options.show_secrets), render, explain


def _provenance_bytes(obj: PjsipObject, show_secrets: bool) -> Iterator[bytes]:
    """Everything the explain view shows besides the values: lines, templates, apply notes."""
    yield repr((show_secrets, obj.source.kind, obj.source.name, obj.line, obj.templates, sorted(obj.adjusted.items()))).encode()
    for var in obj.variables:
        for line in var.written():  # each `+=` line of a folded value is cited too
            yield repr((line.source.kind, line.source.name, line.line, line.section, line.name, line.value)).encode()


def _contact_renderer(contact: Contact) -> tuple[Renderer, Explain]:
    def render() -> tuple[bytes, bytes]:
        return encode_json(F.contact_fields(contact)), encode_json(dict(contact.details))

    return render, (contact, lambda: encode_json(F.contact_explain(contact)), None)


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
            obj = objects[object_id]
            memo = _unchanged_memo(previous_memos.get((type_, object_id)), obj, states, refs, options)
            if memo is None:
                inputs, render, explain = _object_renderer(obj, states, refs, options)
                memo = _memo_for((type_, object_id), inputs, render, explain, previous_memos, now)
            memos[(type_, object_id)] = per_collection[collection][object_id] = memo
    contacts = {contact.id: contact for contact in snapshot.contacts}
    for contact_id in byte_order(contacts):
        contact = contacts[contact_id]
        render, explain = _contact_renderer(contact)
        memo = _memo_for(("contact", contact_id), contact, render, explain, previous_memos, now)
        memos[("contact", contact_id)] = per_collection["contacts"][contact_id] = memo

    # The contacts list is what `pjsip show contacts` lists: it leaves out the contacts of realtime
    # aors its multi-row lookup refuses (golden v40 lists none), which a lookup by id still finds.
    # The object lists keep such objects: Asterisk's `pjsip show <type> <id>` shows them (golden
    # `objects`), and listing every object is the API's own promise.
    unlisted = {("contacts", contact.id) for contact in snapshot.contacts if not contact.listed}
    lists: dict[tuple[str, str], Document] = {}
    details: dict[tuple[str, str], dict[str, Document]] = {}
    for collection, by_id in per_collection.items():
        for view in VIEWS:
            key = (collection, view)
            details[key] = {oid: memo.views[view] for oid, memo in by_id.items()}  # type: ignore[index]
            members = [doc for oid, doc in details[key].items() if (collection, oid) not in unlisted]
            old = baseline.lists.get(key)
            lists[key] = old if old is not None and old.lists_exactly(members) else Document.list_of(members)
    extra_docs = {"pjsip/findings": Document.of_result(encode_json({"list": [finding_fields(f) for f in findings]}))}
    for path, value in (extras or {}).items():
        extra_docs[path] = Document.of_result(encode_json(value))
    built_at = baseline.built_at if baseline.built_at and _same_content(memos, previous_memos) else now
    return Documents(built_at, lists, details, extra_docs, memos, endpoint_refs)


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
    return Documents(documents.built_at, documents.lists, documents.details, extras, documents.memos, documents.refs)



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
