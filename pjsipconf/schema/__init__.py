"""The schema stage: the PJSIP option table as data, and how ONE object of a type is built.

    schema = load_schema("22")
    endpoint = schema.types["endpoint"]
    state = endpoint.new_state()
    ctx = ApplyContext(object_id="6001")
    endpoint.apply(state, "allow", "ulaw,alaw", ctx)     # -> "allow"; may raise UnknownOption/InvalidValue
    result = endpoint.finish(state, "6001", FinishContext())
    endpoint.render(endpoint.diff(state))                  # [(name, value), ...] as `pjsip show endpoint`

States map a *field* (the option name, or the option it is an alias of: disallow -> allow,
permit/deny -> acl, md5_cred -> password_digest) to an immutable value, so `dict(state)` copies
are safe and template states can be shared.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from operator import itemgetter
from typing import Any, Iterable, Mapping

from pjsipconf.schema.core import (
    ApplyCall,
    ApplyContext,
    FinishContext,
    FinishResult,
    InvalidValue,
    Kind,
    Logged,
    TextWarnings,
    UnknownOption,
    invalid,
)
from pjsipconf.schema.cstr import ast_str_hash
from pjsipconf.schema.finish import run_finish
from pjsipconf.schema.kinds import make_kind

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")
_MISSING = object()
_BY_NAME = itemgetter(0)
# render_json's caches: layouts per set of changed fields (a few per template), and encoded
# values in a caller's pass (template values repeat across objects; values of one object each
# are dropped in bulk).
_LAYOUTS_KEPT = 4096
_ENTRIES_KEPT = 65536
# Values whose equality means equal printing: not floats (-0.0 == 0.0 prints "-0.000000"), not
# named tuples (equal to a plain tuple of the same items).
_MEMO_CLASSES = frozenset({str, int, bool, tuple})
EncodedValues = dict[tuple[str, type, Any], tuple[tuple[str, str], ...]]  # see render_json
_json_string = json.encoder.encode_basestring  # type: ignore[attr-defined]  # str -> JSON text, non-ASCII kept

__all__ = [
    "load_schema", "Schema", "TypeSchema", "OptionSpec", "UnknownOption", "InvalidValue",
    "ApplyContext", "FinishContext", "FinishResult", "Logged", "available_versions", "EncodedValues",
]


@dataclass(frozen=True)
class OptionSpec:
    """One option of one type, as the option table describes it."""

    name: str  # canonical name (regex options: the pattern, e.g. "^event_")
    kind_name: str
    kind: Kind = field(repr=False, compare=False)
    params: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    default: str | None = None  # registered default Asterisk applies (None: none, the field stays zero)
    rendered_default: str | None = None  # what `pjsip show` prints for a fresh object (reference)
    multi: bool = False  # repeated lines accumulate
    alias_of: str | None = None
    # Registered with ast_sorcery_object_field_register_alias: applied from config files, but no
    # field of the type (never printed; res_sorcery_realtime drops a column of this name).
    sorcery_alias: bool = False
    deprecated: bool = False
    replaced_by: str | None = None
    rendered: bool = True  # printed by `pjsip show` / AST_SORCERY
    regex: bool = False
    field: str = ""  # the state key it writes
    render_field: str = ""  # the state key it prints
    enum_values: tuple[str, ...] = ()
    documented: bool = True
    doc: str = ""
    db_column: str | None = None  # column type in the Alembic schema of the type's realtime table
    # The handler compares the name as written, case-sensitively (config_options finds options in
    # any case): {"prefix": what it compares (default: the whole name), "otherwise": the option a
    # name that differs is applied as, or null when the handler refuses it}. None: no such test.
    name_case: Mapping[str, Any] | None = dataclasses.field(default=None, compare=False)

    def describe(self) -> str:
        """What values the option accepts, for a person."""
        return self.kind.describe()


class TypeSchema:
    """Everything about one object of a sorcery type: option lookup, defaults, apply, render."""

    def __init__(self, name: str, default_wizard: tuple[str, str], options: list[OptionSpec], extended: OptionSpec,
                 version: str, realtime_table: str | None = None) -> None:
        self.name = name
        self.default_wizard = default_wizard
        self.realtime_table = realtime_table  # Alembic table name (ps_endpoints, ...), None when none
        self.version = version
        self.options: tuple[OptionSpec, ...] = tuple(options)
        self._exact = {spec.name.lower(): spec for spec in options if not spec.regex}
        # Options whose handler checks that a file is readable (lower case, as lines are matched).
        self.file_options = frozenset(spec.name.lower() for spec in options if spec.kind_name == "file")
        # config_options.c compiles option-name patterns with REG_ICASE: EVENT_x is an event_ option.
        self._regex = [(re.compile(spec.name, re.IGNORECASE), spec) for spec in options if spec.regex]
        self._extended = extended
        # set_var prints lines named by the variables; one named like an option is listed beside it.
        self._variables_field = next((spec.field for spec in options if spec.kind_name == "set_var"), None)
        self._defaults = self._build_defaults()
        self._plan = self._build_render_plan()
        self._first_shown: dict[tuple[tuple[str, str], ...], int] = {}  # objects share template lines

    # -- lookup -------------------------------------------------------------------------------
    def option(self, name: str) -> OptionSpec | None:
        """The option a `name = value` line sets: exact names in any case, then regex options,
        then `@extended` fields (accepted by every type)."""
        spec = self._exact.get(name.lower())
        if spec is not None:
            return spec
        for pattern, regex_spec in self._regex:
            if pattern.search(name):
                return regex_spec
        if name.startswith("@"):
            return self._extended
        return None

    def option_names(self) -> list[str]:
        """Canonical names a person can write (no regex patterns), for suggestions."""
        return sorted(spec.name for spec in self.options if not spec.regex and spec.kind_name != "noop")

    # -- state --------------------------------------------------------------------------------
    def _build_defaults(self) -> dict[str, Any]:
        """A fresh object: zeroed fields, then each registered default applied through its handler
        in registration order (aco_set_defaults)."""
        state: dict[str, Any] = {self._extended.field: self._extended.kind.zero}
        for spec in self.options:
            if spec.kind_name != "noop":
                state.setdefault(spec.field, spec.kind.zero)
        ctx = ApplyContext(object_id="(defaults)")
        for spec in self.options:
            if spec.default is not None:
                state[spec.field] = spec.kind.parse(state[spec.field], spec.default, ApplyCall(spec.name, ctx))
        return state

    def new_state(self) -> dict[str, Any]:
        return dict(self._defaults)

    def default_of(self, field_name: str) -> Any:
        return self._defaults.get(field_name)

    def diff(self, state: Mapping[str, Any]) -> dict[str, Any]:
        defaults = self._defaults
        get = defaults.get
        # Untouched values are the default objects themselves: an identity pass settles most keys,
        # and only the few left are compared by value.
        touched = [(key, value) for key, value in state.items() if get(key, _MISSING) is not value]
        return {key: value for key, value in touched if get(key, _MISSING) != value}

    # -- apply --------------------------------------------------------------------------------
    def apply(self, state: dict[str, Any], name: str, value: str, ctx: ApplyContext | list | None = None,
              *, object_id: str = "") -> str:
        """Apply one line to `state` (full or diff); returns the state field that changed (the
        key as written for free-form keys: phoneprov fields, `event_*`, `@extended`).

        Raises UnknownOption or InvalidValue (Asterisk refuses the object; `InvalidValue.logged`
        holds what the handler logs). Lines Asterisk logs but accepts are appended to
        `ctx.warnings` as Logged; `ctx` may also be a plain list, which then receives their
        "module: message" texts (pass `object_id` so messages name the object).
        `type=` is a no-op returning "type".
        """
        if ctx.__class__ is not ApplyContext and not isinstance(ctx, ApplyContext):
            ctx = ApplyContext(object_id=object_id, warnings=TextWarnings(ctx))
        spec = self._exact.get(name) or self.option(name)  # names are nearly always written in lower case
        if spec is None:
            raise UnknownOption(f"'{name}' is not an option of type {self.name}")
        if spec.name_case is not None and name != spec.name:
            spec = self._as_written(spec, name, value)
        if spec.kind_name == "noop":
            return spec.name
        target = spec.field
        current = state.get(target, _MISSING)
        if current is _MISSING:
            current = self._defaults.get(target, spec.kind.zero)
        # Regex and extended options see the key as written; the others their canonical name.
        state[target] = spec.kind.parse(current, value, ApplyCall(name if spec.regex else spec.name, ctx, name))
        # Free-form keys (phoneprov, event_*, @extended) are printed under the key as written.
        return name if spec.regex else target

    def first_line_shown(self, lines: tuple[tuple[str, str], ...]) -> int:
        """Of the (name, value) lines one accumulating field was built from, the first its value
        still shows: a line that wipes out what the lines before it made (`local_net=` clears the
        list, `disallow=all` empties the codecs) leaves those lines out, and is shown itself."""
        found = self._first_shown.get(lines)
        if found is None:
            if len(self._first_shown) >= _ENTRIES_KEPT:
                self._first_shown.clear()
            found = self._first_shown[lines] = self._replay_first_shown(lines)
        return found

    def _replay_first_shown(self, lines: tuple[tuple[str, str], ...]) -> int:
        state: dict[str, Any] = {}
        first = 0
        for position, (name, value) in enumerate(lines):
            alone: dict[str, Any] = {}
            before = dict(state)
            try:
                target = self.apply(state, name, value, [])
                self.apply(alone, name, value, [])
            except (UnknownOption, InvalidValue):
                continue  # not in a loaded object's lines; nothing to learn from it
            made = before.get(target, _MISSING)
            # It wiped something out if the lines before made a value and its result ignores it.
            if made is not _MISSING and made != self._defaults.get(target) and state[target] == alone[target]:
                first = position
        return first

    def _as_written(self, spec: OptionSpec, name: str, value: str) -> OptionSpec:
        """The option a handler that tests the written name case-sensitively applies `name` as."""
        rule = spec.name_case or {}
        compared = rule.get("prefix") or spec.name
        if name[: len(compared)] == compared or (rule.get("empty_first") and value == ""):
            return spec
        otherwise = rule.get("otherwise")
        if otherwise is None:
            raise invalid(name, value, f"its handler only knows the name written '{spec.name}' (in lower case)")
        return self._exact[otherwise]

    def finish(self, state: dict[str, Any], object_id: str, context: FinishContext | None = None) -> FinishResult:
        """The type's apply handler (run after all lines): may adjust `state`, refuse the object."""
        return run_finish(self, state, object_id, context or FinishContext())

    def value(self, state: Mapping[str, Any], field_name: str) -> Any:
        """A field's value in a full or diff state."""
        found = state.get(field_name, _MISSING)
        return self._defaults.get(field_name) if found is _MISSING else found

    # -- render -------------------------------------------------------------------------------
    def _build_render_plan(self) -> list[tuple[str, Kind, str, list[tuple[str, str]]]]:
        """Printed options sorted by name, each with the field it prints and its default lines."""
        plan = []
        for spec in sorted((s for s in self.options if s.rendered and not s.regex), key=lambda s: s.name):
            source = spec.render_field or spec.field
            plan.append((spec.name, spec.kind, source, spec.kind.render(spec.name, self._defaults[source])))
        self._free_fields = [(spec.field, spec.kind) for spec in self.options if spec.regex and spec.rendered]
        self._default_lines = [(line, source) for _name, _kind, source, cached in plan for line in cached]
        self._default_dict = group_lines(line for line, _source in self._default_lines)
        self._printers: dict[str, list[tuple[str, Kind]]] = {}
        for name, kind, source, _cached in plan:
            self._printers.setdefault(source, []).append((name, kind))
        self._default_json = json.dumps(self._default_dict, ensure_ascii=False)
        self._default_entries = [_json_entry(name, value) for name, value in self._default_dict.items()]
        # Entry positions for render_json, when the defaults are in the order `render_dict` sorts
        # into (otherwise every object of the type takes render_dict's way).
        in_order = list(self._default_dict) == sorted(self._default_dict)
        self._json_slots = {name: slot for slot, name in enumerate(self._default_dict)} if in_order else {}
        self._printer_slots = {
            key: [self._json_slots[name] for name, _kind in names if name in self._json_slots]
            for key, names in self._printers.items()
        }
        self._layouts: dict[tuple[str, ...], tuple[tuple[str | None, ...], dict[str, int]]] = {}
        return plan

    def render_option(self, state: Mapping[str, Any], name: str) -> str | list[str] | None:
        """One printed option as `render_dict` would give it (None when it prints nothing), without
        rendering the others: cross references read a few options of every object."""
        spec = self._exact.get(name)
        if spec is None or not spec.rendered:
            return None
        lines = spec.kind.render(spec.name, self.value(state, spec.render_field or spec.field))
        values = [value for line_name, value in lines if line_name == spec.name]
        if not values:
            return None
        return values[0] if len(values) == 1 else values

    def render_dict(self, state: Mapping[str, Any]) -> dict[str, str | list[str]]:
        """`render` grouped by name (a name printed several times maps to a list), built over a copy
        of the cached default dict: the API and `show` render every object this way."""
        changed = self._changed_fields(state)
        out = _copy_grouped(self._default_dict)
        if not changed and not self._free_fields_set(state):
            return out
        printers = self._printers
        for key in changed:
            for name, _kind in printers[key]:
                out.pop(name, None)  # the field's default lines give way to its own
        lines: list[tuple[str, str]] = []
        variables: list[tuple[str, str]] = []
        for key in changed:
            value = state[key]
            for name, kind in printers[key]:
                (variables if key == self._variables_field else lines).extend(kind.render(name, value))
        lines.extend(self._free_lines(state))
        for name, grouped in group_lines(lines).items():
            previous = out.get(name)
            out[name] = grouped if previous is None else _as_list(previous) + _as_list(grouped)
        for name, value in variables:
            previous = out.get(name)
            if previous is None:
                out[name] = value
            elif variable_listed_first(name):
                out[name] = [value] + _as_list(previous)
            else:
                out[name] = _as_list(previous) + [value]
        return dict(sorted(out.items(), key=_BY_NAME))

    def _changed_fields(self, state: Mapping[str, Any]) -> list[str]:
        """The printed fields whose value differs from the default."""
        defaults = self._defaults
        printers = self._printers
        return [key for key, value in state.items()
                if key in printers and (default := defaults[key]) is not value and default != value]

    def render_json(self, state: Mapping[str, Any], encoded: EncodedValues | None = None) -> str:
        """`json.dumps(self.render_dict(state), ensure_ascii=False)`, made from cached JSON: the
        default entries between the changed fields come pre-joined (one layout per set of changed
        fields), and a changed field's entries are looked up in `encoded` (the caller's memo for
        one pass over many objects of this type) before they are encoded. `show` prints 150
        options of each of 100,000 endpoints, nearly all of them defaults or template values."""
        if self._free_fields_set(state):  # names of their own: render_dict sorts them in
            return json.dumps(self.render_dict(state), ensure_ascii=False)
        changed = self._changed_fields(state)
        if not changed:
            return self._default_json
        layout = self._layouts.get(tuple(changed)) or self._layout_of(changed)
        if layout is None:  # the defaults are not in render_dict's order
            return json.dumps(self.render_dict(state), ensure_ascii=False)
        runs, positions = layout
        members = list(runs)
        for key in changed:
            for name, entry in self._field_entries(key, state[key], encoded):
                position = positions.get(name, -1)
                if position < 0 or members[position] is not None:  # a new name, or one two fields print
                    return json.dumps(self.render_dict(state), ensure_ascii=False)
                members[position] = entry
        return "{" + ", ".join(filter(None, members)) + "}"  # type: ignore[arg-type]

    def _layout_of(self, changed: list[str]) -> tuple[tuple[str | None, ...], dict[str, int]] | None:
        """The JSON members of an object whose `changed` fields differ from the defaults: runs of
        default entries joined in advance, with a hole (None) where each changed field's names go."""
        if not self._json_slots:
            return None
        holes = {slot for key in changed for slot in self._printer_slots[key]}
        names = list(self._default_dict)
        parts: list[str | None] = []
        positions: dict[str, int] = {}
        run: list[str] = []
        for slot, entry in enumerate(self._default_entries):
            if slot not in holes:
                run.append(entry)
                continue
            if run:
                parts.append(", ".join(run))
                run = []
            positions[names[slot]] = len(parts)
            parts.append(None)
        if run:
            parts.append(", ".join(run))
        layout = (tuple(parts), positions)
        if len(self._layouts) < _LAYOUTS_KEPT:
            self._layouts[tuple(changed)] = layout
        return layout

    def _field_entries(self, key: str, value: Any, encoded: EncodedValues | None) -> tuple[tuple[str, str], ...]:
        """The `"name": value` JSON members one field prints, encoded once per (field, value) in
        one pass: objects made from one template share most of their values."""
        if encoded is None or value.__class__ not in _MEMO_CLASSES:
            return self._encode_field(key, value)
        memo_key = (key, value.__class__, value)
        found = encoded.get(memo_key)
        if found is None:
            if len(encoded) >= _ENTRIES_KEPT:
                encoded.clear()  # values of one object each: keep the memory bounded
            found = encoded[memo_key] = self._encode_field(key, value)
        return found

    def _encode_field(self, key: str, value: Any) -> tuple[tuple[str, str], ...]:
        lines: list[tuple[str, str]] = []
        for name, kind in self._printers[key]:
            lines.extend(kind.render(name, value))
        return tuple((name, _json_entry(name, grouped)) for name, grouped in group_lines(lines).items())

    def _free_lines(self, state: Mapping[str, Any]) -> list[tuple[str, str]]:
        """The lines free-form (phoneprov, event_*) and extended (@) fields print, under their own names."""
        lines: list[tuple[str, str]] = []
        for free_field, kind in self._free_fields:
            value = state.get(free_field)
            if value:
                lines.extend(kind.render(free_field, value))
        extended = state.get(self._extended.field)
        if extended:
            lines.extend(extended)
        return lines

    def _free_fields_set(self, state: Mapping[str, Any]) -> bool:
        """Whether free-form (phoneprov, event_*) or extended (@) fields print anything."""
        if state.get(self._extended.field):
            return True
        for name, _kind in self._free_fields:
            if state.get(name):
                return True
        return False

    def render(self, state: Mapping[str, Any]) -> list[tuple[str, str]]:
        """The objectset `pjsip show <type> <id>` prints, sorted by name (stable).

        Only fields that differ from the defaults are rendered; the rest come from the cached
        default rendering, so a diff state renders in time proportional to its size."""
        changed = self._changed_fields(state)
        variables: list[tuple[str, str]] = []
        if changed:
            replaced = set(changed)
            out = [line for line, source in self._default_lines if source not in replaced]
            for key in changed:
                value = state[key]
                for name, kind in self._printers[key]:
                    (variables if key == self._variables_field else out).extend(kind.render(name, value))
        else:
            out = [line for line, _source in self._default_lines]
        out.extend(self._free_lines(state))
        if variables:
            beside = {line: -1 if variable_listed_first(line[0]) else 1 for line in variables}
            out.extend(variables)
            out.sort(key=lambda line: (line[0], beside.get(line, 0)))
        elif changed or len(out) != len(self._default_lines):
            out.sort(key=_BY_NAME)
        return out


def group_lines(lines: Iterable[tuple[str, str]]) -> dict[str, str | list[str]]:
    """Objectset lines as a dict; a name printed several times maps to the list of its values."""
    out: dict[str, str | list[str]] = {}
    for name, value in lines:
        previous = out.get(name)
        if previous is None:
            out[name] = value
        elif type(previous) is list:
            previous.append(value)
        else:
            out[name] = [previous, value]  # type: ignore[list-item]
    return out


def _json_entry(name: str, value: str | list[str]) -> str:
    """One `"name": value` member of an object as json.dumps(..., ensure_ascii=False) writes it
    (its string encoder called directly: json.dumps sets up an encoder on every call)."""
    if type(value) is list:
        return f"{_json_string(name)}: [{', '.join(map(_json_string, value))}]"
    return f"{_json_string(name)}: {_json_string(value)}"  # type: ignore[arg-type]


# Sorcery keeps a type's fields in a hash container of 29 buckets (main/sorcery.c) and makes the
# objectset in its order; `pjsip show` then sorts by name with a stable sort. A set_var variable
# named like an option is therefore listed before that option's own line when the option's bucket
# is set_var's or a later one (set_var is registered before the other options of its bucket).
_FIELD_BUCKETS = 29
_SET_VAR_BUCKET = ast_str_hash("set_var") % _FIELD_BUCKETS


def variable_listed_first(name: str) -> bool:
    """Whether a set_var variable `name` comes before the option printed under the same name."""
    return ast_str_hash(name) % _FIELD_BUCKETS >= _SET_VAR_BUCKET


def _as_list(value: str | list[str]) -> list[str]:
    return list(value) if type(value) is list else [value]  # type: ignore[list-item]


def _copy_grouped(grouped: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
    """A copy callers may change: the (rare) list values are copied too."""
    out = dict(grouped)
    for name, value in grouped.items():
        if type(value) is list:
            out[name] = list(value)
    return out


class Schema:
    """The option table of one Asterisk version family."""

    def __init__(self, table: Mapping[str, Any]) -> None:
        self.version: str = table["family"]
        self.asterisk_version: str = table["asterisk_version"]
        # config.c's `key += value` rewrites the last matching line (23) instead of the first (22).
        self.update_last_match: bool = table["update_last_match"]
        formats = tuple(table["formats"])
        outside_all = tuple(table["formats_outside_all"])
        extended_kind = table["extended"]
        types: dict[str, TypeSchema] = {}
        for type_name, type_table in table["types"].items():
            specs = [_spec_from_table(entry, formats, outside_all) for entry in type_table["options"]]
            extended = OptionSpec(name="@", kind_name=extended_kind["kind"],
                                  kind=make_kind(extended_kind["kind"], dict(extended_kind.get("params", {}))),
                                  multi=True, regex=True, field="@", render_field="@",
                                  doc="extended field: stored as written, printed as @name")
            wizard = tuple(type_table["default_wizard"])
            types[type_name] = TypeSchema(type_name, (wizard[0], wizard[1]), specs, extended, self.version,
                                          type_table.get("realtime_table"))
        self.types: Mapping[str, TypeSchema] = types

    def type_of(self, name: str) -> TypeSchema | None:
        return self.types.get(name)


_SPEC_FIELDS = frozenset(f.name for f in fields(OptionSpec)) - {"kind", "kind_name", "params"}


def _spec_from_table(entry: Mapping[str, Any], formats: tuple[str, ...], outside_all: tuple[str, ...]) -> OptionSpec:
    params = dict(entry.get("params", {}))
    if entry["kind"] == "codec":
        params.setdefault("formats", list(formats))
        params.setdefault("formats_outside_all", list(outside_all))
    values = {key: value for key, value in entry.items() if key in _SPEC_FIELDS and value is not None}
    values["field"] = entry.get("field") or entry["name"]
    values["render_field"] = entry.get("render_field") or values["field"]
    values["enum_values"] = tuple(entry.get("enum_values") or ())
    return OptionSpec(kind_name=entry["kind"], kind=make_kind(entry["kind"], params), params=params, **values)


def available_versions(data_dir: str = DATA_DIR) -> list[str]:
    """The version families with a table in `data_dir`."""
    names = (f for f in os.listdir(data_dir) if f.startswith("asterisk-") and f.endswith(".json"))
    return sorted(f[len("asterisk-") : -len(".json")] for f in names)


@lru_cache(maxsize=None)
def _load(version: str, data_dir: str) -> Schema:
    path = os.path.join(data_dir, f"asterisk-{version}.json")
    if not os.path.isfile(path):
        raise ValueError(f"no option table for Asterisk {version!r}; known: {', '.join(available_versions(data_dir))}")
    with open(path, encoding="utf-8") as handle:
        return Schema(json.load(handle))


def load_schema(version: str = "22", data_dir: str = DATA_DIR) -> Schema:
    """The option table of a version family ("22", "23"), cached; ValueError for an unknown one."""
    return _load(str(version), data_dir)
