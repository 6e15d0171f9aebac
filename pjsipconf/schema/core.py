"""Shared plumbing of the schema stage: errors, log lines, the per-object apply context, and the
base class every value kind derives from."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, ClassVar, Mapping

# What a kind's render returns: the (name, value) lines `pjsip show` prints for one option.
Lines = list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Logged:
    """One line Asterisk logs: `module` is the source file it names (e.g. `res_pjsip/config_auth.c`)."""

    level: str  # "ERROR", "WARNING", "NOTICE"
    module: str
    message: str

    def __str__(self) -> str:
        return f"{self.module}: {self.message}"


class UnknownOption(Exception):
    """The option name is not valid for this type (Asterisk refuses the whole object)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class HostLookupError(Exception):
    """A host name did not resolve; the message is the line netsock2.c logs about it
    (`getaddrinfo("name", "(null)", ...): Name or service not known`)."""


class InvalidValue(Exception):
    """The option's handler rejected the value (Asterisk refuses the whole object).

    `valid` lists the accepted values when there is a fixed set; `logged` holds what the handler
    itself logs before config_options' `Error parsing NAME=VALUE at line N of FILE`.
    """

    def __init__(self, message: str, valid: tuple[str, ...] = (), logged: tuple[Logged, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.valid = valid
        self.logged = logged


NO_NAMED_ACLS: Mapping[str, bool] = MappingProxyType({})


def _file_readable(path: str) -> bool:
    """`ast_file_is_readable()`: access(R_OK), so readable directories count too."""
    return os.access(path, os.R_OK)


@dataclass(slots=True)
class ApplyContext:
    """What `TypeSchema.apply` needs besides the line: one per object being built.

    `warnings` collects what Asterisk logs for accepted lines (group out of range, duplicated list
    item, unknown named ACL, ...). `file_readable` answers Asterisk's `ast_file_is_readable` for the
    options that check files as they are applied (transport TLS files, dtls_* files).
    `named_acls`: the ACLs acl.conf defines, name -> whether it has rules (an unknown name only
    warns, one without rules gets a notice).
    `line` is the number Asterisk gives the line being applied (the few handlers that print it).
    `resolve_host(name)`: the addresses a host name resolves to, as FinishContext's (transport
    `bind` accepts a name pjproject resolves; None: a name is not an address and fails).
    """

    object_id: str = ""
    line: int = 0
    warnings: list[Logged] = field(default_factory=list)
    file_readable: Callable[[str], bool] = _file_readable
    named_acls: Mapping[str, bool] = field(default_factory=lambda: NO_NAMED_ACLS)
    resolve_host: Callable[[str], tuple[str, ...]] | None = None


@dataclass(frozen=True)
class FinishContext:
    """What a type's apply handler needs from outside the object; the model fills it.

    - `file_readable(path)` (or `file_exists`): Asterisk's file checks.
    - `loaded`: type -> id -> object of the types loaded so far (objects with `.state` and
      `.schema`, e.g. PjsipObject). When given, it answers the two questions below unless they
      are set explicitly.
    - `default_auth_algorithms_uas/uac`: the global object's values (auth fills an empty
      supported_algorithms_* from them); default: from the last of `loaded["global"]`, else "MD5".
    - `any_transport`: True assumes a transport fits any registration, False that none loaded
      (a registration finds no local address for its Contact and is refused without a log line);
      default: the transports in `loaded` (see `transports`), else True.
    - `resolve_host(name)`: addresses an identify `match` host name resolves to, as
      ast_sockaddr_resolve gives them; raises HostLookupError when getaddrinfo fails (None:
      hosts are kept unresolved and render nothing, which never refuses the object).
    - `running_transports`: (protocol, IPv6) of every transport started so far in the load,
      including those whose type a later duplicate id dropped from sorcery (their sockets keep
      running): what a registration's Contact can be made for. None: the loaded ones.
    - `geoloc_profiles`: names of res_geolocation profiles (None: res_geolocation not loaded).
    - `config_dir`: the configuration directory (informational).
    """

    file_readable: Callable[[str], bool] = _file_readable
    default_auth_algorithms_uas: str | None = None
    default_auth_algorithms_uac: str | None = None
    any_transport: bool | None = None
    resolve_host: Callable[[str], tuple[str, ...]] | None = None
    running_transports: tuple[tuple[str, bool], ...] | None = None
    geoloc_profiles: frozenset[str] | None = frozenset()
    config_dir: str = ""
    loaded: Mapping[str, Mapping[str, Any]] | None = None
    file_exists: Callable[[str], bool] | None = None

    def transports(self) -> dict[str, tuple[str, bool]] | None:
        """The loaded transports by id: (protocol as printed, bound to an IPv6 address); None when
        unknown (every transport question is then answered "one fits")."""
        if self.any_transport is not None:
            return None if self.any_transport else {}
        if self.loaded is None:
            return None
        out = {}
        for transport_id, obj in self.loaded.get("transport", {}).items():
            rendered = obj.rendered()
            out[transport_id] = (str(rendered.get("protocol", "")), str(rendered.get("bind", "")).startswith("["))
        return out

    def running(self) -> tuple[tuple[str, bool], ...] | None:
        """(protocol, IPv6) of the transports pjproject runs; None when unknown (one fits anything)."""
        if self.running_transports is not None:
            return self.running_transports
        transports = self.transports()
        return None if transports is None else tuple(transports.values())

    def auth_algorithms(self, side: str) -> str:
        """The global default_auth_algorithms_<side> ("uas"/"uac") an auth falls back to."""
        explicit = self.default_auth_algorithms_uas if side == "uas" else self.default_auth_algorithms_uac
        if explicit is not None:
            return explicit
        # Each global's apply handler replaces res_pjsip's cached global, so with two [global]
        # objects (both load) the one applied last, later in the file, is the one auths read.
        for obj in reversed(list((self.loaded or {}).get("global", {}).values())):
            return str(obj.schema.value(obj.state, f"default_auth_algorithms_{side}"))
        return "MD5"

    def readable(self, path: str) -> bool:
        return (self.file_exists or self.file_readable)(path)


@dataclass(frozen=True)
class FinishResult:
    """The outcome of a type's apply handler.

    `refused` is True when Asterisk drops the object; `errors` then holds what it logged (as
    "module: message", the golden `reason` form), possibly nothing (v11's registration).
    `warnings` are logged but the object is kept. `adjusted` maps option -> why Asterisk forced it.
    `logs` is every line in Asterisk's order, with levels.
    """

    refused: bool = False
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    adjusted: Mapping[str, str] = field(default_factory=dict)
    logs: tuple[Logged, ...] = ()
    silent_reason: str = ""  # why, when Asterisk refuses the object without logging anything


class TextWarnings(list):  # type: ignore[type-arg]
    """A warnings sink that stores each Logged as its "module: message" text, in `target` (a
    caller's plain list of strings) when given."""

    def __init__(self, target: list | None = None) -> None:
        super().__init__()
        self._target = target

    def append(self, item: Any) -> None:  # type: ignore[override]
        if self._target is not None:
            self._target.append(str(item))
        else:
            super().append(str(item))


class ApplyCall:
    """The arguments of one `parse` call that kinds may need: the option's name as the handler
    matches it (`name`), the name as written (`written`: what a handler's log line prints, as
    config_options hands it `var->name`), and the per-object context."""

    __slots__ = ("name", "ctx", "written")

    def __init__(self, name: str, ctx: ApplyContext, written: str | None = None) -> None:
        self.name = name
        self.ctx = ctx
        self.written = name if written is None else written

    def warn(self, module: str, message: str, level: str = "WARNING") -> None:
        self.ctx.warnings.append(Logged(level, module, message))


class Kind(ABC):
    """A value kind: how a line changes the option's state, and how the state is printed.

    State values are immutable (str, int, float, bool, tuples) so object states can be copied
    with `dict(state)` and template states shared.
    """

    kind_name: ClassVar[str] = ""
    zero: Any = ""  # the state of an option Asterisk applied no default to (zeroed struct)

    def __init__(self, **params: Any) -> None:
        self.params = params

    @abstractmethod
    def parse(self, current: Any, value: str, call: ApplyCall) -> Any:
        """The option's state after one line (`current` is the state before it)."""

    def render(self, name: str, value: Any) -> Lines:
        """One line: the value as text (numbers printed in decimal, %u / %d)."""
        return [(name, value if isinstance(value, str) else str(value))]

    def describe(self) -> str:
        """A short description of the accepted values, for messages and docs."""
        return self.kind_name


KIND_REGISTRY: dict[str, type[Kind]] = {}


def register(cls: type[Kind]) -> type[Kind]:
    KIND_REGISTRY[cls.kind_name] = cls
    return cls


def invalid(option: str, value: str, expected: str, valid: tuple[str, ...] = (), logged: tuple[Logged, ...] = ()) -> InvalidValue:
    """An InvalidValue with a message a person can act on."""
    return InvalidValue(f"{value!r} is not a valid {option}: {expected}", valid, logged)
