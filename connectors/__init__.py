"""Connectors: parse export files or fetch accounts, yielding typed records (no Dagster, no warehouse)."""
