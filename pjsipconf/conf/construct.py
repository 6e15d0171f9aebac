"""Building the frozen boundary objects (Variable, Category) fast, for the parser.

Frozen slotted dataclasses are slow to build through __init__ and the parser creates one
Variable per line, so it fills their slots directly: the same objects, immutable once sealed.
"""

from __future__ import annotations

from typing import Any, Callable

from pjsipconf.conf.types import Category, Source, Variable

new_object = object.__new__


def _slot_setter(cls: type, field_name: str) -> Callable[[Any, Any], None]:
    """The slot descriptor's setter, which writes even a frozen dataclass's field."""
    setter: Callable[[Any, Any], None] = getattr(cls, field_name).__set__
    return setter


set_name = _slot_setter(Variable, "name")
set_value = _slot_setter(Variable, "value")
set_source = _slot_setter(Variable, "source")
set_line = _slot_setter(Variable, "line")
set_section = _slot_setter(Variable, "section")
set_logged = _slot_setter(Variable, "logged_line")
set_operator = _slot_setter(Variable, "operator")
set_category_name = _slot_setter(Category, "name")
set_category_source = _slot_setter(Category, "source")
set_category_line = _slot_setter(Category, "line")
set_is_template = _slot_setter(Category, "is_template")
set_templates = _slot_setter(Category, "templates")
set_variables = _slot_setter(Category, "variables")
set_inherited = _slot_setter(Category, "inherited")
set_suppressed = _slot_setter(Category, "suppressed")
NO_RULES: frozenset[str] = frozenset()


def make_variable(
    name: str, value: str, source: Source, line: int, section: str, logged_line: int, operator: str
) -> Variable:
    variable = new_object(Variable)
    set_name(variable, name)
    set_value(variable, value)
    set_source(variable, source)
    set_line(variable, line)
    set_section(variable, section)
    set_logged(variable, logged_line)
    set_operator(variable, operator)
    return variable


# While parsing, a category is already the Category object it will be, its slots filled through
# the descriptors above: `variables` holds a list and `suppressed` a set until
# `seal` turns them into the tuple and frozenset of the boundary type. config.c mutates
# categories after creating them ((+), +=, the template flag); a separate builder object plus a
# copy at the end cost a third of the time spent on each section header.
Cat = Category


def new_category(name: str, source: Source, line: int) -> Category:
    category = new_object(Category)
    set_category_name(category, name)
    set_category_source(category, source)
    set_category_line(category, line)
    set_is_template(category, False)
    set_templates(category, ())
    set_variables(category, [])
    set_inherited(category, 0)  # leading variables that are the very objects of the bases
    set_suppressed(category, NO_RULES)
    return category


def seal(category: Category, shared: dict[tuple[str, ...], tuple[str, ...]]) -> Category:
    """The category as the boundary type holds it: tuples and frozensets, and the `templates`
    tuple shared with every category inheriting the same bases (`shared`, one per parse)."""
    set_variables(category, tuple(category.variables))
    if category.suppressed:
        set_suppressed(category, frozenset(category.suppressed))
    if category.templates:
        set_templates(category, shared.setdefault(category.templates, category.templates))
    return category


def ascii_lower(text: str) -> str:
    """strcasecmp folds ASCII letters only."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


# Line numbers as shared int objects: a 100,000-extension configuration holds 1.2 million
# Variables, each with a line number, and the same few thousand numbers recur in every file.
_LINE_NUMBERS: list[int] = list(range(1, 1 << 16))


def line_numbers(count: int) -> list[int]:
    """[1, 2, ..., count] (at least), the same int objects for every file (grown only for a file
    longer than 65,535 lines)."""
    while len(_LINE_NUMBERS) < count:
        _LINE_NUMBERS.extend(range(len(_LINE_NUMBERS) + 1, 2 * len(_LINE_NUMBERS) + 1))
    return _LINE_NUMBERS
