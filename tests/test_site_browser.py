"""The site in a real browser: Debian's headless Chromium driven by Selenium, from file://.

Every page load fails the test on any console error. Screenshots at desktop and phone width are
saved under artifacts/screenshots/ (git-ignored). Without /usr/bin/chromium and
/usr/bin/chromedriver (Debian's `chromium` and `chromium-driver`; `.ci/run` installs them) the
tests are skipped with a message saying so.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from memo724.contract import Contract
from memo724.contract.paths import REPO
from memo724.publication.site.figures.timeline import STUB

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = REPO.root / "artifacts" / "screenshots"
DESKTOP = (1280, 900)
PHONE = (390, 844)

if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
    pytest.skip(
        f"browser tests of the site skipped: {CHROMIUM} or {CHROMEDRIVER} is missing "
        "(apt-get install chromium chromium-driver; .ci/run does this as root)",
        allow_module_level=True,
    )

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def rows(table: str) -> list[dict[str, str]]:
    with REPO.table(table).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class Browser:
    """One Chromium session; open() loads a page of the site and fails on console errors."""

    def __init__(self, driver: Any, site: Path) -> None:
        self.driver = driver
        self.site = site

    def errors(self) -> list[dict[str, Any]]:
        return [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]

    def open(self, page: str, size: tuple[int, int] = DESKTOP) -> Any:
        self.driver.set_window_size(*size)
        self.driver.get((self.site / page).as_uri().replace("%23", "#"))
        if page.startswith("timeline") or page.startswith("network"):
            WebDriverWait(self.driver, 30).until(
                lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-chart")
            )
            assert (
                self.driver.find_element(By.TAG_NAME, "body").get_attribute("data-chart") == "ready"
            )
        assert self.errors() == []
        return self.driver

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path


@pytest.fixture(scope="module")
def browser(site_release: Path) -> Iterator[Browser]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="memo724-chromium-")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        # Any request for the network goes to a closed port and fails as a console error.
        "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        f"--user-data-dir={profile}",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # The driver's path is given, so Selenium Manager never looks for (or downloads) one.
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield Browser(driver, site_release / "site")
        assert [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"] == []
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_every_evidence_row_is_one_marked_span_reachable_by_keyboard(browser: Browser) -> None:
    browser.open("reader.html")
    marked = browser.js(
        "return Array.from(document.querySelectorAll('article mark.ev[tabindex=\"0\"]'))"
        ".map(m => m.dataset.ev)"
    )
    assert sorted(marked) == sorted(r["evidence_id"] for r in rows("evidence"))
    # Each mark's words, gathered over its fragments, are the evidence row's exact quote.
    texts = browser.js(
        "const t = {}; document.querySelectorAll('article mark.ev').forEach(m => {"
        " if (!m.parentElement.closest('mark.ev[data-ev=\"' + m.dataset.ev + '\"]'))"
        " t[m.dataset.ev] = (t[m.dataset.ev] || '') + m.textContent; }); return t;"
    )
    assert texts == {r["evidence_id"]: r["exact"] for r in rows("evidence")}
    # Tab from the page's start reaches a mark; Space on it selects it.
    body = browser.driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(40):
        if browser.js("return document.activeElement.matches('article mark.ev')"):
            break
        browser.driver.switch_to.active_element.send_keys(Keys.TAB)
    focused = browser.driver.switch_to.active_element
    assert focused.tag_name == "mark"
    focused.send_keys(Keys.SPACE)
    listed = browser.js(
        "return Array.from(document.querySelectorAll('#selection li')).map(l => l.dataset.record)"
    )
    evid = focused.get_attribute("data-ev")
    record = next(r for r in rows("evidence") if r["evidence_id"] == evid)
    assert listed[0] == f"{record_table(record)}/{record_id(record)}"


# Content table -> its column in evidence, as the contract declares them.
SUBJECTS = Contract(REPO.schemas).evidence_subjects


def record_table(row: dict[str, str]) -> str:
    """The table of the record an evidence row supports: the one subject column filled."""
    return next(t for t, column in SUBJECTS.items() if row.get(column))


def record_id(row: dict[str, str]) -> str:
    return row[SUBJECTS[record_table(row)]]


def test_selecting_a_span_lists_its_record_and_those_of_the_spans_around_it(
    browser: Browser,
) -> None:
    evidence = rows("evidence")
    spans = [(int(r["start"]), int(r["end"]), r) for r in evidence]

    def around(start: int, end: int) -> list[dict[str, str]]:
        return [r for s, e, r in spans if s <= start and e >= end]

    # The span held inside the most others: its selection lists the most records.
    chosen = max(spans, key=lambda s: (len(around(s[0], s[1])), -s[0]))[2]
    browser.open("reader.html")
    mark = browser.driver.find_element(By.ID, f"ev-{chosen['evidence_id']}")
    browser.js("arguments[0].scrollIntoView({block: 'center'})", mark)
    browser.js("arguments[0].focus()", mark)
    mark.send_keys(Keys.ENTER)
    listed = browser.js(
        "return Array.from(document.querySelectorAll('#selection li')).map(l => l.dataset.record)"
    )
    first_start = int(mark.get_attribute("data-start"))
    first_end = int(mark.get_attribute("data-end"))
    expected = {f"{record_table(r)}/{record_id(r)}" for r in around(first_start, first_end)}
    assert len(expected) >= 3
    assert set(listed) == expected
    assert listed[0] == f"{record_table(chosen)}/{record_id(chosen)}"
    assert "sel" in (mark.get_attribute("class") or "")
    browser.screenshot("reader-selection-desktop")


def test_a_deep_link_opens_the_record_and_highlights_all_its_quotes(browser: Browser) -> None:
    evidence = rows("evidence")
    by_event: dict[str, list[str]] = {}
    for r in evidence:
        if r["event_id"]:
            by_event.setdefault(r["event_id"], []).append(r["evidence_id"])
    event = max(sorted(by_event), key=lambda e: len(by_event[e]))
    browser.open(f"reader.html#events/{event}")
    highlighted = browser.js(
        "return Array.from(new Set(Array.from(document.querySelectorAll('mark.ev.hl'))"
        ".map(m => m.dataset.ev)))"
    )
    assert sorted(highlighted) == sorted(by_event[event])
    quotes = browser.driver.find_elements(By.CSS_SELECTOR, "#record-quotes li")
    assert len(quotes) == len(by_event[event])
    fields = browser.js(
        "return Array.from(document.querySelectorAll('#panel dl.fields dd'))"
        ".map(d => d.textContent)"
    )
    row = next(r for r in rows("events") if r["event_id"] == event)
    assert fields == [v for v in row.values() if v]
    browser.screenshot("reader-deep-link-desktop")
    # Following a link inside the panel opens the other record without reloading the page.
    browser.driver.find_element(By.CSS_SELECTOR, "#panel a[href^='#actors/']").click()
    assert browser.driver.current_url.split("#")[1].startswith("actors/")
    assert browser.driver.find_elements(By.CSS_SELECTOR, "mark.ev.hl")
    browser.open(f"reader.html#events/{event}", PHONE)
    assert browser.js("return document.documentElement.scrollWidth") <= PHONE[0]
    assert browser.driver.find_element(By.ID, "panel").is_displayed()
    browser.screenshot("reader-deep-link-phone")


def test_marks_differ_by_pattern_not_only_by_colour(browser: Browser) -> None:
    browser.open("reader.html")
    patterns = browser.js(
        "return Array.from(document.querySelectorAll('.legend mark.ev.sample')).map(m => {"
        " const s = getComputedStyle(m);"
        " return s.backgroundImage.replace(/rgba?\\([^)]*\\)/g, 'C') + ' ' + s.backgroundSize; })"
    )
    kinds = {record_table(r) for r in rows("evidence")}
    assert len(patterns) == len(kinds)
    assert len(set(patterns)) == len(patterns), patterns
    assert all(p.startswith("linear-gradient") for p in patterns)


def day_ms(iso: str) -> int:
    return (dt.date.fromisoformat(iso) - dt.date(1970, 1, 1)).days * 86_400_000


def test_the_timeline_places_every_event_with_a_window_inside_it_each_linking_to_the_reader(
    browser: Browser,
) -> None:
    browser.open("timeline.html")
    # Each event mark as drawn: its first and last pixel on the chart's own x scale.
    drawn = browser.js(
        "const out = {}; document.querySelectorAll('#chart [aria-label^=\"event \"]')"
        ".forEach(e => { const m = /translate\\(([-\\d.e]+),/.exec(e.getAttribute('transform'));"
        " const x = parseFloat(m[1]); out[e.getAttribute('aria-label').slice(6)] ="
        " [x, x + parseFloat(e.getAttribute('x2') || '0')]; }); return out;"
    )
    events = [r for r in rows("events") if r["time_start"] or r["time_end"]]
    assert sorted(drawn) == sorted(r["event_id"] for r in events)
    days = sorted(
        {day_ms(r["time_start"]) for r in events if r["time_start"]}
        | {day_ms(r["time_end"]) + 86_400_000 for r in events if r["time_end"]}
    )
    pixels = browser.js(
        "const x = window.memo724Chart.scale('x');"
        " return [arguments[0].map(d => x(d)), x.range()];",
        days,
    )
    at = dict(zip(days, pixels[0], strict=True))
    left, right = min(pixels[1]), max(pixels[1])
    for r in events:
        first = at[day_ms(r["time_start"])] if r["time_start"] else None
        last = at[day_ms(r["time_end"]) + 86_400_000] if r["time_end"] else None
        # An open side is a stub of STUB pixels off the known bound, inside the chart.
        first = last - STUB if first is None else first
        last = first + STUB if last is None else last
        assert left - 0.5 <= first and last <= right + 0.5, r["event_id"]
        x, x2 = drawn[r["event_id"]]
        if x == x2:  # a point: one day
            assert r["time_start"] == r["time_end"] and first - 0.5 <= x <= last + 0.5
        else:
            assert abs(x - first) < 0.5 and abs(x2 - last) < 0.5, (r["event_id"], x, x2)
    browser.screenshot("timeline-desktop")
    point = browser.driver.find_element(By.CSS_SELECTOR, "#chart path[aria-label^='event ']")
    target = point.get_attribute("aria-label")[6:]
    ActionChains(browser.driver).move_to_element(point).click().perform()
    WebDriverWait(browser.driver, 10).until(lambda d: "reader.html" in d.current_url)
    assert browser.driver.current_url.endswith(f"reader.html#events/{target}")
    assert browser.driver.find_elements(By.CSS_SELECTOR, "mark.ev.hl")
    browser.open("timeline.html", PHONE)
    assert browser.js("return document.documentElement.scrollWidth") <= PHONE[0]
    browser.screenshot("timeline-phone")


def test_the_network_has_one_node_per_actor(browser: Browser) -> None:
    browser.open("network.html")
    labels = browser.js(
        "return Array.from(document.querySelectorAll('#chart [aria-label^=\"actor \"]'))"
        ".map(e => e.getAttribute('aria-label').slice(6))"
    )
    assert sorted(labels) == sorted(r["actor_id"] for r in rows("actors"))
    browser.screenshot("network-desktop")
    browser.open("network.html", PHONE)
    assert browser.js("return document.documentElement.scrollWidth") <= PHONE[0]
    browser.screenshot("network-phone")


def test_the_index_and_reader_fit_a_phone(browser: Browser) -> None:
    for page in ("index.html", "reader.html"):
        browser.open(page, PHONE)
        assert browser.js("return document.documentElement.scrollWidth") <= PHONE[0], page
        browser.screenshot(f"{page.removesuffix('.html')}-phone")
        browser.open(page, DESKTOP)
        browser.screenshot(f"{page.removesuffix('.html')}-desktop")
