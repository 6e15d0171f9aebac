"""Scalar kinds: OPT_BOOL_T / OPT_YESNO_T, OPT_UINT_T / OPT_INT_T / OPT_DOUBLE_T, strings, noop."""

from __future__ import annotations

from typing import Any

from pjsipconf.schema.core import ApplyCall, Kind, Lines, invalid, register
from pjsipconf.schema.cstr import (
    INT32_MAX,
    INT32_MIN,
    UINT32_MAX,
    ast_true,
    c_strtol,
    c_strtoul,
    skip_blanks,
    sscanf_uint,
    strtod_full,
)


@register
class NoopKind(Kind):
    """`type=`: accepted, never stored, never printed."""

    kind_name = "noop"

    def parse(self, current: Any, value: str, call: ApplyCall) -> Any:
        return current

    def render(self, name: str, value: Any) -> Lines:
        return []


@register
class BoolKind(Kind):
    """OPT_BOOL_T: ast_true() words are true, anything else false (never an error)."""

    kind_name = "bool"
    zero = False
    WORDS = ("false", "true")

    def parse(self, current: Any, value: str, call: ApplyCall) -> bool:
        return ast_true(value)

    def render(self, name: str, value: Any) -> Lines:
        return [(name, self.WORDS[bool(value)])]

    def describe(self) -> str:
        return "yes|true|y|t|1|on for true, anything else false"


@register
class YesNoKind(BoolKind):
    """OPT_YESNO_T: parsed like bool, printed yes/no."""

    kind_name = "yesno"
    WORDS = ("no", "yes")


@register
class CapitalYesNoKind(BoolKind):
    """Custom booleans printed with AST_YESNO: transport TLS flags, dtls_auto_generate_cert."""

    kind_name = "YesNo"
    WORDS = ("No", "Yes")


@register
class UintKind(Kind):
    """OPT_UINT_T: strtoul base 0 (hex/octal), no sign, no trailing text, optional range."""

    kind_name = "uint"
    zero = 0

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.low = int(params.get("min", 0))
        self.high = int(params.get("max", UINT32_MAX))

    def parse(self, current: Any, value: str, call: ApplyCall) -> int:
        if value == "":
            raise invalid(call.name, value, self.describe())
        text = skip_blanks(value)
        if text.startswith("-"):
            raise invalid(call.name, value, self.describe())
        number, rest = c_strtoul(text)
        if number is None:
            # No digits: strtoul leaves end at the start; only an all-blank value passes (as 0).
            if text == "":
                number, rest = 0, ""
            else:
                raise invalid(call.name, value, self.describe())
        if rest or number < 0 or number > UINT32_MAX or not self.low <= number <= self.high:
            raise invalid(call.name, value, self.describe())
        return number

    def render(self, name: str, value: Any) -> Lines:
        return [(name, str(value))]

    def describe(self) -> str:
        return f"an unsigned integer from {self.low} to {self.high} (decimal, 0x hex or 0 octal)"


@register
class IntKind(Kind):
    """OPT_INT_T: strtol base 0, no trailing text, 32-bit, optional range."""

    kind_name = "int"
    zero = 0

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.low = int(params.get("min", INT32_MIN))
        self.high = int(params.get("max", INT32_MAX))

    def parse(self, current: Any, value: str, call: ApplyCall) -> int:
        if value == "":
            raise invalid(call.name, value, self.describe())
        number, rest, erange = c_strtol(value)
        if number is None:
            if value.strip(" \t\n\v\f\r") == "":
                number, rest = 0, ""
            else:
                raise invalid(call.name, value, self.describe())
        if rest or erange or not INT32_MIN <= number <= INT32_MAX or not self.low <= number <= self.high:
            raise invalid(call.name, value, self.describe())
        return number

    def render(self, name: str, value: Any) -> Lines:
        return [(name, str(value))]

    def describe(self) -> str:
        return f"an integer from {self.low} to {self.high}"


@register
class DoubleKind(Kind):
    """OPT_DOUBLE_T: the whole value must be a C double; printed with %f."""

    kind_name = "double"
    zero = 0.0

    def parse(self, current: Any, value: str, call: ApplyCall) -> float:
        number = strtod_full(value)
        if number is None:
            raise invalid(call.name, value, self.describe())
        return number

    def render(self, name: str, value: Any) -> Lines:
        return [(name, "%f" % value)]

    def describe(self) -> str:
        return "a decimal number (e.g. 3, 2.5, 1e1)"


@register
class StringKind(Kind):
    """OPT_STRINGFIELD_T / OPT_CHAR_ARRAY_T and custom string handlers: stored as written.

    `absent_when_empty`: the to_str handler fails while unset, so nothing is printed
    (endpoint contact_user, security_mechanisms).
    """

    kind_name = "string"
    zero = ""

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.absent_when_empty = bool(params.get("absent_when_empty", False))

    def parse(self, current: Any, value: str, call: ApplyCall) -> str:
        return value

    def render(self, name: str, value: Any) -> Lines:
        if self.absent_when_empty and not value:
            return []
        return [(name, value)]

    def describe(self) -> str:
        return "any text"


@register
class DtlsRekeyKind(Kind):
    """dtls_rekey: `sscanf("%30u")`, so a leading number is enough and '-1' wraps around."""

    kind_name = "dtls_rekey"
    zero = 0

    def parse(self, current: Any, value: str, call: ApplyCall) -> int:
        number = sscanf_uint(value[:30])
        if number is None:
            raise invalid(call.name, value, "a number of seconds")
        return number

    def render(self, name: str, value: Any) -> Lines:
        return [(name, str(value))]


@register
class ConstantKind(Kind):
    """An obsolete option whose handler ignores the value and prints a constant (stir_shaken)."""

    kind_name = "constant"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.text = str(params.get("renders", ""))
        self.warning = params.get("warning")  # (module, message with {id})

    def parse(self, current: Any, value: str, call: ApplyCall) -> Any:
        if self.warning:
            module, message = self.warning
            call.warn(module, message.format(id=call.ctx.object_id, value=value, name=call.name))
        return current

    def render(self, name: str, value: Any) -> Lines:
        return [(name, self.text)]
