"""The sorcery "config" wizard: which categories of a parsed file become raw objects of a type.

Mirrors res_sorcery_config.c: every non-template category is offered to each type; it is taken
when the FIRST `type` variable (name case-insensitive) equals the criteria value exactly, or, for
`explicit_name` types (global, system), when the category has that exact name and only options
of the type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

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


def matches(category: Category, criteria: ConfigCriteria, type_schema: TypeSchema) -> bool:
    """Whether the wizard takes this (non-template) category as an object of its type."""
    if not criteria.criteria and criteria.explicit_name is None:
        return True  # nothing configured to match on: everything is accepted
    if criteria.explicit_name is not None and category.name == criteria.explicit_name:
        if all(type_schema.option(var.name) is not None for var in category.variables):
            return True
    return bool(criteria.criteria) and all(
        first_value(category, field) == wanted for field, wanted in criteria.criteria
    )


def raw_objects(
    categories: Iterable[Category], criteria: ConfigCriteria, type_schema: TypeSchema
) -> Iterator[RawObject]:
    """The categories of the file that this wizard turns into objects, in file order."""
    for category in categories:
        if category.is_template or not matches(category, criteria, type_schema):
            continue
        yield RawObject(
            type=type_schema.name,
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
