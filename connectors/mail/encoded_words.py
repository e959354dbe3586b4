"""Decodes RFC 2047 encoded words (`=?charset?Q|B?text?=`) in any charset, never raising."""

from __future__ import annotations

import binascii
import codecs
import re
from functools import lru_cache

from connectors.charsets import decode_windows_1252

# Read leniently: spaces inside the text (`=?ISO-8859-1?Q?J=F6rg Meyer?=`, sup#424), and a word that a broken mailer
# left without its closing ?= at the end of the value (nylas/sync-engine#174).
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?]*?)(?:\?=|$)")
_WHITESPACE = re.compile(rb"\s+")
# Codecs whose label mail clients read as windows-1252 (WHATWG encoding standard): Outlook writes the en dash and
# curly quotes of 0x80-0x9F under an ISO-8859-1 label. US-ASCII is too, but only after UTF-8 (see decode_bytes).
_WINDOWS_1252_CODECS = frozenset({"iso8859-1", "cp1252"})


@lru_cache(maxsize=256)
def _codec_name(charset: str) -> str | None:
    try:
        return codecs.lookup(charset).name
    except (LookupError, ValueError):  # ValueError: a NUL byte in the label
        return None


def decode_bytes(data: bytes, charset: str = "utf-8") -> str:
    """`data` in `charset`, ISO-8859-1 read as windows-1252; an unknown charset or invalid bytes (8-bit text labelled
    US-ASCII) fall back to UTF-8, then windows-1252."""
    if _codec_name(charset) in _WINDOWS_1252_CODECS:
        return decode_windows_1252(data)
    for candidate in (charset, "utf-8"):
        try:
            return data.decode(candidate)
        # ValueError: Python's codec "undefined" (the label JavaScript mailers write) refuses every byte with a bare
        # UnicodeError, and a label holding a NUL byte is refused too.
        except (LookupError, ValueError):
            continue
    return decode_windows_1252(data)


def _payload(encoding: str, text: str) -> bytes:
    raw = text.encode("ascii", "replace")
    try:
        if encoding in "Qq":
            return binascii.a2b_qp(raw, header=True)
        raw = _WHITESPACE.sub(b"", raw)
        return binascii.a2b_base64(raw + b"=" * (-len(raw) % 4))
    except binascii.Error:
        return raw


@lru_cache(maxsize=16384)  # display names, subjects and label lists repeat across a mailbox
def decode_encoded_words(text: str) -> str:
    """`text` with its encoded words decoded; whitespace between adjacent encoded words is dropped."""
    if "=?" not in text:
        return text
    pieces: list[str] = []
    pending_charset: str | None = None  # adjacent words of one charset are joined before decoding,
    pending = b""  # because a multi-byte character may be split across two words
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        between = text[position : match.start()]
        if pending_charset is None or between.strip():
            if pending_charset is not None:
                pieces.append(decode_bytes(pending, pending_charset))
                pending_charset, pending = None, b""
            pieces.append(between)
        charset = match.group(1).split("*", 1)[0].lower()  # RFC 2231 language suffix: utf-8*en
        if charset != pending_charset and pending_charset is not None:
            pieces.append(decode_bytes(pending, pending_charset))
            pending = b""
        pending_charset = charset
        pending += _payload(match.group(2), match.group(3))
        position = match.end()
    if pending_charset is not None:
        pieces.append(decode_bytes(pending, pending_charset))
    pieces.append(text[position:])
    return "".join(pieces)
