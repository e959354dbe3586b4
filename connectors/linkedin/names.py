"""The names a connection goes by, from the First Name and Last Name members type into their profile: members add
titles, nicknames, pronouns, a birth name, credentials and emoji, which no address book or mail writes in a name."""

from __future__ import annotations

import re
import unicodedata

# Titles as they are written before a first name (the ones transforms' without_titles knows, and the German compounds
# and faculties): "Dr. Petra", "Prof. Dr.-Ing. Jan", "Dipl.-Kfm. Uwe", "Dr. rer. nat. Eva". Dipl, Mag, Ing and Univ
# count only with their dot, and the case must match, so "Ing Li" and "MS Dhoni" keep their names.
_TITLE = r"(?:(?:Dr|Prof|Mr|Mrs|Ms|Mx|Miss|Herr|Frau|Sir|Dame|Mme|Mlle)\.?|(?:Dipl|Mag|Ing|Univ)\.)"
_LEADING_TITLES = re.compile(rf"\A(?:{_TITLE}(?:-[A-Z][a-z]*\.)*(?:\s+[a-z][a-z.]*\.)*\s+)+")
_IN_BRACKETS = r"\s*[(\[](?P<inside>[^()\[\]]+)[)\]]"
_BRACKETED = re.compile(_IN_BRACKETS)
_BRACKETED_NICKNAME = re.compile(rf"\s*(?P<given>[^()]+?){_IN_BRACKETS}\s*")
# Pronouns ("she/her", "sie/ihr") and a birth name ("née Nowak", "geb. Schmitz") are no nickname and no family name.
_PRONOUNS_OR_BIRTH_NAME = re.compile(
    r"(?i).*/|\s*(?:n[ée]e|geb(?:orene)?\.?|born|formerly|he|she|they)\b"
)
# Emoji ("Schmidt 🌍", "👩‍💻"), with their joiners, skin tones and variation selectors, and other symbols ("✨").
_SYMBOL_CATEGORIES = {"So", "Sk", "Cf"}
_VARIATION_SELECTORS = "\ufe0e\ufe0f"


def given_name_and_nickname(first: str | None) -> tuple[str | None, str | None]:
    """The given name without titles before it ("Dr. Petra") or decorations after it, and the name the member goes
    by when they write it after their first name in brackets: "William (Bill)", "Lily (Yan)" (not their pronouns or
    birth name)."""
    given = _LEADING_TITLES.sub("", _undecorated(first or ""))
    match = _BRACKETED_NICKNAME.fullmatch(given)
    if match is None:
        return given or None, None
    if _PRONOUNS_OR_BIRTH_NAME.match(match["inside"]):
        return match["given"], None
    return match["given"], match["inside"]


def family_name(last: str | None) -> str | None:
    """The family name without the credentials or suffix after a comma ("Schmidt, PhD", "Smith, Jr."), pronouns or
    a birth name in brackets ("Vogel (she/her)", "Hoffmann (geb. Schmitz)"), or decorations after it."""
    before_comma = (last or "").partition(",")[0]
    without_asides = _BRACKETED.sub(_unless_pronouns_or_birth_name, before_comma)
    return _undecorated(without_asides) or None


# A family name written as its initial: "R." or "R" (members who show only the initial, and Tamil names whose initial
# stands for the father's name).
_INITIAL = re.compile(r"(?P<letter>[^\W\d_])\.?")


def family_name_from_profile(family: str | None, given: str | None, slug: str | None) -> str | None:
    """A family name the member wrote as its initial ("Karthik", "R.") spelt out from their profile address when
    it ends in the whole name (karthik-ramasamy-439536): the last word of letters before the number LinkedIn adds,
    when it starts with the initial and is none of the first names (not ravi-kiran-kumar's Kiran, nor the headline
    word of priya-s-sap-consultant). Any other family name as it is."""
    initial = _INITIAL.fullmatch(family or "")
    if initial is None or not slug:
        return family
    words = slug.split("-")
    while words and not words[-1].isalpha():  # LinkedIn's number: 439536, 5a, 12aabf
        words.pop()
    last = words[-1] if len(words) > 1 else ""
    given_words = {_ascii(word) for word in (given or "").lower().split()}
    if len(last) > 1 and last not in given_words and last[0] == _ascii(initial["letter"].lower()):
        return last.capitalize()
    return family


def _ascii(text: str) -> str:
    """The letters a profile address keeps of a name: Ramón -> ramon."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _unless_pronouns_or_birth_name(bracketed: re.Match[str]) -> str:
    return "" if _PRONOUNS_OR_BIRTH_NAME.match(bracketed["inside"]) else bracketed[0]


def _undecorated(name: str) -> str:
    """The name before a headline ("Anna Schmidt | Hiring") without symbols around it ("Anna Schmidt 🌍")."""
    before_headline = name.partition("|")[0]
    kept = [index for index, char in enumerate(before_headline) if not _is_decoration(char)]
    return before_headline[kept[0] : kept[-1] + 1] if kept else ""


def _is_decoration(char: str) -> bool:
    return char.isspace() or char in _VARIATION_SELECTORS or unicodedata.category(char) in _SYMBOL_CATEGORIES
