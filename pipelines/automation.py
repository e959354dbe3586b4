"""When Kith builds on its own: a daily schedule, and a sensor that reacts to new files in the inbox."""


import hashlib
import os

import dagster as dg

from connectors.discover import discover
from pipelines.resources import KithResource

build_everything = dg.define_asset_job(
    "build_everything",
    selection=dg.AssetSelection.all(),
    description="Parse every source, resolve people, score relationships and publish the warehouse.",
)

def daily_build(time_zone: str) -> dg.ScheduleDefinition:
    """The morning rebuild, at 06:00 in `time_zone`: the owner's ([owner] timezone)."""
    return dg.ScheduleDefinition(
        name="daily_build",
        job=build_everything,
        cron_schedule="0 6 * * *",
        execution_timezone=time_zone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=f"Rebuild the warehouse every morning at 06:00 {time_zone} time (accounts sync, new mail counts).",
    )


def inbox_signature(kith: KithResource) -> str | None:
    """A digest of every inbox file's path, size and modification time; None without an inbox."""
    inbox = kith.settings().inbox
    if inbox is None or not inbox.is_dir():
        return None
    digest = hashlib.sha256()
    for item in discover(inbox):
        # A Maildir or an unpacked LinkedIn export changes inside: stat what it holds.
        members = sorted(p for p in item.path.rglob("*") if p.is_file()) if item.path.is_dir() else [item.path]
        for member in members:
            try:
                stat = os.stat(member)
            except OSError:
                continue
            digest.update(f"{member}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dg.sensor(
    job=build_everything,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a build when a new or changed export lands in the inbox folder.",
)
def inbox_changed(context: dg.SensorEvaluationContext, kith: KithResource):
    signature = inbox_signature(kith)
    if signature is None or signature == context.cursor:
        return dg.SkipReason("inbox unchanged" if signature else "no inbox configured")
    context.update_cursor(signature)
    # No run_key: an inbox that returns to an earlier state is still a change worth a build.
    return dg.RunRequest()
