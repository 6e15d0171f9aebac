"""The bridge against the replay program: real captures, Asterisk down, hanging, garbage,
rate limiting and keeping the last good data (time comes from an injected clock)."""

from __future__ import annotations

import shlex
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from pjsipconf.sources.runtime import RuntimeBridge, RuntimeRefresher
from pjsipconf.sources.runtime.command import CommandOutput, run_command
from tests.conftest import load_expected
from tests.runtime.helpers import FakeClock, RUNTIME_CASE, replay_bridge, replay_prefix, runtime_captures, write_captures

NOT_RUNNING = "Unable to connect to remote asterisk (does /var/run/asterisk/asterisk.ctl exist?)"


@pytest.fixture
def captures(tmp_path: Path) -> Path:
    return write_captures(tmp_path / "captures.json", runtime_captures())


def test_fetch_reads_the_registered_contacts(captures: Path) -> None:
    state = replay_bridge(captures).fetch()
    assert state.available and state.error == "" and state.problems == ()
    want = sorted(
        (c for c in load_expected(RUNTIME_CASE)["contacts"] if c["kind"] == "dynamic"),
        key=lambda c: f"{c['aor']}/{c['uri']}",
    )
    got = [
        {"aor": c.aor, "uri": c.uri, "id": c.id, "hash": c.hash, "status": c.status, "rtt_ms": c.rtt_ms, "details": dict(c.details)}
        for c in state.contacts
    ]
    assert got == [{k: c[k] for k in ("aor", "uri", "id", "hash", "status", "rtt_ms", "details")} for c in want]
    assert {k: v.device_state for k, v in state.endpoints.items()} == {
        "2001": "Not in use", "2002": "Not in use", "2003": "Not in use", "2004": "Unavailable",
    }


def test_golden_expected_json_works_as_capture_file() -> None:
    from tests.conftest import GOLDEN_DIR

    state = replay_bridge(GOLDEN_DIR / RUNTIME_CASE / "expected.json").fetch()
    assert state.available and len(state.contacts) == 4


def test_command_is_appended_as_one_argument(tmp_path: Path) -> None:
    echo = tmp_path / "echo_args.py"
    echo.write_text("import sys, json; print(json.dumps(sys.argv[1:]))\n")
    output = run_command([*shlex.split(f"{shlex.quote(sys.executable)} {echo} --flag"), "pjsip show contacts"], 10)
    assert output == CommandOutput(0, '["--flag", "pjsip show contacts"]\n', "")


def test_asterisk_not_running(captures: Path) -> None:
    state = replay_bridge(captures, "--down").fetch()
    assert not state.available
    assert NOT_RUNNING in state.error and "database show registrar" in state.error
    assert state.fetched_at is None and state.age_seconds(state.attempted_at) is None
    assert state.contacts == () and not state.has_data


def test_non_zero_exit_is_a_failure(captures: Path) -> None:
    state = replay_bridge(captures, "--exit", "3").fetch()
    assert not state.available and "exited with status 3" in state.error


def test_hanging_prefix_times_out_quickly(captures: Path) -> None:
    bridge = replay_bridge(captures, "--hang", "30", timeout=0.5)
    started = time.monotonic()
    state = bridge.fetch()
    assert time.monotonic() - started < 5
    assert not state.available and "no answer within 0.5 s" in state.error


def test_garbage_output_is_a_failure(tmp_path: Path) -> None:
    captures = runtime_captures()
    captures["pjsip show contacts"] = "*** stack smashing detected ***\nAborted\n"
    state = replay_bridge(write_captures(tmp_path / "c.json", captures)).fetch()
    assert not state.available
    assert "pjsip show contacts" in state.error and "stack smashing" in state.error


def test_unknown_command_is_a_failure(tmp_path: Path) -> None:
    captures = runtime_captures()
    del captures["pjsip show endpoints"]
    state = replay_bridge(write_captures(tmp_path / "c.json", captures)).fetch()
    assert not state.available and "does not know the command" in state.error


def test_missing_program_is_a_failure() -> None:
    state = RuntimeBridge("/nonexistent/asterisk -rx", min_interval=0).fetch()
    assert not state.available and "cannot run '/nonexistent/asterisk'" in state.error


def test_bad_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot split"):
        RuntimeBridge("ssh 'pbx1 asterisk -rx")
    with pytest.raises(ValueError, match="empty"):
        RuntimeBridge("   ")


def test_damaged_but_readable_output_is_available_with_problems(tmp_path: Path) -> None:
    captures = runtime_captures()
    text = captures["pjsip show contacts"]
    captures["pjsip show contacts"] = text[: text.index("  Contact:  2003")]
    state = replay_bridge(write_captures(tmp_path / "c.json", captures)).fetch()
    assert state.available and len(state.contacts) == 4
    assert any("cut short" in p for p in state.problems)
    unlisted = [c for c in state.contacts if c.aor == "2003"]
    assert unlisted[0].status == "Unknown" and any("2003;@f94280434f" in p for p in state.problems)


class CountingRunner:
    """A runner that answers from captures and counts calls (or fails when told to)."""

    def __init__(self) -> None:
        self.captures = runtime_captures()
        self.calls = 0
        self.down = False

    def __call__(self, argv, timeout) -> CommandOutput:
        self.calls += 1
        if self.down:
            return CommandOutput(1, "", NOT_RUNNING + "\n")
        return CommandOutput(0, self.captures[argv[-1]], "")


def test_rate_limited_to_min_interval() -> None:
    clock, runner = FakeClock(), CountingRunner()
    bridge = RuntimeBridge(min_interval=5.0, runner=runner, clock=clock)
    first = bridge.fetch()
    assert runner.calls == 3
    clock.advance(4.9)
    assert bridge.fetch() is first and runner.calls == 3
    clock.advance(0.1)
    second = bridge.fetch()
    assert runner.calls == 6 and second is not first
    assert second.fetched_at - first.fetched_at == timedelta(seconds=5)


def test_failed_attempts_are_rate_limited_too() -> None:
    clock, runner = FakeClock(), CountingRunner()
    runner.down = True
    bridge = RuntimeBridge(min_interval=5.0, runner=runner, clock=clock)
    bridge.fetch()
    bridge.fetch()
    assert runner.calls == 1  # stops at the first failing command, and does not retry at once


def test_keeps_last_good_data_until_keep_for() -> None:
    clock, runner = FakeClock(), CountingRunner()
    bridge = RuntimeBridge(min_interval=1.0, keep_for=60.0, runner=runner, clock=clock)
    good = bridge.fetch()
    runner.down = True
    clock.advance(30)
    kept = bridge.fetch()
    assert not kept.available and NOT_RUNNING in kept.error
    assert kept.contacts == good.contacts and kept.endpoints == good.endpoints and kept.has_data
    assert kept.fetched_at == good.fetched_at
    assert kept.age_seconds(kept.attempted_at) == 30
    clock.advance(31)
    dropped = bridge.fetch()
    assert not dropped.available and dropped.expired and not dropped.has_data
    assert dropped.contacts == () and dropped.endpoints == {}
    assert dropped.age_seconds(dropped.attempted_at) == 61  # the age of the last good data still shows
    runner.down = False
    clock.advance(1)
    assert bridge.fetch().available


class GatedRunner(CountingRunner):
    """Answers only once the test opens the gate: a slow Asterisk under the test's control."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def __call__(self, argv, timeout) -> CommandOutput:
        self.gate.wait(timeout)
        return super().__call__(argv, timeout)


def test_refresher_latest_never_waits() -> None:
    runner = GatedRunner()
    bridge = RuntimeBridge(min_interval=0.0, runner=runner, timeout=30)
    updates: list[object] = []
    arrived = threading.Event()
    refresher = RuntimeRefresher(bridge, 0.05, on_update=lambda s: (updates.append(s), arrived.set()))
    refresher.start()
    try:
        started = time.monotonic()
        assert refresher.latest() is None  # the first fetch is still waiting for Asterisk
        assert bridge.latest() is None
        assert time.monotonic() - started < 0.5
        runner.gate.set()
        assert arrived.wait(10)
        assert refresher.latest() is updates[0] and updates[0].available
    finally:
        runner.gate.set()
        refresher.stop()


def test_refresher_refreshes_and_stops() -> None:
    clock, runner = FakeClock(), CountingRunner()
    bridge = RuntimeBridge(min_interval=0.0, runner=runner, clock=clock)
    refresher = RuntimeRefresher(bridge, 0.01)
    refresher.start()
    deadline = time.monotonic() + 10
    while runner.calls < 9 and time.monotonic() < deadline:
        clock.advance(1)
        time.sleep(0.01)
    refresher.stop()
    calls = runner.calls
    assert calls >= 9 and refresher.latest() is not None and refresher.latest().available
    time.sleep(0.05)
    assert runner.calls == calls
