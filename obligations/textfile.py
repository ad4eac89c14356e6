"""Bytes that should be UTF-8 text (case files, agreement texts): the checks both readers make first."""

from __future__ import annotations

MAX_BYTES = 1 << 20  # case files are a few KB and agreements a few pages: a megabyte is the wrong file


class NotText(ValueError):
    """Binary data or bytes that are not UTF-8: where (``line``) and what (``reason``), for a message."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


def decode_utf8(raw: bytes) -> str:
    """UTF-8 text (a BOM is allowed), or :class:`NotText` naming the first bad byte and its line.

    >>> decode_utf8(b"id: x\\n\\xff")
    Traceback (most recent call last):
    obligations.textfile.NotText: line 2: not UTF-8: byte 0xff cannot be decoded
    """
    if b"\x00" in raw:
        raise NotText(raw[: raw.index(b"\x00")].count(b"\n") + 1, "binary data (a NUL byte)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise NotText(line, f"not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded") from None
