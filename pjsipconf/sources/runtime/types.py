"""Plain data produced by the runtime bridge: what a running Asterisk says about contacts and devices.

Everything here is frozen. A `RuntimeState` is one answer of the bridge: the data of the last
successful fetch (kept for a while after failures), plus whether the latest attempt worked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping


@dataclass(frozen=True, slots=True)
class ContactRow:
    """One `Contact:` line of `pjsip show contacts`: permanent and registered contacts alike.

    The CLI prints only the first 10 hex digits of the id's md5 part and cuts long URIs to its
    column width, so (aor, hash) is the key that joins a row with a stored contact.
    """

    aor: str
    uri: str  # as printed: may be cut short (see `uri_complete`)
    hash: str  # the 10 hex characters printed
    status: str  # short label: Avail, Unavail, NonQual, Unknown, Removed
    rtt_ms: str  # as printed: "nan" unless Avail

    @property
    def key(self) -> tuple[str, str]:
        return (self.aor, self.hash)

    @property
    def uri_complete(self) -> bool:
        """False when the CLI cut the URI to its column width (its md5 no longer matches the hash)."""
        return hashlib.md5(self.uri.encode("utf-8")).hexdigest().startswith(self.hash)


@dataclass(frozen=True, slots=True)
class RegisteredContact:
    """A contact stored by the registrar (`database show registrar`), with its CLI status."""

    aor: str
    uri: str
    id: str  # "<aor>;@<md5 of uri>"
    status: str  # from `pjsip show contacts`; "Unknown" when the listing did not show it
    rtt_ms: str
    details: Mapping[str, str]  # the stored JSON fields, names in strcmp order (as `pjsip show contact`)

    @property
    def hash(self) -> str:
        return self.id.rsplit("@", 1)[-1][:10]


@dataclass(frozen=True, slots=True)
class EndpointRow:
    """One `Endpoint:` line of `pjsip show endpoints`, its name as printed.

    The CLI prints `<id>/<callerid number>` when the endpoint has a caller id number and cuts the
    name to its column (51 characters), so only the configured ids tell which endpoint a row is
    (`parse.endpoints_by_id`).
    """

    name: str
    device_state: str
    active_channels: int
    fills_column: bool  # the name reaches the state column: it may have been cut


@dataclass(frozen=True, slots=True)
class EndpointState:
    """An endpoint's device state and channel count, from `pjsip show endpoints` or derived offline."""

    endpoint: str
    device_state: str  # ast_devstate2str: "Not in use", "Unavailable", "In use", ...
    active_channels: int
    derived: bool  # True: worked out from the configuration as an idle Asterisk would


@dataclass(frozen=True)
class RuntimeState:
    """What the bridge knows about the running Asterisk.

    `available` says whether the latest attempt worked; when it did not, `error` says why and the
    data of the last good fetch is still here (until it is older than the bridge's `keep_for`,
    then `expired` is set and the data is dropped). `fetched_at` is always the time of the last
    good fetch, so `age_seconds()` gives the age of the last good data even after it expired.
    """

    available: bool
    fetched_at: datetime | None
    error: str = ""
    contacts: tuple[RegisteredContact, ...] = ()  # in `pjsip show contacts` order
    # Keyed by endpoint id: the parser's reading of the rows until `merge_runtime` names them by
    # the configured ids (rows of long or `/`-holding ids cannot be read without them).
    endpoints: Mapping[str, EndpointState] = field(default_factory=dict)
    problems: tuple[str, ...] = ()  # lines the parsers could not use, truncated output, ...
    rows: tuple[ContactRow, ...] = ()  # every `pjsip show contacts` row (permanent ones too)
    endpoint_rows: tuple[EndpointRow, ...] = ()  # every `pjsip show endpoints` row, in listing order
    attempted_at: datetime | None = None  # when the latest attempt ran
    expired: bool = False  # the last good data was older than keep_for and was dropped

    def age_seconds(self, now: datetime) -> float | None:
        """Seconds since the last good fetch; None when no fetch ever worked."""
        if self.fetched_at is None:
            return None
        return max(0.0, (now - self.fetched_at).total_seconds())

    @property
    def has_data(self) -> bool:
        """True when this state carries runtime data (fresh, or kept from the last good fetch)."""
        return self.fetched_at is not None and not self.expired
