"""Finding the owner's addresses (transforms/sql/owner.sql, owner_from_mail.sql) on small inboxes."""

from __future__ import annotations

import pytest

from tests.transforms.inbox_files import ALEX_DOE_MAILBOX, mbox_message, staged


def _owner_emails(tmp_path, messages: list[str], me: tuple[str, ...] = ()) -> list[tuple[str, list[str]]]:
    con = staged(tmp_path, {"mail.mbox": "".join(messages)}, owner_emails=me)
    try:
        return con.execute("select value, evidence from owner_identifiers where kind = 'email'").fetchall()
    finally:
        con.close()


def test_with_nothing_naming_the_owner_the_address_in_most_mail_is_theirs(tmp_path):
    assert _owner_emails(tmp_path, ALEX_DOE_MAILBOX) == [("alexdoe@gmail.com", ["in most mail"])]


def test_an_address_given_by_the_user_is_no_guess(tmp_path):
    assert _owner_emails(tmp_path, ALEX_DOE_MAILBOX, me=("alex@work.example",)) == [
        ("alex@work.example", ["settings"])
    ]


def _listmbox_message(number: int) -> str:
    return mbox_message(number, f"p{number}@example.org", "dev@lists.example", headers="List-Id: <dev.lists.example>\n")


def test_a_mailing_list_is_not_the_owner_however_much_of_the_mail_it_gets(tmp_path):
    messages = [_listmbox_message(n) for n in range(10, 22)] + ALEX_DOE_MAILBOX
    assert _owner_emails(tmp_path, messages) == [("alexdoe@gmail.com", ["in most mail"])]


@pytest.mark.parametrize("messages", [
    # lists' mail: no address is in a third of it
    [mbox_message(n, f"p{n}@example.org", f"list{n % 4}@lists.example") for n in range(1, 13)],
    # two addresses in all of it: either could be the owner's
    [mbox_message(n, "ana@example.org", "bo@example.net") for n in range(1, 5)],
])
def test_no_address_stands_out_so_the_owner_stays_unknown(tmp_path, messages):
    assert _owner_emails(tmp_path, messages) == []


def test_the_profile_in_every_linkedin_message_is_the_owner_s_whatever_name_it_goes_by(tmp_path):
    """Profile.csv names the owner "Sam Owner-Silva"; the messages, "Sam Silva". The owner's profile is in all six;
    each friend's, a connection's, in three."""
    header = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
              "CONTENT,FOLDER,ATTACHMENTS,IS MESSAGE DRAFT\n")
    me, friends = ("Sam Silva", "https://www.linkedin.com/in/samsilva"), [
        ("Ana Lima", "https://www.linkedin.com/in/ana-lima-1"), ("Bo Ng", "https://www.linkedin.com/in/bo-ng-2")]
    rows = []
    for n in range(6):
        friend = friends[n % 2]
        sender, recipient = (me, friend) if n % 3 else (friend, me)
        rows.append(f"c{n % 2},,{sender[0]},{sender[1]},{recipient[0]},{recipient[1]},2024-03-0{n + 1} 10:00:00 UTC,,"
                    f"hello,INBOX,,No\n")
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Ana,Lima,https://www.linkedin.com/in/ana-lima-1,,,,01 Jan 2020\n"
                   "Bo,Ng,https://www.linkedin.com/in/bo-ng-2,,,,01 Jan 2020\n")
    profile = ("First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,"
               "Twitter Handles,Websites,Instant Messengers\nSam,Owner-Silva,,,,,,,,,,,\n")
    files = {"messages.csv": header + "".join(rows), "Connections.csv": connections, "Profile.csv": profile}
    assert _owner_profiles(tmp_path / "two friends", files) == [("samsilva",)]
    # every message with one recruiter who is no connection: either profile may be the owner's
    files["Connections.csv"] = connections.replace("Bo,Ng,https://www.linkedin.com/in/bo-ng-2", "Cy,Ma,x")
    files["messages.csv"] = header + "".join(row for row in rows if row.startswith("c1"))
    files["messages.csv"] += "".join(rows[1].replace("2024-03-02", f"2024-04-0{n}") for n in range(1, 4))
    assert _owner_profiles(tmp_path / "one recruiter", files) == []


def _owner_profiles(folder, files: dict[str, str]) -> list[tuple[str]]:
    folder.mkdir()
    con = staged(folder, files)
    try:
        return con.execute("select value from owner_identifiers where kind = 'linkedin'").fetchall()
    finally:
        con.close()
