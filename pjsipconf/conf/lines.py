"""A file's bytes -> the lines config.c sees, numbered the way it numbers them.

config.c reads with `fgets` into an 8192-byte buffer and bumps its line counter once per call,
including the final call that finds end-of-file when the file ends with a newline (or is empty).
That counter is shared by all files of one glob `#include`, which is why the 2nd+ files of a glob
are logged with offset line numbers. A chunk of 8191 bytes without its newline is a "too long"
line and is skipped; a NUL byte ends the C string early.
"""

from __future__ import annotations

from dataclasses import dataclass

LINE_MAX = 8191  # fgets(buf, 8192) reads at most 8191 bytes
_BOM = "\ufeff"


@dataclass(slots=True)
class FileLines:
    """`texts[i]` is what the (i+1)-th fgets call of this file returned ("" when skipped).

    `physical[i]` is its 1-based physical line, or `physical` is None when it is simply i+1.
    `consumed` is how far the line counter moves for this file (the next glob file starts there).
    """

    texts: list[str]
    physical: list[int] | None
    consumed: int
    notes: list[tuple[str, int, str]]  # (problem code, index into texts, detail)


def split_lines(data: bytes, first_lineno: int) -> FileLines:
    """Split `data` as config.c's read loop does; `first_lineno` is the counter before the file."""
    if b"\x00" not in data:
        plain = _split_plain(data, first_lineno)
        # A line of 2048+ characters may be 8191+ bytes: only then look at the bytes.
        if max(map(len, plain.texts)) < LINE_MAX // 4 or max(map(len, data.split(b"\n"))) < LINE_MAX:
            return plain
    return _split_like_fgets(data, first_lineno)


def _decode(data: bytes) -> tuple[str, int | None]:
    """UTF-8 text, and the byte offset of the first invalid byte (None if all valid)."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return data.decode("utf-8", "replace"), error.start


def _split_plain(data: bytes, first_lineno: int) -> FileLines:
    text, bad_offset = _decode(data)
    texts = text.split("\n")
    notes: list[tuple[str, int, str]] = []
    if bad_offset is not None:
        notes.append(("not-utf8", data.count(b"\n", 0, bad_offset), ""))
    if first_lineno == 0 and texts[0].startswith(_BOM):
        texts[0] = texts[0][1:]
    # Without a trailing newline the last fgets hits EOF itself; with one (or for an empty file)
    # one more call is needed to see EOF. Either way the count equals len(split('\n')).
    return FileLines(texts, None, len(texts), notes)


def _split_like_fgets(data: bytes, first_lineno: int) -> FileLines:
    """The exact fgets loop, for files with a NUL byte or a line of 8191+ bytes."""
    texts: list[str] = []
    physical: list[int] = []
    notes: list[tuple[str, int, str]] = []
    size = len(data)
    pos = 0
    line_no = 1  # physical line of `pos`
    at_eof = False
    while not at_eof:
        if pos >= size:  # this fgets call returns NULL and sets EOF
            texts.append("")
            physical.append(line_no)
            break
        chunk, pos, at_eof = _fgets(data, pos)
        index = len(texts)
        physical.append(line_no)
        c_string = chunk.split(b"\x00", 1)[0]
        if len(c_string) != len(chunk):
            notes.append(("nul-byte", index, ""))
        if len(c_string) == LINE_MAX and c_string[-1:] != b"\n":
            notes.append(("line-too-long", index, c_string[:32].decode("utf-8", "replace")))
            texts.append("")  # skipped: not even looked at for comments
            while not at_eof:  # config.c swallows the rest of the long line
                if pos >= size:
                    at_eof = True
                    break
                rest, pos, at_eof = _fgets(data, pos)
                line_no += rest.count(b"\n")
                rest = rest.split(b"\x00", 1)[0]
                if len(rest) != LINE_MAX or rest[-1:] == b"\n":
                    break
            line_no += chunk.count(b"\n")
            continue
        line_no += chunk.count(b"\n")
        if first_lineno + index == 0 and c_string.startswith(b"\xef\xbb\xbf"):
            c_string = c_string[3:]
        text, bad_offset = _decode(c_string.rstrip(b"\n"))
        if bad_offset is not None:
            notes.append(("not-utf8", index, ""))
        texts.append(text)
    return FileLines(texts, physical, len(texts), notes)


def _fgets(data: bytes, pos: int) -> tuple[bytes, int, bool]:
    """One fgets(buf, 8192): the chunk, the new position, and whether it hit end-of-file."""
    newline = data.find(b"\n", pos, pos + LINE_MAX)
    end = newline + 1 if newline != -1 else min(pos + LINE_MAX, len(data))
    chunk = data[pos:end]
    hit_eof = newline == -1 and len(chunk) < LINE_MAX
    return chunk, end, hit_eof
