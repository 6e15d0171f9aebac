"""URL <-> file mapping of the static output, and the reversible filesystem-safe encoding of ids.

A plain id (letters, digits and `_ @ + = , ; : - .`, not starting with `.`, at most 150
characters) is its own file name, so a web server finds `/pjsip/aors/6001` as
`pjsip/aors/6001.json` straight from the decoded URL. Any other id (with `/`, `..`, spaces,
non-ASCII, or long) is written as `~` + the hex of its UTF-8 bytes, cut into 200-character
directory levels: reversible, never `.`/`..`, never longer than a file name may be, and never
equal to a plain name (those cannot start with `~`). The nginx snippet maps those few ids
explicitly.
"""

from __future__ import annotations

import re

PLAIN_ID = re.compile(r"[A-Za-z0-9_@+=,;:-][A-Za-z0-9_.@+=,;:-]{0,149}\Z")
ENCODED_PREFIX = "~"
CHUNK = 200
SUFFIX = ".json"
VIEW_ROOT = "_view"  # `?view=asterisk` documents live under _view/asterisk/<same path>
ERRORS_DIR = "_errors"
MANIFEST = ".pjsipconf-manifest.json"
NGINX_SNIPPET = "_nginx/pjsipconf.conf"


def is_plain(object_id: str) -> bool:
    return PLAIN_ID.match(object_id) is not None


def encode_id(object_id: str) -> str:
    """The relative file stem of an id (may contain `/` for long encoded ids)."""
    if is_plain(object_id):
        return object_id
    encoded = ENCODED_PREFIX + object_id.encode("utf-8", "surrogatepass").hex()
    return "/".join(encoded[i : i + CHUNK] for i in range(0, len(encoded), CHUNK))


def decode_id(stem: str) -> str:
    """The inverse of `encode_id`."""
    if not stem.startswith(ENCODED_PREFIX):
        return stem
    return bytes.fromhex(stem.replace("/", "")[len(ENCODED_PREFIX) :]).decode("utf-8", "surrogatepass")


def view_prefix(view: str) -> str:
    return "" if view == "api" else f"{VIEW_ROOT}/{view}/"


def list_file(collection: str, view: str = "api") -> str:
    return f"{view_prefix(view)}pjsip/{collection}{SUFFIX}"


def detail_file(collection: str, object_id: str, view: str = "api") -> str:
    return f"{view_prefix(view)}pjsip/{collection}/{encode_id(object_id)}{SUFFIX}"


def extra_file(route: str) -> str:
    """`pjsip/findings` -> `pjsip/findings.json`, `health` -> `health.json`."""
    return route if route.endswith(SUFFIX) else route + SUFFIX


def error_file(status: int) -> str:
    return f"{ERRORS_DIR}/{status}{SUFFIX}"
