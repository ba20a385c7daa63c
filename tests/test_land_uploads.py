"""Partner register uploads: recognition, messy files, hostile files, round trip to the store and back.

Every hostile upload must give a clear message and leave the store byte-for-byte unchanged.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from anchormap.access.people import Person
from anchormap.data.build import load_layer
from anchormap.land.assets import all_assets, export_assets
from anchormap.land.ingest import MAX_UPLOAD_BYTES, UploadError, read_upload
from anchormap.land.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "land" / "transparency_code_register.csv"
PARTNER = "London Borough of Lewisham"
HEADER = "Unique Asset Identity,Name of Building/Land,Post Code,Easting,Northing,Site Area (ha)\n"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def store(tmp_path):
    """A store that already holds one real submission (the fixture register)."""
    st = open_store(tmp_path / "store" / "land.sqlite")
    r = read_upload(FIXTURE.read_bytes(), FIXTURE.name, PARTNER)
    st.add_submission(
        partner=PARTNER,
        file_name=FIXTURE.name,
        assets=r.assets,
        rows_rejected=r.rows_rejected,
        report=r.report(),
        by=Person.local_user(),
    )
    return st


def postcode_point(pc: str) -> tuple[float, float]:
    p = load_layer("postcodes")
    row = p[p["postcode"] == pc].iloc[0]
    return row["easting"], row["northing"]


def issues_of(result, severity=None):
    rep = result.report()
    return rep if severity is None else rep[rep["severity"] == severity]


def test_transparency_code_register_round_trip(store, tmp_path):
    raw = pd.read_csv(FIXTURE, dtype=str)
    r = read_upload(FIXTURE.read_bytes(), FIXTURE.name, PARTNER)
    assert r.status == "ready" and r.register_kind == "transparency_code"
    assert r.rows_accepted == len(raw) and r.rows_rejected == 0
    stored = store.assets()
    assert len(stored) == len(raw)
    assert set(stored["asset_id"]) == {f"upload:1:{a}" for a in raw["Unique Asset Identity"]}
    assert (stored["owner_type"] == "council").all() and (stored["owner_organisation"] == PARTNER).all()
    by_id = stored.set_index(stored["asset_id"].str.split(":").str[-1])
    assert by_id.loc["LBL-0001", "floor_area_m2"] == 9800.0  # "9,800"
    assert by_id.loc["LBL-0002", "status"] == "surplus" and by_id.loc["LBL-0003", "status"] == "vacant"
    e, n = postcode_point("SE13 7EZ")
    assert (by_id.loc["LBL-0002", "easting"], by_id.loc["LBL-0002", "northing"]) == (e, n)
    assert by_id.loc["LBL-0005", "location_method"] == "outward code centroid"
    assert "outward code 'SE6'" in " ".join(issues_of(r, "warning")["problem"])

    csv_out, gj_out = tmp_path / "all.csv", tmp_path / "all.geojson"
    n_csv = export_assets("csv", csv_out, store=store)
    n_gj = export_assets("geojson", gj_out, store=store)
    builtin = len(load_layer("land_builtin"))
    assert n_csv == n_gj == builtin + len(raw)
    back = pd.read_csv(csv_out, comment="#", dtype={"uprn": str})
    mine = back[back["source"] == "upload:1"].set_index("name")
    assert list(mine.index) == list(raw["Name of Building/Land"])
    assert mine.loc["Laurence House", "uprn"] == "100021950001"
    assert mine.loc["Laurence House", "site_area_ha"] == pytest.approx(0.45)
    gj = gpd.read_file(gj_out)
    assert gj.crs.to_epsg() == 4326
    laurence = gj[gj["name"] == "Laurence House"].to_crs(27700).geometry.iloc[0]
    assert laurence.distance(gpd.points_from_xy([537684], [173666])[0]) < 1.0


def test_messy_csv_is_read(tmp_path):
    text = (
        "Lewisham council land register,,,,,\n"  # a title row above the header
        "\n"
        + HEADER
        + 'A1,"Old library\nannexe",SE13 6LG,,,0.1\n'  # line break inside a quoted cell
        + HEADER  # header repeated inside the data
        + "A2,Yard,,51.4503,-0.0186,0.2\n"  # WGS84 in easting/northing columns, lat first
        + "A3,Shed,,-0.0186,51.4503,0.2\n"
        + ",,,,,\n,,,,,\n"  # blank trailing rows
    )
    r = read_upload(text.encode("utf-8"), "messy.csv", PARTNER)
    assert r.status == "ready", r.summary()
    assert list(r.assets["asset_id"]) == ["A1", "A2", "A3"]
    assert r.assets.loc[0, "name"] == "Old library\nannexe"
    rep = r.report()
    assert "row skipped" in set(rep["action"]) and rep["problem"].str.contains("repeated").any()
    assert rep["problem"].str.contains("blank row").any()
    # A2 and A3 are the same point told apart by range
    a2, a3 = r.assets.iloc[1], r.assets.iloc[2]
    assert abs(a2["easting"] - a3["easting"]) < 0.01 and abs(a2["northing"] - a3["northing"]) < 0.01
    # rows as a spreadsheet numbers them (a quoted line break stays inside one row)
    assert list(r.assets["row_number"]) == [4, 6, 7]


def test_geox_geoy_bng_and_swapped_lat_lon():
    text = (
        "SiteReference,SiteNameAddress,GeoX,GeoY,Hectares,OwnershipStatus,PlanningStatus\n"
        "S1,Site one,537480,173410,0.4,owned by a public authority,permissioned\n"
        "S2,Site two,-0.0186,51.4503,0.3,not owned by a public authority,permissioned\n"
    )
    r = read_upload(text.encode(), "bf.csv", "Royal Borough of Greenwich")
    assert r.register_kind == "brownfield_register"
    assert list(r.assets["status"]) == ["brownfield_available"] * 2
    assert list(r.assets["owner_type"]) == ["other_public", "private"]
    assert r.assets.loc[0, "easting"] == 537480 and r.assets.loc[0, "location_method"] == "source coordinates (BNG)"
    swapped = "Latitude,Longitude,Name\n-0.0186,51.4503,Swapped\n"
    r2 = read_upload(swapped.encode(), "s.csv", PARTNER)
    assert r2.rows_accepted == 1
    assert r2.report()["problem"].str.contains("swapped").any()
    assert abs(r2.assets.loc[0, "lat"] - 51.4503) < 1e-4


def test_xlsx_with_title_row_and_formula_cell(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Property register 2024"])
    ws.append(["Asset Reference", "Property Name", "Postcode", "Floor area (m2)", "Occupancy"])
    ws.append(["P1", "=1+1", "SE6 4JF", 120, "Vacant"])
    ws.append(["P2", "Hall", "SE13 5QL", "=A1*2", "Occupied"])
    buf = io.BytesIO()
    wb.save(buf)
    r = read_upload(buf.getvalue(), "reg.xlsx", "Lewisham and Greenwich NHS Trust")
    assert r.rows_accepted == 1 and r.rows_rejected == 1
    p1 = r.assets.iloc[0]
    assert p1["name"] == "=1+1" and p1["status"] == "vacant" and p1["owner_type"] == "nhs"
    rep = r.report()
    err = rep[rep["severity"] == "error"].iloc[0]
    assert err["row"] == 4 and err["column"] == "Floor area (m2)" and "not a number" in err["problem"]


def test_geojson_points_polygons_and_bng(tmp_path):
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "G1", "name": "Point site"},
                "geometry": {"type": "Point", "coordinates": [-0.0186, 51.4503]},
            },
            {
                "type": "Feature",
                "properties": {"id": "G2", "name": "Polygon site", "hectares": 1.5},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[-0.02, 51.45], [-0.019, 51.45], [-0.019, 51.451], [-0.02, 51.451], [-0.02, 51.45]]
                    ],
                },
            },
        ],
    }
    r = read_upload(json.dumps(doc).encode(), "sites.geojson", PARTNER)
    assert r.status == "ready" and r.rows_accepted == 2
    assert r.assets["on_map"].all() and r.assets.loc[1, "site_area_ha"] == 1.5
    bng = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "BNG site"},
                "geometry": {"type": "Point", "coordinates": [537480, 173410]},
            }
        ],
    }
    r2 = read_upload(json.dumps(bng).encode(), "bng.geojson", PARTNER)
    assert r2.assets.loc[0, "easting"] == 537480


def test_needs_mapping_then_explicit_mapping():
    text = "Ref,Building,PC\nX1,Depot,SE6 4JF\n"
    r = read_upload(text.encode(), "odd.csv", PARTNER)
    assert r.status == "needs_mapping"
    assert r.columns == ["Ref", "Building", "PC"]
    # "Ref" and "PC" are recognised (abbreviations of reference and postcode); only the name is asked for
    assert r.mapping == {"asset_id": "Ref", "postcode": "PC"}
    assert "name" in " ".join(r.missing) and "location" not in " ".join(r.missing)
    r2 = read_upload(text.encode(), "odd.csv", PARTNER, mapping={"name": "Building"})
    assert r2.status == "ready" and r2.rows_accepted == 1 and r2.register_kind == "column_mapping"
    assert r2.mapping == {"name": "Building", "asset_id": "Ref", "postcode": "PC"}
    with pytest.raises(UploadError, match="has no column.*'Postcode'"):
        read_upload(text.encode(), "odd.csv", PARTNER, mapping={"name": "Building", "postcode": "Postcode"})


# --------------------------------------------------------------------------- hostile uploads


def _cp1252_file() -> bytes:
    return (HEADER + "C1,Café £ Deptford,SE8 3DQ,,,0.1\n").encode("cp1252")


def _row_rejecting_cases() -> dict[str, tuple[bytes, str, str]]:
    """name -> (bytes, message expected in the report, column)."""
    return {
        "text_in_number": (
            (HEADER + "T1,Depot,SE6 4JF,,,about two\n").encode(),
            "'about two' is not a number",
            "Site Area (ha)",
        ),
        "outside_london": ((HEADER + "O1,Brighton depot,,530900,104300,0.3\n").encode(), "outside London", "Easting"),
        "duplicate_ids": (
            (HEADER + "D1,One,SE6 4JF,,,0.1\nD1,Two,SE6 4RU,,,0.2\n").encode(),
            "already used on row 2",
            "Unique Asset Identity",
        ),
    }


@pytest.mark.parametrize("case", list(_row_rejecting_cases()))
def test_hostile_rows_are_rejected_with_row_and_column(case, store):
    data, message, column = _row_rejecting_cases()[case]
    before = sha(store.path)
    r = read_upload(data, f"{case}.csv", PARTNER)
    errors = issues_of(r, "error")
    assert len(errors) == 1
    assert message in errors["problem"].iloc[0] and errors["column"].iloc[0] == column
    assert pd.notna(errors["row"].iloc[0])
    assert sha(store.path) == before


@pytest.mark.parametrize(
    "case,data,message",
    [
        ("empty", b"", "is empty"),
        ("blank_lines", b"\n\n  \n", "is empty"),
        ("header_only", HEADER.encode(), "no data rows"),
        ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text CSV"),
        ("old_xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old Excel .xls"),
        ("bad_geojson", b'{"type": "FeatureCollection", "features": [', "not valid GeoJSON"),
    ],
)
def test_unusable_files_raise_clear_errors(case, data, message, store):
    before = sha(store.path)
    with pytest.raises(UploadError, match=message) as exc:
        read_upload(data, f"{case}.csv", PARTNER)
    assert f"{case}.csv" in str(exc.value) or case == "header_only"
    assert sha(store.path) == before


def test_fifty_megabyte_file_is_refused(tmp_path, store):
    big = tmp_path / "huge.csv"
    line = "B1,Big register row padding padding padding,SE6 4JF,,,0.1\n"
    with open(big, "w") as fh:
        fh.write(HEADER)
        fh.write(line * (50 * 1024 * 1024 // len(line) + 1))
    assert big.stat().st_size > 50 * 1024 * 1024 > MAX_UPLOAD_BYTES
    before = sha(store.path)
    with pytest.raises(UploadError, match=r"^huge\.csv is 50\.\d MB; the limit is 20 MB\. "):
        read_upload(big.read_bytes(), big.name, PARTNER)
    assert sha(store.path) == before


def test_wrong_encoding_is_read_and_reported(store):
    before = sha(store.path)
    r = read_upload(_cp1252_file(), "cp1252.csv", PARTNER)
    assert r.assets.loc[0, "name"] == "Café £ Deptford"
    assert r.report()["problem"].str.contains("not UTF-8").any()
    assert "Windows-1252" in " ".join(r.report()["action"])
    assert sha(store.path) == before


def test_missing_columns_need_mapping(store):
    before = sha(store.path)
    r = read_upload(b"Notes,Amount\nsomething,3\n", "notes.csv", PARTNER)
    assert r.status == "needs_mapping" and r.rows_accepted == 0
    assert "Notes, Amount" in r.summary()
    assert sha(store.path) == before


def test_formula_and_html_cells_kept_as_text_and_neutralised(store, tmp_path):
    data = (
        HEADER + '=HYP1,"=HYPERLINK(""http://evil.example"",""click"")",SE6 4JF,,,0.1\n'
        "H1,<script>alert('x')</script> Hall,SE6 4RU,,,0.2\n"
        "@P1,@SUM(A1),SE13 5QL,,,0.3\n"
    ).encode()
    before = sha(store.path)
    r = read_upload(data, "formulas.csv", PARTNER)
    assert sha(store.path) == before  # validation alone never writes
    assert r.rows_accepted == 3
    warn = issues_of(r, "warning")
    assert warn["problem"].str.contains("like a spreadsheet formula").sum() >= 3
    assert warn["problem"].str.contains("HTML").sum() == 1
    sid = store.add_submission(
        partner=PARTNER,
        file_name="formulas.csv",
        assets=r.assets,
        rows_rejected=r.rows_rejected,
        by=Person.local_user(),
    )
    mine = store.assets()
    mine = mine[mine["source"] == f"upload:{sid}"].set_index("name")
    assert "<script>alert('x')</script> Hall" in mine.index  # stored verbatim, escaped when rendered
    out = tmp_path / "f.csv"
    export_assets("csv", out, assets=all_assets(store, include_builtin=False))
    text = out.read_text()
    assert "'=HYPERLINK(" in text and "'@SUM(A1)" in text and "upload:2:=HYP1" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_real_raw_brownfield_register_as_an_upload():
    """The GLA register's original bytes (Windows-1252; WGS84, BNG and ECEF coordinates mixed)
    uploaded as a partner would: every WGS84 and BNG row placed where the mirror's normalised
    copy puts it, every ECEF row rejected with the reason."""
    from anchormap.data.sources import resolve

    raw = resolve("brownfield_london_2017_raw").path
    clean = pd.read_csv(resolve("brownfield_london_2017").path, dtype={"SiteReference": str})
    r = read_upload(raw.read_bytes(), raw.name, "Greater London Authority")
    assert r.register_kind == "brownfield_register"
    assert r.rows_read == len(clean)
    kinds = clean["coord_source_kind"].value_counts()
    assert r.rows_accepted == kinds["wgs84_lonlat"] + kinds["bng_osgb36"]
    assert r.rows_rejected == kinds["ecef_xy_etrs89"]
    errors = issues_of(r, "error")
    assert errors["problem"].str.contains("geocentric \\(ECEF\\)").all() and (errors["column"] == "GeoX").all()
    assert issues_of(r, "warning")["problem"].str.contains("not UTF-8").any()
    both = r.assets.assign(ref=r.assets["asset_id"].str.strip()).merge(
        clean.assign(ref=clean["SiteReference"].str.strip()), on="ref"
    )
    assert len(both) == r.rows_accepted
    assert (both["easting"] - both["easting_bng"]).abs().max() < 1.0
    assert (both["northing"] - both["northing_bng"]).abs().max() < 1.0
    public = both["ownership_norm"].isin(["owned by a public authority", "mixed ownership"])
    assert (both.loc[public, "owner_type"] == "other_public").all()


def test_semicolon_register_with_a_title_row(mirror):
    """The real Lewisham brownfield register written out as a semicolon-separated export with a
    title line above the header: the delimiter comes from the header and data lines, not the title."""
    source = mirror / "land" / "lewisham_brownfield_register_2019" / "lewisham_brownfield_register_2019_extract.csv"
    raw = pd.read_csv(source, dtype=str, keep_default_na=False)
    rows = raw.head(12)
    assert rows["SiteNameAddress"].str.contains(",").any()  # commas inside cells, so commas must not win
    text = "Brownfield land register 2019\n" + rows.to_csv(sep=";", index=False)
    r = read_upload(text.encode("utf-8"), "lewisham_brownfield_2019.csv", PARTNER)
    assert r.status == "ready", r.summary()
    assert r.register_kind == "brownfield_register" and r.columns == list(raw.columns)
    assert r.rows_read == len(rows) and r.rows_rejected == 0
    assert list(r.assets["asset_id"]) == list(rows["SiteReference"])
    assert list(r.assets["name"]) == list(rows["SiteNameAddress"])
    assert r.assets["site_area_ha"].tolist() == [float(v) for v in rows["Hectares"]]
    assert "row(s) above the header" in " ".join(issues_of(r, "note")["problem"])
