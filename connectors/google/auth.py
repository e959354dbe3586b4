"""Authorises Google accounts (installed-app OAuth), keeps their tokens private on disk and builds API clients."""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import InstalledAppFlow
from googleapiclient.discovery import build

log = logging.getLogger(__name__)

# Read-only scopes, one set per account kind of the settings file.
SCOPES: dict[str, list[str]] = {
    "google_contacts": ["https://www.googleapis.com/auth/contacts.readonly"],
    "gmail": ["https://www.googleapis.com/auth/gmail.metadata"],
    "google_calendar": ["https://www.googleapis.com/auth/calendar.readonly"],
}

_ACCOUNT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def token_path(config_dir: Path, account: str) -> Path:
    """Where the token of `account` lives: `<config_dir>/tokens/<account>.json`."""
    if not _ACCOUNT_NAME.fullmatch(account):
        raise ValueError(f"account name {account!r} is not usable as a file name")
    return config_dir / "tokens" / f"{account}.json"


def save_credentials(config_dir: Path, account: str, credentials: Credentials) -> Path:
    """Write the credentials so only the owner can ever read them (folder 0700, file 0600); returns the path."""
    path = token_path(config_dir, account)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)  # an existing folder may have been created wider
    # mkstemp creates the file 0600 from the start, and os.replace swaps it in whole.
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{account}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(credentials.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def load_credentials(
    config_dir: Path,
    account: str,
    scopes: Sequence[str],
    *,
    transport: Callable | None = None,
) -> Credentials | None:
    """The stored credentials of `account`, refreshed and saved again when expired.

    None when there is no usable token (missing, unreadable, lacking a scope, or refused on refresh):
    the caller then runs `authorise`. `transport` is a google-auth request callable (tests pass a fake).
    """
    path = token_path(config_dir, account)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        credentials = Credentials.from_authorized_user_info(info)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        log.warning("token file of account %s is unusable (%s); authorise again", account, type(error).__name__)
        return None
    if not credentials.has_scopes(list(scopes)):
        log.warning("token of account %s lacks a needed scope; authorise again", account)
        return None
    if credentials.valid:
        return credentials
    if not credentials.refresh_token:
        log.warning("token of account %s expired and cannot be refreshed; authorise again", account)
        return None
    log.info("refreshing the access token of account %s", account)
    try:
        credentials.refresh(transport or Request())
    except RefreshError:
        log.warning("token of account %s was refused on refresh; authorise again", account)
        return None
    save_credentials(config_dir, account, credentials)
    return credentials


def authorise(
    config_dir: Path,
    account: str,
    client_secrets: Path,
    scopes: Sequence[str],
    *,
    open_browser: bool = True,
) -> Credentials:
    """Run the installed-app consent flow in the browser (loopback redirect) and store the token."""
    flow = InstalledAppFlow.from_client_secrets_file(str(client_secrets), scopes=list(scopes))
    credentials = flow.run_local_server(host="localhost", port=0, open_browser=open_browser)
    save_credentials(config_dir, account, credentials)
    log.info("authorised account %s", account)
    return credentials


def build_service(api: str, version: str, credentials: Credentials | None = None, http=None):
    """A googleapiclient service from the discovery document shipped with the library (no network fetch).

    Pass `credentials` in use, or `http` (an httplib2-like object such as `HttpMockSequence`) in tests.
    """
    return build(api, version, credentials=credentials, http=http, static_discovery=True, cache_discovery=False)
