"""Parses address header values (From, To, Cc, ...) into (display name, address) pairs, fast path first."""

from __future__ import annotations

import re
from email.utils import getaddresses
from functools import lru_cache

from connectors.mail.encoded_words import decode_encoded_words

# One list item in the common forms: `Name <a@b>`, `"Last, First" <a@b>`, `a@b`, `Name a@b` (no brackets).
# Anything else (groups, comments, route addresses, stray quotes) goes to email.utils.getaddresses.
_ADDR = r'[^<>\s,;:()"]+@[^<>\s,;:()"]+'
_ADDRESS_ITEM = re.compile(
    rf"""\s*(?:
        (?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<name>[^<>",;:()]*?))\s*<(?P<bracketed>{_ADDR})>
      | (?P<bare>{_ADDR})
      | (?P<loose_name>[^<>",;:()@]+?)\s+(?P<loose>{_ADDR})
    )\s*(?:,\s*|$)""",
    re.X,
)
_QUOTED_PAIR = re.compile(r"\\(.)")


def _display_name(name: str | None) -> str | None:
    if not name:
        return None
    name = decode_encoded_words(name).strip()
    if len(name) > 1 and name[0] == name[-1] == "'":  # Outlook writes `'Wei Liu' <wl@xen.org>`
        name = name[1:-1].strip()
    return name or None


def _fast_parse(value: str) -> list[tuple[str | None, str]] | None:
    pairs = []
    position, end = 0, len(value)
    while position < end:
        match = _ADDRESS_ITEM.match(value, position)
        if match is None:
            return None
        quoted, name, bracketed, bare, loose_name, loose = match.groups()
        if quoted is not None:
            pairs.append((_display_name(_QUOTED_PAIR.sub(r"\1", quoted)), bracketed))
        elif bracketed is not None:
            pairs.append((_display_name(name), bracketed))
        elif bare is not None:
            pairs.append((None, bare))
        else:
            pairs.append((_display_name(loose_name), loose))
        position = match.end()
    return pairs


def _split_loose(name: str, address: str) -> tuple[str | None, str]:
    """getaddresses keeps `Alice Example alice@example.com` as one address: the last word with @ is the address."""
    words = address.split()
    if len(words) < 2 or "@" not in words[-1]:
        return _display_name(name), address
    return _display_name(name or " ".join(words[:-1])), words[-1]


# A list split at commas outside double quotes (comments and groups take the whole-value path instead).
_LIST_ITEM = re.compile(r'(?:"(?:[^"\\]|\\.)*"|[^,"])+')
_WHOLE_VALUE_SYNTAX = re.compile(r"[():;\\]")


def _normalised(pairs) -> tuple[tuple[str | None, str], ...]:
    return tuple((name, address.strip().lower()) for name, address in pairs if "@" in address)


# Correspondents repeat across a mailbox, so the same items and header values come back again and again.
@lru_cache(maxsize=32768)
def _parse_item(item: str) -> tuple[tuple[str | None, str], ...]:
    pairs = _fast_parse(item)
    if pairs is None:
        pairs = [_split_loose(name, address) for name, address in getaddresses([item])]
    return _normalised(pairs)


@lru_cache(maxsize=16384)
def parse_addresses(value: str) -> tuple[tuple[str | None, str], ...]:
    """(decoded display name or None, lower-case address) per address in the value; items without @ are dropped."""
    if _WHOLE_VALUE_SYNTAX.search(value) is None:
        items = _LIST_ITEM.findall(value)
        if len(items) == 1:
            return _parse_item(items[0].strip())
        return tuple(pair for item in items for pair in _parse_item(item.strip()))
    pairs = _fast_parse(value.strip())
    if pairs is None:
        pairs = [_split_loose(name, address) for name, address in getaddresses([value])]
    return _normalised(pairs)


# A name written "Family, Given": one word each side of one comma.
_FAMILY_COMMA_GIVEN = re.compile(r"[^\s,]+,\s*[^\s,]+")


@lru_cache(maxsize=4096)
def names_without_addresses(value: str) -> tuple[str, ...]:
    """The display names of a recipient header that holds no address at all, as Outlook's own list of recipients
    (PR_DISPLAY_TO) reads, which readpst writes for Exchange mail: "Tan, Jason; Lee, Mary". Names are separated by
    semicolons, or by commas unless the value is one "Family, Given" name; each comes in reading order ("Jason Tan").
    A group ("undisclosed-recipients:;") or any address gives none."""
    text = value.strip()
    if not text or "@" in text or ":" in text:
        return ()
    if ";" in text:
        parts = text.split(";")
    elif _FAMILY_COMMA_GIVEN.fullmatch(text):
        parts = [text]
    else:
        parts = text.split(",")
    names = (part.strip().strip('"').strip() for part in parts)
    return tuple(_in_reading_order(name) for name in names if name)


def _in_reading_order(name: str) -> str:
    if _FAMILY_COMMA_GIVEN.fullmatch(name):
        family, given = name.split(",")
        return f"{given.strip()} {family.strip()}"
    return name
