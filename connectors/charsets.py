"""Which charsets a file may declare for its raw 8-bit text (a mail header block, a vCard line) are safe to use."""

from __future__ import annotations

from functools import lru_cache

# Every printable ASCII byte, and escapes that codecs such as unicode_escape would turn into other characters
# (a "\n" read as a newline could forge a header or a vCard property).
_ASCII_PROBE = bytes(range(0x20, 0x7F)).replace(b"\\", b"") + b"\\u0041\\n"


@lru_cache(maxsize=256)
def reads_ascii_as_ascii(charset: str) -> bool:
    """Whether `charset` is a known codec that decodes plain ASCII unchanged (not UTF-16, not unicode_escape)."""
    try:
        return _ASCII_PROBE.decode(charset) == _ASCII_PROBE.decode("ascii")
    except (LookupError, UnicodeError):
        return False
