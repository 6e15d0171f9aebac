"""Text kinds with behaviour of their own: callerid (split and re-quoted), from_user (URI
characters only), file paths checked as they are applied, contact expiration_time, POSIX regular
expressions compiled as they are applied."""

from __future__ import annotations

from typing import Any

from pjsipconf.schema.core import ApplyCall, Kind, Lines, Logged, invalid, register
from pjsipconf.schema.cstr import (
    REG_EXTENDED,
    REG_ICASE,
    REG_NOSUB,
    ast_strip,
    c_buffer,
    regcomp_error,
    strip_quoted,
    strtol_prefix,
)

_CID_BUFFER = 80  # cid_name/cid_num are char[80] buffers (ast_copy_string)
_PHONE_CHARS = frozenset("0123456789*#+")


def shrink_phone_number(text: str) -> str:
    """`ast_shrink_phone_number`: drop ( ) spaces, '-' outside brackets, '.' unless last."""
    if text.isdigit():
        return text  # nearly every number: nothing to drop
    out: list[str] = []
    bracketed = 0
    for index, ch in enumerate(text):
        if ch == "[":
            bracketed += 1
            out.append(ch)
        elif ch == "]":
            bracketed -= 1
            out.append(ch)
        elif ch == "-":
            if bracketed:
                out.append(ch)
        elif ch == ".":
            if index == len(text) - 1:
                out.append(ch)
        elif ch not in "( )":
            out.append(ch)
    return "".join(out)


def _unescape_quoted(text: str) -> str:
    """`ast_unescape_quoted`: a backslash keeps the next character (a trailing one is dropped)."""
    if "\\" not in text:
        return text
    out: list[str] = []
    index = 0
    while index < len(text):
        if text[index] == "\\":
            index += 1
            if index >= len(text):
                break
        out.append(text[index])
        index += 1
    return "".join(out)


def callerid_split(value: str) -> tuple[str, str]:
    """`ast_callerid_split` -> (name, number), either possibly empty."""
    text = ast_strip(value)
    inner = strip_quoted(text)
    quotes_stripped = inner != text
    name: str | None
    location: str | None
    open_at = inner.rfind("<")
    if open_at >= 0:
        close_at = inner.rfind(">", open_at)
        location = inner[open_at + 1 : close_at] if close_at >= 0 else inner[open_at + 1 :]
        name = strip_quoted(inner[:open_at])
    else:
        shrunk = shrink_phone_number(inner[:255])
        if not quotes_stripped and shrunk and set(shrunk) <= _PHONE_CHARS:
            name, location = None, shrunk
        else:
            name, location = strip_quoted(inner), None
    if name is not None:
        name = _unescape_quoted(name)
    number = shrink_phone_number(location) if location is not None else ""
    return c_buffer(name or "", _CID_BUFFER), c_buffer(number, _CID_BUFFER)


# Bytes ast_escape_quoted copies as they are: LWS but CR/LF, "!", 0x23-0x5b, 0x5d-0x7e, non-ASCII.
_QUOTED_OK = frozenset(b"\t\v !") | frozenset(range(0x23, 0x5C)) | frozenset(range(0x5D, 0x7F)) | frozenset(range(0x80, 0x100))


def escape_quoted(text: str, size: int = 128) -> str:
    """`ast_escape_quoted` into a `size`-byte buffer: backslash every byte not allowed inside a
    quoted string; it stops when the buffer is full, and before an escape that no longer fits."""
    if len(text) < size - 1 and text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return text  # nothing to escape, and it fits
    out = bytearray()
    for byte in _c_bytes(text):
        if len(out) >= size - 1:
            break
        if byte in _QUOTED_OK:
            out.append(byte)
        elif len(out) >= size - 2:
            break
        else:
            out += b"\\" + bytes((byte,))
    return _from_c_bytes(bytes(out))


def _c_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _from_c_bytes(data: bytes) -> str:
    """Bytes back to text; a multi-byte character C cut in half is dropped."""
    return data.decode("utf-8", "ignore")


@register
class CallerIdKind(Kind):
    """callerid: `"Name" <number>`, `Name <number>`, a bare number or a bare name; never an error.
    Printed by `ast_callerid_merge`: `"Name" <num>`, just one part, or `<unknown>`."""

    kind_name = "callerid"
    zero = ("", "")

    def parse(self, current: Any, value: str, call: ApplyCall) -> tuple[str, str]:
        return callerid_split(value)

    def render(self, name: str, value: Any) -> Lines:
        cid_name, number = value
        if cid_name and number:
            merged = f'"{escape_quoted(cid_name)}" <{number}>'
            # caller_id_to_str sizes the buffer for the unescaped parts plus 10 bytes, so a name
            # with more than five escaped characters loses the end of the merged text.
            size = 10 + len(_c_bytes(cid_name)) + len(_c_bytes(number)) + 1
            return [(name, c_buffer(merged, size))]
        return [(name, cid_name or number or "<unknown>")]

    def describe(self) -> str:
        return '"Name" <number>'


@register
class FromUserKind(Kind):
    """from_user: letters, digits and the URI marks -._~%!$&'()*+,;=: only."""

    kind_name = "from_user"
    zero = ""
    ALLOWED = frozenset("-._~%!$&'()*+,;=:")

    def parse(self, current: Any, value: str, call: ApplyCall) -> str:
        for ch in value:
            if not (ch.isascii() and ch.isalnum()) and ch not in self.ALLOWED:
                logged = (Logged("ERROR", "res_pjsip/pjsip_configuration.c",
                                 f"Error configuring endpoint '{call.ctx.object_id}' - '{call.written}' field contains invalid character '{ch}'"),)
                raise invalid(call.name, value, "letters, digits and -._~%!$&'()*+,;=:", (), logged)
        return value


@register
class FileKind(Kind):
    """A file path Asterisk checks when the line is applied (transport TLS files, dtls_* files).

    params: `empty` ("ignore": an empty value changes nothing (transport); "set": it clears),
    `log` [level, module, template] logged when the file is not readable."""

    kind_name = "file"
    zero = ""

    def parse(self, current: Any, value: str, call: ApplyCall) -> str:
        if value == "":
            return current if self.params.get("empty") == "ignore" else ""
        if not call.ctx.file_readable(value):
            level, module, template = self.params.get("log", ("ERROR", "", "{name} {value} is not readable"))
            logged = (Logged(level, module, template.format(name=call.written, value=value, id=call.ctx.object_id,
                                                            squashed=call.written.replace("_", ""))),)
            raise invalid(call.name, value, "the path of a readable file", (), logged)
        return value


@register
class EpochKind(Kind):
    """contact expiration_time: seconds since the epoch (`sscanf %lu`), printed as a number."""

    kind_name = "epoch"
    zero = 0

    def parse(self, current: Any, value: str, call: ApplyCall) -> int:
        seconds, _rest, _ = strtol_prefix(value, 10)
        if seconds is None or seconds < 0:
            raise invalid(call.name, value, "seconds since 1970")
        return seconds


@register
class PosixRegexKind(Kind):
    """asterisk-publication device_state_filter / mailbox_state_filter: a POSIX extended regular
    expression (any case) compiled when the line is applied; one that does not compile is logged
    and fails the line. An empty value changes nothing. Never printed.

    params: `log` [level, module, template with {value} and {error}]."""

    kind_name = "posix_regex"
    zero = ""

    def parse(self, current: Any, value: str, call: ApplyCall) -> str:
        if value == "":
            return current
        error = regcomp_error(value, REG_EXTENDED | REG_ICASE | REG_NOSUB)
        if error is not None:
            level, module, template = self.params["log"]
            logged = (Logged(level, module, template.format(value=value, error=error)),)
            raise invalid(call.name, value, f"a POSIX extended regular expression ({error})", (), logged)
        return value

    def describe(self) -> str:
        return "a POSIX extended regular expression"
