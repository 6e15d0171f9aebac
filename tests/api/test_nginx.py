"""The generated nginx snippet in a real nginx (skipped where none is installed): the static
build answers every route as `pjsipconf serve --browse` does, methods and errors included."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pytest

from pjsipconf.api import paths
from pjsipconf.api.documents import build_documents
from pjsipconf.api.static import write_static
from pjsipconf.api.web import FixedView, create_app
from tests.api.helpers import make_object, make_snapshot, small_pbx

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")
T1 = "2023-11-14T22:13:20.000000000Z"

ROUTES = [
    "/pjsip/aors", "/pjsip/aors/6001", "/pjsip/aors/6001?view=asterisk", "/pjsip/aors/6001?view=explain",
    "/pjsip/aors/6001?view=bogus", "/pjsip/aors/nope", "/pjsip/aors/", "/pjsip/nope", "/pjsip/nope/",
    "/pjsip/aors/a%2Fb", "/pjsip/aors/with%20space", "/pjsip/aors/~tilde", "/pjsip/aors/~7e74696c6465",
    "/pjsip/aors.json", "/pjsip/aors/6001.json", "/health.json", "/_view/asterisk/pjsip/aors.json",
    "/_nginx/pjsipconf.conf", "/.pjsipconf-manifest.json", "/_errors/404.json", "/pjsip/findings",
    "/pjsip/findings?view=explain", "/openapi.json", "/pjsip/contacts", "/nope", "/pjsip",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    """(nginx base URL, Flask test client) over the same documents."""
    snapshot = make_snapshot(
        [obj for objs in small_pbx().objects.values() for obj in objs.values()]
        + [make_object("aor", oid) for oid in ("a/b", "with space", "~tilde")],
        contacts=small_pbx().contacts,
    )
    documents = build_documents(snapshot, now=T1)
    root = tmp_path_factory.mktemp("nginx")
    out = root / "out"
    write_static(documents, str(out), timestamp=T1)
    port = _free_port()
    snippet = (out / paths.NGINX_SNIPPET).read_text().replace("listen 127.0.0.1:8081;", f"listen 127.0.0.1:{port};")
    (root / "snippet.conf").write_text(snippet)
    (root / "tmp").mkdir()
    # Run as root, nginx's workers would be `nobody`, who cannot read pytest's private tmp dirs.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (root / "nginx.conf").write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {root}/nginx.pid;\nerror_log {root}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n client_body_temp_path {root}/tmp;\n proxy_temp_path {root}/tmp;\n"
        f" fastcgi_temp_path {root}/tmp;\n uwsgi_temp_path {root}/tmp;\n scgi_temp_path {root}/tmp;\n"
        f" include {root}/snippet.conf;\n}}\n"
    )
    process = subprocess.Popen([str(NGINX), "-p", str(root), "-c", str(root / "nginx.conf"), "-e", str(root / "error.log")])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"127.0.0.1:{port}", create_app(FixedView(documents), browse=True).test_client()
    finally:
        process.terminate()
        process.wait(timeout=10)


def _nginx(base: str, method: str, route: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(base, timeout=10)
    connection.request(method, route)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def _comparable(body: bytes) -> object:
    document = json.loads(body)
    document.pop("timestamp", None)
    document.get("error", {}).pop("message", None)  # the static error documents say it in general
    return document


@pytest.mark.parametrize("route", ROUTES)
def test_get_answers_as_the_server_does(served, route: str) -> None:
    base, client = served
    status, headers, body = _nginx(base, "GET", route)
    response = client.get(route)
    assert status == response.status_code, route
    assert headers["content-type"].startswith("application/json") and headers["access-control-allow-origin"] == "*"
    assert _comparable(body) == _comparable(response.data), route


@pytest.mark.parametrize("route", ["/", "/index.html", "/browse/aors.html"])
def test_browse_pages_as_the_server_with_browse_serves_them(served, route: str) -> None:
    base, client = served
    status, headers, body = _nginx(base, "GET", route)
    assert (status, body) == (200, client.get(route).data) and headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("method", ["OPTIONS", "POST", "DELETE", "PUT"])
@pytest.mark.parametrize("route", ["/", "/pjsip/aors", "/pjsip/aors/", "/pjsip/nope/", "/pjsip/aors/" + quote("a/b", safe="")])
def test_methods_decide_before_the_route(served, method: str, route: str) -> None:
    base, client = served
    status, headers, body = _nginx(base, method, route)
    response = client.open(route, method=method)
    assert status == response.status_code, (method, route)
    if method == "OPTIONS":
        assert body == b""
    else:
        assert "GET" in headers["allow"] and _comparable(body) == _comparable(response.data)
