"""The Shared land page's upload with the new kinds of file (AppTest, real data, store in tmp):
a GeoPackage of the real Lewisham brownfield register, a workbook whose two sheets could each
be the register (the page asks which), and the template's download buttons."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
import pytest

from anchormap.land.store import open_store

PAGE = "pages/2_Shared_land.py"
PARTNER = "London Borough of Lewisham"


@pytest.fixture
def page(open_page):
    return open_page(PAGE)


def _check(page, name: str, data: bytes, mime: str) -> None:
    page.file_uploader(key="land_file").set_value((name, data, mime)).run()
    page.text_input(key="land_partner_name").set_value(PARTNER).run()
    page.button(key="land_check_button").click().run()
    assert not page.exception


def test_a_geopackage_register_is_checked_and_stored(page, mirror, tmp_path):
    src = mirror / "land" / "lewisham_brownfield_register_2019" / "lewisham_brownfield_register_2019_extract.csv"
    register = pd.read_csv(src, dtype=str)
    points = gpd.points_from_xy(register["GeoX"].astype(float), register["GeoY"].astype(float))
    path = tmp_path / "lewisham.gpkg"
    gpd.GeoDataFrame(register, geometry=points, crs="EPSG:4326").to_file(path, layer="brownfield", engine="pyogrio")
    _check(page, "lewisham.gpkg", path.read_bytes(), "application/geopackage+sqlite3")
    done = [s.value.replace("\\", "") for s in page.success]  # as read: Markdown escapes removed
    assert any(f"lewisham.gpkg: read as a brownfield land register. {len(register)} rows read" in s for s in done)
    reports = [df.value for df in page.dataframe if "Problem" in df.value.columns]
    assert "reprojected to British National Grid (EPSG:27700)" in set(reports[0]["What was done"])
    assert "whole file" in set(reports[0]["Row"])  # a finding about the file says so, not "None"
    page.button(key="land_confirm").click().run()
    subs = open_store(tmp_path / "store" / "land.sqlite").submissions()
    assert list(subs["file_name"]) == ["lewisham.gpkg"] and subs["rows_accepted"].iloc[0] == len(register)


def test_a_workbook_with_two_register_sheets_asks_which(page, tmp_path):
    sites = pd.DataFrame({"Site Name": ["Catford depot", "Old library"], "Post Code": ["SE6 4RU", "SE13 6LG"]})
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        sites.to_excel(xl, sheet_name="2024", index=False)
        sites.head(1).to_excel(xl, sheet_name="2025", index=False)
    _check(page, "estate.xlsx", buf.getvalue(), "application/vnd.ms-excel")
    assert any("estate.xlsx has several sheets" in i.value.replace("\\", "") for i in page.info)
    assert not any(b.key == "land_confirm" for b in page.button)
    choice = page.selectbox(key="land_sheet")
    assert choice.options == ["2024", "2025"]
    choice.set_value("2025").run()
    page.button(key="land_sheet_button").click().run()
    assert not page.exception
    assert any(
        "estate.xlsx: read as a register with recognised columns. 1 rows read" in s.value.replace("\\", "")
        for s in page.success
    )
    page.button(key="land_confirm").click().run()
    subs = open_store(tmp_path / "store" / "land.sqlite").submissions()
    assert subs["rows_accepted"].tolist() == [1]


def test_the_template_is_offered_for_download(page):
    templates = [el for el in page.get("download_button") if el.proto.label.startswith("Register template")]
    assert sorted(el.proto.label for el in templates) == ["Register template (CSV)", "Register template (Excel)"]
    assert all(el.proto.url for el in templates)  # each serves a file
