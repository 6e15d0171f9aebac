"""The Flask app: serves the pre-rendered documents of the current view.

Every request is a dictionary lookup plus a timestamp: the routes of API.md are resolved here from
the raw request URI (so `%2F` inside an id stays part of the id and a malformed escape is a 400),
never through per-route Flask rules.

Production: `waitress-serve --listen=127.0.0.1:8081 --call pjsipconf.api.web:create_app_from_env`
(configured by PJSIPCONF_* environment variables, see `create_app_from_env`).
"""

from __future__ import annotations

import hmac
import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Protocol
from urllib.parse import parse_qs, quote, unquote_to_bytes

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from pjsipconf.api.contract import TYPE_OF_COLLECTION, VIEWS
from pjsipconf.api.documents import Document, Documents, make_etag
from pjsipconf.api.envelope import (
    ALLOWED_METHODS,
    CORS_HEADERS,
    JSON_CONTENT_TYPE,
    error_body,
    now_timestamp,
)
from pjsipconf.api.browse import render_browse
from pjsipconf.api.openapi import openapi_bytes

_ALL_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "TRACE", "CONNECT"]
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_OPENAPI_ETAG = make_etag(openapi_bytes())


class DocumentSource(Protocol):
    """Whatever holds the current view: a fixed one, or a LiveView that rebuilds on change."""

    def current(self) -> Documents: ...


@dataclass(frozen=True)
class FixedView:
    documents: Documents

    def current(self) -> Documents:
        return self.documents


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _headers(extra: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    return [*CORS_HEADERS, *extra]


def error_response(status: int, message: str) -> Response:
    extra = [("Content-Type", JSON_CONTENT_TYPE)]
    if status == 405:
        extra.append(("Allow", ALLOWED_METHODS))
    if status == 401:
        extra.append(("WWW-Authenticate", 'Bearer realm="pjsipconf"'))
    return Response(error_body(status, message, now_timestamp()), status=status, headers=_headers(extra))


def raw_path(environ: dict[str, object]) -> str:
    """The request path exactly as the client sent it (percent-escapes intact)."""
    raw = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if not isinstance(raw, str) or not raw:
        # A server that does not pass the raw URI: re-quote the decoded path (a %2F in an id is lost).
        return quote(str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", "")), safe="/;@:+=,")
    path = raw.split("?", 1)[0]
    if not path.startswith("/") and "://" in path:  # absolute-form request target
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    script = str(environ.get("SCRIPT_NAME", ""))
    if script and path.startswith(script):
        path = path[len(script) :]
    return path


def decode_segment(raw: str) -> str:
    """Percent-decode one piece of the path strictly: malformed escapes and bad UTF-8 are a 400."""
    if _BAD_ESCAPE.search(raw):
        raise ApiError(400, f"malformed percent-escape in {raw!r}")
    try:
        return unquote_to_bytes(raw.encode("latin-1")).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        raise ApiError(400, f"the id in {raw!r} is not valid UTF-8 once decoded") from None


@dataclass(frozen=True)
class Route:
    """What a path asks for: a list, an object, or one of the extra documents."""

    collection: str | None
    object_id: str | None
    extra: str | None = None


def resolve(path: str) -> Route:
    """Map a raw request path onto a route (404 for anything API.md does not define)."""
    if path in ("/health", "/openapi.json", "/pjsip/findings"):
        return Route(None, None, path[1:])
    parts = path.split("/", 3)  # "", "pjsip", collection, raw id (may contain "/")
    if len(parts) < 3 or parts[0] != "" or parts[1] != "pjsip":
        raise ApiError(404, f"no such route: {decode_segment(path)}")
    collection = parts[2]
    if collection not in TYPE_OF_COLLECTION:
        raise ApiError(404, f"no such route: {decode_segment(path)}")
    if len(parts) == 3:
        return Route(collection, None)
    if parts[3] == "":
        raise ApiError(400, f"empty id: /pjsip/{collection}/ needs an object id")
    return Route(collection, decode_segment(parts[3]))


def view_of(query_string: str) -> str:
    """The `view` query parameter (default "api"); an unknown view is a 400."""
    if not query_string:
        return "api"
    view = parse_qs(query_string).get("view", ["api"])[-1] or "api"
    if view not in VIEWS:
        raise ApiError(400, f"unknown view {view!r}: use asterisk or explain")
    return view


def find_document(documents: Documents, environ: dict[str, Any]) -> tuple[list[bytes], str]:
    """(the body in pieces, ETag) of the requested route; ApiError when there is none."""
    route = resolve(raw_path(environ))
    if route.extra == "openapi.json":
        return [openapi_bytes()], _OPENAPI_ETAG
    view = "api" if route.extra else view_of(str(environ.get("QUERY_STRING", "")))
    document = _find(documents, route, view)
    return document.parts(now_timestamp()), document.etag


def if_none_match(header: str | None, etag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2): the opaque tags without their W/ prefix."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    return etag.removeprefix("W/") in {tag.strip().removeprefix("W/") for tag in header.split(",")}


def authorized(header: str | None, token: str | None) -> bool:
    """`Authorization: Bearer <token>`; the scheme name in any case (RFC 9110 section 11.1)."""
    if not token:
        return True
    scheme, _, credentials = (header or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(credentials.encode("utf-8", "replace"), token.encode("utf-8"))


JOIN_LIMIT = 256 * 1024  # bytes: documents up to this size go out as one piece


class DocumentFastPath:
    """WSGI middleware answering GET/HEAD of existing documents straight from the pre-rendered bytes.

    Anything else (errors, OPTIONS, other methods) falls through to the Flask app, which answers
    every route the same way on its own; this only skips Flask's per-request machinery for the
    hot path, so that serving a document costs little more than a dictionary lookup.
    """

    def __init__(self, fallback: Callable[..., Any], source: DocumentSource, token: str | None) -> None:
        self.fallback = fallback
        self.source = source
        self.token = token

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method in ("GET", "HEAD") and authorized(environ.get("HTTP_AUTHORIZATION"), self.token):
            try:
                parts, etag = find_document(self.source.current(), environ)
            except ApiError:
                return self.fallback(environ, start_response)
            if if_none_match(environ.get("HTTP_IF_NONE_MATCH"), etag):
                start_response("304 Not Modified", [*CORS_HEADERS, ("ETag", etag)])
                return []
            length = sum(len(part) for part in parts)
            start_response(
                "200 OK",
                [*CORS_HEADERS, ("Content-Type", JSON_CONTENT_TYPE), ("Content-Length", str(length)), ("ETag", etag)],
            )
            if method == "HEAD":
                return []
            # One write per part is what waitress does: for the small documents of single objects
            # one piece serves about twice the requests under concurrent clients; the big
            # collection documents stay in pieces rather than being copied per request.
            return [b"".join(parts)] if length <= JOIN_LIMIT else parts
        return self.fallback(environ, start_response)


def _find(documents: Documents, route: Route, view: str) -> Document:
    if route.extra is not None:
        document = documents.extras.get(route.extra)
        if document is None:
            raise ApiError(404, f"/{route.extra} is not available")
        return document
    assert route.collection is not None
    document = documents.lookup(route.collection, route.object_id, view)
    if document is None:
        kind = TYPE_OF_COLLECTION[route.collection]
        raise ApiError(404, f"no {kind} with id {route.object_id!r}")
    return document


class BrowsePages:
    """The static build's HTML browse pages (`/`, `/index.html`, `/browse/<type>.html`), rendered
    from the current documents on first request after each rebuild."""

    def __init__(self) -> None:
        self._documents: Documents | None = None
        self._pages: dict[str, bytes] = {}

    def page(self, documents: Documents, path: str) -> bytes | None:
        if documents is not self._documents:
            self._pages = {f"/{name}": html for name, html in render_browse(documents)}
            self._pages["/"] = self._pages["/index.html"]
            self._documents = documents
        return self._pages.get(path)


def _html(body: bytes) -> Response:
    return Response(body, status=200, headers=_headers([("Content-Type", "text/html; charset=utf-8")]))


def _ok(body_parts: list[bytes], etag: str) -> Response:
    if if_none_match(request.headers.get("If-None-Match"), etag):
        return Response(status=304, headers=_headers([("ETag", etag)]))
    length = sum(len(part) for part in body_parts)
    headers = _headers([("Content-Type", JSON_CONTENT_TYPE), ("Content-Length", str(length)), ("ETag", etag)])
    # An iterable body: the big pre-rendered bytes are sent as they are, never copied per request.
    return Response(body_parts, status=200, headers=headers, direct_passthrough=True)


def create_app(
    source: DocumentSource, *, token: str | None = None, fast_path: bool = True, browse: bool = False
) -> Flask:
    """The WSGI app serving `source.current()`; `token` makes every request need `Bearer <token>`.

    `fast_path` puts `DocumentFastPath` in front of Flask (same answers, less work per request).
    `browse` also serves the static build's HTML browse pages (`/`, `/index.html`,
    `/browse/<type>.html`); they are no part of API.md, where every unknown route is a JSON 404.
    """
    app = Flask("pjsipconf.api")
    pages = BrowsePages() if browse else None
    app.url_map.merge_slashes = False
    app.url_map.strict_slashes = False

    def handle(path: str = "") -> Response:
        if request.method == "OPTIONS":
            # CORS preflights carry no credentials, so they are answered without the token.
            response = Response(b"", status=200, headers=_headers())
            del response.headers["Content-Type"]
            return response
        if not authorized(request.headers.get("Authorization"), token):
            return error_response(401, "missing or wrong bearer token (send Authorization: Bearer <token>)")
        if request.method not in ("GET", "HEAD"):
            return error_response(405, f"method {request.method} not allowed: use GET, HEAD or OPTIONS")
        documents = source.current()
        page = pages.page(documents, raw_path(request.environ)) if pages is not None else None
        if page is not None:
            return _html(page)
        try:
            parts, etag = find_document(documents, request.environ)
        except ApiError as exc:
            return error_response(exc.status, exc.message)
        return _ok(parts, etag)

    handle.provide_automatic_options = False  # type: ignore[attr-defined]
    app.add_url_rule("/", "root", handle, methods=_ALL_METHODS)
    app.add_url_rule("/<path:path>", "api", handle, methods=_ALL_METHODS)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:  # e.g. a method no rule lists (PROPFIND)
        status = exc.code or 500
        if status == 405:
            return error_response(405, "method not allowed: use GET, HEAD or OPTIONS")
        return error_response(status, exc.description or exc.name)

    if fast_path:
        app.wsgi_app = DocumentFastPath(app.wsgi_app, source, token)  # type: ignore[method-assign]
    return app


def create_app_from_env() -> Flask:
    """For production WSGI servers: `waitress-serve --call pjsipconf.api.web:create_app_from_env`.

    Reads PJSIPCONF_CONFIG_DIR (default /etc/asterisk), PJSIPCONF_SETTINGS, PJSIPCONF_TOKEN,
    PJSIPCONF_SHOW_SECRETS (1/yes/true), PJSIPCONF_WATCH (default on), PJSIPCONF_OUT,
    PJSIPCONF_CLI (the runtime bridge's command prefix) and PJSIPCONF_BROWSE (the HTML browse
    pages too; default off).
    """
    from pjsipconf.api.assemble import ServeOptions, start_live_view
    from pjsipconf.settings import SettingsError

    def flag(name: str, default: bool) -> bool:
        value = os.environ.get(name)
        return default if value is None else value.strip().lower() in ("1", "yes", "true", "on")

    options = ServeOptions(
        config_dir=os.environ.get("PJSIPCONF_CONFIG_DIR", "/etc/asterisk"),
        settings_path=os.environ.get("PJSIPCONF_SETTINGS") or None,
        show_secrets=flag("PJSIPCONF_SHOW_SECRETS", False),
        watch=flag("PJSIPCONF_WATCH", True),
        out_dir=os.environ.get("PJSIPCONF_OUT") or None,
        cli_prefix=os.environ.get("PJSIPCONF_CLI") or None,
        token=os.environ.get("PJSIPCONF_TOKEN") or None,
    )
    try:
        view = start_live_view(options)
    except (SettingsError, ValueError) as exc:  # bad settings file, badly quoted PJSIPCONF_CLI
        raise SystemExit(f"pjsipconf: {exc}") from None
    return create_app(view, token=view.token, browse=flag("PJSIPCONF_BROWSE", False))
