"""The `kith` commands around a build: review, same/different decisions, export, auth errors."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from pipelines.cli import main
from tests.conftest import SMALL_INBOX, SMALL_INBOX_AS_OF
from tests.pipelines.kith_builds import build
from tests.transforms.inbox_files import ALEX_DOE_MAILBOX
from tests.transforms.splink_inboxes import unlearnable_inbox


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(SMALL_INBOX, folder)
    return folder


MAILBOX_OF_ONE = ("From x@y Mon Jan  6 04:49:45 2025\nFrom: Bea Ruiz <bea@example.org>\nTo: me@example.com\n"
                  "Date: Mon, 6 Jan 2025 09:00:00 +0000\nMessage-ID: <one@example.org>\n\nhi\n")


def people(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return dict(con.execute("select display_name, person_id from people").fetchall())
    finally:
        con.close()


def test_a_same_decision_merges_on_the_next_build_and_shows_in_sql(inbox, tmp_path, private_kith_home, capsys):
    warehouse = tmp_path / "kith.duckdb"
    build(inbox, warehouse)
    before = people(warehouse)
    assert {"Ana Lima", "João Lima"} <= set(before)

    assert main(["same", "email:ana.lima@gmail.com", "phone:+44 20 7946 0001"]) == 0
    assert "are the same person" in capsys.readouterr().out
    assert (private_kith_home / "overrides.toml").exists()
    build(inbox, warehouse)
    after = people(warehouse)
    assert len(after) == len(before) - 1
    assert len({"Ana Lima", "João Lima"} & set(after)) == 1  # one person now, under one of the two names
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        decisions = con.execute("select decision, kind, value from resolution_overrides order by all").fetchall()
    finally:
        con.close()
    assert decisions == [("same", "email", "analima@gmail.com"), ("same", "phone", "+442079460001")]


def test_a_different_decision_splits_a_merge_by_name(inbox, tmp_path, capsys):
    warehouse = tmp_path / "kith.duckdb"
    build(inbox, warehouse)
    question = (
        "select count(distinct person_id) from identifiers "
        "where value in ('robert-smith-42', 'robert.smith@acme.example')"
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    merged = con.execute(question).fetchall()
    con.close()
    assert merged == [(1,)]  # LinkedIn "Robert Smith, Acme" is the address book's "Bob Smith" at acme
    assert main(["different", "linkedin:robert-smith-42", "email:robert.smith@acme.example"]) == 0
    build(inbox, warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute(question).fetchall() == [(2,)]
    finally:
        con.close()


def test_review_lists_nothing_when_no_duplicates_remain(inbox, tmp_path, capsys):
    warehouse = tmp_path / "kith.duckdb"
    build(inbox, warehouse)
    capsys.readouterr()
    assert main(["review", "--warehouse", str(warehouse)]) == 0
    assert capsys.readouterr().out.strip() == "No likely duplicates left to review."


def test_bad_decision_is_one_line(capsys):
    assert main(["same", "nonsense"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kith: ")


def test_export_writes_a_vcard_address_book(inbox, tmp_path, capsys):
    warehouse = tmp_path / "kith.duckdb"
    build(inbox, warehouse)
    assert main(["export", str(tmp_path / "out"), "--format", "vcard", "--warehouse", str(warehouse)]) == 0
    text = (tmp_path / "out" / "kith-contacts.vcf").read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 5


def test_an_export_into_the_inbox_is_not_read_back(inbox, tmp_path):
    warehouse = tmp_path / "kith.duckdb"
    build(inbox, warehouse)
    before = people(warehouse)
    assert main(["export", str(inbox), "--format", "vcard", "--warehouse", str(warehouse)]) == 0
    build(inbox, warehouse)
    assert people(warehouse) == before
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select reason from rejected where source_file like '%kith-contacts.vcf'").fetchall() == [
            ("Kith's own export (kith export): not read back, as its people are the warehouse's already; keep "
             "exports out of the inbox",)]


def test_commands_on_a_missing_warehouse_are_one_line(tmp_path, capsys):
    for command in (["query", "select 1"], ["review"], ["export", str(tmp_path / "o")]):
        assert main([*command, "--warehouse", str(tmp_path / "none.duckdb")]) == 1
        assert capsys.readouterr().err.startswith("kith: warehouse ")


def test_auth_refuses_an_unknown_account(tmp_path, capsys):
    assert main(["auth", "nobody", "--client-secrets", str(tmp_path / "secret.json")]) == 1
    assert "no account named 'nobody'" in capsys.readouterr().err


def test_a_build_says_when_it_guessed_the_owner_s_address_or_knows_none(tmp_path, private_kith_home, capfd):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "mail.mbox").write_text("".join(ALEX_DOE_MAILBOX))
    build(inbox, tmp_path / "guessed.duckdb")
    guessed = capfd.readouterr().err
    (inbox / "mail.mbox").write_text("".join(ALEX_DOE_MAILBOX[:1]))  # one message: Ana's and Alex's alike
    build(inbox, tmp_path / "unknown.duckdb")
    unknown = capfd.readouterr().err

    assert "warning: took alexdoe@gmail.com for your address, as it is in most of the mail; pass --me" in guessed
    assert "Alex Doe" not in people(tmp_path / "guessed.duckdb")
    assert "warning: no address of yours is known, so you may be among your own contacts: pass --me" in unknown


def test_a_build_warns_when_splink_could_not_be_trained_and_still_lands(tmp_path, private_kith_home, capfd):
    build(unlearnable_inbox(tmp_path / "inbox"), tmp_path / "kith.duckdb")
    err = capfd.readouterr().err
    assert "warning: Splink could not be trained on your address book's birthdays and postal addresses" in err
    assert "math domain error" in err
    with duckdb.connect(str(tmp_path / "kith.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from people").fetchone() == (231,)


def test_a_broken_invariant_is_one_line_that_asks_for_a_report_and_keeps_the_warehouse(
    inbox, tmp_path, private_kith_home, capsys, monkeypatch
):
    warehouse = tmp_path / "kith.duckdb"
    build(inbox, warehouse)
    before = people(warehouse)
    monkeypatch.setattr("pipelines.checks._scalar", lambda con, sql: 1)  # every count of broken rows is 1
    (inbox / "mail.mbox").write_text(MAILBOX_OF_ONE)  # something new, so the build runs again
    assert main(["build", "--inbox", str(inbox), "--warehouse", str(warehouse), "--as-of", SMALL_INBOX_AS_OF]) == 1
    err = capsys.readouterr().err.splitlines()  # the progress lines, then the error
    assert err[-1].startswith("kith: the check ") and err[-1].endswith(
        "a Kith bug, please report it; the warehouse published before is kept")
    assert not any("Traceback" in line for line in err)
    assert people(warehouse) == before


def test_files_of_no_kind_kith_reads_are_listed_apart_and_say_what_to_do(inbox, tmp_path, capfd):
    (inbox / "backup.pst").write_bytes(b"!BDN\x00\x00binary")
    (inbox / "takeout-20261101T000000Z-001.zip").write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip
    proton = inbox / "proton"
    proton.mkdir()
    (proton / "a1b2.eml").write_text("From: Bea Ruiz <bea@example.org>\nTo: ana.lima@example.com\n"
                                     "Date: Mon, 2 Mar 2026 10:00:00 +0000\nMessage-ID: <a1b2@example.org>\n\nhi\n")
    (proton / "a1b2.metadata.json").write_text('{"Payload": {"ID": "a1b2", "LabelIDs": ["0", "5"]}}')
    (proton / "labels.json").write_text("[]")
    build(inbox, tmp_path / "w.duckdb")
    shutil.copy(tmp_path / "w.duckdb", inbox / "kith.duckdb")  # a warehouse kept in the inbox
    build(inbox, tmp_path / "w.duckdb")
    output = capfd.readouterr()

    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        unread = dict(con.execute(
            "select parse_filename(source_file), reason from rejected where source = 'inbox'").fetchall())
    finally:
        con.close()
    assert set(unread) == {"backup.pst", "takeout-20261101T000000Z-001.zip", "notes.txt", "kith.duckdb"}
    assert unread["kith.duckdb"].endswith("a DuckDB database, such as Kith's warehouse: keep the warehouse outside "
                                          "the inbox")
    assert unread["backup.pst"].endswith("an Outlook data file: convert it to mbox first, for example with "
                                         "`readpst -r` (Debian's pst-utils)")
    assert "(a Google Takeout archive, say): unpack it into the inbox" in unread["takeout-20261101T000000Z-001.zip"]
    assert "4 of them files of no kind Kith reads" in output.out
    # 1 of the 25 records in the files Kith reads is rejected: no warning, whatever the files it cannot read.
    assert "[check inputs_reconcile:" not in output.err


def test_an_account_failing_for_a_new_reason_shows_the_new_reason(inbox, tmp_path, private_kith_home):
    warehouse = tmp_path / "kith.duckdb"
    account = '[[accounts]]\nname = "work"\nkind = "imap"\nusername = "u"\npassword_env = "KITH_UNSET_PASSWORD"\n'
    (private_kith_home / "config.toml").write_text(account)
    build(inbox, warehouse)
    (private_kith_home / "config.toml").write_text(account + 'host = "127.0.0.1"\n')  # the user adds the host
    build(inbox, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select reason from rejected where source_file = 'account:work'").fetchall() == [
            ("no password for account 'work': set KITH_UNSET_PASSWORD",)]


def test_a_bad_own_address_and_an_export_onto_a_file_are_one_line(inbox, tmp_path, capsys):
    assert main(["build", "--inbox", str(inbox), "--warehouse", str(tmp_path / "w.duckdb"), "--me", "sam"]) == 1
    assert capsys.readouterr().err == (
        "kith: --me sam: not an email address (pass one of yours, such as you@example.com)\n")
    warehouse = tmp_path / "kith.duckdb"
    build(inbox, warehouse)
    capsys.readouterr()
    (tmp_path / "out.csv").write_text("")
    assert main(["export", str(tmp_path / "out.csv"), "--warehouse", str(warehouse)]) == 1
    assert capsys.readouterr().err == (
        f"kith: {tmp_path / 'out.csv'} is a file: pass the folder to write the export into\n")
