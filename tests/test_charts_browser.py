"""The timeline and the network in a real browser, at a phone's and a desktop's width.

They fit (no sideways scroll, no part of a chart hidden), answer a keyboard and a tap, highlight a
selected actor's neighbours, and axe-core finds nothing serious. Full-page screenshots at both
widths go to artifacts/screenshots/ (git-ignored). The browser and its fixture are those of
tests/test_site_browser.py, which skips with its reason when Chromium is missing.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from memo724.contract.paths import REPO

# The site's browser tests: their Chromium fixture, and their skip (with its reason) when Chromium
# or Selenium is missing, which this module then shares.
site_browser = pytest.importorskip("test_site_browser")
from selenium.webdriver.common.actions.action_builder import ActionBuilder  # noqa: E402
from selenium.webdriver.common.actions.interaction import POINTER_TOUCH  # noqa: E402
from selenium.webdriver.common.actions.pointer_input import PointerInput  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

Browser = site_browser.Browser
browser = site_browser.browser  # the fixture, one Chromium for this module
SCREENSHOTS = site_browser.SCREENSHOTS
PHONE = (390, 844)
WIDE = (1440, 900)
CHARTS = ("timeline", "network")
AXE = REPO.root / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"

# The share of the chart's drawing a reader cannot see without scrolling sideways: the part of the
# SVG outside the viewport's width or outside any ancestor that clips or scrolls it.
HIDDEN_SHARE = """
const svg = document.querySelector('#chart svg');
const r = svg.getBoundingClientRect();
let [left, right, top, bottom] = [r.left, r.right, r.top, r.bottom];
for (let el = svg.parentElement; el; el = el.parentElement) {
  const s = getComputedStyle(el);
  const a = el.getBoundingClientRect();
  const inner = [a.left + el.clientLeft, a.left + el.clientLeft + el.clientWidth,
                 a.top + el.clientTop, a.top + el.clientTop + el.clientHeight];
  if (el !== document.documentElement && el !== document.body) {
    if (s.overflowX !== 'visible') {
      left = Math.max(left, inner[0]); right = Math.min(right, inner[1]);
    }
    if (s.overflowY !== 'visible') {
      top = Math.max(top, inner[2]); bottom = Math.min(bottom, inner[3]);
    }
  }
}
left = Math.max(left, 0);
right = Math.min(right, document.documentElement.clientWidth);
const seen = Math.max(0, right - left) * Math.max(0, bottom - top);
return 1 - seen / (r.width * r.height);
"""


def rows(table: str) -> list[dict[str, str]]:
    with REPO.table(table).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def full_screenshot(b: Browser, name: str) -> Path:
    """The whole page, not only the window (Chromium's DevTools capture beyond the viewport)."""
    size = b.js(
        "return [document.documentElement.clientWidth, document.documentElement.scrollHeight]"
    )
    shot = b.driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1},
        },
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def detail(b: Browser) -> str:
    return b.driver.find_element(By.ID, "chart-detail").text


def signal(b: Browser, name: str) -> Any:
    return b.js(f"return window.memo724Chart.signal('{name}')")


@pytest.mark.parametrize("size", [PHONE, WIDE], ids=["390px", "1440px"])
@pytest.mark.parametrize("chart", CHARTS)
def test_a_chart_fits_its_page_with_nothing_hidden(
    browser: Browser, chart: str, size: tuple[int, int]
) -> None:
    browser.open(f"{chart}.html", size)
    width = browser.js("return document.documentElement.clientWidth")
    assert browser.js("return document.documentElement.scrollWidth") <= width
    assert browser.js(HIDDEN_SHARE) == pytest.approx(0, abs=1e-6)
    # The drawing follows its box: as wide as the box's content, whatever the window's width.
    drawn, room = browser.js(
        "const h = document.getElementById('chart'); const s = getComputedStyle(h);"
        " return [h.querySelector('svg').getBoundingClientRect().width,"
        " h.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)];"
    )
    assert room - 2 <= drawn <= room + 0.5, (drawn, room)
    full_screenshot(browser, f"chart-{chart}-{size[0]}")


def test_the_fit_check_sees_a_chart_pushed_out_of_its_column(browser: Browser) -> None:
    """The check above fails when a chart regresses to a fixed width wider than a phone."""
    browser.open("timeline.html", PHONE)
    # A drawing of a fixed 900 px, as the charts were, in the box that scrolled sideways.
    browser.js(
        "const svg = document.querySelector('#chart svg');"
        " svg.style.width = '900px'; svg.style.maxWidth = 'none';"
        " document.getElementById('chart').style.overflowX = 'auto';"
    )
    assert browser.js(HIDDEN_SHARE) > 0.5


def test_the_keyboard_reaches_the_chart_walks_the_events_and_opens_one(browser: Browser) -> None:
    browser.open("timeline.html", WIDE)
    chart = browser.driver.find_element(By.ID, "chart")
    body = browser.driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(40):
        if browser.js("return document.activeElement.id") == "chart":
            break
        browser.driver.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.js("return document.activeElement.id") == "chart"
    order = json.loads(
        browser.driver.find_element(By.ID, "chart-items").get_attribute("textContent")
    )["items"]
    chart.send_keys(Keys.ARROW_RIGHT)
    assert signal(browser, "sel") == order[0]["id"]
    chart.send_keys(Keys.ARROW_RIGHT)
    second = order[1]
    assert signal(browser, "sel") == second["id"]
    text = detail(browser)
    assert second["label"] in text and second["id"] in text  # the words, and the id in the detail
    assert browser.driver.find_element(By.ID, "chart-detail").get_attribute("aria-live") == "polite"
    chart.send_keys(Keys.END)
    assert signal(browser, "sel") == order[-1]["id"]
    chart.send_keys(Keys.ESCAPE)
    assert signal(browser, "sel") == ""
    chart.send_keys(Keys.HOME, Keys.ENTER)
    WebDriverWait(browser.driver, 10).until(lambda d: "reader.html" in d.current_url)
    assert browser.driver.current_url.endswith(f"reader.html#events/{order[0]['id']}")


def tap(b: Browser, element: Any) -> None:
    touch = PointerInput(POINTER_TOUCH, "finger")
    actions = ActionBuilder(b.driver, mouse=touch)
    actions.pointer_action.move_to(element).pointer_down().pointer_up()
    actions.perform()


def test_a_tap_shows_what_a_hover_shows_and_a_second_tap_opens_it(browser: Browser) -> None:
    browser.open("timeline.html", PHONE)
    mark = browser.driver.find_element(By.CSS_SELECTOR, "#chart path[aria-label^='event ']")
    event = mark.get_attribute("aria-label")[6:]
    browser.js("arguments[0].scrollIntoView({block: 'center'})", mark)
    tap(browser, mark)
    assert "timeline.html" in browser.driver.current_url  # a first tap does not leave the page
    assert signal(browser, "sel") == event
    assert event in detail(browser)
    # The details are in the page's flow, inside the window's width: nothing opens off-screen.
    box = browser.js(
        "const r = document.getElementById('chart-detail').getBoundingClientRect();"
        " return [r.left, r.right];"
    )
    assert box[0] >= 0 and box[1] <= PHONE[0]
    tap(browser, mark)
    WebDriverWait(browser.driver, 10).until(lambda d: "reader.html" in d.current_url)
    assert browser.driver.current_url.endswith(f"reader.html#events/{event}")


def axis_labels(b: Browser) -> list[tuple[float, str, float]]:
    """The time axis's labels as drawn: (tick value, text, opacity; Vega hides by opacity 0)."""
    return b.js(
        "const out = [];"
        " (function walk(item) {"
        "   if (item.mark && item.mark.role === 'axis-label')"
        "     item.mark.items.forEach(t => out.push([t.datum.value, t.text,"
        "       t.opacity === undefined ? 1 : t.opacity]));"
        "   (item.items || []).forEach(walk);"
        " })(window.memo724Chart.scenegraph().root); return out;"
    )


@pytest.mark.parametrize("size", [PHONE, WIDE], ids=["390px", "1440px"])
def test_every_year_tick_prints_its_year_and_the_memo_month_is_shaded(
    browser: Browser, size: tuple[int, int]
) -> None:
    browser.open("timeline.html", size)
    labels = axis_labels(browser)
    assert len(labels) >= 6
    years = [(value, text) for value, text, _ in labels if _month(value) == 0]
    assert years and all(text == str(_year(value)) for value, text in years)
    assert all(opacity != 0 for _, _, opacity in labels)  # none dropped for overlapping
    # Drawn label boxes do not overlap each other.
    boxes = browser.js(
        "return Array.from(document.querySelectorAll('#chart .role-axis-label text'))"
        ".map(t => { const r = t.getBoundingClientRect(); return [r.left, r.right]; })"
        ".sort((a, b) => a[0] - b[0])"
    )
    assert all(b[0] >= a[1] for a, b in pairwise(boxes)), boxes
    memo = rows("documents")[0]
    assert str(_year_of(memo["date_start"])) in [text for _, text, _ in labels]
    band = browser.js(
        "const x = window.memo724Chart.scale('x');"
        " return [x(Date.parse(arguments[0] + 'T00:00:00Z')),"
        " x(Date.parse(arguments[1] + 'T00:00:00Z') + 864e5)];",
        memo["date_start"],
        memo["date_end"],
    )
    shaded = browser.js(
        "const out = [];"
        " (function walk(item) {"
        "   if (item.mark && item.mark.marktype === 'rect')"
        "     item.mark.items.forEach(r => out.push([r.x, r.x + r.width]));"
        "   (item.items || []).forEach(walk);"
        " })(window.memo724Chart.scenegraph().root); return out;"
    )
    assert any(abs(a - band[0]) < 0.5 and abs(b - band[1]) < 0.5 for a, b in shaded), shaded


def _month(ms: float) -> int:
    return (dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms)).month - 1


def _year(ms: float) -> int:
    return (dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms)).year


def _year_of(iso: str) -> int:
    return dt.date.fromisoformat(iso).year


def drawn_names(b: Browser) -> set[str]:
    return set(
        b.js(
            "return Array.from(document.querySelectorAll('#chart .mark-text text'))"
            ".map(t => t.textContent)"
        )
    )


def drawn_links(b: Browser) -> int:
    """Links drawn: the network's only rule marks."""
    return b.js("return document.querySelectorAll('#chart .mark-rule line').length")


def test_selecting_an_actor_names_its_neighbours_and_a_filter_keeps_one_link_type(
    browser: Browser,
) -> None:
    browser.open("network.html", WIDE)
    actors = {r["actor_id"]: r["name"] for r in rows("actors")}
    relations = rows("relations")
    # The actor in most standing relations, and the relation type it has most.
    counts: dict[str, int] = {}
    for r in relations:
        for a in (r["subject_actor_id"], r["object_actor_id"]):
            counts[a] = counts.get(a, 0) + 1
    actor = max(sorted(counts), key=lambda a: counts[a])
    items = json.loads(
        browser.driver.find_element(By.ID, "chart-items").get_attribute("textContent")
    )
    links = items["links"]
    near = {
        link["target"] if link["source"] == actor else link["source"]
        for link in links
        if actor in (link["source"], link["target"])
    }
    total = drawn_links(browser)
    assert total == len(links)
    before = drawn_names(browser)
    assert not {actors[n] for n in near} <= before  # not all named before the selection
    chart = browser.driver.find_element(By.ID, "chart")
    chart.send_keys(Keys.HOME)
    for _ in range([i["id"] for i in items["items"]].index(actor)):
        chart.send_keys(Keys.ARROW_RIGHT)
    assert signal(browser, "sel") == actor
    assert {actors[n] for n in near} | {actors[actor]} <= drawn_names(browser)
    text = detail(browser)
    assert all(actors[n] in text for n in near)
    full_screenshot(browser, "chart-network-selected-1440")
    # Only one relation type: that many links drawn, and the details list only those.
    kinds: dict[str, int] = {}
    for r in relations:
        if actor in (r["subject_actor_id"], r["object_actor_id"]):
            kinds[r["relation_type"]] = kinds.get(r["relation_type"], 0) + 1
    kind = max(sorted(kinds), key=lambda k: kinds[k])
    Select(browser.driver.find_element(By.ID, "relation-type")).select_by_value(kind)
    browser.js("return window.memo724Chart.runAsync().then(() => true)")
    assert drawn_links(browser) == sum(r["relation_type"] == kind for r in relations)
    assert signal(browser, "rel") == kind
    text = detail(browser)
    others = {r["relation_type"] for r in relations} - {kind}
    assert kind in text and not any(f"{o} " in text for o in others if o not in kind)
    browser.open("network.html", PHONE)
    full_screenshot(browser, "chart-network-390-default")


def run_axe(b: Browser) -> list[dict[str, Any]]:
    """axe-core's violations on the open page (no preload: it would fetch the stylesheets, which
    file:// refuses, for its one rule on orientation locks)."""
    b.js(AXE.read_text(encoding="utf-8") + "; return true;")
    result = b.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        " axe.run(document, {resultTypes: ['violations'], preload: false})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', nodes: [String(e)]}]));"
    )
    return list(result)


@pytest.mark.parametrize("size", [PHONE, WIDE], ids=["390px", "1440px"])
@pytest.mark.parametrize("chart", CHARTS)
def test_axe_finds_nothing_serious_or_critical(
    browser: Browser, chart: str, size: tuple[int, int]
) -> None:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed: {AXE} is missing (npm ci in tests/js)")
    browser.open(f"{chart}.html", size)
    browser.driver.set_script_timeout(60)
    violations = run_axe(browser)
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert bad == [], bad


def test_a_tap_beside_a_small_node_selects_it_and_its_details_stay_in_sight(
    browser: Browser,
) -> None:
    browser.open("network.html", PHONE)
    actors = {r["actor_id"]: r["name"] for r in rows("actors")}
    node = min(
        browser.driver.find_elements(By.CSS_SELECTOR, "#chart path[aria-label^='actor ']"),
        key=lambda e: e.size["width"],
    )
    actor = node.get_attribute("aria-label")[6:]
    browser.js("arguments[0].scrollIntoView({block: 'center'})", node)
    # A fingertip lands a few pixels off the smallest node (an unlabelled, less linked actor).
    touch = PointerInput(POINTER_TOUCH, "finger")
    actions = ActionBuilder(browser.driver, mouse=touch)
    actions.pointer_action.move_to(node, 6, 6).pointer_down().pointer_up()
    actions.perform()
    assert signal(browser, "sel") == actor
    assert "network.html" in browser.driver.current_url
    assert actors[actor] in detail(browser)
    box = browser.js(
        "const r = document.getElementById('chart-detail').getBoundingClientRect();"
        " return [r.top, r.bottom, window.innerHeight];"
    )
    assert 0 <= box[0] < box[1] <= box[2] + 0.5, box
    full_screenshot(browser, "chart-network-390-tapped")
