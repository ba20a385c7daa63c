"""A map people can read, in headless Chromium: the key's size, clusters, the searched place,
every pop-up's words, the phone link and a projector's height.

Sizes are measured on the page as drawn (bounding boxes in CSS pixels), at a laptop's
1400x900 and a phone's 375x812; pop-ups are built by the map script itself for one marker of
every kind on every map page and read as text.
"""

from __future__ import annotations

import re

import pytest

from anchormap.categories import CATEGORIES
from tests.browser.conftest import map_frame, screenshot
from tests.browser.page_helpers import wait_idle, wait_popup

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1400, "height": 900}
PHONE = {"width": 375, "height": 812}
PROJECTOR = {"width": 1920, "height": 1200}
BAD = re.compile(r"_|\bNone\b|\bnan\b|\b[Ii]d\b|Source record|AnchorMap")

KEY_SHARE = """() => {
  const m = AnchorMap.map.getContainer().getBoundingClientRect();
  const k = document.querySelector('.am-legend').getBoundingClientRect();
  return {share: (k.width * k.height) / (m.width * m.height), open: !document.querySelector('.am-legend-body').hidden};
}"""

# One marker of every kind (a category of a layer, or the layer itself when it has one style),
# with the text of the pop-up the map script builds for it.
POPUPS = """() => {
  const seen = {}, out = [];
  const visit = (layer, owner) => {
    if (layer instanceof L.Marker && layer.getPopup && layer.getPopup()) {
      const kind = (owner || '') + '|' + ((layer.amKind && layer.amKind.label) || '');
      if (seen[kind]) return;
      seen[kind] = true;
      const popup = layer.getPopup(), content = popup._content;
      const node = typeof content === 'function' ? content(layer) : content;
      out.push({kind, text: node.textContent, rows: [...node.querySelectorAll('th')].map(th => th.textContent)});
    }
    if (layer.getLayers) layer.getLayers().forEach(l => visit(l, layer._leaflet_id));
  };
  AnchorMap.map.eachLayer(l => visit(l, null));
  return out;
}"""


def open_map(new_page, url: str, viewport: dict):
    page, _ = new_page(viewport)
    page.goto(url)
    frame = map_frame(page)
    wait_idle(page)
    return page, frame


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
@pytest.mark.parametrize("where", ["", "Underserved_areas?site=E14+2DG", "Shared_land", "Community?postcode=E14+2DG"])
def test_the_key_never_covers_more_than_a_tenth_of_the_map(streamlit_server, new_page, viewport, where):
    page, frame = open_map(new_page, streamlit_server.url + where, viewport)
    first = frame.evaluate(KEY_SHARE)
    assert first["open"] is (viewport is LAPTOP)  # folded on a phone, open on a laptop
    assert first["share"] <= 0.1, first
    frame.get_by_role("button", name=re.compile("key")).click()  # fold it, or open it on a phone
    changed = frame.evaluate(KEY_SHARE)
    assert changed["open"] is not first["open"]
    assert changed["share"] <= 0.1, changed
    assert frame.evaluate(KEY_SHARE)["share"] > 0  # it is there to measure
    screenshot(page, f"key-{where.split('?')[0] or 'home'}-{viewport['width']}")


def test_clusters_show_the_kinds_inside_them(streamlit_server, new_page):
    page, frame = open_map(new_page, streamlit_server.url, LAPTOP)
    frame.wait_for_selector(".am-cluster", timeout=60_000)
    clusters = frame.evaluate("""() => [...document.querySelectorAll('.am-cluster')].map(c => ({
        kinds: JSON.parse(c.getAttribute('data-am-kinds')), label: c.getAttribute('aria-label'),
        background: getComputedStyle(c).backgroundImage, count: +c.textContent}))""")
    assert len(clusters) > 10
    colours = {c.colour.lower() for c in CATEGORIES.values()}
    mixed = [c for c in clusters if len(c["kinds"]) > 1]
    assert mixed, "at London zoom some clusters hold more than one kind"
    for c in clusters:
        assert sum(n for _, _, n in c["kinds"]) == c["count"]
        assert "conic-gradient" in c["background"]
        for label, colour, n in c["kinds"]:
            assert colour.lower() in colours
            assert f"{n} {label}" in c["label"]
    assert any(len({colour for _, colour, _ in c["kinds"]}) > 1 for c in mixed)


def test_the_searched_place_stands_out_with_a_white_ring_and_shadow(streamlit_server, new_page):
    page, frame = open_map(new_page, streamlit_server.url + "Community?postcode=E14+2DG", LAPTOP)
    pin = frame.locator(".am-marker-emphasis").first
    pin.wait_for(timeout=60_000)
    look = pin.evaluate("""m => { const g = m.querySelector('svg g'), svg = m.querySelector('svg');
        return {stroke: g.getAttribute('stroke'), width: +g.getAttribute('stroke-width'),
                filter: getComputedStyle(svg).filter, size: svg.getBoundingClientRect().width}; }""")
    assert look["stroke"] == "#ffffff" and look["width"] >= 2
    assert "drop-shadow" in look["filter"]
    normal = frame.locator(".am-marker:not(.am-marker-emphasis) svg").first.bounding_box()
    assert look["size"] > normal["width"]  # larger than any anchor's marker
    pin.click()
    wait_popup(frame)
    assert frame.locator(".leaflet-popup-content").inner_text().startswith("You searched: E14 2DG")


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("", {"Kind", "Source and date"}),
        ("Shared_land", {"Status", "Source and date"}),
        ("Community?postcode=E14+2DG", {"Kind", "Source and date"}),
        ("Underserved_areas?site=E14+2DG&site_name=Poplar+hub", set()),
    ],
)
def test_every_popup_kind_on_every_map_page_reads_as_words(streamlit_server, new_page, where, expected):
    page, frame = open_map(new_page, streamlit_server.url + where, LAPTOP)
    frame.wait_for_function("() => document.querySelectorAll('.am-marker, .marker-cluster').length > 0", timeout=60_000)
    popups = frame.evaluate(POPUPS)
    assert popups
    for p in popups:
        assert not BAD.search(" ".join(p["rows"])), p
        for row in p["rows"]:
            assert row.strip()
        words = p["text"]
        assert "None" not in words.split() and "Source record" not in words and "AnchorMap id" not in words, p
    assert expected <= {row for p in popups for row in p["rows"]}
    if "Underserved" in where:  # the proposed site: a star marker of its own
        assert any(p["text"].startswith("Proposed: Poplar hub") for p in popups)
    # and one opened for real, as a person clicks it
    marker = frame.locator(".am-marker").first
    marker.click()
    wait_popup(frame)
    shown = frame.locator(".leaflet-popup-content").inner_text()
    assert shown and not re.search(r"\bNone\b|Source record|AnchorMap id|_", shown), shown


def test_a_phone_link_opens_your_area_in_the_phone_layout(streamlit_server, new_page):
    page, frame = open_map(new_page, streamlit_server.url + "Community?postcode=E14+2DG&phone=1", PHONE)
    card = page.locator(".am-card").first
    card.wait_for(timeout=60_000)
    iframe = page.locator("iframe[title*='st_folium']")
    assert card.bounding_box()["y"] < iframe.bounding_box()["y"]  # the summary first, the map below
    assert float(page.evaluate("getComputedStyle(document.documentElement).fontSize")[:-2]) >= 20
    # the page offers the same link for phones, and keeps the layout in its own address
    assert "phone=1" in page.url
    assert page.locator(".am-share a").filter(has_text="phone=1").count() == 1
    screenshot(page, "community-phone-link")


def test_on_a_projector_the_map_takes_the_screens_height(streamlit_server, new_page):
    page, frame = open_map(new_page, streamlit_server.url, PROJECTOR)
    iframe = page.locator("iframe[title*='st_folium']").bounding_box()
    assert iframe["height"] >= PROJECTOR["height"] - 130
    inner = frame.evaluate("() => AnchorMap.map.getContainer().getBoundingClientRect().height")
    assert abs(inner - iframe["height"]) <= 4  # the Leaflet map fills the taller frame
    laptop, _ = open_map(new_page, streamlit_server.url, LAPTOP)
    assert laptop.locator("iframe[title*='st_folium']").bounding_box()["height"] == pytest.approx(640, abs=2)
