"""Shared fixtures: a private Kith home per test session, and the small cross-source inbox."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_INBOX = FIXTURES / "inbox"
SMALL_INBOX_AS_OF = "2026-11-27T00:00:00+00:00"


@pytest.fixture(autouse=True)
def private_kith_home(tmp_path_factory, monkeypatch):
    """No test reads or writes the real ~/.config/kith."""
    home = tmp_path_factory.mktemp("kith-home")
    monkeypatch.setenv("KITH_HOME", str(home))
    for variable in ("KITH_INBOX", "KITH_WAREHOUSE", "KITH_ME", "KITH_CONFIG"):
        monkeypatch.delenv(variable, raising=False)
    return home
