"""The live view: swap on success, keep the last good view on failure, health, runtime, static output."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from watchdog.events import FileClosedEvent, FileClosedNoWriteEvent, FileModifiedEvent, FileOpenedEvent

from pjsipconf.api.assemble import ServeOptions, start_live_view
from pjsipconf.api.live import LiveView
from pjsipconf.api.watch import ConfigWatcher, ChangeHandler
from pjsipconf.api.web import create_app
from pjsipconf.conf.types import ConfigFile, Problem
from pjsipconf.model.types import Snapshot
from pjsipconf.sources.runtime.types import EndpointState, RuntimeState
from tests.api.helpers import FILE, small_pbx, wait_until


class Builds:
    """A snapshot builder the test steers: returns `next`, or raises it when it is an exception."""

    def __init__(self, first: Snapshot | Exception) -> None:
        self.next: Snapshot | Exception = first
        self.calls = 0

    def __call__(self) -> Snapshot:
        self.calls += 1
        if isinstance(self.next, Exception):
            raise self.next
        return self.next


def _get(view: LiveView, path: str) -> dict:
    response = create_app(view).test_client().get(path)
    return json.loads(response.data)


def _context(view: LiveView) -> str:
    return _get(view, "/pjsip/endpoints/1001")["result"]["context"]


def _invalid(snapshot: Snapshot) -> Snapshot:
    problem = Problem("missing-include", "#include nothing.conf: no such file", FILE, 7, fatal=True, severity="error")
    config = ConfigFile("/etc/asterisk/pjsip.conf", "/etc/asterisk", (), (problem,), ("/etc/asterisk/pjsip.conf",), True)
    from dataclasses import replace

    return replace(snapshot, config=config, objects={})


def test_failed_builds_keep_the_last_good_view() -> None:
    builds = Builds(small_pbx(context="one"))
    view = LiveView(builds)
    assert view.rebuild() and _context(view) == "one"
    assert _get(view, "/health")["result"]["status"] == "ok"

    builds.next = RuntimeError("disk on fire")
    assert not view.rebuild()
    assert _context(view) == "one"
    health = _get(view, "/health")["result"]
    assert health["status"] == "degraded" and "disk on fire" in health["last_error"]["message"]

    builds.next = _invalid(small_pbx(context="two"))
    assert not view.rebuild()
    assert _context(view) == "one"
    message = _get(view, "/health")["result"]["last_error"]["message"]
    assert "reject the whole file" in message and "pjsip.conf:7" in message

    builds.next = small_pbx(context="three")
    assert view.rebuild() and _context(view) == "three"
    assert _get(view, "/health")["result"]["last_error"] is None


def test_first_build_failing_serves_an_empty_view_with_the_error() -> None:
    view = LiveView(Builds(ValueError("bad settings")))
    assert not view.rebuild()
    assert _get(view, "/pjsip/endpoints")["result"] == {"list": []}
    health = _get(view, "/health")["result"]
    assert health["status"] == "error" and "bad settings" in health["last_error"]["message"]


@contextmanager
def _edited_in_the_background() -> Iterator[tuple[Builds, LiveView]]:
    """A started view built from context "one", whose next build gives context "two"."""
    builds = Builds(small_pbx(context="one"))
    view = LiveView(builds, debounce=0.05)
    view.rebuild()
    view.start()
    try:
        builds.next = small_pbx(context="two")
        yield builds, view
    finally:
        view.stop()


def test_debounced_rebuild_in_the_background() -> None:
    with _edited_in_the_background() as (builds, view):
        for _ in range(5):  # a burst of events: one rebuild
            view.request_rebuild()
        wait_until(lambda: _context(view) == "two")
        assert builds.calls == 2


def test_a_file_closed_after_writing_shortens_the_wait() -> None:
    builds = Builds(small_pbx(context="one"))
    view = LiveView(builds, debounce=2.0)  # written and closed: a quarter of it, 0.5 s
    view.rebuild()
    view.start()
    try:
        builds.next = small_pbx(context="two")
        view.request_rebuild()  # the write began ...
        view.request_rebuild(writer_done=True)  # ... and the file was closed
        wait_until(lambda: _context(view) == "two", timeout=1.5)
    finally:
        view.stop()


def test_watcher_tells_a_finished_write_from_other_changes(tmp_path: Path) -> None:
    class Requests:
        snapshot = None

        def __init__(self) -> None:
            self.calls: list[bool] = []

        def request_rebuild(self, *, writer_done: bool = False) -> None:
            self.calls.append(writer_done)

    requests = Requests()
    watcher = ConfigWatcher(requests, str(tmp_path))  # type: ignore[arg-type]
    watcher.follow(None)
    conf = str(tmp_path / "pjsip.conf")
    handler = ChangeHandler(watcher)
    for event in (FileModifiedEvent(conf), FileClosedEvent(conf), FileOpenedEvent(conf), FileClosedNoWriteEvent(conf),
                  FileModifiedEvent(str(tmp_path / "notes.txt"))):
        handler.on_any_event(event)
    assert requests.calls == [False, True]


def test_runtime_state_is_merged_and_refreshed() -> None:
    states: list[RuntimeState | None] = [None]
    view = LiveView(Builds(small_pbx()), runtime_latest=lambda: states[-1])
    view.rebuild()
    endpoint = _get(view, "/pjsip/endpoints/1001")["result"]
    assert (endpoint["device_state"], endpoint["active_channels"]) == ("Unavailable", "0")
    assert _get(view, "/health")["result"]["runtime"]["device_state"] == "derived"
    now = datetime.now(timezone.utc)
    states.append(RuntimeState(True, now, endpoints={"1001": EndpointState("1001", "In use", 2, False)}, attempted_at=now))
    assert view.refresh_runtime()
    endpoint = _get(view, "/pjsip/endpoints/1001")["result"]
    assert (endpoint["device_state"], endpoint["active_channels"]) == ("In use", "2")
    runtime = _get(view, "/health")["result"]["runtime"]
    assert runtime["answered"] and runtime["device_state"] == "runtime"
    # In the API's own timestamp format, as built_at and the envelope's timestamp.
    assert runtime["fetched_at"] == now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond * 1000:09d}Z"
    assert not view.refresh_runtime()  # nothing new


def test_static_output_follows_the_view(tmp_path: Path) -> None:
    builds = Builds(small_pbx(context="one"))
    view = LiveView(builds, out_dir=str(tmp_path))
    view.rebuild()
    read: Callable[[], dict] = lambda: json.loads((tmp_path / "pjsip/endpoints/1001.json").read_bytes())
    assert read()["result"]["context"] == "one"
    builds.next = small_pbx(context="two")
    view.rebuild()
    assert read()["result"]["context"] == "two"
    assert json.loads((tmp_path / "health.json").read_bytes())["result"]["status"] == "ok"


def test_findings_follow_each_rebuild() -> None:
    from pjsipconf.check.types import Finding

    def findings(snapshot: Snapshot, stop: Callable[[], bool]) -> list[Finding]:
        context = snapshot.get("endpoint", "1001").rendered()["context"]  # type: ignore[union-attr]
        return [Finding("X1", "info", "pjsip.conf", 3, 1, "endpoint", "1001", f"context is {context}")]

    builds = Builds(small_pbx(context="one"))
    view = LiveView(builds, findings=findings)
    view.rebuild()
    assert _get(view, "/pjsip/findings")["result"]["list"][0]["message"] == "context is one"
    builds.next = small_pbx(context="two")
    view.rebuild()
    assert _get(view, "/pjsip/findings")["result"]["list"][0]["message"] == "context is two"


def test_realtime_sources_are_reread_on_their_interval() -> None:
    from dataclasses import replace

    from pjsipconf.model.types import SourceInfo

    with_realtime = replace(small_pbx(), sources=(SourceInfo("realtime", "ps_endpoints", "sqlite"),))
    builds = Builds(with_realtime)
    view = LiveView(builds, reread_interval=0.05)
    view.rebuild()
    view.start()
    try:
        wait_until(lambda: builds.calls >= 4)  # re-read with no file event at all
    finally:
        view.stop()
    files_only = Builds(small_pbx())
    quiet = LiveView(files_only, reread_interval=0.05)
    quiet.rebuild()
    quiet.start()
    try:
        import time

        time.sleep(0.3)  # six intervals: a configuration without realtime is not re-read
        assert files_only.calls == 1
    finally:
        quiet.stop()


def test_static_output_is_written_by_the_worker_when_it_runs(tmp_path: Path) -> None:
    builds = Builds(small_pbx(context="one"))
    view = LiveView(builds, out_dir=str(tmp_path), debounce=0.01)
    view.start()
    try:
        view.rebuild()
        target = tmp_path / "pjsip/endpoints/1001.json"
        wait_until(lambda: target.is_file() and json.loads(target.read_bytes())["result"]["context"] == "one")
        builds.next = small_pbx(context="two")
        view.request_rebuild()
        wait_until(lambda: json.loads(target.read_bytes())["result"]["context"] == "two")
    finally:
        view.stop()


def test_an_edit_during_the_checks_stops_them_and_is_built_at_once() -> None:
    """Checks run after the objects are served; an edit arriving meanwhile stops them (between two
    rules) so its rebuild starts at once, and its own checks then fill /pjsip/findings."""
    import threading

    from pjsipconf.check import ChecksStopped

    started, checked = threading.Event(), []

    def findings(snapshot: Snapshot, stop: Callable[[], bool]) -> tuple:
        context = snapshot.get("endpoint", "1001").rendered()["context"]  # type: ignore[union-attr]
        if context == "one":
            started.set()
            wait_until(stop, timeout=10)  # a long check run, until an edit asks it to stop
            raise ChecksStopped("edit")
        checked.append(context)
        return ()

    builds = Builds(small_pbx(context="one"))
    view = LiveView(builds, findings=findings, debounce=0.01)
    view.start()
    try:
        view.request_rebuild()
        assert started.wait(10)
        builds.next = small_pbx(context="two")
        view.request_rebuild()
        wait_until(lambda: checked == ["two"], timeout=10)
        assert _context(view) == "two" and builds.calls == 2
    finally:
        view.stop()


def test_rebuilds_follow_an_edited_settings_file(tmp_path: Path) -> None:
    (tmp_path / "pjsip.conf").write_text("[a]\ntype=endpoint\n")
    (tmp_path / "other.conf").write_text("[b]\ntype=endpoint\n")
    settings = tmp_path / "pjsipconf.ini"
    view = start_live_view(ServeOptions(config_dir=str(tmp_path), watch=False))
    try:
        ids = lambda: [e["object_name"] for e in _get(view, "/pjsip/endpoints")["result"]["list"]]  # noqa: E731
        assert ids() == ["a"]
        settings.write_text("[general]\nmain_file = other.conf\n")
        assert view.rebuild() and ids() == ["b"]
        settings.write_text("[general]\nmain_file = other.conf\nasterisk_version = 21\n")
        assert not view.rebuild() and ids() == ["b"]  # a bad settings file keeps the last good view
        message = _get(view, "/health")["result"]["last_error"]["message"]
        assert "pjsipconf.ini" in message and "asterisk_version" in message
        settings.unlink()  # back to the defaults
        assert view.rebuild() and ids() == ["a"]
    finally:
        view.stop()


def test_a_runtime_refresh_keeps_the_failed_rebuilds_error() -> None:
    states: list[RuntimeState | None] = [None]
    builds = Builds(small_pbx(context="one"))
    view = LiveView(builds, runtime_latest=lambda: states[-1])
    view.rebuild()
    builds.next = RuntimeError("disk on fire")
    assert not view.rebuild()
    now = datetime.now(timezone.utc)
    states.append(RuntimeState(True, now, endpoints={"1001": EndpointState("1001", "In use", 2, False)}, attempted_at=now))
    assert view.refresh_runtime()
    health = _get(view, "/health")["result"]
    assert health["status"] == "degraded" and "disk on fire" in health["last_error"]["message"]


def test_a_missing_main_file_keeps_the_last_good_view() -> None:
    from dataclasses import replace

    builds = Builds(small_pbx(context="one"))
    view = LiveView(builds)
    view.rebuild()
    gone = ConfigFile("/etc/asterisk/pjsip.conf", "/etc/asterisk", (), (), (), False, exists=False)
    builds.next = replace(small_pbx(context="two"), config=gone, objects={})
    assert not view.rebuild()
    assert _context(view) == "one"
    assert "no main file to read" in _get(view, "/health")["result"]["last_error"]["message"]


def test_checks_that_fail_say_so_in_health() -> None:
    def findings(snapshot: Snapshot, stop: Callable[[], bool]) -> list:
        raise ValueError("[check] ignore: 'S499' names no rule")

    view = LiveView(Builds(small_pbx()), findings=findings)
    view.rebuild()
    health = _get(view, "/health")["result"]
    assert health["status"] == "degraded" and "S499" in health["last_error"]["message"]
    assert _get(view, "/pjsip/findings")["result"] == {"list": []}


def test_a_restart_with_static_output_keeps_each_objects_tm_update(tmp_path: Path) -> None:
    first = LiveView(Builds(small_pbx(context="one")), out_dir=str(tmp_path))
    first.rebuild()
    stamp = _get(first, "/pjsip/endpoints/1001")["result"]["tm_update"]
    restarted = LiveView(Builds(small_pbx(context="one")), out_dir=str(tmp_path))
    restarted.rebuild()
    assert _get(restarted, "/pjsip/endpoints/1001")["result"]["tm_update"] == stamp


def test_edits_that_never_pause_still_get_rebuilt() -> None:
    import time

    from pjsipconf.api.live import MAX_DEBOUNCE_WAIT

    with _edited_in_the_background() as (_builds, view):
        deadline = time.monotonic() + 0.05 * MAX_DEBOUNCE_WAIT * 4
        while time.monotonic() < deadline and _context(view) == "one":
            view.request_rebuild()  # every 10 ms: the debounce alone would wait for ever
            time.sleep(0.01)
        assert _context(view) == "two"


def test_a_source_that_could_not_be_read_degrades_the_health() -> None:
    from dataclasses import replace

    from pjsipconf.model.types import SourceInfo

    down = SourceInfo("realtime", "ps_endpoints", "asterisk", ok=False, error="cannot connect")
    view = LiveView(Builds(replace(small_pbx(), sources=(down,))))
    view.rebuild()
    health = _get(view, "/health")["result"]
    assert health["status"] == "degraded" and health["last_error"] is None
    assert health["sources"][0]["error"] == "cannot connect"
