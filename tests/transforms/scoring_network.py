"""The tables the scoring step reads (interactions, participants, people, identifiers), written by hand in a tmp
DuckDB file, for the scorer's and the graph's tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

from transforms.build import BuildParameters, score_relationships, write_parameters

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
PARAMETERS = BuildParameters(as_of=AS_OF, owner_emails=("me@example.com",))


class Network:
    """The tables the scoring step reads (interactions, participants, people, identifiers), built by hand."""

    def __init__(self, path):
        self.con = duckdb.connect(str(path))
        self.con.execute("""
            create table interactions (interaction_id varchar, source varchar, channel varchar,
                occurred_at timestamptz, direction varchar, status varchar, participant_count int,
                duration_minutes int, thread_id varchar, title varchar, automated_reason varchar,
                in_reply_to varchar, labels varchar[], sources varchar[], source_file varchar, location varchar);
            create table interaction_participants (interaction_id varchar, person_id bigint, role varchar,
                response varchar);
            create table people (person_id bigint, display_name varchar, given_name varchar, family_name varchar,
                nickname varchar, organization varchar, title varchar, primary_email varchar, primary_phone varchar,
                linkedin_url varchar, birthday varchar, categories varchar[], sources varchar[],
                source_record_count bigint, linkedin_connected_at timestamptz);
            create table identifiers (person_id bigint, kind varchar, value varchar, label varchar,
                sources varchar[], times_seen bigint, last_seen_at timestamptz, automated_reason varchar,
                shared_by_several_people boolean);
            create table owner_identifiers (kind varchar, value varchar, evidence varchar);
            insert into owner_identifiers values ('email', 'me@example.com', 'settings');
        """)
        self.count = 0

    def person(self, person_id: int, name: str, email: str, organization: str | None = None,
               sources: tuple[str, ...] = ("mbox",), categories: tuple[str, ...] = (),
               email_seen_days_ago: float = 30) -> None:
        connected_at = AS_OF - timedelta(days=1000) if "linkedin" in sources else None
        self.con.execute(
            "insert into people (person_id, display_name, organization, primary_email, categories, sources,"
            " linkedin_connected_at) values (?, ?, ?, ?, ?, ?, ?)",
            [person_id, name, organization, email, list(categories), list(sources), connected_at])
        self.address(person_id, email, email_seen_days_ago)

    def address(self, person_id: int, email: str, seen_days_ago: float) -> None:
        self.con.execute(
            "insert into identifiers (person_id, kind, value, times_seen, last_seen_at) values (?, 'email', ?, 1, ?)",
            [person_id, email, AS_OF - timedelta(days=seen_days_ago)])

    def message(self, days_ago: float, sent: bool, to: dict[int, str], *, channel: str = "email",
                automated: str | None = None, labels: tuple[str, ...] = (), thread: str | None = None) -> str:
        """One message: `to` maps person ids to their role ('from', 'to', 'cc'); the owner is the other party."""
        return self._add(channel, days_ago, "sent" if sent else "received", to, None, automated, labels,
                         thread=thread)

    def meeting(self, days_ago: float, organized: bool, guests: dict[int, str | None], minutes: int = 60,
                labels: tuple[str, ...] = ()) -> str:
        """One meeting: `guests` maps person ids to their response (None, 'accepted', 'declined')."""
        roles = {person_id: "attendee" for person_id in guests}
        return self._add("meeting", days_ago, "organized" if organized else "invited", roles, minutes, None, labels,
                         responses=guests)

    def _add(self, channel, days_ago, direction, roles, minutes, automated, labels, responses=None,
             thread=None) -> str:
        self.count += 1
        interaction_id = f"i{self.count:04d}"
        responses = responses or {}
        attending = [p for p in roles if responses.get(p) != "declined"]
        self.con.execute(
            "insert into interactions (interaction_id, source, channel, occurred_at, direction, status,"
            " participant_count, duration_minutes, automated_reason, labels, thread_id)"
            " values (?, 'test', ?, ?, ?, 'happened', ?, ?, ?, ?, ?)",
            [interaction_id, channel, AS_OF - timedelta(days=days_ago), direction, len(attending) + 1, minutes,
             automated, list(labels), thread])
        for person_id, role in roles.items():
            self.con.execute("insert into interaction_participants values (?, ?, ?, ?)",
                             [interaction_id, person_id, role, responses.get(person_id)])
        return interaction_id

    def score(self, parameters: BuildParameters = PARAMETERS) -> dict[int, dict]:
        write_parameters(self.con, parameters)
        score_relationships(self.con)
        rows = self.con.execute("select * from relationships").fetchdf().to_dict("records")
        return {row["person_id"]: row for row in rows}

    def history(self, person_id: int) -> tuple[list[datetime], datetime]:
        """When the person's days of contact began (each day's first interaction), and the origin: the first
        interaction of anyone."""
        times = [t for (t,) in self.con.execute(
            "select occurred_at from relationship_evidence where person_id = ? order by occurred_at", [person_id]
        ).fetchall()]
        return times, self.con.execute("select min(occurred_at) from relationship_evidence").fetchone()[0]

    def weights(self, interaction_id: str) -> dict[int, float]:
        rows = self.con.execute("select person_id, weight from relationship_events where interaction_id = ?",
                                [interaction_id]).fetchall()
        return dict(rows)


def conversation(network: Network, person_id: int, exchanges: int, every_days: float,
                 start_days_ago: float = 0) -> None:
    """A two-way 1:1 correspondence: one message each way every `every_days` days."""
    for n in range(exchanges):
        network.message(start_days_ago + n * every_days, True, {person_id: "to"})
        network.message(start_days_ago + n * every_days + 1, False, {person_id: "from"})
