"""The home page's "Change 2019 → 2025" view in headless Chromium: what a person sees on the map."""

from __future__ import annotations

import pytest

from anchormap.analysis.change import CHANGE_WARNING
from anchormap.data.build import load_layer
from anchormap.maps.palettes import CHANGE_COLOURS
from tests.browser.conftest import map_frame, screenshot
from tests.browser.page_helpers import drawn_on_map, wait_idle

pytestmark = pytest.mark.browser


def test_change_view_colours_the_map_with_its_key_tooltips_and_warning(streamlit_server, browser_page):
    page, _requests = browser_page
    page.goto(streamlit_server.url + "?view=change")
    frame = map_frame(page)
    frame.wait_for_function(
        "() => AnchorMap.state.spec && AnchorMap.state.spec.choropleth && "
        "AnchorMap.state.spec.choropleth.label.startsWith('Change')",
        timeout=90_000,
    )
    wait_idle(page)
    areas = drawn_on_map(frame)
    assert len(areas) == len(load_layer("lsoa_2021"))
    fills = {p["fill"] for p in areas}
    assert {CHANGE_COLOURS[0], CHANGE_COLOURS[3], CHANGE_COLOURS[6]} <= fills  # both ends and no change drawn

    legend = frame.locator(".am-legend").inner_text()
    assert "Change 2019 → 2025" in legend
    assert "moved towards less deprived by 1 decile" in legend and "stayed in the same decile" in legend
    assert "relative to each other" in legend
    assert CHANGE_WARNING in page.locator("[data-testid='stAlert']").first.inner_text()

    # the tooltip of a merged neighbourhood says how it moved and what it was compared with
    text = frame.evaluate("""() => {
        let t = null; const spec = AnchorMap.state.spec.choropleth;
        AnchorMap.areas.eachLayer(l => { if (!t && String(spec.values[l.amIndex]).includes('Merged')) t = l; });
        t.fire('mouseover', {latlng: t.getBounds().getCenter()}, true);
        return [...document.querySelectorAll('.leaflet-tooltip')].map(e => e.innerText).join(' | ');
    }""")
    assert "Change 2019 → 2025: moved towards" in text or "Change 2019 → 2025: stayed" in text
    assert "population-weighted average of its 2011 parents" in text
    assert "None" not in text and "_" not in text

    shot = screenshot(page, "home_change_view")
    assert shot.stat().st_size > 50_000
