"""Enumerated kinds: a fixed word list with aliases, per-option case rules and render maps; plus
the enum-like custom handlers (callerid_privacy, tos, codec negotiation preferences)."""

from __future__ import annotations

import re
from typing import Any

from pjsipconf.schema.core import ApplyCall, InvalidValue, Kind, Lines, Logged, invalid, register
from pjsipconf.schema.cstr import ast_false, ast_true, sscanf_int


@register
class EnumKind(Kind):
    """A custom handler comparing the value against words (strcmp or strcasecmp).

    params: `values` {written word: canonical}, `case_sensitive`, `true_value`/`false_value`
    (canonical value for ast_true()/ast_false() words, as prack/timers handlers do), `empty`
    (canonical for an empty value), `on_unknown` ("error" or "keep": dtls_setup ignores unknown
    words), `render` {canonical: printed}, `log` [level, module, template] logged on an unknown word.
    """

    kind_name = "enum"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.case_sensitive = bool(params.get("case_sensitive", False))
        raw: dict[str, str] = params.get("values", {})
        self.values = raw if self.case_sensitive else {k.lower(): v for k, v in raw.items()}
        self.true_value: str | None = params.get("true_value")
        self.false_value: str | None = params.get("false_value")
        self.empty: str | None = params.get("empty")
        self.keep_unknown = params.get("on_unknown", "error") == "keep"
        self.render_map: dict[str, str] = params.get("render", {})
        self.log: list[str] | None = params.get("log")
        self.valid = tuple(params.get("valid") or raw)
        self.zero = params.get("zero", "")

    def parse(self, current: Any, value: str, call: ApplyCall) -> str:
        if value == "" and self.empty is not None:
            return self.empty
        if self.true_value is not None and ast_true(value):
            return self.true_value
        found = self.values.get(value if self.case_sensitive else value.lower())
        if found is not None:
            return found
        if self.false_value is not None and ast_false(value):
            return self.false_value
        if self.keep_unknown:
            return current
        logged: tuple[Logged, ...] = ()
        if self.log:
            level, module, template = self.log
            logged = (Logged(level, module, template.format(value=value, name=call.written, id=call.ctx.object_id)),)
        raise invalid(call.name, value, self.describe(), self.valid, logged)

    def render(self, name: str, value: Any) -> Lines:
        return [(name, self.render_map.get(value, value))]

    def describe(self) -> str:
        rule = "case-sensitive" if self.case_sensitive else "any case"
        return f"one of {', '.join(self.valid)} ({rule})"


@register
class CallerIdPrivacyKind(Kind):
    """callerid_privacy: a presentation name (any case) or a number; printed by name."""

    kind_name = "callerid_privacy"
    zero = 0
    # (value, name) from main/callerid.c pres_types, in table order (first name wins on print).
    TABLE = (
        (0x00, "allowed_not_screened"), (0x01, "allowed_passed_screen"), (0x02, "allowed_failed_screen"),
        (0x03, "allowed"), (0x20, "prohib_not_screened"), (0x21, "prohib_passed_screen"),
        (0x22, "prohib_failed_screen"), (0x23, "prohib"), (0x43, "unavailable"), (0x40, "unavailable"),
        (0x42, "unavailable"), (0x41, "unavailable"),
    )
    BY_NAME = {name: number for number, name in reversed(TABLE)}
    BY_VALUE = {number: name for number, name in reversed(TABLE)}

    def parse(self, current: Any, value: str, call: ApplyCall) -> int:
        number = self.BY_NAME.get(value.lower())
        if number is None:
            number = sscanf_int(value[:30])
            if number is None:
                raise invalid(call.name, value, self.describe(), tuple(dict.fromkeys(n for _, n in self.TABLE)))
        return number

    def render(self, name: str, value: Any) -> Lines:
        return [(name, self.BY_VALUE.get(value, "unknown"))]

    def describe(self) -> str:
        return "a presentation name (allowed_not_screened, prohib, unavailable, ...) or its number"


DSCP_NAMES = {
    "cs0": 0x00, "cs1": 0x08, "cs2": 0x10, "cs3": 0x18, "cs4": 0x20, "cs5": 0x28, "cs6": 0x30, "cs7": 0x38,
    "af11": 0x0A, "af12": 0x0C, "af13": 0x0E, "af21": 0x12, "af22": 0x14, "af23": 0x16, "af31": 0x1A,
    "af32": 0x1C, "af33": 0x1E, "af41": 0x22, "af42": 0x24, "af43": 0x26, "ef": 0x2E,
}


@register
class TosKind(Kind):
    """tos / tos_audio / tos_video (`ast_str2tos`): a number (`%i`, low 8 bits) or a DSCP name
    (shifted left 2); printed as a decimal. The transport variant drops the 2 low bits with a warning."""

    kind_name = "tos"
    zero = 0

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.dscp_round = bool(params.get("dscp_round", False))
        self.log: list[str] = params.get("log", ["ERROR", "", ""])
        self.round_log: list[str] | None = params.get("round_log")

    def parse(self, current: Any, value: str, call: ApplyCall) -> int:
        number = sscanf_int(value[:30], base=0)
        if number is not None:
            tos = number & 0xFF
        elif value.lower() in DSCP_NAMES:
            tos = DSCP_NAMES[value.lower()] << 2
        else:
            level, module, template = self.log
            logged = (Logged(level, module, template.format(value=value, name=call.written, id=call.ctx.object_id)),)
            raise invalid(call.name, value, self.describe(), tuple(n.upper() for n in DSCP_NAMES), logged)
        if self.dscp_round and tos % 4:
            tos = tos >> 2 << 2
            if self.round_log:
                level, module, template = self.round_log
                call.warn(module, template.format(value=value, id=call.ctx.object_id, tos=tos), level)
        return tos

    def describe(self) -> str:
        return "a number (0-255, decimal or 0x hex) or a DSCP name (CS0-CS7, AF11-AF43, EF)"


# Codec negotiation preferences (main/stream.c ast_stream_codec_prefs_parse).
_PREF_PARAMS = {
    "prefer": ("pending", "configured"),
    "operation": ("union", "intersect", "only_preferred", "only_nonpreferred"),
    "keep": ("all", "first"),
    "transcode": ("allow", "prevent"),
}


@register
class CodecPrefsKind(Kind):
    """codec_prefs_*: `name: value` pairs separated by commas; unset ones take the option's defaults.

    State: (prefer, operation, keep, transcode). params: `default_operation`, `forbid` (operation
    values refused for this option, e.g. union for incoming offers), `module`.
    """

    kind_name = "codec_prefs"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.default_operation = params.get("default_operation", "intersect")
        self.forbid = tuple(params.get("forbid", ()))
        self.zero = ("pending", self.default_operation, "all", "allow")

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[str, str, str, str]:
        """`ast_stream_codec_prefs_parse`: comma-separated prefs, each split by strtok on ': ' into
        a name and a value (more tokens ignored). Unknown names are ignored; a known name with an
        unknown value fails unless that preference was already set (a quirk of the C macro)."""
        chosen: dict[str, str] = {}
        for pref in (piece for piece in value.split(",") if piece):
            tokens = [token for token in re.split("[: ]", pref) if token]
            if len(tokens) < 2:
                # strtok_r has already cut `pref` after its first token when C prints it.
                first = re.search("[^: ]+", pref)
                raise self._error(call, value, f"Codec preference '{pref[: first.end()] if first else pref}' is invalid")
            name, word = tokens[0], tokens[1]
            if name not in _PREF_PARAMS:
                continue
            if word in _PREF_PARAMS[name]:
                chosen[name] = word
            elif name not in chosen:
                raise self._error(call, value, f"Codec preference '{name}' has invalid value '{word}'")
        if chosen.get("operation") in self.forbid:
            logged = Logged("ERROR", "res_pjsip/pjsip_configuration.c",
                            f"Endpoint '{call.ctx.object_id}': Codec preference 'operation' has invalid value "
                            f"'{chosen['operation']}' for option: '{call.written}'")
            raise invalid(call.name, value, f"operation '{chosen['operation']}' is not allowed here", (), (logged,))
        return (
            chosen.get("prefer", "pending"),
            chosen.get("operation", self.default_operation),
            chosen.get("keep", "all"),
            chosen.get("transcode", "allow"),
        )

    def _error(self, call: ApplyCall, value: str, why: str) -> InvalidValue:
        logged = Logged("ERROR", "res_pjsip/pjsip_configuration.c", f"Endpoint '{call.ctx.object_id}': {why} for option '{call.written}'")
        return invalid(call.name, value, f"{why}; expected e.g. 'prefer: pending, operation: intersect, keep: all, transcode: allow'",
                       (), (logged,))

    def render(self, name: str, value: Any) -> Lines:
        prefer, operation, keep, transcode = value
        return [(name, f"prefer:{prefer}, operation:{operation}, keep:{keep}, transcode:{transcode}")]
