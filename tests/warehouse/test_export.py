"""Exports: CSV and Parquet files per table and view, and a vCard 3.0 address book that reads back as the people."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import duckdb
import pytest

from connectors.records import ContactCard
from connectors.vcard.parser import cards_from_text
from tests.warehouse.conftest import Build
from warehouse.export import escape, export, fold


def relation_names(warehouse: Path) -> list[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return sorted(
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() union all "
                "select view_name from duckdb_views() where not internal"
            ).fetchall()
        )
    finally:
        con.close()


def people_and_identifiers(warehouse: Path) -> tuple[dict, dict]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        people = {
            row[0]: row[1:]
            for row in con.execute(
                "select person_id, display_name, given_name, family_name, organization, title, birthday, categories "
                "from people"
            ).fetchall()
        }
        identifiers: dict[int, set] = {person_id: set() for person_id in people}
        for person_id, kind, value, label in con.execute(
            "select person_id, kind, written_as, label from identifiers where person_id is not null"
        ).fetchall():
            identifiers[person_id].add((kind, value, label))
        return people, identifiers
    finally:
        con.close()


def read_back(path: Path) -> dict[int, ContactCard]:
    # as another address book would read it: Kith's own file reader skips Kith's exports
    records = list(cards_from_text(path.read_text(encoding="utf-8"), "vcard", str(path)))
    assert all(isinstance(record, ContactCard) for record in records), records
    return {int(card.record_key.removeprefix("kith-")): card for card in records}


def as_identifiers(card: ContactCard) -> set:
    return {
        ("linkedin", i.value.removeprefix("https://www.linkedin.com/in/"), None) if i.kind == "linkedin" else (i.kind, i.value, i.label)
        for i in card.identifiers
    }


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_tabular_export_writes_every_table_and_view_whole(small_build: Build, tmp_path, fmt):
    files = export(small_build.warehouse, tmp_path, fmt)
    names = relation_names(small_build.warehouse)
    assert sorted(path.name for path in files) == sorted(f"{name}.{fmt}" for name in names)
    con = duckdb.connect(str(small_build.warehouse), read_only=True)
    try:
        for path in files:
            reader = "read_csv" if fmt == "csv" else "read_parquet"
            exported = con.execute(f"select count(*) from {reader}('{path}')").fetchall()
            assert exported == con.execute(f'select count(*) from "{path.stem}"').fetchall(), path.name
    finally:
        con.close()
    assert {stat.S_IMODE(path.stat().st_mode) for path in files} == {0o600}


def test_parquet_keeps_types_and_values(small_build: Build, tmp_path):
    (people,) = [path for path in export(small_build.warehouse, tmp_path, "parquet") if path.name == "people.parquet"]
    con = duckdb.connect(str(small_build.warehouse), read_only=True)
    try:
        assert con.execute(f"select * from read_parquet('{people}') order by person_id").fetchall() == con.execute(
            "select * from people order by person_id"
        ).fetchall()
    finally:
        con.close()


def test_vcard_export_reads_back_as_the_people_and_their_identifiers(small_build: Build, tmp_path):
    (path,) = export(small_build.warehouse, tmp_path, "vcard")
    assert path.name == "kith-contacts.vcf"
    people, identifiers = people_and_identifiers(small_build.warehouse)
    cards = read_back(path)
    assert sorted(cards) == sorted(people)
    for person_id, (display_name, given, family, organization, title, birthday, categories) in people.items():
        card = cards[person_id]
        assert (card.full_name, card.given_name, card.family_name) == (display_name, given, family)
        assert (card.organization, card.title, card.birthday, card.categories) == (organization, title, birthday, categories)
        assert as_identifiers(card) == identifiers[person_id], display_name


def test_vcard_values_are_escaped_and_folded(small_build: Build, tmp_path):
    warehouse = tmp_path / "edited.duckdb"
    shutil.copy(small_build.warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        (ana,) = con.execute("select person_id from people where display_name = 'Ana Lima'").fetchall()[0]
        con.execute(
            "update people set display_name = ?, organization = ?, title = ?, birthday = '--03-15', "
            "categories = ['Run club, Sundays', 'Family'] where person_id = ?",
            ["Ana Lima " + "Ç" * 60, "Lima; Filhos, Lda", "Founder\nand CEO", ana],
        )
        con.execute("update identifiers set label = 'Run club' where person_id = ? and kind = 'email'", [ana])
        con.execute("insert into identifiers (person_id, kind, value, written_as, label) values "
                    "(?, 'phone', '+12125550100;ext=5555', '+12125550100;ext=5555', 'work')", [ana])
    finally:
        con.close()
    (path,) = export(warehouse, tmp_path / "out", "vcard")
    raw = path.read_bytes()
    physical_lines = raw.split(b"\r\n")
    assert physical_lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in physical_lines) <= 75
    assert b"ORG:Lima\\; Filhos\\, Lda\r\n" in raw
    assert b"TITLE:Founder\\nand CEO\r\n" in raw
    assert b"BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-15\r\n" in raw
    assert b"TEL;TYPE=WORK:+12125550100 ext. 5555\r\n" in raw

    card = read_back(path)[ana]
    assert card.full_name == "Ana Lima " + "Ç" * 60
    assert (card.organization, card.title, card.birthday) == ("Lima; Filhos, Lda", "Founder\nand CEO", "--03-15")
    assert card.categories == ["Run club, Sundays", "Family"]
    assert [(i.kind, i.label) for i in card.identifiers if i.kind == "email"] == [("email", "Run club")]


def test_escape_and_fold():
    assert escape("a,b;c\\d\r\ne\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert fold("X" * 75) == "X" * 75
    assert fold("X" * 76) == "X" * 75 + "\r\n X"
    # A two-octet character never straddles a fold: 37 of them fill 74 octets, the 38th goes on.
    assert fold("é" * 38) == "é" * 37 + "\r\n é"
    assert fold("A" * (75 + 74 + 1)) == "A" * 75 + "\r\n " + "A" * 74 + "\r\n A"


def test_unknown_format_is_refused(small_build: Build, tmp_path):
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export(small_build.warehouse, tmp_path, "xml")
