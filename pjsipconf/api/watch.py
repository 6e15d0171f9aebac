"""Watches the configuration with watchdog and asks the live view for a (debounced) rebuild.

Watched: the config directory with everything below it (a directory a glob `#include` names may
appear, vanish or be replaced later), the directory of every file the last build read outside it
(includes may live elsewhere), and the directory holding the config directory (which may be
replaced, or be a symlink swapped to another release). Relevant: a file the last build read, a
`.conf`/`pjsipconf.ini` appearing in a watched place, a directory below the config directory,
and the config directory itself. A file closed after writing asks for a rebuild after a short
settle, any other change after the full debounce. Each rebuild resolves the config directory
again, so a swapped symlink is followed.
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
            if path and self.watcher.is_relevant(os.fsdecode(path), directory=event.is_directory):
                log.debug("change: %s %s", event.event_type, path)
                self.watcher.view.request_rebuild(writer_done=event.event_type == "closed")
                return


class ConfigWatcher:
    """One watchdog observer over the config directory and the directories of the files read."""

    def __init__(self, view: LiveView, config_dir: str, also: Iterable[str] = ()) -> None:
        self.view = view
        self._given = os.path.abspath(config_dir)  # a symlink stays one: it may be swapped
        self.config_dir = os.path.realpath(config_dir)
        self._also = frozenset(os.path.realpath(path) for path in also)  # e.g. a --settings file elsewhere
        self._observer = Observer()
        self._lock = threading.Lock()
        self._files: frozenset[str] = frozenset()
        self._directories: frozenset[str] = frozenset()
        self._watches: dict[tuple[str, bool], object] = {}
        self._inodes: dict[tuple[str, bool], tuple[int, int] | None] = {}
        self._handler = ChangeHandler(self)

    def is_relevant(self, path: str, *, directory: bool = False) -> bool:
        real = os.path.realpath(path)
        if real in self._files or path in self._files or path == self._given or real == self.config_dir:
            return True
        below = self._below_config_dir(real)
        if directory:
            return below
        name = os.path.basename(real)
        in_watched_dir = below or os.path.dirname(real) in self._directories
        return in_watched_dir and (name.endswith(".conf") or name == SETTINGS_FILENAME)

    def start(self) -> None:
        self.follow(self.view.snapshot)
        self.view.on_rebuilt.append(self._follow_after_rebuild)
        self._observer.start()
        self.view.set_watching(True)

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(5)
        self.view.set_watching(False)

    def follow(self, snapshot: Snapshot | None) -> bool:
        """Watch what `snapshot` was built from; True when a directory is newly watched."""
        files = files_read(snapshot) | self._also
        with self._lock:
            self.config_dir = os.path.realpath(self._given)
            outside = {os.path.dirname(path) for path in files} - {self.config_dir}
            outside = {d for d in outside if not self._below_config_dir(d)}
            self._files = frozenset(files)
            self._directories = frozenset(outside)
            wanted = {(self.config_dir, True), (os.path.dirname(self._given), False)}
            return self._schedule(wanted | {(directory, False) for directory in outside})

    def _follow_after_rebuild(self, snapshot: Snapshot) -> None:
        """After every successful rebuild. A directory watched only from now on (a swapped
        symlink's new target, an include directory) may have changed between the build reading
        it and its watch starting: one more (cheap, reusing) rebuild sees such a change."""
        if self.follow(snapshot):
            self.view.request_rebuild(writer_done=True)

    def _below_config_dir(self, path: str) -> bool:
        return path.startswith(self.config_dir + os.sep)  # watched with the config dir (recursive)

    def _schedule(self, wanted: set[tuple[str, bool]]) -> bool:
        """Keep exactly the watches `wanted` asks for: (directory, recursive). A watch is renewed
        when its directory was replaced (another inode under the same name). True when a watch
        was added."""
        present = {(d, recursive) for d, recursive in wanted if os.path.isdir(d)}
        for key in set(self._watches):
            directory, _recursive = key
            if key not in present or self._inodes.get(key) != _inode(directory):
                self._observer.unschedule(self._watches.pop(key))  # type: ignore[arg-type]
                self._inodes.pop(key, None)
        added = present - set(self._watches)
        for key in added:
            directory, recursive = key
            self._watches[key] = self._observer.schedule(self._handler, directory, recursive=recursive)
            self._inodes[key] = _inode(directory)
        return bool(added)


def _inode(directory: str) -> tuple[int, int] | None:
    try:
        status = os.stat(directory)
    except OSError:
        return None
    return status.st_dev, status.st_ino
