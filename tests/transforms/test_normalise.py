"""Normalisation helpers (transforms/normalise.py): the region of phone numbers written without a country code,
and extensions."""

from __future__ import annotations

import pytest

from tests.transforms.inbox_files import card, staged


def _address_book(*phones: str) -> str:
    return "".join(card(f"Person {n}", f"{n};Person;;;", f"TEL:{phone}") for n, phone in enumerate(phones))


@pytest.mark.parametrize(("phones", "region", "national_number"), [
    # a British address book: international numbers from +44, national ones valid there
    (("+44 20 7946 0123", "+44 20 7946 0124", "+1 212 555 0142", "020 7946 0958"), "GB", "+442079460958"),
    # an American one with a few friends abroad: its national numbers are valid only in the US
    (("+44 20 7946 0123", "+44 20 7946 0124", "(415) 555-0100", "(212) 555-0143"), "US", "+14155550100"),
    # one +49 number is enough to try Germany
    (("+49 30 7654321", "030 1234567", "0151 23456789"), "DE", "+49301234567"),
    # Germany's plan accepts most digit strings: an American book with German friends stays American
    (("+49 30 7654321", "+49 30 7654322", "(415) 555-0100", "(212) 555-0143", "617.555.0199"), "US",
     "+14155550100"),
    # a Mexican one: many of its numbers still hold the prefixes Mexico retired in 2019 (044 for a mobile)
    (("+52 55 4258 4818", "+52 33 1234 5678", "55 3011 2233", "044 55 7011 2255", "(55) 8011-2266"), "MX",
     "+525570112255"),
    # national numbers of three countries: no region reads them all, so the US reads its own
    (("+44 20 7946 0123", "+44 20 7946 0124", "(415) 555-0100", "020 7946 0958", "030 1234567"), "US",
     "+14155550100"),
])
def test_national_numbers_are_read_in_the_region_that_makes_them_valid(tmp_path, phones, region, national_number):
    con = staged(tmp_path, {"contacts.vcf": _address_book(*phones)}, default_region=None)
    try:
        assert con.execute("select region from phone_settings").fetchone() == (region,)
        kept = {value for (value,) in con.execute("select value from stg_record_identifiers").fetchall()}
    finally:
        con.close()
    assert national_number in kept


def test_a_configured_region_wins(tmp_path):
    con = staged(tmp_path, {"contacts.vcf": _address_book("+44 20 7946 0123", "030 1234567")}, default_region="de")
    try:
        assert con.execute("select region from phone_settings").fetchone() == ("DE",)
        assert ("+49301234567",) in con.execute("select value from stg_record_identifiers").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("default_region", [None, "DE"])
def test_a_national_number_another_card_writes_abroad_takes_its_country(tmp_path, default_region):
    """A German book: Élodie's French mobile as her Android card writes it is the +33 number of her other card,
    though Germany's numbering accepts 06 12 34 56 78 too; other national numbers stay German."""
    book = _address_book("+49 170 1234567", "0151 23456789", "+33 6 12 34 56 78", "06 12 34 56 78", "030 1234567")
    con = staged(tmp_path, {"contacts.vcf": book}, default_region=default_region)
    try:
        assert con.execute("select region, written_abroad from phone_settings").fetchone() == (
            "DE", ["+33612345678", "+491701234567"])
        kept = [value for (value,) in con.execute("select value from stg_record_identifiers order by all").fetchall()]
    finally:
        con.close()
    assert kept == ["+33612345678", "+33612345678", "+4915123456789", "+491701234567", "+49301234567"]


def test_an_extension_tells_colleagues_on_one_switchboard_apart(tmp_path):
    book = "".join([
        card("Ana Lima", "Lima;Ana;;;", "TEL;VALUE=uri;TYPE=work:tel:+1-212-555-0100;ext=5555"),
        card("Bo Ng", "Ng;Bo;;;", "TEL;TYPE=work:+1 212 555 0100 x1234"),
        card("Cy Ma", "Ma;Cy;;;", "TEL;TYPE=work:(212) 555-0100"),  # the switchboard itself
    ])
    con = staged(tmp_path, {"contacts.vcf": book})
    try:
        kept = con.execute("select c.display_name, i.value from stg_record_identifiers as i "
                           "join stg_cards as c using (record_uid) order by 1").fetchall()
    finally:
        con.close()
    assert kept == [("Ana Lima", "+12125550100;ext=5555"), ("Bo Ng", "+12125550100;ext=1234"),
                    ("Cy Ma", "+12125550100")]


def test_numbers_with_the_prefixes_mexico_retired_are_todays_numbers(tmp_path):
    """Since 2019 a Mexican mobile has no 1 after +52 and no 044 or 045 before it, and 01 dials no long distance;
    address books still hold the old forms."""
    book = _address_book("+52 1 55 6011 2244", "+52 (1) 33 1234 5678", "044 55 6011 2244", "045 33 1234 5678",
                         "01 81 8123 4567", "+52 1 234")
    con = staged(tmp_path, {"contacts.vcf": book}, default_region="MX")
    try:
        kept = [value for (value,) in con.execute("select value from stg_record_identifiers order by all").fetchall()]
        rejected = con.execute("select count(*) from rejected where scope = 'identifier'").fetchone()[0]
    finally:
        con.close()
    assert kept == ["+523312345678", "+523312345678", "+525560112244", "+525560112244", "+528181234567"]
    assert rejected == 1  # +52 1 234 is no number, old or new
