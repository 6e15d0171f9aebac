"""Small re-implementations of the C string helpers Asterisk's option handlers rely on.

Asterisk's behaviour at the edges (what `strtoul` accepts, what `sscanf("%d")` does with trailing
text, which characters `ast_strip` removes) decides whether a line is accepted, so these follow the
C semantics rather than Python's idea of a number.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import re
import sys
from functools import lru_cache

_C_SPACE = " \t\n\v\f\r"
_DIGITS = {8: "01234567", 10: "0123456789", 16: "0123456789abcdefABCDEF"}
UINT32_MAX = 4294967295
INT32_MIN, INT32_MAX = -2147483648, 2147483647
_ULONG_MAX = 18446744073709551615
_LONG_MIN, _LONG_MAX = -9223372036854775808, 9223372036854775807

TRUE_WORDS = frozenset(("yes", "true", "y", "t", "1", "on"))
FALSE_WORDS = frozenset(("no", "false", "n", "f", "0", "off"))


def ast_true(value: str) -> bool:
    """`ast_true()`: yes|true|y|t|1|on in any case. Blanks are not stripped: the config parser
    strips values, but a realtime ' yes' is false."""
    return value.lower() in TRUE_WORDS


def ast_false(value: str) -> bool:
    """`ast_false()`: no|false|n|f|0|off in any case, blanks not stripped."""
    return value.lower() in FALSE_WORDS


_BLANKS = "".join(chr(code) for code in range(1, 33))


def ast_strip(value: str) -> str:
    """`ast_strip()`: drop leading and trailing characters below 33 (blanks and controls)."""
    return value.strip(_BLANKS)


def c_buffer(text: str, size: int) -> str:
    """What a C `char[size]` keeps of `text` when filled by a bounded copy (ast_copy_string,
    strncat, ast_join_delim): its first size - 1 bytes; a multi-byte character cut in half is
    dropped."""
    if len(text) < size and (text.isascii() or len(text.encode("utf-8", "surrogateescape")) < size):
        return text
    return text.encode("utf-8", "surrogateescape")[: size - 1].decode("utf-8", "ignore")


def ast_strsep(text: str, separator: str, *, trim: bool = False) -> list[str]:
    """The pieces a `while ((piece = ast_strsep(&text, separator, flags)))` loop sees (see
    `ast_strsep_once`); a trailing separator leaves one empty piece."""
    pieces: list[str] = []
    rest: str | None = text
    while rest is not None:
        piece, rest = ast_strsep_once(rest, separator, trim=trim)
        if piece is None:
            break
        pieces.append(piece)
    return pieces


def ast_strsep_once(text: str, separator: str, *, trim: bool = False) -> tuple[str | None, str | None]:
    """One `ast_strsep(&text, separator, flags)` call: (piece, what is left; None when nothing).

    A separator inside quotes (nested up to 7 deep) or right after a backslash does not split;
    a quote nested deeper makes the call return NULL (piece None). `trim` (AST_STRSEP_TRIM)
    strips blanks, except from a piece that would be left empty."""
    if not text:
        return text, None
    quotes = [""]  # C's stack[8]; stack[0] stays empty
    index = 0
    found = False
    while index < len(text):
        if text[index] == "\\":
            index += 2  # C looks at the character after the escaped one in the same step
            if index >= len(text):
                break
        char = text[index]
        if char in "'\"":
            if char == quotes[-1]:
                quotes.pop()
            elif len(quotes) >= 8:
                return None, None
            else:
                quotes.append(char)
        if char == separator and len(quotes) == 1:
            found = True
            break
        index += 1
    piece = text[:index]
    if trim and piece.strip(_BLANKS):
        piece = piece.strip(_BLANKS)
    return piece, text[index + 1 :] if found else None


def skip_blanks(value: str) -> str:
    """`ast_skip_blanks()`: drop leading characters below 33."""
    return value.lstrip(_BLANKS)


def strip_quoted(value: str, begin: str = '"', end: str = '"') -> str:
    """`ast_strip_quoted()`: strip blanks, then one pair of quotes only when both ends have them."""
    value = ast_strip(value)
    if value and value[0] in begin and value[-1] == end[begin.index(value[0])]:
        # A lone quote that is its own closing quote is both ends at once: C strips it to "".
        return value[1:-1]
    return value


def strtol_prefix(text: str, base: int = 0) -> tuple[int | None, str, bool]:
    """C `strtol`/`strtoul` core: (value or None when no digits, rest of text, overflowed).

    Leading C whitespace and one sign are accepted; base 0 picks hex for `0x`, octal for `0`.
    The returned value carries the sign; callers apply the C type's range.
    """
    pos = 0
    while pos < len(text) and text[pos] in _C_SPACE:
        pos += 1
    negative = False
    if pos < len(text) and text[pos] in "+-":
        negative = text[pos] == "-"
        pos += 1
    if base in (0, 16) and text[pos : pos + 2].lower() == "0x" and text[pos + 2 : pos + 3] and text[pos + 2] in _DIGITS[16]:
        pos += 2
        base = 16
    elif base == 0:
        base = 8 if text[pos : pos + 1] == "0" else 10
    digits = _DIGITS[base]
    start = pos
    while pos < len(text) and text[pos] in digits:
        pos += 1
    if pos == start:
        return None, text, False
    value = int(text[start:pos], base)
    return (-value if negative else value), text[pos:], False


def c_strtoul(text: str) -> tuple[int | None, str]:
    """`strtoul(text, &end, 0)` -> (value modulo 2**64 like C, rest); None when nothing parsed."""
    value, rest, _ = strtol_prefix(text)
    if value is None:
        return None, text
    if abs(value) > _ULONG_MAX:
        return -1, rest  # ERANGE: callers treat a negative result as an error
    return value % (_ULONG_MAX + 1), rest


def c_strtol(text: str) -> tuple[int | None, str, bool]:
    """`strtol(text, &end, 0)` -> (value, rest, erange)."""
    value, rest, _ = strtol_prefix(text)
    if value is None:
        return None, text, False
    if value < _LONG_MIN or value > _LONG_MAX:
        return value, rest, True
    return value, rest, False


def c_int(value: int) -> int:
    """An unsigned value printed with `%d`: its low 32 bits as a signed int."""
    value &= 0xFFFFFFFF
    return value - 0x100000000 if value > INT32_MAX else value


def sscanf_int(text: str, base: int = 10) -> int | None:
    """`sscanf(text, "%d")` (base 10) or `"%i"` (base 0): leading number, trailing text ignored."""
    value, _rest, _ = strtol_prefix(text, base)
    if value is None:
        return None
    return scanf_int_store(value)


def scanf_int_store(value: int) -> int:
    """What a `%d` conversion stores for a number read: glibc reads it with strtol, which
    saturates at the long range, then stores the long into an int (C keeps its low 32 bits)."""
    return c_int(max(_LONG_MIN, min(_LONG_MAX, value)))


def sscanf_is_eof(text: str) -> bool:
    """sscanf returns EOF (-1, truthy in C) when the input is empty or only whitespace."""
    return all(ch in _C_SPACE for ch in text)


def sscanf_uint(text: str) -> int | None:
    """`sscanf(text, "%u")`: like %d but the value is reinterpreted as unsigned 32-bit."""
    value, _rest, _ = strtol_prefix(text, 10)
    if value is None:
        return None
    # strtoul: a magnitude beyond unsigned long saturates, a negative one wraps; then cut to 32 bits.
    value = _ULONG_MAX if abs(value) > _ULONG_MAX else value % (_ULONG_MAX + 1)
    return value & 0xFFFFFFFF


_NAN = re.compile(r"[+-]?nan(\([0-9a-z_]*\))?")
_NONZERO_DIGIT = re.compile(r"[1-9a-f]")


def strtod_full(text: str) -> float | None:
    """`strtod` that must consume the whole text, with ERANGE an error (ast_parse_arg
    PARSE_DOUBLE): overflow and underflow (a subnormal or zero result of a non-zero number) fail;
    `nan(chars)` is NaN. None on failure."""
    stripped = text.lstrip(_C_SPACE)
    if not stripped:
        return None
    lowered = stripped.lower()
    unsigned = lowered.lstrip("+-")
    if len(lowered) - len(unsigned) > 1:
        return None
    try:
        if unsigned.startswith("0x"):
            value = float.fromhex(unsigned)
        elif unsigned in ("inf", "infinity"):
            return float(lowered)
        elif _NAN.fullmatch(lowered):
            return math.copysign(math.nan, -1.0 if lowered.startswith("-") else 1.0)
        elif "_" in stripped or stripped != stripped.rstrip():
            return None
        else:
            value = float(unsigned)
    except ValueError:
        return None
    if math.isinf(value):
        return None  # ERANGE on overflow
    mantissa = unsigned[2:].split("p")[0] if unsigned.startswith("0x") else unsigned.split("e")[0]
    if abs(value) < sys.float_info.min and _NONZERO_DIGIT.search(mantissa):
        return None  # ERANGE on underflow
    return -value if lowered.startswith("-") else value


def printf_f(value: float) -> str:
    """C's `%f`: Python's, except that a negative NaN keeps its sign."""
    if math.isnan(value):
        return "-nan" if math.copysign(1.0, value) < 0 else "nan"
    return "%f" % value


def ast_str_hash(text: str) -> int:
    """`ast_str_hash()`: djb2 variant `h = h*33 ^ c` on 32 bits, masked to a non-negative int."""
    value = 5381
    for byte in text.encode("utf-8", "surrogateescape"):
        value = ((value * 33) ^ byte) & 0xFFFFFFFF
    return value & 0x7FFFFFFF


# regcomp flags (glibc <regex.h>).
REG_EXTENDED, REG_ICASE, REG_NOSUB = 1, 2, 8
_REGEX_T_BYTES = 256  # room for glibc's regex_t (64 bytes on x86_64) and any other libc's


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
    except OSError:
        return None
    return libc if all(hasattr(libc, name) for name in ("regcomp", "regerror", "regfree")) else None


def regcomp_error(pattern: str, flags: int = REG_EXTENDED | REG_NOSUB) -> str | None:
    """`regcomp()`: None when the POSIX regular expression compiles, else `regerror()`'s text
    ("Unmatched [, [^, [:, [., or [=", ...). Asks the C library itself, as POSIX and Python
    regular expressions differ; without one, Python's `re` decides and its message is given."""
    libc = _libc()
    if libc is None:
        try:
            re.compile(pattern, re.IGNORECASE if flags & REG_ICASE else 0)
        except re.error as exc:
            return str(exc)
        return None
    regex = ctypes.create_string_buffer(_REGEX_T_BYTES)
    code = libc.regcomp(regex, pattern.encode("utf-8", "surrogateescape"), flags)
    if code == 0:
        libc.regfree(regex)
        return None
    message = ctypes.create_string_buffer(256)
    libc.regerror(code, regex, message, len(message))
    return message.value.decode("utf-8", "replace")
