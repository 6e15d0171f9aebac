"""The live view behind `serve`: the current documents, rebuilt in the background on change.

A rebuild builds a new Snapshot and renders its documents off the request path; the new view is
swapped in (one reference assignment) only when the build succeeded. A failed build (an
exception, or a pjsip.conf Asterisk would reject as a whole) keeps the last good view serving
and shows its error in /health and in the log.
"""

from __future__ import annotations

import gc
import itertools
import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Callable, Iterator, Sequence

from pjsipconf.api.documents import BuildOptions, Documents, build_documents, finding_fields, with_extra
from pjsipconf.api.envelope import now_timestamp
from pjsipconf.api.health import RebuildError, health_fields
from pjsipconf.api.static import load_manifest, write_static
from pjsipconf.check import ChecksStopped
from pjsipconf.gcpause import without_cyclic_gc
from pjsipconf.model.contacts import merge_runtime
from pjsipconf.model.types import Snapshot
from pjsipconf.sources.runtime.types import RuntimeState

log = logging.getLogger("pjsipconf.serve")

WRITER_DONE_SETTLE = 0.25  # share of the debounce waited after a file was closed after writing
MAX_DEBOUNCE_WAIT = 10  # debounces a stream of edits may hold a rebuild back at most

SnapshotBuilder = Callable[[], Snapshot]
# Findings of a Snapshot; the second argument, when true, asks to give up (ChecksStopped).
FindingsOf = Callable[[Snapshot, Callable[[], bool]], Sequence[Any]]
RuntimeLatest = Callable[[], RuntimeState | None]


# Every this many builds, the frozen heap is collected once (see big_heap_work).
FULL_COLLECTION_EVERY = 32
_builds = itertools.count(1)  # builds of this process, for that schedule


@contextmanager
def big_heap_work() -> Iterator[None]:
    """Run a build without the cyclic garbage collector, then freeze what survived.

    A Snapshot of 10,000 endpoints is millions of small objects without reference cycles; the
    collector would walk all of them again and again while a build allocates (a rebuild took
    3 times longer with it on). Freezing moves the surviving heap out of its reach for good:
    the old view is acyclic and is still freed by reference counting once it is swapped out.
    The few cycles a build leaves (library objects of a realtime read) would stay frozen too, a
    few dozen kB a rebuild: every FULL_COLLECTION_EVERY builds one full collection frees them
    (0.4 s at 10,000 endpoints, so about 10 ms a build).
    """
    try:
        with without_cyclic_gc():
            yield
    finally:
        if next(_builds) % FULL_COLLECTION_EVERY == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()


class InvalidConfiguration(Exception):
    """Asterisk would reject the whole pjsip.conf, or there is none to read: serving it would show
    an empty PBX (and a static build would delete the published one)."""


# Problems that mean the main file itself could not be read.
_MAIN_FILE_GONE = frozenset({"missing-file", "unreadable-file", "not-regular-file"})


def check_usable(snapshot: Snapshot) -> None:
    config = snapshot.config
    if config is None:
        return
    gone = [p for p in config.problems if p.code in _MAIN_FILE_GONE and p.source.detail == config.path]
    if gone or not config.exists:
        why = gone[0].message if gone else "it does not exist"
        raise InvalidConfiguration(f"{config.path}: there is no main file to read ({why})")
    if config.invalid:
        fatal = [p for p in config.problems if p.fatal] or list(config.problems)
        reasons = "; ".join(f"{p.source.name}:{p.line}: {p.message}" for p in fatal[:5])
        raise InvalidConfiguration(f"{config.path}: Asterisk would reject the whole file: {reasons}")


def _empty_documents(now: str) -> Documents:
    """What is served before the first good build: every list empty."""
    nothing = Snapshot(built_at=datetime.now(timezone.utc), asterisk_version="", config_dir="", objects={})
    return build_documents(nothing, now=now)


@dataclass(frozen=True)
class _View:
    """What is being served: the documents and the snapshot they came from (None before a good build)."""

    documents: Documents
    base: Snapshot | None  # without runtime data (runtime is merged in on every refresh)
    merged: Snapshot | None
    findings: Sequence[Any] = ()


class LiveView:
    """Holds the current documents; rebuilds on request (debounced) in a worker thread."""

    def __init__(
        self,
        build: SnapshotBuilder,
        *,
        options: BuildOptions = BuildOptions(),
        findings: FindingsOf = lambda snapshot, stop: (),
        runtime_latest: RuntimeLatest | None = None,
        out_dir: str | None = None,
        debounce: float = 0.2,
        reread_interval: float = 0.0,
        token: str | None = None,
    ) -> None:
        self._build = build
        self._options = options
        self._findings = findings
        self._runtime_latest = runtime_latest
        self.out_dir = out_dir
        self.debounce = debounce
        self.reread_interval = reread_interval
        self.token = token
        self.watching = False
        self.last_error: RebuildError | None = None
        self._lock = threading.RLock()  # one rebuild at a time; the view changes under it
        self._wake = threading.Condition()
        self._due: float | None = None  # monotonic time a debounced rebuild is due
        self._first_request = 0.0  # when the pending rebuild was first asked for
        self._runtime_seen: RuntimeState | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_reread: float | None = None
        self._static_due = False  # the writer owes the static output a write
        self._write_wake = threading.Condition()
        self._writer: threading.Thread | None = None
        self.on_rebuilt: list[Callable[[Snapshot], None]] = []  # e.g. the watcher re-reading files_read
        self.on_stop: list[Callable[[], None]] = []  # e.g. stopping the watcher and the runtime bridge
        now = now_timestamp()
        self._view = _View(self._with_health(_empty_documents(now), None), None, None)
        # The static output's manifest remembers each object's tm_update: a restart keeps them.
        self._first_baseline = load_manifest(out_dir).baseline if out_dir is not None else None

    # ------------------------------------------------------------------ reading

    def current(self) -> Documents:
        return self._view.documents

    @property
    def snapshot(self) -> Snapshot | None:
        return self._view.merged

    def set_watching(self, watching: bool) -> None:
        """Record whether a watcher follows the files (shown in /health)."""
        with self._lock:
            self.watching = watching
            self._view = replace(self._view, documents=self._with_health(self._view.documents, self._view.merged))

    # ------------------------------------------------------------------ rebuilding

    def rebuild(self) -> bool:
        """Build a new Snapshot now (in the calling thread); True when it was swapped in."""
        with self._lock, big_heap_work():
            started = time.monotonic()
            try:
                snapshot = self._build()
                check_usable(snapshot)
            except Exception as exc:  # noqa: BLE001 - any failure keeps the last good view
                self._failed(exc)
                return False
            self.last_error = None  # a good build; a runtime refresh leaves the error as it is
            built = time.monotonic() - started
            # The objects are served first; the checks (slower) follow and update /pjsip/findings.
            self._render(snapshot, self._view.findings, write_static=False)
            served = time.monotonic() - started
            findings = self._run_checks(snapshot)
            if findings is not None:
                self._set_findings(findings)
            log.info(
                "view rebuilt in %.3fs (snapshot %.3fs, documents %.3fs), checks done after %.3fs (%s)",
                served, built, served - built, time.monotonic() - started, self._summary(snapshot),
            )
        for listener in self.on_rebuilt:
            listener(snapshot)
        return True

    def refresh_runtime(self) -> bool:
        """Merge the runtime bridge's newest state into the current view when it changed."""
        if self._runtime_latest is None:
            return False
        state = self._runtime_latest()
        with self._lock, big_heap_work():
            view = self._view
            if state is self._runtime_seen or view.base is None:
                return False
            self._render(view.base, view.findings, state)
            return True

    def _render(
        self, base: Snapshot, findings: Sequence[Any], state: RuntimeState | None = None, *, write_static: bool = True
    ) -> None:
        if state is None and self._runtime_latest is not None:
            state = self._runtime_latest()
        self._runtime_seen = state
        merged = merge_runtime(base, state) if self._runtime_latest is not None else base
        now = now_timestamp()
        first = self._view.base is None and self._first_baseline is not None
        previous = self._first_baseline if first else self._view.documents.baseline()
        documents = build_documents(merged, previous=previous, options=self._options, findings=findings, now=now)
        self._view = _View(self._with_health(documents, merged), base, merged, findings)
        if write_static:
            self._write_static(now)

    def _set_findings(self, findings: Sequence[Any]) -> None:
        documents = with_extra(self._view.documents, "pjsip/findings", {"list": [finding_fields(f) for f in findings]})
        self._view = replace(self._view, documents=documents, findings=findings)
        self._write_static(now_timestamp())

    def _run_checks(self, snapshot: Snapshot) -> Sequence[Any] | None:
        """The Snapshot's findings; None when an edit arrived meanwhile (its rebuild comes first,
        and checks that Snapshot instead: /pjsip/findings keeps the previous findings till then)."""
        try:
            return tuple(self._findings(snapshot, self._rebuild_pending))
        except ChecksStopped:
            return None
        except Exception as exc:  # noqa: BLE001 - a check bug must not stop serving the objects
            self._record_error(f"checks failed, /pjsip/findings is empty: {exc}")
            return ()

    def _write_static(self, now: str) -> None:
        """Bring --out up to date: by the writer thread when it runs (a first write of 10,000
        endpoints takes a while and must hold up neither serving nor the next rebuild), else
        right here."""
        if self.out_dir is None:
            return
        writer = self._writer
        if writer is not None and writer.is_alive() and writer is not threading.current_thread():
            with self._write_wake:
                self._static_due = True
                self._write_wake.notify()
            return
        self._flush_static(now)

    def _flush_static(self, now: str) -> None:
        assert self.out_dir is not None
        try:
            report = write_static(self._view.documents, self.out_dir, timestamp=now)
        except OSError as exc:
            with self._lock:  # the writer thread must not put back a view a rebuild replaced
                self._record_error(f"static output {self.out_dir}: {exc}")
            return
        if report.written or report.removed:
            log.info("static output: %d files written, %d removed", len(report.written), len(report.removed))

    def _failed(self, exc: Exception) -> None:
        message = str(exc) if isinstance(exc, InvalidConfiguration) else f"{type(exc).__name__}: {exc}"
        self._record_error(message)

    def _record_error(self, message: str) -> None:
        self.last_error = RebuildError(now_timestamp(), message)
        kept = "keeping the last good view" if self._view.base is not None else "nothing to serve yet"
        log.error("rebuild failed (%s): %s", kept, message)
        self._view = replace(self._view, documents=self._with_health(self._view.documents, self._view.merged))
        if self.out_dir is not None and not message.startswith("static output"):
            self._write_static(now_timestamp())  # health.json shows the error too

    def _with_health(self, documents: Documents, snapshot: Snapshot | None) -> Documents:
        fields = health_fields(
            snapshot,
            documents,
            runtime_enabled=self._runtime_latest is not None,
            last_error=self.last_error,
            watching=self.watching,
        )
        return with_extra(documents, "health", fields)

    @staticmethod
    def _summary(snapshot: Snapshot) -> str:
        counts = ", ".join(f"{len(objs)} {t}" for t, objs in sorted(snapshot.objects.items()))
        return counts or "no objects"

    # ------------------------------------------------------------------ background work

    def request_rebuild(self, *, writer_done: bool = False) -> None:
        """Ask for a rebuild `debounce` seconds from now (further requests push it back).

        `writer_done`: the change was a file closed after writing, so that write is complete and
        only a short settle (a quarter of the debounce) waits for the next file of the same save
        (an editor or a deploy writing several files); any later event pushes it back again."""
        delay = self.debounce * WRITER_DONE_SETTLE if writer_done else self.debounce
        now = time.monotonic()
        with self._wake:
            if self._due is None:
                self._first_request = now
            # Edits that never pause (a log written into the config dir) still get a rebuild
            # every MAX_DEBOUNCE_WAIT debounces.
            self._due = min(now + delay, self._first_request + self.debounce * MAX_DEBOUNCE_WAIT)
            self._wake.notify()

    def wake(self) -> None:
        """Let the worker look at the runtime bridge now (called from the bridge's thread)."""
        with self._wake:
            self._wake.notify()

    def start(self) -> None:
        if self._thread is not None:
            return
        if self.reread_interval > 0:
            self._next_reread = time.monotonic() + self.reread_interval
        self._stop.clear()
        if self.out_dir is not None:
            self._writer = threading.Thread(target=self._write_loop, name="pjsipconf-static", daemon=True)
            self._writer.start()
        self._thread = threading.Thread(target=self._loop, name="pjsipconf-rebuild", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        for stop in self.on_stop:
            stop()
        self._stop.set()
        self.wake()
        with self._write_wake:
            self._write_wake.notify()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        if self._writer is not None:
            self._writer.join(10)  # a write under way is finished: no half-updated directory
            self._writer = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            if self._rebuild_due():
                self.rebuild()
            self.refresh_runtime()
            with self._wake:
                self._wake.wait(self._seconds_to_wait())

    def _write_loop(self) -> None:
        """The writer thread: the newest view goes to --out whenever one is due (a view replaced
        during a write is written next, the ones in between are skipped)."""
        while True:
            with self._write_wake:
                while not self._static_due and not self._stop.is_set():
                    self._write_wake.wait()
                due, self._static_due = self._static_due, False
            if due:
                self._flush_static(now_timestamp())
            if self._stop.is_set() and not self._static_due:
                return

    def _rebuild_pending(self) -> bool:
        return self._due is not None

    def _rebuild_due(self) -> bool:
        now = time.monotonic()
        with self._wake:
            due = self._due is not None and now >= self._due
            if due:
                self._due = None
        if self._next_reread is not None and now >= self._next_reread:
            self._next_reread = now + self.reread_interval
            if self._has_realtime():
                return True
        return due

    def _has_realtime(self) -> bool:
        base = self._view.base
        return base is not None and any(source.kind == "realtime" for source in base.sources)

    def _seconds_to_wait(self) -> float:
        now = time.monotonic()
        deadlines = [d for d in (self._due, self._next_reread) if d is not None]
        wait = min(deadlines) - now if deadlines else 1.0
        # The runtime bridge is polled at least once a second; its refresher also wakes us.
        return max(0.0, min(wait, 1.0))
