"""Exports the published warehouse: one CSV or Parquet file per table and view, or one vCard 3.0 address book."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Literal

import duckdb

from connectors.vcard.parser import KITH_EXPORT_PRODID
from warehouse.docs import public_relations
from warehouse.files import private_files, sql_literal

Format = Literal["csv", "parquet", "vcard"]
FORMATS: tuple[Format, ...] = ("csv", "parquet", "vcard")
VCARD_FILE = "kith-contacts.vcf"
_COPY_OPTIONS = {"csv": "format csv, header true", "parquet": "format parquet, compression zstd"}

# vCard 3.0 (RFC 2426): lines end in CRLF and are folded at 75 octets with CRLF + one space.
_CRLF = "\r\n"
_LINE_OCTETS = 75
# Labels that vCard 3.0 knows as TYPE values; any other label travels as an Apple X-ABLabel.
_EMAIL_TYPES = {"home", "work", "other"}
_PHONE_TYPES = {"home", "work", "cell", "fax", "pager", "voice", "video", "car", "main", "other"}
_PHONE_LABEL_ALIASES = {"mobile": "cell", "iphone": "cell"}
_APPLE_NO_YEAR = "1604"


def export(warehouse: Path, out_dir: Path, fmt: Format) -> list[Path]:
    """Write the warehouse's public tables and views (csv, parquet) or its people (vcard) into `out_dir`.

    Returns the files written. Reads the warehouse read-only, so it works while a rebuild publishes.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    if not Path(warehouse).is_file():
        raise FileNotFoundError(f"warehouse {warehouse} does not exist")
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        with private_files():
            if fmt == "vcard":
                return [_write_address_book(con, out_dir / VCARD_FILE)]
            return [_copy_relation(con, relation.name, out_dir, fmt) for relation in public_relations(con)]
    finally:
        con.close()


def _copy_relation(con: duckdb.DuckDBPyConnection, name: str, out_dir: Path, fmt: str) -> Path:
    path = out_dir / f"{name}.{fmt}"
    path.unlink(missing_ok=True)
    con.execute(f'copy (select * from "{name}") to {sql_literal(path)} ({_COPY_OPTIONS[fmt]})')
    return path


def _write_address_book(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    identifiers: dict[int, list[tuple[str, str, str | None]]] = defaultdict(list)
    for person_id, kind, value, label in con.execute(
        """
        select i.person_id, i.kind, i.written_as, i.label
        from identifiers as i join people as p using (person_id)
        order by i.person_id, case i.kind when 'email' then 0 when 'phone' then 1 else 2 end, i.kind,
            (i.written_as is not distinct from p.primary_email or i.value is not distinct from p.primary_phone) desc,
            i.times_seen desc, i.value
        """
    ).fetchall():
        identifiers[person_id].append((kind, value, label))
    people = con.execute(
        """
        select p.person_id, p.display_name, p.given_name, p.family_name, p.nickname, p.organization, p.title,
            p.birthday, p.categories, r.strength, r.tier, r.explanation
        from people as p left join relationships as r using (person_id)
        order by p.person_id
        """
    ).fetchall()
    cards = [_card(*person[:9], identifiers[person[0]], _note(*person[9:])) for person in people]
    path.unlink(missing_ok=True)  # a new file gets the private mode
    path.write_bytes("".join(cards).encode("utf-8"))
    return path


def _note(strength: float | None, tier: str | None, explanation: str | None) -> str | None:
    if not strength:
        return None
    return f"Kith: relationship strength {strength:.1f} of 100, {tier}.\n{explanation}"


def _card(
    person_id: int,
    display_name: str | None,
    given_name: str | None,
    family_name: str | None,
    nickname: str | None,
    organization: str | None,
    title: str | None,
    birthday: str | None,
    categories: list[str] | None,
    identifiers: list[tuple[str, str, str | None]],
    note: str | None = None,
) -> str:
    """One person as a vCard 3.0 card: escaped, folded at 75 octets, CRLF line ends."""
    name = display_name or " ".join(part for part in (given_name, family_name) if part) or organization or ""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"PRODID:{KITH_EXPORT_PRODID}",
        f"UID:kith-{person_id}",
        f"FN:{escape(name)}",
        "N:" + ";".join(escape(part or "") for part in (family_name, given_name, None, None, None)),
    ]
    if nickname:
        lines.append(f"NICKNAME:{escape(nickname)}")
    if organization:
        lines.append(f"ORG:{escape(organization)}")
    if title:
        lines.append(f"TITLE:{escape(title)}")
    lines += _identifier_lines(identifiers)
    if birthday:
        lines.append(_birthday_line(birthday))
    if categories:
        lines.append("CATEGORIES:" + ",".join(escape(category) for category in categories))
    if note:
        lines.append(f"NOTE:{escape(note)}")
    lines.append("END:VCARD")
    return "".join(fold(line) + _CRLF for line in lines)


def _identifier_lines(identifiers: list[tuple[str, str, str | None]]) -> list[str]:
    lines: list[str] = []
    custom_labels = 0
    seen: set[tuple[str, str]] = set()
    for kind, value, label in identifiers:
        if (kind, value) in seen:
            continue
        seen.add((kind, value))
        if kind == "linkedin":
            lines.append(f"URL:https://www.linkedin.com/in/{value}")
            continue
        if kind not in ("email", "phone"):
            continue
        if kind == "phone":
            # "+12125550100 ext. 5555", as phones and address books write it: a dialer takes ";" for "wait"
            value = value.replace(";ext=", " ext. ")
        prefix, base_types, known = ("EMAIL", ["INTERNET"], _EMAIL_TYPES) if kind == "email" else ("TEL", [], _PHONE_TYPES)
        label = _PHONE_LABEL_ALIASES.get(label, label) if kind == "phone" and label else label
        types = [*base_types, label.upper()] if label and label.lower() in known else base_types
        params = f";TYPE={','.join(types)}" if types else ""
        if label and label.lower() not in known:
            # Apple's convention for a custom label: group the property with an X-ABLabel.
            custom_labels += 1
            group = f"item{custom_labels}."
            lines += [f"{group}{prefix}{params}:{escape(value)}", f"{group}X-ABLabel:{escape(label)}"]
        else:
            lines.append(f"{prefix}{params}:{escape(value)}")
    return lines


def _birthday_line(birthday: str) -> str:
    if birthday.startswith("--"):
        # vCard 3.0 has no year-less date; Apple writes the year 1604 and says so in a parameter.
        return f"BDAY;X-APPLE-OMIT-YEAR={_APPLE_NO_YEAR}:{_APPLE_NO_YEAR}{birthday[1:]}"
    return f"BDAY:{birthday}"


def escape(text: str) -> str:
    """A vCard TEXT value: backslash, comma and semicolon escaped, every line break as \\n."""
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return re.sub(r"\r\n|\r|\n", r"\\n", text)


def fold(line: str) -> str:
    """Fold a content line so no physical line exceeds 75 octets, never splitting a UTF-8 character."""
    pieces: list[str] = []
    current, octets, limit = [], 0, _LINE_OCTETS
    for character in line:
        size = len(character.encode("utf-8"))
        if octets + size > limit:
            pieces.append("".join(current))
            # Continuation lines start with a space, which counts toward their 75 octets.
            current, octets, limit = [], 0, _LINE_OCTETS - 1
        current.append(character)
        octets += size
    pieces.append("".join(current))
    return (_CRLF + " ").join(pieces)
