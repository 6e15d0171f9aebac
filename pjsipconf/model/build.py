"""One build: sources -> parse -> typed objects -> Snapshot.

For each type, its sorcery wizards are consulted in order (config files, realtime tables); the
first wizard that has an id wins, as ast_sorcery_retrieve_by_id does. A Snapshot is built whole
or not at all: any failure here is an exception the caller reports, never half a Snapshot.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Mapping, Sequence

from pjsipconf.conf import parse
from pjsipconf.conf.reader import Reader
from pjsipconf.conf.types import Category, ConfigFile, Problem, Source
from pjsipconf.gcpause import without_cyclic_gc
from pjsipconf.model.apply import ObjectBuilder
from pjsipconf.model.config_wizard import (
    CategoryIndex,
    ConfigCriteria,
    RawObjects,
    first_value,
    single_object_violated,
)
from pjsipconf.model.contacts import permanent_contacts, with_stored_contacts
from pjsipconf.model.phoneprov import provider_pass
from pjsipconf.model.reuse import BuildMemo, context_key
from pjsipconf.model.types import IgnoredSection, PjsipObject, Rejection, Snapshot, SourceInfo
from pjsipconf.schema import FinishContext, Schema, TypeSchema, load_schema
from pjsipconf.schema.startup import system_taskpool_logs
from pjsipconf.settings import Settings
from pjsipconf.sources.dns import HostResolver
from pjsipconf.sources.named_acls import read_named_acls
from pjsipconf.sources.phoneprov_profiles import read_phoneprov_profiles
from pjsipconf.sources.realtime import RealtimeLoader
from pjsipconf.sources.system_name import read_system_name
from pjsipconf.sources.sorcery import read_sorcery
from pjsipconf.sources.types import RawObject, Wizard

# The order res_pjsip and its modules load their types (Asterisk logs in this order, and an
# apply handler may look at types loaded before it, e.g. a registration at transports).
LOAD_ORDER = (
    "system", "global", "auth", "aor", "transport", "endpoint", "domain_alias", "acl", "identify",
    "registration", "outbound-publish", "resource_list", "inbound-publication", "asterisk-publication",
    "phoneprov", "contact", "subscription_persistence",
)


@dataclass
class _TypeResult:
    """What the wizards of one type produced."""

    objects: dict[str, PjsipObject] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


class _Build:
    """The state of one build (parsed files are shared by every type that reads them)."""

    def __init__(
        self,
        config_dir: str,
        schema: Schema,
        main_file: str,
        realtime: RealtimeLoader,
        reader: Reader | None,
        memo: BuildMemo | None = None,
        resolve_host: HostResolver | None = None,
    ) -> None:
        self.config_dir = config_dir
        self.resolve_host = resolve_host
        self.schema = schema
        self.main_file = main_file
        self.realtime = realtime
        self.reader = reader
        self.files: dict[str, ConfigFile] = {}
        self.indexes: dict[str, CategoryIndex] = {}
        self.memo = memo
        self.named_acls = read_named_acls(config_dir, reader=reader)
        self.builder = ObjectBuilder(dict(schema.types), memo, resolve_host, self.named_acls)
        self.sources: list[SourceInfo] = []
        self.loaded: dict[str, dict[str, PjsipObject]] = {}

    def config_file(self, filename: str) -> ConfigFile:
        if filename not in self.files:
            path = filename if os.path.isabs(filename) else os.path.join(self.config_dir, filename)
            tapes = self.memo.tapes if self.memo is not None else None
            self.files[filename] = parse(path, config_dir=self.config_dir, reader=self.reader, tapes=tapes,
                                         update_last_match=self.schema.update_last_match)
            self.indexes[filename] = CategoryIndex(self.files[filename].categories)
        return self.files[filename]

    def load_type(self, type_schema: TypeSchema, wizards: Iterable[Wizard]) -> _TypeResult:
        result = _TypeResult()
        for wizard in wizards:
            if wizard.cache:
                continue
            if wizard.kind == "config":
                self._load_config(type_schema, wizard, result)
            elif wizard.kind == "realtime":
                self._load_realtime(type_schema, wizard, result)
            # astdb/memory hold runtime data (contacts, subscriptions): the runtime bridge's business.
        # An id one wizard refused and another serves stays refused there too: the config wizard
        # logs its refusals at load time, whichever wizard then answers lookups.
        return result

    def _load_config(self, type_schema: TypeSchema, wizard: Wizard, result: _TypeResult) -> None:
        criteria = ConfigCriteria.from_wizard(wizard)
        config = self.config_file(criteria.filename)
        if config.invalid or not config.exists:
            return  # reported once per file by whole_file_rejections()
        chosen = self.indexes[criteria.filename].select(criteria, type_schema)
        candidates = RawObjects(chosen, type_schema.name)
        if criteria.single_object and single_object_violated(len(candidates)):
            message = (
                f"Config file '{criteria.filename}' could not be loaded; configuration contains more than "
                f"one object of type '{type_schema.name}'"
            )
            result.rejected.extend(Rejection(r.type, r.id, "single-object", message, r.source, None) for r in candidates)
            return
        self._take(type_schema, candidates, result, duplicates_fail_type=criteria.filename, top_level_path=config.path)

    def _load_realtime(self, type_schema: TypeSchema, wizard: Wizard, result: _TypeResult) -> None:
        loaded = self.realtime.load(type_schema.name, wizard)
        self.sources.append(loaded.source)
        result.warnings.extend(loaded.problems)
        self._take(type_schema, list(loaded.objects), result, duplicates_fail_type=None)

    def _take(
        self,
        type_schema: TypeSchema,
        raws: Sequence[RawObject],
        result: _TypeResult,
        duplicates_fail_type: str | None,
        top_level_path: str = "",
    ) -> None:
        """Build each raw object; an id already served by an earlier wizard keeps the earlier one."""
        context = FinishContext(config_dir=self.config_dir, loaded=self.loaded, file_exists=os.path.isfile,
                                resolve_host=self.resolve_host,
                                running_transports=tuple(self.builder.running_transports))
        reuse_key = context_key(type_schema.name, context, self.named_acls)
        built: dict[str, PjsipObject] = {}
        rejected: list[Rejection] = []
        for raw in raws:
            if duplicates_fail_type is not None and raw.id in built:
                self._fail_type_on_duplicate(raw, raws, duplicates_fail_type, rejected, result)
                return
            obj, rejection, warnings = self.builder.build(raw, type_schema, context, reuse_key, top_level_path)
            result.warnings.extend(warnings)
            if obj is not None:
                built[raw.id] = obj
            elif rejection is not None:
                rejected.append(rejection)
        for object_id, obj in built.items():
            result.objects.setdefault(object_id, obj)
        result.rejected.extend(rejected)

    @staticmethod
    def _fail_type_on_duplicate(
        duplicate: RawObject, raws: Sequence[RawObject], filename: str, rejected: list[Rejection], result: _TypeResult
    ) -> None:
        """A duplicate id aborts the whole load of the type from that file: every object of it is lost.
        The objects refused before it was met were logged as refused first, and stay so."""
        result.rejected.extend(rejected)
        message = (
            f"Config file '{filename}' could not be loaded; configuration contains a duplicate object: "
            f"'{duplicate.id}' of type '{duplicate.type}'"
        )
        issues = {r.id: r.issues for r in rejected}
        seen: set[str] = set()
        for raw in raws:
            if raw.id not in seen:
                seen.add(raw.id)
                result.rejected.append(
                    Rejection(raw.type, raw.id, "duplicate", message, raw.source, None, issues.get(raw.id, ()))
                )


def build_snapshot(
    config_dir: str,
    *,
    settings: Settings | None = None,
    asterisk_version: str | None = None,
    realtime_urls: Mapping[str, str] | None = None,
    reader: Reader | None = None,
    now: datetime | None = None,
    memo: BuildMemo | None = None,
) -> Snapshot:
    """Everything Asterisk would load from `config_dir` (its pjsip.conf, sorcery.conf, realtime).

    `memo`: the same BuildMemo for successive builds of one directory (the server's rebuilds) lets
    objects whose lines did not change be reused instead of typed again."""
    config_dir = os.path.abspath(config_dir)
    general = settings.section("general") if settings else {}
    schema = load_schema(asterisk_version or str(general.get("asterisk_version", "22")))
    main_file = str(general.get("main_file", "pjsip.conf"))
    urls = dict(settings.section("realtime")) if settings else {}
    urls = {k: v for k, v in urls.items() if isinstance(v, str)}
    urls.update(realtime_urls or {})
    if memo is not None:
        memo.use_schema(schema.version)
    sorcery, sorcery_problems = read_sorcery(config_dir, schema, reader=reader, main_file=main_file)
    realtime = RealtimeLoader(config_dir, urls=urls, reader=reader, schema=schema)
    try:
        resolver = HostResolver() if general.get("resolve_hosts", True) else None
        build = _Build(config_dir, schema, main_file, realtime, reader, memo, resolver)
        with without_cyclic_gc():  # millions of small acyclic objects (see pjsipconf.gcpause)
            objects, rejected, warnings = _load_all_types(build, schema, sorcery.wizards)
    except BaseException:
        if memo is not None:
            memo.build_failed()
        raise
    finally:
        realtime.close()
    if memo is not None:
        memo.build_done()
    main = build.config_file(main_file)
    # Asterisk lists by id (strcmp = code point order); sorting the keys alone spares 100,000 pairs.
    objects_view = {t: {i: objs[i] for i in sorted(objs)} for t, objs in objects.items() if objs}
    stored_registrations = objects_view.pop("contact", {})
    warnings.extend(_startup_warnings(objects_view))
    untaken = untaken_sections(main, build.indexes.get(main_file))
    snapshot = Snapshot(
        built_at=now or datetime.now(timezone.utc),
        asterisk_version=schema.version,
        config_dir=config_dir,
        objects=objects_view,
        rejected=tuple(whole_file_rejections(build.files) + rejected),
        ignored_sections=tuple(s for s in untaken if s.type not in schema.types),
        unread_sections=tuple(s for s in untaken if s.type in schema.types),
        warnings=tuple(list(sorcery_problems) + warnings),
        config=main,
        sources=tuple(_file_sources(build.files) + build.sources),
        contacts=permanent_contacts(objects_view),
    )
    return with_stored_contacts(snapshot, stored_registrations, read_system_name(config_dir, reader=reader))


def _startup_warnings(objects: Mapping[str, Mapping[str, PjsipObject]]) -> list[Problem]:
    """What res_pjsip logs at load from the system object it kept (its taskpool sizes)."""
    system = next(iter(objects.get("system", {}).values()), None)
    if system is None:
        return []
    logs = system_taskpool_logs(lambda name: system.schema.value(system.state, name))
    return [Problem("asterisk-warning", str(logged), system.source, system.line, severity="warning") for logged in logs]


def _load_all_types(
    build: _Build, schema: Schema, wizards: Mapping[str, tuple[Wizard, ...]]
) -> tuple[dict[str, dict[str, PjsipObject]], list[Rejection], list[Problem]]:
    rejected: list[Rejection] = []
    warnings: list[Problem] = []
    ordered = [t for t in LOAD_ORDER if t in schema.types] + [t for t in schema.types if t not in LOAD_ORDER]
    for type_name in ordered:
        result = build.load_type(schema.types[type_name], wizards.get(type_name, ()))
        build.loaded[type_name] = result.objects
        rejected.extend(result.rejected)
        warnings.extend(result.warnings)
    warnings.extend(_several_globals(build.loaded.get("global", {})))
    if build.loaded.get("phoneprov"):
        profiles = read_phoneprov_profiles(build.config_dir, reader=build.reader)
        build.loaded["phoneprov"], problems = provider_pass(build.loaded, profiles)
        warnings.extend(problems)
    return build.loaded, rejected, warnings


def _several_globals(globals_: Mapping[str, PjsipObject]) -> list[Problem]:
    """Two [global] objects both load (see single_object_violated), but res_pjsip's observer then
    refuses to pick one and logs an error; which values win is left to the order of their applies."""
    if len(globals_) < 2:
        return []
    second = list(globals_.values())[1]
    message = (
        "res_pjsip/config_global.c: At most one pjsip.conf type=global object can be defined.  "
        f"You have {len(globals_)} defined."
    )
    return [Problem("asterisk-warning", message, second.source, second.line, severity="warning")]


def whole_file_rejections(files: Mapping[str, ConfigFile]) -> list[Rejection]:
    """One record per config file Asterisk refuses as a whole: nothing of any type loads from it."""
    out = []
    for filename, config in files.items():
        if not config.invalid:
            continue
        fatal = next((p for p in config.problems if p.fatal), None)
        reason = fatal.message if fatal else "invalid"
        message = f"{reason}; Contents of config file '{filename}' are invalid and cannot be parsed"
        source = fatal.source if fatal else Source("file", filename, config.path)
        out.append(Rejection("*", "*", "whole-file", message, source, fatal.line if fatal else None))
    return out


def untaken_sections(config: ConfigFile, index: CategoryIndex | None) -> list[IgnoredSection]:
    """Non-template sections of the main file that no type's config wizard took (Asterisk is silent)."""
    if config.invalid or index is None:
        return []
    return [
        IgnoredSection(category.name, first_value(category, "type"), category.source, category.line)
        for category in index.untaken()
    ]


def _file_sources(files: Mapping[str, ConfigFile]) -> list[SourceInfo]:
    out = []
    for filename, config in files.items():
        error = "" if config.exists else "file not found"
        if config.invalid:
            error = "Asterisk would reject the whole file"
        out.append(SourceInfo("file", filename, config.path, ok=not error, error=error))
    return out
