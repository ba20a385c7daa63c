"""Every export format, on the real layers, read back with pandas, geopandas and openpyxl using no options.

The same rows and columns in CSV, XLSX, GeoPackage and GeoJSON; CSV as RFC 4180 with a byte-order
mark and no comment lines; its CSVW sidecar naming the header's columns in order; £, × and
accents intact; a column of dicts (a register's extra attributes) as JSON.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook
from shapely.geometry import Point

from anchormap.analysis import gaps
from anchormap.cli import main
from anchormap.commands.anchors import export_anchors
from anchormap.data.build import load_layer
from anchormap.data.csvw import read_sidecar, sidecar_parameters, sidecar_path
from anchormap.data.exports import FORMATS, export_lsoa, write_table
from anchormap.land.assets import export_assets, export_bytes

FORMAT_ENDINGS = {"csv": "csv", "xlsx": "xlsx", "geojson": "geojson", "gpkg": "gpkg"}


def read_back(path, fmt):
    """The file read with no options at all."""
    if fmt == "csv":
        return pd.read_csv(path)
    if fmt == "xlsx":
        return pd.read_excel(path)
    return gpd.read_file(path)


def write_all(tmp_path, name, write) -> dict:
    """``write(fmt, path)`` for every format; each file read back."""
    out = {}
    for fmt in FORMATS:
        path = tmp_path / f"{name}.{FORMAT_ENDINGS[fmt]}"
        write(fmt, path)
        out[fmt] = read_back(path, fmt)
    return out


def attribute_columns(df) -> list[str]:
    return [c for c in df.columns if c != "geometry"]


def assert_same_across_formats(back: dict, key: str, numeric: list[str]):
    csv = back["csv"]
    for fmt, df in back.items():
        assert len(df) == len(csv), fmt
        assert attribute_columns(df) == list(csv.columns), fmt
        assert df[key].astype(str).tolist() == csv[key].astype(str).tolist(), fmt
        for col in numeric:
            np.testing.assert_allclose(df[col].to_numpy(float), csv[col].to_numpy(float), equal_nan=True, err_msg=fmt)


def assert_plain_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    text = raw[3:].decode("utf-8")
    assert text.endswith("\r\n") and "\r\n" in text
    records = text.split("\r\n")
    assert not records[0].startswith("#") and not any(r.startswith("#") for r in records[:5])
    doc = read_sidecar(path)
    assert doc["@context"][0] == "http://www.w3.org/ns/csvw" and doc["url"] == path.name
    header = pd.read_csv(path, nrows=0).columns.tolist()
    columns = doc["tableSchema"]["columns"]
    assert [c["titles"][0] for c in columns] == header
    for c in columns:
        assert "_" not in c["titles"][-1], c  # a readable title
        assert c["datatype"]
    assert doc["dc:created"]["@value"] and doc["prov:wasGeneratedBy"]["schema:softwareVersion"]
    return doc


@pytest.fixture(scope="module")
def ranking():
    params = gaps.GapParams(walk_minutes=12, deciles=(1, 2), edition=2025)
    table = gaps.rank_gaps(gaps.prepare(2025, load_layer("anchors")), params, top=60)
    return table, params


def test_gap_ranking_in_every_format(ranking, tmp_path):
    table, params = ranking
    back = write_all(tmp_path, "gaps", lambda fmt, path: gaps.export_gaps(table, params, fmt, path))
    assert_same_across_formats(back, "lsoa_code", ["gap_rank", "gap_score", "need", "scarcity", "nearest_anchor_m"])
    assert back["csv"]["lsoa_code"].tolist() == table["lsoa_code"].tolist()
    np.testing.assert_allclose(back["csv"]["gap_score"], table["gap_score"])
    assert back["gpkg"].crs.to_epsg() == 27700 and back["geojson"].crs.to_epsg() == 4326
    assert pyogrio.list_layers(tmp_path / "gaps.gpkg")[:, 0].tolist() == ["gaps"]

    doc = assert_plain_csv(tmp_path / "gaps.csv")
    assert "need × scarcity" in doc["dc:description"]
    assert sidecar_parameters(doc)["walk_minutes"] == 12 and sidecar_parameters(doc)["deciles"] == "1,2"
    units = {c["titles"][0]: c.get("schema:unitText") for c in doc["tableSchema"]["columns"]}
    assert units["nearest_anchor_m"] == "metres" and units["gap_score"] == "score" and units["imd_decile"] == "decile"
    types = {c["titles"][0]: c["datatype"] for c in doc["tableSchema"]["columns"]}
    assert types["gap_rank"] == "integer" and types["gap_score"] == "number" and types["lsoa_name"] == "string"
    assert any("Indices of Deprivation 2025" in s for s in doc["dc:source"])
    assert doc["dc:license"][0]["@id"].startswith("https://www.nationalarchives.gov.uk/doc/open-government-licence")
    # every licence link is a URL; a licence the manifest states in words is dc:rights text, never a link
    assert all(" " not in x["@id"] and x["@id"].startswith("https://") for x in doc["dc:license"])
    assert all(" " in x for x in doc.get("dc:rights", []))

    wb = load_workbook(tmp_path / "gaps.xlsx")
    data = wb.worksheets[0]
    assert wb.sheetnames == ["gaps", "About", "Columns"] and data.freeze_panes == "A2"
    assert data.cell(row=2, column=1).data_type == "n" and data.cell(row=2, column=1).value == 1
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows(min_row=2)}
    assert "need × scarcity" in about["How it is worked out"]
    assert about["Walking time (minutes)"] == "12" and about["AnchorMap version"]
    assert about["Deprivation measure"] == "Index of Multiple Deprivation (overall)"
    titles = {r[0].value: r[1].value for r in wb["Columns"].iter_rows(min_row=2)}
    assert titles["gap_score"] == "Gap score" and list(titles) == list(back["csv"].columns)

    meta = pyogrio.read_info(tmp_path / "gaps.gpkg")["layer_metadata"]
    assert "need × scarcity" in meta["How it is worked out"] and meta["Column gap_score"].startswith("Gap score")
    gj = json.loads((tmp_path / "gaps.geojson").read_text(encoding="utf-8"))
    assert gj["anchormap"]["walk_minutes"] == 12 and "generated_at" in gj["anchormap"]


def test_lsoa_layer_in_every_format(tmp_path):
    back = write_all(tmp_path, "lsoa", lambda fmt, path: export_lsoa(2019, fmt, path))
    assert len(back["csv"]) == len(load_layer("lsoa_2011"))
    assert_same_across_formats(back, "lsoa_code", ["imd_score", "imd_rank", "idaci_decile"])
    assert pyogrio.list_layers(tmp_path / "lsoa.gpkg")[:, 0].tolist() == ["lsoa_2011"]
    doc = assert_plain_csv(tmp_path / "lsoa.csv")
    assert sidecar_parameters(doc)["edition"] == 2019


def test_anchors_in_every_format(tmp_path):
    back = write_all(tmp_path, "anchors", lambda fmt, path: export_anchors(fmt, path, "libraries,culture"))
    assert_same_across_formats(back, "anchor_id", ["easting", "northing", "lat", "lon"])
    # accents and other non-ASCII letters in real names survive every format
    names = back["csv"]["name"]
    odd = names[names.map(lambda n: any(ord(ch) > 127 for ch in str(n)))]
    for fmt, df in back.items():
        assert df.loc[odd.index, "name"].tolist() == odd.tolist(), fmt
    doc = assert_plain_csv(tmp_path / "anchors.csv")
    assert any("Arts Council England" in s for s in doc["dc:source"])
    assert not any("OpenStreetMap" in s for s in doc["dc:source"])


def test_land_assets_in_every_format(tmp_path, monkeypatch):
    monkeypatch.setenv("ANCHORMAP_STORE", str(tmp_path / "store.sqlite"))
    builtin = load_layer("land_builtin")
    back = write_all(tmp_path, "land", lambda fmt, path: export_assets(fmt, path, assets=builtin))
    assert len(back["csv"]) == len(builtin)
    assert_same_across_formats(back, "asset_id", ["site_area_ha", "floor_area_m2", "easting"])
    unmapped = back["gpkg"].geometry.isna() | back["gpkg"].geometry.is_empty
    assert unmapped.sum() == (~builtin["on_map"]).sum()  # not on the map: written with no geometry
    doc = assert_plain_csv(tmp_path / "land.csv")
    units = {c["titles"][0]: c.get("schema:unitText") for c in doc["tableSchema"]["columns"]}
    assert units["site_area_ha"] == "hectares" and units["floor_area_m2"] == "m²"
    titles = {c["titles"][0]: c["titles"][-1] for c in doc["tableSchema"]["columns"]}
    assert titles["floor_area_m2"] == "Floor area (m²)" and titles["on_map"] == "On the map"


def hand_made() -> gpd.GeoDataFrame:
    """Two hand-made assets: £, × and accents; a dict of extra columns on one, none on the other."""
    return gpd.GeoDataFrame(
        {
            "asset_id": ["t:1", "t:2"],
            "name": ["Café £5 × 2 — Hôtel de Ville", '=HYPERLINK("http://x")'],
            "floor_area_m2": [120.5, None],
            "extra": [{"Vacant From": "2024-03", "Notes": "Clé ½ — £"}, None],
        },
        geometry=[Point(537684, 173666), Point(533000, 180000)],
        crs=27700,
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_pound_times_accents_and_a_dict_column(tmp_path, fmt):
    path = tmp_path / f"t.{FORMAT_ENDINGS[fmt]}"
    write_table(hand_made(), fmt, path, metadata={"title": "Test £ × é"}, layer="land")
    back = read_back(path, fmt)
    name = back.loc[0, "name"]
    assert name == "Café £5 × 2 — Hôtel de Ville"
    extra = back.loc[0, "extra"]
    if fmt == "geojson":
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["features"][0]["properties"]["extra"] == {"Vacant From": "2024-03", "Notes": "Clé ½ — £"}
        assert doc["features"][1]["properties"]["extra"] is None
    else:
        assert json.loads(extra) == {"Vacant From": "2024-03", "Notes": "Clé ½ — £"}
        assert pd.isna(back.loc[1, "extra"])
    assert pd.isna(back.loc[1, "floor_area_m2"]) and back.loc[0, "floor_area_m2"] == 120.5
    hostile = back.loc[1, "name"]
    assert hostile == ('\'=HYPERLINK("http://x")' if fmt == "csv" else '=HYPERLINK("http://x")')
    if fmt == "csv":
        assert read_sidecar(path)["dc:title"] == "Test £ × é"
        assert "Café £5 × 2" in path.read_bytes().decode("utf-8-sig")


def test_page_download_bytes_match_the_file(ranking, tmp_path):
    table, params = ranking
    xlsx = gaps.export_bytes(table, params, "xlsx")
    gpkg = gaps.export_bytes(table, params, "gpkg")
    (tmp_path / "d.xlsx").write_bytes(xlsx)
    (tmp_path / "d.gpkg").write_bytes(gpkg)
    assert pd.read_excel(tmp_path / "d.xlsx")["lsoa_code"].tolist() == table["lsoa_code"].tolist()
    assert gpd.read_file(tmp_path / "d.gpkg")["lsoa_code"].tolist() == table["lsoa_code"].tolist()
    doc = json.loads(gaps.export_bytes(table, params, "csvw", file_name="anchormap-gaps-2025-imd.csv"))
    assert doc["url"] == "anchormap-gaps-2025-imd.csv"
    land = export_bytes(load_layer("land_builtin").head(5), "xlsx", "status: Vacant")
    (tmp_path / "l.xlsx").write_bytes(land)
    about = pd.read_excel(tmp_path / "l.xlsx", sheet_name="About")
    assert "status: Vacant" in about["Value"].tolist()


@pytest.mark.parametrize(
    "command",
    [
        ["export", "lsoa", "--edition", "2025"],
        ["export", "anchors", "--categories", "emergency_services"],
        ["gaps", "--top", "10"],
        ["land", "export"],
    ],
)
def test_every_command_writes_every_format(command, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ANCHORMAP_STORE", str(tmp_path / "store.sqlite"))
    lengths = {}
    for fmt in FORMATS:
        out = tmp_path / f"out.{FORMAT_ENDINGS[fmt]}"
        assert main([*command, "--format", fmt, "--out", str(out)]) == 0
        said = capsys.readouterr().out
        assert str(out) in said
        if fmt == "csv":
            assert str(sidecar_path(out)) in said and sidecar_path(out).exists()
        lengths[fmt] = len(read_back(out, fmt))
    assert len(set(lengths.values())) == 1, lengths


def test_every_sidecar_is_valid_csvw_and_describes_its_csv(ranking, tmp_path):
    """A CSVW processor (the csvw package, validating) reads each CSV through its sidecar."""
    from csvw import CSVW

    table, params = ranking
    writers = {
        "gaps": lambda path: gaps.export_gaps(table, params, "csv", path),
        "lsoa": lambda path: export_lsoa(2025, "csv", path),
        "anchors": lambda path: export_anchors("csv", path, "health"),
        "land": lambda path: export_assets("csv", path, assets=load_layer("land_builtin")),
    }
    for name, write in writers.items():
        path = tmp_path / f"{name}.csv"
        write(path)
        parsed = CSVW(str(sidecar_path(path)), validate=True)
        assert parsed.is_valid, name
        rows = list(parsed.tables[0].iterdicts())
        assert len(rows) == len(pd.read_csv(path)), name
