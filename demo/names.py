"""Embedded name lists and the ways real sources spell one person's name (nicknames, case, order, accents)."""

from __future__ import annotations

import random
import unicodedata
from functools import cache

from nicknames import NickNamer

FIRST_NAMES = (
    "Robert", "William", "Elizabeth", "Katherine", "James", "Margaret", "Michael", "Jennifer",
    "Thomas", "Alexander", "Daniel", "Rebecca", "Christopher", "Samantha", "Richard", "Patricia",
    "Jonathan", "Victoria", "Edward", "Susan", "Andrew", "Emily", "David", "Charlotte", "Matthew",
    "Olivia", "Benjamin", "Hannah", "Joseph", "Sophie", "Anthony", "Laura", "Nicholas", "Grace",
    "José", "Zoë", "Søren", "Chloé", "Łukasz", "Renée", "Ibrahim", "Mei", "Aoife", "Björn",
    "François", "Priya", "Kwame", "Ana", "Hiroshi", "Fatima", "Noémie", "Mateus", "Siobhán", "Yusuf",
)
FAMILY_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Johnson", "Roberts", "Walker",
    "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris",
    "O'Brien", "García", "Müller", "Nguyen", "van der Berg", "Kowalski", "Ødegaard", "Martínez",
    "Okafor", "Chen", "Patel", "Dubois", "Rossi", "Novák", "Schäfer", "MacLeod", "Fernández",
    "Lindqvist", "Yamamoto", "Haddad", "Brennan", "Costa", "de Vries", "Åkesson", "Lefèvre",
)

_UNDECOMPOSABLE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE"})
_NICKNAMER = NickNamer()


def ascii_fold(text: str) -> str:
    """The spelling a keyboard without accents produces: José García -> Jose Garcia."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def has_accents(text: str) -> bool:
    return ascii_fold(text) != text


@cache
def nicknames_of(given: str) -> tuple[str, ...]:
    """Everyday short forms of a given name, capitalised, most common (shortest) first."""
    found = _NICKNAMER.nicknames_of(given.lower())
    return tuple(sorted((n.capitalize() for n in found if len(n) >= 3), key=lambda n: (len(n), n)))


def slug(text: str) -> str:
    """A lower-case ASCII token for addresses and profile URLs: "van der Berg" -> "vanderberg"."""
    return "".join(ch for ch in ascii_fold(text).lower() if ch.isalnum())


def display_variant(rng: random.Random, given: str, family: str) -> str | None:
    """How a mail client or calendar might show this person's name; None for no name at all."""
    roll = rng.random()
    if roll < 0.55:
        return f"{given} {family}"
    if roll < 0.65:
        return f"{family}, {given}"
    if roll < 0.72:
        return f"{given} {family}".upper()
    if roll < 0.79:
        return f"{given} {family}".lower()
    if roll < 0.87:
        return given
    if roll < 0.93 and has_accents(given + family):
        return ascii_fold(f"{given} {family}")
    return None
