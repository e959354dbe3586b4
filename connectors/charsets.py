"""Reading raw 8-bit text (a mail header block, a vCard line, a calendar): folded lines joined before they are
decoded, which declared charsets are safe to use, the windows-1252 every mail and contacts client falls back to, the
UTF-16 that Outlook exports in, and the quoted-printable values of vCard 2.1 and vCalendar 1.0."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

# Every printable ASCII byte, and escapes that codecs such as unicode_escape would turn into other characters
# (a "\n" read as a newline could forge a header or a vCard property).
_ASCII_PROBE = bytes(range(0x20, 0x7F)).replace(b"\\", b"") + b"\\u0041\\n"


# WHATWG windows-1252 from latin-1 text: the C1 controls become cp1252's characters, except the five bytes cp1252
# leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D), which stay as latin-1 reads them.
_C1_AS_WINDOWS_1252 = {byte: bytes([byte]).decode("cp1252", "ignore") or chr(byte) for byte in range(0x80, 0xA0)}
FOLD_INDENTS = (b" ", b"\t")
_QP_BROKEN_ESCAPE = re.compile(r"=(?![0-9A-Fa-f]{2})")
_QP_ESCAPE = re.compile(r"=([0-9A-Fa-f]{2})")
UTF16_SNIFF_BYTES = 4


def utf16_codec(head: bytes) -> str | None:
    """The codec of text starting with `head` (its first `UTF16_SNIFF_BYTES` bytes or more) if it is UTF-16, else None.

    Outlook exports vCards and calendars as UTF-16 with a byte order mark; a few tools leave the mark out, and then
    the NUL byte beside each ASCII letter of the first two ("BE" of BEGIN) says which end comes first.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # reads the mark, and drops it
    if len(head) < UTF16_SNIFF_BYTES:
        return None
    if head[1] == head[3] == 0 and head[0] and head[2]:
        return "utf-16-le"
    if head[0] == head[2] == 0 and head[1] and head[3]:
        return "utf-16-be"
    return None


def utf16_as_utf8(data: bytes) -> bytes:
    """`data` as UTF-8 if it is UTF-16 (see `utf16_codec`), else as it is."""
    codec = utf16_codec(data[:UTF16_SNIFF_BYTES])
    return data.decode(codec, "replace").encode("utf-8") if codec else data


def unfolded(
    lines: Iterable[tuple[int, bytes]], may_continue: Callable[[bytes], bool] = lambda line: True
) -> Iterator[tuple[int, bytes]]:
    """Content lines from numbered physical lines (without their line breaks), each with the number of its first
    physical line: a line that starts with a space or a tab continues the one before it, less that one character.

    Joined as bytes, before any decoding: RFC 5545 3.1 and RFC 6350 3.2 fold at 75 octets, so a fold may split a
    multi-byte character. A physical line for which `may_continue` is false is never continued.
    """
    first_number = 0
    parts: list[bytes] = []
    for number, line in lines:
        if parts and line.startswith(FOLD_INDENTS) and may_continue(parts[-1]):
            parts.append(line[1:])
            continue
        if parts:
            yield first_number, b"".join(parts)
        first_number, parts = number, [line]
    if parts:
        yield first_number, b"".join(parts)


def decode_windows_1252(data: bytes) -> str:
    """`data` as clients read windows-1252 and ISO-8859-1 (Outlook's dashes and curly quotes); every byte decodes."""
    return data.decode("latin-1").translate(_C1_AS_WINDOWS_1252)


@lru_cache(maxsize=256)
def reads_ascii_as_ascii(charset: str) -> bool:
    """Whether `charset` is a known codec that decodes plain ASCII unchanged (not UTF-16, not unicode_escape)."""
    try:
        return _ASCII_PROBE.decode(charset) == _ASCII_PROBE.decode("ascii")
    except (LookupError, UnicodeError):
        return False


def decode_quoted_printable(text: str, charset: str | None) -> str:
    """The decoded text of a quoted-printable value (vCard 2.1, vCalendar 1.0); ValueError when it cannot be decoded.

    Without a CHARSET parameter UTF-8 is tried first, then Windows-1252 (Outlook's default).
    """
    if _QP_BROKEN_ESCAPE.search(text):
        raise ValueError("broken quoted-printable escape")
    pieces = _QP_ESCAPE.split(text)  # literal, hex digits, literal, hex digits, ...
    raw = b"".join(
        bytes([int(piece, 16)]) if index % 2 else piece.encode("utf-8") for index, piece in enumerate(pieces)
    )
    for name in [charset] if charset else ["utf-8", "cp1252", "latin-1"]:
        try:
            return raw.decode(name).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise ValueError(f"unknown charset {name!r}") from None
    raise ValueError(f"bytes are not valid {charset}")
