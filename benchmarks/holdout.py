"""A check of relationship strength that needs no labels, for your own data: does the score of 90 days ago
predict whom you were in one-to-one contact with since?

Usage: python benchmarks/holdout.py --inbox DIR [--me ADDRESS ...] [--until 2026-11-01] [--days 90]
                                    [--config FILE] [--workdir DIR]

It builds the inbox with `kith build --as-of <until - days>`, so the scores see nothing after that date, and
then reads from the same warehouse the interactions after it (kept as "upcoming", counted by nobody). The
people are everyone with an interaction before the cut that the scorer counts (happened, not automated,
not declined), strangers' one-way mail included. Someone is "in touch since" after two-way one-to-one contact
in the held-out span: a message each way, or a meeting of two (the reference's reciprocal interaction). For each
ranking it reports:

- AUC: the chance that someone in touch since ranks above someone who was not (ties count half);
- precision@15 and @50: the share of the top 15 and top 50 in touch since (ties broken by person_id);
- Spearman rho against the number of days of one-to-one contact since, either way.

Rankings: Kith's strength, and two naive ones from the same warehouse (every message and meeting ever, and the
most recent contact first). This is the reference's temporal holdout (../shared/reference/er-and-ties.md 3.2):
it runs offline, and nothing leaves the machine; the table goes to stdout.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
from scipy.stats import rankdata, spearmanr

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.kith_build import kith_build  # noqa: E402

# Per person with counted contact before the cut: the rankings, and their days of one-to-one contact after it.
HELD_OUT_CONTACT = """
with next_contact as (
    select
        p.person_id,
        count(distinct (i.occurred_at at time zone 'UTC')::date) as days,
        bool_or(i.direction = 'sent') and bool_or(i.direction = 'received') or bool_or(i.channel = 'meeting')
            as reciprocal
    from interactions as i
    join interaction_participants as p using (interaction_id)
    where i.occurred_at > $cut and i.occurred_at <= $until
      and i.status = 'upcoming'
      and i.automated_reason is null
      and i.participant_count <= 2
      and i.channel in ('email', 'meeting', 'linkedin_message')
      and coalesce(p.response, '') <> 'declined'
    group by all
)
select
    r.weighted_weekly_rate as kith,
    r.messages_sent + r.messages_received + r.messages_alongside + r.meetings as all_time_count,
    -r.days_since_last_interaction as recency,
    coalesce(n.days, 0) as days_after,
    coalesce(n.reciprocal, false) as in_touch
from relationships as r
left join next_contact as n using (person_id)
where r.first_interaction_at is not null
order by r.person_id
"""
RANKINGS = {"kith": "Kith strength", "all_time_count": "messages and meetings ever", "recency": "last contact"}


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """The chance that a positive outranks a negative (ties count half): the Mann-Whitney U over n+ n-."""
    ranks = rankdata(scores)
    positives, negatives = positive.sum(), (~positive).sum()
    if not positives or not negatives:
        return float("nan")
    return float((ranks[positive].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def precision_at(scores: np.ndarray, positive: np.ndarray, k: int) -> float:
    """The share of the k highest-scored people (ties broken by position) who are positive."""
    top = np.argsort(-scores, kind="stable")[:k]
    return float(positive[top].mean()) if len(top) else float("nan")


def evaluate(warehouse: Path, cut: datetime, until: datetime) -> dict[str, dict[str, float]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(HELD_OUT_CONTACT, {"cut": cut, "until": until}).fetchnumpy()
    finally:
        con.close()
    days_after = rows["days_after"].astype(float)
    positive = rows["in_touch"].astype(bool)
    results = {"people": {"n": len(days_after), "in touch since": int(positive.sum())}}
    for column in RANKINGS:
        scores = rows[column].astype(float)
        results[column] = {
            "auc": auc(scores, positive),
            "precision@15": precision_at(scores, positive, 15),
            "precision@50": precision_at(scores, positive, 50),
            "spearman": float(spearmanr(scores, days_after).statistic),
        }
    return results


def markdown(results: dict[str, dict[str, float]], cut: datetime, until: datetime) -> str:
    people = results["people"]
    lines = [
        f"Scores as of {cut:%Y-%m-%d}; contact from then to {until:%Y-%m-%d}. {people['n']} people with contact "
        f"before, {people['in touch since']} of them in two-way one-to-one contact since.",
        "",
        "| ranking | AUC | precision@15 | precision@50 | Spearman rho with days of contact |",
        "|---|---|---|---|---|",
    ]
    for column, name in RANKINGS.items():
        m = results[column]
        lines.append(f"| {name} | {m['auc']:.3f} | {m['precision@15']:.2f} | {m['precision@50']:.2f} "
                     f"| {m['spearman']:.3f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inbox", type=Path, required=True)
    parser.add_argument("--me", action="append", default=[], metavar="ADDRESS")
    parser.add_argument("--until", type=datetime.fromisoformat, help="the end of the held-out span (default: now)")
    parser.add_argument("--days", type=int, default=90, help="the held-out span")
    parser.add_argument("--config", type=Path)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    until = args.until or datetime.now(UTC)
    until = until.astimezone(UTC) if until.tzinfo else until.replace(tzinfo=UTC)
    cut = until - timedelta(days=args.days)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kith-holdout-"))
    warehouse = workdir / "kith.duckdb"
    kith_build(args.inbox, warehouse, cut, args.me, args.config)
    print(markdown(evaluate(warehouse, cut, until), cut, until))


if __name__ == "__main__":
    main()
