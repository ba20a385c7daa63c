"""The "Underserved areas" page in headless Chromium, used the way a person uses it.

Ranked table, map (top gaps outlined, catchment circles), the catchment slider and walking
minutes, the what-if with a typed postcode, the CSV download. The expected ranking is worked
out with the package (anchormap.analysis.gaps) on the real data, so the browser shows what the package
computes. Screenshots: artifacts/underserved_*.png (git-ignored).
"""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest

from anchormap.analysis import gaps
from anchormap.data.build import load_layer
from anchormap.data.csvw import sidecar_parameters
from anchormap.maps import gap_map
from anchormap.maps.overlay import TILE_HOSTS
from tests.browser.conftest import external_requests, map_frame
from tests.browser.page_helpers import download, drawn_on_map, grid, grid_rows, leaflet, metric, press_slider, wait_idle
from tests.browser.test_community_browser import full_screenshot

pytestmark = pytest.mark.browser

PAGE = "Underserved_areas"
METRES = "Catchment (metres)"
MINUTES = "Catchment (minutes of walking)"
COUNT_NONE = "… with no counted anchor in the catchment"
# folium draws the top gaps as GeoJSON outlines and the catchments as L.Circle (radius in metres)
TOP_OUTLINES = f"path[stroke='{gap_map.TOP_COLOUR}'][stroke-width='3.5']"
PROPOSED = f"path[stroke='{gap_map.PROPOSED_COLOUR}'][stroke-dasharray='6 4']"
CIRCLES = """map => { const out = []; map.eachLayer(l => { if (l instanceof L.Circle) out.push(l.getRadius()); });
                      return out; }"""


@pytest.fixture(scope="module")
def context_2025():
    """The package's gap context for the page's defaults (every anchor, IoD 2025)."""
    return gaps.prepare(2025, load_layer("anchors"), "the anchors layer")


def expected(ctx, **changes) -> tuple[gaps.GapParams, pd.DataFrame]:
    """The page's default parameters with ``changes``, and the package's ranking for them."""
    params = dict(
        edition=2025,
        measure="imd",
        deciles=(1, 2),
        categories=tuple(k for k in gaps.DEFAULT_CATEGORIES if (load_layer("anchors")["category"] == k).any()),
        within_m=1000,
    )
    params.update(changes)
    p = gaps.GapParams(**params)
    return p, gaps.rank_gaps(ctx, p)


def open_page(page, url: str):
    """Open the page and wait for its table and its map with the top gaps drawn."""
    page.goto(url)
    page.get_by_role("heading", name="Underserved areas").wait_for(timeout=120_000)
    frame = map_frame(page, timeout_ms=120_000)
    frame.wait_for_selector(TOP_OUTLINES, timeout=60_000)
    wait_idle(page)
    return frame


def ranked(page, table: pd.DataFrame) -> pd.DataFrame:
    """The rows in view of the ranked table (the first table on the page), once they show the
    top of the package's ranking ``table`` (or after 30 s, whatever they show then)."""
    names = table["lsoa_name"].tolist()  # unique, like the codes (which come last, out of view)
    return pd.DataFrame(
        grid(
            page.locator("[data-testid='stDataFrame']").first,
            until=lambda rows: [r["Neighbourhood (LSOA)"] for r in rows] == names[: len(rows)],
        )
    )


def circles_drawn(page) -> int:
    text = page.get_by_text(re.compile(r"^Circles: the ")).inner_text()
    return int(re.search(r"catchments of the (\d+) counted anchors", text).group(1))


def test_ranking_map_and_catchment_slider(streamlit_server, browser_page, context_2025):
    page, requests = browser_page
    frame = open_page(page, streamlit_server.url + PAGE)
    params, table = expected(context_2025)

    # the ranked table: the package's ranking, in order
    shown = ranked(page, table)
    assert len(shown) >= 10
    assert grid_rows(page.locator("[data-testid='stDataFrame']").first) == 20  # the top 20 by default
    assert shown["Neighbourhood (LSOA)"].tolist() == table["lsoa_name"].head(len(shown)).tolist()
    assert shown["Anchors in catchment"].tolist() == [str(n) for n in table["anchors_in_catchment"].head(len(shown))]
    # the score and its reasons are in view without scrolling sideways (the grid draws the columns in view)
    assert {"Gap score", "Anchors in catchment", "Nearest anchor", "Nearest anchor (m)"} <= set(shown.columns)
    assert metric(page, "Neighbourhoods in the chosen deciles") == f"{len(table):,}"
    zero_before = int(metric(page, COUNT_NONE).replace(",", ""))
    assert zero_before == int((table["anchors_in_catchment"] == 0).sum())
    assert "gap score = need × scarcity" in page.locator("[data-testid='stAlert']").first.inner_text()

    # the map: the 20 biggest gaps outlined, one 1,000 m circle per anchor named in the caption
    assert frame.locator(TOP_OUTLINES).count() == 20
    radii = leaflet(frame, CIRCLES)
    assert len(radii) == circles_drawn(page) > 0
    assert set(radii) == {1000}
    assert len(drawn_on_map(frame)) == len(load_layer("lsoa_2021"))
    legend = frame.locator(".am-legend").inner_text()
    assert "Gap score (need × scarcity)" in legend
    assert f"not ranked: outside the chosen deciles ({len(load_layer('lsoa_2021')) - len(table)} areas)" in legend
    assert "no data" not in legend
    # hovering an outlined area names it with its rank; the whole tooltip stays inside the map
    for i in range(frame.locator(TOP_OUTLINES).count()):
        frame.locator(TOP_OUTLINES).nth(i).hover(force=True)
        tip = frame.locator(".leaflet-tooltip").filter(has_text="gap score")
        tip.wait_for(timeout=10_000)
        assert re.search(r"#\d+ .+\(.+\)", tip.inner_text())
        box, inside = tip.bounding_box(), frame.locator(".leaflet-container").bounding_box()
        assert box["x"] >= inside["x"] and box["x"] + box["width"] <= inside["x"] + inside["width"] + 1, (i, box)
        assert box["width"] <= 320, box
    full_screenshot(page, "underserved_default")

    # a person drags the catchment to the far end: more anchors are counted, the table changes
    press_slider(page, METRES, "End")
    assert page.get_by_role("slider", name=METRES).input_value() == "5000"
    frame.wait_for_function(
        "() => { let r = 0; AnchorMap.map.eachLayer(l => { if (l instanceof L.Circle) r = "
        "l.getRadius(); }); return r === 5000; }",
        timeout=60_000,
    )
    _, wide = expected(context_2025, within_m=5000)
    assert metric(page, "Catchment (distance)") == "5,000 m"
    zero_after = int(metric(page, COUNT_NONE).replace(",", ""))
    assert zero_after == int((wide["anchors_in_catchment"] == 0).sum()) < zero_before
    shown_wide = ranked(page, wide)
    assert shown_wide["Neighbourhood (LSOA)"].tolist() == wide["lsoa_name"].head(len(shown_wide)).tolist()
    assert shown_wide["Neighbourhood (LSOA)"].tolist() != shown["Neighbourhood (LSOA)"].tolist()

    # walking time: 15 minutes at 4.8 km/h with a 1.3 detour is 923 m; five more minutes, 1,231 m
    page.get_by_text("Walking time", exact=True).click()
    page.get_by_role("slider", name=MINUTES).wait_for(timeout=60_000)
    wait_idle(page)
    assert metric(page, "Catchment (walking time)") == "15 min"  # short: never cut (923 m is in its help)
    press_slider(page, MINUTES, "ArrowRight", times=5)
    page.locator("[data-testid='stMetricValue']").get_by_text("20 min", exact=True).wait_for(timeout=60_000)
    walk_params, walk = expected(context_2025, within_m=None, walk_minutes=20)
    shown_walk = ranked(page, walk)
    assert shown_walk["Neighbourhood (LSOA)"].tolist() == walk["lsoa_name"].head(len(shown_walk)).tolist()
    assert int(metric(page, COUNT_NONE).replace(",", "")) == int((walk["anchors_in_catchment"] == 0).sum())
    radii = leaflet(frame, CIRCLES)
    assert radii and {round(r) for r in radii} == {round(walk_params.radius_m)}
    assert "minutes=20" in page.url and "catchment=minutes" in page.url

    # the CSV download is the ranking shown; its parameters are in the CSV's column descriptions (CSVW)
    name, data = download(page, "CSV")
    assert name == "anchormap-gaps-2025-imd.csv"
    assert data.startswith(b"\xef\xbb\xbf") and not data[3:].startswith(b"#")
    side_name, side = download(page, "Column descriptions (JSON)")
    assert side_name == "anchormap-gaps-2025-imd.csv-metadata.json"
    doc = json.loads(side)
    header = sidecar_parameters(doc)
    assert doc["url"] == name
    assert header["walk_minutes"] == 20 and header["catchment_m"] == round(walk_params.radius_m, 1)
    assert header["deciles"] == "1,2" and header["edition"] == 2025 and header["measure"] == "imd"
    assert header["anchors"] == "all anchors" and header["rows"] == len(walk)
    assert "gap score = need × scarcity" in doc["dc:description"]
    csv = pd.read_csv(io.BytesIO(data))
    assert [c["titles"][0] for c in doc["tableSchema"]["columns"]] == list(csv.columns)
    assert len(csv) == len(walk)
    assert csv["lsoa_code"].tolist() == walk["lsoa_code"].tolist()
    assert {"borough_name", "imd_decile", "anchors_in_catchment", "nearest_anchor_m", "gap_score"} <= set(csv.columns)
    assert set(csv["imd_decile"]) <= {1, 2}

    assert page.dialogs == []
    leaving = external_requests(requests, allowed_hosts=TILE_HOSTS)
    assert leaving == [], f"requests left the machine: {leaving[:5]}"


def test_what_if_a_site_opened_at_a_typed_postcode(streamlit_server, browser_page, context_2025):
    page, requests = browser_page
    frame = open_page(page, streamlit_server.url + PAGE)
    params, _ = expected(context_2025)
    site = gaps.locate_postcode("SE6 4RU")
    change = gaps.what_if(context_2025, params, site["x"], site["y"], "libraries", "Catford hub")
    assert len(change) > 0  # Catford has ranked neighbourhoods within 1 km

    form = page.locator("[data-testid='stForm']")
    form.get_by_role("textbox", name="Postcode").fill("se6 4ru")
    kind = form.get_by_role("combobox", name="Kind of anchor")
    kind.click()
    page.get_by_role("option", name="Libraries", exact=True).click()
    form.get_by_role("textbox", name="Name").fill("Catford hub")
    form.get_by_role("button", name="Show before and after").click()

    summary = gaps.what_if_summary(change)
    message = page.locator("[data-testid='stMarkdownContainer']").filter(has_text="Catford hub (Libraries) at SE6 4RU:")
    message.wait_for(timeout=60_000)
    wait_idle(page)
    assert message.inner_text() == f"Catford hub (Libraries) at SE6 4RU: {summary}"
    before = page.locator("[data-testid='stColumn']").filter(has_text="Before").locator("[data-testid='stDataFrame']")
    after = page.locator("[data-testid='stColumn']").filter(has_text="After").locator("[data-testid='stDataFrame']")
    rows_before, rows_after = grid(before), grid(after)
    assert grid_rows(before) == grid_rows(after) == len(change)
    assert [r["Neighbourhood"] for r in rows_before] == change["lsoa_name"].head(len(rows_before)).tolist()
    assert [r["Neighbourhood"] for r in rows_after] == [r["Neighbourhood"] for r in rows_before]
    for b, a in zip(rows_before, rows_after, strict=True):
        assert int(a["Anchors"]) in (int(b["Anchors"]), int(b["Anchors"]) + 1)
        assert float(a["Nearest (m)"]) <= float(b["Nearest (m)"])
        assert float(a["Gap score"]) <= float(b["Gap score"])
        assert float(a["Gap closed by"]) == pytest.approx(float(b["Gap score"]) - float(a["Gap score"]), abs=0.002)
    assert float(rows_after[0]["Gap closed by"]) == change["gap_closed_by"].max() > 0

    # on the map: the proposed site and its dashed 1,000 m catchment; in the link: its postcode
    frame.wait_for_selector(PROPOSED, timeout=60_000)
    assert "site=SE6+4RU" in page.url or "site=SE6%204RU" in page.url
    full_screenshot(page, "underserved_what_if")

    # a postcode that does not exist: a clear message, the old site stays
    form.get_by_role("textbox", name="Postcode").fill("ZZ99 9ZZ")
    form.get_by_role("button", name="Show before and after").click()
    error = page.locator("[data-testid='stAlert']").filter(has_text="ZZ99")
    error.wait_for(timeout=60_000)
    assert "Traceback" not in page.locator("[data-testid='stMain']").inner_text()
    assert message.inner_text() == f"Catford hub (Libraries) at SE6 4RU: {summary}"
    assert external_requests(requests, allowed_hosts=TILE_HOSTS) == []
