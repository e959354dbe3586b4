"""Tests for the single-message .eml reader."""

from datetime import UTC, datetime
from pathlib import Path

from connectors.mail.eml import parse_eml
from connectors.records import Interaction, Participant, Reject

FIXTURES = Path(__file__).parents[2] / "fixtures" / "mail"
CALENDAR = "calendar-notification@google.com"


def test_calendar_invitation_eml():
    path = FIXTURES / "invitation.eml"
    assert list(parse_eml(path)) == [
        Interaction(
            source="eml",
            source_file=str(path),
            location="file",
            interaction_key="<calendar-0001@google.com>",
            channel="email",
            occurred_at=datetime(2020, 3, 3, 18, 0, tzinfo=UTC),  # "3 Mar 20 10:00:00 PST"
            participants=[
                Participant(role="from", kind="email", value=CALENDAR, name="Google Calendar"),
                Participant(role="to", kind="email", value="alice@example.org"),
                Participant(role="reply_to", kind="email", value="francoise@example.org", name="Françoise Martin"),
                # its Sender is its From: no second participant
            ],
            thread_id="<calendar-0001@google.com>",
            title="Invitation: Café @ Tue Mar 10, 2020",
            automated_reason="calendar-notification",
        )
    ]


def test_latin1_headers_unknown_charset_and_no_message_id():
    path = FIXTURES / "no-message-id.eml"
    [record] = parse_eml(path)
    assert record == Interaction(
        source="eml",
        source_file=str(path),
        location="file",
        interaction_key="sha1:ef6db2021407d028bb56fbcbca64031d37bb491c",
        channel="email",
        occurred_at=datetime(2020, 3, 4, 10, 0, tzinfo=UTC),
        participants=[
            Participant(role="from", kind="email", value="andre@example.org", name="André"),
            Participant(role="to", kind="email", value="francoise@example.org", name="Martin, Françoise"),
        ],
        title="café crème",
    )


def test_eml_starting_with_a_from_line_and_a_dateless_eml(tmp_path):
    dated = tmp_path / "saved.eml"
    dated.write_bytes(
        b"From a@x.org Mon Mar  2 10:00:00 2020\nFrom: a@x.org\nDate: Mon, 2 Mar 2020 10:00:00 +0000\n\nx\n"
    )
    assert [record.participants for record in parse_eml(dated)] == [[Participant("from", "email", "a@x.org")]]
    dateless = tmp_path / "dateless.eml"
    dateless.write_bytes(b"From: a@x.org\n\nbody")
    assert list(parse_eml(dateless)) == [
        Reject("eml", str(dateless), "file", "no usable date (Date, Received, From_ line)")
    ]


def test_missing_file_is_a_file_reject(tmp_path):
    [reject] = parse_eml(tmp_path / "gone.eml")
    assert (reject.location, reject.reason.startswith("cannot open the file")) == ("file", True)


def test_outlook_iso_8859_1_is_read_as_windows_1252():
    # Outlook labels its en dash and curly quotes (0x80-0x9F) ISO-8859-1; mail clients show them as windows-1252.
    [record] = parse_eml(FIXTURES / "outlook-latin1.eml")
    assert record.title == "Angebot Acme – Entwurf"
    assert [(participant.name, participant.value) for participant in record.participants] == [
        ("Renée O’Brien", "renee@example.net"),
        ("Thomas Groß", "thomas@example.de"),
        ("“Team”", "team@example.de"),  # raw 8-bit text in the charset Content-Type declares
    ]


def _emlx(message: bytes) -> bytes:
    """Apple Mail's .emlx: the message's length on a line, the message, then a property list of its flags."""
    return b"%d       \n" % len(message) + message + b'<?xml version="1.0"?>\n<plist version="1.0"><dict/></plist>\n'


def test_apple_mail_emlx_is_read_as_its_message(tmp_path):
    path = tmp_path / "12345.emlx"
    # headers only, not even a line break after them: the property list follows the last header
    headers = b"From: Ann <ann@x.org>\nTo: me@x.org\nDate: Mon, 2 Mar 2020 10:00:00 +0000\nMessage-ID: <a@x>"
    path.write_bytes(_emlx(headers))
    [record] = parse_eml(path)
    assert (record.source, record.location, record.interaction_key) == ("eml", "file", "<a@x>")
    assert [participant.value for participant in record.participants] == ["ann@x.org", "me@x.org"]


def test_an_emlx_without_its_length_line_is_read_as_an_eml(tmp_path):
    path = tmp_path / "saved.emlx"
    path.write_bytes(b"From: ann@x.org\nDate: Mon, 2 Mar 2020 10:00:00 +0000\nMessage-ID: <b@x>\n\nbody\n")
    assert [record.interaction_key for record in parse_eml(path)] == ["<b@x>"]
