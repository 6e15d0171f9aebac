"""Small PjsipObjects built through the schema, for merge tests that need no full build."""

from __future__ import annotations

from datetime import datetime, timezone

from pjsipconf.conf.types import Source, Variable
from pjsipconf.model.contacts import permanent_contacts
from pjsipconf.model.types import PjsipObject, Snapshot
from pjsipconf.schema import load_schema

PJSIP_CONF = Source("file", "pjsip.conf", "/etc/asterisk/pjsip.conf")


def make_object(type_: str, id_: str, lines: list[tuple[str, str]], first_line: int = 1) -> PjsipObject:
    """An object of `type_` from `name = value` lines (section header on `first_line`)."""
    schema = load_schema("22").types[type_]
    state = schema.new_state()
    variables = []
    for offset, (name, value) in enumerate(lines, start=1):
        schema.apply(state, name, value)
        line = first_line + offset
        variables.append(Variable(name, value, PJSIP_CONF, line, id_, line))
    return PjsipObject(
        type=type_,
        id=id_,
        source=PJSIP_CONF,
        line=first_line,
        state=schema.diff(state),
        variables=tuple(variables),
        schema=schema,
    )


def make_snapshot(*objects: PjsipObject) -> Snapshot:
    """A Snapshot of these objects (ids in strcmp order) with its permanent contacts."""
    by_type: dict[str, dict[str, PjsipObject]] = {}
    for obj in sorted(objects, key=lambda o: (o.type, o.id)):
        by_type.setdefault(obj.type, {})[obj.id] = obj
    return Snapshot(
        built_at=datetime(2026, 11, 26, tzinfo=timezone.utc),
        asterisk_version="22",
        config_dir="/etc/asterisk",
        objects=by_type,
        contacts=permanent_contacts(by_type),
    )
