"""The latent world: the owner, the people with their addresses, jobs and tie rates, and their communities."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from demo.names import display_variant, draw_name, has_accents, nicknames_of, slug

DAY = 86400.0
WEEK = 7 * DAY
LAYER_SIZES = (5, 10, 35, 100)  # layer 5 is everyone else
LAYER_RATES = (3.0, 1.0, 0.25, 0.04, 0.005)  # interactions per week
STRENGTH_HALF_RATE = 0.25  # the weekly rate that maps to latent strength 0.5
RATE_SPREAD = 0.5  # sigma of the lognormal factor that spreads each tie's rate around its layer's
# How the ties' rates are spread: Dunbar layers (the reference's generator), or a Saramaki-like "social signature"
# with no layers, where the rate falls smoothly with the tie's rank among the ties of a 300-tie ego (ranks scale with
# the world's size, as the layers do). Kinds follow the layers by rank in both.
DUNBAR, SIGNATURE = "dunbar", "signature"
LAYER_SHAPES = (DUNBAR, SIGNATURE)
SIGNATURE_TOP_RATE = 6.0
SIGNATURE_EXPONENT = 1.2
DRIFT_SHARE = 0.15  # ties whose rate changes once in the window
DRIFT_WINDOW = (0.2, 0.9)  # when, as fractions of the window
LEAVING_TEAM_FACTOR = (0.1, 0.4)  # the new rate over the old: a colleague who leaves the owner's team
NEW_EMPLOYER_FACTOR = (0.3, 2.0)  # someone else who changes jobs
PROJECT_END_FACTOR = (0.1, 0.4)
PROJECT_START_FACTOR = (2.5, 5.0)
DORMANT_QUIET_DAYS = (280, 420)
USUAL_NICKNAMES = frozenset(
    "Bob Rob Bill Will Liz Beth Kate Katie Jim Jimmy Maggie Meg Mike Jen Jenny Tom Alex Dan Becky Chris "
    "Sam Rick Pat Jon Vicky Ed Ted Sue Andy Drew Dave Matt Ben Joe Tony Nick Em".split()
)
COMPANY_NAMES = (
    "Acme Analytics", "Bluebird Health", "Copperleaf Logistics", "Driftwood Studios", "Evergreen Capital",
    "Foxglove Software", "Granite Insurance", "Harbour & Vale, Ltd.", "Ironbark Energy", "Juniper Retail",
    "Kestrel Robotics", "Lumen Media", "Meridian Bank", "Nimbus Cloud", "Orchard Foods",
    "Pinecrest Consulting", "Quill Publishing", "Redwood Legal", "Saffron Travel", "Talbot Recruitment",
)
PERSONAL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "outlook.com", "icloud.com", "yahoo.co.uk", "fastmail.com")


def mailbox_of(address: str) -> str:
    """The mailbox an address delivers to: Gmail ignores dots and +tags, so john.khan@ and johnkhan@ are one."""
    local, _, domain = address.lower().partition("@")
    if domain in ("gmail.com", "googlemail.com"):
        return local.split("+")[0].replace(".", "") + "@gmail.com"
    return f"{local}@{domain}"


# Ofcom's numbers reserved for drama: valid-looking UK landlines that belong to nobody.
PHONE_BLOCKS = ("2079460", "1134960", "1174960", "1214960", "1314960", "1414960", "1514960", "1614960")
NEWSLETTERS = (
    ("The Weekly Brief", "news@weeklybrief.example"), ("Morning Markets", "digest@morningmarkets.example"),
    ("Runner's Digest", "hello@runnersdigest.example"), ("Product Notes", "updates@productnotes.example"),
    ("City Events", "events@cityevents.example"), ("Data Engineering Weekly", "issue@dataweekly.example"),
)
NO_REPLY = (
    ("Google Calendar", "calendar-notification@google.com"), ("Parcelpost", "no-reply@parcelpost.example"),
    ("Bankly", "noreply@bankly.example"), ("Ticketbox", "do-not-reply@ticketbox.example"),
)
KIND_BY_LAYER = (
    (("family", 0.4), ("friend", 0.4), ("colleague", 0.2)),
    (("family", 0.2), ("friend", 0.4), ("colleague", 0.4)),
    (("friend", 0.3), ("colleague", 0.5), ("client", 0.2)),
    (("friend", 0.15), ("colleague", 0.35), ("client", 0.25), ("acquaintance", 0.25)),
    (("colleague", 0.2), ("client", 0.2), ("acquaintance", 0.6)),
)
MINIMUM_KINDS = (("family", 3), ("friend", 4), ("colleague", 4), ("client", 3), ("acquaintance", 2))


@dataclass(slots=True)
class Company:
    name: str
    domain: str


@dataclass(slots=True)
class Job:
    company: Company
    start: float  # epoch seconds; -inf when it began before the window
    email: str | None


@dataclass
class Person:
    """One real person (or role inbox, newsletter, no-reply sender) of the demo world."""

    truth_id: str
    given: str
    family: str
    kind: str
    nickname: str | None = None  # the short name they go by in the address book and their mail
    personal_email: str | None = None
    email_variants: list[str] = field(default_factory=list)  # gmail dots/+tags/case spellings seen in sources
    jobs: list[Job] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)  # E.164
    linkedin: str | None = None
    linkedin_state: str | None = None  # "connected" | "invited" | None
    address_book: bool = False
    rate_before: float = 0.0  # weekly interaction rate
    rate_after: float = 0.0
    change_at: float | None = None  # drift: when rate_before became rate_after
    dormant: bool = False
    one_way: bool = False
    role: bool = False
    personal_side: bool = False  # friends and family: personal mail and the personal calendar
    mail_name: str | None = None  # the display name their mail client sends

    @property
    def full_name(self) -> str:
        return f"{self.given} {self.family}".strip()

    @property
    def known_as(self) -> str:
        return f"{self.nickname or self.given} {self.family}".strip()

    def rate_at(self, when: float) -> float:
        return self.rate_after if self.change_at is not None and when >= self.change_at else self.rate_before

    @property
    def current_rate(self) -> float:
        return self.rate_after if self.change_at is not None else self.rate_before

    @property
    def strength(self) -> float:
        if self.one_way or self.role or self.kind in ("newsletter", "noreply"):
            return 0.0
        return round(self.current_rate / (self.current_rate + STRENGTH_HALF_RATE), 6)

    def job_at(self, when: float) -> Job | None:
        current = None
        for job in self.jobs:
            if job.start <= when:
                current = job
        return current

    @property
    def current_job(self) -> Job | None:
        return self.jobs[-1] if self.jobs else None

    def all_emails(self) -> list[str]:
        found = [self.personal_email] + [job.email for job in self.jobs] + self.email_variants
        return list(dict.fromkeys(e.lower() for e in found if e))


@dataclass
class Owner:
    given: str = "Sam"
    family: str = "Carter"
    personal_email: str = "sam.carter.kith@gmail.com"
    work_email: str = "sam.carter@northwind.example"
    phone: str = "+442079460000"
    linkedin: str = "sam-carter-kith"
    company: Company = field(default_factory=lambda: Company("Northwind Labs", "northwind.example"))

    @property
    def full_name(self) -> str:
        return f"{self.given} {self.family}"


@dataclass
class Community:
    """A group that mails and meets together: the team, a client, the family, the run club."""

    name: str
    kind: str  # "team" | "client" | "family" | "run club"
    members: list[Person]
    email_rate: float  # group emails per week
    meeting_rate: float  # group meetings per week (the run club meets by RRULE instead)
    work: bool
    role_inbox: Person | None = None
    company: Company | None = None  # members take part only while they work there

    def members_at(self, when: float) -> list[Person]:
        """Who is still part of it then: not gone quiet, still at the company; at least the non-dormant."""
        active = [m for m in self.members if m.rate_at(when) > 0 and self._employed(m, when)]
        return active if len(active) >= 2 else [m for m in self.members if not m.dormant]

    def _employed(self, person: Person, when: float) -> bool:
        job = person.job_at(when)
        return self.company is None or (job is not None and job.company is self.company)


@dataclass
class World:
    owner: Owner
    people: list[Person]
    communities: list[Community]
    start: float
    now: float
    shared_phones: list[tuple[str, list[str]]]  # (E.164, truth ids): a household line


def layer_sizes(ties: int) -> list[int]:
    """How many of `ties` ties Dunbar layers 1-4 hold (layer 5 holds the rest): a 300-tie ego's sizes, scaled."""
    return [max(1, round(size * ties / 300)) for size in LAYER_SIZES]


def signature_rates(ties: int) -> list[float]:
    """The SIGNATURE shape's weekly rate of each rank, 1 to `ties`, before the lognormal spread: a power law of the
    rank among a 300-tie ego's ties (at most SIGNATURE_TOP_RATE, so a bigger world has more ties near the top)."""
    return [SIGNATURE_TOP_RATE * max(1.0, rank * 300 / ties) ** -SIGNATURE_EXPONENT for rank in range(1, ties + 1)]


def build_world(rng: random.Random, size: int, years: int, now: float, drift_share: float = DRIFT_SHARE,
                layer_shape: str = DUNBAR) -> World:
    """Draw the latent world of `size` people (role inboxes and bulk senders included); `drift_share` of the ties
    change pace once in the window; `layer_shape` (LAYER_SHAPES) spreads the ties' rates."""
    if layer_shape not in LAYER_SHAPES:
        raise ValueError(f"layer_shape must be one of {', '.join(LAYER_SHAPES)}, not {layer_shape!r}")
    builder = _Builder(rng, now, now - years * 365 * DAY, drift_share, layer_shape)
    return builder.build(max(size, 40))


class _Builder:
    def __init__(self, rng: random.Random, now: float, start: float, drift_share: float, layer_shape: str):
        self.rng, self.now, self.start, self.drift_share, self.layer_shape = rng, now, start, drift_share, layer_shape
        self.owner = Owner()
        self.companies = [Company(n, slug(n.split(",")[0]) + ".example") for n in COMPANY_NAMES]
        self.taken_mailboxes: set[str] = {mailbox_of(self.owner.personal_email), mailbox_of(self.owner.work_email)}
        self.taken_slugs: set[str] = {self.owner.linkedin}
        self.phone_pool = [f"+44{block}{i:03d}" for block in PHONE_BLOCKS for i in range(1000)]
        self.phone_pool.remove(self.owner.phone)
        rng.shuffle(self.phone_pool)
        self.people: list[Person] = []

    def build(self, size: int) -> World:
        bulk = self._bulk_senders(size)
        recruiters = [self._recruiter() for _ in range(max(1, size // 100))]
        role_slots = 1 + max(1, size // 150)
        social = self._social(size - len(bulk) - len(recruiters) - role_slots - 1)  # 1: the same-name twin
        self._force_realism(social)
        communities = self._communities(social, role_slots)
        roles = [c.role_inbox for c in communities if c.role_inbox]
        while len(social) + len(recruiters) + len(roles) + len(bulk) < size:
            social.append(self._filler())
        self.people = social + recruiters + roles + bulk
        for number, person in enumerate(self.people, 1):
            person.truth_id = f"p{number:05d}"
        shared = self._household_phone(social)
        return World(self.owner, self.people, communities, self.start, self.now, shared)

    # --- people -------------------------------------------------------------------------------
    def _social(self, count: int) -> list[Person]:
        layers = [layer for layer, n in enumerate(layer_sizes(count)) for _ in range(n)]
        layers = (layers + [4] * max(0, count - len(layers)))[:count]
        rates = signature_rates(count) if self.layer_shape == SIGNATURE else [LAYER_RATES[n] for n in layers]
        people = []
        for layer, base_rate in zip(layers, rates):
            kinds, weights = zip(*KIND_BY_LAYER[layer])
            kind = self.rng.choices(kinds, weights)[0]
            rate = base_rate * self.rng.lognormvariate(0, RATE_SPREAD)
            people.append(Person("", *self._name(), kind=kind, rate_before=rate))
        self._ensure_kinds(people)
        for person in people:
            self._furnish(person)
        self._drift(people)
        return people

    def _name(self) -> tuple[str, str]:
        return draw_name(self.rng)

    def _ensure_kinds(self, people: list[Person]) -> None:
        spare = [p for p in reversed(people) if p.kind in ("acquaintance", "colleague", "client")]
        for kind, minimum in MINIMUM_KINDS:
            while sum(p.kind == kind for p in people) < minimum:
                counts = {k: sum(p.kind == k for p in people) for k, _ in MINIMUM_KINDS}
                donor = next(p for p in spare if counts[p.kind] > dict(MINIMUM_KINDS)[p.kind] and p.kind != kind)
                donor.kind = kind
                if kind in ("family", "friend"):  # close kinds come from the stronger layers
                    donor.rate_before = max(donor.rate_before, LAYER_RATES[2] * self.rng.lognormvariate(0, RATE_SPREAD))

    def _furnish(self, person: Person) -> None:
        rng, kind = self.rng, person.kind
        person.personal_side = kind in ("family", "friend")
        if kind == "family" and rng.random() < 0.5:
            person.family = self.owner.family
        short = [n for n in nicknames_of(person.given) if n in USUAL_NICKNAMES]
        if short and rng.random() < 0.35:
            person.nickname = short[0]
        wants_personal = {"family": 1, "friend": 1, "colleague": 0.3, "client": 0.1, "acquaintance": 0.5}[kind]
        if rng.random() < wants_personal:
            person.personal_email = self._personal_email(person)
        if kind == "colleague":
            home = self.owner.company if rng.random() < 0.7 else rng.choice(self.companies)
            self._add_job(person, home, -math.inf)
        elif kind in ("client", "acquaintance", "friend") and (kind != "acquaintance" or rng.random() < 0.5):
            self._add_job(person, rng.choice(self.companies), -math.inf, email=kind == "client")
        if not person.personal_email and not any(j.email for j in person.jobs) and kind != "acquaintance":
            person.personal_email = self._personal_email(person)
        linkedin_odds = {"family": 0, "friend": 0.35, "colleague": 0.85, "client": 0.7, "acquaintance": 0.8}[kind]
        if not person.personal_email and not any(j.email for j in person.jobs):
            linkedin_odds = 1.0  # a LinkedIn-only connection
        if rng.random() < linkedin_odds:
            person.linkedin = self._slug(person)
            person.linkedin_state = "invited" if rng.random() < 0.04 else "connected"
        phone_odds = {"family": 0.85, "friend": 0.6, "colleague": 0.3, "client": 0.2, "acquaintance": 0.05}[kind]
        if rng.random() < phone_odds:
            self._add_phone(person)
        book_odds = {"family": 1, "friend": 0.95, "colleague": 0.6, "client": 0.4, "acquaintance": 0.1}[kind]
        has_mail = person.personal_email or any(j.email for j in person.jobs)
        person.address_book = bool(has_mail) and rng.random() < book_odds
        if person.personal_email and person.personal_email.endswith("@gmail.com") and rng.random() < 0.25:
            person.email_variants.append(self._gmail_variant(person.personal_email))
        person.mail_name = display_variant(rng, person.nickname or person.given, person.family)

    def _personal_email(self, person: Person) -> str:
        given, family = slug(person.given), slug(person.family)
        local = self.rng.choice((f"{given}.{family}", f"{given}{family}", f"{given[0]}.{family}",
                                 f"{family}.{given}", f"{given}.{family}{self.rng.randint(1, 99)}"))
        return self._unique_email(local, self.rng.choice(PERSONAL_DOMAINS))

    def _unique_email(self, local: str, domain: str) -> str:
        address, n = f"{local}@{domain}", 1
        while mailbox_of(address) in self.taken_mailboxes:
            n += 1
            address = f"{local}{n}@{domain}"
        self.taken_mailboxes.add(mailbox_of(address))
        return address

    def _gmail_variant(self, address: str) -> str:
        local, domain = address.split("@")
        if "." in local and self.rng.random() < 0.5:
            return f"{local.replace('.', '')}@{domain}"
        return f"{local}+{self.rng.choice(('news', 'shop', 'work', 'kith'))}@{domain}"

    def _add_job(self, person: Person, company: Company, start: float, email: bool = True) -> None:
        address = None
        if email:
            address = self._unique_email(f"{slug(person.given)}.{slug(person.family)}", company.domain)
        person.jobs.append(Job(company, start, address))

    def _slug(self, person: Person) -> str:
        base = f"{slug(person.given)}-{slug(person.family)}"
        candidate = base if base not in self.taken_slugs and self.rng.random() < 0.4 else None
        while candidate is None or candidate in self.taken_slugs:
            candidate = f"{base}-{self.rng.getrandbits(28):07x}"
        self.taken_slugs.add(candidate)
        return candidate

    def _add_phone(self, person: Person) -> None:
        if self.phone_pool:
            person.phones.append(self.phone_pool.pop())

    def _drift(self, people: list[Person]) -> None:
        span = self.now - self.start
        for person in people:
            if self.rng.random() >= self.drift_share:
                continue
            person.change_at = self.start + span * self.rng.uniform(*DRIFT_WINDOW)
            job = person.current_job
            if job and job.email and self.rng.random() < 0.5:  # a job change: new employer, new address
                leaving_team = job.company is self.owner.company
                choices = [c for c in self.companies if c is not job.company]
                self._add_job(person, self.rng.choice(choices), person.change_at)
                factor = self.rng.uniform(*LEAVING_TEAM_FACTOR if leaving_team else NEW_EMPLOYER_FACTOR)
            else:  # a project starts or ends
                ending, starting = self.rng.uniform(*PROJECT_END_FACTOR), self.rng.uniform(*PROJECT_START_FACTOR)
                factor = self.rng.choice((ending, starting))
            person.rate_after = person.rate_before * factor

    def _force_realism(self, social: list[Person]) -> None:
        """Make the rare cases certain at any size: dormant tie, same name, nickname, accents, variants."""
        rng = self.rng
        middle = [p for p in social if LAYER_RATES[3] < p.rate_before and p.kind in ("friend", "colleague")]
        dormant = (middle or social)[len(middle or social) // 2]
        dormant.rate_before = max(dormant.rate_before, LAYER_RATES[1])
        dormant.change_at = self.now - rng.uniform(*DORMANT_QUIET_DAYS) * DAY
        dormant.rate_after, dormant.dormant, dormant.jobs = 0.0, True, dormant.jobs[:1]
        with_job = [p for p in social if p.kind in ("client", "colleague") and p.current_job and p is not dormant]
        original = with_job[0]
        twin = Person("", original.given, original.family, kind="acquaintance", rate_before=LAYER_RATES[4])
        twin.personal_email = self._personal_email(twin)
        other = next(c for c in self.companies if c is not original.current_job.company)
        self._add_job(twin, other, -math.inf)
        twin.linkedin, twin.linkedin_state = self._slug(twin), "connected"
        twin.mail_name = twin.full_name
        social.append(twin)
        nicknamed = next((p for p in social if p.nickname and p.kind == "colleague"), None)
        if nicknamed is None:
            nicknamed = next(p for p in social if p.kind == "colleague" and not p.dormant and p is not original)
            self._rename(nicknamed, "Robert", nicknamed.family)
            nicknamed.nickname = "Bob"
        nicknamed.mail_name, nicknamed.address_book = nicknamed.known_as, True
        nicknamed.rate_before = max(nicknamed.rate_before, LAYER_RATES[2])
        nicknamed.linkedin = nicknamed.linkedin or self._slug(nicknamed)
        nicknamed.linkedin_state = "connected"
        accented = next((p for p in social if p.kind == "colleague" and has_accents(p.full_name)), None)
        if accented is None:
            accented = next(p for p in reversed(social) if p.kind == "colleague" and p not in (twin, nicknamed))
            self._rename(accented, "José", "García")
            accented.nickname = None
        accented.mail_name, accented.address_book = accented.full_name, True
        special = (dormant, original, twin, nicknamed, accented)
        plain = [p for p in social if p not in special and p.personal_side]
        for person, variant in zip(plain, (f"{{f}}, {{g}}", "{g} {f}", "{g} {f}")):
            person.mail_name = variant.format(g=person.nickname or person.given, f=person.family)
        if len(plain) >= 3:
            plain[1].mail_name, plain[2].mail_name = plain[1].mail_name.upper(), plain[2].mail_name.lower()
        self._force_job_change(social, special)
        self._force_client_pair(social, special)
        if not any(p.email_variants for p in social):
            friend = next(p for p in social if p.kind == "friend")
            friend.personal_email = self._unique_email(f"{slug(friend.given)}.{slug(friend.family)}", "gmail.com")
            friend.email_variants.append(self._gmail_variant(friend.personal_email))
        if not any(p.linkedin and not p.personal_email and not p.jobs for p in social):
            loner = next(p for p in reversed(social) if p.kind == "acquaintance" and p is not twin)
            loner.personal_email, loner.jobs, loner.email_variants, loner.address_book = None, [], [], False
            loner.linkedin, loner.linkedin_state = loner.linkedin or self._slug(loner), "connected"
        for person in social:
            if person.kind == "family" and not person.phones:
                self._add_phone(person)

    def _force_job_change(self, social: list[Person], special: tuple[Person, ...]) -> None:
        """A team member who left for another employer: new work address, new LinkedIn company."""
        if any(len([j for j in p.jobs if j.email]) > 1 for p in social):
            return
        leaver = next(p for p in social if p.kind == "colleague" and p not in special and p.jobs and p.jobs[0].email)
        leaver.change_at = self.now - self.rng.uniform(120, 240) * DAY
        leaver.rate_after = leaver.rate_before * 0.3
        self._add_job(leaver, next(c for c in self.companies if c is not leaver.jobs[-1].company), leaver.change_at)

    def _force_client_pair(self, social: list[Person], special: tuple[Person, ...]) -> None:
        """Two people at one client company, so the client has a community (and an info@ inbox)."""
        clients = [p for p in social if p.kind == "client" and p.current_job and p not in special]
        companies = [p.current_job.company.name for p in clients]
        if len(clients) < 2 or len(set(companies)) < len(companies):
            return
        mover = clients[1]
        mover.jobs = []
        self._add_job(mover, clients[0].current_job.company, -math.inf)

    def _rename(self, person: Person, given: str, family: str) -> None:
        """Give a drawn person a name the world must contain, with addresses to match."""
        person.given, person.family, person.email_variants = given, family, []
        if person.personal_email:
            person.personal_email = self._personal_email(person)
        for job in person.jobs:
            if job.email:
                job.email = self._unique_email(f"{slug(given)}.{slug(family)}", job.company.domain)

    def _filler(self) -> Person:
        """A faint acquaintance that tops the world up to the requested size."""
        rate = LAYER_RATES[4] * self.rng.lognormvariate(0, RATE_SPREAD)
        person = Person("", *self._name(), kind="acquaintance", rate_before=rate)
        self._furnish(person)
        return person

    def _recruiter(self) -> Person:
        person = Person("", *self._name(), kind="acquaintance", one_way=True)
        agency = next(c for c in self.companies if c.name == "Talbot Recruitment")
        self._add_job(person, agency, -math.inf)
        person.rate_before = 0.15 * self.rng.lognormvariate(0, 0.5)
        person.mail_name = person.full_name
        return person

    def _bulk_senders(self, size: int) -> list[Person]:
        senders = []
        for index in range(max(2, round(size * 0.02))):
            name, address = NEWSLETTERS[index % len(NEWSLETTERS)]
            if index >= len(NEWSLETTERS):
                local, domain = address.split("@")
                address, name = f"{local}{index}@{domain}", f"{name} #{index}"
            senders.append(self._bulk(name, address, "newsletter", rng_rate=1.0))
        for index in range(max(2, round(size * 0.01))):
            name, address = NO_REPLY[index % len(NO_REPLY)]
            if index >= len(NO_REPLY):
                local, domain = address.split("@")
                address, name = f"{local}{index}@{domain}", f"{name} {index}"
            senders.append(self._bulk(name, address, "noreply", rng_rate=0.5))
        return senders

    def _bulk(self, name: str, address: str, kind: str, rng_rate: float) -> Person:
        self.taken_mailboxes.add(mailbox_of(address))
        person = Person("", name, "", kind=kind, personal_email=address, mail_name=name, one_way=True)
        person.rate_before = rng_rate * self.rng.lognormvariate(0, 0.5)
        return person

    def _household_phone(self, social: list[Person]) -> list[tuple[str, list[str]]]:
        family = [p for p in social if p.kind == "family" and p.phones]
        if len(family) < 2 or not self.phone_pool:
            return []
        line = self.phone_pool.pop()
        for person in family[:2]:
            person.phones.append(line)
        return [(line, [family[0].truth_id, family[1].truth_id])]

    # --- communities --------------------------------------------------------------------------
    def _communities(self, social: list[Person], role_slots: int) -> list[Community]:
        rng = self.rng
        team = [p for p in social if any(j.company is self.owner.company for j in p.jobs)]
        family = [p for p in social if p.kind == "family"]
        friends = [p for p in social if p.kind == "friend" and p.personal_email and not p.dormant]
        runners = friends[: max(3, len(friends) // 3)]
        communities = [
            Community("Northwind team", "team", team, 1.5, 1.0, True,
                      self._role_inbox("Northwind Team", "team", self.owner.company), self.owner.company),
            Community("Family", "family", family, 0.4, 0.1, False),
            Community("Run club", "run club", runners, 0.2, 0.0, False),
        ]
        clients: dict[str, list[Person]] = {}
        for person in social:
            if person.kind == "client" and person.current_job:
                clients.setdefault(person.current_job.company.name, []).append(person)
        for name, members in clients.items():
            if len(members) >= 2:
                company = members[0].current_job.company
                inbox = None
                if sum(c.role_inbox is not None for c in communities) < role_slots:
                    inbox = self._role_inbox(f"{name.split(',')[0]} Info", "info", company)
                communities.append(Community(name, "client", members, 0.3, 0.15, True, inbox, company))
        return [c for c in communities if len(c.members) >= 2]

    def _role_inbox(self, name: str, local: str, company: Company) -> Person:
        address = self._unique_email(local, company.domain)
        kind = "colleague" if company is self.owner.company else "client"
        return Person("", name, "", kind=kind, personal_email=address, role=True, mail_name=name)
