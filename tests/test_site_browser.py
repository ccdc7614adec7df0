"""The site in a real browser: Debian's headless Chromium driven by Selenium, from file://.

Every page load fails the test on any console error. Screenshots at desktop (1440 x 900) and phone
(390 x 844) width are saved under artifacts/screenshots/ (git-ignored), and what the tests measure
(axe-core's violations by impact, page weights, key presses and taps for the reader's tasks) under
artifacts/site-report.json. axe-core comes from tests/js/node_modules (`make tools` runs `npm ci`);
it is injected into each page, so nothing is fetched. Without /usr/bin/chromium and
/usr/bin/chromedriver (Debian's `chromium` and `chromium-driver`; `.ci/run` installs them) the
tests are skipped with a message saying so.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from memo724.contract import Contract
from memo724.contract.paths import REPO
from memo724.publication.site.figures.timeline import STUB
from memo724.publication.site.marks import DEFAULT_LAYERS

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = REPO.root / "artifacts" / "screenshots"
REPORT = REPO.root / "artifacts" / "site-report.json"
AXE = REPO.root / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = (1440, 900)
PHONE = (390, 844)
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}

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

    def active(self, selector: str) -> bool:
        return bool(self.js("return document.activeElement.matches(arguments[0])", selector))

    def tab_until(self, selector: str, limit: int = 400) -> int:
        """Press Tab until the focused element matches selector; how many presses it took."""
        for presses in range(1, limit + 1):
            self.driver.switch_to.active_element.send_keys(Keys.TAB)
            if self.active(selector):
                return presses
        raise AssertionError(f"{selector} not reached in {limit} Tab presses")

    def overflow(self) -> list[str]:
        """What does not fit the window: the page scrolling sideways, or an element cut off
        inside a sideways scroller."""
        return list(
            self.js(
                "const out = [], w = window.innerWidth;"
                " if (document.documentElement.scrollWidth > w) out.push('page ' +"
                " document.documentElement.scrollWidth);"
                " document.querySelectorAll('body *').forEach(e => {"
                " const s = getComputedStyle(e);"
                " if (['auto', 'scroll'].includes(s.overflowX)"
                " && e.scrollWidth > e.clientWidth + 1)"
                " out.push((e.id || e.className || e.tagName) + ' ' + e.scrollWidth + '>' +"
                " e.clientWidth); }); return out;"
            )
        )

    def axe(self) -> dict[str, list[str]]:
        """axe-core's violations on the page: impact -> rule ids (with how many nodes)."""
        self.js(AXE.read_text(encoding="utf-8"))
        found = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            " axe.run(document, {resultTypes: ['violations'], preload: false})"
            ".then(r => done(r.violations.map(v => [v.impact, v.id, v.nodes.length,"
            " v.nodes.slice(0, 3).map(n => n.target.join(' '))])),"
            " e => done([['error', String(e), 0, []]]));"
        )
        out: dict[str, list[str]] = {}
        for impact, rule, nodes, where in found:
            out.setdefault(impact or "none", []).append(f"{rule} ({nodes}: {', '.join(where)})")
        return out

    def weight(self) -> int:
        """Bytes of the page and every file it loaded (stylesheet, scripts, images), from disk."""
        urls = self.js(
            "return [location.href.split('#')[0], ...Array.from(document.querySelectorAll("
            "'link[rel=stylesheet][href], script[src], img[src]')).map(e => e.href || e.src)]"
        )
        paths = {Path(unquote(urlparse(u).path)) for u in urls if u.startswith("file:")}
        return sum(p.stat().st_size for p in paths if p.is_file())


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
    driver.set_script_timeout(120)
    try:
        yield Browser(driver, site_release / "site")
        assert [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"] == []
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_every_evidence_row_is_one_marked_span_reachable_by_keyboard(browser: Browser) -> None:
    browser.open("reader.html")
    # The reader opens on its default layers: their marks, and only theirs, are tab stops.
    marked = browser.js(
        "return Array.from(document.querySelectorAll('article mark.ev[tabindex=\"0\"]'))"
        ".map(m => m.dataset.ev)"
    )
    assert sorted(marked) == sorted(
        r["evidence_id"] for r in rows("evidence") if record_table(r) in DEFAULT_LAYERS
    )
    # Every layer switched on: every evidence row is one tab stop.
    for box in browser.driver.find_elements(By.CSS_SELECTOR, "#layers input:not(:checked)"):
        box.click()
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
    browser.open("reader.html")
    browser.tab_until("article mark.ev")
    focused = browser.driver.switch_to.active_element
    evid = focused.get_attribute("data-ev")
    focused.send_keys(Keys.SPACE)
    listed = browser.js(
        "return Array.from(document.querySelectorAll('#selection li')).map(l => l.dataset.record)"
    )
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
        ".map(d => [d.dataset.field, d.textContent])"
    )
    row = next(r for r in rows("events") if r["event_id"] == event)
    # Every filled field but the key (the heading names the record), each value as the table has
    # it: the events table points to no other table, so no value is replaced by a name.
    assert fields == [[f, v] for f, v in row.items() if v and f != "event_id"]
    browser.screenshot("reader-deep-link-desktop")
    # Following a link inside the panel opens the other record without reloading the page, and
    # focus stays in the panel, on the new record's heading.
    browser.driver.find_element(By.CSS_SELECTOR, "#panel a[href^='#actors/']").click()
    assert browser.driver.current_url.split("#")[1].startswith("actors/")
    assert browser.driver.find_elements(By.CSS_SELECTOR, "mark.ev.hl")
    assert browser.active("#panel h2")
    browser.open(f"reader.html#events/{event}", PHONE)
    assert browser.overflow() == []
    assert browser.driver.find_element(By.ID, "panel").is_displayed()
    # The panel covers the lower half of a phone's screen, never the quote it points to.
    covered = browser.js(
        "const q = document.querySelector('mark.ev.hl').getBoundingClientRect();"
        " const p = document.getElementById('panel').getBoundingClientRect();"
        " return [q.top, q.bottom, p.top];"
    )
    assert covered[0] >= 0 and covered[1] <= covered[2], covered
    browser.screenshot("reader-deep-link-phone")


def test_marks_differ_by_pattern_not_only_by_colour(browser: Browser) -> None:
    browser.open("reader.html")
    patterns = browser.js(
        "return Array.from(document.querySelectorAll('.legend .ev.sample')).map(m => {"
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


MEASURED: dict[str, Any] = {}


def report(section: str, key: str, value: Any) -> None:
    """Keep a measurement for artifacts/site-report.json (rewritten after each one)."""
    MEASURED.setdefault(section, {})[key] = value
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    old = json.loads(REPORT.read_text(encoding="utf-8")) if REPORT.is_file() else {}
    for name, values in MEASURED.items():
        old.setdefault(name, {}).update(values)
    REPORT.write_text(json.dumps(old, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def profile_pages() -> list[str]:
    return [f"actors/{r['actor_id']}.html" for r in rows("actors")] + [
        f"events/{r['event_id']}.html" for r in rows("events")
    ]


SERIOUS = ("serious", "critical")


def check_pages(browser: Browser, pages: list[str], shots: set[str]) -> list[str]:
    """Open each page at both widths: what does not fit, and axe's serious or critical findings."""
    problems = []
    for width, size in WIDTHS.items():
        for name in pages:
            browser.open(name, size)
            if name in shots:
                browser.screenshot(f"{name.removesuffix('.html').replace('/', '-')}-{width}")
            violations = browser.axe()
            report("axe", f"{name} {width}", {k: len(v) for k, v in violations.items()})
            report("weight", f"{name} {width}", browser.weight())
            problems += [f"{name} at {width}: does not fit: {o}" for o in browser.overflow()]
            problems += [
                f"{name} at {width}: axe {impact}: {v}"
                for impact in SERIOUS
                for v in violations.get(impact, [])
            ]
    return problems


def test_every_page_but_the_charts_fits_a_phone_and_passes_axe(browser: Browser) -> None:
    """The overview, the reader, the profiles list and every profile, at 390 and 1440 px: no
    sideways scroll and nothing cut off in a scroller; axe-core finds nothing serious or worse."""
    assert AXE.is_file(), "axe-core is missing: run `make tools` (npm ci in tests/js)"
    pages = ["index.html", "reader.html", "profiles.html", *profile_pages()]
    shots = {
        "index.html",
        "reader.html",
        "profiles.html",
        "actors/russia.html",
        "actors/taliban.html",
    }
    shots.add(f"events/{rows('events')[0]['event_id']}.html")
    assert check_pages(browser, pages, shots) == []


def test_the_chart_pages_fit_a_phone_and_pass_axe(browser: Browser) -> None:
    assert AXE.is_file(), "axe-core is missing: run `make tools` (npm ci in tests/js)"
    assert check_pages(browser, ["timeline.html", "network.html"], set()) == []


def test_a_layer_switch_draws_or_hides_its_kind_of_record(browser: Browser) -> None:
    browser.open("reader.html")
    drawn = (
        "return Array.from(document.querySelectorAll('article mark.ev')).filter(m =>"
        " m.dataset.t === arguments[0] && getComputedStyle(m).backgroundImage !== 'none').length"
    )
    spans = {t: sum(1 for r in rows("evidence") if record_table(r) == t) for t in SUBJECTS}
    hidden = next(t for t in SUBJECTS if t not in DEFAULT_LAYERS and spans[t])
    shown = DEFAULT_LAYERS[0]
    assert browser.js(drawn, hidden) == 0 and browser.js(drawn, shown) >= spans[shown]
    # Every passage opens at the normal line height: no underline stack pushes the lines apart.
    heights = browser.js(
        "return Array.from(document.querySelectorAll('article p.passage')).map(p =>"
        " parseFloat(getComputedStyle(p).lineHeight) / parseFloat(getComputedStyle(p).fontSize))"
    )
    assert max(heights) <= 1.61, max(heights)
    browser.driver.find_element(By.CSS_SELECTOR, f"#layers input[value='{hidden}']").click()
    assert browser.js(drawn, hidden) >= spans[hidden]
    assert (
        browser.js(
            "return document.querySelectorAll('article mark.ev[data-t=\"' + arguments[0] +"
            ' \'"][tabindex="0"]\').length',
            hidden,
        )
        == spans[hidden]
    )
    browser.screenshot("reader-two-layers-desktop")
    browser.driver.find_element(By.CSS_SELECTOR, f"#layers input[value='{shown}']").click()
    assert browser.js(drawn, shown) == 0 and browser.js(drawn, hidden) >= spans[hidden]


def test_the_search_lists_every_passage_and_record_with_the_words(browser: Browser) -> None:
    browser.open("reader.html", PHONE)
    words = "Taliban"
    box = browser.driver.find_element(By.ID, "q")
    box.send_keys(words, Keys.ENTER)
    passages = browser.js(
        "return Array.from(document.querySelectorAll('#hits-passages a')).map(a => a.textContent)"
    )
    assert passages == [
        p["passage_id"] for p in rows("passages") if words.lower() in p["text"].lower()
    ]
    records = browser.js(
        "return Array.from(document.querySelectorAll('#hits-records li'))"
        ".map(l => l.dataset.record)"
    )
    expected = []
    for table, column in (("events", "summary"), ("actors", "name"), ("risks", "summary")):
        key = TABLE_KEYS[table]
        expected += [f"{table}/{r[key]}" for r in rows(table) if words.lower() in r[column].lower()]
    assert set(expected) <= set(records) and len(records) > len(expected) > 10
    # Each record hit names the passage of its first quote (a row with no quote, none).
    where = browser.js(
        "return Object.fromEntries(Array.from(document.querySelectorAll('#hits-records li'))"
        ".map(l => [l.dataset.record, l.querySelector('.where')?.textContent.trim() ?? null]))"
    )
    first: dict[str, tuple[int, str]] = {}
    for r in rows("evidence"):
        key = f"{record_table(r)}/{record_id(r)}"
        first[key] = min(
            first.get(key, (int(r["start"]), r["passage_id"])), (int(r["start"]), r["passage_id"])
        )
    assert where == {k: first[k][1] if k in first else None for k in records}
    assert browser.active("#panel h2")
    browser.screenshot("reader-search-phone")
    # A hit takes the reader to its passage.
    browser.driver.find_element(By.CSS_SELECTOR, "#hits-passages a").click()
    assert browser.active("article .passage")
    assert browser.overflow() == []


TABLE_KEYS = {"events": "event_id", "actors": "actor_id", "risks": "risk_id"}


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_keyboard_reaches_a_spans_records_and_comes_back(browser: Browser, width: str) -> None:
    browser.open("reader.html", WIDTHS[width])
    to_span = browser.tab_until("article mark.ev")
    span = browser.driver.switch_to.active_element
    span.send_keys(Keys.ENTER)
    assert browser.active("#panel h2")
    to_records = browser.tab_until("#selection a")
    assert to_records <= 10
    report(
        "keys",
        f"open the records behind a quote {width}",
        {
            "tab presses from the page's start to the first span": to_span,
            "then": "Enter (focus moves to the records)",
            "tab presses from the records' heading to the first record": to_records,
        },
    )
    report("taps", f"open the records behind a quote {width}", 1)
    # Escape closes the panel and gives focus back to the span.
    browser.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert browser.driver.switch_to.active_element == span
    assert not browser.js("return document.getElementById('panel').classList.contains('open')")
    assert browser.driver.find_elements(By.CSS_SELECTOR, "mark.ev.sel") == []
    # So does the close button.
    span.send_keys(Keys.ENTER)
    browser.driver.find_element(By.CSS_SELECTOR, "#panel button.close").send_keys(Keys.ENTER)
    assert browser.driver.switch_to.active_element == span
    # A skip link leads from the text to the records.
    skip = browser.driver.find_element(By.ID, "to-records")
    assert skip.get_attribute("href").endswith("#panel")
    browser.js("arguments[0].focus()", skip)
    skip.send_keys(Keys.ENTER)
    assert browser.active("#panel, #panel *")


def visible(browser: Browser, element: Any) -> bool:
    return bool(
        browser.js(
            "const r = arguments[0].getBoundingClientRect();"
            " return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;",
            element,
        )
    )


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_russia_profile_answers_whom_and_when_without_the_network(
    browser: Browser, width: str
) -> None:
    size = WIDTHS[width]
    # By taps: the site's menu, then Russia, then the part of the page that answers.
    browser.open("index.html", size)
    taps = 0
    for selector in ("nav a[href$='profiles.html']", "a[href='actors/russia.html']"):
        browser.driver.find_element(By.CSS_SELECTOR, selector).click()
        taps += 1
    assert browser.driver.current_url.endswith("actors/russia.html")
    assert browser.errors() == []
    browser.driver.find_element(By.CSS_SELECTOR, ".toc a[href='#relations']").click()
    relations = browser.driver.find_element(By.ID, "relations-h")
    assert visible(browser, relations)
    report("taps", f"list whom Russia cooperates with {width}", taps + 1)
    cooperates = [
        r["relation_id"]
        for r in rows("relations")
        if r["subject_actor_id"] == "russia" and r["relation_type"] == "cooperates-with"
    ]
    listed = browser.js(
        "return Array.from(document.querySelectorAll('#relations li.item'))"
        ".map(l => l.dataset.record)"
    )
    assert {f"relations/{r}" for r in cooperates} <= set(listed)
    browser.screenshot(f"russia-relations-{width}")
    browser.driver.find_element(By.CSS_SELECTOR, ".toc a[href='#counterparts']").click()
    taliban = browser.driver.find_element(
        By.XPATH, "//table[@class='counterparts']//tr[th/a[@href='../actors/taliban.html']]"
    )
    assert visible(browser, taliban)
    report(
        "taps", f"find Russia's first contact with the Taliban after the takeover {width}", taps + 1
    )
    browser.screenshot(f"russia-counterparts-{width}")
    # By keyboard, from the start of the overview.
    browser.open("index.html", size)
    keys = browser.tab_until("nav a[href$='profiles.html']") + 1
    browser.driver.switch_to.active_element.send_keys(Keys.ENTER)
    keys += browser.tab_until("a[href='actors/russia.html']") + 1
    browser.driver.switch_to.active_element.send_keys(Keys.ENTER)
    to_relations = browser.tab_until(".toc a[href='#relations']") + 1
    to_counterparts = browser.tab_until(".toc a[href='#counterparts']") + 1
    report("keys", f"list whom Russia cooperates with {width}", keys + to_relations)
    report(
        "keys",
        f"find Russia's first contact with the Taliban after the takeover {width}",
        keys + to_relations + to_counterparts,
    )
    # A quote in a profile opens the reader on that quote, its records listed.
    browser.open("actors/russia.html", size)
    quote = browser.driver.find_element(By.CSS_SELECTOR, "#relations .pquotes a")
    evid = quote.get_attribute("href").rsplit("#ev-", 1)[1]
    quote.click()
    assert browser.driver.current_url.endswith(f"reader.html#ev-{evid}")
    record = next(r for r in rows("evidence") if r["evidence_id"] == evid)
    listed = browser.js(
        "return Array.from(document.querySelectorAll('#selection li')).map(l => l.dataset.record)"
    )
    assert listed[0] == f"{record_table(record)}/{record_id(record)}"
    mark = browser.driver.find_element(By.ID, f"ev-{evid}")
    assert visible(browser, mark)
    assert browser.overflow() == []


def test_an_actor_highlights_every_mention_not_one_per_spelling(browser: Browser) -> None:
    browser.open("reader.html#actors/russia")
    mentions = browser.js(
        "return Array.from(document.querySelectorAll('.mn.hl')).map(m => m.textContent)"
    )
    quotes = [r["exact"] for r in rows("evidence") if r["actor_id"] == "russia"]
    assert len(mentions) > 4 * len(quotes)
    assert set(mentions) == set(quotes)


def test_a_tap_low_on_a_phone_screen_opens_records_that_leave_the_span_in_view(
    browser: Browser,
) -> None:
    browser.open("reader.html", PHONE)
    mark = browser.driver.find_element(By.CSS_SELECTOR, "article mark.ev:not(.off)")
    # Put the span near the bottom of the screen, where the panel is about to open.
    browser.js(
        "const r = arguments[0].getBoundingClientRect();"
        " window.scrollBy(0, r.top - window.innerHeight + r.height + 40);",
        mark,
    )
    ActionChains(browser.driver).move_to_element(mark).click().perform()
    assert browser.driver.find_element(By.ID, "panel").is_displayed()
    assert browser.driver.find_elements(By.CSS_SELECTOR, "#selection li")
    span, top = browser.js(
        "const r = arguments[0].getBoundingClientRect();"
        " const p = document.getElementById('panel').getBoundingClientRect();"
        " return [[r.top, r.bottom], p.top];",
        mark,
    )
    assert span[0] >= 0 and span[1] <= top, (span, top)
    browser.screenshot("reader-tap-phone")
