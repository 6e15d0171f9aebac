"""The settings a refused transport leaves to the next one (res/res_pjsip/config_transport.c).

A transport keeps its socket settings (bind, local_net, the TLS verify flags, method and ciphers)
in a per-thread "temporary state": the first option handler creates it (the `protocol` default
already does, when the object is allocated), the type's apply handler adopts it. Most of these
handlers discard it when their own value is bad; but a transport refused for any other line (a bad
`cos`, an out-of-range `external_signaling_port`, an unknown option, ...) never reaches its apply
handler, and the state stays behind. The next transport of the load starts from it: it binds where
the refused one would have, unless it sets `bind` itself, and its `local_net` lines add to the
refused one's. pjsipconf gives the next transport those values, noting where they came from.
"""

from __future__ import annotations

from typing import Any

from pjsipconf.conf.types import Variable
from pjsipconf.schema import TypeSchema
from pjsipconf.schema.kinds.net import parse_ha_list

# Printed from the temporary state (their to_str handlers read it), so they travel with it.
STATE_FIELDS = ("bind", "local_net", "verify_server", "verify_client", "require_client_cert",
                "allow_wildcard_certs", "method", "cipher")
# Handlers that discard the temporary state when they refuse a value (remove_temporary_state).
DISCARDING = frozenset({"protocol", "bind", "ca_list_file", "ca_list_path", "cert_file", "priv_key_file",
                        "verify_server", "verify_client", "require_client_cert", "allow_wildcard_certs",
                        "method", "cipher", "local_net", "tos"})

Leftover = tuple[str, dict[str, Any]]  # the refused transport's id, its state fields (diff state)


def left_behind(
    transport_id: str, type_schema: TypeSchema, bad_line: Variable, state_before: dict[str, Any]
) -> Leftover | None:
    """What a transport refused for `bad_line` leaves to the next one; `state_before` is its state
    (a diff state) just before that line."""
    spec = type_schema.option(bad_line.name)
    state = state_before
    if spec is not None and spec.name == "local_net":
        # ast_append_ha hands back the list with the entries it appended before the bad one; the
        # handler discards the state only when that list is empty, else it keeps the entries.
        appended, _failed = parse_ha_list(bad_line.value, "forbid", [])
        entries = tuple(state_before.get("local_net", ())) + tuple(rule.render() for rule in appended)
        if not entries:
            return None
        state = {**state_before, "local_net": entries}
    elif spec is not None and spec.name in DISCARDING:
        return None
    fields = {name: state[name] for name in STATE_FIELDS if name in state}
    return transport_id, fields


def adopted_notes(leftover: Leftover, type_schema: TypeSchema, lines: tuple[Variable, ...]) -> dict[str, str]:
    """Provenance of the fields a transport started with (those its own lines did not replace):
    the refused transport they came from."""
    source_id, fields = leftover
    why = (f"left over from transport '{source_id}', which Asterisk refused before its apply handler "
           "took these settings (config_transport.c's temporary state)")
    own = {spec.field for line in lines if (spec := type_schema.option(line.name)) is not None}
    notes = {}
    for name in fields:
        spec = type_schema.option(name)
        if name not in own:
            notes[name] = why
        elif spec is not None and spec.multi:  # its own lines added to the inherited entries
            notes[name] = f"the first entries are {why}"
    return notes
