"""Small read-only views of a Snapshot that several rule families share.

Rules read raw option values from the lines that built an object (`PjsipObject.variables`)
rather than rendering it: rendering fills in every default and is the slow part of `show`.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from pjsipconf.conf.types import Category, ConfigFile, Problem, Source, Variable
from pjsipconf.model.types import PjsipObject, Snapshot
from pjsipconf.secrets import REDACTED, SECRET_OPTIONS

# Problems of the realtime source about rows Asterisk's lookups lose or cannot tell apart.
REALTIME_ROW_CODES = frozenset(
    {"realtime-multirow-null", "realtime-empty-string", "realtime-row-without-id", "realtime-duplicate-id"}
)
REALTIME_COLUMN_CODES = frozenset({"realtime-ignored-column"})
# What the model logs for objects it loads (apply warnings of Asterisk's own handlers).
ASTERISK_WARNING_CODES = frozenset({"asterisk-warning"})


def is_wiring_problem(problem: Problem) -> bool:
    """sorcery.conf / extconfig.conf / realtime problems that are none of the specific kinds above."""
    return problem.code not in REALTIME_ROW_CODES | REALTIME_COLUMN_CODES | ASTERISK_WARNING_CODES


def without_location(message: str, file: str, line: int) -> str:
    """A parser message without its trailing `(file:line)`: every format shows where already."""
    suffix = f" ({file}:{line})"
    return message[: -len(suffix)] if message.endswith(suffix) else message


def without_module(message: str) -> str:
    """Asterisk's log line without the `res_pjsip/config_auth.c: ` source-file prefix."""
    head, sep, rest = message.partition(": ")
    return rest if sep and head.endswith(".c") and " " not in head else message


def shown(var: Variable) -> str:
    """A line's value as a finding may show it: secrets masked."""
    return REDACTED if var.name.lower() in SECRET_OPTIONS and var.value else var.value


# Sections Asterisk takes by name even without a `type=` line (sorcery's explicit_name).
EXPLICIT_NAMES = ("global", "system")


def source_name(source: Source | None, fallback: str = "pjsip.conf") -> str:
    """The file name a finding shows: relative to the config dir, or the realtime table."""
    return source.name if source is not None else fallback


def last_value(variables: Iterable[Variable], option: str) -> str | None:
    """The value of the last line setting `option` (names are case-insensitive, as in Asterisk)."""
    found = None
    for var in variables:
        if var.name.lower() == option:
            found = var.value
    return found


def last_variable(variables: Iterable[Variable], option: str) -> Variable | None:
    found = None
    for var in variables:
        if var.name.lower() == option:
            found = var
    return found


def option_text(obj: PjsipObject, option: str) -> str:
    """One option as Asterisk prints it ("" when it prints nothing), without rendering the whole
    object: rules that read an option or two of every endpoint stay cheap at 10,000 endpoints."""
    value = obj.schema.render_option(obj.state, option)
    return ",".join(value) if isinstance(value, list) else value or ""


def split_list(value: str | None) -> list[str]:
    """A comma list as res_pjsip splits it: items trimmed, empty items dropped."""
    if not value:
        return []
    return [item.strip() for item in value.split(",") if item.strip()]


def category_type(category: Category) -> str | None:
    """The type sorcery gives a section: its FIRST `type=` (name any case, value exact)."""
    for var in category.variables:
        if var.name.lower() == "type":
            return var.value
    if category.name in EXPLICIT_NAMES:
        return category.name
    return None


def own_variables(category: Category) -> tuple[Variable, ...]:
    """The lines written in the section itself (and its `(+)` additions), not inherited ones."""
    return category.variables[category.inherited :]


Place = tuple[str, int]  # (file, line)


def section_headers(snapshot: Snapshot) -> dict[tuple[str, str], list[Place]]:
    """Every non-template section header of the main file by (type, id), in file order.

    Built once per rule run: findings about objects Asterisk names no line for point here.
    """
    found: dict[tuple[str, str], list[Place]] = {}
    if snapshot.config is None:
        return found
    for category in snapshot.config.categories:
        if not category.is_template:
            type_ = category_type(category)
            if type_ is not None:
                found.setdefault((type_, category.name), []).append((category.source.name, category.line))
    return found


def object_place(snapshot: Snapshot, headers: dict[tuple[str, str], list[Place]], type_: str, id_: str) -> Place | None:
    """The header of the section that defines (type, id), loaded or not (realtime rows: line 0)."""
    obj = snapshot.get(type_, id_)
    if obj is not None:
        return obj.source.name, obj.line
    places = headers.get((type_, id_))
    return places[0] if places else None


def all_objects(snapshot: Snapshot) -> Iterator[PjsipObject]:
    for objects in snapshot.objects.values():
        yield from objects.values()


def rejected_ids(snapshot: Snapshot, type_: str) -> set[str]:
    return {rejection.id for rejection in snapshot.rejected if rejection.type == type_}


def templates(config: ConfigFile) -> Iterator[Category]:
    return (category for category in config.categories if category.is_template)
