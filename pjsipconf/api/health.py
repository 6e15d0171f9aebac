"""The `/health` document: when the view was built, from what, the runtime bridge, the last error."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pjsipconf.api.documents import Documents
from pjsipconf.api.envelope import format_timestamp
from pjsipconf.model.types import Snapshot
from pjsipconf.sources.runtime.types import RuntimeState


@dataclass(frozen=True)
class RebuildError:
    at: str  # API timestamp of the failed attempt
    message: str


def runtime_fields(enabled: bool, state: RuntimeState | None) -> dict[str, Any]:
    """Whether the runtime bridge answered, and so where device_state and contacts come from."""
    has_data = state is not None and state.has_data
    return {
        "enabled": enabled,
        "answered": bool(state is not None and state.available),
        "error": state.error if state is not None else "",
        "fetched_at": _api_time(state.fetched_at) if state is not None and state.fetched_at else None,
        "device_state": "runtime" if has_data else "derived",
    }


def _api_time(moment: datetime) -> str:
    """A moment in the API's timestamp format, as `built_at` and the envelope give theirs."""
    return format_timestamp(int(moment.timestamp()) * 1_000_000_000 + moment.microsecond * 1000)


def health_fields(
    snapshot: Snapshot | None,
    documents: Documents | None,
    *,
    runtime_enabled: bool,
    last_error: RebuildError | None,
    watching: bool,
) -> dict[str, Any]:
    """Everything /health reports; `snapshot` None means no build has succeeded yet. A source that
    could not be read (a realtime database down) makes the view "degraded" too: its objects are
    missing."""
    sources_ok = snapshot is None or all(source.ok for source in snapshot.sources)
    if last_error is None:
        status = "ok" if sources_ok else "degraded"
    else:
        status = "degraded" if snapshot is not None else "error"
    out: dict[str, Any] = {
        "status": status,
        "built_at": documents.built_at if documents is not None and snapshot is not None else None,
        "config_dir": snapshot.config_dir if snapshot is not None else None,
        "asterisk_version": snapshot.asterisk_version if snapshot is not None else None,
        "objects": {t: len(objs) for t, objs in snapshot.objects.items()} if snapshot is not None else {},
        "contacts": len(snapshot.contacts) if snapshot is not None else 0,
        "rejected": len(snapshot.rejected) if snapshot is not None else 0,
        "sources": [
            {"kind": s.kind, "name": s.name, "detail": s.detail, "ok": s.ok, "error": s.error}
            for s in (snapshot.sources if snapshot is not None else ())
        ],
        "runtime": runtime_fields(runtime_enabled, snapshot.runtime if snapshot is not None else None),
        "watching": watching,
        "last_error": None if last_error is None else {"at": last_error.at, "message": last_error.message},
    }
    return out
