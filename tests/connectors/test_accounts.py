"""Accounts from the config (connectors/accounts.py): a setting missing or wrong is one Reject that says what to do."""

from __future__ import annotations

import pytest

from connectors.accounts import fetch_account
from connectors.records import Reject


@pytest.mark.parametrize(("account", "reason"), [
    ({"name": "work", "kind": "imap", "username": "u"},
     "account 'work' (imap) needs host in the config, such as host = 'imap.fastmail.com'"),
    ({"name": "cloud", "kind": "carddav"},
     "account 'cloud' (carddav) needs url in the config, such as url = 'https://cloud.example/remote.php/dav/'"),
    ({"name": "odd", "kind": "exchange"},
     "account 'odd' has unknown kind 'exchange'; use one of gmail, google_contacts, google_calendar, imap, caldav, "
     "carddav"),
])
def test_an_account_missing_a_setting_is_one_reject_naming_it(tmp_path, account, reason):
    assert list(fetch_account(account, tmp_path, {})) == [
        Reject(account["kind"], f"account:{account['name']}", "account", reason)]
