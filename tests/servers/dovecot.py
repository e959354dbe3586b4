"""Pytest fixture that runs a throwaway Dovecot IMAP server on 127.0.0.1 for the test session."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from tests.servers.common import free_port, stop, wait_until_listening

INSTALL_HINT = "Dovecot is not installed: run .ci/install-debian-packages (Debian package dovecot-imapd)"
STATIC_PASSWORD = "kith-test-password"
START_TIMEOUT_SECONDS = 20


class DovecotServer(NamedTuple):
    """Where the test server listens; the static passdb accepts any user name with `password`."""

    host: str
    port: int
    user: str
    password: str


def find_dovecot() -> str | None:
    search_path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
    return shutil.which("dovecot", path=search_path)


def service_users() -> tuple[str, str]:
    """(internal user, login user): Dovecot's own accounts as root, else whoever runs the tests."""
    if os.geteuid() == 0:
        return "dovecot", "dovenull"
    me = pwd.getpwuid(os.geteuid()).pw_name
    return me, me


def write_config(root: Path, port: int) -> Path:
    internal_user, login_user = service_users()
    account = pwd.getpwnam(internal_user)
    config = root / "dovecot.conf"
    # Empty chroots let the same config run without root, where chroot() is not permitted.
    config.write_text(
        f"""\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {grp.getgrgid(account.pw_gid).gr_name}
first_valid_uid = {account.pw_uid}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = static
  args = password={STATIC_PASSWORD}
}}
userdb {{
  driver = static
  args = uid={account.pw_uid} gid={account.pw_gid} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
    )
    return config


def prepare_folders(root: Path) -> None:
    internal_user, _ = service_users()
    account = pwd.getpwnam(internal_user)
    # Dovecot's unprivileged processes must reach the mail and home folders through the temp root.
    root.chmod(0o755)
    for name in ("run", "state", "mail", "home"):
        (root / name).mkdir()
    for name in ("mail", "home"):
        os.chown(root / name, account.pw_uid, account.pw_gid)


def read_logs(root: Path) -> str:
    logs = [root / "startup.log", root / "dovecot.log"]
    return "\n".join(log.read_text(errors="replace") for log in logs if log.exists())


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[DovecotServer]:
    """Start Dovecot in the foreground with a config in a temp folder; stop it after the session.

    Log in as any user name with the password: each name gets its own empty Maildir, so tests
    that pick distinct names do not see each other's messages.
    """
    binary = find_dovecot()
    if binary is None:
        pytest.fail(INSTALL_HINT)
    root = Path(tempfile.mkdtemp(prefix="kith-dovecot-"))
    try:
        prepare_folders(root)
        port = free_port()
        config = write_config(root, port)
        with open(root / "startup.log", "wb") as startup_log:
            process = subprocess.Popen(
                [binary, "-F", "-c", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=startup_log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_listening(process, port, "dovecot", lambda: read_logs(root), START_TIMEOUT_SECONDS)
            yield DovecotServer("127.0.0.1", port, "kith", STATIC_PASSWORD)
        finally:
            stop(process, START_TIMEOUT_SECONDS)
    finally:
        shutil.rmtree(root, ignore_errors=True)
