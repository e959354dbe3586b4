"""A newer LinkedIn export over an older one: newer companies win, messages are not duplicated."""

from __future__ import annotations

from tests.pipelines.kith_builds import build_and_open

PREAMBLE = 'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing."\n\n'
CONNECTIONS_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
MESSAGES_HEADER = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,"
    "FOLDER,ATTACHMENTS,IS MESSAGE DRAFT\n"
)
OLD_MESSAGE = (
    "2-XYZ,,Lena Fischer,https://www.linkedin.com/in/lena-fischer,Sam Owner,https://www.linkedin.com/in/sam-owner,"
    "2025-03-01 10:00:00 UTC,,Hello,INBOX,,No\n"
)
REPLY = (
    "2-XYZ,,Sam Owner,https://www.linkedin.com/in/sam-owner,Lena Fischer,https://www.linkedin.com/in/lena-fischer,"
    "2025-03-02 11:00:00 UTC,,Hi Lena,INBOX,,No\n"
)
NEW_MESSAGE = (
    "2-XYZ,,Lena Fischer,https://www.linkedin.com/in/lena-fischer,Sam Owner,https://www.linkedin.com/in/sam-owner,"
    "2026-10-05 09:00:00 UTC,,New job!,INBOX,,No\n"
)


def export(folder, company, position, messages):
    folder.mkdir(parents=True)
    (folder / "Connections.csv").write_text(
        PREAMBLE + CONNECTIONS_HEADER
        + f"Lena,Fischer,https://www.linkedin.com/in/lena-fischer,,{company},{position},03 Feb 2020\n",
        encoding="utf-8",
    )
    (folder / "messages.csv").write_text(MESSAGES_HEADER + "".join(messages), encoding="utf-8")
    (folder / "Profile.csv").write_text(
        "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,"
        "Twitter Handles,Websites,Instant Messengers\nSam,Owner,,,,,,,,,,,\n",
        encoding="utf-8",
    )


def test_newer_export_wins_and_history_is_kept_once(tmp_path):
    inbox = tmp_path / "inbox"
    export(inbox / "Basic_LinkedInDataExport_04-01-2025", "Initech", "Analyst", [OLD_MESSAGE, REPLY])
    export(
        inbox / "Basic_LinkedInDataExport_11-01-2026", "Globex", "Head of Data", [OLD_MESSAGE, REPLY, NEW_MESSAGE]
    )
    con = build_and_open(inbox, tmp_path / "kith.duckdb")
    try:
        people = con.execute("select display_name, organization, title from people").fetchall()
        messages = con.execute(
            "select count(*), count(distinct interaction_id) from interactions where channel = 'linkedin_message'"
        ).fetchall()
        copies = con.execute(
            "select count(*) from interaction_sources join interactions using (interaction_id) "
            "where channel = 'linkedin_message'"
        ).fetchall()
        directions = con.execute(
            "select direction, count(*) from interactions where channel = 'linkedin_message' group by all order by all"
        ).fetchall()
    finally:
        con.close()
    assert people == [("Lena Fischer", "Globex", "Head of Data")]
    assert messages == [(3, 3)]
    assert copies == [(5,)]  # the two old messages are in both exports, one interaction each
    assert directions == [("received", 2), ("sent", 1)]
