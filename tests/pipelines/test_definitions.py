"""Kith's Dagster definitions: they load, every asset is described, automation runs by default, the graph builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from pipelines.assets import ALL_ASSETS
from pipelines.automation import daily_build
from pipelines.checks import ALL_CHECKS
from pipelines.definitions import defs, owner_time_zone
from pipelines.resources import KithResource
from tests.conftest import SMALL_INBOX, SMALL_INBOX_AS_OF
from tests.pipelines.dagster_graph import GROUPS, evaluate_sensor_tick

REPO = Path(__file__).resolve().parents[2]


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)
    assert defs.resolve_job_def("build_everything").name == "build_everything"


def test_dg_check_defs_is_clean():
    venv = Path(sys.executable).parent
    environment = {**os.environ, "VIRTUAL_ENV": str(venv.parent), "PATH": f"{venv}{os.pathsep}{os.environ['PATH']}"}
    completed = subprocess.run([str(venv / "dg"), "check", "defs"], cwd=REPO, env=environment, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "All definitions loaded successfully." in completed.stdout + completed.stderr


def test_schedule_and_sensor_run_by_default():
    assert defs.resolve_schedule_def("daily_build").default_status == dg.DefaultScheduleStatus.RUNNING
    assert defs.resolve_sensor_def("inbox_changed").default_status == dg.DefaultSensorStatus.RUNNING
    assert defs.resolve_schedule_def("daily_build").job_name == "build_everything"
    assert defs.resolve_sensor_def("inbox_changed").job_name == "build_everything"


@pytest.mark.parametrize(("config", "zone"), [
    ('[owner]\ntimezone = "America/New_York"\n', "America/New_York"),
    ("", "UTC"),
    ('[owner]\ntimezone = "Mars/Olympus"\n', "UTC"),  # a bad config: the build reports it, the schedule waits in UTC
])
def test_the_morning_build_runs_in_the_owner_s_time_zone(tmp_path, config, zone):
    config_file = tmp_path / "config.toml"
    config_file.write_text(config, encoding="utf-8")
    schedule = daily_build(owner_time_zone(KithResource(config_file=str(config_file))))
    assert (schedule.execution_timezone, schedule.cron_schedule) == (zone, "0 6 * * *")


def test_the_loaded_definitions_schedule_in_the_configured_zone(tmp_path):
    config_file = tmp_path / "config.toml"
    config_file.write_text('[owner]\ntimezone = "Asia/Tokyo"\n', encoding="utf-8")
    code = "from pipelines.definitions import defs; print(defs.resolve_schedule_def('daily_build').execution_timezone)"
    completed = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                               env={**os.environ, "KITH_CONFIG": str(config_file)})
    assert completed.stdout.strip() == "Asia/Tokyo", completed.stderr


def test_every_asset_has_a_group_kinds_description_and_owners():
    specs = {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}
    assert {name: spec.group_name for name, spec in specs.items()} == GROUPS
    for name, spec in specs.items():
        assert spec.kinds and "duckdb" in spec.kinds, name
        assert spec.description and len(spec.description) > 20, name
        assert spec.owners == ["team:kith"], name


def test_every_check_has_a_description():
    for check in ALL_CHECKS:
        (spec,) = check.check_specs
        assert spec.description, spec.name


@pytest.fixture(scope="module")
def instance():
    with dg.instance_for_test() as test_instance:
        yield test_instance


def test_sensor_requests_a_run_when_a_file_lands_and_skips_when_nothing_changed(instance, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SMALL_INBOX, inbox)
    kith = KithResource(inbox=str(inbox), warehouse=str(tmp_path / "kith.duckdb"))

    first = evaluate_sensor_tick(instance, kith, cursor=None)
    assert len(first.run_requests) == 1 and first.cursor
    assert first.run_requests[0].run_key is None  # an inbox back in an earlier state still builds

    unchanged = evaluate_sensor_tick(instance, kith, cursor=first.cursor)
    assert unchanged.run_requests == [] and unchanged.skip_message == "inbox unchanged"

    (inbox / "contacts" / "new.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dee\r\nEND:VCARD\r\n", encoding="utf-8")
    landed = evaluate_sensor_tick(instance, kith, cursor=first.cursor)
    assert len(landed.run_requests) == 1 and landed.cursor not in (None, first.cursor)


def test_sensor_skips_without_an_inbox(instance, tmp_path):
    kith = KithResource(inbox=str(tmp_path / "nowhere"), warehouse=str(tmp_path / "kith.duckdb"))
    result = evaluate_sensor_tick(instance, kith, cursor=None)
    assert result.run_requests == [] and result.skip_message == "no inbox configured"


@pytest.fixture(scope="module")
def materialized(tmp_path_factory):
    folder = tmp_path_factory.mktemp("materialize")
    shutil.copytree(SMALL_INBOX, folder / "inbox")
    kith = KithResource(
        inbox=str(folder / "inbox"), warehouse=str(folder / "kith.duckdb"), as_of=SMALL_INBOX_AS_OF,
        config_file=str(folder / "no-config.toml"),
    )
    return dg.materialize([*ALL_ASSETS, *ALL_CHECKS], resources={"kith": kith}), folder


def test_materializing_every_asset_and_check_succeeds(materialized):
    result, folder = materialized
    assert result.success
    assert (folder / "kith.duckdb").is_file()
    materialized_assets = {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}
    assert materialized_assets == set(GROUPS)


def test_materializations_tell_the_story_of_the_run(materialized):
    result, _ = materialized
    people = result.asset_materializations_for_node("people")[0].metadata
    assert people["people"].value == 5
    relationships = result.asset_materializations_for_node("relationships")[0].metadata
    assert relationships["top_relationships"].value.startswith("| person | strength | tier | why |")
    published = result.asset_materializations_for_node("published_warehouse")[0].metadata
    assert published["people"].value == 5


def test_checks_pass_and_files_of_no_kind_kith_reads_are_not_rejected_records(materialized):
    result, _ = materialized
    evaluations = {check.check_name: check for check in result.get_asset_check_evaluations()}
    assert set(evaluations) == {"synced_accounts_are_current", "owner_is_known", "person_ids_are_unique",
                                "address_book_model_trained", "every_interaction_resolved", "scores_in_range",
                                "inputs_reconcile"}
    blocking = {name: check.passed for name, check in evaluations.items() if name != "inputs_reconcile"}
    assert blocking == dict.fromkeys(blocking, True)
    # The small inbox rejects a cut-off card, 1 of the 24 records in its files (4%), and holds a text file that no
    # connector reads: listed in `rejected`, not counted in the rate.
    reconcile = evaluations["inputs_reconcile"]
    assert reconcile.severity == dg.AssetCheckSeverity.WARN
    assert {name: value.value for name, value in reconcile.metadata.items()} == {
        "files_not_reconciled": 0, "rejected_rate": 0.0417, "rejected": 1, "files_of_no_kind_kith_reads": 1}
    assert reconcile.passed
