"""Choices survive the sidebar (issue 9), in headless Chromium on a real server: choose 2025 and
Newham on the home page, go to Shared land, come back: still 2025 and Newham, and the link says
so. Screenshots: artifacts/shared_choices_*.png (git-ignored).
"""

from __future__ import annotations

import pytest

from anchormap.editions import edition_label
from anchormap.maps import geometry
from tests.browser.conftest import map_frame, screenshot
from tests.browser.page_helpers import wait_idle
from tests.browser.test_place_browser import choose_place

pytestmark = pytest.mark.browser


def open_in_sidebar(page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a", has_text=title).click()
    wait_idle(page)


@pytest.mark.parametrize("streamlit_server", ["app.py"], indirect=True)
def test_edition_and_borough_survive_the_sidebar(streamlit_server, browser_page):
    page, _ = browser_page
    newham = next(code for code, name in geometry.borough_names().items() if name == "Newham")
    page.goto(streamlit_server.url + "?edition=2019")  # start elsewhere, so choosing 2025 is a change
    map_frame(page, timeout_ms=90_000)
    wait_idle(page)
    page.get_by_role("radiogroup", name="Edition").get_by_text(edition_label(2025)).click()
    wait_idle(page)
    choose_place(page, "Boroughs", "Newham")
    page.get_by_role("heading", name="Index of Multiple Deprivation (overall), 2025: Newham").wait_for(timeout=60_000)

    open_in_sidebar(page, "Shared land")
    page.get_by_role("heading", name="Shared land").wait_for(timeout=90_000)
    land_edition = page.get_by_role("radiogroup", name="Deprivation edition")
    assert land_edition.get_by_role("radio", name="2025").is_checked()
    map_frame(page, timeout_ms=90_000)
    wait_idle(page)
    screenshot(page, "shared_choices_land")

    open_in_sidebar(page, "Need and anchors")
    page.get_by_role("heading", name="Index of Multiple Deprivation (overall), 2025: Newham").wait_for(timeout=90_000)
    edition = page.get_by_role("radiogroup", name="Edition")
    assert edition.get_by_role("radio", name=edition_label(2025)).is_checked()
    # the heading above is drawn from the place chooser's value: Newham
    page.wait_for_function(f"() => window.location.search.includes('area=borough%3A{newham}')", timeout=30_000)
    assert "edition=" not in page.url  # 2025 is the default: left out of the link
    frame = map_frame(page, timeout_ms=90_000)
    frame.wait_for_function(f"() => AnchorMap.state.fitKey === 'borough:{newham}|2025'", timeout=60_000)
    wait_idle(page)
    screenshot(page, "shared_choices_home")
