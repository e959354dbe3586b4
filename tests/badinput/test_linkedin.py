"""Bad input for the LinkedIn connector: broken zips, zip bombs, wrong headers and bad rows are located Rejects."""

from __future__ import annotations

import struct
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.linkedin import archive, parse_linkedin
from tests.badinput.contract import ODD_NAMES, kept, parse_all, random_bytes, rejects

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ANA = "Ana,Good,https://www.linkedin.com/in/ana-good,ana@good.example,Acme,Eng,14 Mar 2019\n"
CY = "Cy,Good,https://www.linkedin.com/in/cy-good,cy@good.example,Acme,Eng,15 Mar 2019\n"
ZIP_NAME = "Basic_LinkedInDataExport_03-01-2024.zip"


def export_zip(folder: Path, files: dict[str, str | bytes], name: str = ZIP_NAME) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as export:
        for member, text in files.items():
            export.writestr(member, text)
    return path


def keys(records) -> list[str]:
    return [r.record_key for r in kept(records) if hasattr(r, "record_key")]


@pytest.mark.parametrize("data", [random_bytes(), b"", b"PK\x03\x04" + random_bytes(500)], ids=["random", "empty", "fake-magic"])
def test_a_zip_that_is_not_a_zip(tmp_path, data):
    path = tmp_path / ZIP_NAME
    path.write_bytes(data)
    assert rejects(parse_all(parse_linkedin, path)) == [("file", "not a readable zip archive: File is not a zip file")]


def test_truncated_zip_is_never_an_exception(tmp_path):
    whole = export_zip(tmp_path, {"Connections.csv": HEADER + ANA * 200, "Invitations.csv": "From,To,Sent At\n"}).read_bytes()
    cut_path = tmp_path / ZIP_NAME
    for cut in range(0, len(whole), max(1, len(whole) // 60)):
        cut_path.write_bytes(whole[:cut])
        assert [location for location, _ in rejects(parse_all(parse_linkedin, cut_path))] == ["file"], cut


def test_zip_bomb_member_is_refused_and_the_rest_read(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 1024 * 1024)
    bomb = HEADER + ANA + "x" * (20 * 1024 * 1024)  # compresses to about 20 kB
    path = export_zip(tmp_path, {"Connections.csv": HEADER + ANA, "messages.csv": bomb})
    assert path.stat().st_size < 100_000
    records = parse_all(parse_linkedin, path)
    assert keys(records) == ["ana-good"]
    assert rejects(records) == [("messages.csv", f"uncompressed size {len(bomb)} bytes exceeds 1048576")]


def test_zip_bomb_over_the_total_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 5 * 1024 * 1024)
    filler = "y" * (4 * 1024 * 1024)
    path = export_zip(tmp_path, {"Connections.csv": HEADER + ANA, "Invitations.csv": filler, "messages.csv": filler})
    records = parse_all(parse_linkedin, path)
    assert keys(records) == ["ana-good"]
    assert rejects(records) == [
        ("messages.csv", f"export exceeds {5 * 1024 * 1024} uncompressed bytes"),
        ("Invitations.csv line 1", "malformed CSV: field larger than field limit (131072)"),
        ("Invitations.csv", "no header line with the columns From, To, Sent At"),
    ]


def test_zip_that_lies_about_its_size_stops_at_the_declared_size(tmp_path):
    # The central directory says 200 bytes; the deflated stream holds 10 MB. Reading stops at 200 and the CRC fails.
    path = export_zip(tmp_path, {"Connections.csv": HEADER + ANA + CY * 120_000})
    data = bytearray(path.read_bytes())
    local = 0
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 200)
    struct.pack_into("<I", data, central + 24, 200)
    path.write_bytes(bytes(data))
    [(location, reason)] = rejects(parse_all(parse_linkedin, path))
    assert (location, reason.split(" for file")[0]) == ("Connections.csv", "unreadable: Bad CRC-32")


def test_wrong_or_missing_headers(tmp_path):
    path = export_zip(
        tmp_path,
        {"Connections.csv": "Wrong,Headers\n1,2\n", "messages.csv": "", "Invitations.csv": "garbage\x00\xff"},
    )
    assert rejects(parse_all(parse_linkedin, path)) == [
        ("Connections.csv", "no header line with the columns First Name, Last Name"),
        ("Invitations.csv", "no header line with the columns From, To, Sent At"),
    ]  # an empty messages.csv is an export without messages, not an error


def test_bad_rows_beside_good_ones(tmp_path):
    bad_date = "Bob,Bad,https://www.linkedin.com/in/bob-bad,,X,Y,31 Feb 2019\n"
    huge_cell = ANA.replace("Acme", "A" * 3_000_000).replace("ana-good", "ana-huge")
    path = export_zip(tmp_path, {"Connections.csv": HEADER + ANA + bad_date + huge_cell + CY})
    records = parse_all(parse_linkedin, path)
    assert keys(records) == ["ana-good", "cy-good"]
    assert rejects(records) == [
        ("Connections.csv line 3, column Connected On", "unparseable date '31 Feb 2019'"),
        ("Connections.csv line 4", "malformed CSV: field larger than field limit (131072)"),
    ]


def test_unterminated_quote_is_one_reject_and_the_rows_after_it_still_land(tmp_path):
    broken = 'Bo,Bad,https://www.linkedin.com/in/bo-bad,,X,"unterminated\n'
    path = export_zip(tmp_path, {"Connections.csv": HEADER + ANA + broken + "not a date\n" + CY})
    records = parse_all(parse_linkedin, path)
    assert keys(records) == ["ana-good", "cy-good"]
    assert rejects(records) == [
        ("Connections.csv line 3", "malformed CSV: unterminated quote"),
        ("Connections.csv line 4, column Connected On", "connection without Connected On"),  # the spilled text
    ]


def test_unterminated_quote_past_the_field_limit_costs_that_row_only(tmp_path):
    # In a big file the quote swallows rows until the csv module's field size limit: those rows are read again.
    rows = [CY.replace("cy-good", f"cy-{number}") for number in range(2000)]
    path = export_zip(tmp_path, {"Connections.csv": HEADER + 'x,"unterminated\n' + "".join(rows)})
    records = parse_all(parse_linkedin, path)
    assert keys(records) == [f"cy-{number}" for number in range(2000)]
    assert rejects(records) == [("Connections.csv line 2", "malformed CSV: field larger than field limit (131072)")]


def test_unpacked_folder_with_broken_files(tmp_path):
    folder = tmp_path / "Basic_LinkedInDataExport_03-01-2024"
    folder.mkdir()
    (folder / "Connections.csv").write_text(HEADER + ANA + CY)
    (folder / "messages.csv").write_bytes(random_bytes())
    (folder / "Invitations.csv").mkdir()  # a folder named like a file
    records = parse_all(parse_linkedin, folder)
    assert keys(records) == ["ana-good", "cy-good"]
    assert [location for location, _ in rejects(records)] == ["messages.csv"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_names(tmp_path, name):
    path = export_zip(tmp_path, {f"{name}/Connections.csv": HEADER + ANA}, name=f"{name} linkedin.zip")
    assert keys(parse_all(parse_linkedin, path)) == ["ana-good"]


def test_missing_export(tmp_path):
    assert [location for location, _ in rejects(parse_all(parse_linkedin, tmp_path / "gone.zip"))] == ["file"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=80), max_size=6))
def test_any_rows_keep_the_good_ones(lines):
    junk = "".join(" ".join(line.replace('"', "").splitlines()) + "\n" for line in lines)
    with tempfile.TemporaryDirectory() as folder:
        path = export_zip(Path(folder), {"Connections.csv": HEADER + ANA + junk + CY})
        found = keys(parse_all(parse_linkedin, path))
    assert found[0] == "ana-good" and "cy-good" in found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_as_a_member_never_raise(data):
    with tempfile.TemporaryDirectory() as folder:
        parse_all(parse_linkedin, export_zip(Path(folder), {"Connections.csv": data, "messages.csv": data}))
