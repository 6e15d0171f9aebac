"""The sorcery "config" wizard: which categories of a parsed file become raw objects of a type.

Mirrors res_sorcery_config.c: every non-template category is offered to each type; it is taken
when the FIRST `type` variable (name case-insensitive) equals the criteria value exactly, or, for
`explicit_name` types (global, system), when the category has that exact name and only options
of the type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

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
        self._position = {id(c): i for i, c in enumerate(self.categories)}
        self._by_type: dict[str | None, list[Category]] = {}
        for category in self.categories:
            self._by_type.setdefault(first_value(category, "type"), []).append(category)

    def select(self, criteria: ConfigCriteria, type_schema: TypeSchema) -> list[Category]:
        """The categories the wizard takes, in file order (res_sorcery_config's matching rules)."""
        if not criteria.criteria and criteria.explicit_name is None:
            return list(self.categories)  # nothing configured to match on: everything is accepted
        if [field.lower() for field, _ in criteria.criteria] == ["type"]:
            chosen = list(self._by_type.get(criteria.criteria[0][1], ()))
        else:
            chosen = [c for c in self.categories if criteria.criteria and _criteria_met(c, criteria)]
        if criteria.explicit_name is not None:
            named = [c for c in self.categories if c.name == criteria.explicit_name]
            extra = [c for c in named if _only_known_options(c, type_schema) and c not in chosen]
            chosen = sorted(chosen + extra, key=lambda c: self._position[id(c)])
        return chosen


def _criteria_met(category: Category, criteria: ConfigCriteria) -> bool:
    return all(first_value(category, field) == wanted for field, wanted in criteria.criteria)


def _only_known_options(category: Category, type_schema: TypeSchema) -> bool:
    return all(type_schema.option(var.name) is not None for var in category.variables)


def raw_object(category: Category, type_name: str) -> RawObject:
    return RawObject(
        type=type_name,
        id=category.name,
        source=category.source,
        line=category.line,
        variables=category.variables,
        inherited=category.inherited,
        templates=category.templates,
        suppressed=category.suppressed,
    )


def single_object_violated(count: int) -> bool:
    """res_sorcery_config sizes its container to the largest odd prime <= count (ast_is_prime treats
    2 as not prime) and refuses a single_object type only when that is > 1: two sections load, three
    or more fail the whole type."""
    return count >= 3
