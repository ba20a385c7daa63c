"""The app started as ``bash dev app`` starts it (``python -m anchormap.ui.serve``: prepared before
it opens): its first visitor gets the whole map, like a visitor to ``streamlit run app.py``."""

from __future__ import annotations

import pytest

from anchormap.data.build import load_layer
from tests.browser.conftest import map_frame
from tests.browser.page_helpers import wait_idle

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("streamlit_server", ["anchormap.ui.serve"], indirect=True)
def test_the_first_visitor_to_a_prepared_server_gets_the_whole_map(streamlit_server, browser_page):
    page, _requests = browser_page
    page.goto(streamlit_server.url)
    frame = map_frame(page)
    wait_idle(page)
    drawn = frame.evaluate("() => AnchorMap.drawn()")
    areas = [a for a in drawn["areas"] if a["on"]]
    assert sorted(a["c"] for a in areas) == sorted(load_layer("lsoa_2021")["lsoa_code"])
    assert frame.locator(".am-marker, .marker-cluster").count() > 10
    assert "are ready" in streamlit_server.log.read_text(errors="replace")  # it was prepared first
