"""The OpenAPI 3 description of the API, served at /openapi.json and shipped in the static output."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pjsipconf import __version__
from pjsipconf.api.contract import (
    COLLECTIONS,
    CONTRACT_KEYS,
    CONTRACT_NUMBERS,
)
from pjsipconf.api.envelope import API_VERSION, encode_json

_DESCRIPTIONS = {
    "endpoint": "PJSIP endpoints with the contract's 116 fields",
    "aor": "AORs with their contacts and referencing endpoints",
    "auth": "auths (secrets redacted unless the server was started with --show-secrets)",
    "contact": "permanent contacts (aor contact=), registrations a realtime table keeps and registered ones from the runtime bridge",
}


def _contract_schema(type_: str) -> dict[str, Any]:
    keys = CONTRACT_KEYS[type_]
    numbers = CONTRACT_NUMBERS[type_]
    return {
        "type": "object",
        "description": f"{_DESCRIPTIONS[type_]}; keys in this order.",
        "required": list(keys),
        "additionalProperties": False,
        "properties": {key: {"type": "integer" if key in numbers else "string"} for key in keys},
    }


def _envelope(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["api_ver", "timestamp", "statuscode", "result"],
        "properties": {
            "api_ver": {"type": "string", "enum": [API_VERSION]},
            "timestamp": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$"},
            "statuscode": {"type": "integer", "enum": [200]},
            "result": result,
        },
    }


def _list_of(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": ["list"], "properties": {"list": {"type": "array", "items": item}}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERRORS = {
    "400": "empty id, malformed percent-escape or unknown view",
    "401": "missing or wrong bearer token (only when the server has a token)",
    "404": "unknown id or unknown route",
    "405": "method other than GET, HEAD, OPTIONS (the Allow header lists them)",
}

_VIEW_PARAMETER = {
    "name": "view",
    "in": "query",
    "required": False,
    "description": "asterisk: every option under Asterisk's names as `pjsip show` prints it; "
    "explain: each option's value and where it came from",
    "schema": {"type": "string", "enum": ["asterisk", "explain"]},
}


def _operation(summary: str, ok: dict[str, Any], with_view: bool, with_id: bool) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = []
    if with_id:
        parameters.append(
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
             "description": "the object id, percent-encoded (a contact id `a;@h` as `a%3B%40h`)"}
        )
    if with_view:
        parameters.append(_VIEW_PARAMETER)
    responses = {"200": ok, "304": {"description": "not modified (If-None-Match matched the ETag)"}}
    responses.update({code: {"$ref": "#/components/responses/Error"} for code in _ERRORS})
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


def _item_schema(type_: str) -> dict[str, Any]:
    if type_ in CONTRACT_KEYS:
        return {"$ref": f"#/components/schemas/{type_}"}
    return {
        "type": "object",
        "description": "object_type, object_name, Asterisk's options as printed (a list when printed "
        "on several lines), tm_update",
        "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    }


def openapi_document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for type_, collection in COLLECTIONS.items():
        item = _item_schema(type_)
        paths[f"/pjsip/{collection}"] = _operation(
            f"every {type_}, ordered by id", _json(_envelope(_list_of(item)), f"{type_} list"), True, False
        )
        paths[f"/pjsip/{collection}/{{id}}"] = _operation(
            f"one {type_}", _json(_envelope(item), f"one {type_}"), True, True
        )
    paths["/pjsip/findings"] = _operation(
        "the check results", _json(_envelope(_list_of({"$ref": "#/components/schemas/finding"})), "findings"),
        False, False,
    )
    paths["/health"] = _operation(
        "when the view was built, from which sources, runtime bridge status, last rebuild error",
        _json(_envelope({"type": "object"}), "health"), False, False,
    )
    schemas: dict[str, Any] = {type_: _contract_schema(type_) for type_ in CONTRACT_KEYS}
    schemas["finding"] = {
        "type": "object",
        "properties": {
            "rule": {"type": "string"}, "severity": {"type": "string"},
            "file": {"type": "string"}, "line": {"type": "integer"},
            "column": {"type": "integer"}, "object_type": {"type": ["string", "null"]},
            "object_id": {"type": ["string", "null"]}, "message": {"type": "string"},
        },
    }
    schemas["error"] = {
        "type": "object",
        "required": ["api_ver", "timestamp", "statuscode", "error"],
        "properties": {
            "api_ver": {"type": "string"},
            "timestamp": {"type": "string"},
            "statuscode": {"type": "integer"},
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
            },
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "pjsipconf PJSIP API",
            "version": f"{API_VERSION} (pjsipconf {__version__})",
            "description": "The effective Asterisk PJSIP configuration, read offline. Every response "
            "carries CORS headers; a server started with --token wants `Authorization: Bearer <token>`.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {"Error": _json({"$ref": "#/components/schemas/error"}, "error envelope")},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@lru_cache(maxsize=1)
def openapi_bytes() -> bytes:
    return encode_json(openapi_document())
