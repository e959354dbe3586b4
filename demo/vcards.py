"""Writes the owner's address books as vCard files in four dialects: iCloud 3.0, Outlook 2.1, Google 3.0, Android 4.0."""

from __future__ import annotations

import random
import time
import uuid
from pathlib import Path

from demo.names import ascii_fold, has_accents
from demo.people import Person, World

ICLOUD_PATH = Path("contacts/iCloud vCard.vcf")
OUTLOOK_PATH = Path("contacts/outlook_contacts.vcf")
GOOGLE_PATH = Path("contacts/contacts.vcf")
ANDROID_PATH = Path("contacts/00001.vcf")


def phone_formats(e164: str) -> tuple[str, ...]:
    """The ways people type one UK number: national with spaces, +44, 00-prefix, bracketed, bare E.164."""
    digits = e164[3:]
    area, local = (digits[:2], digits[2:]) if digits.startswith("20") else (digits[:3], digits[3:])
    local = f"{local[:3]} {local[3:]}" if len(local) == 7 else f"{local[:4]} {local[4:]}"
    return (f"0{area} {local}", f"+44 {area} {local}", f"0044 {area} {local}", f"(0{area}) {local}", e164)


def write_vcards(world: World, inbox: Path, rng: random.Random) -> tuple[int, dict]:
    """Write the four address books; returns (cards written, the broken record)."""
    (inbox / ICLOUD_PATH).parent.mkdir(parents=True, exist_ok=True)
    books: dict[Path, list[tuple[Person, bool]]] = {ICLOUD_PATH: [], OUTLOOK_PATH: [], GOOGLE_PATH: [], ANDROID_PATH: []}
    folded_once = False
    for person in (p for p in world.people if p.address_book):
        accented = has_accents(person.full_name)
        if person.personal_side:
            home = ICLOUD_PATH if person.kind == "family" or rng.random() < 0.7 else GOOGLE_PATH
        elif accented or rng.random() < 0.6:
            home = OUTLOOK_PATH
        else:
            home = rng.choice((GOOGLE_PATH, ANDROID_PATH))
        books[home].append((person, accented and home != OUTLOOK_PATH and rng.random() < 0.2))
        if accented and home == OUTLOOK_PATH and not folded_once:  # saved again on a phone, typed without accents
            books[GOOGLE_PATH].append((person, True))
            folded_once = True
        elif rng.random() < 0.15:  # the same person saved again on another device
            books[rng.choice([b for b in books if b != home])].append((person, False))
    saved = [p for p in world.people if p.address_book]
    _ensure(books[ICLOUD_PATH], saved, lambda p: p.linkedin_state is not None)  # an X-SOCIALPROFILE
    _ensure(books[ANDROID_PATH], saved, lambda p: bool(p.phones))  # a tel: URI
    writers = {ICLOUD_PATH: _icloud, OUTLOOK_PATH: _outlook, GOOGLE_PATH: _google, ANDROID_PATH: _android}
    cards = 0
    for path, people in books.items():
        text = "".join(writers[path](person, rng, world, fold) for person, fold in people)
        if path == ANDROID_PATH:
            cut = _android(rng.choice(world.people[:20]), rng, world, False)
            text += cut[: cut.index("EMAIL") if "EMAIL" in cut else len(cut) // 2]
        (inbox / path).write_bytes(text.encode())
        cards += len(people)
    return cards, {"file": str(ANDROID_PATH), "what": "the last card is cut off before END:VCARD"}


def _ensure(book: list[tuple[Person, bool]], saved: list[Person], wanted) -> None:
    """Save one more `wanted` person in `book` unless it already holds one, so each dialect shows its quirks."""
    if any(wanted(person) for person, _fold in book):
        return
    candidates = [person for person in saved if wanted(person)]
    if candidates:
        book.append((candidates[0], False))


def _card_name(person: Person, fold: bool) -> tuple[str, str]:
    """(given, family) as the owner saved them: the nickname when they go by one, maybe without accents."""
    given = person.nickname or person.given
    return (ascii_fold(given), ascii_fold(person.family)) if fold else (given, person.family)


def _emails(person: Person, rng: random.Random) -> list[tuple[str, str]]:
    found = []
    if person.personal_email:
        address = person.personal_email
        if person.email_variants and rng.random() < 0.5:
            address = rng.choice(person.email_variants)
        found.append(("HOME", address))
    jobs = [j for j in person.jobs if j.email]
    if jobs:  # an address book is often stale: the old work address survives a job change
        found.append(("WORK", (jobs[0] if rng.random() < 0.3 else jobs[-1]).email))
    if rng.random() < 0.1 and found:
        label, address = found[0]
        local, domain = address.split("@")
        found[0] = (label, f"{local.title()}@{domain.title()}")
    return found


def _org(person: Person) -> str:
    job = person.current_job
    return job.company.name if job else ""


def _uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()


def _rev(world: World, rng: random.Random) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(world.now - rng.uniform(0, 900) * 86400))


def _icloud(person: Person, rng: random.Random, world: World, fold: bool) -> str:
    given, family = _card_name(person, fold)
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.2//EN",
             f"N:{_esc(family)};{_esc(given)};;;", f"FN:{_esc(given)} {_esc(family)}"]
    if person.nickname:
        lines.append(f"NICKNAME:{person.nickname}")
    if _org(person):
        lines.append(f"ORG:{_esc(_org(person))};")
    item = 0
    for label, address in _emails(person, rng):
        item += 1
        lines += [f"item{item}.EMAIL;type=INTERNET;type=pref:{address}", f"item{item}.X-ABLabel:_$!<{label.title()}>!$_"]
    for index, phone in enumerate(person.phones):
        formatted = rng.choice(phone_formats(phone))
        if index == 0:
            lines.append(f"TEL;type=CELL;type=VOICE;type=pref:{formatted}")
        else:
            item += 1
            lines += [f"item{item}.TEL:{formatted}", f"item{item}.X-ABLabel:Home landline"]
    if person.linkedin and person.linkedin_state:
        lines.append(f"X-SOCIALPROFILE;type=linkedin;x-user={person.linkedin}:https://www.linkedin.com/in/{person.linkedin}")
    if person.kind == "family":
        lines.append("CATEGORIES:Family")
    lines += [f"REV:{_rev(world, rng)}", f"UID:{_uid(rng)}", "END:VCARD"]
    return "\r\n".join(lines) + "\r\n"


def _outlook(person: Person, rng: random.Random, world: World, fold: bool) -> str:
    given, family = _card_name(person, fold)
    lines = ["BEGIN:VCARD", "VERSION:2.1"]
    if (given + family).isascii():
        lines += [f"N;LANGUAGE=en-us:{family};{given}", f"FN:{given} {family}"]
    else:
        lines += [_qp(f"N;LANGUAGE=en-us", f"{family};{given}"), _qp("FN", f"{given} {family}")]
    if _org(person):
        lines.append(f"ORG:{_org(person)}")
    for phone in person.phones:
        lines.append(f"TEL;WORK;VOICE:{rng.choice(phone_formats(phone))}")
    for index, (_label, address) in enumerate(_emails(person, rng)):
        lines.append(f"EMAIL;{'PREF;' if index == 0 else ''}INTERNET:{address}")
    lines += ["X-MS-OL-DEFAULT-POSTAL-ADDRESS:0", "X-MS-OL-DESIGN;CHARSET=utf-8:<card xmlns=\"http://schemas.microsoft.com/office/outlook/12/electronicbusinesscards\"/>",
              f"REV:{_rev(world, rng).replace('-', '').replace(':', '')}", "END:VCARD"]
    return "\r\n".join(lines) + "\r\n"


def _google(person: Person, rng: random.Random, world: World, fold: bool) -> str:
    given, family = _card_name(person, fold)
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_esc(given)} {_esc(family)}", f"N:{_esc(family)};{_esc(given)};;;"]
    if person.nickname:
        lines.append(f"NICKNAME:{person.nickname}")
    for label, address in _emails(person, rng):
        lines.append(f"EMAIL;TYPE=INTERNET;TYPE={label}:{address}")
    for phone in person.phones:
        lines.append(f"TEL;TYPE=CELL:{rng.choice(phone_formats(phone))}")
    if _org(person):
        lines.append(f"ORG:{_esc(_org(person))}")
    if person.linkedin and person.linkedin_state:
        lines += [f"item1.URL:https\\://www.linkedin.com/in/{person.linkedin}", "item1.X-ABLabel:LinkedIn"]
    categories = ["myContacts"] + (["Family"] if person.kind == "family" else [])
    lines += [f"CATEGORIES:{','.join(categories)}", "END:VCARD"]
    return "\r\n".join(lines) + "\r\n"


def _android(person: Person, rng: random.Random, world: World, fold: bool) -> str:
    given, family = _card_name(person, fold)
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{_esc(given)} {_esc(family)}", f"N:{_esc(family)};{_esc(given)};;;"]
    for phone in person.phones:
        lines.append(f"TEL;VALUE=uri;TYPE=cell:tel:{phone}")
    for index, (label, address) in enumerate(_emails(person, rng)):
        lines.append(f"EMAIL;TYPE={label.lower()}{';PREF=1' if index == 0 else ''}:{address}")
    if _org(person):
        lines.append(f"ORG:{_esc(_org(person))}")
    lines += [f"UID:urn:uuid:{_uid(rng).lower()}", "END:VCARD"]
    return "\r\n".join(lines) + "\r\n"


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def _qp(name: str, value: str) -> str:
    """A vCard 2.1 quoted-printable line, with '=' soft breaks and no indent on continuation lines."""
    encoded = "".join(chr(b) if 33 <= b <= 126 and b != 61 else f"={b:02X}" for b in value.encode())
    head = f"{name};CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
    lines, current = [], head
    position = 0
    while position < len(encoded):
        step = 3 if encoded[position] == "=" else 1
        if len(current) + step > 75:
            lines.append(current + "=")
            current = ""
        current += encoded[position:position + step]
        position += step
    lines.append(current)
    return "\r\n".join(lines)
