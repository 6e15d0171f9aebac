"""extconfig.conf: which driver and database serve a realtime family (main/config.c reload_module).

Only `[settings]` is read. Each line is `<family> => <driver>,<database>[,<table>[,<priority>]]`;
the database may be double-quoted (it may hold commas), the table defaults to the family name, the
priority to 1 (also for 0 or junk: atoi). Nothing is stripped. Family lookup is case-insensitive.
Lines with the same family and priority: the last one wins (mappings are prepended to a list).
Priorities 1, 2, 3 ... are tried in turn as failover; the chain stops at the first missing number.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pjsipconf.conf.reader import Reader
from pjsipconf.conf.types import Problem, Source, Variable
from pjsipconf.sources.realtime.files import first_category, read_optional_conf

EXTCONFIG_FILENAME = "extconfig.conf"
UNBINDABLE = ("extconfig.conf", "asterisk.conf", "logger.conf")


@dataclass(frozen=True, slots=True)
class RealtimeMapping:
    """One effective extconfig.conf line."""

    family: str
    driver: str
    database: str
    table: str
    priority: int
    source: Source
    line: int
    table_given: bool = True  # False: the line names no table, the family looked up does (see chain)

    @property
    def engine(self) -> str:
        """The driver as find_engine matches it against the engines' names (strcasecmp)."""
        return self.driver.lower()


@dataclass(frozen=True)
class Extconfig:
    """Families (lower-cased) -> their mappings by ascending priority, as the failover chain tries them."""

    mappings: dict[str, tuple[RealtimeMapping, ...]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    exists: bool = True

    def chain(self, family: str) -> tuple[RealtimeMapping, ...]:
        """The mappings of a family (matched in any case), each with its table: a line that names
        none queries the family as the lookup writes it (find_engine), e.g. sorcery.conf's."""
        return tuple(m if m.table_given else replace(m, table=family) for m in self.mappings.get(family.lower(), ()))


def read_extconfig(config_dir: str, *, reader: Reader | None = None) -> Extconfig:
    config = read_optional_conf(config_dir, EXTCONFIG_FILENAME, reader=reader)
    if config is None:
        return Extconfig(exists=False)
    problems = [p for p in config.problems if p.severity != "info"]
    if config.invalid:
        problems.append(Problem("extconfig-invalid", "extconfig.conf is invalid: Asterisk maps no realtime family",
                                Source("file", EXTCONFIG_FILENAME, config.path), 0, severity="error"))
        return Extconfig(problems=tuple(problems))
    settings = first_category(config.categories, "settings")
    by_key: dict[tuple[str, int], RealtimeMapping] = {}
    for var in settings.variables if settings else ():
        mapping = parse_mapping_line(var, problems)
        if mapping is not None:
            by_key[(mapping.family.lower(), mapping.priority)] = mapping  # a later line replaces an earlier one
    return Extconfig(mappings=_failover_chains(by_key), problems=tuple(problems))


def parse_mapping_line(var: Variable, problems: list[Problem]) -> RealtimeMapping | None:
    """One `[settings]` line, split exactly as reload_module() does; None when Asterisk ignores it."""
    driver, comma, rest = var.value.partition(",")
    if not comma:
        problems.append(_problem(var, f"extconfig.conf: value '{var.value}' ignored due to wrong format"))
        return None
    quote = rest.find('"')
    if quote >= 0:
        database, _, rest = rest[quote + 1 :].partition('"')
        _, _, rest = rest.partition(",")
        parts = [database] + (rest.split(",") if rest else [])
    else:
        parts = rest.split(",")
    database = parts[0]
    # No table part: the family names the table; an empty one (`sqlite3,db,`) stays empty.
    table = parts[1] if len(parts) > 1 else var.name
    priority = _atoi(parts[2]) if len(parts) > 2 else 0
    if var.name in UNBINDABLE:
        problems.append(_problem(var, f"Cannot bind '{var.name}'!"))
        return None
    return RealtimeMapping(var.name, driver, database, table, priority or 1, var.source, var.line, len(parts) > 1)


def _failover_chains(by_key: dict[tuple[str, int], RealtimeMapping]) -> dict[str, tuple[RealtimeMapping, ...]]:
    chains: dict[str, tuple[RealtimeMapping, ...]] = {}
    for family in {key[0] for key in by_key}:
        chain = []
        priority = 1
        while (family, priority) in by_key:
            chain.append(by_key[(family, priority)])
            priority += 1
        chains[family] = tuple(chain)
    return chains


def _atoi(text: str) -> int:
    """C atoi: leading blanks, optional sign, digits; anything else ends the number (0 if none)."""
    text = text.lstrip(" \t\n\r\f\v")
    sign = -1 if text.startswith("-") else 1
    text = text[1:] if text[:1] in "+-" else text
    digits = ""
    for char in text:
        if not char.isdigit():
            break
        digits += char
    return sign * int(digits) if digits else 0


def _problem(var: Variable, message: str) -> Problem:
    return Problem("extconfig-line-ignored", message, var.source, var.line, severity="warning")
