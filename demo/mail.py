"""Writes the owner's Gmail Takeout mbox (CRLF, Gmail From_ lines, labels, threads) by streaming per tie."""

from __future__ import annotations

import base64
import random
import time
from pathlib import Path

from demo.people import DAY, Community, Person, World
from demo.timeline import channel_shares, draw_counts, expected_count, person_segments, sample_times

MBOX_PATH = Path("mail/Takeout/Mail/All mail Including Spam and Trash.mbox")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PERSONAL_SUBJECTS = (
    "Dinner on Saturday?", "Photos from the weekend", "Quick question", "Happy birthday!", "Plans for the holidays",
    "That article I mentioned", "Are you around next week?", "Thanks for yesterday", "Book recommendation",
)
WORK_SUBJECTS = (
    "Notes from today's call", "Q3 roadmap", "Draft proposal", "Invoice 2291", "Hiring plan", "Follow-up",
    "Agenda for Thursday", "Contract review", "Slides for the offsite", "Data pipeline incident",
)
BODIES = (
    "Sounds good, see you then.", "Thanks! I'll take a look tonight.", "Can we move it to 3pm?",
    "Attached are the notes. Let me know what you think.", "Great to catch up today.",
    "Just checking in on this one.", "Yes, that works for me.", "Running ten minutes late, sorry!",
)
Address = tuple[str | None, str]
REPLY_DELAY_MEAN = 3 * 3600  # seconds: an answer in a reply chain comes within hours


def write_mbox(world: World, inbox: Path, rng: random.Random, total: int | None,
               reply_chains: float = 0.0) -> tuple[int, dict]:
    """Write the mbox under `inbox`; returns (messages written, the broken record it contains).

    `reply_chains` is the chance that a one-to-one message is answered within hours, in the same thread, on top
    of the tie's rate (each answer may be answered again): mail in bursts, as in a self-exciting process.
    At 0 every message is an event of the tie's Poisson process, and answers are only relabelled events."""
    path = inbox / MBOX_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    people = [p for p in world.people if channel_shares(p)["email"] > 0]
    senders = [p for p in world.people if p.one_way]
    groups = [c for c in world.communities if c.email_rate > 0]
    means = [expected_count(person_segments(p, world.start, world.now, channel_shares(p)["email"])) for p in people]
    means += [expected_count(person_segments(p, world.start, world.now, 1.0)) for p in senders]
    means += [c.email_rate * (world.now - world.start) / (7 * DAY) for c in groups]
    counts = draw_counts(rng, means, total)
    with path.open("wb", buffering=1 << 20) as handle:
        writer = _MboxWriter(handle, rng, world, reply_chains)
        for person, count in zip(people, counts):
            writer.one_to_one(person, count)
        for sender, count in zip(senders, counts[len(people):]):
            writer.bulk(sender, count)
        for community, count in zip(groups, counts[len(people) + len(senders):]):
            writer.group(community, count)
    broken = {"file": str(MBOX_PATH), "what": f"message {writer.undated_id} has no Date header"}
    return writer.written, broken


def encode_name(name: str | None, address: str) -> str:
    """An address header value with an RFC 2047 or quoted display name where the name needs it."""
    if not name:
        return address
    if not name.isascii():
        encoded = base64.b64encode(name.encode()).decode()
        return f"=?UTF-8?B?{encoded}?= <{address}>"
    if any(ch in name for ch in ',.;:"()<>@[]'):
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + f'" <{address}>'
    return f"{name} <{address}>"


class _MboxWriter:
    def __init__(self, handle, rng: random.Random, world: World, reply_chains: float):
        self.handle, self.rng, self.world, self.reply_chains = handle, rng, world, reply_chains
        self.owner = world.owner
        self.written = 0
        self.undated_id: str | None = None

    # --- streams ------------------------------------------------------------------------------
    def one_to_one(self, person: Person, count: int) -> None:
        work = not person.personal_side and bool(person.jobs and person.jobs[-1].email)
        segments = person_segments(person, self.world.start, self.world.now, 1.0)
        previous: tuple[float, str, str, str, bool] | None = None  # when, id, thread, subject, sent
        for when in sample_times(self.rng, count, segments, work):
            rate = person.rate_at(when)
            strength = rate / (rate + 0.25)
            reply = previous is not None and when - previous[0] < 5 * DAY and self.rng.random() < 0.2 + 0.6 * strength
            if reply:
                sent = not previous[4]
                subject, thread, parent = _re(previous[3]), previous[2], previous[1]
            else:
                sent = self.rng.random() < 0.3 + 0.3 * strength
                subject, thread, parent = self.rng.choice(WORK_SUBJECTS if work else PERSONAL_SUBJECTS), None, None
            theirs = (person.mail_name, self._address_of(person, when))
            mine = (self.owner.full_name, self.owner.work_email if work else self.owner.personal_email)
            to_them = (person.known_as if person.address_book else None, theirs[1])
            while True:  # the message, then any answers in a reply chain
                sender, recipients = (mine, [to_them]) if sent else (theirs, [mine])
                labels = "Sent" if sent else ("Inbox,Important,Opened" if strength > 0.5 else "Inbox,Opened")
                labels += ",Work" if work else ",Category Personal"
                parent, thread = self._write(when, sender, recipients, [], subject, labels, thread, parent)
                previous = (when, parent, thread, subject, sent)
                if not (self.reply_chains and self.rng.random() < self.reply_chains):
                    break
                when += self.rng.expovariate(1 / REPLY_DELAY_MEAN)
                if when >= self.world.now:
                    break
                sent, subject = not sent, _re(subject)

    def group(self, community: Community, count: int) -> None:
        segments = [(self.world.start, self.world.now, 1.0)]
        mine = (self.owner.full_name, self.owner.work_email if community.work else self.owner.personal_email)
        previous: tuple[float, str, str, str] | None = None
        for when in sample_times(self.rng, count, segments, community.work):
            members = community.members_at(when)
            k = self.rng.randint(min(3, len(members) + 1), min(30, len(members) + 1))
            chosen = self.rng.sample(members, k - 1)
            sent = self.rng.random() < 0.3
            sender = mine if sent else (chosen[0].mail_name, self._address_of(chosen[0], when))
            others = chosen if sent else chosen[1:]
            recipients = [(m.known_as if m.address_book else m.mail_name, self._address_of(m, when)) for m in others]
            if not sent:
                recipients.insert(0, mine)
            cc = []
            if community.role_inbox and self.rng.random() < 0.3:
                cc.append((community.role_inbox.mail_name, community.role_inbox.personal_email))
            if previous and when - previous[0] < 3 * DAY and self.rng.random() < 0.4:
                subject, thread, parent = _re(previous[3]), previous[2], previous[1]
            else:
                topic = self.rng.choice(WORK_SUBJECTS if community.work else PERSONAL_SUBJECTS)
                subject, thread, parent = f"[{community.name}] {topic}", None, None
            labels = ("Sent" if sent else "Inbox,Opened") + "," + community.name.split(",")[0]
            message_id, thread = self._write(when, sender, recipients, cc, subject, labels, thread, parent)
            previous = (when, message_id, thread, subject)

    def bulk(self, sender: Person, count: int) -> None:
        segments = person_segments(sender, self.world.start, self.world.now, 1.0)
        work = bool(sender.jobs)
        me = (self.owner.full_name, self.owner.work_email if work and self.rng.random() < 0.5 else self.owner.personal_email)
        address = self._address_of(sender, self.world.now)
        host = address.split("@")[1]
        for when in sample_times(self.rng, count, segments, work):
            if sender.kind == "newsletter":
                extra = [f"List-Id: {sender.given} <news.{host}>",
                         f"List-Unsubscribe: <mailto:unsubscribe@{host}>, <https://{host}/unsubscribe>",
                         "Precedence: bulk"]
                subject, labels = f"{sender.given}: issue {int(when // (7 * DAY)) % 500}", "Inbox,Category Updates"
            elif sender.kind == "noreply":
                extra, labels = ["Auto-Submitted: auto-generated"], "Inbox,Category Updates"
                subject = "Invitation: Team sync" if address.startswith("calendar") else "Your order has shipped"
            else:
                extra, labels, subject = [], "Inbox", "Exciting opportunity - are you open to a chat?"
            self._write(when, (sender.mail_name, address), [me], [], subject, labels, None, None, extra)

    # --- helpers ------------------------------------------------------------------------------
    def _address_of(self, person: Person, when: float) -> str:
        job = person.job_at(when)
        work_address = job.email if job else None
        address = person.personal_email if person.personal_side or not work_address else work_address
        address = address or work_address or person.all_emails()[0]
        if person.email_variants and address == person.personal_email and self.rng.random() < 0.15:
            return self.rng.choice(person.email_variants)
        return address

    def _write(self, when: float, sender: Address, to: list[Address], cc: list[Address], subject: str,
               labels: str, thread: str | None, parent: str | None, extra: list[str] = ()) -> tuple[str, str]:
        self.written += 1
        stamp = time.gmtime(when)
        gmail_id = (int(when * 1000) << 20) | (self.written & 0xFFFFF)
        thread = thread or str(gmail_id)
        domain = sender[1].split("@")[1]
        host = "mail.gmail.com" if domain == "gmail.com" else domain
        message_id = f"<{self.written:x}.{self.rng.getrandbits(48):012x}@{host}>"
        lines = [
            f"From {gmail_id}@xxx {DAYS[stamp.tm_wday]} {MONTHS[stamp.tm_mon - 1]} {stamp.tm_mday:02d} "
            f"{stamp.tm_hour:02d}:{stamp.tm_min:02d}:{stamp.tm_sec:02d} +0000 {stamp.tm_year}",
            f"X-GM-THRID: {thread}",
            f"X-Gmail-Labels: {labels}",
            "MIME-Version: 1.0",
        ]
        if self.undated_id is None and self.written >= 3:
            self.undated_id = message_id  # the deliberately broken record: no Date header
        else:
            lines.append(f"Date: {DAYS[stamp.tm_wday]}, {stamp.tm_mday:02d} {MONTHS[stamp.tm_mon - 1]} "
                         f"{stamp.tm_year} {stamp.tm_hour:02d}:{stamp.tm_min:02d}:{stamp.tm_sec:02d} +0000")
        lines.append(f"Message-ID: {message_id}")
        if parent:
            lines += [f"In-Reply-To: {parent}", f"References: {parent}"]
        lines += [f"Subject: {subject}", f"From: {encode_name(*sender)}",
                  "To: " + ", ".join(encode_name(*a) for a in to)]
        if cc:
            lines.append("Cc: " + ", ".join(encode_name(*a) for a in cc))
        lines += list(extra)
        lines += ['Content-Type: text/plain; charset="UTF-8"', "", self.rng.choice(BODIES), "", ""]
        self.handle.write("\r\n".join(lines).encode())
        return message_id, thread


def _re(subject: str) -> str:
    return subject if subject.startswith("Re: ") else f"Re: {subject}"
