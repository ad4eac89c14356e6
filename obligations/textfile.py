"""Reading the files a user hands over (case files, contacts, holidays, settings, agreement texts): one
bounded reader, and the checks every text makes before it is parsed.

Input is treated as hostile. Only a regular file is read: a FIFO would block for ever, ``/dev/zero`` or
``/dev/urandom`` would never end, and a socket cannot be read at all; a link is judged by what it points to.
The size is checked on the open file before anything is read, and never more than the limit plus one byte
is read, so a sparse 2 GiB file, or one that grows while it is read, costs a megabyte at most.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

MAX_BYTES = 1 << 20  # case files are a few KB and agreements a few pages: a megabyte is the wrong file

# What YAML (and any text editor) calls printable: tab, line feeds and every character outside the C0 and
# C1 controls, DEL, surrogates and the two non-characters. Anything else is a raw control character.
_CONTROL = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


class FileRefused(ValueError):
    """A file not read at all: not a regular file, too large, or not openable; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotText(ValueError):
    """Binary data or bytes that are not UTF-8: where (``line``) and what (``reason``), for a message."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


def read_limited(path: Path, what: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, or :class:`FileRefused`; ``what`` names such files in the
    message ("case files are at most 1 MiB").

    >>> read_limited(Path("/dev/zero"), "case files")
    Traceback (most recent call last):
    obligations.textfile.FileRefused: not a regular file but a device; case files are ordinary files
    """
    try:
        # Judged before opening, so that a FIFO is never opened; judged again on the open file (fstat),
        # so that a file swapped in between is judged too. O_NONBLOCK: even then, opening never waits.
        _regular(os.stat(path).st_mode, what)
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as error:
        raise FileRefused(f"cannot read the file: {error.strerror or error}") from None
    try:
        status = os.fstat(handle)
        _regular(status.st_mode, what)
        if status.st_size > limit:
            raise FileRefused(_too_big(status.st_size, what, limit))
        chunks: list[bytes] = []
        size = 0
        while size <= limit and (chunk := os.read(handle, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise FileRefused(f"cannot read the file: {error.strerror or error}") from None
    finally:
        os.close(handle)
    if size > limit:  # it grew after the size was checked
        raise FileRefused(_too_big(size, what, limit, more=True))
    return b"".join(chunks)


def _regular(mode: int, what: str) -> None:
    if not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "not a file")
        raise FileRefused(f"not a regular file but {kind}; {what} are ordinary files")


def _too_big(size: int, what: str, limit: int, *, more: bool = False) -> str:
    return f"file is {'more than ' if more else ''}{size:,} bytes; {what} are at most {limit >> 20} MiB"


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


def refuse_control_characters(text: str) -> None:
    """:class:`NotText` naming the first raw control character and its line, if the text has one.

    >>> refuse_control_characters("id: x\\ntitle: a\\x07b")
    Traceback (most recent call last):
    obligations.textfile.NotText: line 2: a raw control character (U+0007)
    """
    found = _CONTROL.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        raise NotText(line, f"a raw control character (U+{ord(found.group()):04X})")
