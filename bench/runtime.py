"""Benchmark: parsing the runtime bridge's CLI output for 10,000 registered contacts.

    .venv/bin/python bench/runtime.py [CONTACTS]

Generates `database show registrar` and `pjsip show contacts` output in Asterisk 22's formats
(main/db.c, res_pjsip/location.c) and times parsing both, plus joining them into a RuntimeState.
Target: under 1 s for 10,000 contacts. Run by hand; prints the best of 3 runs and the ratio to the target.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from datetime import datetime, timezone

from pjsipconf.sources.runtime.assemble import (
    CONTACTS_COMMAND,
    ENDPOINTS_COMMAND,
    REGISTRAR_COMMAND,
    assemble_state,
)
from pjsipconf.sources.runtime.parse import parse_contacts, parse_registrar

TARGET_SECONDS = 1.0
HEADER = (
    "\n  Contact:  <Aor/ContactUri..............................> <Hash....> <Status> <RTT(ms)..>\n"
    + "=" * 90
    + "\n\n"
)


def _contact(n: int) -> tuple[str, str, str]:
    aor = f"{1000 + n // 2}"  # two phones per aor
    uri = f"sip:{aor}@10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}:{5060 + n % 2};transport=udp"
    return aor, uri, hashlib.md5(uri.encode()).hexdigest()


def registrar_text(count: int) -> str:
    lines = []
    for n in range(count):
        aor, uri, digest = _contact(n)
        fields = {
            "via_addr": uri.split("@")[1].split(":")[0], "qualify_timeout": "3.000000", "qualify_2xx_only": "false",
            "call_id": f"{n}-bench@10.0.0.1", "reg_server": "", "prune_on_boot": "no", "path": "", "endpoint": aor,
            "via_port": uri.split(":")[2].split(";")[0], "authenticate_qualify": "no", "uri": uri,
            "qualify_frequency": "60", "user_agent": f"BenchPhone/1.{n % 10}", "expiration_time": "1795689301",
            "outbound_proxy": "",
        }
        key = f"/registrar/contact/{aor};@{digest}"
        lines.append(f"{key:<50s}: {json.dumps(fields, separators=(',', ':')):<25s}\n")
    return "".join(lines) + f"{count} results found.\n"


def contacts_text(count: int) -> str:
    rows = []
    for n in range(count):
        aor, uri, digest = _contact(n)
        width = 62 - 11 - 9 - len(aor) + 1  # the CLI's flex width for the uri column
        status, rtt = ("Avail", 12.345) if n % 3 else ("Unavail", float("nan"))
        rows.append((f"{aor}/{uri}", f"  Contact:  {aor}/{uri:<{width}.{width}s} {digest[:10]:<10.10s} {status:<7.7s} {rtt:11.3f}\n"))
    rows.sort()
    return HEADER + "".join(line for _, line in rows) + f"\nObjects found: {count}\n\n"


def _timed(func, *args, repeat: int = 3):
    """The result and the best of `repeat` wall-clock timings (the machine may be busy)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - started)
    return result, best


def main(count: int) -> None:
    registrar, contacts = registrar_text(count), contacts_text(count)
    parsed_registrar, t_registrar = _timed(parse_registrar, registrar)
    parsed_contacts, t_contacts = _timed(parse_contacts, contacts)
    assert len(parsed_registrar.contacts) == count and len(parsed_contacts.rows) == count
    outputs = {REGISTRAR_COMMAND: registrar, CONTACTS_COMMAND: contacts, ENDPOINTS_COMMAND: "No objects found.\n\n"}
    state, t_state = _timed(assemble_state, outputs, datetime.now(timezone.utc))
    assert len(state.contacts) == count and not state.problems, state.problems[:3]
    parse_both = t_registrar + t_contacts
    print(f"contacts: {count}  ({len(registrar) / 1e6:.1f} MB registrar, {len(contacts) / 1e6:.1f} MB show contacts)")
    print(f"parse database show registrar: {t_registrar * 1000:8.1f} ms")
    print(f"parse pjsip show contacts:     {t_contacts * 1000:8.1f} ms")
    print(f"parse both:                    {parse_both * 1000:8.1f} ms  = {parse_both / TARGET_SECONDS:.3f} of the 1 s target")
    print(f"assemble RuntimeState (parse + join): {t_state * 1000:8.1f} ms  = {t_state / TARGET_SECONDS:.3f} of the target")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
