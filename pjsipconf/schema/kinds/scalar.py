"""Scalar kinds: OPT_BOOL_T / OPT_YESNO_T, OPT_UINT_T / OPT_INT_T / OPT_DOUBLE_T, strings, noop."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from pjsipconf.schema.core import ApplyCall, Kind, Lines, invalid, register
from pjsipconf.schema.cstr import (
    INT32_MAX,
    INT32_MIN,
    UINT32_MAX,
    ast_true,
    c_buffer,
    c_strtol,
    c_strtoul,
    printf_f,
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


class IntegerKind(Kind):
    """OPT_UINT_T / OPT_INT_T (`ast_parse_arg`): the whole value must be a number within the C
    type and the option's range (`min`/`max` params); an empty value is an error."""

    zero = 0
    LOW, HIGH = 0, UINT32_MAX

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.low = int(params.get("min", self.LOW))
        self.high = int(params.get("max", self.HIGH))

    @abstractmethod
    def convert(self, value: str) -> int | None:
        """The number C reads from the whole value, or None when it rejects it."""

    def parse(self, current: Any, value: str, call: ApplyCall) -> int:
        number = self.convert(value) if value != "" else None
        if number is None or not self.LOW <= number <= self.HIGH or not self.low <= number <= self.high:
            raise invalid(call.name, value, self.describe())
        return number


@register
class UintKind(IntegerKind):
    """OPT_UINT_T: strtoul base 0 (hex/octal), no sign, no trailing text."""

    kind_name = "uint"

    def convert(self, value: str) -> int | None:
        text = skip_blanks(value)
        if text.startswith("-"):
            return None
        if text == "":
            return 0  # strtoul parses nothing and leaves no trailing text: an all-blank value is 0
        number, rest = c_strtoul(text)
        return None if number is None or rest or number < 0 else number

    def describe(self) -> str:
        return f"an unsigned integer from {self.low} to {self.high} (decimal, 0x hex or 0 octal)"


@register
class IntKind(IntegerKind):
    """OPT_INT_T: strtol base 0, no trailing text, 32-bit."""

    kind_name = "int"
    LOW, HIGH = INT32_MIN, INT32_MAX

    def convert(self, value: str) -> int | None:
        if value.strip(" \t\n\v\f\r") == "":
            return 0
        number, rest, erange = c_strtol(value)
        return None if number is None or rest or erange else number

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
        return [(name, printf_f(value))]

    def describe(self) -> str:
        return "a decimal number (e.g. 3, 2.5, 1e1)"


@register
class StringKind(Kind):
    """OPT_STRINGFIELD_T / OPT_CHAR_ARRAY_T and custom string handlers: stored as written.

    `absent_when_empty`: the to_str handler fails while the option was never set (endpoint
    contact_user), so nothing is printed; the state is then None, and "" once set empty.
    OPT_CHAR_ARRAY_T fields: `max_bytes` (the array size minus its NUL: ast_copy_string cuts the
    value there) and `required` (registered with flags 1: an empty value fails).
    """

    kind_name = "string"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.absent_when_empty = bool(params.get("absent_when_empty", False))
        self.zero = None if self.absent_when_empty else ""
        self.max_bytes: int | None = params.get("max_bytes")
        self.required = bool(params.get("required", False))

    def parse(self, current: Any, value: str, call: ApplyCall) -> str:
        if self.required and value == "":
            raise invalid(call.name, value, "a non-empty value")
        if self.max_bytes is not None:
            return c_buffer(value, self.max_bytes + 1)
        return value

    def render(self, name: str, value: Any) -> Lines:
        return [] if value is None else [(name, value)]

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
            call.warn(module, message.format(id=call.ctx.object_id, value=value, name=call.written))
        return current

    def render(self, name: str, value: Any) -> Lines:
        return [(name, self.text)]
