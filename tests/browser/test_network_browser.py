"""The "Our network" page in headless Chromium: upload a list, read the report, see the network
on the home page in the same browser session.

The list is the hand-made tests/fixtures/network_members.csv (real postcodes, and one problem of
each kind a member's spreadsheet has: a lower-case postcode, an unknown postcode, coordinates in
Manchester, swapped latitude and longitude, HTML in a name, an empty name).
Screenshots: artifacts/network_*.png (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from anchormap.data.build import load_layer
from anchormap.maps.overlay import TILE_HOSTS
from anchormap.network import lists as net
from tests.browser.conftest import external_requests, map_frame
from tests.browser.page_helpers import grid, grid_rows, marker_named, wait_idle
from tests.browser.test_community_browser import full_screenshot

pytestmark = pytest.mark.browser

MEMBERS = Path(__file__).resolve().parents[1] / "fixtures" / "network_members.csv"
NETWORK_MARKERS = """() => { let names = []; AnchorMap.map.eachLayer(l => {
    if (l.getLayers && l.options && l.options.maxClusterRadius !== undefined) l.getLayers().forEach(m => {
        if (m.options.icon && m.options.icon.options.className.includes('am-marker-network')) names.push(m); });
    }); return names.length; }"""


@pytest.fixture(scope="module")
def expected_network():
    """The package's reading of the list: (sites kept, report)."""
    return net.read_network_csv(MEMBERS.read_bytes(), MEMBERS.name, load_layer("postcodes"), load_layer("boroughs"))


NAV = ["Need and anchors", "Underserved areas", "Shared land", "Our network", "Your area (community)", "Place profile"]


@pytest.mark.parametrize("streamlit_server", [("app.py", {})], indirect=True)  # a server of its own, fresh
def test_a_shared_link_opened_first_after_a_restart_names_the_pages(streamlit_server, browser_page):
    page, _ = browser_page
    page.goto(streamlit_server.url + "Our_network")
    page.get_by_role("heading", name="Our network", exact=True).wait_for(timeout=120_000)
    wait_idle(page)
    names = [a.inner_text().strip() for a in page.locator("[data-testid='stSidebarNav'] a").all()]
    assert names == NAV


def test_upload_a_list_then_see_it_on_the_home_map(streamlit_server, browser_page, expected_network):
    page, requests = browser_page
    sites, report = expected_network
    page.goto(streamlit_server.url + "Our_network")
    page.get_by_role("heading", name="Our network", exact=True).wait_for(timeout=120_000)
    wait_idle(page)
    page.get_by_text("No network chosen yet.").wait_for(timeout=30_000)

    page.get_by_role("tab", name="Upload our own list").click()
    page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(MEMBERS))
    page.get_by_role("button", name="Use this file").click()

    # the report: one line of counts, then one row per finding (Row, Column, Problem, What was done, Kind)
    summary = page.locator("[data-testid='stAlert']").filter(has_text=MEMBERS.name)
    summary.wait_for(timeout=60_000)
    assert summary.inner_text().strip() == report.summary()
    assert f"{len(sites)} kept" in summary.inner_text()
    findings = page.locator("[data-testid='stDataFrame']").filter(has=page.locator("th", has_text="Problem"))
    assert grid_rows(findings) == len(report.frame())
    rows = grid(findings, until=lambda rows: len(rows) == len(report.frame()))
    problems = " | ".join(r["Problem"] for r in rows)
    assert "ZZ99 9ZZ is not in the Greater London postcode list" in problems
    assert "outside Greater London" in problems and "look swapped" in problems

    # the network now: every kept site, the HTML name shown as typed
    page.get_by_text(f"{len(sites)} site(s): uploaded file {MEMBERS.name}.").wait_for(timeout=30_000)
    now = page.locator("[data-testid='stDataFrame']").filter(has=page.locator("th", has_text="Organisation"))
    kept = grid(now, until=lambda rows: len(rows) == len(sites))
    assert sorted(r["Name"] for r in kept) == sorted(sites["name"])
    assert "<img src=x onerror=alert(1)>" in [r["Name"] for r in kept]
    full_screenshot(page, "network_uploaded")

    # the home page in the same session (the sidebar link, not a new page load) shows the network
    page.locator("[data-testid='stSidebarNav'] a").first.click()
    toggle = page.get_by_text(f"Our network ({len(sites)} sites)")
    toggle.wait_for(timeout=120_000)
    frame = map_frame(page, timeout_ms=120_000)
    frame.wait_for_function(f"() => ({NETWORK_MARKERS})() === {len(sites)}", timeout=60_000)
    assert f"Our network ({len(sites)})" in frame.locator(".am-legend").inner_text()
    # zoomed in on a member (Catford Library, typed as 'se64ru'), its marker names it
    catford = sites[sites["name"] == "Catford Library"].iloc[0]
    marker_named(frame, float(catford["lat"]), float(catford["lon"]), "Catford Library", ".am-marker-network")
    wait_idle(page)
    full_screenshot(page, "network_on_home")

    # switching the layer off takes the network off the map
    toggle.click()
    frame.wait_for_function(f"() => ({NETWORK_MARKERS})() === 0", timeout=60_000)
    assert "Our network" not in frame.locator(".am-legend").inner_text()

    # the Underserved areas page can count our network only (same session, by the sidebar)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Underserved areas").click()
    page.get_by_role("heading", name="Underserved areas").wait_for(timeout=120_000)
    wait_idle(page)
    page.get_by_text("Our network only", exact=True).click()
    explanation = page.locator("[data-testid='stAlert']").filter(has_text="gap score = need × scarcity")
    explanation.filter(has_text="our network").wait_for(timeout=60_000)
    wait_idle(page)
    circles = map_frame(page).evaluate(
        "() => { const out = []; AnchorMap.map.eachLayer(l => { if (l instanceof L.Circle) out.push(l); }); "
        "return out.length; }"
    )
    assert 0 < circles <= len(sites)  # only our sites' catchments are drawn
    full_screenshot(page, "network_underserved")
    assert page.dialogs == []
    assert external_requests(requests, allowed_hosts=TILE_HOSTS) == []
