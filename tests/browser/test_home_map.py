"""The home page in headless Chromium: map drawn offline, measure/borough changes, escaping."""

from __future__ import annotations

import inspect
import re

import pytest

from anchormap.data.build import load_layer
from anchormap.editions import edition_label
from anchormap.maps.overlay import TILE_HOSTS, base_map
from tests.browser.conftest import external_requests, map_frame, screenshot
from tests.browser.page_helpers import drawn, drawn_on_map, wait_areas, wait_idle, wait_map, wait_popup

pytestmark = pytest.mark.browser


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit selectbox labelled ``label``."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)  # the list is virtualised: filter it so the option is drawn
    page.get_by_role("option", name=option, exact=True).first.click()


def count(frame, selector: str) -> int:
    return frame.locator(selector).count()


def test_map_draws_lsoas_outlines_and_markers_with_no_request_off_the_machine(streamlit_server, browser_page):
    page, requests = browser_page
    page.goto(streamlit_server.url)
    frame = map_frame(page)
    wait_areas(frame)
    frame.wait_for_function("() => document.querySelectorAll('.am-marker, .marker-cluster').length > 0", timeout=60_000)
    wait_idle(page)

    shown = drawn(frame)
    areas = [p for p in shown["areas"] if p["on"]]
    outlines = [p for p in shown["outlines"] if p["on"]]
    lsoas = load_layer("lsoa_2021")  # the home page opens on 2025
    assert len(areas) == len(lsoas)
    assert {p["c"] for p in areas} == set(lsoas["lsoa_code"])
    assert {p["c"] for p in outlines} == set(load_layer("boroughs")["borough_code"])
    assert len(outlines) == len(load_layer("boroughs"))
    assert {p["renderer"] for p in areas + outlines} == {shown["renderer"]}  # all drawn by the map's renderer
    assert shown["renderer"] == inspect.signature(base_map).parameters["renderer"].default
    assert count(frame, ".am-marker") + count(frame, ".marker-cluster") > 10
    # choropleth coloured with the decile palette, darkest (decile 1) and lightest (decile 10) present
    fills = {p["fill"] for p in areas}
    assert "#440154" in fills and "#fde725" in fills
    assert "#cccccc" not in fills  # none left in the unstyled grey
    assert {p["weight"] for p in outlines} == {1.6}  # no borough chosen: none drawn thicker
    legend = frame.locator(".am-legend").inner_text()
    assert "Index of Multiple Deprivation (overall): decile in England" in legend
    assert "Hospitals and NHS trusts" in legend

    # a real hover over London shows an area's name and its decile in words
    box = frame.locator(".leaflet-container").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.5)
    frame.wait_for_selector(".leaflet-tooltip", timeout=10_000)
    assert re.search(r"deprived areas in England|no data", frame.locator(".leaflet-tooltip").inner_text())
    # the tooltip of a decile-1 area says so in words
    text = frame.evaluate("""() => {
        let t = null; const spec = AnchorMap.state.spec.choropleth;
        AnchorMap.areas.eachLayer(l => { if (!t && spec.deciles[l.amIndex] === 1) t = l; });
        t.fire('mouseover', {latlng: t.getBounds().getCenter()}, true);
        return [...document.querySelectorAll('.leaflet-tooltip')].map(e => e.innerText).join(' | ');
    }""")
    assert "among the 10% most deprived areas in England" in text

    shot = screenshot(page, "home_map")
    assert shot.stat().st_size > 50_000
    leaving = external_requests(requests, allowed_hosts=TILE_HOSTS)
    assert leaving == [], f"requests left the machine: {leaving[:5]}"
    assert any("/app/static/anchormap/vendor/leaflet.js" in r for r in requests)


def test_changing_measure_restyles_the_same_map_without_resending_geometry(streamlit_server, browser_page):
    page, requests = browser_page
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    page.goto(streamlit_server.url)
    frame = map_frame(page)
    wait_areas(frame)
    wait_idle(page)
    frame.evaluate("() => { window.__probe = 'same map'; }")
    before = [p["fill"] for p in drawn_on_map(frame)]
    received.clear()

    choose(page, "Measure of need", "Income")
    frame.wait_for_function(
        "() => document.querySelector('.am-legend') && document.querySelector('.am-legend').innerText.includes('Income: decile')",
        timeout=30_000,
    )
    wait_idle(page)
    after = [p["fill"] for p in drawn_on_map(frame)]

    assert frame.evaluate("() => window.__probe") == "same map", "the map was rebuilt"
    assert len(after) == len(before) == len(load_layer("lsoa_2021"))
    assert after != before, "the areas were not restyled"
    geometry_fetches = [r for r in requests if re.search(r"/data/lsoa_2025\.[0-9a-f]+\.json", r)]
    assert len(geometry_fetches) == 1, geometry_fetches
    # the rerun sent the new classes and legend, not the ~0.9 MB geometry
    assert 0 < sum(received) < 200_000, sum(received)


def test_changing_edition_swaps_the_areas_in_the_same_map(streamlit_server, browser_page):
    page, requests = browser_page
    page.goto(streamlit_server.url)
    frame = map_frame(page)
    wait_areas(frame)
    wait_idle(page)
    frame.evaluate("() => { window.__probe = 'same map'; }")
    assert {p["c"] for p in drawn_on_map(frame)} == set(load_layer("lsoa_2021")["lsoa_code"])

    edition = page.get_by_role("radiogroup", name="Edition")
    edition.get_by_text(edition_label(2019)).click()
    frame.wait_for_function("() => AnchorMap.areas && AnchorMap.areas.amEdition === 2019", timeout=30_000)
    wait_idle(page)
    assert frame.evaluate("() => window.__probe") == "same map", "the map was rebuilt"
    shown = drawn(frame)
    areas = [p for p in shown["areas"] if p["on"]]
    assert {p["c"] for p in areas} == set(load_layer("lsoa_2011")["lsoa_code"])  # 2019: LSOA 2011
    assert len(areas) == len(load_layer("lsoa_2011")) and len(shown["areas"]) == len(areas)  # the 2021 ones are off
    fills = {p["fill"] for p in areas}
    assert "#440154" in fills and "#fde725" in fills and "#cccccc" not in fills
    assert "Index of Multiple Deprivation (overall): decile in England" in frame.locator(".am-legend").inner_text()

    edition.get_by_text(edition_label(2025)).click()
    frame.wait_for_function("() => AnchorMap.areas && AnchorMap.areas.amEdition === 2025", timeout=30_000)
    wait_idle(page)
    assert frame.evaluate("() => window.__probe") == "same map"
    assert {p["c"] for p in drawn_on_map(frame)} == set(load_layer("lsoa_2021")["lsoa_code"])
    for year in (2019, 2025):  # each edition's geometry fetched once, then kept
        fetched = [r for r in requests if re.search(rf"/data/lsoa_{year}\.[0-9a-f]+\.json", r)]
        assert len(fetched) == 1, fetched


def test_borough_filter_zooms_in_and_outlines_the_borough(streamlit_server, browser_page):
    page, _ = browser_page
    page.goto(streamlit_server.url)
    frame = map_frame(page)
    wait_areas(frame, outlines=True)
    wait_idle(page)
    zoom_before = frame.evaluate("() => AnchorMap.map.getZoom()")
    from tests.browser.test_place_browser import choose_place

    choose_place(page, "Boroughs", "Hackney")
    frame.wait_for_function("() => AnchorMap.state.fitKey === 'borough:E09000012|2025'", timeout=30_000)
    wait_map(frame)
    assert frame.evaluate("() => AnchorMap.map.getZoom()") > zoom_before
    centre = frame.evaluate("() => { const c = AnchorMap.map.getCenter(); return [c.lat, c.lng]; }")
    assert 51.52 < centre[0] < 51.58 and -0.11 < centre[1] < -0.02  # Hackney
    thick = [p["c"] for p in drawn_on_map(frame, "outlines") if p["weight"] == 4]
    assert thick == ["E09000012"]  # Hackney's outline, and only it, drawn thicker
    assert len(drawn_on_map(frame, "outlines")) == len(load_layer("boroughs"))
    assert "In Hackney," in page.locator("[data-testid='stMarkdownContainer']").all_inner_texts().__str__()
    screenshot(page, "home_map_hackney")


@pytest.mark.parametrize("streamlit_server", ["tests/browser/hostile_network_app.py"], indirect=True)
def test_hostile_names_show_as_text_and_run_nothing(streamlit_server, browser_page):
    page, requests = browser_page
    page.goto(streamlit_server.url)
    frame = map_frame(page)
    marker = frame.locator(".am-marker-network")
    marker.wait_for(timeout=60_000)
    marker.first.hover()
    tip = frame.locator(".leaflet-tooltip").filter(has_text="onerror")
    tip.wait_for(timeout=10_000)
    assert "<img src=x onerror=alert(1)>" in tip.inner_text()
    marker.first.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    for payload in (
        "<img src=x onerror=alert(1)>",
        "<script>alert(2)</script>",
        '<a href="javascript:alert(3)">Trust</a>',
        "</script><script>alert(6)</script>",
        '1 "Quoted" Road, <b>London</b>',
    ):
        assert payload in text, payload
    # the row's source id is never printed (pop-ups name a dataset in words), nor run below
    assert "<svg" not in text and "alert(4)" not in text
    wait_popup(frame)
    screenshot(page, "home_map_hostile_popup")
    for where in (page, frame):
        assert where.locator("img[src='x'], svg[onload], a[href^='javascript'], b:text('London')").count() == 0
    assert page.dialogs == [], page.dialogs
    assert external_requests(requests, allowed_hosts=TILE_HOSTS) == []
    assert "Our network (1)" in frame.locator(".am-legend").inner_text()
