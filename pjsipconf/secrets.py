"""Values nobody sees unless the operator opts in: the options that hold secrets (in any type,
names compared in lower case; phoneprov's `SECRET` is the phone's SIP password, which the
provider also copies from the endpoint's auth) and the mask shown in their place, in findings
and API documents."""

from __future__ import annotations

from typing import Final

SECRET_OPTIONS: Final[frozenset[str]] = frozenset(
    {"password", "md5_cred", "password_digest", "oauth_secret", "refresh_token", "secret"}
)
REDACTED: Final[str] = "********"
