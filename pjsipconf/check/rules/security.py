"""S4xx: security audit of what Asterisk would load: weak secrets, endpoints anyone can use,
deprecated options, `#exec`.

An auth with an empty password (and no digest) is not here: Asterisk refuses it ("No plain text
or digest password found"), so it is a load error (L107). S401 is retired for that reason.
"""

from __future__ import annotations

from typing import Callable, Iterator

from pjsipconf.check.facts import all_objects, last_value, last_variable, option_text, split_list
from pjsipconf.check.types import CheckSettings, Finding, Rule
from pjsipconf.conf.types import Variable
from pjsipconf.model.types import PjsipObject, Snapshot

# auth_type values res_pjsip still accepts but treats as `digest` (config_auth.c).
DEPRECATED_AUTH_TYPES = ("userpass", "md5")
WILDCARD_HOSTS = ("0.0.0.0", "::", "[::]", "")
DIGEST_OPTIONS = ("md5_cred", "password_digest")


def _password_lines(snapshot: Snapshot) -> Iterator[tuple[PjsipObject, Variable | None, str]]:
    """Every loaded auth that authenticates with a plain password: (auth, password line, username)."""
    for auth in snapshot.of_type("auth").values():
        if (last_value(auth.variables, "auth_type") or "").lower() == "google_oauth":
            continue
        if any(last_value(auth.variables, option) for option in DIGEST_OPTIONS):
            continue  # a stored digest: the plain password is not what protects it
        yield auth, last_variable(auth.variables, "password"), last_value(auth.variables, "username") or ""


def _passwords_equal_username(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for auth, var, username in _password_lines(snapshot):
        if var is not None and var.value and var.value.lower() == username.lower():
            message = f"auth '{auth.id}' password equals its username: it is the first guess of every scanner"
            yield PASSWORD_IS_USERNAME.finding(var.source.name, var.line, message, object_type="auth", object_id=auth.id)


def _short_passwords(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    minimum = settings.min_password_length
    for auth, var, username in _password_lines(snapshot):
        if var is None or not var.value or var.value.lower() == username.lower():
            continue  # an empty password is refused by Asterisk (L107); equal to the username: S402
        if len(var.value) < minimum:
            message = (
                f"auth '{auth.id}' password is {len(var.value)} characters long, shorter than {minimum}"
                f" (settings: [check] min_password_length)"
            )
            yield SHORT_PASSWORD.finding(var.source.name, var.line, message, object_type="auth", object_id=auth.id)


def _identified_endpoints(snapshot: Snapshot) -> set[str]:
    return {
        name
        for identify in snapshot.of_type("identify").values()
        for name in split_list(last_value(identify.variables, "endpoint"))
    }


def _by_username(snapshot: Snapshot) -> Callable[[PjsipObject], bool]:
    """Whether a request's From user picks the endpoint: its identify_by has `username` and the
    global endpoint_identifier_order runs the username identifier (it does by default)."""
    order = "ip,username,anonymous"
    for global_ in snapshot.of_type("global").values():
        order = option_text(global_, "endpoint_identifier_order") or order
    if "username" not in split_list(order):
        return lambda endpoint: False
    # One option rendered, not the whole object: every endpoint without auth= is asked.
    return lambda endpoint: "username" in split_list(option_text(endpoint, "identify_by"))


def _open_endpoints(snapshot: Snapshot) -> list[tuple[PjsipObject, bool]]:
    """Endpoints with no inbound auth that a request from anywhere reaches, and whether that is by
    its From user (identify_by username, the default: an identify's match= does not prevent it)
    rather than for want of an identify tying it to source addresses."""
    identified = _identified_endpoints(snapshot)
    by_username = _by_username(snapshot)
    open_ = []
    for endpoint in snapshot.of_type("endpoint").values():
        if split_list(last_value(endpoint.variables, "auth")):
            continue
        if by_username(endpoint):
            open_.append((endpoint, True))
        elif endpoint.id not in identified:
            open_.append((endpoint, False))
    return open_


def _unauthenticated_endpoints(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for endpoint, by_username in _open_endpoints(snapshot):
        if by_username:
            message = (
                f"endpoint '{endpoint.id}' has no auth and is identified by username: anyone who sends a"
                f" request from user '{endpoint.id}', from any address, can use it (calls, toll fraud)"
            )
        else:
            message = (
                f"endpoint '{endpoint.id}' has no auth and no identify matches it: anyone who sends a request"
                f" as '{endpoint.id}' can use it (calls, toll fraud)"
            )
        if endpoint.id == "anonymous":
            message = (
                "endpoint 'anonymous' has no auth: every request no other endpoint matches is accepted as"
                " 'anonymous' (calls, toll fraud)"
            )
        yield UNAUTHENTICATED_ENDPOINT.finding(
            endpoint.source.name, endpoint.line, message, object_type="endpoint", object_id=endpoint.id
        )


def bind_host(bind: str) -> str:
    """The address part of a transport's bind= (`0.0.0.0:5060`, `[::]:5060`, `::`, `:5060`)."""
    bind = bind.strip()
    if bind.startswith("["):
        return bind[: bind.find("]") + 1] if "]" in bind else bind
    if bind.count(":") > 1:
        return bind  # bare IPv6 address without a port
    return bind.split(":", 1)[0]


def _open_transports(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    open_endpoints = _open_endpoints(snapshot)
    if not open_endpoints:
        return
    for transport in snapshot.of_type("transport").values():
        var = last_variable(transport.variables, "bind")
        if var is None or bind_host(var.value) not in WILDCARD_HOSTS:
            continue
        # An endpoint without transport= is reached through any transport.
        exposed = [
            e.id for e, _ in open_endpoints if (last_value(e.variables, "transport") or transport.id) == transport.id
        ]
        if not exposed:
            continue
        names = ", ".join(exposed[:5]) + (f" and {len(exposed) - 5} more" if len(exposed) > 5 else "")
        message = (
            f"transport '{transport.id}' listens on all addresses ({var.value}) and accepts unauthenticated"
            f" requests for endpoint(s) {names}; bind it to an internal address or give them auth (or an"
            f" identify and identify_by=ip)"
        )
        yield OPEN_TRANSPORT.finding(
            var.source.name, var.line, message, object_type="transport", object_id=transport.id
        )


def _deprecated_lines(snapshot: Snapshot) -> Iterator[tuple[PjsipObject, Variable]]:
    """Every line of every loaded object once (a template's line is shared by all that inherit it)."""
    seen: set[tuple[str, int, str, str]] = set()
    for obj in all_objects(snapshot):
        for var in obj.variables:
            # Realtime values all have line 0: the row (section) tells them apart.
            row = var.section if var.source.kind == "realtime" else ""
            key = (var.source.name, var.line, var.name, row)
            if key not in seen:
                seen.add(key)
                yield obj, var


def _deprecated_options(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for obj, var in _deprecated_lines(snapshot):
        spec = obj.schema.option(var.name)
        if spec is None or not spec.deprecated:
            continue
        instead = f"; use {spec.replaced_by} instead" if spec.replaced_by else ""
        message = f"{obj.type} option '{var.name}' is deprecated{instead}"
        yield DEPRECATED_OPTION.finding(var.source.name, var.line, message, object_type=obj.type, object_id=obj.id)


def _deprecated_values(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    for obj, var in _deprecated_lines(snapshot):
        if obj.type == "auth" and var.name.lower() == "auth_type" and var.value.lower() in DEPRECATED_AUTH_TYPES:
            message = f"auth_type={var.value} is deprecated (Asterisk treats it as digest); write auth_type=digest"
            yield DEPRECATED_VALUE.finding(var.source.name, var.line, message, object_type="auth", object_id=obj.id)


def _exec_directives(snapshot: Snapshot, settings: CheckSettings) -> Iterator[Finding]:
    if snapshot.config is None:
        return
    for directive in snapshot.config.execs:
        message = (
            f"#exec {directive.command}: Asterisk runs this program as its own user on every load"
            f" (when execincludes=yes); pjsipconf does not run it, so its output is not checked"
        )
        yield EXEC_DIRECTIVE.finding(directive.source.name, directive.line, message)


PASSWORD_IS_USERNAME = Rule(
    "S402", "password-is-username", "warning",
    summary="An auth whose password equals its username (ignoring case).",
    why="SIP scanners try username=password first; this is how most PBXs are broken into.",
    example="[6001-auth]\ntype=auth\nusername=6001\npassword=6001",
    fix="Set a long random password.",
    check=_passwords_equal_username,
)
SHORT_PASSWORD = Rule(
    "S403", "short-password", "warning",
    summary="An auth password shorter than [check] min_password_length (default 12).",
    why="Short passwords fall to online guessing; SIP registrars are scanned all day.",
    example="[6001-auth]\ntype=auth\nusername=6001\npassword=abc123",
    fix="Use a longer random password, or lower min_password_length in pjsipconf.ini if you must.",
    check=_short_passwords,
)
UNAUTHENTICATED_ENDPOINT = Rule(
    "S404", "unauthenticated-endpoint", "warning",
    summary="An endpoint with no auth= that requests from anywhere reach: identified by username (the"
    " default identify_by), or by ip with no identify matching it.",
    why="Asterisk then identifies requests by the From user alone: anyone who sends a request as that"
    " endpoint can place calls through it. An identify's match= does not stop that while identify_by"
    " still has username.",
    example="[6001]\ntype=endpoint\ncontext=internal\naors=6001   ; no auth, identify_by=username,ip",
    fix="Add auth=, or for a trunk that authenticates by address an identify with match= and"
    " identify_by=ip.",
    check=_unauthenticated_endpoints,
)
OPEN_TRANSPORT = Rule(
    "S405", "open-transport", "warning",
    summary="A transport bound to all addresses while endpoints reachable through it accept unauthenticated"
    " requests.",
    why="Every network the machine is on can reach those endpoints, including the Internet on a public host.",
    example="[t-udp]\ntype=transport\nbind=0.0.0.0:5060\n\n[6001]\ntype=endpoint   ; no auth, no identify",
    fix="Bind the transport to an internal address, or give the endpoints auth= (or an identify and"
    " identify_by=ip).",
    check=_open_transports,
)
DEPRECATED_OPTION = Rule(
    "S406", "deprecated-option", "warning",
    summary="An option Asterisk deprecated (md5_cred, preferred_codec_only, stir_shaken, threadpool_*, ...).",
    why="Deprecated options are kept only for compatibility: some already do nothing, others use weak"
    " mechanisms (md5_cred), and they are removed in later versions.",
    example="[6001-auth]\ntype=auth\nmd5_cred=5f4dcc3b5aa765d61d8327deb882cf99",
    fix="Use the option named in the message instead.",
    check=_deprecated_options,
)
DEPRECATED_VALUE = Rule(
    "S407", "deprecated-value", "warning",
    summary="A deprecated option value (auth_type=userpass or md5).",
    why="Asterisk treats them as digest today and may refuse them in a later version.",
    example="[6001-auth]\ntype=auth\nauth_type=userpass",
    fix="Write auth_type=digest (with password= or password_digest=).",
    check=_deprecated_values,
)
EXEC_DIRECTIVE = Rule(
    "S408", "exec-directive", "warning",
    summary="An #exec directive in the configuration.",
    why="#exec runs a program on every load with Asterisk's privileges; its output becomes configuration"
    " that nothing reviews.",
    example="#exec /usr/local/bin/make-endpoints.sh",
    fix="Generate the file ahead of time and #include it instead.",
    check=_exec_directives,
)

RULES: tuple[Rule, ...] = (
    PASSWORD_IS_USERNAME, SHORT_PASSWORD, UNAUTHENTICATED_ENDPOINT, OPEN_TRANSPORT,
    DEPRECATED_OPTION, DEPRECATED_VALUE, EXEC_DIRECTIVE,
)
