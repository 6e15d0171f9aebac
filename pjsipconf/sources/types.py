"""Plain data at the sources -> model boundary."""

from __future__ import annotations

from dataclasses import dataclass, field

from pjsipconf.conf.types import Source, Variable


@dataclass(frozen=True, slots=True)
class RawObject:
    """An object before typing: its id, type and lines in the order Asterisk applies them.

    From a file: one category whose first `type=` matched. From realtime: one row, its columns in
    table order (NULL columns left out, unknown columns dropped as res_sorcery_realtime does).
    """

    type: str
    id: str
    source: Source
    line: int  # section header line; 0 for a realtime row
    variables: tuple[Variable, ...]
    # How many leading `variables` came from inherited categories. Objects built from the same
    # templates share those Variable objects, so the model can reuse the state they produce.
    inherited: int = 0
    templates: tuple[str, ...] = ()
    suppressed: frozenset[str] = frozenset()
    # False when Asterisk's multi-row lookups (`pjsip show <type>s`, the aors behind `pjsip show
    # contacts`) would refuse the row although a lookup by id works (res_config_sqlite3 NULL -> '').
    listed: bool = True


@dataclass(frozen=True, slots=True)
class Wizard:
    """One sorcery.conf mapping line for a type, e.g. `endpoint=realtime,ps_endpoints`."""

    kind: str  # "config", "realtime", "astdb", "memory", ...
    data: str  # "pjsip.conf" / the realtime family (e.g. "ps_endpoints")
    options: tuple[tuple[str, str], ...] = ()  # criteria=type=endpoint -> ("criteria", "type=endpoint"), ...
    cache: bool = False  # `type/cache = ...` lines

    def option(self, name: str) -> str | None:
        for key, value in self.options:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class SorceryMap:
    """Which wizards serve each type, in sorcery.conf order (Asterisk's built-in default if none)."""

    wizards: dict[str, tuple[Wizard, ...]] = field(default_factory=dict)
    explicit: frozenset[str] = frozenset()  # types mapped in sorcery.conf (built-in default not applied)
