"""The "Shared land" page in headless Chromium, used the way a regeneration officer uses it.

Built-in registers on the map, the "unused space only" button, a hand-made Transparency Code
register uploaded, checked, confirmed and shown; a hostile register (HTML and formulas in its
cells) shown as text and exported with its formulas neutralised. The server writes to a land
store in a temporary directory (ANCHORMAP_STORE), never the default one.
Screenshots: artifacts/land_*.png (git-ignored).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from anchormap.analysis import gaps
from anchormap.crs import bng_to_wgs84
from anchormap.data.build import load_layer
from anchormap.data.csvw import sidecar_parameters
from anchormap.land.schema import UNUSED_STATUSES
from anchormap.land.store import STORE_ENV, default_store_path, open_store
from anchormap.maps.overlay import TILE_HOSTS
from tests.browser.conftest import external_requests, map_frame
from tests.browser.page_helpers import download, grid, marker_named, metric, wait_idle, wait_popup
from tests.browser.test_community_browser import full_screenshot

pytestmark = pytest.mark.browser

PAGE = "Shared_land"
REGISTER = Path(__file__).resolve().parents[1] / "fixtures" / "land" / "transparency_code_register.csv"
ATTACK = "<img src=x onerror=alert(1)>"
# A partner's register with HTML and spreadsheet formulas in its text cells (Transparency Code
# headers, real Lewisham postcodes; names and identifiers invented).
HOSTILE_REGISTER = (
    "UPRN,Unique Asset Identity,Name of Building/Land,Street Number,Street Name,Post Town,Post Code,"
    "Land Only or Land and Building,Tenure Type,Holding Type,Site Area (ha),GIA (m2)\n"
    f",HX-1,{ATTACK},1,<script>alert(2)</script> Road,London,SE6 4RU,Land and Building,Freehold,Vacant,0.3,400\n"
    ',HX-2,"=HYPERLINK(""http://evil.example"",""click"")",,Wearside Road,London,SE13 7EZ,Land Only,'
    "Freehold,Surplus,1.0,\n"
    ",HX-3,+SUM(1;2),,@cmd Street,London,SE13 6LG,Land Only,Freehold,Surplus,0.5,\n"
    ",HX-4,-2+3 depot,,Sydenham Road,London,SE23 3YJ,Land Only,Freehold,Surplus,0.2,\n"
)
HOSTILE_NAMES = [ATTACK, '=HYPERLINK("http://evil.example","click")', "+SUM(1;2)", "-2+3 depot"]


def _state(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


@pytest.fixture(scope="module")
def land_store(tmp_path_factory):
    """A land store path in a temporary directory, in ANCHORMAP_STORE for this module's server;
    the store the app uses without it is left exactly as it was."""
    usual = default_store_path()
    before = _state(usual)
    path = tmp_path_factory.mktemp("land_store") / "land.sqlite"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(STORE_ENV, str(path))
        yield path
    assert _state(usual) == before, f"the browser tests changed {usual}"


@pytest.fixture(scope="module")
def streamlit_server(land_store, streamlit_server):
    """The conftest's server, started after ANCHORMAP_STORE points at the temporary store."""
    assert streamlit_server.process.poll() is None
    return streamlit_server


def open_page(page, url: str):
    page.goto(url)
    page.get_by_role("heading", name="Shared land").wait_for(timeout=120_000)
    frame = map_frame(page, timeout_ms=120_000)
    frame.wait_for_function("() => document.querySelectorAll('.am-marker, .marker-cluster').length > 0", timeout=60_000)
    wait_idle(page)
    return frame


def assets_count(page) -> int:
    return int(metric(page, "Assets").replace(",", ""))


def markers_on_map(frame) -> int:
    """Every land marker in the map's layers, clustered or not (Leaflet's own count)."""
    return frame.evaluate("""() => { let n = 0; AnchorMap.map.eachLayer(l => {
        if (l.getLayers && l.options && l.options.maxClusterRadius) n += l.getLayers().length; }); return n; }""")


def upload(page, name: str, data: bytes, partner: str) -> None:
    """Choose a register file, name the partner and press 'Check the file'."""
    page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    check = page.get_by_role("button", name="Check the file")
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some(b => "
        "b.innerText.trim() === 'Check the file' && !b.disabled)",
        timeout=60_000,
    )
    wait_idle(page)
    box = page.get_by_role("textbox", name="Partner (the organisation the register belongs to)")
    box.fill(partner)
    box.press("Enter")
    wait_idle(page)
    check.click()
    page.get_by_role("button", name="Store the ").wait_for(timeout=60_000)
    wait_idle(page)


def choose_partner(page, partner: str) -> None:
    box = page.get_by_role("combobox", name="Partner")
    box.click()
    box.fill(partner[:12])
    page.get_by_role("option", name=partner, exact=True).click()
    page.keyboard.press("Escape")
    wait_idle(page)


def test_builtin_registers_and_unused_space(streamlit_server, browser_page, land_store):
    page, requests = browser_page
    frame = open_page(page, streamlit_server.url + PAGE)
    builtin = load_layer("land_builtin")
    on_map = builtin["on_map"].astype(bool) & builtin["lat"].notna()

    assert assets_count(page) == len(builtin)
    assert markers_on_map(frame) == int(on_map.sum())
    legend = frame.locator(".am-legend").inner_text()
    assert "Brownfield, available" in legend and "Closed building" in legend
    assert "decile in England" in legend  # deprivation under the assets by default

    page.get_by_role("button", name="Unused space only").click()
    page.get_by_text("Showing ").filter(has_text="unused space only").wait_for(timeout=60_000)
    wait_idle(page)
    unused = builtin["status"].isin(UNUSED_STATUSES) | (builtin["empty_floor_area_m2"].fillna(0) > 0)
    assert assets_count(page) == int(unused.sum()) < len(builtin)
    frame.wait_for_function(
        f"() => {{ let n = 0; AnchorMap.map.eachLayer(l => {{ if (l.getLayers && l.options"
        f" && l.options.maxClusterRadius) n += l.getLayers().length; }}); return n === "
        f"{int((unused & on_map).sum())}; }}",
        timeout=60_000,
    )
    assert "unused=1" in page.url or "unused=true" in page.url
    assert "Occupied" not in frame.locator(".am-legend").inner_text()
    full_screenshot(page, "land_unused")
    assert not land_store.exists()  # looking changes nothing in the store
    assert external_requests(requests, allowed_hosts=TILE_HOSTS) == []


def test_upload_check_confirm_and_see_the_assets(streamlit_server, browser_page, land_store):
    page, requests = browser_page
    open_page(page, streamlit_server.url + PAGE)
    builtin = len(load_layer("land_builtin"))
    upload(page, REGISTER.name, REGISTER.read_bytes(), "London Borough of Lewisham")

    report = page.locator("[data-testid='stAlert']").filter(has_text="Transparency Code")
    assert "5 valid" in report.inner_text()
    assert not land_store.exists() or open_store(land_store).submissions().empty  # not stored before confirming
    page.get_by_role("button", name="Store the 5 valid row(s)").click()
    page.get_by_text("Stored: London Borough of Lewisham's").wait_for(timeout=60_000)
    wait_idle(page)
    subs = open_store(land_store).submissions()
    assert subs["partner"].tolist() == ["London Borough of Lewisham"] and subs["rows_accepted"].tolist() == [5]
    assert assets_count(page) == builtin + 5

    stored = open_store(land_store).assets()
    assert sorted(stored["name"]) == sorted(
        [
            "Laurence House",
            "Former Wearside Depot",
            "Ladywell Leisure Centre site",
            "Sydenham community hall",
            "Depot yard",
        ]
    )

    # the partner's own filter: its built-in brownfield sites and the five new assets
    choose_partner(page, "London Borough of Lewisham")
    lewisham = load_layer("land_builtin")["partner"].eq("London Borough of Lewisham").sum()
    assert assets_count(page) == lewisham + 5
    # on the map, at Laurence House (given in the register as easting 537684, northing 173666)
    frame = map_frame(page)
    lon, lat = bng_to_wgs84(537684, 173666)
    marker = marker_named(frame, float(lat), float(lon), "Laurence House")
    marker.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    for shown in (
        "Address\t1 Catford Road, London",
        "Postcode\tSE6 4RU",
        "Owner type\tCouncil",
        "Tenure\tFreehold",
        "Status\tOccupied",
        "Site area (ha)\t0.45",
        "Floor area (m²)\t9800",
        "Partner\tLondon Borough of Lewisham",
    ):
        assert shown in text, (shown, text.replace("\t", ": ").splitlines())
    page.get_by_text("Submissions in the store (1)").click()
    subs_table = page.locator("[data-testid='stExpander']").filter(has_text="Submissions in the store")
    rows = grid(subs_table.locator("[data-testid='stDataFrame']"), until=lambda rows: len(rows) == 1)
    assert rows[0]["Partner"] == "London Borough of Lewisham" and rows[0]["File"] == REGISTER.name
    full_screenshot(page, "land_uploaded")
    assert external_requests(requests, allowed_hosts=TILE_HOSTS) == []


def test_hostile_register_is_text_and_its_export_is_safe(streamlit_server, browser_page, land_store):
    page, requests = browser_page
    open_page(page, streamlit_server.url + PAGE)
    partner = "Hostile Housing Trust"
    upload(page, "hostile.csv", HOSTILE_REGISTER.encode(), partner)
    summary = page.locator("[data-testid='stAlert']").filter(has_text="hostile.csv").inner_text()
    assert "4 rows read, 4 valid" in summary, summary
    report_table = page.locator("[data-testid='stDataFrame']").filter(has=page.locator("th", has_text="Problem"))
    report = grid(report_table, until=lambda rows: len(rows) > 0)
    assert any("markup" in r["Problem"] and r["Column"] == "Name of Building/Land" for r in report), report
    page.get_by_role("button", name="Store the 4 valid row(s)").click()
    page.get_by_text(f"Stored: {partner}'s").wait_for(timeout=60_000)
    wait_idle(page)

    choose_partner(page, partner)
    assert assets_count(page) == 4
    rows = grid(page.locator("[data-testid='stDataFrame']").nth(1), until=lambda rows: len(rows) == 4)
    assert sorted(r["Name"] for r in rows) == sorted(HOSTILE_NAMES)
    # what each asset is and how much space it has, in view without scrolling sideways
    assert {"Status", "Owner type", "Site area (ha)", "Floor area (m²)"} <= set(rows[0]), list(rows[0])

    # on the map: the tooltip and the pop-up show the name as typed, and nothing runs
    frame = map_frame(page)
    place = gaps.locate_postcode("SE6 4RU")  # the hostile row's postcode places it
    popup = frame.locator(".leaflet-popup-content")
    for attempt in range(3):  # a rerun that redraws the markers can swallow a click: find the marker again
        marker_named(frame, place["lat"], place["lon"], ATTACK).click()
        try:
            popup.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            wait_idle(page)
    assert ATTACK in popup.inner_text() and "<script>alert(2)</script> Road" in popup.inner_text()
    wait_popup(frame)
    full_screenshot(page, "land_hostile_popup")
    for where in (page, frame):
        assert where.locator("img[src='x'], script:text('alert')").count() == 0
    assert page.dialogs == [], page.dialogs

    # the CSV download: the same assets, formula cells start with an apostrophe
    name, data = download(page, "CSV")
    assert name == "anchormap_land.csv"
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(table) == 4
    names = sorted(r["name"] for r in table)
    assert names == sorted(["'" + n if n[0] in "=+-@" else n for n in HOSTILE_NAMES])
    for row in table:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")) or value.lstrip("-").replace(".", "").isdigit(), value
    assert any(r["address"].startswith("'@cmd") for r in table)
    side_name, side = download(page, "Column descriptions (JSON)")
    assert side_name == "anchormap_land.csv-metadata.json"
    assert sidecar_parameters(json.loads(side))["filter"] == f"partners: {partner}"
    assert external_requests(requests, allowed_hosts=TILE_HOSTS) == []
