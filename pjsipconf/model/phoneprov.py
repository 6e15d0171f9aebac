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
"""

from __future__ import annotations

import dataclasses
from typing import Mapping

from pjsipconf.conf.types import Problem
from pjsipconf.model.references import names_in
from pjsipconf.model.types import PjsipObject

MODULE = "res_pjsip_phoneprov_provider.c"

Objects = Mapping[str, Mapping[str, PjsipObject]]


def _variable(rendered: Mapping[str, object], name: str) -> str | None:
    """ast_var_find: the first phoneprov variable of exactly that name (strcmp: `Endpoint=` is
    not `endpoint`)."""
    value = rendered.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value if isinstance(value, str) else None


def provider_pass(objects: Objects) -> tuple[dict[str, PjsipObject], list[Problem]]:
    """The phoneprov objects as the provider leaves them (by id), and what it logs."""
    phoneprovs = dict(objects.get("phoneprov", {}))
    problems = []
    for phoneprov_id, phoneprov in phoneprovs.items():
        appended, message = _load_endpoint(phoneprov, objects)
        if message:
            problems.append(Problem("asterisk-warning", f"{MODULE}: {message}", phoneprov.source, phoneprov.line,
                                    severity="warning"))
        phoneprovs[phoneprov_id] = _with_appended(phoneprov, appended)
    return phoneprovs, problems


def _load_endpoint(phoneprov: PjsipObject, objects: Objects) -> tuple[list[tuple[str, str]], str]:
    """users_apply_handler's lookups: the variables load_endpoint appends, and the error it logs."""
    rendered = phoneprov.rendered()
    if _variable(rendered, "MAC") is None or _variable(rendered, "PROFILE") is None:
        return [], ""  # refused to provision earlier, with the schema's own error
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


def _with_appended(phoneprov: PjsipObject, appended: list[tuple[str, str]]) -> PjsipObject:
    """The object with the appended variables of the names its configuration sets too."""
    configured = phoneprov.rendered()
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
