"""res_pjsip_phoneprov_provider's own pass over the loaded phoneprov objects.

After sorcery has loaded them, the provider looks up each one's endpoint, that endpoint's
transport and first inbound auth; a missing one is logged as an ERROR and the phone gets no
provisioning, while the phoneprov object itself stays loaded. (The MAC/PROFILE checks come first
and are the schema's: a phoneprov without them never reaches these lookups.)
"""

from __future__ import annotations

from typing import Mapping

from pjsipconf.conf.types import Problem
from pjsipconf.model.references import names_in
from pjsipconf.model.types import PjsipObject

MODULE = "res_pjsip_phoneprov_provider.c"


def _variable(rendered: Mapping[str, object], name: str) -> str | None:
    """ast_var_find: the phoneprov variable of exactly that name (strcmp: `Endpoint=` is not `endpoint`)."""
    value = rendered.get(name)
    return value if isinstance(value, str) else None


def provider_problems(objects: Mapping[str, Mapping[str, PjsipObject]]) -> list[Problem]:
    problems = []
    for phoneprov in objects.get("phoneprov", {}).values():
        message = _first_failed_lookup(phoneprov, objects)
        if message:
            problems.append(Problem("asterisk-warning", f"{MODULE}: {message}", phoneprov.source, phoneprov.line,
                                    severity="warning"))
    return problems


def _first_failed_lookup(phoneprov: PjsipObject, objects: Mapping[str, Mapping[str, PjsipObject]]) -> str:
    rendered = phoneprov.rendered()
    if _variable(rendered, "MAC") is None or _variable(rendered, "PROFILE") is None:
        return ""  # refused to provision earlier, with the schema's own error
    endpoint_name = _variable(rendered, "endpoint")
    if endpoint_name is None:
        return ""
    endpoint = objects.get("endpoint", {}).get(endpoint_name)
    if endpoint is None:
        return f"phoneprov {phoneprov.id} contained invalid endpoint {endpoint_name}."
    endpoint_rendered = endpoint.rendered()
    transport = endpoint_rendered.get("transport", "")
    if not isinstance(transport, str) or transport not in objects.get("transport", {}):
        return f"Endpoint {endpoint_name} contained invalid transport {transport}."
    auths = names_in(endpoint_rendered.get("auth"), True)
    if auths and auths[0] not in objects.get("auth", {}):
        return f"phoneprov {phoneprov.id} contained invalid auth {auths[0]}."
    return ""
