"""Turning one raw object into a typed object, as ast_sorcery_alloc + objectset_apply + the type's
apply handler do, keeping every bad line (Asterisk reports only the first).

Objects built from the same templates start with the same (shared) inherited Variable objects, so
the state those lines produce is computed once per template chain and reused.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

from pjsipconf.conf.types import Problem, Variable
from pjsipconf.model.reuse import BuildMemo, Key
from pjsipconf.model.transport_sockets import Socket, bind_error, socket_of, start_failure
from pjsipconf.model.transport_state import Leftover, adopted_notes, left_behind
from pjsipconf.model.types import OptionIssue, PjsipObject, Rejection
from pjsipconf.schema import ApplyContext, FinishContext, FinishResult, InvalidValue, TypeSchema, UnknownOption
from pjsipconf.schema.core import NO_NAMED_ACLS
from pjsipconf.sources.types import RawObject


@dataclass
class _Applied:
    """The state after some lines, with what went wrong and what Asterisk logged on the way."""

    state: dict[str, Any]
    issues: list[OptionIssue] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def copy(self) -> "_Applied":
        return _Applied(dict(self.state), list(self.issues), list(self.warnings))


class ObjectBuilder:
    """Builds objects of every type for one Snapshot; holds the per-build template memo."""

    def __init__(
        self,
        other_types: dict[str, TypeSchema],
        memo: BuildMemo | None = None,
        resolve_host: Callable[[str], tuple[str, ...]] | None = None,
        named_acls: Mapping[str, bool] = NO_NAMED_ACLS,
    ) -> None:
        self._other_types = other_types  # for "this option belongs to type X" hints
        self._resolve_host = resolve_host  # transport bind names (pjproject resolves them)
        self._named_acls = named_acls  # acl.conf's, for acl= lines
        self._prefix_memo: dict[tuple[str, tuple[int, ...]], _Applied] = {}
        self._memo = memo  # objects of the previous build, reused when nothing they depend on changed
        # One dict for equal `adjusted` notes (every auth filled from the global algorithms), and one
        # state for equal objects made of template lines alone (`[1001](aor-tpl)` x 100,000).
        self._adjusted: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
        self._template_states: dict[tuple[str, tuple[int, ...]], dict[str, Any]] = {}
        self._keys = memo.key_maker() if memo is not None else None
        self._transport_leftover: Leftover | None = None  # see model.transport_state
        self._started_sockets: list[Socket] = []  # see model.transport_sockets
        # (protocol, IPv6) of each transport started: it keeps running even when a later duplicate
        # id drops its type from sorcery (FinishContext.running_transports).
        self.running_transports: list[tuple[str, bool]] = []

    def build(
        self,
        raw: RawObject,
        type_schema: TypeSchema,
        context: FinishContext,
        context_key: Key | None = None,
        top_level_path: str = "",
    ) -> tuple[PjsipObject | None, Rejection | None, list[Problem]]:
        """The object (or why Asterisk refuses it) and what Asterisk logs while building it.

        `context_key` (see reuse.context_key) lets an unchanged object of the previous build be
        reused; None builds it afresh. `top_level_path`: the file the config wizard loaded, which
        Asterisk's messages name "" (its includes by their absolute path)."""
        key = None
        if self._memo is not None and context_key is not None:
            key = self._keys.key(raw, context_key)  # type: ignore[union-attr]
            reused = self._memo.lookup(key)
            if reused is not None:
                return reused, None, []
        obj, rejection, warnings = self._build(raw, type_schema, context, top_level_path)
        if key is not None and obj is not None and not warnings and not _names_files(raw, type_schema):
            self._memo.remember(key, obj)  # type: ignore[union-attr]
        return obj, rejection, warnings

    def _build(
        self, raw: RawObject, type_schema: TypeSchema, context: FinishContext, top_level_path: str
    ) -> tuple[PjsipObject | None, Rejection | None, list[Problem]]:
        inherited = self._transport_leftover if raw.type == "transport" else None
        applied = self._apply_lines(raw, type_schema, inherited)
        if raw.type == "transport":
            self._transport_leftover = self._leftover_of(raw, type_schema, applied, inherited)
        if applied.issues:
            return None, _option_rejection(raw, applied.issues, top_level_path), applied.warnings
        result = type_schema.finish(applied.state, raw.id, context)
        adjusted = result.adjusted
        if inherited:
            adjusted = {**adopted_notes(inherited, type_schema, raw.variables), **result.adjusted}
        warnings = applied.warnings + [_logged(raw, text) for text in result.warnings]
        if raw.type == "transport" and not (result.refused or result.errors):
            result = self._start_transport(raw.id, type_schema, applied.state, result)
        if result.refused or result.errors:
            silently = result.silent_reason or "refused by the type's apply handler"
            # The error logged last is the one right before Asterisk's "Could not create ..." line.
            reason = result.errors[-1] if result.errors else f"{silently}; Asterisk logs nothing"
            rejection = Rejection(raw.type, raw.id, "apply", reason, raw.source, None, errors=tuple(result.errors))
            return None, rejection, warnings
        obj = PjsipObject(
            type=raw.type,
            id=raw.id,
            source=raw.source,
            line=raw.line,
            state=self._state_of(raw, type_schema, applied.state, bool(warnings or adjusted or inherited)),
            variables=raw.variables,
            schema=type_schema,
            adjusted=self._shared_adjusted(adjusted),
            templates=raw.templates,
            listed=raw.listed,
        )
        return obj, None, warnings

    def _state_of(self, raw: RawObject, type_schema: TypeSchema, state: dict[str, Any], eventful: bool) -> dict[str, Any]:
        """The object's diff state. Objects made of template lines alone, which their apply handler
        neither adjusted nor logged about (and no other transport's leftovers), hold exactly the
        state those lines make: one shared diff for all of them."""
        if raw.inherited != len(raw.variables) or eventful:
            return type_schema.diff(state)
        key = (type_schema.name, tuple(map(id, raw.variables)))
        shared = self._template_states.get(key)
        if shared is None:
            shared = self._template_states[key] = type_schema.diff(state)
        return shared

    def _shared_adjusted(self, adjusted: Mapping[str, str]) -> Mapping[str, str]:
        if not adjusted:
            return _NO_ADJUSTMENTS
        key = tuple(adjusted.items())
        found = self._adjusted.get(key)
        if found is None:
            found = self._adjusted[key] = dict(adjusted)
        return found

    def _start_transport(
        self, transport_id: str, type_schema: TypeSchema, state: dict[str, Any], result: FinishResult
    ) -> FinishResult:
        """The transport binds its socket, unless an earlier transport of the load holds it or the
        kernel refuses the address; a transport that starts is kept in `running_transports`."""
        protocol, bind = (str(type_schema.render_option(state, name)) for name in ("protocol", "bind"))
        address = type_schema.value(state, "bind")
        socket = socket_of(protocol, bind, address.scope if address is not None else "")
        error = bind_error(socket, self._started_sockets) if socket is not None else None
        if error is not None and protocol != "tls":  # pjproject's TLS listener swallows the error
            return replace(result, refused=True, errors=(start_failure(transport_id, error),))
        if socket is not None and error is None:
            self._started_sockets.append(socket)
        self.running_transports.append((protocol, bind.startswith("[")))
        return result

    def _leftover_of(
        self, raw: RawObject, type_schema: TypeSchema, applied: _Applied, inherited: Leftover | None
    ) -> Leftover | None:
        """What this transport leaves to the next one: nothing unless an option refused it."""
        if not applied.issues:
            return None  # its apply handler adopted the temporary state
        bad_line = applied.issues[0].variable
        before = _Applied(dict(inherited[1]) if inherited else {})
        self._apply(before, raw.variables[: raw.variables.index(bad_line)], raw, type_schema)
        return left_behind(raw.id, type_schema, bad_line, before.state)

    def _apply_lines(self, raw: RawObject, type_schema: TypeSchema, leftover: Leftover | None = None) -> _Applied:
        if leftover is not None:  # starts from another transport's state: no template memo
            applied = _Applied(dict(leftover[1]))
            self._apply(applied, raw.variables, raw, type_schema)
            return applied
        inherited = raw.variables[: raw.inherited]
        key = (type_schema.name, tuple(map(id, inherited)))
        start = self._prefix_memo.get(key)
        if start is None:
            start = _Applied({})  # a diff state: missing keys mean the default (cheap to copy)
            self._apply(start, inherited, raw, type_schema)
            self._prefix_memo[key] = start
        applied = start.copy()
        if raw.inherited < len(raw.variables):
            self._apply(applied, raw.variables[raw.inherited :], raw, type_schema)
        return applied

    def _apply(
        self, applied: _Applied, variables: tuple[Variable, ...], raw: RawObject, type_schema: TypeSchema
    ) -> None:
        context = ApplyContext(object_id=raw.id, resolve_host=self._resolve_host, named_acls=self._named_acls)
        for var in variables:
            refused_before = bool(applied.issues)
            context.line = var.logged_line  # the few handlers that print a line number print this one
            try:
                type_schema.apply(applied.state, var.name, var.value, context)
            except UnknownOption as exc:
                applied.issues.append(self._unknown(var, raw, type_schema, str(exc)))
            except InvalidValue as exc:
                applied.issues.append(_invalid(var, exc))
            if context.warnings:
                if not refused_before:  # Asterisk stops at an object's first bad line: later ones log nothing
                    applied.warnings.extend(_at_line(var, str(logged)) for logged in context.warnings)
                context.warnings.clear()

    def _unknown(self, var: Variable, raw: RawObject, type_schema: TypeSchema, message: str) -> OptionIssue:
        belongs_to = tuple(
            name for name, other in self._other_types.items() if other is not type_schema and other.option(var.name)
        )
        suggestion = closest(var.name, type_schema.option_names())
        return OptionIssue("unknown-option", var.name, var.value, var, message, suggestion, belongs_to)


_NO_ADJUSTMENTS: dict[str, str] = {}


def _invalid(var: Variable, exc: InvalidValue) -> OptionIssue:
    said = "; ".join(logged.message for logged in exc.logged if logged.message not in exc.message)
    message = f"{exc.message} (Asterisk logs: {said})" if said else exc.message
    return OptionIssue("invalid-value", var.name, var.value, var, message)


def _names_files(raw: RawObject, type_schema: TypeSchema) -> bool:
    """Whether a line names a file Asterisk checks (dtls_cert_file, ...): the file may be gone by
    the next build without any line changing, so such an object is built afresh every time."""
    file_options = type_schema.file_options
    return bool(file_options) and any(var.name.lower() in file_options for var in raw.variables)


def _option_rejection(raw: RawObject, issues: list[OptionIssue], top_level_path: str) -> Rejection:
    """Refused for its first bad line, worded as config_options.c logs it."""
    first = issues[0]
    var = first.variable
    named_by_path = var.source.kind == "file" and (var.source.logged_as != "" or var.source.detail != top_level_path)
    where = (var.source.logged_as or var.source.detail) if named_by_path else ""
    if first.code == "unknown-option":
        logged = (
            f"Could not find option suitable for category '{raw.id}' named '{var.name}' "
            f"at line {var.logged_line} of {where}"
        )
    else:
        logged = f"Error parsing {var.name}={var.value} at line {var.logged_line} of {where}"
    return Rejection(raw.type, raw.id, "option", logged, var.source, var.logged_line, tuple(issues))


def _at_line(var: Variable, text: str) -> Problem:
    return Problem("asterisk-warning", text, var.source, var.line, severity="warning")


def _logged(raw: RawObject, text: str) -> Problem:
    return Problem("asterisk-warning", text, raw.source, raw.line, severity="warning")


def closest(name: str, candidates: list[str]) -> str:
    """The candidate a typo most likely meant ("" when nothing is close)."""
    import difflib

    found = difflib.get_close_matches(name.lower(), candidates, n=1, cutoff=0.75)
    return found[0] if found else ""
