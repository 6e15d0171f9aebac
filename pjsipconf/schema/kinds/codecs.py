"""allow/disallow (`ast_format_cap_update_by_allow_disallow`, main/format_cap.c).

Both options change one capability (state: a tuple of codec names in preference order). Items are
split on `,` and `|`; `all` adds/removes every codec the core knows, in the core's order; `!x`
inverts the operation for that item; `x:ms` sets framing (not printed); a value written exactly
`(a|b)` first clears (allow) or fills (disallow) the capability. An already present codec keeps
its position. Unknown codecs (and an empty `allow=`) make the handler fail, but the other items
are still applied first, as in C.
"""

from __future__ import annotations

import re
from typing import Any

from pjsipconf.schema.core import ApplyCall, Kind, Lines, Logged, invalid, register
from pjsipconf.schema.cstr import ast_strip, sscanf_int, sscanf_is_eof

_SPLIT = re.compile(r"[,|]")


@register
class CodecKind(Kind):
    """params: `allowing` (allow: true, disallow: false), `formats` (the core's codec names in
    registration order, the order `allow=all` produces), `formats_outside_all` (names the format
    cache knows that `all` skips: `none`, which `ast_format_cap_append_by_type` leaves out)."""

    kind_name = "codec"
    zero: tuple[str, ...] = ()

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.allowing = bool(params.get("allowing", True))
        self.formats: tuple[str, ...] = tuple(params.get("formats", ()))
        known = self.formats + tuple(params.get("formats_outside_all", ()))
        self.by_lower = {name.lower(): name for name in known}

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[str, ...]:
        if not self.allowing and value == "":
            return current
        cap = list(current)
        text = value
        if len(text) >= 2 and text[0] == "(" and text[-1] == ")":
            text = text[1:-1]
            cap = [] if self.allowing else self._append_all(cap)
        failures: list[Logged] = []
        for raw in _SPLIT.split(text):
            item = ast_strip(raw)
            allowing = self.allowing
            if item.startswith("!"):
                item = item[1:]
                allowing = not allowing
            if ":" in item:
                item, framing = item.rsplit(":", 1)
                # `!sscanf(...)`: an empty framing is EOF (-1), not 0, so `ulaw:` passes.
                number = 0 if sscanf_is_eof(framing) else sscanf_int(framing[:30])
                if number is None or number < 0:
                    failures.append(Logged("WARNING", "format_cap.c", f"Bad packetization value for codec {item}"))
                    continue
            if item.lower() == "all":
                cap = self._append_all(cap) if allowing else []
                continue
            codec = self.by_lower.get(item.lower())
            if codec is None:
                verb = "allow" if allowing else "disallow"
                failures.append(Logged("WARNING", "format_cap.c", f"Cannot {verb} unknown format '{item}'"))
                continue
            if allowing:
                if codec not in cap:
                    cap.append(codec)
            elif codec in cap:
                cap.remove(codec)
        if failures:
            raise invalid(call.name, value, "a list of known codec names (e.g. ulaw,alaw,g722), 'all' or '!codec'",
                          self.formats, tuple(failures))
        return tuple(cap)

    def _append_all(self, cap: list[str]) -> list[str]:
        present = set(cap)
        return cap + [name for name in self.formats if name not in present]

    def render(self, name: str, value: Any) -> Lines:
        return [(name, "(" + "|".join(value) + ")" if value else "(nothing)")]

    def describe(self) -> str:
        return "codec names separated by ',' or '|', 'all', '!codec', 'codec:ms'"
