"""A real register written as the files GIS teams and officers use imports like the CSV it came from.

The GLA's combined London Brownfield Register 2017 (the mirror's cleaned copy, see its
SOURCE.md) is written, in the test, as CSV, as a GeoPackage layer, as a zipped shapefile with
its .prj, as a two-sheet Excel workbook (a cover sheet, then the register) and as a two-sheet
OpenDocument spreadsheet. Each must give the same accepted rows and the same report as the
CSV. The register's own columns are kept (GeoX/GeoY mix WGS84, British National Grid and
geocentric coordinates, so the CSV rejects 101 rows); the GIS files carry a point geometry in
WGS84 for every row the source's own normalised columns place, and none for the geocentric
rows, so the same rows fail for the same reason. Row numbers are as a person sees them: the
spreadsheet row (the CSV's and workbooks' header is row 1) and the feature number (1 for the
first feature) for GIS files.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from anchormap.data.sources import resolve
from anchormap.land.ingest import read_upload

PARTNER = "Greater London Authority"
HELPER_COLUMNS = ["coord_source_kind", "lon_wgs84", "lat_wgs84", "easting_bng", "northing_bng", "ownership_norm"]
"""Columns the mirror's curator added to the register (not the register's own)."""
COVER = ["London Brownfield Register 2017", "Combined by the GLA from 18 planning authorities.", "OGL v3.0"]
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
COMPARED = ["asset_id", "name", "status", "owner_type", "tenure", "site_area_ha", "source_date", "on_map"]


@pytest.fixture(scope="module")
def source() -> pd.DataFrame:
    return pd.read_csv(resolve("brownfield_london_2017").path, dtype={"SiteReference": str})


@pytest.fixture(scope="module")
def register(source) -> pd.DataFrame:
    return source.drop(columns=HELPER_COLUMNS)


@pytest.fixture(scope="module")
def from_csv(register):
    return read_upload(register.to_csv(index=False).encode("utf-8"), "brownfield_2017.csv", PARTNER)


@pytest.fixture(scope="module")
def as_gis(source, register) -> gpd.GeoDataFrame:
    placeable = source["coord_source_kind"] != "ecef_xy_etrs89"
    geometry = [Point(x, y) if ok else None for x, y, ok in zip(source["lon_wgs84"], source["lat_wgs84"], placeable)]
    return gpd.GeoDataFrame(register, geometry=geometry, crs="EPSG:4326")


def _gpkg_bytes(gdf: gpd.GeoDataFrame, tmp: Path, layers: dict[str, gpd.GeoDataFrame] | None = None) -> bytes:
    path = tmp / "register.gpkg"
    gdf.to_file(path, layer="brownfield_sites", engine="pyogrio")
    for name, extra in (layers or {}).items():
        extra.to_file(path, layer=name, engine="pyogrio")
    return path.read_bytes()


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _shapefile_files(gdf: gpd.GeoDataFrame, tmp: Path, stem: str = "brownfield_sites", folder: str = "") -> dict:
    out = tmp / f"shp_{stem}"
    out.mkdir(exist_ok=True)
    with warnings.catch_warnings():  # GDAL says it cuts the names to 10 letters: that is what is tested
        warnings.simplefilter("ignore")
        gdf.to_file(out / f"{stem}.shp", engine="pyogrio")
    return {f"{folder}{p.name}": p.read_bytes() for p in sorted(out.iterdir())}


def _without_control_characters(frame: pd.DataFrame) -> pd.DataFrame:
    """A spreadsheet cannot hold control characters (the register's descriptions have some)."""
    return frame.apply(
        lambda col: col.str.replace(CONTROL, "", regex=True) if pd.api.types.is_string_dtype(col) else col
    )


def _workbook_bytes(register: pd.DataFrame, engine: str) -> bytes:
    register = _without_control_characters(register)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine=engine) as xl:
        pd.DataFrame({"About this file": COVER}).to_excel(xl, sheet_name="Cover", index=False)
        register.to_excel(xl, sheet_name="Register", index=False)
    return buf.getvalue()


def _report(result, row_shift: int = 0) -> pd.DataFrame:
    """The report's lines about rows, numbered as the CSV numbers them."""
    rep = result.report()
    rows = rep[rep["row"].notna()].copy()
    rows["row"] = rows["row"] + row_shift
    return rows.reset_index(drop=True)


def _file_notes(result) -> list[str]:
    rep = result.report()
    return sorted(rep.loc[rep["row"].isna(), "problem"])


def _without_extras(result) -> str:
    """The summary without its list of extra columns."""
    return result.summary().split(" Kept as extra attributes:")[0]


def _same_assets(a, b, row_shift: int = 0) -> None:
    left, right = a.assets.reset_index(drop=True), b.assets.reset_index(drop=True)
    pd.testing.assert_frame_equal(left[COMPARED], right[COMPARED])
    assert list(left["row_number"]) == [r + row_shift for r in right["row_number"]]
    for col in ("easting", "northing"):  # a WGS84 point and the register's own text, reprojected: within 1 m
        assert np.allclose(left[col].astype(float), right[col].astype(float), atol=1.0, equal_nan=True), col


def test_the_csv_itself_has_a_report_worth_comparing(from_csv):
    assert from_csv.status == "ready" and from_csv.register_kind == "brownfield_register"
    assert from_csv.rows_read == 1079 and from_csv.rows_rejected == 101
    assert (from_csv.report()["severity"] == "error").sum() == 101


def test_a_geopackage_imports_like_the_csv(from_csv, as_gis, tmp_path):
    r = read_upload(_gpkg_bytes(as_gis, tmp_path), "brownfield_2017.gpkg", PARTNER)
    assert r.summary().replace(".gpkg", ".csv") == from_csv.summary()
    pd.testing.assert_frame_equal(_report(r, row_shift=1), _report(from_csv))
    _same_assets(from_csv, r, row_shift=1)
    assert _file_notes(r) == sorted([*_file_notes(from_csv), "the coordinates are in WGS 84"])
    assert r.mapping["easting"] == "__geometry_easting" and "geometry" not in " ".join(r.columns)


def test_a_zipped_shapefile_imports_like_the_csv(from_csv, as_gis, tmp_path):
    files = _shapefile_files(as_gis, tmp_path, folder="brownfield_2017/")
    assert {Path(n).suffix for n in files} >= {".shp", ".shx", ".dbf", ".prj"}
    r = read_upload(_zip_bytes(files), "brownfield_2017.zip", PARTNER)
    # a shapefile cuts field names to 10 letters: OrganisationURI and OrganisationLabel both become
    # "Organisati" (the second "Organisa_1"), which cannot be told apart, so the owner organisation
    # column is kept as an extra attribute instead; every other field is read as from the CSV
    assert {"Organisati", "Organisa_1"} <= set(r.extra_columns)
    assert len(r.extra_columns) == len(from_csv.extra_columns) + 1 == 21
    assert sorted(set(from_csv.mapping.items()) - set(r.mapping.items())) == [
        ("owner_organisation", "OrganisationLabel")
    ]
    assert _without_extras(r).replace(".zip", ".csv") == _without_extras(from_csv)
    pd.testing.assert_frame_equal(_report(r, row_shift=1), _report(from_csv))
    _same_assets(from_csv, r, row_shift=1)
    notes = [n for n in _file_notes(r) if "with no field" not in n]
    assert notes == ["shapefile field names are cut to 10 letters", "the coordinates are in WGS 84"]
    restored = r.report().loc[r.report()["problem"].eq(notes[0]), "action"].iloc[0]
    assert "SiteNameAd as SiteNameAddress" in restored and "LastUpdate as LastUpdatedDate" in restored
    assert r.mapping["name"] == "SiteNameAddress" and r.mapping["source_date"] == "LastUpdatedDate"


@pytest.mark.parametrize("engine,suffix", [("openpyxl", "xlsx"), ("odf", "ods")])
def test_a_two_sheet_workbook_imports_like_the_csv(from_csv, register, engine, suffix):
    r = read_upload(_workbook_bytes(register, engine), f"brownfield_2017.{suffix}", PARTNER)
    assert r.summary().replace(f".{suffix}", ".csv") == from_csv.summary()
    pd.testing.assert_frame_equal(_report(r), _report(from_csv))  # the same spreadsheet rows
    _same_assets(from_csv, r)
    rep = r.report()
    note = rep[rep["row"].isna()]
    assert list(note["problem"]) == ["the file has 2 sheets (Cover, Register)", *_file_notes(from_csv)]
    assert note["action"].iloc[0] == "read the sheet 'Register', whose header is recognised best"


def test_a_workbook_with_title_space_above_the_header_keeps_spreadsheet_row_numbers(register):
    """The header on row 4: both readers number rows as Excel and LibreOffice show them."""
    some = register.iloc[::36]  # every 36th row: rows placed and rows rejected
    csv_result = read_upload(some.to_csv(index=False).encode(), "some.csv", PARTNER)
    assert csv_result.rows_accepted and csv_result.rows_rejected
    for engine, suffix in (("openpyxl", "xlsx"), ("odf", "ods")):
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine=engine) as xl:
            _without_control_characters(some).to_excel(xl, sheet_name="Register", index=False, startrow=3)
        r = read_upload(buf.getvalue(), f"some.{suffix}", PARTNER)
        pd.testing.assert_frame_equal(_report(r, row_shift=-3), _report(csv_result))
        assert list(r.assets["row_number"]) == [n + 3 for n in csv_result.assets["row_number"]], suffix


def test_an_old_excel_xls_workbook_from_nhs_eric_is_read(mirror):
    """The mirror's real ERIC 2016/17 .xls: its sheets are read and the site sheet's columns listed."""
    path = mirror / "land" / "nhs_eric_site_data" / "ERIC_2016_17_HEFS_13944.XLS"
    r = read_upload(path.read_bytes(), path.name, "NHS Digital", sheet="Site Data")
    sheet = pd.read_excel(path, sheet_name="Site Data", header=1, engine="calamine")
    assert r.columns[:5] == [str(c) for c in sheet.columns[:5]]
    assert r.rows_read == int(sheet.notna().any(axis=1).sum())
    assert "read the sheet 'Site Data', as asked" in " ".join(r.report()["action"])
