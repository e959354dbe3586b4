"""Privacy: private file modes, metadata only by default, and secrets nowhere: not in logs, events or the warehouse."""

from __future__ import annotations

import os
import shutil
import socket
import stat
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from connectors.google.auth import save_credentials
from pipelines.assets import ALL_ASSETS
from pipelines.checks import ALL_CHECKS
from pipelines.cli import main
from pipelines.resources import KithResource
from tests.badinput.mail_samples import BODY_MARKER, SUBJECT_MARKER, mbox_message
from tests.conftest import SMALL_INBOX, SMALL_INBOX_AS_OF

SECRET = "s3cret-MARKER-91e2"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def text_values(database: Path) -> str:
    """Every text value of every table of a DuckDB file, lists and structs included, as one string."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = [name for (name,) in con.execute("select table_name from duckdb_tables() where not temporary").fetchall()]
        return "\n".join(
            str(row) for table in tables for row in con.execute(f'select * from "{table}"').fetchall()
        )
    finally:
        con.close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens once the probe closes


@pytest.fixture(scope="module")
def marked_inbox(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("privacy") / "inbox"
    shutil.copytree(SMALL_INBOX, inbox)
    (inbox / "mail" / "marked.mbox").write_text(mbox_message("marked"))
    return inbox


def build(inbox: Path, warehouse: Path, config: Path | None = None) -> int:
    args = ["build", "--inbox", str(inbox), "--warehouse", str(warehouse), "--as-of", SMALL_INBOX_AS_OF]
    return main(args + (["--config", str(config)] if config else []))


def test_no_subject_or_body_is_published_by_default(marked_inbox, tmp_path):
    assert build(marked_inbox, tmp_path / "kith.duckdb") == 0
    published = text_values(tmp_path / "kith.duckdb")
    assert "marked@good.example" in published  # the message is there, as metadata
    assert SUBJECT_MARKER not in published
    assert BODY_MARKER not in published
    assert BODY_MARKER not in text_values(tmp_path / ".kith.work.duckdb")  # bodies are never read at all
    assert mode(tmp_path / "kith.duckdb") == 0o600


def test_subjects_are_published_when_the_user_opts_in(marked_inbox, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[privacy]\nstore_titles = true\n")
    assert build(marked_inbox, tmp_path / "kith.duckdb", config) == 0
    published = text_values(tmp_path / "kith.duckdb")
    assert SUBJECT_MARKER in published
    assert BODY_MARKER not in published


def test_no_subject_is_stored_in_the_work_database_by_default(marked_inbox, tmp_path):
    assert build(marked_inbox, tmp_path / "kith.duckdb") == 0
    assert SUBJECT_MARKER not in text_values(tmp_path / ".kith.work.duckdb")


def test_work_database_is_private(marked_inbox, tmp_path):
    assert build(marked_inbox, tmp_path / "kith.duckdb") == 0
    assert mode(tmp_path / ".kith.work.duckdb") == 0o600


def test_password_from_the_environment_is_nowhere(marked_inbox, tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("KITH_TEST_IMAP_PASSWORD", SECRET)
    config = tmp_path / "config.toml"
    config.write_text(
        "[[accounts]]\nname = \"closed-imap\"\nkind = \"imap\"\nhost = \"127.0.0.1\"\n"
        f"port = {closed_port()}\nusername = \"me@example.com\"\npassword_env = \"KITH_TEST_IMAP_PASSWORD\"\n"
    )
    warehouse = tmp_path / "kith.duckdb"
    resource = KithResource(
        inbox=str(marked_inbox), warehouse=str(warehouse), config_file=str(config), as_of=SMALL_INBOX_AS_OF, show_progress=True
    )
    result = dg.materialize([*ALL_ASSETS, *ALL_CHECKS], resources={"kith": resource}, raise_on_error=False)
    events = "\n".join(repr(event) for event in result.all_events)
    assert "closed-imap" in events  # the account was tried
    assert SECRET not in events
    cli_code = build(marked_inbox, tmp_path / "cli.duckdb", config)
    out, err = capfd.readouterr()
    assert SECRET not in out + err
    assert "Traceback" not in out + err
    for database in (warehouse, tmp_path / ".kith.work.duckdb", tmp_path / "cli.duckdb", tmp_path / ".cli.work.duckdb"):
        if database.exists():
            assert SECRET not in text_values(database), database
            assert SECRET.encode() not in database.read_bytes(), database
    assert cli_code in (0, 1)


@pytest.mark.parametrize("key", ["password", "token", "client_secret", "refresh_token"])
def test_a_config_holding_a_secret_is_refused_in_one_line(tmp_path, capfd, key):
    config = tmp_path / "config.toml"
    config.write_text(f'[[accounts]]\nname = "mail"\nkind = "imap"\nhost = "127.0.0.1"\n{key} = "{SECRET}"\n')
    (tmp_path / "inbox").mkdir()
    assert build(tmp_path / "inbox", tmp_path / "kith.duckdb", config) == 1
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kith: ") and key in err[0]
    assert SECRET not in err[0]
    assert not (tmp_path / "kith.duckdb").exists()


def test_tokens_folder_is_0700_and_token_0600_under_a_wide_umask(tmp_path):
    class Credentials:
        def to_json(self) -> str:
            return '{"token": "t"}'

    old = os.umask(0o000)
    try:
        path = save_credentials(tmp_path, "personal", Credentials())
    finally:
        os.umask(old)
    assert (mode(path.parent), mode(path)) == (0o700, 0o600)
