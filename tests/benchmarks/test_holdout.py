"""The label-free holdout check: the score of 90 days ago against the one-to-one contact since."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np

from benchmarks.holdout import auc, evaluate, precision_at
from benchmarks.kith_build import kith_build
from demo import generate_world

NOW = datetime(2026, 3, 2, tzinfo=UTC)


def test_auc_is_the_chance_that_a_positive_outranks_a_negative():
    positive = np.array([False, False, True, True])
    assert auc(np.array([1.0, 2, 3, 4]), positive) == 1
    assert auc(np.array([4.0, 3, 2, 1]), positive) == 0
    assert auc(np.array([1.0, 1, 1, 1]), positive) == 0.5
    assert auc(np.array([1.0, 3, 2, 4]), positive) == 0.75


def test_precision_at_k_is_the_share_of_positives_among_the_top_k():
    positive = np.array([True, False, True, False, False])
    assert precision_at(np.array([5.0, 4, 3, 2, 1]), positive, 2) == 0.5
    assert precision_at(np.array([5.0, 1, 4, 2, 1]), positive, 2) == 1


def test_the_score_of_ninety_days_ago_predicts_contact_since_better_than_counts_or_recency(tmp_path):
    summary = generate_world(tmp_path / "world", seed=5, people=80, years=2, now=NOW)
    owner = json.loads(summary.truth.read_text(encoding="utf-8"))["owner"]
    cut = NOW - timedelta(days=90)
    kith_build(summary.inbox, tmp_path / "kith.duckdb", cut, owner["emails"])
    results = evaluate(tmp_path / "kith.duckdb", cut, NOW)
    assert 0 < results["people"]["in touch since"] < results["people"]["n"]
    assert results["kith"]["auc"] > 0.7
    assert results["kith"]["auc"] > max(results["all_time_count"]["auc"], results["recency"]["auc"]) + 0.1
    assert results["kith"]["spearman"] > results["all_time_count"]["spearman"]
    assert results["kith"]["precision@15"] > max(results["all_time_count"]["precision@15"],
                                                 results["recency"]["precision@15"])
