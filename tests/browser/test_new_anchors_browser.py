"""The 2016 jobcentres and the council headquarters as a person sees them on the home page, in
headless Chromium: their own marker shapes in the key, and pop-ups that date the jobcentres."""

from __future__ import annotations

import re

import pytest

from anchormap.categories import CATEGORIES
from anchormap.data.build import load_layer
from anchormap.data.fact_dates import OLD_WORDS
from tests.browser.conftest import map_frame, screenshot
from tests.browser.page_helpers import wait_idle

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1400, "height": 900}

# Every marker of a kind (by its label), with the text of the pop-up the map script builds for it.
POPUPS_OF = """(label) => {
  const out = [], seen = new Set();  // a marker is reached through the map and through its cluster group
  const visit = (layer) => {
    if (layer instanceof L.Marker && layer.amKind && layer.amKind.label === label && layer.getPopup()
        && !seen.has(L.stamp(layer))) {
      seen.add(L.stamp(layer));
      const content = layer.getPopup()._content;
      const node = typeof content === 'function' ? content(layer) : content;
      out.push(node.textContent);
    }
    if (layer.getLayers) layer.getLayers().forEach(visit);
  };
  AnchorMap.map.eachLayer(visit);
  return out;
}"""

KEY_ROW = """(label) => {
  const row = [...document.querySelectorAll('.am-legend .am-row')].find(r => r.textContent.startsWith(label));
  if (!row) return null;
  const mark = row.querySelector('[data-am-shape]');
  return {text: row.textContent, shape: mark.getAttribute('data-am-shape'), svg: mark.innerHTML};
}"""


def test_jobcentres_and_council_headquarters_on_the_home_page(streamlit_server, new_page, mirror):
    anchors = load_layer("anchors")
    jobs = CATEGORIES["jobcentres"]
    page, _ = new_page(LAPTOP)
    page.goto(streamlit_server.url + "?cat_jobcentres=1")
    frame = map_frame(page)
    wait_idle(page)
    frame.wait_for_function("() => document.querySelectorAll('.am-marker, .marker-cluster').length > 0", timeout=60_000)
    for key in ("jobcentres", "council_civic"):
        cat = CATEGORIES[key]
        row = frame.evaluate(KEY_ROW, cat.label)
        assert row is not None, key
        assert row["text"] == f"{cat.label} ({int((anchors['category'] == key).sum()):,})"
        assert row["shape"] == cat.shape and "<svg" in row["svg"] and cat.colour.lower() in row["svg"].lower()
    popups = frame.evaluate(POPUPS_OF, jobs.label)
    assert len(popups) == int((anchors["category"] == "jobcentres").sum())
    for text in popups:
        assert "December 2016" in text and OLD_WORDS in text, text
        assert not re.search(r"_|\bNone\b|\bnan\b", text), text
    approximate = [t for t in popups if "placed at the middle of its postcode sector" in t]
    assert len(approximate) == int(
        anchors.loc[anchors["category"] == "jobcentres", "provenance"].str.contains("fallback").sum()
    )
    civic = frame.evaluate(POPUPS_OF, CATEGORIES["council_civic"].label)
    assert any(t.startswith("City Hall (The Crystal)") and "Greater London Authority" in t for t in civic)
    assert sum("placed approximately" in t for t in civic) == int(
        anchors.loc[anchors["category"] == "council_civic", "provenance"].str.contains("approximate").sum()
    )
    screenshot(page, "home-jobcentres-and-council-headquarters")
