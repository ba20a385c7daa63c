"""Edge cases of the upload kinds, with small hand-made files: zips that are not a shapefile or
are unsafe, a shapefile without .prj, GeoPackages and workbooks with several register-like
parts, polygons, and corrupt files. Every refusal is an UploadError naming the file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from anchormap.cli import main
from anchormap.land.ingest import ChoiceNeeded, UploadError, read_upload
from anchormap.land.ingest import gis as gis_reader

PARTNER = "London Borough of Lewisham"
SITES = pd.DataFrame(
    {
        "Site Name": ["Catford depot", "Old library"],
        "Asset Ref": ["A1", "A2"],
        "Status": ["Vacant", "Occupied"],
    }
)
BNG_POINTS = [Point(537900, 173500), Point(538200, 173800)]


def _sites(geometry=None, crs="EPSG:27700") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(SITES.copy(), geometry=geometry or BNG_POINTS, crs=crs)


def _shapefile(gdf: gpd.GeoDataFrame, tmp: Path, stem: str, keep=(".shp", ".shx", ".dbf", ".prj", ".cpg")) -> dict:
    folder = tmp / stem
    folder.mkdir()
    gdf.to_file(folder / f"{stem}.shp", engine="pyogrio")
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix in keep}


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _gpkg(tmp: Path, layers: dict[str, gpd.GeoDataFrame | pd.DataFrame]) -> bytes:
    path = tmp / "layers.gpkg"
    for name, frame in layers.items():
        if isinstance(frame, gpd.GeoDataFrame):
            frame.to_file(path, layer=name, engine="pyogrio")
        else:
            import pyogrio

            pyogrio.write_dataframe(frame, path, layer=name)
    return path.read_bytes()


def test_a_zipped_shapefile_is_reprojected_and_placed(tmp_path):
    wgs = _sites().to_crs("EPSG:4326")
    r = read_upload(_zip(_shapefile(wgs, tmp_path, "sites")), "sites.zip", PARTNER)
    assert r.status == "ready" and r.rows_accepted == 2
    assert list(r.assets["easting"].round()) == [537900, 538200]
    assert list(r.assets["row_number"]) == [1, 2]  # feature numbers
    assert "the coordinates are in WGS 84" in list(r.report()["problem"])


def test_a_zip_with_no_shapefile_is_refused(tmp_path):
    files = {"readme.txt": b"the sites", **_shapefile(_sites(), tmp_path, "sites", keep=(".dbf",))}
    with pytest.raises(UploadError, match=r"^sites\.zip holds no shapefile \(no \.shp file; it holds readme\.txt"):
        read_upload(_zip(files), "sites.zip", PARTNER)


def test_a_shapefile_without_its_shx_is_refused(tmp_path):
    files = _shapefile(_sites(), tmp_path, "sites", keep=(".shp", ".dbf", ".prj"))
    with pytest.raises(UploadError, match=r"sites\.zip: the shapefile 'sites' has no \.shx file"):
        read_upload(_zip(files), "sites.zip", PARTNER)


def test_a_zip_with_two_shapefiles_asks_which_then_reads_the_one_named(tmp_path):
    other = _sites()
    other["Site Name"] = ["Hither Green clinic", "Lee centre"]
    files = {
        **{f"north/{k}": v for k, v in _shapefile(_sites(), tmp_path, "north").items()},
        **{f"south/{k}": v for k, v in _shapefile(other, tmp_path, "south").items()},
    }
    with pytest.raises(ChoiceNeeded) as asked:
        read_upload(_zip(files), "two.zip", PARTNER)
    assert asked.value.part_word == "shapefile" and asked.value.choices == ["north/north", "south/south"]
    assert str(asked.value).startswith("two.zip has several shapefiles that could hold the register")
    r = read_upload(_zip(files), "two.zip", PARTNER, sheet="south/south")
    assert list(r.assets["name"]) == ["Hither Green clinic", "Lee centre"]
    assert "read the shapefile 'south/south', as asked" in list(r.report()["action"])


@pytest.mark.parametrize("member", ["../evil.shp", "/etc/evil.shp", "sites/../../evil.dbf", "C:\\evil.shp"])
def test_a_zip_member_leaving_the_folder_is_refused(member, tmp_path):
    files = {**_shapefile(_sites(), tmp_path, "sites"), member: b"x"}
    with pytest.raises(UploadError, match=r"^sites\.zip holds a file whose path leaves the zip's folder"):
        read_upload(_zip(files), "sites.zip", PARTNER)


def test_a_zip_that_unpacks_too_large_is_refused_before_unpacking(tmp_path, monkeypatch):
    monkeypatch.setattr(gis_reader, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    files = {**_shapefile(_sites(), tmp_path, "sites"), "padding.bin": b"\0" * (2 * 1024 * 1024)}
    data = _zip(files)
    assert len(data) < 100_000  # a small upload that unpacks to 2 MB
    with pytest.raises(UploadError, match=r"^sites\.zip would unpack to 2 MB; the limit is 1 MB"):
        read_upload(data, "sites.zip", PARTNER)


def test_a_shapefile_without_prj_in_grid_range_is_read_as_british_national_grid(tmp_path):
    files = _shapefile(_sites(), tmp_path, "sites", keep=(".shp", ".shx", ".dbf"))
    r = read_upload(_zip(files), "noprj.zip", PARTNER)
    assert r.rows_accepted == 2 and list(r.assets["easting"].round()) == [537900, 538200]
    line = r.report().query("column == 'geometry'").iloc[0]
    assert line["severity"] == "warning" and "no .prj file" in line["problem"]
    assert "read as British National Grid (EPSG:27700)" in line["action"]


def test_a_shapefile_without_prj_in_degrees_is_refused(tmp_path):
    files = _shapefile(_sites().to_crs("EPSG:4326"), tmp_path, "sites", keep=(".shp", ".shx", ".dbf"))
    with pytest.raises(UploadError, match=r"^noprj\.zip does not say its coordinate reference system"):
        read_upload(_zip(files), "noprj.zip", PARTNER)


def test_a_geopackage_picks_the_register_layer_among_a_lookup_table(tmp_path):
    lookup = pd.DataFrame({"Code": ["V", "O"], "Meaning": ["Vacant", "Occupied"]})
    r = read_upload(_gpkg(tmp_path, {"codes": lookup, "sites": _sites()}), "estate.gpkg", PARTNER)
    assert r.rows_accepted == 2 and list(r.assets["status"]) == ["vacant", "occupied"]
    assert "read the layer 'sites', whose header is recognised best" in list(r.report()["action"])


def test_a_geopackage_with_two_register_layers_asks(tmp_path):
    data = _gpkg(tmp_path, {"sites_2024": _sites(), "sites_2025": _sites()})
    with pytest.raises(ChoiceNeeded, match=r"^estate\.gpkg has several layers") as asked:
        read_upload(data, "estate.gpkg", PARTNER)
    assert asked.value.choices == ["sites_2024", "sites_2025"]
    assert read_upload(data, "estate.gpkg", PARTNER, sheet="SITES_2025 ").rows_accepted == 2
    with pytest.raises(UploadError, match=r"^estate\.gpkg has no layer 'sites_2026'\. Its layers: 'sites_2024'"):
        read_upload(data, "estate.gpkg", PARTNER, sheet="sites_2026")


def test_polygons_are_placed_inside_and_give_the_site_area_when_the_register_has_none(tmp_path):
    squares = [box(537800, 173400, 538000, 173600), box(538100, 173700, 538300, 173800)]  # 4 ha and 2 ha
    r = read_upload(_gpkg(tmp_path, {"sites": _sites(squares)}), "shapes.gpkg", PARTNER)
    assert list(r.assets["site_area_ha"]) == [4.0, 2.0]
    assert all(sq.contains(Point(e, n)) for sq, e, n in zip(squares, r.assets["easting"], r.assets["northing"]))
    problems = " ".join(r.report()["problem"])
    assert "2 feature(s) are Polygon, not points" in problems and "give no site area" in problems

    given = _sites(squares)
    given["Hectares"] = [0.5, 0.25]
    (tmp_path / "given").mkdir()
    r = read_upload(_gpkg(tmp_path / "given", {"sites": given}), "given.gpkg", PARTNER)
    assert list(r.assets["site_area_ha"]) == [0.5, 0.25]  # the register's own figure wins


def _two_sheet_workbook(engine: str) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine=engine) as xl:
        SITES.assign(**{"Post Code": ["SE6 4RU", "SE13 6LG"]}).to_excel(xl, sheet_name="2024", index=False)
        SITES.assign(**{"Post Code": ["SE6 4RU", "SE13 6LG"]}).to_excel(xl, sheet_name="2025", index=False)
    return buf.getvalue()


@pytest.mark.parametrize("engine,suffix", [("openpyxl", "xlsx"), ("odf", "ods")])
def test_a_workbook_with_two_register_sheets_asks(engine, suffix):
    data = _two_sheet_workbook(engine)
    with pytest.raises(ChoiceNeeded) as asked:
        read_upload(data, f"both.{suffix}", PARTNER)
    assert asked.value.part_word == "sheet" and asked.value.choices == ["2024", "2025"]
    assert "(on the command line: --sheet NAME)" in str(asked.value)
    r = read_upload(data, f"both.{suffix}", PARTNER, sheet="2025")
    assert r.rows_accepted == 2 and list(r.assets["row_number"]) == [2, 3]


def test_the_command_line_says_which_sheets_and_takes_sheet(tmp_path, capsys):
    path = tmp_path / "both.xlsx"
    path.write_bytes(_two_sheet_workbook("openpyxl"))
    assert main(["land", "import", str(path), "--partner", PARTNER, "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "both.xlsx has several sheets" in out and '--sheet "2024"' in out and '--sheet "2025"' in out
    assert main(["land", "import", str(path), "--partner", PARTNER, "--dry-run", "--sheet", "2025"]) == 0
    assert "Dry run: 2 row(s) would be stored" in capsys.readouterr().out


@pytest.mark.parametrize(
    "name,message",
    [
        ("broken.gpkg", r"^broken\.gpkg cannot be read as a GeoPackage"),
        ("broken.zip", r"^broken\.zip is not a readable zip file"),
        ("broken.xlsx", r"^broken\.xlsx cannot be read as an Excel \.xlsx workbook"),
        ("broken.ods", r"^broken\.ods cannot be read as an OpenDocument \.ods spreadsheet"),
        ("broken.xls", r"^broken\.xls cannot be read as an old Excel \.xls workbook"),
    ],
)
def test_a_corrupt_file_gets_a_message_naming_it(name, message):
    with pytest.raises(UploadError, match=message):
        read_upload(b"PK\x03\x04 this is not what it says it is" * 10, name, PARTNER)


def test_a_truncated_geopackage_names_the_file(tmp_path):
    data = _gpkg(tmp_path, {"sites": _sites()})
    with pytest.raises(UploadError, match=r"^cut\.gpkg "):
        read_upload(data[: len(data) // 3], "cut.gpkg", PARTNER)


def test_a_damaged_shapefile_or_geopackage_names_the_upload_not_a_temporary_file(tmp_path):
    files = _shapefile(_sites(), tmp_path, "sites")
    files["sites.shp"] = files["sites.shp"][:60]  # the header cut short
    with pytest.raises(UploadError, match=r"^estate\.zip \(shapefile sites\.shp\) cannot be read") as err:
        read_upload(_zip(files), "estate.zip", PARTNER)
    assert "anchormap-upload-" not in str(err.value) and "Traceback" not in str(err.value)
    data = _gpkg(tmp_path, {"sites": _sites()})
    with pytest.raises(UploadError, match=r"^cut\.gpkg ") as err:
        read_upload(data[: len(data) // 3], "cut.gpkg", PARTNER)
    assert "anchormap-upload-" not in str(err.value) and "/tmp" not in str(err.value)


def test_polygon_areas_stay_when_the_column_form_sends_a_whole_mapping(tmp_path):
    """The page's column form sends every column's field (keep_recognised=False): what the file's
    geometry gives (the point and the polygon's area) is not lost with it."""
    squares = [box(537800, 173400, 538000, 173600), box(538100, 173700, 538300, 173800)]  # 4 ha and 2 ha
    data = _gpkg(tmp_path, {"sites": _sites(squares)})
    whole = {"name": "Site Name", "asset_id": "Asset Ref", "status": "Status"}
    r = read_upload(data, "shapes.gpkg", PARTNER, mapping=whole, keep_recognised=False)
    assert list(r.assets["site_area_ha"]) == [4.0, 2.0] and r.assets["on_map"].all()


def test_an_ods_mimetype_that_unpacks_huge_is_not_read_whole(tmp_path):
    """A zip's "mimetype" member is looked at to tell .ods from .xlsx: only its first bytes are
    read, so a member that unpacks to 200 MB (a 200 kB upload) cannot exhaust memory."""
    import tracemalloc

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", b"a" * 200_000_000)
    data = buf.getvalue()
    assert len(data) < 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(UploadError, match="bomb.ods"):
            read_upload(data, "bomb.ods", PARTNER)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000, f"{peak:,} bytes held while looking at the upload"
