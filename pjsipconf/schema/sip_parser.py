"""pjproject's SIP URI and header grammar (pjsip/src/pjsip/sip_parser.c, pjlib-util's scanner), as
far as Asterisk runs it while loading: does a text parse, yes or no.

Outbound registrations parse their server and client URIs with `pjsip_parse_uri`, their
outbound_proxy as a Route header and the Contact they build as a Contact header; an object whose
text fails is refused. The scanner works on the value's bytes as C sees them (NUL-terminated: the
byte "after" the end reads as 0). Config values hold no line breaks, so the header scanner's
line-continuation rules never come into play and whitespace skipping is spaces and tabs.
"""

from __future__ import annotations

import string
from typing import Callable

_ALNUM = frozenset((string.ascii_letters + string.digits).encode())
_MARK = b"-_.!~*'()"
_DIGIT = frozenset(string.digits.encode())
_TOKEN = _ALNUM | frozenset(b"-.!%*_`'~+")
_HOST = _ALNUM | frozenset(b"_-.")
_PARAM_CHAR = _ALNUM | frozenset(b"[]/:&+$" + _MARK + b"%")
_HDR_CHAR = _ALNUM | frozenset(b"[]/?:+$" + _MARK + b"%")
_USER_LENIENT = _ALNUM | frozenset(_MARK + b"%" + b"&=+$,;?/" + b"#")
_PASSWD = _ALNUM | frozenset(_MARK + b"%" + b"&=+$,")
_OTHER_URI_CONTENT = _ALNUM | frozenset(b"#?;:@&=+-_.!~*'()%$,/")
# Inverted sets never hold NUL (pj_cis_invert starts at 1): the terminator stops every run.
_PROBE_USER_HOST = frozenset(range(1, 256)) - frozenset(b"@ \n>")
_DISPLAY = frozenset(range(1, 256)) - frozenset(b":\r\n<")

_SPACES = b" \t"
_NEWLINES = b"\r\n"
_MAX_PORT = 65535
_MAX_TTL = 255
_MAX_Q = (2**31 - 1) // 1000  # PJSIP_MAX_Q1000 (the integer part of q)


class _SyntaxError(Exception):
    """PJSIP_SYN_ERR_EXCEPTION (and the EINVAL one a bad number throws)."""


class _Scanner:
    """pj_scanner over one value; `skip_ws` as pj_scan_init's options (0, or header mode)."""

    def __init__(self, text: str, skip_ws: bool) -> None:
        self.data = text.encode("utf-8", "surrogateescape")
        self.pos = 0
        self.skip_ws = skip_ws
        if skip_ws:
            self.skip_whitespace()

    def eof(self) -> bool:
        return self.pos >= len(self.data)

    def cur(self) -> int:
        return self.data[self.pos] if self.pos < len(self.data) else 0

    def skip_whitespace(self) -> None:
        while self.pos < len(self.data) and self.data[self.pos] in _SPACES:
            self.pos += 1

    def _after_token(self) -> None:
        if self.skip_ws:  # the auto-skip of header mode
            self.skip_whitespace()

    def get(self, spec: frozenset[int]) -> bytes:
        """pj_scan_get: at least one byte of `spec`."""
        start = self.pos
        if self.eof() or self.cur() not in spec:
            raise _SyntaxError
        while self.pos < len(self.data) and self.data[self.pos] in spec:
            self.pos += 1
        token = self.data[start : self.pos]
        self._after_token()
        return token

    def get_char(self) -> int:
        if self.eof() or self.cur() == 0:
            raise _SyntaxError
        char = self.cur()
        self.pos += 1
        self._after_token()
        return char

    def peek(self, spec: frozenset[int]) -> tuple[int, bytes]:
        """pj_scan_peek: the byte after the run of `spec` (0 at the end), and the run."""
        if self.eof():
            raise _SyntaxError
        end = self.pos
        while end < len(self.data) and self.data[end] in spec:
            end += 1
        return (self.data[end] if end < len(self.data) else 0), self.data[self.pos : end]

    def get_until(self, stop: int) -> bytes:
        if self.eof():
            raise _SyntaxError
        start = self.pos
        while self.pos < len(self.data) and self.data[self.pos] != stop:
            self.pos += 1
        token = self.data[start : self.pos]
        self._after_token()
        return token

    def get_quote(self, quote: int) -> bytes:
        """pj_scan_get_quote: up to the closing quote no odd run of backslashes escapes."""
        data, start = self.data, self.pos
        if self.cur() != quote:
            raise _SyntaxError
        end = start + 1
        while True:
            while end < len(data) and data[end] not in (ord("\n"), quote):
                end += 1
            if end >= len(data) or data[end] != quote or data[end - 1] != ord("\\"):
                break
            backslashes = 0  # before the one that precedes the quote
            back = end - 2
            while back > 0 and data[back] == ord("\\"):
                back -= 1
                backslashes += 1
            if backslashes % 2 == 1:
                break
            end += 1
        if end >= len(data) or data[end] != quote:
            raise _SyntaxError
        self.pos = end + 1
        self._after_token()
        return data[start : self.pos]


def _number_in(text: bytes, low: int, high: int) -> None:
    """strtoi_validate (pj_strtol2): blanks, a sign, digits up to the first other byte."""
    blanks = b" \t\r\n\v\f"
    body = text.lstrip(blanks)
    negative = body[:1] == b"-"
    if body[:1] in (b"+", b"-"):
        body = body[1:].lstrip(blanks)  # pj_strtoul3 trims again
    digits = len(body) - len(body.lstrip(b"0123456789"))
    if not digits:
        raise _SyntaxError
    value = int(body[:digits]) * (-1 if negative else 1)
    if not low <= value <= high:
        raise _SyntaxError


def _uri_or_name_addr(scanner: _Scanner, parse_params: bool) -> None:
    """int_parse_uri_or_name_addr."""
    scanner.skip_whitespace()
    if scanner.cur() in b'"<':
        return _name_addr(scanner)
    following, scheme = scanner.peek(_DISPLAY)
    if following == ord(":"):
        _scheme_parser(scheme)(scanner, parse_params)
    else:
        _name_addr(scanner)


def _scheme_parser(scheme: bytes) -> Callable[[_Scanner, bool], None]:
    """find_uri_handler: sip and sips have their parser, any other scheme is an 'other' URI."""
    return _sip_url if scheme.lower() in (b"sip", b"sips") else _other_uri


def _uri(scanner: _Scanner) -> None:
    """int_parse_uri (inside a name-addr): a token scheme and its colon must come first."""
    following, scheme = scanner.peek(_TOKEN)
    if following != ord(":"):
        raise _SyntaxError
    _scheme_parser(scheme)(scanner, True)


def _sip_url(scanner: _Scanner, parse_params: bool) -> None:
    """int_parse_sip_url: [user[:password]@]host[:port][;params][?headers], blanks not skipped."""
    skip_ws, scanner.skip_ws = scanner.skip_ws, False
    scheme = scanner.get(_TOKEN)
    if scanner.get_char() != ord(":") or scheme.lower() not in (b"sip", b"sips"):
        raise _SyntaxError
    if scanner.peek(_PROBE_USER_HOST)[0] == ord("@"):
        scanner.get(_USER_LENIENT)
        if scanner.cur() == ord(":"):
            scanner.get_char()
            scanner.get(_PASSWD)
        scanner.get_char()  # the '@', taken unseen
    _host_port(scanner)
    if parse_params:
        while scanner.cur() == ord(";"):
            scanner.get_char()
            name, value = _param(scanner, _PARAM_CHAR)
            if name.lower() == b"ttl" and value:
                _number_in(value, 0, _MAX_TTL)
        if scanner.cur() == ord("?"):
            _header_params(scanner)
    scanner.skip_ws = skip_ws
    scanner.skip_whitespace()


def _host_port(scanner: _Scanner) -> None:
    if scanner.cur() == ord("["):
        scanner.get_char()
        host = scanner.get_until(ord("]"))
        scanner.get_char()
        if not host:
            raise _SyntaxError
    else:
        scanner.get(_HOST)
    if scanner.cur() == ord(":"):
        scanner.get_char()
        _number_in(scanner.get(_DIGIT), 0, _MAX_PORT)


def _param(scanner: _Scanner, spec: frozenset[int]) -> tuple[bytes, bytes]:
    """parse_param_imp: a name of `spec`, then `=` and a quoted or plain value, or nothing."""
    name = scanner.get(spec)
    value = b""
    if scanner.cur() == ord("="):
        scanner.get_char()
        if not scanner.eof():
            if scanner.cur() == ord('"'):
                value = scanner.get_quote(ord('"'))
            elif scanner.cur() in spec:
                value = scanner.get(spec)
    return name, value


def _header_params(scanner: _Scanner) -> None:
    """int_parse_hparam, `?name=value&...`."""
    while True:
        scanner.get_char()  # '?' or '&'
        scanner.get(_HDR_CHAR)
        if scanner.cur() == ord("="):
            scanner.get_char()
            if not scanner.eof() and scanner.cur() in _HDR_CHAR:
                scanner.get(_HDR_CHAR)
        if scanner.cur() != ord("&"):
            return


def _other_uri(scanner: _Scanner, _parse_params: bool) -> None:
    """int_parse_other_uri: scheme ':' and content of the generic URI characters."""
    skip_ws, scanner.skip_ws = scanner.skip_ws, False
    scanner.get(_TOKEN)
    if scanner.get_char() != ord(":"):
        raise _SyntaxError
    scanner.get(_OTHER_URI_CONTENT)
    scanner.skip_ws = skip_ws


def _name_addr(scanner: _Scanner) -> None:
    """int_parse_name_addr: ["display"] <uri>, or a bare URI when there is no display name."""
    display = b""
    if scanner.cur() == ord('"'):
        display = scanner.get_quote(ord('"'))[1:-1]
    elif scanner.cur() != ord("<") and scanner.peek(_DISPLAY)[0] == ord("<"):
        display = scanner.get_until(ord("<")).strip()
    scanner.skip_whitespace()
    bracket = scanner.cur() == ord("<")
    if bracket:
        scanner.get_char()
    elif display:
        raise _SyntaxError  # a display name needs the URI in brackets
    _uri(scanner)
    if bracket and scanner.get_char() != ord(">"):
        raise _SyntaxError


def _header_end(scanner: _Scanner) -> None:
    """parse_hdr_end: the end, a '&' (the rest is not looked at), or a line break."""
    if scanner.eof():
        return
    if scanner.cur() == ord("&"):
        scanner.get_char()
    elif scanner.cur() not in _NEWLINES:
        raise _SyntaxError


def _route(scanner: _Scanner) -> None:
    """parse_hdr_route: name-addrs with header parameters, separated by commas."""
    while True:
        _name_addr(scanner)
        while scanner.cur() == ord(";"):
            scanner.get_char()
            _param(scanner, _TOKEN)
        if scanner.cur() != ord(","):
            break
        scanner.get_char()
    _header_end(scanner)


def _contact(scanner: _Scanner) -> None:
    """parse_hdr_contact: `*` or addresses with contact parameters (q is checked as a number)."""
    while True:
        if scanner.cur() == ord("*"):
            scanner.get_char()
        else:
            _uri_or_name_addr(scanner, parse_params=False)
            while scanner.cur() == ord(";"):
                scanner.get_char()
                name, value = _param(scanner, _TOKEN)
                if name.lower() == b"q" and value:
                    _number_in(value.split(b".", 1)[0], 0, _MAX_Q)
        if scanner.cur() != ord(","):
            break
        scanner.get_char()
    _header_end(scanner)


def parses_as_uri(text: str) -> bool:
    """pjsip_parse_uri(text, 0): a URI or name-addr, with nothing after it but blanks."""
    scanner = _Scanner(text, skip_ws=False)
    try:
        _uri_or_name_addr(scanner, parse_params=True)
    except _SyntaxError:
        return False
    return scanner.eof() or scanner.cur() in _NEWLINES


_HEADERS = {"route": _route, "contact": _contact}


def parses_as_header(name: str, text: str) -> bool:
    """pjsip_parse_hdr for a Route or Contact header's value."""
    scanner = _Scanner(text, skip_ws=True)
    try:
        _HEADERS[name.lower()](scanner)
    except _SyntaxError:
        return False
    return True
