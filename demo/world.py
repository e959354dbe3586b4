"""generate_world: draws the latent world from a seed and writes every inbox file plus truth.json."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from demo.calendars import write_calendars
from demo.linkedin import write_linkedin
from demo.mail import write_mbox
from demo.people import DRIFT_SHARE, DUNBAR, build_world
from demo.truth import write_truth
from demo.vcards import write_vcards


@dataclass(frozen=True, slots=True)
class WorldSummary:
    inbox: Path
    truth: Path
    people: int
    messages: int  # mbox messages, the one without a Date included
    events: int  # calendar occurrences (recurrences expanded, the event without DTSTART excluded)
    linkedin_messages: int
    cards: int


def generate_world(out_dir: Path, *, seed: int = 7, people: int = 300, years: int = 5,
                   messages: int | None = None, events: int | None = None,
                   now: datetime | None = None, reply_chains: float = 0.0,
                   group_traffic: float = 1.0, drift_share: float = DRIFT_SHARE,
                   layer_shape: str = DUNBAR) -> WorldSummary:
    """Write `out_dir/inbox/` (LinkedIn zip, vCards, Takeout mbox, calendars) and `out_dir/truth.json`.
    `reply_chains` > 0 puts one-to-one mail in bursts (demo/mail.py); `group_traffic` multiplies how often every
    community (the team, the family, a client) mails and meets as a group; `drift_share` is the share of ties that
    change pace once in the window; `layer_shape` "signature" draws the ties' rates from a smooth power law of their
    rank instead of Dunbar layers (demo/people.py)."""
    out_dir = Path(out_dir)
    now = now or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    now_ts = now.timestamp() if now.tzinfo else now.replace(tzinfo=UTC).timestamp()
    world = build_world(random.Random(seed), people, years, now_ts, drift_share, layer_shape)
    for community in world.communities:
        community.email_rate *= group_traffic
        community.meeting_rate *= group_traffic
    inbox = out_dir / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    # One generator per output, so the size of one file never shifts the contents of another.
    linkedin_messages, linkedin_broken = write_linkedin(world, inbox, random.Random(f"{seed}/linkedin"))
    cards, card_broken = write_vcards(world, inbox, random.Random(f"{seed}/vcards"))
    message_count, mail_broken = write_mbox(world, inbox, random.Random(f"{seed}/mail"), messages, reply_chains)
    event_count, event_broken = write_calendars(world, inbox, random.Random(f"{seed}/calendar"), events)
    truth = out_dir / "truth.json"
    write_truth(world, truth, [linkedin_broken, card_broken, mail_broken, event_broken],
                {"reply_chains": reply_chains, "group_traffic": group_traffic, "drift_share": drift_share,
                 "layer_shape": layer_shape})
    return WorldSummary(inbox, truth, len(world.people), message_count, event_count, linkedin_messages, cards)
