"""The Dagster UI in a real browser: headless Chromium sees Kith's asset graph and launches a build that succeeds."""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from selenium import webdriver
from selenium.common.exceptions import ElementClickInterceptedException, WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.pipelines.dagster_graph import GROUPS
from tests.servers.dagster_ui import CODE_LOCATION, DagsterUI, dagster_ui  # noqa: F401  (pytest fixture)

pytestmark = pytest.mark.servers

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # without these it dials out, and the closed network refuses it
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,3000",  # tall enough that the graph renders every node of a group
)
PAGE_TIMEOUT_SECONDS = 60
RUN_TIMEOUT_SECONDS = 120
FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}
RUNS = "{ runsOrError { ... on Runs { results { runId status jobName tags { key value } } } } }"


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    chromium = shutil.which("chromium")
    if chromium is None or not CHROMEDRIVER.exists():
        pytest.fail("Chromium or chromedriver is missing: run .ci/install-debian-packages (Debian packages chromium, chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="kith-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def page_text(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def wait_for_text(driver: WebDriver, *texts: str) -> str:
    WebDriverWait(driver, PAGE_TIMEOUT_SECONDS).until(lambda d: all(text in page_text(d).split("\n") for text in texts))
    return page_text(driver)


def runs(ui: DagsterUI) -> list[dict]:
    return ui.graphql(RUNS)["runsOrError"]["results"]


def wait_until_finished(ui: DagsterUI, run_id_prefix: str) -> dict:
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        finished = [run for run in runs(ui) if run["runId"].startswith(run_id_prefix) and run["status"] in FINISHED]
        if finished:
            return finished[0]
        time.sleep(1)
    pytest.fail(f"run {run_id_prefix} did not finish within {RUN_TIMEOUT_SECONDS} s:\n{ui.log.read_text(errors='replace')[-3000:]}")


def click_past_dialogs(browser: WebDriver, xpath: str) -> None:
    """Click the element, first dismissing Dagster's first-visit dialogs, which may open at any moment."""
    deadline = time.monotonic() + PAGE_TIMEOUT_SECONDS
    while True:
        for skip in browser.find_elements(By.XPATH, "//button[normalize-space()='Skip']"):
            with contextlib.suppress(WebDriverException):
                skip.click()
        try:
            browser.find_element(By.XPATH, xpath).click()
            return
        except ElementClickInterceptedException:
            if time.monotonic() > deadline:
                raise
            ActionChains(browser).send_keys(Keys.ESCAPE).perform()
            time.sleep(0.5)


def test_asset_graph_shows_kith_and_a_run_launched_from_it_succeeds(browser: WebDriver, dagster_ui: DagsterUI):  # noqa: F811
    for group in sorted(set(GROUPS.values())):
        browser.get(f"{dagster_ui.url}/locations/{CODE_LOCATION}/asset-groups/{group}")
        wait_for_text(browser, group, *[asset for asset, asset_group in GROUPS.items() if asset_group == group])

    browser.get(f"{dagster_ui.url}/asset-groups")
    wait_for_text(browser, "Global asset lineage", "Materialize all")
    click_past_dialogs(browser, "//button[normalize-space()='Materialize all']")
    WebDriverWait(browser, PAGE_TIMEOUT_SECONDS).until(lambda d: re.search(r"Launched run [0-9a-f]{8}", page_text(d)))
    run_id_prefix = re.search(r"Launched run ([0-9a-f]{8})", page_text(browser)).group(1)

    launched = wait_until_finished(dagster_ui, run_id_prefix)
    assert launched["status"] == "SUCCESS", dagster_ui.log.read_text(errors="replace")[-3000:]
    con = duckdb.connect(str(dagster_ui.warehouse), read_only=True)
    try:
        assert con.execute("select count(*) from people").fetchall() == [(5,)]
    finally:
        con.close()

    # The inbox sensor runs by default under the daemon: it started a build of the new inbox on its own.
    by_sensor = [run for run in runs(dagster_ui) if {"key": "dagster/sensor_name", "value": "inbox_changed"} in run["tags"]]
    assert len(by_sensor) == 1
    assert wait_until_finished(dagster_ui, by_sensor[0]["runId"])["status"] == "SUCCESS"
