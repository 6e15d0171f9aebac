"""Plain data produced by the model stage: typed PJSIP objects and the Snapshot of one build.

An object stores only what differs from its type's defaults (`values`), plus a reference to the
shared `TypeSchema`; rendering fills in the defaults. That keeps 300,000 objects small.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Literal, Mapping

from pjsipconf.conf.types import ConfigFile, Problem, Source, Variable

if TYPE_CHECKING:
    from pjsipconf.model.references import References
    from pjsipconf.schema import EncodedValues, TypeSchema
    from pjsipconf.sources.runtime.types import RuntimeState

# The value of one option as `pjsip show` prints it: a string, or a list when Asterisk prints the
# option on several lines (aor contact, identify match, transport local_net, ...).
Rendered = str | list[str]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one option's value came from."""

    kind: Literal["file", "realtime", "default", "apply"]
    variables: tuple[Variable, ...] = ()  # the lines that produced it (all of them for accumulating options)
    note: str = ""  # why Asterisk changed it (e.g. "forced by webrtc=yes"); with lines: what it added

    def describe(self) -> str:
        """One line for a person: `pjsip.conf:12 (template t-phone)`, `ps_endpoints row 1001`, `default`."""
        if self.kind == "default":
            return "Asterisk default"
        if self.kind == "apply":
            return self.note
        parts = []
        for var in self.lines():
            if var.source.kind == "realtime":
                parts.append(f"{var.source.name} row {var.section!r} column {var.name}")
            else:
                parts.append(f"{var.source.name}:{var.line} [{var.section}]")
        return ", ".join(parts) + (f"; {self.note}" if self.note else "")

    def lines(self) -> tuple[Variable, ...]:
        """The lines as written that made the value (each `+=` line of a folded one too)."""
        return tuple(written for var in self.variables for written in var.written())


@dataclass(frozen=True, slots=True)
class PjsipObject:
    """One object Asterisk would load, with its options.

    Provenance is not stored per option: it is worked out on demand from `variables` (the lines
    that built the object, shared with the parse), which keeps 300,000 objects small.
    """

    type: str
    id: str
    source: Source  # the file of its section header, or its realtime table
    line: int  # section header line (0 for realtime)
    state: Mapping[str, Any]  # option name -> kind state, only where it differs from the default
    variables: tuple[Variable, ...]  # the lines applied, in order (inherited first)
    schema: "TypeSchema" = field(repr=False, compare=False)
    adjusted: Mapping[str, str] = field(default_factory=dict)  # option -> why the type's apply handler forced it
    templates: tuple[str, ...] = ()  # templates (and other categories) inherited, in order
    listed: bool = True  # False: Asterisk's multi-row lookups skip it (a realtime row, see RawObject.listed)

    def objectset(self) -> list[tuple[str, str]]:
        """Every (name, value) line `pjsip show <type> <id>` prints, in its order."""
        return self.schema.render(self.state)

    def rendered(self) -> dict[str, Rendered]:
        """The objectset as a dict; names printed several times become lists (golden `objects` shape)."""
        return self.schema.render_dict(self.state)

    def rendered_json(self, encoded: EncodedValues | None = None) -> str:
        """`rendered()` as JSON text (json.dumps, ensure_ascii=False), without building the dict;
        `encoded`: values already encoded in this pass over objects of the type (see render_json)."""
        return self.schema.render_json(self.state, encoded)

    def value(self, option: str) -> Rendered | None:
        """One option's rendered value (None when Asterisk prints nothing for it)."""
        return self.rendered().get(option)

    def where(self, option: str) -> Provenance:
        """Where `option`'s value came from: the lines that set it, the apply handler, or the default."""
        return self.provenances()(option)

    def provenances(self) -> Callable[[str], Provenance]:
        """`where` for every option at once: the lines grouped in one pass by the state field they
        set (free-form keys, phoneprov and `@extended`, by their own name), instead of one pass
        over all lines per option (explain views of 10,000 endpoints took 50 s that way).

        A value the apply handler changed keeps the lines it was made from (`bind=127.0.0.1`, which
        got its default port), with the handler's note saying what it did; a free-form key comes
        from its own lines (the provider's note then says what it added)."""
        schema = self.schema
        by_field: dict[str, list[Variable]] = {}
        for var in self.variables:
            spec = schema.option(var.name)
            if spec is not None:
                by_field.setdefault(var.name if spec.regex else spec.field, []).append(var)

        def where(option: str) -> Provenance:
            note = self.adjusted.get(option, "")
            spec = schema.option(option)
            if spec is not None and spec.regex:
                lines = by_field.get(option, [])
            else:
                # the field printed: direct_media_method prints connected_line_method's value
                lines = by_field.get(spec.render_field if spec is not None else option, [])
                if spec is None or not spec.multi:
                    lines = lines[-1:]  # the last one wins
                elif len(lines) > 1:  # lines before a reset (`local_net=`) no longer count
                    lines = lines[schema.first_line_shown(tuple((v.name, v.value) for v in lines)):]
            if not lines:
                return Provenance("apply", note=note) if note else DEFAULT_PROVENANCE
            return Provenance(lines[-1].source.kind, tuple(lines), note)

        return where


DEFAULT_PROVENANCE = Provenance("default")


@dataclass(frozen=True, slots=True)
class OptionIssue:
    """One bad line of an object (Asterisk reports only the first; we keep them all)."""

    code: Literal["unknown-option", "invalid-value"]
    option: str
    value: str
    variable: Variable  # the offending line (file, line, section)
    message: str  # for a person, e.g. "'bogus' is not a valid dtmf_mode; valid: rfc4733, inband, ..."
    suggestion: str = ""  # closest valid option name, or "" (unknown-option only)
    belongs_to: tuple[str, ...] = ()  # other types where this option is valid (unknown-option only)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An object (or a whole type / file) Asterisk would not load, and why."""

    type: str  # "*" for a whole-file failure
    id: str  # "*" for a whole-file failure
    cause: Literal["option", "apply", "duplicate", "whole-file", "single-object"]
    message: str  # what Asterisk logs for it (its first reason)
    source: Source | None
    line: int | None  # the line Asterisk names (None when it names none)
    issues: tuple[OptionIssue, ...] = ()  # every bad option (cause "option")
    errors: tuple[str, ...] = ()  # every error the type's apply handler logs, in order (cause "apply")


@dataclass(frozen=True, slots=True)
class IgnoredSection:
    """A non-template section no PJSIP type picks up (no type=, unknown or mis-cased type)."""

    name: str
    type: str | None  # the first type= value, None when there is none
    source: Source
    line: int


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One input of a build, for /health and `show`: a config file or a realtime table."""

    kind: Literal["file", "realtime", "runtime"]
    name: str
    detail: str = ""
    ok: bool = True
    error: str = ""


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact as `pjsip show contacts` lists it: permanent (aor `contact=`) or registered."""

    id: str  # "<aor>@@<md5(uri)>" permanent, "<aor>;@<md5(uri)>" registered
    aor: str
    uri: str
    kind: Literal["permanent", "dynamic"]
    status: str  # the CLI's short label: Avail, Unavail, NonQual, Unknown, Removed
    rtt_ms: str  # as the CLI prints it ("nan" unless Avail)
    details: Mapping[str, str]  # the `pjsip show contact <aor>/<uri>` objectset
    # Where the configuration keeps it: the file of a permanent one's contact= line, the realtime
    # table of a stored registration; None for one a running Asterisk reported.
    source: Source | None = None
    line: int = 0
    # False when `pjsip show contacts` leaves it out although it exists: its aor is a realtime row
    # that Asterisk's multi-row lookup refuses (PjsipObject.listed); `pjsip show aor <id>` shows it.
    listed: bool = True

    @property
    def hash(self) -> str:
        """The 10 hex characters the CLI prints."""
        return self.id.split("@")[-1][:10]


@dataclass(frozen=True)
class Snapshot:
    """The result of one build: immutable, built whole or not at all."""

    built_at: datetime
    asterisk_version: str  # the option-table family, e.g. "22"
    config_dir: str
    objects: Mapping[str, Mapping[str, PjsipObject]]  # type -> id -> object; ids in strcmp order
    rejected: tuple[Rejection, ...] = ()
    # Sections without a type= line or with one that names no PJSIP type, which Asterisk ignores.
    ignored_sections: tuple[IgnoredSection, ...] = ()
    # Sections of a PJSIP type that no config wizard reads from this file (type=contact, or a type
    # sorcery.conf maps to realtime only): ignored as silently, but for another reason.
    unread_sections: tuple[IgnoredSection, ...] = ()
    warnings: tuple[Problem, ...] = ()  # things Asterisk logs but still loads (e.g. bad group number)
    config: ConfigFile | None = None  # the pjsip.conf parse, for check's syntax and hygiene rules
    sources: tuple[SourceInfo, ...] = ()
    # Permanent ones and registrations a realtime table keeps, plus registered ones once runtime
    # is merged; contact objects are here, not in `objects`.
    contacts: tuple[Contact, ...] = ()
    runtime: "RuntimeState | None" = None

    def get(self, type_: str, id_: str) -> PjsipObject | None:
        return self.objects.get(type_, {}).get(id_)

    @cached_property
    def references(self) -> "References":
        """Who names whom (endpoint -> aors, auths, transport; identify -> endpoint; ...), both ways.
        Worked out on first use: it renders every referring object once."""
        from pjsipconf.model.references import resolve_references

        return resolve_references(self.objects)

    def of_type(self, type_: str) -> Mapping[str, PjsipObject]:
        return self.objects.get(type_, {})
