"""Writes the owner's personal and work calendars (.ics): 1:1s, group meetings, a recurring run club."""

from __future__ import annotations

import random
import time
from pathlib import Path

from demo.people import DAY, WEEK, Community, Person, World
from demo.timeline import channel_shares, draw_counts, expected_count, person_segments, sample_times

PERSONAL_PATH = Path("calendar/personal.ics")
WORK_PATH = Path("calendar/work.ics")
FUTURE_DAYS = 28
ROOMS = ("Thames", "Severn", "Avon", "Tyne")
PARTSTATS = (("ACCEPTED", 0.8), ("TENTATIVE", 0.08), ("DECLINED", 0.07), ("NEEDS-ACTION", 0.05))
Address = tuple[str | None, str]


def room_addresses() -> list[str]:
    return [f"northwind-room-{name.lower()}@resource.calendar.google.com" for name in ROOMS]


def write_calendars(world: World, inbox: Path, rng: random.Random, total: int | None) -> tuple[int, dict]:
    """Write both calendars; returns (event occurrences written, the broken record)."""
    (inbox / PERSONAL_PATH).parent.mkdir(parents=True, exist_ok=True)
    end = world.now + FUTURE_DAYS * DAY
    people = [p for p in world.people if channel_shares(p)["meeting"] > 0]
    groups = [c for c in world.communities if c.meeting_rate > 0]
    means = [expected_count(person_segments(p, world.start, end, channel_shares(p)["meeting"])) for p in people]
    means += [c.meeting_rate * (end - world.start) / WEEK for c in groups]
    run_club = next((c for c in world.communities if c.kind == "run club"), None)
    with (inbox / PERSONAL_PATH).open("wb") as personal, (inbox / WORK_PATH).open("wb") as work:
        writer = _IcsWriter(rng, world, personal, work)
        club_occurrences = writer.run_club(run_club) if run_club else 0
        remaining = None if total is None else max(0, total - club_occurrences)
        counts = draw_counts(rng, means, remaining)
        for person, count in zip(people, counts):
            writer.one_to_one(person, count, end)
        for community, count in zip(groups, counts[len(people):]):
            writer.group(community, count, end)
        writer.undated_event()
        writer.close()
    broken = {"file": str(WORK_PATH), "what": f"event {writer.undated_uid} has no DTSTART"}
    return writer.occurrences, broken


def fold(line: str) -> str:
    """RFC 5545 folding: at most 75 octets a line, continuation lines start with one space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode())
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += ch
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def ics_time(moment: float) -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(moment))


def _param(value: str) -> str:
    return f'"{value}"' if any(ch in value for ch in ",;:") else value


class _IcsWriter:
    def __init__(self, rng: random.Random, world: World, personal, work):
        self.rng, self.world, self.owner = rng, world, world.owner
        self.files = {False: personal, True: work}
        self.stamp = ics_time(world.now)
        self.occurrences = 0
        self.undated_uid = ""
        for is_work, handle in self.files.items():
            name = "Work" if is_work else "Personal"
            header = ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
                      "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{name}", "X-WR-TIMEZONE:Europe/London"]
            handle.write(("\r\n".join(header) + "\r\n").encode())

    def close(self) -> None:
        for handle in self.files.values():
            handle.write(b"END:VCALENDAR\r\n")

    def one_to_one(self, person: Person, count: int, end: float) -> None:
        work = not person.personal_side
        segments = person_segments(person, self.world.start, end, 1.0)
        for start in sample_times(self.rng, count, segments, work):
            name = person.nickname or person.given
            summary = self.rng.choice((f"1:1 {name} / {self.owner.given}", f"Catch-up with {name}")) if work else \
                self.rng.choice((f"Coffee with {name}", f"Dinner with {name}", f"Call {name}"))
            guest = (self._cn(person), self._address(person, start, work))
            rooms = [self.rng.choice(room_addresses())] if work and self.rng.random() < 0.4 else []
            self._event(work, start, self.rng.choice((30, 45, 60) if work else (60, 90, 120)), summary, [guest], rooms)

    def group(self, community: Community, count: int, end: float) -> None:
        titles = {"team": "Team sync", "family": "Family lunch", "client": f"{community.name.split(',')[0]} review"}
        for start in sample_times(self.rng, count, [(self.world.start, end, 1.0)], community.work):
            members = community.members_at(start)
            size = self.rng.randint(min(2, len(members)), min(29, len(members)))
            guests = [(self._cn(m), self._address(m, start, community.work)) for m in self.rng.sample(members, size)]
            rooms = [self.rng.choice(room_addresses())] if community.work else []
            self._event(community.work, start, self.rng.choice((30, 60)), titles[community.kind], guests, rooms)

    def run_club(self, community: Community) -> int:
        first = max(self.world.start, self.world.now - 2 * 365 * DAY)
        first = (first // WEEK) * WEEK + 5 * DAY + 7 * 3600  # a Tuesday (epoch weeks start on Thursday), 07:00
        until = self.world.now + 8 * WEEK
        weeks = int((until - first) // WEEK) + 1
        skipped = sorted(self.rng.sample(range(1, weeks - 1), 2))
        extra = [f"RRULE:FREQ=WEEKLY;UNTIL={ics_time(until)}",
                 "EXDATE:" + ",".join(ics_time(first + w * WEEK) for w in skipped)]
        organizer = community.members[0]
        guests = [(self._cn(m), self._address(m, first, False)) for m in community.members]
        self._event(False, first, 60, "Run club", guests, [], extra, organizer=(organizer.known_as, guests[0][1]))
        self.occurrences += weeks - len(skipped) - 1  # _event counted the master once
        return weeks - len(skipped)

    def undated_event(self) -> None:
        team = next((c for c in self.world.communities if c.kind == "team"), self.world.communities[0])
        guests = [(self._cn(m), self._address(m, self.world.now, True)) for m in team.members[:3]]
        self.undated_uid = self._event(True, None, 30, "Planning (moved)", guests, [], counted=False)

    def _cn(self, person: Person) -> str | None:
        roll = self.rng.random()
        if roll < 0.1:
            return None
        return (person.mail_name or person.known_as) if roll < 0.3 else person.known_as

    def _address(self, person: Person, when: float, work: bool) -> str:
        job = person.job_at(when)
        if work and job and job.email:
            return job.email
        return person.personal_email or (job.email if job and job.email else person.all_emails()[0])

    def _event(self, work: bool, start: float | None, minutes: int, summary: str, guests: list[Address],
               rooms: list[str], extra: list[str] = (), organizer: Address | None = None, counted: bool = True) -> str:
        uid = f"{self.rng.getrandbits(96):024x}@google.com"
        mine = self.owner.work_email if work else self.owner.personal_email
        if organizer is None and guests and self.rng.random() < 0.35:
            organizer = guests[0]
        organizer = organizer or (self.owner.full_name, mine)
        lines = ["BEGIN:VEVENT"]
        if start is not None:
            start = round(start / 900) * 900  # meetings start on the quarter hour
            lines += [f"DTSTART:{ics_time(start)}", f"DTEND:{ics_time(start + minutes * 60)}"]
        lines += [f"DTSTAMP:{self.stamp}", f"ORGANIZER;CN={_param(organizer[0] or organizer[1])}:mailto:{organizer[1]}",
                  f"UID:{uid}"]
        everyone = [(self.owner.full_name, mine)] + guests
        for name, address in everyone:
            partstat = "ACCEPTED" if address == organizer[1] else self._partstat()
            cn = f";CN={_param(name)}" if name else ""
            lines.append(f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat}{cn};"
                         f"X-NUM-GUESTS=0:mailto:{address}")
        for room in rooms:
            label = room.split("@")[0].split("-")[-1].title()
            lines.append(f"ATTENDEE;CUTYPE=RESOURCE;ROLE=NON-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Room {label}:mailto:{room}")
        lines += list(extra)
        lines += [f"CREATED:{self.stamp}", "SEQUENCE:0", "STATUS:CONFIRMED", f"SUMMARY:{summary}", "TRANSP:OPAQUE",
                  "END:VEVENT"]
        self.files[work].write(("\r\n".join(fold(line) for line in lines) + "\r\n").encode())
        self.occurrences += counted
        return uid

    def _partstat(self) -> str:
        states, weights = zip(*PARTSTATS)
        return self.rng.choices(states, weights)[0]
