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
    return tuple((name, address.strip().lower()) for name, address in pairs if _is_mailbox(address))


def _is_mailbox(address: str) -> bool:
    """Whether `address` can be someone's: it has a local part with a letter or digit, and no debris of an encoded
    word a broken mailer spilt into the address list (`?=@robot.example`, nylas/sync-engine#174)."""
    local, at, _ = address.strip().rpartition("@")
    return bool(at) and any(c.isalnum() for c in local) and "?=" not in local and "=?" not in local


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
        return _with_family_names_before_commas([item.strip() for item in items])
    pairs = _fast_parse(value.strip())
    if pairs is None:
        pairs = [_split_loose(name, address) for name, address in getaddresses([value])]
    return _normalised(pairs)


def _with_family_names_before_commas(items: list[str]) -> tuple[tuple[str | None, str], ...]:
    """The pairs of a list's items, where a name without an address before a named address is that name's family
    name: a mailer that does not quote the display name writes `Berntsen, =?utf-8?Q?P=C3=A5l?= <p@x>`
    (swiftmailer#84), which is Pål Berntsen."""
    pairs: list[tuple[str | None, str]] = []
    family_name = None
    for item in items:
        parsed = _parse_item(item)
        if family_name and len(parsed) == 1 and parsed[0][0] and family_name not in parsed[0][0]:
            pairs.append((f"{parsed[0][0]} {family_name}", parsed[0][1]))
        else:
            pairs.extend(parsed)
        family_name = _lone_name(item) if not parsed else None
    return tuple(pairs)


def _lone_name(item: str) -> str | None:
    """The item as a family name if it is nothing else: one word of letters with a capital first ("Berntsen"; not
    "Mary Lee", a name of its own, nor "jsmith"), no word of a group."""
    name = decode_encoded_words(item).strip()
    if (name[:1].isupper() and name.lower() not in _NOT_A_PERSON
            and all(c.isalpha() or c in _NAME_PUNCTUATION for c in name)):
        return name
    return None


# A department or a room after a name in Outlook's list: "Tan, Jason (SG)".
_BRACKETED_SUFFIX = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$")
_NAME_PUNCTUATION = frozenset("'’.-")
# Words that name a group or a room, not a person ("All Staff", "Conference Room 4B").
_NOT_A_PERSON = frozenset({"all", "staff", "team", "room", "conference", "meeting", "group", "everyone", "department",
                           "dept", "office", "support", "admin", "board"})


@lru_cache(maxsize=4096)
def names_without_addresses(value: str) -> tuple[str, ...]:
    """The people a recipient header names without any address, as Outlook's own list of recipients
    (PR_DISPLAY_TO) reads, which readpst writes for Exchange mail: "Tan, Jason; Lee, Mary Ann (SG)". Names are
    separated by semicolons, a comma within one is "Family, Given" (MS-OXPROPS, PidTagDisplayTo); a list without
    semicolons is read in "Family, Given" pairs when each pair has a side of one word ("Al Falasi, Fatima"), else
    split at its commas ("Jason Tan, Mary Lee"). Each name comes in reading order ("Jason Tan"), without a bracketed
    suffix. A group ("undisclosed-recipients:;"), any address, and what does
    not read as a person's name ("root", "All Staff", "Conference Room 4B") give none."""
    text = value.strip()
    if not text or "@" in text or ":" in text:
        return ()
    if ";" in text:
        parts = [_without_suffix(part) for part in text.split(";")]
    else:
        items = [_without_suffix(item) for item in text.split(",")]
        parts = _family_given_pairs(items) or items
    names = (_in_reading_order(part) for part in parts)
    return tuple(name for name in names if _reads_as_a_person(name))


def _family_given_pairs(items: list[str]) -> list[str]:
    """ "Tan, Jason, Al Falasi, Fatima" as ["Tan, Jason", "Al Falasi, Fatima"]: items in twos, each a family and a
    given name, one of them a single word ("Jason Tan, Mary Lee" are two names)."""
    pairs = [items[i:i + 2] for i in range(0, len(items), 2)]
    if len(items) % 2 or not all(min(len(family.split()), len(given.split())) == 1 for family, given in pairs):
        return []
    return [f"{family}, {given}" for family, given in pairs]


def _without_suffix(part: str) -> str:
    return _BRACKETED_SUFFIX.sub("", part.strip().strip('"')).strip()


def _in_reading_order(name: str) -> str:
    family, comma, given = name.partition(",")
    return f"{given.strip()} {family.strip()}" if comma and "," not in given else name


def _reads_as_a_person(name: str) -> bool:
    """Two to four words of letters, each starting with a capital, none a word of a group or a room."""
    words = name.split()
    return (2 <= len(words) <= 4 and not _NOT_A_PERSON & {word.lower() for word in words}
            and all(word[0].isupper() and all(c.isalpha() or c in _NAME_PUNCTUATION for c in word) for word in words))
