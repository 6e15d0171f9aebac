"""Small helpers for the schema unit tests: build one object from lines."""

from __future__ import annotations

from typing import Any

from pjsipconf.schema import ApplyContext, FinishContext, FinishResult, load_schema

SCHEMA = load_schema("22")


def build(type_name: str, *lines: tuple[str, str], ctx: ApplyContext | None = None) -> dict[str, Any]:
    """Apply lines to a fresh object (no finish); returns the state."""
    type_schema = SCHEMA.types[type_name]
    state = type_schema.new_state()
    ctx = ctx or ApplyContext(object_id="obj")
    for name, value in lines:
        type_schema.apply(state, name, value, ctx)
    return state


def rendered(type_name: str, *lines: tuple[str, str], finish: bool = False) -> dict[str, Any]:
    """The grouped objectset after applying lines (and the type's apply handler if `finish`)."""
    type_schema = SCHEMA.types[type_name]
    state = build(type_name, *lines)
    if finish:
        result = type_schema.finish(state, "obj", FinishContext())
        assert not result.refused, result.errors
    out: dict[str, Any] = {}
    for name, value in type_schema.render(state):
        if name in out:
            out[name] = (out[name] if isinstance(out[name], list) else [out[name]]) + [value]
        else:
            out[name] = value
    return out


def value(type_name: str, option: str, *lines: tuple[str, str]) -> Any:
    return rendered(type_name, *lines)[option]


def finish(type_name: str, *lines: tuple[str, str], context: FinishContext | None = None) -> tuple[FinishResult, dict[str, Any]]:
    type_schema = SCHEMA.types[type_name]
    state = build(type_name, *lines)
    result = type_schema.finish(state, "obj", context or FinishContext())
    return result, state
