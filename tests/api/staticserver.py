"""A tiny static file server doing what the generated nginx snippet tells nginx to do.

It reads the `map $uri $pjsipconf_file` entries of OUTDIR/_nginx/pjsipconf.conf and tries, like
the snippet's `try_files`: the mapped file, then `$uri.json`, under the view's tree; the documents
of one view and the browse pages have locations of their own. (tests/api/test_nginx.py runs the
snippet in a real nginx where one is installed.)
"""

from __future__ import annotations

import os
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import parse_qs, unquote

from pjsipconf.api import paths

_MAP_LINE = re.compile(r'^\s*("(?:[^"\\]|\\.)*")\s+("(?:[^"\\]|\\.)*");\s*$')
VIEW_TREES = {"": "", "api": "", "asterisk": "/_view/asterisk", "explain": "/_view/explain"}


def _unquote_nginx(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def nginx_map(outdir: Path) -> dict[str, str]:
    snippet = (outdir / paths.NGINX_SNIPPET).read_text(encoding="utf-8")
    block = snippet.split("map $uri $pjsipconf_file {", 1)[1].split("}", 1)[0]
    return {
        _unquote_nginx(m.group(1)): _unquote_nginx(m.group(2))
        for line in block.splitlines()
        if (m := _MAP_LINE.match(line))
    }


def make_handler(outdir: Path) -> type[SimpleHTTPRequestHandler]:
    mapped = nginx_map(outdir)

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _candidates(self) -> Iterator[str]:
            raw, _, query = self.path.partition("?")
            uri = unquote(raw, errors="strict")
            if uri in ("/health", "/pjsip/findings", "/openapi.json"):  # one view only
                yield uri if uri.endswith(".json") else uri + ".json"
                return
            if uri in ("/", "/index.html"):
                yield "/index.html"
                return
            if uri.startswith("/browse/"):
                yield uri
                return
            view = VIEW_TREES.get(parse_qs(query).get("view", [""])[0])
            if view is None or uri.startswith(("/_", "/.")):
                return
            if uri in mapped:
                yield view + mapped[uri]
            elif uri.rpartition("/")[2].startswith(paths.ENCODED_PREFIX):
                return  # a stored file name, no id
            yield view + uri + ".json"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            for candidate in self._candidates():
                target = os.path.realpath(str(outdir) + candidate)
                if target.startswith(str(outdir) + os.sep) and os.path.isfile(target):
                    return self._send(200, Path(target).read_bytes(), target)
            self._send(404, (outdir / paths.error_file(404)).read_bytes(), "x.json")

        def _send(self, status: int, data: bytes, name: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/html" if name.endswith(".html") else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


class StaticServer:
    def __init__(self, outdir: Path) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(outdir.resolve()))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> "StaticServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
