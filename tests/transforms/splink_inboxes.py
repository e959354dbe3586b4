"""Address books and inboxes generated for the Splink tests: cards with birthdays and home addresses."""

from __future__ import annotations

import random

GIVEN = ("oliver", "amelia", "jack", "isla", "harry", "ava", "george", "mia", "noah", "grace", "leo", "ruby")
FAMILY = ("walker", "hughes", "turner", "parker", "collins", "murphy", "bennett", "cooper", "reid", "fraser",
          "gibson", "lloyd", "mason", "pearce", "quinn", "ross", "shaw", "tucker", "vaughan", "watts")
STREETS = ("kent street", "wallaby place", "banks street", "fox place", "northam street", "rumker place")


def card(uid: str, given: str, family: str, birthday: str, address: str) -> str:
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nN:{family};{given};;;\r\nFN:{given} {family}\r\n"
            f"ADR;TYPE=HOME:;;{address}\r\nBDAY:{birthday}\r\nEND:VCARD\r\n")


def unlearnable_inbox(folder):
    """230 senders of whom no two share a name and a company, and one card with a birthday and an address: Splink's
    estimated match rate is 0 and its training fails ("math domain error")."""
    rng = random.Random(3)
    names = rng.sample([(g, f) for g in GIVEN for f in FAMILY], 230)
    mail = "".join(
        f"From x Mon Jan  1 00:00:00 2024\nFrom: {given} {family} <{given}.{family}{n}@example.org>\n"
        f"To: me@example.com\nDate: Mon, 01 Jan 2024 10:00:00 +0000\nMessage-ID: <m{n}@example.org>\n\nhello\n"
        for n, (given, family) in enumerate(names))
    folder.mkdir()
    (folder / "mail.mbox").write_text(mail)
    (folder / "card.vcf").write_text(card("c1", "zara", "okafor", "1980-02-03", "1 kent street;corio;nsw;2000;AU"))
    return folder
