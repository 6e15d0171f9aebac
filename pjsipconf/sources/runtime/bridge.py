"""The runtime bridge: asks a running Asterisk for contacts and device states, politely.

Failure is the normal case here (Asterisk stopped, ssh down, a slow box): a failed fetch never
raises, it returns a state marked unavailable with the reason, still carrying the last good
data until that is older than `keep_for`. Fetches are rate limited to one per `min_interval`;
calls in between get the latest state back without running anything.
"""

from __future__ import annotations

import dataclasses
import shlex
import threading
import time
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from pjsipconf.sources.runtime.assemble import COMMANDS, UnusableOutput, assemble_state
from pjsipconf.sources.runtime.command import CommandError, CommandOutput, Runner, run_command, split_prefix
from pjsipconf.sources.runtime.types import RuntimeState

# What Asterisk's remote console prints when it cannot reach the daemon (main/asterisk.c), and
# what the CLI says for a command no loaded module provides (res_pjsip not loaded, ...).
_NOT_RUNNING = "Unable to connect to remote asterisk"
_NO_SUCH_COMMAND = "No such command"

Clock = Callable[[], float]  # seconds since the epoch, like time.time


class RuntimeBridge:
    """Runs the CLI commands through `prefix` and keeps the last good answer."""

    def __init__(
        self,
        prefix: str = "asterisk -rx",
        *,
        timeout: float = 5.0,
        min_interval: float = 5.0,
        keep_for: float = 600.0,
        runner: Runner | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.prefix = prefix
        self.argv = split_prefix(prefix)  # ValueError for an empty or badly quoted prefix
        self.timeout = timeout
        self.min_interval = min_interval
        self.keep_for = keep_for
        self._run = runner or run_command
        self._clock = clock or time.time
        self._lock = threading.Lock()
        self._latest: RuntimeState | None = None
        self._last_attempt: float | None = None
        self._last_good: RuntimeState | None = None
        self._last_good_at: float | None = None

    def latest(self) -> RuntimeState | None:
        """The state of the latest fetch, without fetching (None before the first one)."""
        return self._latest

    def fetch(self) -> RuntimeState:
        """A fresh state, or the latest one when the previous fetch is less than min_interval ago."""
        with self._lock:
            now = self._clock()
            if self._latest is not None and self._too_soon(now):
                return self._latest
            self._last_attempt = now
            try:
                state = assemble_state(self._run_all(), _as_datetime(now))
            except (CommandError, UnusableOutput) as exc:
                state = self._failed(str(exc), now)
            else:
                self._last_good, self._last_good_at = state, now
            self._latest = state
            return state

    def _too_soon(self, now: float) -> bool:
        # A clock that went backwards does not block refreshing.
        return self._last_attempt is not None and 0 <= now - self._last_attempt < self.min_interval

    def _run_all(self) -> dict[str, str]:
        """Each command's output; stops at the first one that fails (no point asking further)."""
        return {command: self._run_one(command) for command in COMMANDS}

    def _run_one(self, command: str) -> str:
        argv = [*self.argv, command]
        shown = shlex.join(argv)
        try:
            output = self._run(argv, self.timeout)
        except CommandError as exc:
            raise CommandError(f"{shown}: {exc}") from None
        problem = _failure(output)
        if problem:
            raise CommandError(f"{shown}: {problem}")
        return output.stdout

    def _failed(self, reason: str, now: float) -> RuntimeState:
        attempted = _as_datetime(now)
        good, good_at = self._last_good, self._last_good_at
        if good is None or good_at is None:
            return RuntimeState(available=False, fetched_at=None, error=reason, attempted_at=attempted)
        if now - good_at > self.keep_for:
            return RuntimeState(
                available=False, fetched_at=good.fetched_at, error=reason, attempted_at=attempted, expired=True
            )
        return dataclasses.replace(good, available=False, error=reason, attempted_at=attempted)


def _failure(output: CommandOutput) -> str:
    """Why this output is a failure, or "" when it is an answer to parse."""
    text = f"{output.stderr}\n{output.stdout}"
    if _NOT_RUNNING in text:
        return f"Asterisk is not reachable: {_first_line_with(text, _NOT_RUNNING)}"
    if output.returncode != 0:
        detail = _first_line_with(text, "") or "no output"
        return f"exited with status {output.returncode}: {detail}"
    if output.stdout.lstrip().startswith(_NO_SUCH_COMMAND):
        return f"Asterisk does not know the command: {_first_line_with(output.stdout, _NO_SUCH_COMMAND)}"
    return ""


def _first_line_with(text: str, needle: str) -> str:
    for line in text.splitlines():
        if line.strip() and needle in line:
            return line.strip()[:200]
    return ""


def _as_datetime(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


class RuntimeRefresher:
    """Refreshes a bridge in a background thread so that readers never wait for Asterisk.

    `latest()` returns the newest state at once (None until the first fetch finished);
    `on_update`, when given, is called from the thread with each new state.
    """

    def __init__(
        self,
        bridge: RuntimeBridge,
        interval: float | None = None,
        *,
        on_update: Callable[[RuntimeState], None] | None = None,
    ) -> None:
        self.bridge = bridge
        self.interval = bridge.min_interval if interval is None else interval
        self._on_update = on_update
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._latest: RuntimeState | None = None

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="pjsipconf-runtime", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Ask the thread to end and wait for it (a fetch under way ends within the bridge timeout)."""
        self._stop.set()
        if self._thread is not None:
            wait = self.bridge.timeout * len(COMMANDS) + 1.0 if timeout is None else timeout
            self._thread.join(wait)
            self._thread = None

    def latest(self) -> RuntimeState | None:
        return self._latest

    def _loop(self) -> None:
        while not self._stop.is_set():
            state = self.bridge.fetch()
            if state is not self._latest:
                self._latest = state
                if self._on_update is not None:
                    self._on_update(state)
            self._stop.wait(self.interval)


def bridge_from_settings(section: Mapping[str, Any], prefix: str | None) -> RuntimeBridge | None:
    """The bridge `[runtime]` settings and a `--cli` prefix ask for, or None when runtime is off.

    `prefix` (the flag) turns it on; otherwise `enabled = yes` with `cli`. Raises ValueError for a
    prefix that cannot be split (unbalanced quotes, empty)."""
    if prefix is None and not section.get("enabled", False):
        return None
    return RuntimeBridge(
        prefix if prefix is not None else str(section.get("cli", "asterisk -rx")),
        timeout=float(section.get("timeout", 5.0)),
        min_interval=float(section.get("min_interval", 5.0)),
        keep_for=float(section.get("keep_for", 600.0)),
    )
