"""The response envelope of API.md: timestamps, success and error bodies, CORS headers.

A success body is `HEAD + timestamp + MIDDLE + result + "}"`: the result is rendered to bytes once
per build and only the 30-byte timestamp is spliced in per response, so serving never re-encodes
or copies JSON.
"""

from __future__ import annotations

import json
import time
from functools import lru_cache
from datetime import datetime, timezone

API_VERSION = "0.1"

CORS_HEADERS: tuple[tuple[str, str], ...] = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, OPTIONS"),
    ("Access-Control-Allow-Headers", "x-requested-with, content-type, accept, origin, authorization"),
    ("Access-Control-Max-Age", "86400"),
)
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
JSON_CONTENT_TYPE = "application/json"

SUCCESS_HEAD = b'{"api_ver": "0.1", "timestamp": "'
SUCCESS_MIDDLE = b'", "statuscode": 200, "result": '


def format_timestamp(ns_since_epoch: int) -> str:
    """`YYYY-MM-DDTHH:MM:SS.<9 digits>Z` in UTC (nanoseconds zero-padded, unlike the original API)."""
    seconds, nanos = divmod(ns_since_epoch, 1_000_000_000)
    return f"{_seconds_part(seconds)}.{nanos:09d}Z"


@lru_cache(maxsize=4)
def _seconds_part(seconds: int) -> str:
    # Cached: every response needs a timestamp and most of them fall within the same second.
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def timestamp_of(moment: datetime) -> str:
    """The API timestamp of an aware (or naive UTC) datetime, microsecond precision padded to 9 digits."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    whole = int(moment.timestamp())
    return format_timestamp(whole * 1_000_000_000 + moment.microsecond * 1000)


def now_timestamp() -> str:
    return format_timestamp(time.time_ns())


def encode_json(value: object) -> bytes:
    """The one JSON encoding of the API (Python's default separators, ASCII-safe)."""
    return json.dumps(value, ensure_ascii=True).encode("ascii")


def error_body(status: int, message: str, timestamp: str) -> bytes:
    """`{"api_ver", "timestamp", "statuscode", "error": {"code", "message"}}` (no `result`)."""
    return encode_json(
        {
            "api_ver": API_VERSION,
            "timestamp": timestamp,
            "statuscode": status,
            "error": {"code": status, "message": message},
        }
    )
