"""The sorcery "config" wizard: which categories of a parsed file become raw objects of a type.

Mirrors res_sorcery_config.c: every non-template category is offered to each type; it is taken
when the FIRST `type` variable (name case-insensitive) equals the criteria value exactly, or, for
`explicit_name` types (global, system), when the category has that exact name and only options
of the type (names as registered, case-sensitive).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from pjsipconf.conf.types import Category
from pjsipconf.schema import TypeSchema
from pjsipconf.sources.types import RawObject, Wizard


@dataclass(frozen=True, slots=True)
class ConfigCriteria:
    """The parsed data of one config wizard line."""

    filename: str
    criteria: tuple[tuple[str, str], ...]  # (field, value) pairs, all must hold
    explicit_name: str | None
    single_object: bool

    @classmethod
    def from_wizard(cls, wizard: Wizard) -> "ConfigCriteria":
        criteria = []
        explicit_name = None
        single_object = False
        for key, value in wizard.options:
            key = key.lower()
            if key == "criteria":
                field, _, wanted = value.partition("=")
                criteria.append((field, wanted))
            elif key == "explicit_name":
                explicit_name = value
            elif key == "single_object":
                single_object = value.lower() in ("yes", "true", "y", "t", "1", "on")
        return cls(wizard.data, tuple(criteria), explicit_name, single_object)


def first_value(category: Category, name: str) -> str | None:
    """The value of the first variable called `name` (case-insensitive), inherited ones first."""
    lowered = name.lower()
    for var in category.variables:
        if var.name.lower() == lowered:
            return var.value
    return None


class CategoryIndex:
    """The non-template categories of one parsed file, indexed by their first `type=` value.

    Every type's wizard asks "which categories are mine?"; answering from the index keeps a build
    linear in the number of categories instead of categories x types.
    """

    def __init__(self, categories: Iterable[Category]) -> None:
        self.categories = [c for c in categories if not c.is_template]
        self._by_type: dict[str | None, list[int]] = {}  # first type= value -> positions
        for position, category in enumerate(self.categories):
            self._by_type.setdefault(first_value(category, "type"), []).append(position)
        self._taken = bytearray(len(self.categories))  # 1 where some wizard took the category

    def select(self, criteria: ConfigCriteria, type_schema: TypeSchema) -> list[Category]:
        """The categories the wizard takes, in file order (res_sorcery_config's matching rules)."""
        positions = self._positions(criteria, type_schema)
        for position in positions:
            self._taken[position] = 1
        return [self.categories[position] for position in positions]

    def untaken(self) -> list[Category]:
        """The categories no wizard has taken so far (Asterisk ignores them silently)."""
        return [category for category, taken in zip(self.categories, self._taken) if not taken]

    def _positions(self, criteria: ConfigCriteria, type_schema: TypeSchema) -> list[int]:
        everything = range(len(self.categories))
        if not criteria.criteria and criteria.explicit_name is None:
            return list(everything)  # nothing configured to match on: everything is accepted
        if [field.lower() for field, _ in criteria.criteria] == ["type"]:
            chosen = list(self._by_type.get(criteria.criteria[0][1], ()))
        else:
            chosen = [i for i in everything if criteria.criteria and _criteria_met(self.categories[i], criteria)]
        if criteria.explicit_name is not None:
            named = (i for i in everything if self.categories[i].name == criteria.explicit_name)
            extra = [i for i in named if _only_known_options(self.categories[i], type_schema)]
            chosen = sorted(set(chosen) | set(extra))
        return chosen


def _criteria_met(category: Category, criteria: ConfigCriteria) -> bool:
    return all(first_value(category, field) == wanted for field, wanted in criteria.criteria)


def _only_known_options(category: Category, type_schema: TypeSchema) -> bool:
    """sorcery_is_explicit_name_met: every line names a registered sorcery field. The field
    container matches names case-sensitively (unlike applying an option), then by the regex
    fields, among them `^@`, which sorcery registers for every type's extended fields: `[global]`
    with `Debug=yes` is not the global object, with `@note=x` it is."""
    exact = {spec.name for spec in type_schema.options if not spec.regex}
    patterns = [re.compile(spec.name) for spec in type_schema.options if spec.regex]
    return all(
        var.name in exact or var.name.startswith("@") or any(pattern.search(var.name) for pattern in patterns)
        for var in category.variables
    )


def raw_object(category: Category, type_name: str) -> RawObject:
    return RawObject(
        type=type_name,
        id=category.name or _stand_in_id(category, type_name),
        source=category.source,
        line=category.line,
        variables=category.variables,
        inherited=category.inherited,
        templates=category.templates,
        suppressed=category.suppressed,
    )


def _stand_in_id(category: Category, type_name: str) -> str:
    """ast_sorcery_alloc gives an object with an empty id (`[]`) a fresh random UUID, so two `[]`
    sections of one type are no duplicates. A UUID made from where the section is stays the same
    from build to build (a file included twice is read under two names: see Source.logged_as)."""
    where = f"{category.source.logged_as or category.source.name}:{category.line}:{type_name}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, where))


class RawObjects(Sequence[RawObject]):
    """Chosen categories as raw objects, each made when it is reached: 100,000 of them alive at
    once would only add to a build's peak memory."""

    def __init__(self, categories: list[Category], type_name: str) -> None:
        self._categories = categories
        self._type_name = type_name

    def __len__(self) -> int:
        return len(self._categories)

    def __getitem__(self, index: int) -> RawObject:  # type: ignore[override]
        return raw_object(self._categories[index], self._type_name)

    def __iter__(self) -> Iterator[RawObject]:
        type_name = self._type_name
        return (raw_object(category, type_name) for category in self._categories)


def single_object_violated(count: int) -> bool:
    """res_sorcery_config sizes its container to the largest odd prime <= count (ast_is_prime treats
    2 as not prime) and refuses a single_object type only when that is > 1: two sections load, three
    or more fail the whole type."""
    return count >= 3
