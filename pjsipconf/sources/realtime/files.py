"""Reading the Asterisk config files the realtime stage needs, with the shared parser."""

from __future__ import annotations

import os
from typing import Iterable

from pjsipconf.conf.reader import Reader
from pjsipconf.conf.types import Category, ConfigFile, Variable


def read_optional_conf(config_dir: str, filename: str, *, reader: Reader | None = None) -> ConfigFile | None:
    """The parse of `<config_dir>/<filename>`, or None when the file does not exist."""
    from pjsipconf.conf import parse  # the parser imports the schema-free conf stage only

    path = os.path.join(os.path.abspath(config_dir), filename)
    config = parse(path, config_dir=os.path.abspath(config_dir), reader=reader)
    return config if config.exists else None


def first_category(categories: Iterable[Category], name: str, *, case_sensitive: bool = False) -> Category | None:
    """The first non-template category called `name` (Asterisk's ast_category_get)."""
    for category in categories:
        if category.is_template:
            continue
        if category.name == name or (not case_sensitive and category.name.lower() == name.lower()):
            return category
    return None


def first_value(category: Category | None, *names: str) -> Variable | None:
    """The first variable of the category named one of `names` (case-insensitive), in `names` order."""
    if category is None:
        return None
    for name in names:
        for var in category.variables:
            if var.name.lower() == name.lower():
                return var
    return None
