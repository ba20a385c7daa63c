"""The place chooser in headless Chromium: on Underserved areas a person picks Lewisham in the
sidebar and sees the ranking, its metric, the map and the link narrowed to it. Screenshots:
artifacts/place_underserved_{desktop,phone}.png (1400x900 and 375x812, git-ignored)."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import pytest

from anchormap.analysis import gaps
from anchormap.analysis.gap_tables import narrow_to_place
from anchormap.data.build import load_layer
from anchormap.data.sources import resolve
from anchormap.geo.places import resolve_place, sites_in_place
from anchormap.land.assets import all_assets
from anchormap.land.store import open_store
from anchormap.maps import gap_map
from tests.browser.conftest import map_frame
from tests.browser.page_helpers import grid, metric, wait_idle
from tests.browser.test_community_browser import full_screenshot
from tests.browser.test_home_map import choose

pytestmark = pytest.mark.browser

PAGE = "Underserved_areas"
LEWISHAM = "E09000023"
WARDS_2025 = resolve("wards2025", allow_download=False).path  # the real ward boundaries, through the manifest
TOP_OUTLINES = f"path[stroke='{gap_map.TOP_COLOUR}'][stroke-width='3.5']"
THICK_OUTLINES = (
    "() => { let n = 0; AnchorMap.outlines.eachLayer(l => { if (l.options.weight === 4) n++; }); return n; }"
)
VIEW = """() => { const m = AnchorMap.map, b = m.getBounds();
                   return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast(), m.getZoom()]; }"""


def choose_place(page, kind: str, option: str, typed: str | None = None) -> None:
    """In the sidebar's place chooser, pick the list ``kind`` ("Boroughs", "Wards (2025)"...) and
    then ``option`` in it (typing ``typed``, default its first 5 letters, to draw it)."""
    choose(page, "Area shown", kind)
    wait_idle(page)
    box = page.get_by_role("combobox", name=kind)
    box.click()
    box.fill(typed or option[:5])
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_idle(page)


def test_choosing_a_borough_narrows_the_table_the_map_and_the_link(streamlit_server, new_page):
    place = resolve_place(f"borough:{LEWISHAM}", 2025)
    params = gaps.GapParams(
        edition=2025,
        measure="imd",
        deciles=(1, 2),
        categories=tuple(k for k in gaps.DEFAULT_CATEGORIES if (load_layer("anchors")["category"] == k).any()),
        within_m=1000,
    )
    ctx = gaps.prepare(2025, load_layer("anchors"), "the anchors layer")
    expected = narrow_to_place(gaps.rank_gaps(ctx, params), place.lsoa_codes)

    page, _requests = new_page({"width": 1400, "height": 900})
    page.goto(streamlit_server.url + PAGE)
    page.get_by_role("heading", name="Underserved areas").wait_for(timeout=120_000)
    london_zoom = map_frame(page, timeout_ms=120_000).evaluate(VIEW)[4]
    wait_idle(page)
    choose_place(page, "Boroughs", "Lewisham")

    page.get_by_text(f"Showing Lewisham: {len(place.lsoa_codes):,} neighbourhoods.").wait_for(timeout=60_000)
    assert metric(page, "Neighbourhoods in the chosen deciles") == f"{len(expected):,}"
    names = expected["lsoa_name"].tolist()
    rows = grid(
        page.locator("[data-testid='stDataFrame']").first,
        until=lambda rows: [r["Neighbourhood (LSOA)"] for r in rows] == names[: len(rows)],
    )
    assert rows and [r["Neighbourhood (LSOA)"] for r in rows] == names[: len(rows)]
    assert {r["Borough"] for r in rows} == {"Lewisham"} and rows[0]["Rank"] == "1"
    assert f"area=borough%3A{LEWISHAM}" in page.url or f"area=borough:{LEWISHAM}" in page.url

    frame = map_frame(page)
    frame.wait_for_function(THICK_OUTLINES.replace("return n;", "return n === 1;"), timeout=30_000)
    assert frame.locator(TOP_OUTLINES).count() == min(20, len(expected))
    south, west, north, east, zoom = frame.evaluate(VIEW)
    w, s, e, n = place.bounds_wgs84
    assert south < s and west < w and north > n and east > e  # all of Lewisham is in view
    assert zoom > london_zoom  # zoomed in from all of London
    full_screenshot(page, "place_underserved_desktop")

    phone, _ = new_page({"width": 375, "height": 812})
    phone.goto(streamlit_server.url + PAGE + f"?area=borough:{LEWISHAM}")
    phone.get_by_text(f"Showing Lewisham: {len(place.lsoa_codes):,} neighbourhoods.").wait_for(timeout=120_000)
    map_frame(phone, timeout_ms=120_000)
    wait_idle(phone)
    full_screenshot(phone, "place_underserved_phone")


def test_an_uploaded_boundary_narrows_shared_land_and_stays_out_of_the_link(streamlit_server, new_page, tmp_path):
    wards = gpd.read_file(WARDS_2025)
    ward = wards[wards["LAD25CD"] == LEWISHAM].head(1)[["WD25CD", "WD25NM", "geometry"]]
    (tmp_path / "shp").mkdir()
    ward.to_file(tmp_path / "shp" / "ward.shp")
    zipped = tmp_path / "our_ward.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        for part in (tmp_path / "shp").iterdir():
            zf.write(part, part.name)
    place = resolve_place(f"file:{zipped}", 2025)
    inside = sites_in_place(all_assets(open_store()), place)

    page, _ = new_page({"width": 1400, "height": 900})
    page.goto(streamlit_server.url + "Shared_land")
    page.get_by_role("heading", name="Shared land").wait_for(timeout=120_000)
    map_frame(page, timeout_ms=120_000)
    wait_idle(page)
    choose(page, "Area shown", "A boundary file I upload")
    wait_idle(page)
    page.locator("[data-testid='stSidebar'] [data-testid='stFileUploader'] input[type=file]").set_input_files(
        {"name": zipped.name, "mimeType": "application/zip", "buffer": zipped.read_bytes()}
    )
    wait_idle(page)
    page.get_by_text(f"Showing the area in our_ward.zip: {len(inside):,} assets.").wait_for(timeout=60_000)
    assert metric(page, "Assets") == f"{len(inside):,}"
    page.get_by_text("kept in this session only").wait_for(timeout=10_000)
    assert "area=" not in page.url and "file" not in page.url
    full_screenshot(page, "place_shared_land_upload")
