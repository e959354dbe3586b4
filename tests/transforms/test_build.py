"""Skipping a build step whose inputs did not change, and the code version that is part of every step's inputs."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from transforms import build, normalise


@pytest.fixture
def fresh_code_version():
    build._code_version.cache_clear()
    yield build._code_version
    build._code_version.cache_clear()


@pytest.mark.parametrize("macro_file", ["PERSONAL_MAIL_SQL", "LEGAL_FORMS_SQL"])
def test_editing_a_warehouse_macro_file_the_transforms_run_changes_the_code_version(
    macro_file, tmp_path, monkeypatch, fresh_code_version
):
    copy = tmp_path / getattr(normalise, macro_file).name
    shutil.copyfile(getattr(normalise, macro_file), copy)
    monkeypatch.setattr(normalise, macro_file, copy)
    before = fresh_code_version()
    copy.write_text(copy.read_text() + "\n-- an edited macro\n")
    fresh_code_version.cache_clear()
    assert fresh_code_version() != before


def test_a_step_runs_again_only_when_its_inputs_change(tmp_path):
    runs = []
    with duckdb.connect(str(tmp_path / "work.duckdb")) as con:
        skipped = [build.run_unless_unchanged(con, "step", inputs, lambda: runs.append(1)) for inputs in "aab"]
        assert skipped == [False, True, False]
        assert len(runs) == 2
        assert build.last_inputs(con, "step") == "b"
