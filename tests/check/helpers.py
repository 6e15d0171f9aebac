"""Building Snapshots for the check tests from pjsip.conf text, with the real parser and model."""

from __future__ import annotations

from datetime import datetime, timezone

from pjsipconf.check import CheckSettings, Finding, run_checks
from pjsipconf.conf import MemoryReader, parse
from pjsipconf.model.types import Snapshot

CONFIG_DIR = "/etc/asterisk"


def reader_for(files: dict[str, str]) -> MemoryReader:
    return MemoryReader({f"{CONFIG_DIR}/{name}": text.encode() for name, text in files.items()})


def parsed_snapshot(text: str, **files: str) -> Snapshot:
    """A Snapshot holding only the parse of pjsip.conf (for rules that read nothing else)."""
    reader = reader_for({"pjsip.conf": text, **{name.replace("__", "/"): body for name, body in files.items()}})
    config = parse(f"{CONFIG_DIR}/pjsip.conf", config_dir=CONFIG_DIR, reader=reader)
    return Snapshot(datetime.now(timezone.utc), "22", CONFIG_DIR, objects={}, config=config)


def built_snapshot(text: str, **files: str) -> Snapshot:
    """The Snapshot build_snapshot makes of pjsip.conf (plus other files, `conf.d__x.conf` for conf.d/x.conf)."""
    from pjsipconf.model.build import build_snapshot

    reader = reader_for({"pjsip.conf": text, **{name.replace("__", "/"): body for name, body in files.items()}})
    return build_snapshot(CONFIG_DIR, reader=reader)


def findings_of(snapshot: Snapshot, rule: str, **settings: object) -> list[Finding]:
    """The findings of one rule (selected alone, so other rules cannot hide a missing one)."""
    return list(run_checks(snapshot, CheckSettings(select=(rule,), **settings)))  # type: ignore[arg-type]


def lines_of(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(f.file, f.line) for f in findings]
