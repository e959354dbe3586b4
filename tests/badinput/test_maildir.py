"""Bad input for the Maildir connector: bad message files are located Rejects; the good ones beside them stay."""

from __future__ import annotations

import os
from pathlib import Path

from connectors.mail.maildir import parse_maildir
from tests.badinput.contract import ODD_NAMES, kept, parse_all, random_bytes, rejects
from tests.badinput.mail_samples import key, message


def maildir(tmp_path: Path, files: dict[str, bytes | str], name: str = "Archive") -> Path:
    folder = tmp_path / name
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for relative, data in files.items():
        (folder / relative).write_bytes(data.encode() if isinstance(data, str) else data)
    return folder


def test_bad_message_files_beside_good_ones(tmp_path):
    folder = maildir(
        tmp_path,
        {
            "cur/1:2,S": message("a"),
            "cur/2:2,S": random_bytes(),
            "cur/3:2,S": b"",
            "new/4": message("b")[:30],
            "new/5": "X-Huge: " + "h" * 3_000_000 + "\n" + message("c"),
            "new/6": message("d"),
        },
    )
    records = parse_all(parse_maildir, folder)
    assert [r.interaction_key for r in kept(records)] == [key("a"), key("d")]
    assert [location for location, _ in rejects(records)] == ["cur/2:2,S", "cur/3:2,S", "new/4", "new/5"]


def test_subfolder_inside_cur_and_a_symlink_loop(tmp_path):
    folder = maildir(tmp_path, {"cur/1": message("a")})
    (folder / "cur" / "sub").mkdir()
    os.symlink(folder / "cur" / "loop", folder / "cur" / "loop")
    records = parse_all(parse_maildir, folder)
    assert [r.interaction_key for r in kept(records)] == [key("a")]
    assert [(location, reason.split(": [Errno")[0]) for location, reason in rejects(records)] == [
        ("cur/loop", "cannot open the file"),
        ("cur/sub", "cannot open the file"),
    ]


def test_folder_without_cur_or_new(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    assert rejects(parse_all(parse_maildir, folder)) == [("file", "not a Maildir folder: no cur/ or new/")]


def test_odd_message_file_names(tmp_path):
    files = {f"cur/{name}": message(str(number)) for number, name in enumerate(ODD_NAMES)}
    records = parse_all(parse_maildir, maildir(tmp_path, files, name="odd ☃ folder"))
    assert sorted(r.interaction_key for r in kept(records)) == sorted(key(str(n)) for n in range(len(ODD_NAMES)))
