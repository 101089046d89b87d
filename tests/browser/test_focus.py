"""Focus outlines are at least 3:1 against what is around them (WCAG 2.2
1.4.11 non-text contrast; issue 27: the crisis strip's outline was 2.66:1).

The test moves focus with the keyboard (so :focus-visible applies) through
every tab stop of the home page, a program page with its inquiry form and an
article with a table, at 390 px. For each stop it reads the computed outline
and, at the middle of each side of the outline ring, the colour the browser
paints underneath (the first element under that point, other than the
focused one, with a background colour or gradient; every gradient stop
counts). Every stop needs a visible outline (style not none, 2 px or more)
whose WCAG contrast with each of those colours is at least 3."""

import re

import pytest
from django.core.cache import cache

from tests.directory.factories import ProgramFactory
from tests.portal.factories import MembershipFactory
from tools.demo import content as demo_content

pytestmark = pytest.mark.browser

MAX_TAB_STOPS = 150

# Reads the focused element's outline and the colours under its outline ring.
FOCUS_PROBE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const width = parseFloat(style.outlineWidth) || 0;
  const offset = parseFloat(style.outlineOffset) || 0;
  const box = el.getBoundingClientRect();
  const d = offset + width / 2;
  const points = [
    [box.left - d, box.top + box.height / 2], [box.right + d, box.top + box.height / 2],
    [box.left + box.width / 2, box.top - d], [box.left + box.width / 2, box.bottom + d],
  ];
  const colours = [];
  for (const [x, y] of points) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    let found = null;
    for (const under of document.elementsFromPoint(x, y)) {
      if (offset >= 0 && (under === el || el.contains(under))) continue;
      const s = getComputedStyle(under);
      const stops = s.backgroundImage.match(/rgba?\\([^)]*\\)/g);
      if (stops) { found = stops; break; }
      const rgba = s.backgroundColor.match(/[\\d.]+/g).map(Number);
      if (rgba.length < 4 || rgba[3] > 0) { found = [s.backgroundColor]; break; }
    }
    colours.push(...(found || ["rgb(255, 255, 255)"]));
  }
  const region = el.closest(".crisis-strip") ? "crisis strip"
    : el.closest(".site-header") ? "header"
    : el.closest(".site-footer") ? "footer"
    : el.closest("main") ? "main" : "other";
  const kind = el.tagName.toLowerCase() + (el.type ? "[" + el.type + "]" : "")
    + (el.classList.length ? "." + el.classList[0] : "");
  return {
    region, kind, text: (el.innerText || el.value || el.name || "").trim().slice(0, 40),
    focusVisible: el.matches(":focus-visible"), outlineStyle: style.outlineStyle,
    outlineColor: style.outlineColor, width, colours,
    key: el.tagName + "|" + (el.id || "") + "|" + (el.getAttribute("href") || "") + "|" + (el.name || "")
      + "|" + (el.value || "") + "|" + Math.round(box.top + scrollY) + "|" + Math.round(box.left),
  };
}"""


def rgb(colour: str) -> tuple[float, float, float]:
    values = [float(v) for v in re.findall(r"[\d.]+", colour)]
    return values[0], values[1], values[2]


def luminance(colour: str) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_wcag():
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    # The figure: the old outline colour on the crisis strip.
    assert round(contrast("rgb(194, 65, 12)", "rgb(59, 29, 94)"), 2) == 2.66


def tab_through(page) -> list[dict]:
    """Every tab stop of the page once, in order."""
    page.locator("body").click(position={"x": 1, "y": 1})  # start from the top of the page
    page.evaluate("document.activeElement && document.activeElement.blur()")
    stops, seen = [], set()
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_PROBE)
        if stop is None or stop["key"] in seen:
            break
        seen.add(stop["key"])
        stops.append(stop)
    return stops


@pytest.mark.django_db(transaction=True)
def test_focus_outlines_are_3_to_1_against_every_background(live_server, page):
    cache.clear()
    demo_content.load()
    program = ProgramFactory(
        name="Harbor Recovery (Sample)", zip_code="10001", phone="(212) 555-0101", is_sample=True,
        inquiry_email="intake@example.org", organization=MembershipFactory().organization,
    )  # fmt: skip
    pages = ["/", program.get_absolute_url(), "/learn/medications-compared/"]
    stops = []
    for path in pages:
        page.goto(live_server.url + path)
        stops += [stop | {"page": path} for stop in tab_through(page)]

    failures, lowest = [], {}
    for stop in stops:
        ratios = [contrast(stop["outlineColor"], colour) for colour in stop["colours"]]
        ratio = min(ratios) if ratios else 0
        group = (stop["region"], stop["kind"])
        lowest[group] = min(lowest.get(group, 99), ratio)
        if not stop["focusVisible"] or stop["outlineStyle"] == "none" or stop["width"] < 2 or ratio < 3:
            failures.append((stop["page"], group, stop["text"], stop["outlineColor"], stop["colours"], ratio))
    assert not failures, failures
    regions = {region for region, _ in lowest}
    assert {"crisis strip", "header", "main", "footer"} <= regions, lowest
    kinds = {kind for _, kind in lowest}
    assert any(kind.startswith("button") for kind in kinds), kinds  # search submit, send inquiry
    assert "div.table-wrap" in kinds, kinds  # the article's scrollable table
