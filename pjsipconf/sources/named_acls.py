"""acl.conf: the named ACLs an `acl=` (endpoint, acl type) or `contact_acl=` line names.

Asterisk's core named_acl module loads acl.conf before res_pjsip: every category but `general`
is an ACL of that name (matched exactly, case included), its `permit`/`deny` lines its rules.
A name acl.conf does not define is logged as undefined; a defined one without rules is valid
and logged as accepting every address.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from pjsipconf.conf.reader import Reader
from pjsipconf.sources.realtime.files import read_optional_conf

ACL_FILE = "acl.conf"
_RULES = frozenset({"permit", "deny"})


def read_named_acls(config_dir: str, *, reader: Reader | None = None) -> Mapping[str, bool]:
    """ACL name -> whether it has rules; empty when there is no acl.conf."""
    config = read_optional_conf(config_dir, ACL_FILE, reader=reader)
    if config is None:
        return MappingProxyType({})
    acls: dict[str, bool] = {}
    for category in config.categories:
        if category.is_template or category.name == "general":
            continue
        has_rules = any(var.name.lower() in _RULES for var in category.variables)
        acls[category.name] = acls.get(category.name, False) or has_rules
    return MappingProxyType(acls)
