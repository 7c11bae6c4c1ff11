"""The report page in a real browser: Debian's chromium, headless, driven by Selenium.

Selenium talks to the system's ``chromedriver`` (no browser or driver is downloaded). CI
installs both (``.ci/run``) and sets ``RL_REQUIRE_BROWSER=1``, so there the test cannot be
skipped; elsewhere it is skipped when chromium is not installed.
"""

import os
import shutil

import pytest

from rl_shared.reproduce import Anchor, Reproduction, Result
from rl_shared.reproduce.harness import run_reproductions
from rl_shared.reproduce.html import write_check, write_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER) and os.environ.get("RL_REQUIRE_BROWSER") != "1",
    reason="chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
)


def _plotted(ctx):
    from rl_shared.plotting import subplots

    for name in ("curve", "bars"):
        fig, ax = subplots()
        ax.plot([0, 1, 2], [0.2, 0.5, 0.9], label="ours")
        ax.set(xlabel="step", ylabel="accuracy", title=name)
        ax.legend()
        ctx.save_figure(fig, name)
    return Result(
        metrics={"acc": 0.9, "loss": 0.1},
        anchors=[Anchor("acc", 0.91, "Paper, Table 1"), Anchor("claim", "holds", "Paper, §4")],
        seeds=[ctx.seed],
        details="| setting | value |\n|---|---|\n| <b>steps</b> | 3 |",
        summary="fine",
    )


def test_every_table_and_image_renders_without_console_errors(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    out = tmp_path / "reports"
    repros = [
        Reproduction("toy.plotted", "a toy with plots", _plotted, paper="Paper, arXiv:0000.0"),
        Reproduction("toy.absent", "needs data", _plotted, datasets=("no-such-dataset",)),
    ]
    run_reproductions(repros, out, size="smoke")
    write_check(out / "toy.plotted", ["toy.plotted: acc = 0.9 (expected 0.8 ± 0.001)"])
    page = write_html(out, {"toy.absent": ("skipped", "missing dataset: no-such-dataset")})
    assert "http" not in page.read_text().replace("http-equiv", "")  # nothing to fetch

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,2000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        driver.get(page.as_uri())
        tables = driver.find_elements(By.TAG_NAME, "table")
        # overview, metrics beside anchors, details
        assert len(tables) >= 3
        for table in tables:
            assert table.is_displayed() and table.size["height"] > 0
            assert table.find_elements(By.CSS_SELECTOR, "tbody tr")
        images = driver.find_elements(By.TAG_NAME, "img")
        assert len(images) == 2
        for image in images:
            assert driver.execute_script(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", image
            )
        text = driver.find_element(By.TAG_NAME, "body").text
        assert "0.9100" in text and "Paper, Table 1" in text  # ours beside the anchor
        assert "uv run rl reproduce toy.plotted --smoke" in text
        assert "drift" in text and "expected 0.8" in text and "skipped" in text
        assert "<b>" in text  # raw HTML in a report is shown, not interpreted
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
        shot = tmp_path / "report.png"
        assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    finally:
        driver.quit()
