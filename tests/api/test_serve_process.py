"""`pjsipconf serve` as a real process on a free port: watch, fail, recover; waitress-serve entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.api.helpers import free_port, wait_until
from tests.conftest import ROOT
from tests.runtime.helpers import RUNTIME_CASE, replay_prefix, runtime_captures, write_captures

PJSIP = """\
[global]
type=global

[phone](!)
type=endpoint
context=from-phones
disallow=all
allow=ulaw

[6001](phone)
aors=6001
auth=6001

[6001]
type=aor
max_contacts=1

[6001]
type=auth
auth_type=userpass
username=6001
password=secret-6001

#include {extra}
"""

EXTRA = """\
[6002](phone)
context={context}
"""


class Server:
    """A `python -m pjsipconf ...` child process; its stderr is collected by a thread."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, **(env or {})},
        )
        self.log: list[str] = []
        self._reader = threading.Thread(target=self._collect, daemon=True)
        self._reader.start()

    def _collect(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)

    def url(self) -> str:
        line = wait_until(lambda: next((l for l in self.log if "serving http://" in l), None) or self._died())
        return line.split("serving ", 1)[1].split("/ ", 1)[0]

    def _died(self) -> None:
        if self.process.poll() is not None:
            raise AssertionError("server exited:\n" + "".join(self.log))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except urllib.error.URLError:
        return 0, None


@pytest.fixture
def config(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A config dir whose pjsip.conf includes a file living outside it."""
    config_dir, elsewhere = tmp_path / "asterisk", tmp_path / "elsewhere"
    config_dir.mkdir()
    elsewhere.mkdir()
    extra = elsewhere / "extra.conf"
    extra.write_text(EXTRA.format(context="first"))
    (config_dir / "pjsip.conf").write_text(PJSIP.format(extra=extra))
    yield config_dir, extra


def _serve(config_dir: Path, *flags: str) -> Server:
    return Server([sys.executable, "-m", "pjsipconf", "serve", "--config-dir", str(config_dir), "--port", "0", *flags])


def _context(url: str) -> str | None:
    status, body = get(url + "/pjsip/endpoints/6002")
    return body["result"]["context"] if status == 200 else None


def test_serve_watches_fails_and_recovers(config: tuple[Path, Path], tmp_path: Path) -> None:
    config_dir, extra = config
    out = tmp_path / "static"
    server = _serve(config_dir, "--out", str(out))
    try:
        url = server.url()
        assert wait_until(lambda: _context(url)) == "first"
        assert get(url + "/health")[1]["result"]["watching"] is True
        assert get(url + "/pjsip/auths/6001")[1]["result"]["password"] == "********"

        extra.write_text(EXTRA.format(context="second"))  # an include outside the config dir
        wait_until(lambda: _context(url) == "second")
        static = out / "pjsip/endpoints/6002.json"
        wait_until(lambda: static.is_file() and json.loads(static.read_bytes())["result"]["context"] == "second")

        main = config_dir / "pjsip.conf"
        good = main.read_text()
        main.write_text(good + "#include missing-file.conf\n")  # Asterisk rejects the whole file
        health = wait_until(lambda: (get(url + "/health")[1] or {}).get("result", {}).get("last_error"))
        assert "missing-file.conf" in health["message"] or "reject" in health["message"]
        assert _context(url) == "second"  # the last good view is still served
        assert wait_until(lambda: any("rebuild failed" in line for line in server.log))

        main.write_text(good)
        wait_until(lambda: get(url + "/health")[1]["result"]["last_error"] is None)
        assert _context(url) == "second"
        extra.write_text(EXTRA.format(context="third"))
        wait_until(lambda: _context(url) == "third")
    finally:
        server.stop()


def test_sigterm_stops_the_server_cleanly(config: tuple[Path, Path]) -> None:
    config_dir, _extra = config
    server = _serve(config_dir)
    server.url()
    server.process.terminate()  # SIGTERM, as a service manager sends it
    assert server.process.wait(10) == 0


def test_serve_token_and_secrets(config: tuple[Path, Path]) -> None:
    server = _serve(config[0], "--token", "s3", "--show-secrets", "--no-watch")
    try:
        url = server.url()
        status, body = wait_until(lambda: (lambda r: r if r[0] else None)(get(url + "/pjsip/auths/6001")))
        assert status == 401 and body["error"]["code"] == 401
        status, body = get(url + "/pjsip/auths/6001", {"Authorization": "Bearer s3"})
        assert status == 200 and body["result"]["password"] == "secret-6001"
    finally:
        server.stop()


def test_serve_merges_the_runtime_bridge(golden_input, tmp_path: Path) -> None:
    captures = write_captures(tmp_path / "cli.json", runtime_captures())
    server = _serve(golden_input(RUNTIME_CASE), "--no-watch", "--cli", replay_prefix(captures))
    try:
        url = server.url()
        contacts = wait_until(lambda: [c for c in (get(url + "/pjsip/contacts")[1] or {}).get("result", {}).get("list", [])
                                       if ";@" in c["id"]])
        assert {c["aor"] for c in contacts} >= {"2001", "2002"}
        health = get(url + "/health")[1]["result"]
        assert health["runtime"]["answered"] and health["runtime"]["device_state"] == "runtime"
    finally:
        server.stop()


def test_waitress_serve_loads_the_app_factory(config: tuple[Path, Path]) -> None:
    port = free_port()
    waitress = Path(sys.executable).parent / "waitress-serve"
    server = Server(
        [str(waitress), f"--listen=127.0.0.1:{port}", "--call", "pjsipconf.api.web:create_app_from_env"],
        env={"PJSIPCONF_CONFIG_DIR": str(config[0]), "PJSIPCONF_WATCH": "no", "PJSIPCONF_TOKEN": "tk"},
    )
    try:
        url = f"http://127.0.0.1:{port}"
        status, body = wait_until(lambda: (lambda r: r if r[0] else None)(get(url + "/pjsip/endpoints", {"Authorization": "Bearer tk"})))
        assert status == 200 and [e["object_name"] for e in body["result"]["list"]] == ["6001", "6002"]
        assert get(url + "/pjsip/endpoints")[0] == 401
    finally:
        server.stop()


def _endpoint_ids(url: str) -> list[str]:
    status, body = get(url + "/pjsip/endpoints")
    return [item["object_name"] for item in body["result"]["list"]] if status == 200 else []


def test_serve_follows_directories_that_appear_vanish_and_a_swapped_symlink(tmp_path: Path) -> None:
    """A glob #include's directory created later, removed and created again, and the config
    directory a symlink switched to another release: each change is served."""
    releases = {name: tmp_path / name for name in ("v1", "v2")}
    for name, directory in releases.items():
        directory.mkdir()
        (directory / "pjsip.conf").write_text(f"[{name}]\ntype=endpoint\n#tryinclude ext.d/*.conf\n")
    current = tmp_path / "current"
    current.symlink_to(releases["v1"])
    server = _serve(current)
    try:
        url = server.url()
        assert wait_until(lambda: _endpoint_ids(url) == ["v1"])
        extensions = releases["v1"] / "ext.d"
        extensions.mkdir()
        (extensions / "a.conf").write_text("[a]\ntype=endpoint\n")
        wait_until(lambda: _endpoint_ids(url) == ["a", "v1"])
        (extensions / "a.conf").unlink()
        extensions.rmdir()
        wait_until(lambda: _endpoint_ids(url) == ["v1"])
        extensions.mkdir()
        (extensions / "b.conf").write_text("[b]\ntype=endpoint\n")
        wait_until(lambda: _endpoint_ids(url) == ["b", "v1"])
        swapped = tmp_path / "swap"
        swapped.symlink_to(releases["v2"])
        swapped.replace(current)  # the atomic switch `ln -sfn` makes
        wait_until(lambda: _endpoint_ids(url) == ["v2"])
        (releases["v2"] / "pjsip.conf").write_text("[v2b]\ntype=endpoint\n")  # edits in the new release are seen
        wait_until(lambda: _endpoint_ids(url) == ["v2b"])
    finally:
        server.stop()
