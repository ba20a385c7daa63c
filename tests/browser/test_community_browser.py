"""The community page in headless Chromium: phone and projector sizes, shared links, escaping.

Screenshots go to artifacts/community_*.png (git-ignored).
"""

from __future__ import annotations

import pytest

from anchormap.geo.place_search import search_place
from anchormap.maps.overlay import TILE_HOSTS
from tests.browser.conftest import external_requests, map_frame, screenshot
from tests.browser.page_helpers import wait_idle

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
PROJECTOR = {"width": 1920, "height": 1080}


def wait_for_place(page, label: str):
    """The map frame once the page shows ``label`` and the map has zoomed there."""
    page.get_by_role("heading", name=label).wait_for(timeout=90_000)
    frame = map_frame(page, timeout_ms=90_000)
    frame.wait_for_function("() => window.AnchorMap && AnchorMap.state && AnchorMap.state.fitKey", timeout=60_000)
    frame.wait_for_selector(".am-marker-searched", timeout=60_000)
    wait_idle(page)
    return frame


def map_view(frame) -> dict:
    return frame.evaluate("""() => { const c = AnchorMap.map.getCenter(), b = AnchorMap.map.getBounds();
        return {lat: c.lat, lon: c.lng, zoom: AnchorMap.map.getZoom(),
                south: b.getSouth(), west: b.getWest(), north: b.getNorth(), east: b.getEast()}; }""")


def full_screenshot(page, name: str):
    """Screenshot of the whole page: Streamlit scrolls inside its main container, so the
    viewport is stretched to the container's height for the picture, then put back."""
    size = page.viewport_size
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " m.scrollTop = 0; return m.scrollHeight; }"
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height))})
    wait_idle(page)
    try:
        return screenshot(page, name)
    finally:
        page.set_viewport_size(size)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("streamlit_server", ["app.py"], indirect=True)
def test_phone_shared_link(streamlit_server, new_page):
    page, requests = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(streamlit_server.url + "Community?postcode=SE6%204RU")
    frame = wait_for_place(page, "SE6 4RU")
    place = search_place("SE6 4RU")

    view = map_view(frame)
    assert view["south"] < place.lat < view["north"] and view["west"] < place.lon < view["east"]
    assert view["zoom"] >= 13
    card = page.locator("section.am-card").first
    assert "Overall, this neighbourhood is among the 10% most deprived areas in England." in card.inner_text()
    assert page.get_by_label("Postcode or place name").input_value() == "SE6 4RU"
    assert no_sideways_scroll(page)
    # large type: body text at least 16 px, the headline bigger
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.am-card li')).fontSize)")
    headline = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.am-headline')).fontSize)")
    assert size >= 16 and headline >= 19
    # on a phone the card comes below the map, both the full width of the screen
    map_box = page.locator("iframe[title*='st_folium']").bounding_box()
    card_box = card.bounding_box()
    assert card_box["y"] > map_box["y"] + map_box["height"] - 1
    assert map_box["width"] > 300 and card_box["width"] > 300
    # a phone fetches only the edition it shows, not the other one ahead of a change (no prefetch)
    page.wait_for_timeout(3000)  # longer than the home map waits before prefetching (AM.PREFETCH_AFTER_MS)
    assert frame.evaluate("() => AnchorMap.PREFETCH") is False
    assert {u.rsplit("/", 1)[-1].split(".")[0] for u in requests if "/data/lsoa_" in u} == {"lsoa_2025"}
    full_screenshot(page, "community_phone")
    assert external_requests(requests, allowed_hosts=TILE_HOSTS) == []


@pytest.mark.parametrize("streamlit_server", ["app.py"], indirect=True)
def test_projector_search_by_keyboard(streamlit_server, new_page):
    page, requests = new_page(PROJECTOR)
    page.goto(streamlit_server.url + "Community")
    box = page.get_by_label("Postcode or place name")
    box.wait_for(timeout=90_000)
    wait_idle(page)
    # keyboard only: Tab until the search box has focus, type, press Enter
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(
            "() => document.activeElement && document.activeElement.getAttribute('aria-label')"
            " === 'Postcode or place name'"
        ):
            break
    else:
        pytest.fail("the search box cannot be reached with the Tab key")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth")
    assert outline and float(outline.replace("px", "")) >= 3  # a visible focus ring
    page.keyboard.type("se64ru")
    page.keyboard.press("Enter")
    frame = wait_for_place(page, "SE6 4RU")
    assert "postcode=SE6+4RU" in page.url or "postcode=SE6%204RU" in page.url
    # map and card side by side on a wide screen
    map_box = page.locator("iframe[title*='st_folium']").bounding_box()
    card_box = page.locator("section.am-card").first.bounding_box()
    assert card_box["x"] > map_box["x"] + map_box["width"] - 1
    assert abs(card_box["y"] - map_box["y"]) < 200
    assert no_sideways_scroll(page)
    legend = frame.locator(".am-legend").inner_text()
    assert "The place you searched" in legend
    # take it home: both downloads arrive as real files
    for label, magic in (("Download a picture (PNG)", b"\x89PNG"), ("Download a printable page (PDF)", b"%PDF")):
        with page.expect_download(timeout=120_000) as info:
            page.get_by_role("button", name=label).click()
        path = info.value.path()
        data = open(path, "rb").read()
        assert data.startswith(magic) and len(data) > 20_000, label
        assert info.value.suggested_filename.startswith("anchormap-se6-4ru")
    full_screenshot(page, "community_projector")
    assert external_requests(requests, allowed_hosts=TILE_HOSTS) == []


@pytest.mark.parametrize("streamlit_server", ["app.py"], indirect=True)
def test_shared_link_restores_the_same_view(streamlit_server, new_page):
    page, _ = new_page(PROJECTOR)
    link = "Community?postcode=SE6%204RU&edition=2019&measure=income&cats=libraries%2Cschools&walk=10"
    page.goto(streamlit_server.url + link)
    frame = wait_for_place(page, "SE6 4RU")
    card = "\n".join(page.locator("section.am-card").all_inner_texts())
    assert "Indices of Deprivation 2019" in card and "within 10 minutes' walk" in card
    assert "Income: decile in England" in frame.locator(".am-legend").inner_text()
    assert "Libraries" in frame.locator(".am-legend").inner_text()
    assert "Hospitals and NHS trusts" not in frame.locator(".am-legend").inner_text()
    # the address still holds the whole state (nothing lost on load)
    for part in ("postcode=SE6", "edition=2019", "measure=income", "cats=libraries%2Cschools", "walk=10"):
        assert part in page.url
    place = search_place("SE6 4RU", 2019)
    view = map_view(frame)
    assert view["south"] < place.lat < view["north"] and view["west"] < place.lon < view["east"]
    # the link shown on the page opens the same view
    links = page.locator(".am-share a")  # the view's link, then the same view for a phone
    shown = links.first.inner_text().strip()
    assert "postcode=SE6+4RU" in shown and "edition=2019" in shown and "measure=income" in shown
    assert "phone=1" not in shown and links.nth(1).inner_text().strip() == shown + "&phone=1"
    assert [links.nth(i).get_attribute("href") for i in range(2)] == [shown, shown + "&phone=1"]
    full_screenshot(page, "community_shared_link")


@pytest.mark.parametrize("streamlit_server", ["app.py"], indirect=True)
def test_html_in_the_search_is_text(streamlit_server, new_page):
    page, _ = new_page(PHONE, is_mobile=True, has_touch=True)
    attack = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    page.goto(streamlit_server.url + "Community")
    box = page.get_by_label("Postcode or place name")
    box.wait_for(timeout=90_000)
    box.fill(attack)
    box.press("Enter")
    page.locator(".am-notice", has_text="Searches can only use").wait_for(timeout=60_000)
    assert box.input_value() == attack  # shown as the text typed
    assert page.dialogs == []
    assert page.locator("img[src='x']").count() == 0
    full_screenshot(page, "community_phone_html")
    # the same through a link
    page.goto(streamlit_server.url + "Community?place=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    page.locator(".am-notice").first.wait_for(timeout=60_000)
    wait_idle(page)
    assert page.dialogs == [] and page.locator("img[src='x']").count() == 0
