"""One person, one message, however many sources carry them: address books, mail files and an IMAP account."""

from __future__ import annotations

import shutil

import duckdb
import imapclient
import pytest

from pipelines.cli import main
from tests.conftest import SMALL_INBOX, SMALL_INBOX_AS_OF
from tests.pipelines.kith_builds import build, build_and_open
from tests.servers.dovecot import dovecot_server  # noqa: F401  (fixture)

ICLOUD_CARD = """BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//iPhone OS 17.4//EN
N:Kowalski;Marta;;;
FN:Marta Kowalski
item1.EMAIL;type=INTERNET;type=pref:marta.k@icloud.com
item1.X-ABLabel:_$!<Other>!$_
TEL;type=CELL;type=VOICE;type=pref:+48 601 234 567
UID:icloud-marta
END:VCARD
"""

OUTLOOK_CARD = """BEGIN:VCARD
VERSION:2.1
N;LANGUAGE=en-us:Kowalski;Marta
FN:Marta Kowalski
TEL;CELL;VOICE:0048601234567
EMAIL;PREF;INTERNET:marta.kowalski@firma.example
X-MS-OL-DEFAULT-POSTAL-ADDRESS:0
END:VCARD
"""

MESSAGE = (
    "Message-ID: <same-everywhere@firma.example>\r\n"
    "Date: Tue, 04 Nov 2026 09:00:00 +0000\r\n"
    "From: Marta Kowalski <marta.kowalski@firma.example>\r\n"
    "To: Sam Owner <sam.owner@gmail.com>\r\n"
    "Subject: Hello from Marta\r\n"
    "\r\n"
    "Body.\r\n"
)


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(SMALL_INBOX, folder)
    (folder / "contacts" / "icloud.vcf").write_text(ICLOUD_CARD, encoding="utf-8")
    (folder / "contacts" / "outlook.vcf").write_text(OUTLOOK_CARD.replace("\n", "\r\n"), encoding="utf-8")
    return folder


def test_one_person_in_two_address_books_keeps_both_cards(inbox, tmp_path):
    con = build_and_open(inbox, tmp_path / "kith.duckdb")
    try:
        cards = con.execute(
            "select p.display_name, count(*), list_sort(list(parse_filename(s.source_file))) "
            "from source_records as s join people as p using (person_id) "
            "where p.display_name = 'Marta Kowalski' and s.record_kind = 'card' group by all"
        ).fetchall()
    finally:
        con.close()
    assert cards == [("Marta Kowalski", 2, ["icloud.vcf", "outlook.vcf"])]


def test_the_same_message_in_an_mbox_and_an_eml_file_is_one_interaction(inbox, tmp_path):
    mbox = inbox / "mail" / "All mail Including Spam and Trash.mbox"
    with open(mbox, "ab") as handle:
        handle.write(b"\r\nFrom 1999@xxx Tue Nov 04 09:00:00 +0000 2026\r\n" + MESSAGE.encode())
    (inbox / "mail" / "saved.eml").write_text(MESSAGE, encoding="utf-8")
    con = build_and_open(inbox, tmp_path / "kith.duckdb")
    try:
        copies = con.execute(
            "select count(distinct interaction_id), list_sort(list(source)) from interaction_sources "
            "where interaction_key = '<same-everywhere@firma.example>'"
        ).fetchall()
        interactions = con.execute(
            "select count(*) from interactions as i join interaction_sources using (interaction_id) "
            "where interaction_key = '<same-everywhere@firma.example>'"
        ).fetchall()
    finally:
        con.close()
    assert copies == [(1, ["eml", "mbox"])]
    assert interactions == [(2,)]  # one interaction, reached from both copies


def imap_account_with_one_message(user, server, kith_home, monkeypatch):
    """The IMAP user `user` holds MESSAGE, and the config names its account test-imap."""
    with imapclient.IMAPClient(server.host, port=server.port, ssl=False) as client:
        client.login(user, server.password)
        client.append("INBOX", MESSAGE.encode())
    monkeypatch.setenv("KITH_TEST_IMAP_PASSWORD", server.password)
    (kith_home / "config.toml").write_text(
        "[[accounts]]\n"
        'name = "test-imap"\nkind = "imap"\nhost = "127.0.0.1"\n'
        f"port = {server.port}\nssl = false\n"
        f'username = "{user}"\npassword_env = "KITH_TEST_IMAP_PASSWORD"\n',
        encoding="utf-8",
    )


@pytest.mark.servers
def test_an_imap_account_lands_beside_the_files_and_syncs_incrementally(
    inbox, tmp_path, dovecot_server, private_kith_home, monkeypatch  # noqa: F811
):
    user = "cross-source"
    imap_account_with_one_message(user, dovecot_server, private_kith_home, monkeypatch)
    warehouse = tmp_path / "kith.duckdb"
    con = build_and_open(inbox, warehouse)
    try:
        imap_rows = con.execute(
            "select records, rejected from source_files where path = 'account:test-imap'"
        ).fetchall()
        marta = con.execute(
            "select count(*) from interaction_participants join people using (person_id) "
            "where display_name = 'Marta Kowalski'"
        ).fetchall()
        secret_leaks = con.execute(
            "select count(*) from rejected where reason like ?", [f"%{dovecot_server.password}%"]
        ).fetchall()
    finally:
        con.close()
    assert imap_rows == [(1, 0)]
    assert marta == [(1,)]
    assert secret_leaks == [(0,)]

    with imapclient.IMAPClient(dovecot_server.host, port=dovecot_server.port, ssl=False) as client:
        client.login(user, dovecot_server.password)
        client.append("INBOX", MESSAGE.replace("same-everywhere", "second").encode())
    con = build_and_open(inbox, warehouse)
    try:
        assert con.execute(
            "select records from source_files where path = 'account:test-imap'"
        ).fetchall() == [(2,)]
        assert con.execute("select count(*) from interaction_sources where source = 'imap'").fetchall() == [(2,)]
    finally:
        con.close()


@pytest.mark.servers
def test_an_account_read_by_older_parsers_is_named_and_read_again_on_request(
    inbox, tmp_path, dovecot_server, private_kith_home, monkeypatch, capfd  # noqa: F811
):
    user = "resync"
    imap_account_with_one_message(user, dovecot_server, private_kith_home, monkeypatch)
    warehouse = tmp_path / "kith.duckdb"
    build(inbox, warehouse)
    build(inbox, warehouse)  # an incremental sync keeps the parsers of the full one
    assert "test-imap: read by an earlier version" not in capfd.readouterr().err

    # Kith's parsers change; meanwhile the message is deleted on the server, which an incremental sync never sees
    monkeypatch.setattr("pipelines.checks.parser_version", lambda: "a-later-version")
    monkeypatch.setattr("pipelines.assets.parser_version", lambda: "a-later-version")
    with imapclient.IMAPClient(dovecot_server.host, port=dovecot_server.port, ssl=False) as client:
        client.login(user, dovecot_server.password)
        client.select_folder("INBOX")
        client.delete_messages(client.search("ALL"))
        client.expunge()
    build(inbox, warehouse)
    assert "warning: test-imap: read by an earlier version of Kith's parsers" in capfd.readouterr().err

    assert main(["build", "--inbox", str(inbox), "--warehouse", str(warehouse), "--as-of", SMALL_INBOX_AS_OF,
                 "--resync", "test-imap"]) == 0
    assert "read by an earlier version" not in capfd.readouterr().err
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select records from source_files where path = 'account:test-imap'").fetchall() == [(0,)]

    assert main(["build", "--inbox", str(inbox), "--warehouse", str(warehouse), "--resync", "nobody"]) == 1
    assert "--resync nobody: no account of that name in the config (test-imap)" in capfd.readouterr().err


@pytest.mark.servers
def test_an_account_gone_from_the_config_keeps_its_records_until_forgotten(
    inbox, tmp_path, dovecot_server, private_kith_home, monkeypatch, capfd  # noqa: F811
):
    imap_account_with_one_message("gone", dovecot_server, private_kith_home, monkeypatch)
    warehouse = tmp_path / "kith.duckdb"
    build(inbox, warehouse)
    (private_kith_home / "config.toml").write_text("")  # another config, or the account renamed

    def imap_records():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute("select records from source_files where path = 'account:test-imap'").fetchall()

    build(inbox, warehouse)
    assert "warning: test-imap: synced before but not in the config" in capfd.readouterr().err
    assert imap_records() == [(1,)]
    assert main(["build", "--inbox", str(inbox), "--warehouse", str(warehouse), "--as-of", SMALL_INBOX_AS_OF,
                 "--forget-account", "test-imap"]) == 0
    assert "not in the config" not in capfd.readouterr().err
    assert imap_records() == []
