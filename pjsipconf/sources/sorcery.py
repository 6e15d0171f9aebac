"""sorcery.conf: which wizards serve each PJSIP object type, in which order (main/sorcery.c).

Every res_pjsip module shares one sorcery instance. When a module loads it first applies the
lines of its own sorcery.conf section (`[res_pjsip]`, `[res_pjsip_endpoint_identifier_ip]`, ...),
then the built-in default of each type it registers, but only for a type that has no mapping yet.

A line in [res_pjsip] that names another module's type creates the type under res_pjsip, whose
documentation lacks it: that module then declines to load (see _undocumented_types).

A line is `<type>[/<options>] = <wizard>[,<data>]`: split on the first `/` and the first `,`,
nothing stripped. A wizard kind already mapped to a type is ignored the second time. A wizard that
fails to open (unknown wizard, realtime family missing from extconfig.conf, bad options) stops the
rest of that section; in `[res_pjsip]` it stops res_pjsip from loading at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from pjsipconf.conf.reader import Reader
from pjsipconf.conf.types import Category, Problem, Source, Variable
from pjsipconf.sources.realtime.extconfig import read_extconfig
from pjsipconf.sources.realtime.files import read_optional_conf
from pjsipconf.sources.types import SorceryMap, Wizard

if TYPE_CHECKING:
    from pjsipconf.schema import Schema

SORCERY_FILENAME = "sorcery.conf"
MAIN_FILE = "pjsip.conf"  # the file res_pjsip's built-in config wizards read
RES_PJSIP = "res_pjsip"

# The sorcery.conf section each type's module reads (Asterisk's module code, ASTERISK.md B), in the
# order the modules load: res_pjsip first, every other module depends on it.
SECTION_OF_TYPE: dict[str, str] = {
    "endpoint": RES_PJSIP,
    "auth": RES_PJSIP,
    "aor": RES_PJSIP,
    "contact": RES_PJSIP,
    "transport": RES_PJSIP,
    "domain_alias": RES_PJSIP,
    "global": RES_PJSIP,
    "system": RES_PJSIP,
    "acl": "acl",
    "identify": "res_pjsip_endpoint_identifier_ip",
    "registration": "res_pjsip_outbound_registration",
    "outbound-publish": "res_pjsip_outbound_publish",
    "resource_list": "res_pjsip_pubsub",
    "inbound-publication": "res_pjsip_pubsub",
    "subscription_persistence": "res_pjsip_pubsub",
    "asterisk-publication": "res_pjsip_publish_asterisk",
    "phoneprov": "res_pjsip_phoneprov_provider",
}

# Wizards Asterisk registers (res_sorcery_*.c); any other name fails to open.
KNOWN_WIZARDS = frozenset({"config", "realtime", "astdb", "memory", "memory_cache"})
REALTIME_FETCH_VALUES = ("", "yes", "no", "warn", "error")


class WizardOpenError(Exception):
    """Asterisk's wizard `open` callback would return NULL for this line (the message says why)."""


@dataclass
class _Mapping:
    """The state sorcery builds while modules load: wizards per type, in order."""

    wizards: dict[str, list[Wizard]] = field(default_factory=dict)
    explicit: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    # Types of other modules a [res_pjsip] line creates first, with that line (see _undocumented_types).
    created_by_res_pjsip: dict[str, Variable] = field(default_factory=dict)


def module_sections() -> list[str]:
    """The sorcery.conf sections res_pjsip's modules read, in their load order."""
    return list(dict.fromkeys(SECTION_OF_TYPE.values()))


def read_sorcery(
    config_dir: str, schema: "Schema", *, reader: Reader | None = None, main_file: str = MAIN_FILE
) -> tuple[SorceryMap, tuple[Problem, ...]]:
    """The wizards of every type of `schema`, as Asterisk maps them from sorcery.conf (defaults if
    absent; their config wizards read `main_file`, pjsip.conf unless the settings name another)."""
    config = read_optional_conf(config_dir, SORCERY_FILENAME, reader=reader)
    extconfig = read_extconfig(config_dir, reader=reader)
    state = _Mapping(problems=list(extconfig.problems))
    if config is not None:
        state.problems.extend(p for p in config.problems if p.severity != "info")
        if config.invalid:
            # __ast_sorcery_apply_config() fails, so ast_sorcery_open() fails for res_pjsip.
            state.problems.append(_file_problem(config.path, "sorcery-invalid", "error",
                                                "sorcery.conf is invalid: res_pjsip cannot open its sorcery instance "
                                                "and does not load, no PJSIP object at all"))
            return _res_pjsip_declined(schema, state)
    families = set(extconfig.mappings)
    categories = () if config is None else config.categories
    for section in module_sections():
        lines = _section_lines(categories, section)
        failed = _apply_section(state, section, lines, families, schema)
        if failed and section == RES_PJSIP:
            return _res_pjsip_declined(schema, state)
        _apply_defaults(state, section, schema, main_file)
    _undocumented_types(state)
    _warn_foreign_types(state, categories, schema)
    wizards = {type_name: tuple(state.wizards.get(type_name, ())) for type_name in schema.types}
    return SorceryMap(wizards=wizards, explicit=frozenset(state.explicit)), tuple(state.problems)


def _section_lines(categories: Iterable[Category], section: str) -> tuple[Variable, ...]:
    """The lines of the first non-template category of that name (ast_variable_browse, case-insensitive)."""
    for category in categories:
        if not category.is_template and category.name.lower() == section.lower():
            return category.variables
    return ()


def _apply_section(
    state: _Mapping, section: str, lines: Iterable[Variable], families: set[str], schema: "Schema"
) -> bool:
    """Apply one module's lines in order; True when a wizard failed to open (the rest is skipped)."""
    for var in lines:
        type_name, _, options = var.name.partition("/")
        wizard_kind, _, data = var.value.partition(",")
        if not type_name or not wizard_kind:
            state.problems.append(_problem(var, "sorcery-empty-mapping", "warning",
                                           f"[{section}] '{var.name} = {var.value}': no type or no wizard; Asterisk skips the line"))
            continue
        try:
            wizard = parse_wizard(wizard_kind, data, caching="cache" in options, families=families)
        except WizardOpenError as exc:
            state.problems.append(_open_failure(var, section, type_name, str(exc)))
            return True
        _add_wizard(state, var, section, type_name, wizard, schema)
    return False


def _add_wizard(state: _Mapping, var: Variable, section: str, type_name: str, wizard: Wizard, schema: "Schema") -> None:
    home = SECTION_OF_TYPE.get(type_name)
    if section == RES_PJSIP and type_name not in state.wizards and home not in (None, RES_PJSIP):
        state.created_by_res_pjsip[type_name] = var
    existing = state.wizards.setdefault(type_name, [])
    state.explicit.add(type_name)
    if any(w.kind == wizard.kind for w in existing):
        state.problems.append(_problem(var, "sorcery-duplicate-wizard", "warning",
                                       f"[{section}] {type_name}: the '{wizard.kind}' wizard is already mapped to this type; "
                                       "Asterisk ignores this second mapping"))
        return
    existing.append(wizard)
    if type_name not in schema.types and home is None:
        state.problems.append(_problem(var, "sorcery-unknown-type", "warning",
                                       f"[{section}] '{type_name}' is not a PJSIP object type (type names are case-sensitive); "
                                       "the mapping has no effect"))
    elif home is not None and home != section and section != RES_PJSIP:
        state.problems.append(_problem(var, "sorcery-foreign-section", "warning",
                                       f"[{section}] maps '{type_name}', whose module reads [{home}]; whether it applies "
                                       "before that module's default depends on module load order"))


def _apply_defaults(state: _Mapping, section: str, schema: "Schema", main_file: str) -> None:
    """The module's built-in mapping for each of its types that has none (ast_sorcery_apply_default)."""
    for type_name, home in SECTION_OF_TYPE.items():
        if home == section and type_name in schema.types and not state.wizards.get(type_name):
            state.wizards[type_name] = [default_wizard(schema, type_name, main_file)]


def default_wizard(schema: "Schema", type_name: str, main_file: str = MAIN_FILE) -> Wizard:
    """The module's built-in mapping, e.g. ("config", "pjsip.conf,criteria=type=endpoint"), its
    file renamed to `main_file`."""
    kind, data = schema.types[type_name].default_wizard
    if kind == "config" and data.startswith(MAIN_FILE + ","):
        data = main_file + data[len(MAIN_FILE):]
    return parse_wizard(kind, data, caching=False, families=None)


# Modules that do not load when another module of theirs declines (AST_MODULE_INFO .requires), by
# their sorcery.conf section.
REQUIRED_BY = {
    "res_pjsip_outbound_publish": ("res_pjsip_publish_asterisk",),
    "res_pjsip_pubsub": ("res_pjsip_publish_asterisk",),
}


def _undocumented_types(state: _Mapping) -> None:
    """A [res_pjsip] line naming another module's type creates that type under res_pjsip. When
    its module registers it, config_options updates the XML documentation of res_pjsip, which does
    not describe the type: the registration fails and the module declines to load (checked with
    Asterisk 22.10.1), with every type it owns and the modules that require it."""
    declined: dict[str, Variable] = {}
    for type_name, var in state.created_by_res_pjsip.items():
        declined.setdefault(SECTION_OF_TYPE[type_name], var)
    for module, var in list(declined.items()):
        for dependent in REQUIRED_BY.get(module, ()):
            declined.setdefault(dependent, var)
    for section, var in declined.items():
        types = [t for t, home in SECTION_OF_TYPE.items() if home == section]
        for type_name in types:
            state.wizards[type_name] = []
        mapped = var.name.partition("/")[0]
        home = SECTION_OF_TYPE[mapped]
        cause = (f"Asterisk logs: Cannot update type '{mapped}' in module '{RES_PJSIP}' because it has no existing "
                 f"documentation!" if home == section else f"it requires {_module_of(home)}")
        state.problems.append(_problem(
            var, "sorcery-module-declined", "error",
            f"[{RES_PJSIP}] maps '{mapped}', a type of {_module_of(home)}: {_module_of(section)} declines to load "
            f"({cause}), so no {', '.join(types)} object is loaded; map it in [{home}] instead"))


def _module_of(section: str) -> str:
    """The module that reads a sorcery.conf section (res_pjsip_acl reads [acl])."""
    return "res_pjsip_acl" if section == "acl" else section


def _res_pjsip_declined(schema: "Schema", state: _Mapping) -> tuple[SorceryMap, tuple[Problem, ...]]:
    """A failed [res_pjsip] mapping makes ast_sorcery_open() fail: res_pjsip, and all of PJSIP, does not load."""
    wizards: dict[str, tuple[Wizard, ...]] = {type_name: () for type_name in schema.types}
    return SorceryMap(wizards=wizards, explicit=frozenset(schema.types)), tuple(state.problems)


def _warn_foreign_types(state: _Mapping, categories: Iterable[Category], schema: "Schema") -> None:
    """Types mapped in a section no res_pjsip module reads are never applied."""
    sections = {s.lower() for s in module_sections()}
    for category in categories:
        if category.is_template or category.name.lower() in sections or category.name.lower() == "general":
            continue
        mapped = [v for v in category.variables if v.name.partition("/")[0] in schema.types]
        for var in mapped:
            home = SECTION_OF_TYPE.get(var.name.partition("/")[0], RES_PJSIP)
            state.problems.append(_problem(var, "sorcery-unread-section", "warning",
                                           f"[{category.name}] is not read by any res_pjsip module, so this mapping is ignored; "
                                           f"put it in [{home}]"))


def parse_wizard(kind: str, data: str, *, caching: bool, families: set[str] | None) -> Wizard:
    """One mapping's wizard, checked as the wizard's `open` callback checks it.

    `families` are the extconfig.conf families (lower case); None skips the realtime check (defaults).
    """
    if kind not in KNOWN_WIZARDS:
        raise WizardOpenError(f"Wizard '{kind}' could not be applied: it was not found (known: {', '.join(sorted(KNOWN_WIZARDS))})")
    first, *rest = data.split(",") if data else [""]
    options = tuple(_option(item) for item in rest)
    if kind == "config":
        _check_config_wizard(first, options)
    elif kind == "realtime":
        _check_realtime_wizard(first, options, families)
    elif kind == "astdb" and not first:
        raise WizardOpenError("the astdb wizard needs a prefix (e.g. astdb,registrar)")
    if kind == "memory_cache":
        # memory_cache's data is all options (object_lifetime_maximum=..., full_backend_cache=...).
        return Wizard(kind=kind, data="", options=tuple(_option(item) for item in data.split(",") if item), cache=caching)
    return Wizard(kind=kind, data=first, options=options, cache=caching)


def _option(item: str) -> tuple[str, str]:
    name, _, value = item.partition("=")
    return name, value


def _check_config_wizard(filename: str, options: tuple[tuple[str, str], ...]) -> None:
    if not filename:
        raise WizardOpenError("the config wizard needs a file name (e.g. config,pjsip.conf,criteria=type=endpoint)")
    for name, value in options:
        if name.lower() in ("explicit_name", "single_object") and not value:
            raise WizardOpenError(f"config wizard option '{name}' has an empty value")


def _check_realtime_wizard(family: str, options: tuple[tuple[str, str], ...], families: set[str] | None) -> None:
    if not family:
        raise WizardOpenError("the realtime wizard needs a family (e.g. realtime,ps_endpoints)")
    if families is not None and family.lower() not in families:
        hint = " (note the space: nothing is stripped after the comma)" if family != family.strip() else ""
        raise WizardOpenError(f"realtime family '{family}' is not mapped in extconfig.conf{hint}")
    for name, value in options:
        if name.lower() != "allow_unqualified_fetch":
            raise WizardOpenError(f"unrecognized realtime wizard option '{name}'")
        if value.lower() not in REALTIME_FETCH_VALUES:
            raise WizardOpenError(f"unrecognized value '{value}' for allow_unqualified_fetch (yes, no, warn, error)")


def _open_failure(var: Variable, section: str, type_name: str, reason: str) -> Problem:
    if section == RES_PJSIP:
        consequence = "Asterisk cannot open res_pjsip's sorcery instance: res_pjsip does not load, no PJSIP object at all"
    else:
        consequence = f"Asterisk skips the rest of [{section}]"
    message = f"[{section}] {type_name}: {reason}. {consequence}"
    return _problem(var, "sorcery-wizard-failed", "error", message)


def _problem(var: Variable, code: str, severity: str, message: str) -> Problem:
    return Problem(code=code, message=message, source=var.source, line=var.line, severity=severity)  # type: ignore[arg-type]


def _file_problem(path: str, code: str, severity: str, message: str) -> Problem:
    source = Source("file", os.path.basename(path), path)
    return Problem(code=code, message=message, source=source, line=0, severity=severity)  # type: ignore[arg-type]
