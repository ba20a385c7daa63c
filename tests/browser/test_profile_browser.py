"""In headless Chromium: the Place profile page as a person opens a shared link to it.

Two boroughs side by side: the page names both, shows their figures beside London's, keeps the
places in the address bar, and its PDF download is the A4 report of the same places.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.page_helpers import download, grid, wait_idle

pytestmark = pytest.mark.browser


def test_a_compare_link_shows_both_boroughs_and_prints_them(streamlit_server, browser_page):
    page, _requests = browser_page
    page.goto(streamlit_server.url + "Place_profile?area=borough:E09000023&compare=borough:E09000022&edition=2019")
    page.get_by_role("heading", name=re.compile("Lewisham compared with Lambeth")).wait_for(timeout=180_000)
    wait_idle(page, 180)
    assert "Place profile" in [a.inner_text().strip() for a in page.locator("[data-testid='stSidebarNav'] a").all()]
    residents = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']").get_by_text("Residents", exact=True)
    )
    shown = [v.strip() for v in residents.locator("[data-testid='stMetricValue']").all_inner_texts()]
    assert shown == ["294,999", "320,015"]  # Lewisham, Lambeth: IoD2019's mid-2015 denominators
    people = grid(page.locator("[data-testid='stDataFrame']").first, until=lambda rows: len(rows) >= 5)
    assert {"Figure", "Lewisham", "Lambeth", "London", "England"} <= set(people[0])
    assert "area=borough%3AE09000023" in page.url or "area=borough:E09000023" in page.url
    assert "compare=borough" in page.url
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "Traceback" not in text and "None" not in text.split() and "Open Government Licence" in text
    name, data = download(page, "Printable report (PDF, A4)")
    assert name.endswith("-2019.pdf") and data.startswith(b"%PDF")
    assert re.search(rb"/MediaBox \[\s*0 0 595\.\d+ 841\.\d+\s*\]", data)
