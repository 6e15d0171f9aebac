"""Build every golden case's objects with the schema alone, from Asterisk's own parse (GetConfig).

Shared by the golden test and the benchmark: no model, no config parser. The cross-object facts a
type's apply handler needs (does any transport load? the global default auth algorithms) are
computed from this same build, in Asterisk's type load order.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pjsipconf.schema import ApplyContext, FinishContext, InvalidValue, Logged, Schema, UnknownOption

GOLDEN_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "golden")
EXPLICIT_NAMES = ("global", "system")
# Types whose objects other types' apply handlers consult: built first.
FIRST_TYPES = ("global", "system", "transport")


@dataclass
class Built:
    """The schema's verdict on one object."""

    type: str
    id: str
    refused: bool
    reason: str = ""
    rendered: dict[str, Any] = field(default_factory=dict)
    logs: list[Logged] = field(default_factory=list)  # what Asterisk logs for it, in order


def golden_cases(golden_dir: str = GOLDEN_DIR) -> list[str]:
    """Case folders, skipping the realtime ones: their objects do not come from GetConfig."""
    return sorted(name for name in os.listdir(golden_dir) if name[:1] == "v" and not is_realtime(golden_dir, name))


def is_realtime(golden_dir: str, case: str) -> bool:
    """Objects come from realtime tables too: the case wires them in extconfig.conf."""
    return os.path.isfile(os.path.join(golden_dir, case, "input", "extconfig.conf"))


@lru_cache(maxsize=None)
def read_case(case: str, golden_dir: str = GOLDEN_DIR) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(expected.json, GetConfig categories) of a case; `@ETCDIR@` replaced by its input dir."""
    root = os.path.join(golden_dir, case)
    etc = os.path.abspath(os.path.join(root, "input"))
    with open(os.path.join(root, "expected.json"), encoding="utf-8") as handle:
        expected = json.loads(handle.read().replace("@ETCDIR@", etc))
    path = os.path.join(root, "oracle.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    else:
        with gzip.open(path + ".gz", "rt", encoding="utf-8") as handle:
            text = handle.read()
    oracle = json.loads(text.replace("@ETCDIR@", etc))
    return expected, oracle["ami"]["GetConfig"]["pjsip.conf"]["categories"]


def category_type(category: dict[str, Any], schema: Schema) -> str | None:
    """The FIRST `type` line decides (key in any case, value as written); [global]/[system] are
    taken by their explicit name when they have no type line."""
    for name, value in category["lines"]:
        if name.lower() == "type":
            return value if schema.type_of(value) else None
    return category["name"] if category["name"] in EXPLICIT_NAMES else None


def build_object(schema: Schema, type_name: str, category: dict[str, Any], context: FinishContext) -> Built:
    type_schema = schema.types[type_name]
    object_id = category["name"]
    state = type_schema.new_state()
    ctx = ApplyContext(object_id=object_id)
    for name, value in category["lines"]:
        try:
            type_schema.apply(state, name, value, ctx)
        except UnknownOption as exc:
            return Built(type_name, object_id, True, exc.message, logs=ctx.warnings)
        except InvalidValue as exc:
            return Built(type_name, object_id, True, exc.message, logs=ctx.warnings + list(exc.logged))
    result = type_schema.finish(state, object_id, context)
    logs = ctx.warnings + list(result.logs)
    if result.refused:
        return Built(type_name, object_id, True, "; ".join(result.errors), logs=logs)
    return Built(type_name, object_id, False, rendered=group(type_schema.render(type_schema.diff(state))), logs=logs)


def group(lines: list[tuple[str, str]]) -> dict[str, Any]:
    """A name printed several times becomes a list (the golden `objects` shape)."""
    out: dict[str, Any] = {}
    for name, value in lines:
        if name not in out:
            out[name] = value
        elif isinstance(out[name], list):
            out[name].append(value)
        else:
            out[name] = [out[name], value]
    return out


def build_case(schema: Schema, categories: list[dict[str, Any]]) -> list[Built]:
    typed = [(category_type(c, schema), c) for c in categories if not c.get("is_template")]
    typed = [(t, c) for t, c in typed if t is not None]
    built: list[Built] = []
    context = FinishContext()
    for first in FIRST_TYPES:
        for type_name, category in typed:
            if type_name == first:
                built.append(build_object(schema, type_name, category, context))
        if first == "global":
            context = _with_global(schema, typed, context)
    any_transport = any(b.type == "transport" and not b.refused for b in built)
    context = FinishContext(default_auth_algorithms_uas=context.default_auth_algorithms_uas,
                            default_auth_algorithms_uac=context.default_auth_algorithms_uac,
                            any_transport=any_transport)
    for type_name, category in typed:
        if type_name not in FIRST_TYPES:
            built.append(build_object(schema, type_name, category, context))
    return built


def _with_global(schema: Schema, typed: list[tuple[str, dict[str, Any]]], context: FinishContext) -> FinishContext:
    for type_name, category in typed:
        if type_name == "global":
            built = build_object(schema, "global", category, context)
            if not built.refused:
                return FinishContext(default_auth_algorithms_uas=built.rendered["default_auth_algorithms_uas"],
                                     default_auth_algorithms_uac=built.rendered["default_auth_algorithms_uac"])
    return context
