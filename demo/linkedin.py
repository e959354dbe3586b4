"""Writes the owner's LinkedIn data export zip in the 2023+ layout (Connections preamble, messages, profile)."""

from __future__ import annotations

import base64
import csv
import io
import random
import time
import zipfile
from pathlib import Path

from demo.people import DAY, Person, World
from demo.timeline import channel_shares, draw_counts, expected_count, person_segments, sample_times

PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing. '
    "You will only see email addresses for connections who have allowed their connections to see or download "
    "their email address using this setting https://www.linkedin.com/psettings/privacy/email. "
    'You can learn more here https://www.linkedin.com/help/linkedin/answer/261"\n\n'
)
PROFILE_URL = "https://www.linkedin.com/in/{}"
SKILLS = ("Data Engineering", "Python", "Stakeholder Management", "SQL", "Product Strategy")
MESSAGE_LINES = (
    "Thanks for connecting!", "Would love to hear more about what you're building.", "Congrats on the new role!",
    "Are you going to the meetup next week?", "Happy to help, send me the details.",
)


def export_path(now: float) -> Path:
    return Path("linkedin") / time.strftime("Complete_LinkedInDataExport_%m-%d-%Y.zip", time.gmtime(now))


def write_linkedin(world: World, inbox: Path, rng: random.Random) -> tuple[int, dict]:
    """Write the export zip; returns (LinkedIn messages written, the broken record)."""
    path = inbox / export_path(world.now)
    path.parent.mkdir(parents=True, exist_ok=True)
    connected = [p for p in world.people if p.linkedin_state == "connected"]
    broken_row = rng.randrange(len(connected))
    messages = _messages(world, rng)
    files = {
        "Connections.csv": PREAMBLE + _csv(["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
                                            "Connected On"], _connections(world, rng, connected, broken_row)),
        "messages.csv": _csv(["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
                              "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER", "ATTACHMENTS",
                              "IS MESSAGE DRAFT"], messages),
        "Invitations.csv": _csv(["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl",
                                 "inviteeProfileUrl"], _invitations(world, rng)),
        "Profile.csv": _csv(["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary",
                             "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers"],
                            [[world.owner.given, world.owner.family, "", "London", "Mar 14", "Head of Data at Northwind Labs",
                              "Building data products.", "Software Development", "", "London, England, United Kingdom",
                              "", "", ""]]),
        "Email Addresses.csv": _csv(["Email Address", "Confirmed", "Primary", "Updated On"],
                                    [[world.owner.personal_email, "Yes", "Yes", _us_time(world.start)],
                                     [world.owner.work_email, "Yes", "No", _us_time(world.start + 30 * DAY)]]),
        "PhoneNumbers.csv": _csv(["Extension", "Number", "Type"],
                                 [["", " +44 20 7946 0000", "Mobile"], ["", "", ""]]),
        "Positions.csv": _csv(["Company Name", "Title", "Description", "Location", "Started On", "Finished On"],
                              [[world.owner.company.name, "Head of Data", "", "London", _month(world.start - 400 * DAY), ""],
                               ["Quill Publishing", "Data Engineer", "", "London", _month(world.start - 2000 * DAY),
                                _month(world.start - 400 * DAY)]]),
        "Endorsement_Received_Info.csv": _csv(["Endorsement Date", "Skill Name", "Endorser First Name",
                                               "Endorser Last Name", "Endorser Public Url", "Endorsement Status"],
                                              _endorsements(world, rng, connected)),
    }
    stamp = time.gmtime(world.now)[:6]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), text.encode(), zipfile.ZIP_DEFLATED)
    person = connected[broken_row]
    broken = {"file": str(export_path(world.now) / "Connections.csv"),
              "what": f"Connected On of {person.linkedin} is not a date"}
    return len(messages), broken


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _us_time(moment: float) -> str:
    stamp = time.gmtime(moment)
    hour = stamp.tm_hour % 12 or 12
    return f"{stamp.tm_mon}/{stamp.tm_mday}/{stamp.tm_year % 100:02d}, {hour}:{stamp.tm_min:02d} " + \
        ("AM" if stamp.tm_hour < 12 else "PM")


def _month(moment: float) -> str:
    return time.strftime("%b %Y", time.gmtime(moment))


def _connected_on(world: World, rng: random.Random) -> float:
    return world.start - rng.uniform(0, 3 * 365) * DAY + rng.uniform(0, 365) * DAY


def _connections(world: World, rng: random.Random, connected: list[Person], broken_row: int) -> list[list[str]]:
    rows = []
    for index, person in enumerate(connected):
        job = person.current_job
        email = ""
        if rng.random() < 0.2:
            email = person.personal_email or (job.email if job and job.email else "")
        moment = _connected_on(world, rng)
        when = "sometime in 2019" if index == broken_row else time.strftime("%d %b %Y", time.gmtime(moment))
        title = rng.choice(("Engineer", "Product Manager", "Director", "Consultant", "Analyst")) if job else ""
        rows.append((moment, [person.given, person.family, PROFILE_URL.format(person.linkedin), email,
                              job.company.name if job else "", title, when]))
    rows.sort(key=lambda row: row[0], reverse=True)  # the export lists the newest connection first
    return [row for _moment, row in rows]


def _messages(world: World, rng: random.Random) -> list[list[str]]:
    people = [p for p in world.people if channel_shares(p)["linkedin"] > 0]
    means = [expected_count(person_segments(p, world.start, world.now, channel_shares(p)["linkedin"])) for p in people]
    owner = world.owner
    me = (owner.full_name, PROFILE_URL.format(owner.linkedin))
    rows = []
    for person, count in zip(people, draw_counts(rng, means, None)):
        conversation = "2-" + base64.b64encode(rng.getrandbits(64).to_bytes(8, "big")).decode()
        them = (person.full_name, PROFILE_URL.format(person.linkedin))
        segments = person_segments(person, world.start, world.now, 1.0)
        for when in sample_times(rng, count, segments, not person.personal_side):
            sender, recipient = (me, them) if rng.random() < 0.45 else (them, me)
            rows.append([conversation, "", sender[0], sender[1], recipient[0], recipient[1],
                         time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(when)), "",
                         rng.choice(MESSAGE_LINES), "INBOX", "", "No"])
    rows.sort(key=lambda row: row[6], reverse=True)
    return rows


def _invitations(world: World, rng: random.Random) -> list[list[str]]:
    rows = []
    me = (world.owner.full_name, PROFILE_URL.format(world.owner.linkedin))
    for person in (p for p in world.people if p.linkedin_state == "invited"):
        them = (person.full_name, PROFILE_URL.format(person.linkedin))
        outgoing = rng.random() < 0.5
        sender, recipient = (me, them) if outgoing else (them, me)
        rows.append([sender[0], recipient[0], _us_time(world.now - rng.uniform(1, 60) * DAY),
                     "" if rng.random() < 0.6 else "Hi, it would be great to connect!",
                     "OUTGOING" if outgoing else "INCOMING", sender[1], recipient[1]])
    return rows


def _endorsements(world: World, rng: random.Random, connected: list[Person]) -> list[list[str]]:
    endorsers = [p for p in connected if p.kind in ("colleague", "client")][:8]
    rows = []
    for person in endorsers:
        when = time.strftime("%Y/%m/%d %H:%M:%S UTC", time.gmtime(world.now - rng.uniform(30, 900) * DAY))
        rows.append([when, rng.choice(SKILLS), person.given, person.family,
                     f"www.linkedin.com/in/{person.linkedin}", "ACCEPTED"])
    return rows
