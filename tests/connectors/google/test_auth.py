"""Tests for the shared Google OAuth module: private token files, refresh, consent flow, no leaked secrets."""

import json
import logging
import stat
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
from google.oauth2.credentials import Credentials

from connectors.google import auth
from connectors.google.auth import SCOPES, authorise, build_service, load_credentials, save_credentials, token_path

CONTACTS = SCOPES["google_contacts"]
SECRETS = ("ya29.secret-access-token", "1//secret-refresh-token", "secret-client-secret", "ya29.fresh-access-token")


def credentials(expiry: datetime, refresh_token: str | None = "1//secret-refresh-token") -> Credentials:
    return Credentials(
        token="ya29.secret-access-token",
        refresh_token=refresh_token,
        token_uri="https://oauth2.googleapis.com/token",
        client_id="123-test.apps.googleusercontent.com",
        client_secret="secret-client-secret",
        scopes=CONTACTS,
        expiry=expiry.replace(tzinfo=None),  # google-auth keeps naive UTC expiry times
    )


class TokenEndpoint:
    """A google-auth transport that answers the token endpoint without any network."""

    def __init__(self, status: int, body: dict):
        self.status, self.body = status, body
        self.sent: list[dict] = []

    def __call__(self, url, method="GET", body=None, headers=None, **kwargs):
        self.sent.append({"url": url, "form": parse_qs(body.decode() if isinstance(body, bytes) else body)})
        return _Response(self.status, json.dumps(self.body).encode())


class _Response:
    def __init__(self, status: int, data: bytes):
        self.status, self.data, self.headers = status, data, {"content-type": "application/json"}


def in_an_hour() -> datetime:
    return datetime.now(UTC) + timedelta(hours=1)


def test_token_file_is_private_from_the_start(tmp_path):
    path = save_credentials(tmp_path, "personal-contacts", credentials(in_an_hour()))

    assert path == tmp_path / "tokens" / "personal-contacts.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [entry.name for entry in path.parent.iterdir()] == ["personal-contacts.json"]


def test_a_wider_tokens_folder_is_narrowed(tmp_path):
    (tmp_path / "tokens").mkdir(mode=0o755)
    save_credentials(tmp_path, "mail", credentials(in_an_hour()))

    assert stat.S_IMODE((tmp_path / "tokens").stat().st_mode) == 0o700


def test_round_trip_keeps_a_valid_token_without_refreshing(tmp_path):
    save_credentials(tmp_path, "personal-contacts", credentials(in_an_hour()))
    endpoint = TokenEndpoint(200, {})

    loaded = load_credentials(tmp_path, "personal-contacts", CONTACTS, transport=endpoint)

    assert (loaded.token, loaded.refresh_token, loaded.client_id) == (
        "ya29.secret-access-token",
        "1//secret-refresh-token",
        "123-test.apps.googleusercontent.com",
    )
    assert loaded.valid
    assert endpoint.sent == []


def test_an_expired_token_is_refreshed_and_saved_again(tmp_path):
    save_credentials(tmp_path, "personal-contacts", credentials(datetime.now(UTC) - timedelta(minutes=5)))
    endpoint = TokenEndpoint(200, {"access_token": "ya29.fresh-access-token", "expires_in": 3599})

    loaded = load_credentials(tmp_path, "personal-contacts", CONTACTS, transport=endpoint)

    assert loaded.token == "ya29.fresh-access-token"
    assert endpoint.sent[0]["url"] == "https://oauth2.googleapis.com/token"
    assert endpoint.sent[0]["form"]["grant_type"] == ["refresh_token"]
    assert endpoint.sent[0]["form"]["refresh_token"] == ["1//secret-refresh-token"]
    stored = json.loads(token_path(tmp_path, "personal-contacts").read_text())
    assert stored["token"] == "ya29.fresh-access-token"
    assert stat.S_IMODE(token_path(tmp_path, "personal-contacts").stat().st_mode) == 0o600


def test_a_refused_refresh_asks_for_consent_again(tmp_path):
    save_credentials(tmp_path, "personal-contacts", credentials(datetime.now(UTC) - timedelta(minutes=5)))
    endpoint = TokenEndpoint(400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})

    assert load_credentials(tmp_path, "personal-contacts", CONTACTS, transport=endpoint) is None


def test_no_usable_token_means_none(tmp_path):
    assert load_credentials(tmp_path, "never-authorised", CONTACTS) is None
    save_credentials(tmp_path, "no-refresh", credentials(datetime.now(UTC) - timedelta(minutes=5), refresh_token=None))
    # A token file without refresh token is not even loadable by google-auth.
    assert load_credentials(tmp_path, "no-refresh", CONTACTS) is None
    save_credentials(tmp_path, "contacts-only", credentials(in_an_hour()))
    assert load_credentials(tmp_path, "contacts-only", SCOPES["gmail"]) is None
    token_path(tmp_path, "garbled").write_text("{not json")
    assert load_credentials(tmp_path, "garbled", CONTACTS) is None


def test_account_names_cannot_escape_the_tokens_folder(tmp_path):
    with pytest.raises(ValueError):
        token_path(tmp_path, "../config")


def test_authorise_runs_the_loopback_flow_and_stores_the_token(tmp_path, monkeypatch):
    calls = {}

    class FakeFlow:
        @classmethod
        def from_client_secrets_file(cls, path, scopes):
            calls["secrets"], calls["scopes"] = path, scopes
            return cls()

        def run_local_server(self, **options):
            calls["options"] = options
            return credentials(in_an_hour())

    monkeypatch.setattr(auth, "InstalledAppFlow", FakeFlow)
    secrets = tmp_path / "client_secret.json"

    result = authorise(tmp_path, "mail", secrets, SCOPES["gmail"], open_browser=False)

    assert result.token == "ya29.secret-access-token"
    assert calls == {
        "secrets": str(secrets),
        "scopes": ["https://www.googleapis.com/auth/gmail.metadata"],
        "options": {"host": "localhost", "port": 0, "open_browser": False},
    }
    assert stat.S_IMODE(token_path(tmp_path, "mail").stat().st_mode) == 0o600


def test_secrets_never_reach_the_log_or_repr(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    save_credentials(tmp_path, "a", credentials(datetime.now(UTC) - timedelta(minutes=5)))
    fresh = TokenEndpoint(200, {"access_token": "ya29.fresh-access-token", "expires_in": 60})
    refreshed = load_credentials(tmp_path, "a", CONTACTS, transport=fresh)
    save_credentials(tmp_path, "b", credentials(datetime.now(UTC) - timedelta(minutes=5)))
    load_credentials(tmp_path, "b", CONTACTS, transport=TokenEndpoint(400, {"error": "invalid_grant"}))

    exposed = caplog.text + repr(refreshed)
    assert "refreshing the access token of account a" in caplog.text
    assert [secret for secret in SECRETS if secret in exposed] == []


def test_services_are_built_from_the_shipped_discovery_documents():
    for api, version in (("people", "v1"), ("gmail", "v1"), ("calendar", "v3")):
        service = build_service(api, version, http=object())
        assert service._rootDesc["version"] == version
