"""Pipelines: the Dagster layer (assets, resources, checks, schedules, sensors) and the `kith` CLI."""
