"""Cross references between objects: which object names which, and whether the name resolves.

Asterisk loads an object whose reference dangles (an endpoint naming a missing aor); calls fail
later. The model resolves every reference once, both ways, for `check`, `show` and the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from pjsipconf.conf.types import Variable
from pjsipconf.model.types import PjsipObject, Rendered


@dataclass(frozen=True, slots=True)
class ReferenceOption:
    """An option that names objects of another type."""

    type: str
    option: str
    target: str
    is_list: bool  # a comma list of names (aors, auth) rather than one name (transport)


REFERENCE_OPTIONS: tuple[ReferenceOption, ...] = (
    ReferenceOption("endpoint", "aors", "aor", True),
    ReferenceOption("endpoint", "auth", "auth", True),
    ReferenceOption("endpoint", "outbound_auth", "auth", True),
    ReferenceOption("endpoint", "transport", "transport", False),
    ReferenceOption("identify", "endpoint", "endpoint", False),
    ReferenceOption("registration", "outbound_auth", "auth", True),
    ReferenceOption("registration", "transport", "transport", False),
    ReferenceOption("registration", "endpoint", "endpoint", False),
    ReferenceOption("outbound-publish", "outbound_auth", "auth", True),
    ReferenceOption("outbound-publish", "transport", "transport", False),
    ReferenceOption("inbound-publication", "endpoint", "endpoint", False),
)


@dataclass(frozen=True, slots=True)
class Reference:
    """One name an object's option gives, and whether an object of the target type has it."""

    type: str
    id: str
    option: str
    target_type: str
    target_id: str
    resolved: bool
    variable: Variable | None  # the line that set it (None for a value inherited from nowhere)


@dataclass(frozen=True)
class References:
    """Every reference of a Snapshot, indexed from both ends."""

    outgoing: Mapping[tuple[str, str], tuple[Reference, ...]]  # (type, id) -> what it names
    incoming: Mapping[tuple[str, str], tuple[Reference, ...]]  # (type, id) -> who names it

    def of(self, type_: str, id_: str) -> tuple[Reference, ...]:
        return self.outgoing.get((type_, id_), ())

    def users_of(self, type_: str, id_: str) -> tuple[Reference, ...]:
        return self.incoming.get((type_, id_), ())

    def dangling(self) -> Iterable[Reference]:
        for references in self.outgoing.values():
            yield from (ref for ref in references if not ref.resolved)


def names_in(value: Rendered | None, is_list: bool) -> list[str]:
    """The object names an option's rendered value gives, as res_pjsip splits them (trimmed, no empties)."""
    if value is None:
        return []
    if isinstance(value, str) and (not is_list or "," not in value) and value == value.strip():
        return [value] if value else []  # most values name one object, without blanks
    items = value if isinstance(value, list) else value.split(",") if is_list else [value]
    return list(dict.fromkeys(item.strip() for item in items if item.strip()))


def _last_line(obj: PjsipObject, option: str) -> Variable | None:
    """The line that set a reference option: the last one (these options are last-wins and have no
    aliases, so the name as written, in any case, is enough)."""
    for var in reversed(obj.variables):
        if var.name.lower() == option:
            return var
    return None


def resolve_references(objects: Mapping[str, Mapping[str, PjsipObject]]) -> References:
    """Every reference option of every object, resolved against `objects`."""
    outgoing: dict[tuple[str, str], list[Reference]] = {}
    incoming: dict[tuple[str, str], list[Reference]] = {}
    by_type: dict[str, list[ReferenceOption]] = {}
    for spec in REFERENCE_OPTIONS:
        by_type.setdefault(spec.type, []).append(spec)
    for type_, specs in by_type.items():
        for obj in objects.get(type_, {}).values():
            for spec in specs:
                names = names_in(obj.schema.render_option(obj.state, spec.option), spec.is_list)
                line = _last_line(obj, spec.option) if names else None
                for name in names:
                    ref = Reference(type_, obj.id, spec.option, spec.target, name,
                                    name in objects.get(spec.target, {}), line)
                    outgoing.setdefault((type_, obj.id), []).append(ref)
                    incoming.setdefault((spec.target, name), []).append(ref)
    return References(
        {key: tuple(refs) for key, refs in outgoing.items()},
        {key: tuple(refs) for key, refs in incoming.items()},
    )
