"""Plain-data views of a Snapshot for `show` (and anything else that prints objects)."""

from __future__ import annotations

import json
from itertools import groupby
from operator import attrgetter
from typing import Any, Callable, Iterable, Iterator

from pjsipconf.gcpause import without_cyclic_gc
from pjsipconf.conf.types import Variable
from pjsipconf.model.types import DEFAULT_PROVENANCE, Contact, PjsipObject, Provenance, Snapshot
from pjsipconf.schema import EncodedValues, load_schema

# json.dumps(text, ensure_ascii=False) for a str, without setting up an encoder for every id.
_json_string: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


def selected(snapshot: Snapshot, type_: str | None = None, id_: str | None = None) -> Iterable[PjsipObject]:
    """Objects of one type (or all), optionally one id, in type then id order."""
    for type_name in sorted(snapshot.objects):
        if type_ is not None and type_name != type_:
            continue
        for object_id, obj in snapshot.objects[type_name].items():
            if id_ is None or object_id == id_:
                yield obj


def asterisk_view(snapshot: Snapshot, type_: str | None = None, id_: str | None = None) -> dict[str, Any]:
    """`{"asterisk_version", "objects": {type: {id: {option: value}}}}`: the golden `expected.json` shape."""
    objects: dict[str, dict[str, Any]] = {}
    for obj in selected(snapshot, type_, id_):
        objects.setdefault(obj.type, {})[obj.id] = obj.rendered()
    return {"asterisk_version": load_schema(snapshot.asterisk_version).asterisk_version, "objects": objects}


def asterisk_json(snapshot: Snapshot, type_: str | None = None, id_: str | None = None) -> str:
    """`dump_json(asterisk_view(...))`, each object encoded straight from its state (see
    TypeSchema.render_json) instead of through a dict of 150 options: what `show` prints."""
    return "".join(asterisk_json_chunks(snapshot, type_, id_))


def asterisk_json_chunks(snapshot: Snapshot, type_: str | None = None, id_: str | None = None) -> Iterator[str]:
    """`asterisk_json` piece by piece, made as they are taken (100,000 endpoints print 470 MB).

    The cyclic collector rests meanwhile: the pieces are made of millions of short-lived acyclic
    objects, and each of its full passes would walk the whole Snapshot (a third of the time at
    100,000 endpoints)."""
    version = load_schema(snapshot.asterisk_version).asterisk_version
    by_type = groupby(selected(snapshot, type_, id_), key=attrgetter("type"))
    rows = ((type_name, _json_rows(objects)) for type_name, objects in by_type)
    with without_cyclic_gc():
        yield from _json_layout({"asterisk_version": version}, rows)


def _json_rows(objects: Iterable[PjsipObject]) -> Iterator[tuple[str, str]]:
    """(id, JSON text) of objects of one type, sharing one memo of encoded values in this pass."""
    encoded: EncodedValues = {}
    return ((obj.id, obj.rendered_json(encoded)) for obj in objects)


def dump_json(view: dict[str, Any]) -> str:
    """A view as JSON text: indented down to each object, each object on one line.

    json's indenting encoder is pure Python (a hundred times slower than the compact C one); one
    line per object keeps 100,000 objects fast to print and still easy to read and grep.
    """
    header = {key: value for key, value in view.items() if key != "objects"}
    rows = (
        (type_name, ((object_id, json.dumps(options, ensure_ascii=False)) for object_id, options in objects.items()))
        for type_name, objects in view.get("objects", {}).items()
    )
    return "".join(_json_layout(header, rows))


def _json_layout(header: dict[str, Any], types: Iterable[tuple[str, Iterable[tuple[str, str]]]]) -> Iterator[str]:
    """The `dump_json` layout in pieces, from the header members and each object's JSON text."""
    yield "{\n"
    for key, value in header.items():
        yield f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
    yield '  "objects": {\n'
    type_separator = ""
    for type_name, rows in types:
        yield f"{type_separator}    {json.dumps(type_name)}: {{"
        type_separator = ",\n"
        row_separator = "\n"
        for object_id, text in rows:
            yield f"{row_separator}      {_json_string(object_id)}: {text}"
            row_separator = ",\n"
        yield "}" if row_separator == "\n" else "\n    }"
    yield "  }\n}" if not type_separator else "\n  }\n}"


def explain_provenance(provenance: Provenance) -> dict[str, Any]:
    """Where a value came from, as plain data: kind, and for lines their file, line and section."""
    out: dict[str, Any] = {"from": provenance.kind, "description": provenance.describe()}
    if provenance.note:
        out["note"] = provenance.note  # what Asterisk's apply handler did to the value
    if provenance.variables:
        out["lines"] = [
            {
                "source": var.source.kind,
                "file" if var.source.kind == "file" else "table": var.source.name,
                "line": var.line,
                "section" if var.source.kind == "file" else "row": var.section,
                "text": f"{var.name}{'+=' if var.operator == '+=' else '='}{var.value}",
            }
            for var in provenance.lines()
        ]
    return out


def explain_object(obj: PjsipObject) -> dict[str, Any]:
    """Each printed entry with its value and provenance (set_var entries explained by set_var)."""
    where = entry_provenances(obj)
    return {name: {"value": value, **explain_provenance(where(name))} for name, value in obj.rendered().items()}


def entry_provenances(obj: PjsipObject) -> Callable[[str], Provenance]:
    """Where each printed entry came from: its option's lines (PjsipObject.provenances), and for
    an entry named by a set_var variable, the set_var line that set it last (a repeated name
    replaces the value; the name is kept as written, blanks and case included). One pass over
    the lines, not one per entry: an endpoint may have thousands of set_var lines."""
    where = obj.provenances()
    schema = obj.schema
    variable_lines: dict[str, Variable] = {}
    for var in obj.variables:
        spec = schema.option(var.name)
        if spec is not None and spec.kind_name == "set_var" and "=" in var.value:
            variable_lines[var.value.split("=", 1)[0]] = var

    def provenance(entry: str) -> Provenance:
        line = variable_lines.get(entry)
        spec = schema.option(entry)
        printed = spec is not None and (spec.regex or spec.name == entry)  # `CONTEXT` is a variable
        if line is None:
            return where(entry) if printed or spec is None else DEFAULT_PROVENANCE
        own = where(entry) if printed else DEFAULT_PROVENANCE
        return Provenance(line.source.kind, (line, *own.variables), own.note)

    return provenance


def explain_view(snapshot: Snapshot, type_: str | None = None, id_: str | None = None) -> dict[str, Any]:
    objects: dict[str, dict[str, Any]] = {}
    for obj in selected(snapshot, type_, id_):
        objects.setdefault(obj.type, {})[obj.id] = {
            "defined_at": {"source": obj.source.kind, "name": obj.source.name, "line": obj.line},
            "templates": list(obj.templates),
            "references": [
                {"option": ref.option, "type": ref.target_type, "id": ref.target_id, "resolved": ref.resolved}
                for ref in snapshot.references.of(obj.type, obj.id)
            ],
            "used_by": [
                {"type": ref.type, "id": ref.id, "option": ref.option}
                for ref in snapshot.references.users_of(obj.type, obj.id)
            ],
            "options": explain_object(obj),
        }
    return {"asterisk_version": load_schema(snapshot.asterisk_version).asterisk_version, "objects": objects}


def contacts_table(contacts: Iterable[Contact]) -> str:
    """`pjsip show contacts` as Asterisk prints it (location.c): the URI column is as wide as the
    aor leaves it (45 characters less the aor's: cut there, or printed whole past that width)."""
    rows = []
    for contact in contacts:
        width = 45 - len(contact.aor)
        uri = contact.uri[:width].ljust(width) if width >= 0 else contact.uri.ljust(-width)
        rows.append(f"  Contact:  {contact.aor}/{uri} {contact.hash:<10.10} {contact.status:<7.7} {contact.rtt_ms:>11}\n")
    if not rows:
        return "No objects found.\n"
    header = "\n  Contact:  <Aor/ContactUri" + "." * 30 + "> <Hash....> <Status> <RTT(ms)..>\n" + "=" * 90 + "\n\n"
    return header + "".join(rows) + f"\nObjects found: {len(rows)}\n\n"


def text_table(obj: PjsipObject, explain: bool = False) -> str:
    """The objectset as `pjsip show <type> <id>` prints it (name/value columns), optionally with origins."""
    rows = [(name, value) for name, value in obj.objectset()]
    origins = []
    if explain:
        where = entry_provenances(obj)
        origins = [where(name).describe() for name, _ in rows]
    name_width = max([13] + [len(name) for name, _ in rows])
    value_width = max([14] + [len(value) for _, value in rows])
    header = f" {'ParameterName':<{name_width}} : ParameterValue"
    lines = [f"{obj.type}: {obj.id}  ({obj.source.name}{':' + str(obj.line) if obj.line else ''})", header]
    lines.append(" " + "=" * (name_width + value_width + 3))
    for index, (name, value) in enumerate(rows):
        line = f" {name:<{name_width}} : {value}"
        if explain:
            line = f"{line:<{name_width + value_width + 5}}  <- {origins[index]}"
        lines.append(line.rstrip())
    return "\n".join(lines)
