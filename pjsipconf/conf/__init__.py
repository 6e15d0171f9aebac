"""Asterisk's config-file syntax (main/config.c) for any *.conf: `parse(path) -> ConfigFile`."""

from pjsipconf.conf.parser import parse
from pjsipconf.conf.problems import CODES
from pjsipconf.conf.reader import FileSystemReader, MemoryReader, Reader
from pjsipconf.conf.types import (
    Category,
    ConfigFile,
    ExecDirective,
    Problem,
    Source,
    Suppression,
    Variable,
)

__all__ = [
    "CODES",
    "Category",
    "ConfigFile",
    "ExecDirective",
    "FileSystemReader",
    "MemoryReader",
    "Problem",
    "Reader",
    "Source",
    "Suppression",
    "Variable",
    "parse",
]
