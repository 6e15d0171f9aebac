"""res_pjsip_phoneprov_provider's own pass over the loaded phoneprov objects.

After sorcery has loaded them, the provider looks up each one's endpoint, that endpoint's
transport and first inbound auth; a missing one is logged as an ERROR and the phone gets no
provisioning, while the phoneprov object itself stays loaded. (The MAC/PROFILE checks come first
and are the schema's: a phoneprov without them never reaches these lookups.)

On the way it appends what it found to the object's own variable list (load_endpoint):
ENDPOINT_ID, TRANSPORT_ID, CALLERID, DISPLAY_NAME, AUTH_ID, USERNAME and SECRET, each unless
empty, without looking for one already there. So a key the configuration sets itself (say
`USERNAME=`) then holds two values, and Asterisk shows both (AST_SORCERY returns every value of
a name); the keys a configuration does not set are not shown, as `pjsip show` has no phoneprov.

Then it hands each phone to res_phoneprov (ast_phoneprov_add_extension), in the order of their
ids: a PROFILE that phoneprov.conf does not define is logged and the phone skipped; a second
phone on one MAC address adds a line to it, and one whose LINE number the MAC already has is
logged and left out.
"""

from __future__ import annotations

import dataclasses
from typing import Mapping

from pjsipconf.conf.types import Problem
from pjsipconf.model.references import names_in
from pjsipconf.model.types import PjsipObject
from pjsipconf.schema.cstr import sscanf_int

MODULE = "res_pjsip_phoneprov_provider.c"
PHONEPROV_MODULE = "res_phoneprov.c"

Objects = Mapping[str, Mapping[str, PjsipObject]]


def _variable(rendered: Mapping[str, object], name: str) -> str | None:
    """ast_var_find: the first phoneprov variable of exactly that name (strcmp: `Endpoint=` is
    not `endpoint`)."""
    value = rendered.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value if isinstance(value, str) else None


def provider_pass(objects: Objects, profiles: frozenset[str] | None) -> tuple[dict[str, PjsipObject], list[Problem]]:
    """The phoneprov objects as the provider leaves them (by id), and what it and res_phoneprov
    log; `profiles`: those phoneprov.conf defines (None: unknown, no lookup is judged)."""
    phoneprovs = dict(objects.get("phoneprov", {}))
    problems = []
    lines_by_mac: dict[str, set[int]] = {}
    for phoneprov_id in sorted(phoneprovs):  # load_users retrieves them sorted by id
        phoneprov = phoneprovs[phoneprov_id]
        rendered = phoneprov.rendered()
        if _variable(rendered, "MAC") is None or _variable(rendered, "PROFILE") is None:
            continue  # refused to provision earlier, with the schema's own error
        appended, message = _load_endpoint(phoneprov, rendered, objects)
        if message:
            messages = [f"{MODULE}: {message}"]
        else:
            messages = _add_extension(phoneprov.id, rendered, appended, profiles, lines_by_mac)
        problems += [Problem("asterisk-warning", text, phoneprov.source, phoneprov.line, severity="warning")
                     for text in messages]
        phoneprovs[phoneprov_id] = _with_appended(phoneprov, rendered, appended)
    return phoneprovs, problems


def _add_extension(
    phoneprov_id: str, rendered: Mapping[str, object], appended: list[tuple[str, str]],
    profiles: frozenset[str] | None, lines_by_mac: dict[str, set[int]],
) -> list[str]:
    """What ast_phoneprov_add_extension logs for this phone, keeping each MAC's line numbers."""
    profile, mac = _variable(rendered, "PROFILE"), _variable(rendered, "MAC")
    if profiles is not None and profile not in profiles:
        return [f"{PHONEPROV_MODULE}: Could not look up profile '{profile}' - skipping."]
    assert mac is not None  # provider_pass hands on only phones with a MAC
    line = _line_number(_variable(rendered, "LINE"))
    taken = lines_by_mac.setdefault(mac, set())
    if line not in taken:
        taken.add(line)
        return []
    username = _variable(rendered, "USERNAME") or next((v for n, v in appended if n == "USERNAME" and v), phoneprov_id)
    return [f"{PHONEPROV_MODULE}: Duplicate linenumber={line} for {mac}",
            f"{PHONEPROV_MODULE}: Could not add extension '{username}' to user '{mac}'"]


def _line_number(text: str | None) -> int:
    """build_extension: LINE read with sscanf("%d") into a zeroed int; 1 when there is none."""
    if text is None:
        return 1
    number = sscanf_int(text)
    return 0 if number is None else number


def _load_endpoint(
    phoneprov: PjsipObject, rendered: Mapping[str, object], objects: Objects
) -> tuple[list[tuple[str, str]], str]:
    """users_apply_handler's lookups: the variables load_endpoint appends, and the error it logs."""
    endpoint_name = _variable(rendered, "endpoint")
    if endpoint_name is None:
        return [], ""
    endpoint = objects.get("endpoint", {}).get(endpoint_name)
    if endpoint is None:
        return [], f"phoneprov {phoneprov.id} contained invalid endpoint {endpoint_name}."
    transport = str(endpoint.schema.value(endpoint.state, "transport") or "")
    name, number = endpoint.schema.value(endpoint.state, "callerid")
    appended = [("ENDPOINT_ID", endpoint_name), ("TRANSPORT_ID", transport), ("CALLERID", number), ("DISPLAY_NAME", name)]
    if transport not in objects.get("transport", {}):
        return appended, f"Endpoint {endpoint_name} contained invalid transport {transport}."
    auths = names_in(endpoint.rendered().get("auth"), True)
    if not auths:
        return appended, ""
    auth = objects.get("auth", {}).get(auths[0])
    if auth is None:
        return appended, f"phoneprov {phoneprov.id} contained invalid auth {auths[0]}."
    username, password = (str(auth.schema.value(auth.state, option) or "") for option in ("username", "password"))
    return appended + [("AUTH_ID", auths[0]), ("USERNAME", username), ("SECRET", password)], ""


def _with_appended(
    phoneprov: PjsipObject, configured: Mapping[str, object], appended: list[tuple[str, str]]
) -> PjsipObject:
    """The object with the appended variables of the names its configuration sets too."""
    extra = [(name, value) for name, value in appended if value and name in configured]
    if not extra:
        return phoneprov
    spec = phoneprov.schema.option(extra[0][0])
    if spec is None:
        return phoneprov
    state = dict(phoneprov.state)
    state[spec.field] = tuple(state.get(spec.field, ())) + tuple(extra)
    note = "also added by res_pjsip_phoneprov_provider from the endpoint, its transport and auth"
    adjusted = {**phoneprov.adjusted, **{name: note for name, _value in extra}}
    return dataclasses.replace(phoneprov, state=state, adjusted=adjusted)
