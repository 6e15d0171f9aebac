"""Reusing typed objects across builds: a rebuild after a one-line edit re-types only what changed.

An object is a function of its lines (name, value and where each came from), its id, its templates
and, for a few types, of what its type's apply handler reads outside the object (the global auth
algorithms, whether any transport loaded). The memo keys objects by exactly that, so a reused
object is the object the build would have made. Transports are never reused: their apply handler
reads certificate files, which can change without any configuration line changing; nor are
identifies while host names are resolved (what a name resolves to can change too).
"""

from __future__ import annotations

from typing import Hashable, Mapping

from pjsipconf.conf.replay import FileTapes
from pjsipconf.generations import Generations
from pjsipconf.model.types import PjsipObject
from pjsipconf.schema import FinishContext
from pjsipconf.conf.types import Variable
from pjsipconf.sources.types import RawObject

Key = tuple[Hashable, ...]


def context_key(type_name: str, context: FinishContext, named_acls: Mapping[str, bool] | None = None) -> Key | None:
    """What the type's apply handler (and, for `acl=` lines, acl.conf's `named_acls`) reads
    besides the object's own lines; None: never reuse."""
    key = _finish_key(type_name, context)
    if key is None or type_name not in ("endpoint", "acl"):
        return key
    return key + (tuple(sorted((named_acls or {}).items())),)


def _finish_key(type_name: str, context: FinishContext) -> Key | None:
    if type_name == "transport" or (type_name == "identify" and context.resolve_host is not None):
        return None  # certificate files and host names can change without a line changing
    if type_name == "auth":
        return (context.auth_algorithms("uas"), context.auth_algorithms("uac"))
    if type_name == "registration":
        transports = context.transports()
        running = context.running()
        return (tuple(sorted(transports.items())) if transports is not None else None,
                tuple(sorted(running)) if running is not None else None)
    return ()


def _lines(variables: tuple[Variable, ...]) -> Key:
    return tuple((v.name, v.value, v.source.name, v.line, v.logged_line, v.section) for v in variables)


class KeyMaker:
    """Keys of one build. Objects from the same templates share their inherited Variable objects,
    so the part of the key those lines make is worked out once per template chain, and stands in
    the key as a small number (`tokens`, kept across builds), not as the lines themselves."""

    def __init__(self, tokens: dict[Key, int]) -> None:
        self._tokens = tokens
        self._inherited: dict[tuple[int, ...], int] = {}

    def key(self, raw: RawObject, context: Key) -> Key:
        inherited = raw.variables[: raw.inherited]
        ids = tuple(map(id, inherited))
        prefix = self._inherited.get(ids)
        if prefix is None:
            prefix = self._inherited[ids] = self._tokens.setdefault(_lines(inherited), len(self._tokens))
        own = _lines(raw.variables[raw.inherited :])
        return (raw.type, raw.id, raw.source.name, raw.line, raw.templates, raw.listed, context, prefix, own)


class BuildMemo:
    """The objects of the last build by their key. Hand the same memo to successive builds (the
    server does); each build keeps only the objects it used, so the memo never outgrows a build."""

    def __init__(self) -> None:
        self._objects: Generations[Key, PjsipObject] = Generations()
        self._schema_version = ""  # the option table the objects were typed by
        self.prefix_tokens: dict[Key, int] = {}  # inherited lines -> number (see KeyMaker)
        self.tapes = FileTapes()  # files read unchanged are replayed, not parsed (conf.replay)

    def use_schema(self, version: str) -> None:
        """Objects typed by another option table (the settings changed asterisk_version) are not
        reused."""
        if version != self._schema_version:
            self._objects = Generations()
            self._schema_version = version

    def key_maker(self) -> KeyMaker:
        return KeyMaker(self.prefix_tokens)

    def lookup(self, key: Key) -> PjsipObject | None:
        return self._objects.find(key)

    def remember(self, key: Key, obj: PjsipObject) -> None:
        self._objects.keep(key, obj)

    def build_done(self) -> None:
        """The build succeeded: what it used becomes what the next build may reuse."""
        self._objects.build_done()
        self.tapes.build_done()

    def build_failed(self) -> None:
        self._objects.build_failed()
        self.tapes.build_failed()
