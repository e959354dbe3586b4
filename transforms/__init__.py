"""Transforms: normalise identifiers, resolve identities into people, score relationships (DuckDB SQL)."""
