"""Page names, shared links and the map key in headless Chromium, at phone and projector sizes.

Screenshots go to artifacts/ (git-ignored): home_phone.png, home_projector.png,
map_key_phone_closed.png, map_key_phone_open.png.
"""

from __future__ import annotations

import pytest

from anchormap.geo.place_search import search_place
from anchormap.maps import geometry
from anchormap.maps import overlay as mapping
from tests.browser.conftest import ARTIFACTS, external_requests, map_frame
from tests.browser.test_community_browser import (
    PHONE,
    PROJECTOR,
    full_screenshot,
    map_view,
    no_sideways_scroll,
    wait_for_place,
    wait_idle,
)

pytestmark = pytest.mark.browser

NAV = {
    "Need and anchors": "",
    "Underserved areas": "Underserved_areas",
    "Shared land": "Shared_land",
    "Our network": "Our_network",
    "Your area (community)": "Community",
    "Place profile": "Place_profile",
}


def _boxes_overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def _key(frame) -> dict:
    """The map key's state: its button's text and aria-expanded, whether its body shows, its box."""
    return frame.evaluate("""() => { const b = document.querySelector('.am-legend-toggle'),
        body = document.querySelector('.am-legend-body'), r = document.querySelector('.am-legend').getBoundingClientRect();
        return {text: b.textContent, expanded: b.getAttribute('aria-expanded'), shown: !body.hidden && body.offsetHeight > 0,
                box: {x: r.x, y: r.y, width: r.width, height: r.height}}; }""")


def _box(frame, selector: str) -> dict:
    return frame.evaluate(f"""() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();
        return {{x: r.x, y: r.y, width: r.width, height: r.height}}; }}""")


@pytest.mark.parametrize("streamlit_server", ["app.py"], indirect=True)
def test_sidebar_names_the_pages_and_keeps_their_addresses(streamlit_server, new_page):
    page, _ = new_page(PROJECTOR)
    page.goto(streamlit_server.url)
    page.get_by_role("heading", name="Need and anchors").wait_for(timeout=90_000)
    wait_idle(page)
    nav = page.locator("[data-testid='stSidebarNav'] a")
    links = {a.inner_text().strip(): a.get_attribute("href") for a in nav.all()}
    assert list(links) == list(NAV)
    for title, path in NAV.items():
        assert links[title].rstrip("/") == (streamlit_server.url + path).rstrip("/"), title
    assert page.get_by_role("heading", name="Need and anchors").count() == 1
    # the old addresses still open their pages
    page.goto(streamlit_server.url + "Community")
    page.get_by_role("heading", name="Your area").wait_for(timeout=90_000)


@pytest.mark.parametrize("streamlit_server", ["app.py"], indirect=True)
def test_home_link_opens_the_same_view_on_a_projector(streamlit_server, new_page):
    page, requests = new_page(PROJECTOR)
    hackney = next(code for code, name in geometry.borough_names().items() if name == "Hackney")
    # an old link's borough= opens as the place area=borough:CODE
    page.goto(streamlit_server.url + f"?edition=2025&measure=income&borough={hackney}&cat_primary_care=1")
    frame = map_frame(page, timeout_ms=90_000)
    frame.wait_for_function(
        f"() => window.AnchorMap && AnchorMap.state.fitKey === 'borough:{hackney}|2025'", timeout=60_000
    )
    wait_idle(page)
    assert page.get_by_role("heading", name="Income, 2025: Hackney").count() == 1
    s, w, n, e = geometry.borough_bounds()[hackney]
    view = map_view(frame)
    assert view["south"] < (s + n) / 2 < view["north"] and view["west"] < (w + e) / 2 < view["east"]
    key = _key(frame)
    assert key["expanded"] == "true" and key["shown"]  # a wide map shows its key
    legend = frame.locator(".am-legend-body").inner_text()
    assert "Income: decile in England" in legend and "GP practices" in legend
    assert no_sideways_scroll(page)
    full_screenshot(page, "home_projector")
    assert external_requests(requests, allowed_hosts=mapping.TILE_HOSTS) == []


@pytest.mark.parametrize("streamlit_server", ["app.py"], indirect=True)
def test_home_on_a_phone_folds_the_key(streamlit_server, new_page):
    page, _ = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(streamlit_server.url + "?measure=health")
    frame = map_frame(page, timeout_ms=90_000)
    frame.wait_for_selector(".am-legend-toggle", timeout=60_000)
    wait_idle(page)
    key = _key(frame)
    assert key["expanded"] == "false" and not key["shown"] and key["text"].startswith("Show key")
    assert key["box"]["height"] < 60
    assert no_sideways_scroll(page)
    full_screenshot(page, "home_phone")


@pytest.mark.parametrize("streamlit_server", ["app.py"], indirect=True)
def test_phone_key_folds_away_from_the_searched_pin_and_opens_by_keyboard(streamlit_server, new_page):
    page, _ = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(streamlit_server.url + "Community?postcode=SE6%204RU")
    frame = wait_for_place(page, "SE6 4RU")
    key = _key(frame)
    assert key["expanded"] == "false" and not key["shown"]
    pin = _box(frame, ".am-marker-searched")
    assert not _boxes_overlap(pin, key["box"])  # the searched place is not hidden
    # Leaflet's attribution no longer runs over the scale bar
    assert not _boxes_overlap(_box(frame, ".leaflet-control-attribution"), _box(frame, ".leaflet-control-scale"))
    iframe = page.locator("iframe[title*='st_folium']")
    ARTIFACTS.mkdir(exist_ok=True)
    iframe.screenshot(path=str(ARTIFACTS / "map_key_phone_closed.png"))

    # keyboard: focus the button, Enter opens the key, Space closes it again
    frame.locator(".am-legend-toggle").focus()
    page.keyboard.press("Enter")
    key = _key(frame)
    assert key["expanded"] == "true" and key["shown"] and key["text"].startswith("Hide key")
    assert "The place you searched" in frame.locator(".am-legend-body").inner_text()
    iframe.screenshot(path=str(ARTIFACTS / "map_key_phone_open.png"))
    page.keyboard.press("Space")
    assert _key(frame)["expanded"] == "false"
    # the person's choice survives a rerun of the page (a new measure restyles the map)
    page.keyboard.press("Enter")
    page.get_by_text("Map options").click()
    wait_idle(page)  # no rerun in flight: it would close the list as it opens
    measure = page.get_by_role("combobox", name="Colour the map by")
    measure.wait_for(timeout=10_000)
    measure.click()  # Playwright waits until it stands still (the expander opens with an animation)
    page.get_by_role("option", name="Income", exact=True).first.click(timeout=10_000)
    wait_idle(page)
    frame.wait_for_function(
        "() => document.querySelector('.am-legend-body').innerText.includes('Income')", timeout=60_000
    )
    assert _key(frame)["expanded"] == "true"


@pytest.mark.parametrize("streamlit_server", ["app.py"], indirect=True)
def test_community_share_box_after_typing_a_search(streamlit_server, new_page):
    page, _ = new_page(PROJECTOR)
    page.goto(streamlit_server.url + "Community")
    box = page.get_by_label("Postcode or place name")
    box.wait_for(timeout=90_000)
    box.fill("se64ru")
    box.press("Enter")
    wait_for_place(page, "SE6 4RU")
    links = page.locator(".am-share a")
    shown = links.first.inner_text().strip()
    assert shown == streamlit_server.url + "Community?postcode=SE6+4RU" == links.first.get_attribute("href")
    assert links.nth(1).inner_text().strip() == shown + "&phone=1"
    assert search_place("SE6 4RU").label == "SE6 4RU"
    # the link in the box opens the same place in a fresh page
    fresh, _ = new_page(PROJECTOR)
    fresh.goto(shown)
    wait_for_place(fresh, "SE6 4RU")
    full_screenshot(page, "community_projector_typed")
