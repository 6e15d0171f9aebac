"""The Flask app: routes, envelope, errors, HEAD, ETag/304, token, CORS (API.md)."""

from __future__ import annotations

import json
import re

import pytest
from flask.testing import FlaskClient

from pjsipconf.api.documents import build_documents
from pjsipconf.api.envelope import now_timestamp
from pjsipconf.api.web import FixedView, create_app
from pjsipconf.conf import MemoryReader
from pjsipconf.model.build import build_snapshot
from tests.api.helpers import make_object, make_snapshot, small_pbx

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$")
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "x-requested-with, content-type, accept, origin, authorization",
    "Access-Control-Max-Age": "86400",
}
CONTACT_ID = "1001;@0b1e6b0ef7d4b8a0b6e3c1f00c1a2b3c"


def _snapshot():
    base = small_pbx()
    extra = [
        make_object("aor", "a/b"),
        make_object("aor", "../../etc/passwd"),
        make_object("aor", "sp ace"),
        make_object("aor", "ünï"),
    ]
    objects = [obj for objs in base.objects.values() for obj in objs.values()] + extra
    from pjsipconf.model.types import Contact

    registered = Contact(CONTACT_ID, "1001", "sip:1001@192.0.2.5:5060", "dynamic", "Avail", "0.259",
                         {"endpoint": "1001", "expiration_time": "1795689301", "via_addr": "192.0.2.5",
                          "via_port": "5060", "user_agent": "Phone/1.0", "qualify_frequency": "30",
                          "qualify_timeout": "3.000000", "authenticate_qualify": "no"})
    return make_snapshot(objects, contacts=base.contacts + (registered,))


@pytest.fixture(params=[True, False], ids=["fast-path", "flask-only"])
def client(request: pytest.FixtureRequest) -> FlaskClient:
    """Both ways through the app: the WSGI fast path in front of Flask, and Flask alone."""
    documents = build_documents(_snapshot(), now=now_timestamp())
    return create_app(FixedView(documents), fast_path=request.param).test_client()


def _assert_cors(response) -> None:
    for name, value in CORS.items():
        assert response.headers.get(name) == value, name


def test_list_envelope_and_order(client: FlaskClient) -> None:
    response = client.get("/pjsip/aors")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    _assert_cors(response)
    body = json.loads(response.data)
    assert list(body) == ["api_ver", "timestamp", "statuscode", "result"]
    assert body["api_ver"] == "0.1" and body["statuscode"] == 200
    assert TIMESTAMP.match(body["timestamp"])
    ids = [item["object_name"] for item in body["result"]["list"]]
    assert ids == sorted(ids, key=lambda i: i.encode()) and "ünï" in ids


def test_detail_and_empty_list(client: FlaskClient) -> None:
    body = json.loads(client.get("/pjsip/endpoints/1001").data)
    assert body["result"]["object_name"] == "1001"
    assert json.loads(client.get("/pjsip/registrations").data)["result"] == {"list": []}


def _error(response, status: int) -> dict:
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    _assert_cors(response)
    body = json.loads(response.data)
    assert list(body) == ["api_ver", "timestamp", "statuscode", "error"]
    assert body["statuscode"] == status and body["error"]["code"] == status
    assert body["error"]["message"]
    return body


@pytest.mark.parametrize("path", ["/pjsip/aors/", "/pjsip/endpoints/"])
def test_empty_id_is_400(client: FlaskClient, path: str) -> None:
    _error(client.get(path), 400)


@pytest.mark.parametrize("path", ["/pjsip/aors/10%zz", "/pjsip/aors/%", "/pjsip/aors/x%4", "/pjsip/aors/%ff%fe"])
def test_malformed_percent_escape_is_400(client: FlaskClient, path: str) -> None:
    _error(client.get(path), 400)


@pytest.mark.parametrize("path", ["/pjsip/aors/nope", "/pjsip/nothing", "/browse/", "/pjsip", "/pjsip/", "/favicon.ico"])
def test_unknown_id_or_route_is_json_404(client: FlaskClient, path: str) -> None:
    _error(client.get(path), 404)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_other_methods_are_405_with_allow(client: FlaskClient, method: str) -> None:
    response = client.open("/pjsip/aors", method=method)
    _error(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


def test_options_is_empty_200_with_cors(client: FlaskClient) -> None:
    for path in ("/pjsip/aors", "/pjsip/aors/1001", "/no/such/route"):
        response = client.options(path)
        assert response.status_code == 200 and response.data == b""
        assert "Content-Type" not in response.headers
        _assert_cors(response)


def test_percent_decoded_ids(client: FlaskClient) -> None:
    encoded = CONTACT_ID.replace(";", "%3B").replace("@", "%40")
    body = json.loads(client.get(f"/pjsip/contacts/{encoded}").data)
    assert body["result"]["id"] == CONTACT_ID
    assert body["result"]["round_trip_usec"] == "259" and body["result"]["status"] == "Reachable"
    assert body["result"]["via_address"] == "192.0.2.5:5060"
    assert json.loads(client.get("/pjsip/aors/a%2Fb").data)["result"]["object_name"] == "a/b"
    assert json.loads(client.get("/pjsip/aors/sp%20ace").data)["result"]["object_name"] == "sp ace"
    assert json.loads(client.get("/pjsip/aors/%C3%BCn%C3%AF").data)["result"]["object_name"] == "ünï"


def test_path_traversal_never_escapes(client: FlaskClient) -> None:
    _error(client.get("/pjsip/../health"), 404)
    _error(client.get("/pjsip/aors/..%2F..%2Fhealth"), 404)
    # A real object whose id looks like a traversal is just an id.
    body = json.loads(client.get("/pjsip/aors/..%2F..%2Fetc%2Fpasswd").data)
    assert body["result"]["object_name"] == "../../etc/passwd"


def test_head_has_headers_and_no_body(client: FlaskClient) -> None:
    get = client.get("/pjsip/endpoints/1001")
    head = client.head("/pjsip/endpoints/1001")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Length"] == get.headers["Content-Length"] == str(len(get.data))
    _assert_cors(head)


def test_etag_and_if_none_match(client: FlaskClient) -> None:
    first = client.get("/pjsip/aors/1001")
    etag = first.headers["ETag"]
    again = client.get("/pjsip/aors/1001", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    _assert_cors(again)
    listed = client.get("/pjsip/aors/1001", headers={"If-None-Match": f'"other", {etag}'})
    assert listed.status_code == 304
    assert client.get("/pjsip/aors/1001", headers={"If-None-Match": '"stale"'}).status_code == 200
    assert client.get("/pjsip/aors/1002").headers["ETag"] != etag


@pytest.mark.parametrize("fast_path", [True, False])
def test_token_guards_every_request(fast_path: bool) -> None:
    documents = build_documents(small_pbx(), now=now_timestamp())
    client = create_app(FixedView(documents), token="t0k3n", fast_path=fast_path).test_client()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "t0k3n"}, {"Authorization": "Basic t0k3n"}):
        response = client.get("/pjsip/endpoints", headers=headers)
        body = _error(response, 401)
        assert "token" in body["error"]["message"]
    _error(client.get("/nothing/here"), 401)  # no route discovery without the token
    for scheme in ("Bearer", "bearer", "BEARER"):  # the scheme name is case-insensitive
        ok = client.get("/pjsip/endpoints", headers={"Authorization": f"{scheme} t0k3n"})
        assert ok.status_code == 200
    assert client.options("/pjsip/endpoints").status_code == 200  # CORS preflights carry no credentials


def test_views(client: FlaskClient) -> None:
    asterisk = json.loads(client.get("/pjsip/endpoints/1001?view=asterisk").data)["result"]
    assert "callerid" in asterisk and "caller_id" not in asterisk and "tm_update" not in asterisk
    explain = json.loads(client.get("/pjsip/endpoints/1001?view=explain").data)["result"]
    assert explain["options"]["aors"]["value"] == "1001"
    assert explain["options"]["aors"]["lines"][0]["line"] == 2
    listed = json.loads(client.get("/pjsip/auths?view=asterisk").data)["result"]["list"]
    assert [a["username"] for a in listed] == ["1001", "1002", "spare"]
    _error(client.get("/pjsip/auths?view=bogus"), 400)


def test_secrets_redacted_unless_opted_in() -> None:
    for show, expected in ((False, "********"), (True, "s3cret-1001")):
        from pjsipconf.api.documents import BuildOptions

        documents = build_documents(small_pbx(), options=BuildOptions(show_secrets=show), now=now_timestamp())
        client = create_app(FixedView(documents)).test_client()
        assert json.loads(client.get("/pjsip/auths/1001").data)["result"]["password"] == expected
        assert json.loads(client.get("/pjsip/auths/1001?view=asterisk").data)["result"]["password"] == expected
        explained = json.loads(client.get("/pjsip/auths/1001?view=explain").data)["result"]["options"]["password"]
        assert explained["value"] == expected and expected in explained["lines"][0]["text"]
        # An empty secret stays empty.
        assert json.loads(client.get("/pjsip/auths/spare").data)["result"]["password"] == ""


def test_secrets_hidden_wherever_they_show() -> None:
    """md5_cred and password_digest share a field: md5_cred's (empty) entry shows the
    password_digest line; a phoneprov's variables share one, so every entry shows every line; and
    option names match in any case (`PASSWORD=`, printed as written by a phoneprov)."""
    digest = "SHA-256:2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"
    snapshot = make_snapshot([
        make_object("auth", "d", username="u", password_digest=digest),
        make_object("auth", "caps", username="u", PASSWORD="loud-secret"),
        make_object("phoneprov", "low", MAC="000000000001", PROFILE="p", password="phone-secret"),
        make_object("phoneprov", "up", MAC="000000000002", PROFILE="p", PASSWORD="phone-secret"),
        make_object("phoneprov", "line", MAC="000000000003", PROFILE="p", SECRET="phone-secret"),  # the line password
    ])
    client = create_app(FixedView(build_documents(snapshot, now=now_timestamp()))).test_client()
    paths = ("/pjsip/auths/d", "/pjsip/auths/caps", "/pjsip/phoneprovs/low", "/pjsip/phoneprovs/up", "/pjsip/phoneprovs/line")
    for path in (path + view for path in paths for view in ("", "?view=asterisk", "?view=explain")):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.data.decode()
        assert not any(secret in body for secret in ("2bb80d53", "loud-secret", "phone-secret")), path
    options = json.loads(client.get("/pjsip/auths/d?view=explain").data)["result"]["options"]
    assert options["md5_cred"]["value"] == "" and options["md5_cred"]["lines"][0]["text"] == "password_digest=********"



def test_a_secret_appended_with_plus_equals_is_hidden_in_every_line() -> None:
    text = b"[a]\ntype=auth\nusername=u\npassword=first-half\npassword+=second-half\n"
    snapshot = build_snapshot("/etc/asterisk", reader=MemoryReader({"/etc/asterisk/pjsip.conf": text}))
    client = create_app(FixedView(build_documents(snapshot, now=now_timestamp()))).test_client()
    body = client.get("/pjsip/auths/a?view=explain").data.decode()
    assert "first-half" not in body and "second-half" not in body
    lines = json.loads(body)["result"]["options"]["password"]["lines"]
    assert [line["text"] for line in lines] == ["password=********", "password+=********"]

def test_openapi_health_findings(client: FlaskClient) -> None:
    spec = json.loads(client.get("/openapi.json").data)
    assert spec["openapi"].startswith("3.") and "/pjsip/endpoints/{id}" in spec["paths"]
    assert json.loads(client.get("/pjsip/findings").data)["result"] == {"list": []}
    # FixedView documents carry no health document; the live view adds one (tests/api/test_live.py).
    _error(client.get("/health"), 404)


def test_responses_match_the_openapi_schemas(client: FlaskClient) -> None:
    from jsonschema import Draft202012Validator

    spec = json.loads(client.get("/openapi.json").data)
    schemas = spec["components"]["schemas"]
    for type_, collection in (("endpoint", "endpoints"), ("aor", "aors"), ("auth", "auths"), ("contact", "contacts")):
        validator = Draft202012Validator(schemas[type_])
        items = json.loads(client.get(f"/pjsip/{collection}").data)["result"]["list"]
        assert items
        for item in items:
            validator.validate(item)
    error = json.loads(client.get("/pjsip/aors/nope").data)
    Draft202012Validator(schemas["error"]).validate(error)


def test_findings_route_lists_check_results() -> None:
    from pjsipconf.check.types import Finding

    finding = Finding("S101", "warning", "pjsip.conf", 12, 1, "auth", "1001", "weak password")
    documents = build_documents(small_pbx(), findings=[finding], now=now_timestamp())
    listed = json.loads(create_app(FixedView(documents)).test_client().get("/pjsip/findings").data)["result"]["list"]
    assert listed == [{"rule": "S101", "severity": "warning", "file": "pjsip.conf", "line": 12, "column": 1,
                       "object_type": "auth", "object_id": "1001", "message": "weak password"}]


def test_raw_path_of_servers_and_mounts() -> None:
    from pjsipconf.api.web import raw_path

    assert raw_path({"REQUEST_URI": "/pjsip/aors/a%2Fb?view=asterisk"}) == "/pjsip/aors/a%2Fb"
    assert raw_path({"REQUEST_URI": "http://pbx:8081/pjsip/aors/x%3B%40y"}) == "/pjsip/aors/x%3B%40y"
    assert raw_path({"REQUEST_URI": "/api/pjsip/aors", "SCRIPT_NAME": "/api"}) == "/pjsip/aors"
    # Without the raw URI (some WSGI servers), the decoded path is quoted again.
    assert raw_path({"PATH_INFO": "/pjsip/contacts/a;@b c"}) == "/pjsip/contacts/a;@b%20c"


@pytest.mark.parametrize("fast_path", [True, False])
def test_browse_pages_are_served_as_html_when_asked(fast_path: bool) -> None:
    """`/`, `/index.html`, `/browse/<type>.html`: the static build's browse pages, from the server
    too with `browse` (serve --browse); otherwise they are unknown routes, JSON 404s."""
    documents = build_documents(_snapshot(), now=now_timestamp())
    for path in ("/", "/index.html", "/browse/aors.html"):
        _error(create_app(FixedView(documents), fast_path=fast_path).test_client().get(path), 404)
    client = create_app(FixedView(documents), fast_path=fast_path, browse=True).test_client()
    index = client.get("/")
    assert index.status_code == 200 and index.headers["Content-Type"] == "text/html; charset=utf-8"
    _assert_cors(index)
    assert b'href="/browse/aors.html"' in index.data
    assert client.get("/index.html").data == index.data
    page = client.get("/browse/aors.html")
    assert page.status_code == 200 and b'href="/pjsip/aors/a%2Fb"' in page.data
    missing = client.get("/browse/nope.html")
    assert missing.status_code == 404 and missing.headers["Content-Type"] == "application/json"


def test_the_fast_path_sends_a_small_document_in_one_piece_and_a_big_one_in_parts(monkeypatch) -> None:
    """waitress writes each piece of a response on its own; for single objects one piece served
    about three times the requests under concurrent clients (bench/serve.py)."""
    import pjsipconf.api.web as web

    documents = build_documents(_snapshot(), now=now_timestamp())
    app = create_app(FixedView(documents))
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/pjsip/endpoints/1001", "QUERY_STRING": ""}
    small = app.wsgi_app(dict(environ), lambda status, headers: None)
    assert len(small) == 1 and json.loads(small[0])["statuscode"] == 200
    monkeypatch.setattr(web, "JOIN_LIMIT", 10)
    big = app.wsgi_app(dict(environ), lambda status, headers: None)
    assert len(big) > 1 and b"".join(big)[:20] == small[0][:20]
