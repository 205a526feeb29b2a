"""The HTML report in a real browser: headless Chromium opens it from file://, shows the
round's totals, sorts when a header is clicked, filters by text and by verdict, logs no
console error, and leaves a screenshot in the test's tmp folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import need_tool
from golden import EXAMPLE_DIRS, add_broken, copy_examples, expected, golden_args

from toolkit.review.batch import LocalExecutor, discover, run_batch
from toolkit.review.write import write_outputs

NO_PRIOR = [p.name for p in EXAMPLE_DIRS if not expected(p).get("check_args")]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, object]:
    tmp = tmp_path_factory.mktemp("browser")
    root = copy_examples(tmp, NO_PRIOR)
    add_broken(root)
    batch = run_batch(discover(root, "round"), golden_args(), LocalExecutor(2))
    path = tmp / "report.html"
    write_outputs(batch, {"html": path}, lang="en", title="round")
    return path, batch


@pytest.fixture(scope="module")
def driver():
    chromium = need_tool("chromium", "chromium")
    chromedriver = need_tool("chromedriver", "chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,2000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    yield browser
    browser.quit()


def _visible_paths(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, "#summary tbody tr")
    return [r.find_element(By.CSS_SELECTOR, "td").text for r in rows if r.is_displayed()]


def test_the_report_in_headless_chromium(report, driver, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    path, batch = report
    driver.get(path.as_uri())
    count = len(batch.outcomes)
    verdicts = {v: sum(1 for o in batch.outcomes if o.verdict == v) for v in ("pass", "fail", "needs_review", "error")}

    # the totals as the page shows them
    assert driver.find_element(By.ID, "total-count").text == str(count)
    for verdict, n in verdicts.items():
        assert driver.find_element(By.ID, f"total-{verdict}").text == str(n)
    assert driver.find_element(By.ID, "total-eligible").text.startswith("CNY ")
    assert driver.find_element(By.ID, "chart-verdicts").is_displayed()
    assert driver.find_element(By.ID, "chart-money").is_displayed()
    assert len(_visible_paths(driver)) == count
    assert driver.find_element(By.ID, "shown").text == f"{count} of {count} shown"

    # sorting: the path column descending after two clicks, the money column numerically
    path_header, eligible_header = (driver.find_elements(By.CSS_SELECTOR, "#summary th")[i] for i in (0, 6))
    path_header.click()
    assert _visible_paths(driver) == sorted(_visible_paths(driver))
    path_header.click()
    assert _visible_paths(driver) == sorted(_visible_paths(driver), reverse=True)
    assert path_header.get_attribute("aria-sort") == "descending"
    eligible_header.click()
    cells = driver.find_elements(By.CSS_SELECTOR, "#summary tbody tr td:nth-child(7)")
    values = [float(c.get_attribute("data-sort")) for c in cells]
    assert values == sorted(values) and values[-1] > values[0]

    # filtering: by text, by verdict, and both
    box = driver.find_element(By.ID, "filter")
    box.send_keys("m36-overseas")
    shown = _visible_paths(driver)
    assert shown and all("m36-overseas" in p for p in shown)
    assert driver.find_element(By.ID, "shown").text == f"{len(shown)} of {count} shown"
    Select(driver.find_element(By.ID, "verdict-filter")).select_by_value("fail")
    both = _visible_paths(driver)
    assert both and set(both) < set(shown)
    box.clear()
    box.send_keys(" ")  # clear() fires no input event; typing does
    assert len(_visible_paths(driver)) == verdicts["fail"]
    Select(driver.find_element(By.ID, "verdict-filter")).select_by_value("error")
    assert _visible_paths(driver) == ["round/zz-broken-manifest"]

    # a dossier's section is one click away
    Select(driver.find_element(By.ID, "verdict-filter")).select_by_value("")
    driver.find_element(By.LINK_TEXT, "round/m13-trial-insurance--damaged-receipt").click()
    assert driver.current_url.endswith("#d" + str(1 + [o.display for o in batch.outcomes].index(
        "round/m13-trial-insurance--damaged-receipt")))

    driver.execute_script("window.scrollTo(0, 0)")
    shot = tmp_path / "review-report.png"
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000

    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == [], errors
