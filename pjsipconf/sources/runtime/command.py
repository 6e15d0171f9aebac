"""Running one Asterisk CLI command through the configured prefix, without a shell.

The prefix (`asterisk -rx`, `ssh pbx1 asterisk -rx`, `docker exec asterisk asterisk -rx`) is
split with shlex and the CLI command is appended as ONE argument, as a person would type
`asterisk -rx 'pjsip show contacts'`. The child runs in its own session so that a timeout can
kill everything it started (an ssh client, a docker exec), not just the first process.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
from dataclasses import dataclass
from typing import Callable, Sequence

# How long to wait for a killed command's pipes to close before giving up on its output.
_REAP_SECONDS = 1.0


class CommandError(Exception):
    """The command could not be run to completion (not found, timed out); the text says why."""


@dataclass(frozen=True)
class CommandOutput:
    returncode: int
    stdout: str
    stderr: str


# A runner takes the full argv and a timeout in seconds; RuntimeBridge accepts any such callable.
Runner = Callable[[Sequence[str], float], CommandOutput]


def split_prefix(prefix: str) -> list[str]:
    """The prefix as argv; ValueError with a readable message when it is empty or badly quoted."""
    try:
        argv = shlex.split(prefix)
    except ValueError as exc:
        raise ValueError(f"cannot split CLI prefix {prefix!r}: {exc}") from None
    if not argv:
        raise ValueError("the CLI prefix is empty (expected e.g. 'asterisk -rx')")
    return argv


def run_command(argv: Sequence[str], timeout: float) -> CommandOutput:
    """Run argv, wait at most `timeout` seconds, return its exit code and decoded output."""
    try:
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise CommandError(f"cannot run {argv[0]!r}: {exc.strerror or exc}") from None
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_session(process)
        raise CommandError(f"no answer within {timeout:g} s") from None
    return CommandOutput(process.returncode, _decode(stdout), _decode(stderr))


def _kill_session(process: subprocess.Popen[bytes]) -> None:
    """Kill the command and whatever it started (its session), then reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    try:
        process.communicate(timeout=_REAP_SECONDS)
    except subprocess.TimeoutExpired:
        # A grandchild that left the session still holds the pipes; do not wait for it.
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
        process.wait(timeout=_REAP_SECONDS)


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")
