"""Watches the configuration with watchdog and asks the live view for a (debounced) rebuild.

Watched: the config directory, and the directory of every file the last build read (includes may
live elsewhere). Relevant: a file the last build read, or a `.conf`/`pjsipconf.ini` appearing in
one of those directories (a new file a glob `#include` would pick up). A file closed after
writing asks for a rebuild after a short settle, any other change after the full debounce.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Iterable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from pjsipconf.api.live import LiveView
from pjsipconf.model.types import Snapshot
from pjsipconf.settings import SETTINGS_FILENAME

log = logging.getLogger("pjsipconf.serve")


def files_read(snapshot: Snapshot | None) -> set[str]:
    """Absolute paths of every file the build read: pjsip.conf and its includes, sorcery.conf, ..."""
    if snapshot is None:
        return set()
    paths = set(snapshot.config.files_read) if snapshot.config is not None else set()
    for source in snapshot.sources:
        if source.kind == "file":
            candidate = source.detail or source.name
            if os.path.isabs(candidate):
                paths.add(candidate)
            else:
                paths.add(os.path.join(snapshot.config_dir, candidate))
    return {os.path.realpath(path) for path in paths}


class ChangeHandler(FileSystemEventHandler):
    """Turns watchdog events on relevant files into rebuild requests of the live view."""

    def __init__(self, watcher: "ConfigWatcher") -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path and self.watcher.is_relevant(os.fsdecode(path)):
                log.debug("change: %s %s", event.event_type, path)
                self.watcher.view.request_rebuild(writer_done=event.event_type == "closed")
                return


class ConfigWatcher:
    """One watchdog observer over the config directory and the directories of the files read."""

    def __init__(self, view: LiveView, config_dir: str, also: Iterable[str] = ()) -> None:
        self.view = view
        self.config_dir = os.path.realpath(config_dir)
        self._also = frozenset(os.path.realpath(path) for path in also)  # e.g. a --settings file elsewhere
        self._observer = Observer()
        self._lock = threading.Lock()
        self._files: frozenset[str] = frozenset()
        self._directories: frozenset[str] = frozenset()
        self._watches: dict[str, object] = {}
        self._handler = ChangeHandler(self)

    def is_relevant(self, path: str) -> bool:
        real = os.path.realpath(path)
        if real in self._files or path in self._files:
            return True
        name = os.path.basename(real)
        in_watched_dir = os.path.dirname(real) in self._directories
        return in_watched_dir and (name.endswith(".conf") or name == SETTINGS_FILENAME)

    def start(self) -> None:
        self.follow(self.view.snapshot)
        self.view.on_rebuilt.append(self.follow)
        self._observer.start()
        self.view.set_watching(True)

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(5)
        self.view.set_watching(False)

    def follow(self, snapshot: Snapshot | None) -> None:
        """Watch what `snapshot` was built from (called after every successful rebuild)."""
        files = files_read(snapshot) | self._also
        directories = {self.config_dir} | {os.path.dirname(path) for path in files}
        with self._lock:
            self._files = frozenset(files)
            self._directories = frozenset(directories)
            self._schedule(directories)

    def _schedule(self, directories: Iterable[str]) -> None:
        wanted = {d for d in directories if os.path.isdir(d)}
        for directory in set(self._watches) - wanted:
            self._observer.unschedule(self._watches.pop(directory))  # type: ignore[arg-type]
        for directory in wanted - set(self._watches):
            self._watches[directory] = self._observer.schedule(self._handler, directory, recursive=False)
