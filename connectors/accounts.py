"""Connects to the accounts declared in the config file and fetches their records."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from connectors.records import Record, Reject

ACCOUNT_KINDS = ("gmail", "google_contacts", "google_calendar", "imap", "caldav", "carddav")
ACCOUNT_SOURCE_PREFIX = "account:"  # an account's records have source_file `account:<name>`
ACCOUNT_LOCATION = "account"  # the location of a Reject of the whole sync: it stopped, or never started
REQUIRED_SETTINGS = {"imap": ("host", "username"), "caldav": ("url",), "carddav": ("url",)}
EXAMPLES = {"host": "imap.fastmail.com", "username": "you@fastmail.com",
            "url": "https://cloud.example/remote.php/dav/"}


class AccountError(Exception):
    """The account cannot be reached or is not set up; the message says what to do."""


def account_password(account: dict) -> str:
    """The account's password from the environment variable it names, else the OS keyring."""
    variable = account.get("password_env")
    if variable and os.environ.get(variable):
        return os.environ[variable]
    try:
        import keyring

        password = keyring.get_password("kith", account["name"])
    except Exception:  # no keyring backend on this machine
        password = None
    if not password:
        hint = f"set {variable}" if variable else f"set password_env, or store it with `keyring set kith {account['name']}`"
        raise AccountError(f"no password for account {account['name']!r}: {hint}")
    return password


def _refuse_cleartext(account: dict) -> None:
    """A password never travels unencrypted, except to this machine (a local test server)."""
    from urllib.parse import urlsplit

    from connectors.imap import is_loopback

    url = urlsplit(account["url"])
    if url.scheme != "https" and not (url.scheme == "http" and is_loopback(url.hostname or "")):
        raise AccountError(f"account {account['name']!r}: url must start with https:// (got {account['url']!r})")


def _google_service(account: dict, home: Path, api: str, version: str):
    from connectors.google.auth import SCOPES, build_service, load_credentials

    credentials = load_credentials(home, account["name"], [SCOPES[account["kind"]]])
    if credentials is None:
        raise AccountError(f"account {account['name']!r} is not authorised: run `kith auth {account['name']}`")
    return build_service(api, version, credentials=credentials)


def _fetch(account: dict, home: Path, state: dict, source_file: str) -> Iterator[Record]:
    kind = account["kind"]
    missing = [key for key in REQUIRED_SETTINGS.get(kind, ()) if not account.get(key)]
    if missing:
        raise AccountError(f"account {account['name']!r} ({kind}) needs {' and '.join(missing)} in the config, "
                           f"such as {' '.join(f'{key} = {EXAMPLES[key]!r}' for key in missing)}")
    if kind == "imap":
        from connectors.imap import connect_imap, fetch_imap

        client = connect_imap(
            account["host"], int(account.get("port", 993)), account["username"], account_password(account),
            ssl=bool(account.get("ssl", True)),
        )
        try:
            yield from fetch_imap(client, state, source_file=source_file, folders=account.get("folders"))
        finally:
            # A dead connection must not replace the real error in the Reject.
            with contextlib.suppress(Exception):
                client.logout()
    elif kind in ("caldav", "carddav"):
        import caldav

        _refuse_cleartext(account)
        with caldav.DAVClient(
            url=account["url"], username=account.get("username"), password=account_password(account)
        ) as client:
            if kind == "caldav":
                from connectors.caldav import fetch_caldav

                yield from fetch_caldav(client, state, calendars=account.get("calendars"), source_file=source_file)
            else:
                from connectors.carddav import fetch_carddav

                yield from fetch_carddav(
                    client, state, address_book_url=account.get("address_book_url"), source_file=source_file
                )
    elif kind == "gmail":
        from connectors.google.gmail import fetch_gmail

        service = _google_service(account, home, "gmail", "v1")
        yield from fetch_gmail(service, state, source_file=source_file, labels=account.get("labels"))
    elif kind == "google_contacts":
        from connectors.google.contacts import fetch_google_contacts

        yield from fetch_google_contacts(_google_service(account, home, "people", "v1"), state, source_file=source_file)
    elif kind == "google_calendar":
        from connectors.google.calendar import fetch_google_calendar

        service = _google_service(account, home, "calendar", "v3")
        yield from fetch_google_calendar(
            service, state, source_file=source_file, calendar_id=account.get("calendar_id", "primary")
        )
    else:
        raise AccountError(f"account {account['name']!r} has unknown kind {kind!r}; use one of {', '.join(ACCOUNT_KINDS)}")


def account_source_file(name: str) -> str:
    return ACCOUNT_SOURCE_PREFIX + name


def fetch_account(account: dict, home: Path, state: dict) -> Iterator[Record]:
    """Every record one account yields since `state`; a failure ends the account with one Reject."""
    source_file = account_source_file(account["name"])
    try:
        yield from _fetch(account, home, state, source_file)
    except AccountError as error:
        yield Reject(account["kind"], source_file, ACCOUNT_LOCATION, str(error))
    except Exception as error:  # network, TLS, server errors: this account waits for the next run
        yield Reject(account["kind"], source_file, ACCOUNT_LOCATION, f"sync stopped: {type(error).__name__}: {error}")
