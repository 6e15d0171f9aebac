"""Rows of a ps_* table -> raw objects, as res_sorcery_realtime builds objects from them.

The `id` column names the object; columns that are not registered fields of the type are dropped
(exact, case-sensitive names, or a regex field such as `^event_` / `^@`); the others become
variables in table order, as the driver's single-row fetch delivers them (that is what a lookup
by id, e.g. `pjsip show endpoint 100`, applies). Where the driver's multi-row fetch would deliver
something else that Asterisk refuses, the row is named in a warning: such an object works when
looked up by id but is missing from lists (`pjsip show endpoints`, qualify, identify).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import is_not, itemgetter
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from pjsipconf.conf.types import Problem, Source, Variable
from pjsipconf.sources.realtime.drivers import Driver, cell_text
from pjsipconf.sources.types import RawObject

if TYPE_CHECKING:
    from pjsipconf.schema import TypeSchema

ID_COLUMN = "id"
# Columns the Alembic migrations renamed: an old table still has the old name, which Asterisk drops.
RENAMED_COLUMNS = {
    "mwi_fromuser": "mwi_from_user",
    "verifiy_server": "verify_server",
    "suppress_q850_reason_header": "suppress_q850_reason_headers",
}
MAX_IDS_IN_MESSAGE = 10


def is_registered_field(type_schema: "TypeSchema", column: str) -> bool:
    """ast_sorcery_is_object_field_registered(): an exact field name, or a name a regex field
    matches; an alias (endpoint `disallow`) is not a field."""
    if column.startswith("@"):
        return True  # every type registers "^@" (extended fields)
    spec = type_schema.option(column)
    if spec is None or spec.sorcery_alias:
        return False
    return spec.regex or spec.name == column


@dataclass
class _Findings:
    """What the conversion of one table noticed, reported once it is done."""

    duplicate_ids: list[str] = field(default_factory=list)
    rows_without_id: int = 0
    multirow_failures: list[tuple[str, str]] = field(default_factory=list)  # (row id, column)
    single_failures: list[tuple[str, str]] = field(default_factory=list)
    dropped_with_data: dict[str, list[str]] = field(default_factory=dict)  # column -> row ids


class RowConverter:
    """Turns the rows of one table (one result set) into raw objects of one type."""

    def __init__(self, type_schema: "TypeSchema", columns: Sequence[str], driver: Driver, source: Source) -> None:
        self.type_schema = type_schema
        self.driver = driver
        self.source = source
        self.id_index = columns.index(ID_COLUMN) if ID_COLUMN in columns else None
        self.kept = [(i, name) for i, name in enumerate(columns) if name != ID_COLUMN and is_registered_field(type_schema, name)]
        self.dropped = [(i, name) for i, name in enumerate(columns) if name != ID_COLUMN and (i, name) not in self.kept]
        self._names = tuple(name for _, name in self.kept)
        self._positions = tuple(range(len(self.kept)))
        self._cells = _picker([i for i, _ in self.kept])
        self._empty_fails: dict[str, bool] = {}
        self._null_refusing = self._null_verdicts()
        self.findings = _Findings()
        self._seen: set[str] = set()

    def convert(self, rows: Iterable[Sequence[object]]) -> list[RawObject]:
        objects = []
        for row in rows:
            obj = self.convert_row(row)
            if obj is not None:
                objects.append(obj)
        return objects

    def convert_row(self, row: Sequence[object]) -> RawObject | None:
        object_id = self._object_id(row)
        if object_id is None:
            self.findings.rows_without_id += 1
            return None
        if object_id in self._seen:
            self.findings.duplicate_ids.append(object_id)  # a lookup by id returns one row: the first
            return None
        self._seen.add(object_id)
        cells = self._cells(row)
        # Most cells of a wide table are NULL: pick the others without a Python-level test per cell.
        present = compress(zip(self._positions, self._names, cells), map(is_not, cells, repeat(None)))
        variables: list[Variable] = []
        single, source = self.driver.single, self.source
        empty_refused: tuple[int, str, tuple[str, ...]] | None = None
        for position, name, cell in present:
            text = cell if type(cell) is str else cell_text(cell)
            values = single(name, text)
            for value in values:
                variables.append(Variable(name, value, source, 0, object_id, 0))
            if empty_refused is None and text == "" and values != self.driver.multi(name, text) and self._fails_on_empty(name):
                empty_refused = (position, name, values)
        failures_before = len(self.findings.multirow_failures)
        self._record_refusal(object_id, cells, empty_refused)
        if self.dropped:
            self._note_dropped(row, object_id)
        listed = len(self.findings.multirow_failures) == failures_before
        return RawObject(type=self.type_schema.name, id=object_id, source=source, line=0, variables=tuple(variables),
                         listed=listed)

    def _record_refusal(self, object_id: str, cells: Sequence[object],
                        empty_refused: tuple[int, str, tuple[str, ...]] | None) -> None:
        """Asterisk stops at the first refused column: one finding per row, the earliest column."""
        null_position = next((p for p in self._null_refusing if cells[p] is None), None)
        if null_position is not None and (empty_refused is None or null_position < empty_refused[0]):
            self.findings.multirow_failures.append((object_id, self._names[null_position]))
        elif empty_refused is not None:
            _, name, values = empty_refused
            target = self.findings.single_failures if values else self.findings.multirow_failures
            target.append((object_id, name))

    def _null_verdicts(self) -> tuple[int, ...]:
        """The positions (among kept columns) where a NULL makes the driver's multi-row lookup
        refuse the row, in table order (none when the driver reads NULL alike on both paths)."""
        driver = self.driver
        return tuple(position for position, name in enumerate(self._names)
                     if driver.single(name, None) != driver.multi(name, None) and self._fails_on_empty(name))

    def _object_id(self, row: Sequence[object]) -> str | None:
        if self.id_index is None:
            return None
        values = self.driver.single(ID_COLUMN, cell_text(row[self.id_index]))
        return values[-1] if values and values[-1] else None  # the filter keeps the last `id` variable

    def _fails_on_empty(self, column: str) -> bool:
        if column not in self._empty_fails:
            self._empty_fails[column] = option_refuses_empty(self.type_schema, column)
        return self._empty_fails[column]

    def _note_dropped(self, row: Sequence[object], object_id: str) -> None:
        for index, name in self.dropped:
            if cell_text(row[index]) not in (None, ""):
                self.findings.dropped_with_data.setdefault(name, []).append(object_id)

    def problems(self) -> list[Problem]:
        """The findings as warnings/info for `check`, one per kind (rows named in the message)."""
        f, out = self.findings, []
        table, type_name = self.source.name, self.type_schema.name
        if self.id_index is None:
            out.append(self._problem("realtime-no-id-column", "error",
                                     f"{table} has no 'id' column: Asterisk cannot name any {type_name} from it"))
        if f.rows_without_id:
            out.append(self._problem("realtime-row-without-id", "warning",
                                     f"{table}: {f.rows_without_id} row(s) with a NULL or empty id are never found by Asterisk"))
        if f.duplicate_ids:
            out.append(self._problem("realtime-duplicate-id", "warning",
                                     f"{table}: id {_names(f.duplicate_ids)} appears in several rows; a lookup by id gets one "
                                     "of them (the first is used here)"))
        out.extend(self._path_problems())
        for column, ids in f.dropped_with_data.items():
            out.append(self._problem("realtime-ignored-column", "info",
                                     f"{table}.{column} is ignored by Asterisk ({self._why_dropped(column)}); "
                                     f"rows with a value: {_names(ids)}"))
        return out

    def _why_dropped(self, column: str) -> str:
        renamed = RENAMED_COLUMNS.get(column)
        if renamed:
            return f"it was renamed to '{renamed}' by the Alembic migrations"
        spec = self.type_schema.option(column)
        if spec is not None and spec.sorcery_alias:
            return (f"realtime lookups drop it: {column} is an alias of {spec.alias_of}, not a field; write '!codec' "
                    f"entries in {spec.alias_of} instead, e.g. {spec.alias_of}=!all,ulaw")
        return f"it is not an option of {self.type_schema.name}"

    def _path_problems(self) -> list[Problem]:
        f, out = self.findings, []
        table, type_name, driver = self.source.name, self.type_schema.name, self.driver.name
        if f.multirow_failures:
            out.append(self._problem(
                "realtime-multirow-null", "warning",
                f"{table}: res_config_{driver} hands NULL or empty columns to multi-row lookups as '', which Asterisk "
                f"refuses for {_pairs(f.multirow_failures)}: `pjsip show {type_name}s` and every other list skip "
                f"{len(f.multirow_failures)} row(s), while a lookup by id still works. Store a value (or drop the column)."))
        if f.single_failures:
            out.append(self._problem(
                "realtime-empty-string", "warning",
                f"{table}: res_config_{driver} hands an empty string to lookups by id as '', which Asterisk refuses for "
                f"{_pairs(f.single_failures)}: those {type_name}s cannot be looked up by id. Store NULL instead."))
        return out

    def _problem(self, code: str, severity: str, message: str) -> Problem:
        return Problem(code, message, self.source, 0, severity=severity)  # type: ignore[arg-type]


def _picker(indices: list[int]) -> Callable[[Sequence[object]], tuple[object, ...]]:
    """A function returning the cells at `indices` of a row, as a tuple (C-level itemgetter)."""
    if len(indices) > 1:
        return itemgetter(*indices)  # type: ignore[return-value]
    if indices:
        only = indices[0]
        return lambda row: (row[only],)
    return lambda row: ()


def option_refuses_empty(type_schema: "TypeSchema", column: str) -> bool:
    """Whether applying `column = ''` to a fresh object is an error (allow, enums, numbers ...)."""
    from pjsipconf.schema import InvalidValue, UnknownOption

    state = type_schema.new_state()
    try:
        type_schema.apply(state, column, "")
    except (InvalidValue, UnknownOption):
        return True
    return False


def _names(ids: list[str]) -> str:
    shown = ", ".join(repr(i) for i in ids[:MAX_IDS_IN_MESSAGE])
    return shown + (f" and {len(ids) - MAX_IDS_IN_MESSAGE} more" if len(ids) > MAX_IDS_IN_MESSAGE else "")


def _pairs(pairs: list[tuple[str, str]]) -> str:
    shown = ", ".join(f"row {object_id!r} ({column})" for object_id, column in pairs[:MAX_IDS_IN_MESSAGE])
    return shown + (f" and {len(pairs) - MAX_IDS_IN_MESSAGE} more" if len(pairs) > MAX_IDS_IN_MESSAGE else "")
