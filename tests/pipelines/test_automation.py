"""The inbox sensor notices mail that lands inside a Maildir, not only new files at the top."""

from __future__ import annotations

import dagster as dg

from pipelines.resources import KithResource
from tests.pipelines.dagster_graph import evaluate_sensor_tick


def evaluate(inbox, cursor):
    with dg.instance_for_test() as instance:
        return evaluate_sensor_tick(instance, KithResource(inbox=str(inbox)), cursor)


def test_new_mail_in_a_maildir_starts_a_build(tmp_path):
    maildir = tmp_path / "inbox" / "Mail"
    for folder in ("cur", "new", "tmp"):
        (maildir / folder).mkdir(parents=True)
    (maildir / "cur" / "1.eml:2,S").write_bytes(b"From: a@example.com\r\n\r\n")

    first = evaluate(tmp_path / "inbox", None)
    quiet = evaluate(tmp_path / "inbox", first.cursor)
    (maildir / "new" / "2.eml").write_bytes(b"From: b@example.com\r\n\r\n")
    landed = evaluate(tmp_path / "inbox", first.cursor)

    assert len(first.run_requests) == 1
    assert quiet.run_requests == []
    assert len(landed.run_requests) == 1 and landed.cursor != first.cursor
