"""The anchors layer on the real mirror data: counts checked against the raw files read here."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from anchormap import cli
from anchormap.categories import CATEGORIES
from anchormap.data.build import load_layer
from anchormap.data.csvw import read_sidecar
from anchormap.data.layers.anchors import (
    ANCHOR_COLUMNS,
    ANCHOR_SOURCES,
    LONDON_TOLERANCE_M,
    build_anchors_with_report,
)
from anchormap.data.sources import load_manifest
from anchormap.geo.postcodes import format_postcode

# paths, built, layer, report: the anchors build of the mirror (tests/conftest.py)


def raw(paths, ds: str) -> pd.DataFrame:
    return pd.read_csv(paths[ds], dtype=str, encoding="utf-8-sig")


def of(layer, source: str) -> pd.DataFrame:
    return layer[layer["source"] == source]


def test_schema(layer):
    assert list(layer.columns) == ANCHOR_COLUMNS
    assert layer.crs.to_epsg() == 27700
    assert (layer.geom_type == "Point").all()
    assert layer["anchor_id"].is_unique
    assert (layer["anchor_id"] == layer["source"] + ":" + layer["source_record_id"]).all()
    assert set(layer["status"]) == {"open", "closed"}
    assert set(layer["category"]) <= set(CATEGORIES)
    assert set(layer["source"]) == set(ANCHOR_SOURCES)
    assert layer["name"].str.strip().ne("").all()
    filled = layer["postcode"] != ""
    assert (layer.loc[filled, "postcode"] == layer.loc[filled, "postcode"].map(format_postcode)).all()
    manifest = load_manifest()
    assert (layer["licence"] == layer["source"].map(lambda s: manifest[s].licence)).all()
    assert (of(layer, "places_of_worship")["licence"] == "ODbL-1.0").all()


def test_coordinates_agree_and_match_geometry(layer):
    assert np.allclose(layer.geometry.x, layer["easting"]) and np.allclose(layer.geometry.y, layer["northing"])
    e, n = Transformer.from_crs(4326, 27700, always_xy=True).transform(layer["lon"].to_numpy(), layer["lat"].to_numpy())
    assert np.abs(e - layer["easting"]).max() < 1.0 and np.abs(n - layer["northing"]).max() < 1.0


def test_file_coordinates_are_kept(layer, paths):
    """The file's own pair is kept unchanged: hospitals' lat/lon, fire stations' easting/northing."""
    h = raw(paths, "hospitals").set_index("OrganisationCode")
    ours = of(layer, "hospitals").set_index("source_record_id")
    assert np.allclose(ours["lat"], h.loc[ours.index, "Latitude"].astype(float))
    f = raw(paths, "fire_stations")
    fire = of(layer, "fire_stations")
    assert sorted(fire["easting"]) == sorted(f["X (easting)"].astype(float))


def test_every_site_is_in_london_and_in_its_borough(layer):
    boroughs = load_layer("boroughs").to_crs(27700)
    london = shapely.buffer(shapely.union_all(boroughs.geometry.to_numpy()), LONDON_TOLERANCE_M)
    assert shapely.contains_xy(london, layer["easting"], layer["northing"]).all()
    joined = gpd.sjoin(layer[["anchor_id", "borough_code", "geometry"]], boroughs, predicate="within")
    assert len(joined) > 0.99 * len(layer)
    assert (joined["borough_code_left"] == joined["borough_code_right"]).all()
    assert set(layer["borough_code"]) == set(boroughs["borough_code"])


def test_every_row_read_is_accounted_for(layer, report, paths):
    for ds in ANCHOR_SOURCES:
        r = report.sources[ds]
        assert r.rows_read == len(raw(paths, ds)), ds
        assert r.accounted == r.rows_read, ds
        assert r.kept == len(of(layer, ds)), ds
    summary = report.summary()
    assert summary["rows_read"].sum() == summary[["kept", "outside_london", "no_coordinates", "duplicates"]].sum().sum()
    assert len(report.problems()) == len(report.problems().drop_duplicates())


def test_rows_without_coordinates_are_listed(report, paths):
    s = raw(paths, "schools")
    blank = set(s.loc[s["lat"].isna() | s["lon"].isna(), "urn"])
    listed = {i for i, _ in report.sources["schools"].no_coordinates}
    duplicates = {i for i, _, _ in report.sources["schools"].duplicates}
    assert listed == blank - duplicates
    t = raw(paths, "nhs_trusts")
    assert {i for i, _ in report.sources["nhs_trusts"].no_coordinates} == set(t.loc[t["lat"].isna(), "org_code"])


def test_hospitals_nhs_and_independent(layer, paths):
    h = raw(paths, "hospitals")
    ours = of(layer, "hospitals")
    assert len(ours) == len(h)
    # the file's Sector field is not followed where the ODS parent code contradicts it
    # (see tests/test_anchor_checks.py); every site is one or the other
    trusts = set(raw(paths, "ncdr_locations")["ODS_Code"])
    nhs = ours["subtype"] == "NHS hospital"
    assert (nhs | (ours["subtype"] == "Independent hospital")).all()
    parents = h.set_index("OrganisationCode").loc[ours["source_record_id"], "ParentODSCode"]
    assert parents[nhs.to_numpy()].isin(trusts).all() and 80 < nhs.sum() < len(ours)
    assert (ours["category"] == "health").all()


def test_trust_headquarters(layer, paths):
    t = raw(paths, "nhs_trusts")
    ours = of(layer, "nhs_trusts")
    assert (ours["subtype"] == "NHS trust headquarters").all()
    assert set(ours["source_record_id"]) == set(t.loc[t["lat"].notna(), "org_code"])
    assert "Barts Health NHS Trust" in set(ours["name"])  # capitals tidied, acronym kept


def test_fire_stations_closed_in_2014(layer, paths):
    f = raw(paths, "fire_stations")
    ours = of(layer, "fire_stations")
    closed = set(ours.loc[ours["status"] == "closed", "name"])
    assert closed == {f"{n} Fire Station" for n in f["Station_Name"].tail(10)}
    assert len(closed) == 10
    assert (ours["status"] == "open").sum() == len(f) - 10


def test_libraries_closed_kept(layer, paths):
    lib = raw(paths, "libraries")
    ours = of(layer, "libraries")
    assert len(ours) == len(lib)
    # closed: a closing year, or operation "Closed" with no year (Wood End, Hayes); SOURCE.md counts 39 Closed
    closed_raw = lib["closed"].notna() | (lib["operation_23"] == "Closed")
    assert (ours["status"] == "closed").sum() == closed_raw.sum() == 39
    assert {"Wood End Library", "Hayes Library"} <= set(ours.loc[ours["status"] == "closed", "name"])
    fallback = (lib["geocode"] != "postcode_exact").sum()
    assert (ours["provenance"] == "postcode-sector fallback geocode").sum() == fallback


def test_museums_open_and_closed(layer, paths):
    m = raw(paths, "museums")
    ours = of(layer, "museums")
    assert (ours["status"] == "open").sum() == (m["is_open"] == "True").sum()
    assert (ours["status"] == "closed").sum() == (m["is_open"] == "False").sum()


def test_police_unverified(layer, paths):
    ours = of(layer, "police_front_counters")
    assert len(ours) == len(raw(paths, "police_front_counters"))
    assert ours["provenance"].str.contains("unverified provenance").all()
    assert (ours["category"] == "emergency_services").all()


def test_gp_practices(layer, paths):
    g = raw(paths, "gp_practices")
    ours = of(layer, "gp_practices")
    assert len(ours) == len(g)
    assert (ours["subtype"] == "GP practice").sum() == (g["likely_gp_practice"] == "True").sum()
    assert set(ours["subtype"]) == {"GP practice", "Other NHS prescribing service"}


def test_places_of_worship(layer, paths):
    w = raw(paths, "places_of_worship")
    ours = of(layer, "places_of_worship")
    assert len(ours) == len(w)
    counts = ours["subtype"].str.removeprefix("Place of worship: ").value_counts()
    assert counts.to_dict() == w["religion"].value_counts().to_dict()


def test_schools_and_colleges(layer, report, paths):
    s = raw(paths, "schools").set_index("urn")
    ours = of(layer, "schools").set_index("source_record_id")
    fe = s.index[s["school_type"] == "Further education"].intersection(ours.index)
    assert len(fe) > 0 and (ours.loc[fe, "category"] == "higher_further_education").all()
    sixth = ours.index[ours["subtype"] == "Sixth form college"]
    assert all(
        "sixth form" in s.loc[u, "school_name"].lower() or s.loc[u, "school_type"] == "Academy 16-19 converter"
        for u in sixth
    )
    schools = ours[ours["category"] == "schools"]
    assert not s.loc[schools.index, "school_type"].isin(["Further education", "Higher education institutions"]).any()
    # GIAS HE institutions: either dropped as a Discover Uni duplicate or kept as an HE provider.
    hei = set(s.index[s["category"] == "he_institution"])
    dropped = {i for i, _, _ in report.sources["schools"].duplicates}
    no_coords = {i for i, _ in report.sources["schools"].no_coordinates}
    kept = set(ours.index[ours["subtype"] == "University or HE provider"])
    assert dropped <= hei and kept <= hei and hei == dropped | kept | (hei & no_coords)
    assert dropped and kept


def test_he_providers(layer, report, paths):
    he = raw(paths, "he_providers")
    ours = of(layer, "he_providers")
    dup = report.sources["he_providers"].duplicates
    assert len(ours) + len(dup) == len(he)
    fe_postcodes = set(
        of(layer, "schools").query("subtype == 'Further education college' or subtype == 'Sixth form college'")[
            "postcode"
        ]
    )
    assert all(he.set_index("PUBUKPRN").loc[i, "postcode"] in fe_postcodes for i, _, _ in dup)
    legal = he.set_index("PUBUKPRN")["LEGAL_NAME"]
    assert (ours["organisation"].to_numpy() == legal.loc[ours["source_record_id"]].to_numpy()).all()
    assert (ours["category"] == "higher_further_education").all()


def test_categories_present(layer, report):
    present = set(layer["category"])
    assert present == set(CATEGORIES)  # council_civic is filled by the council headquarters
    assert report.notes == []  # no category is left without sites, so no note says so
    assert all(report.category_counts[k] == (layer["category"] == k).sum() for k in CATEGORIES)


def test_outside_london_and_missing_coordinates_are_counted(paths, tmp_path):
    """The real hospitals file plus two hand-made edge rows: one in Manchester, one without coordinates."""
    h = raw(paths, "hospitals")
    extra = pd.DataFrame(
        [
            {
                **{c: "" for c in h.columns},
                "OrganisationCode": "TEST1",
                "OrganisationName": "Manchester Royal Infirmary",
                "Sector": "NHS Sector",
                "Postcode": "M13 9WL",
                "Latitude": "53.4627",
                "Longitude": "-2.2261",
            },
            {
                **{c: "" for c in h.columns},
                "OrganisationCode": "TEST2",
                "OrganisationName": "No Place Hospital",
                "Sector": "NHS Sector",
            },
        ]
    )
    path = tmp_path / "hospitals.csv"
    pd.concat([h, extra]).to_csv(path, index=False)
    layer, report = build_anchors_with_report({**paths, "hospitals": path})
    r = report.sources["hospitals"]
    assert r.rows_read == len(h) + 2 and r.kept == len(h)
    assert r.outside_london == [("TEST1", "Manchester Royal Infirmary")]
    assert r.no_coordinates == [("TEST2", "No Place Hospital")]
    assert "Manchester Royal Infirmary" in report.text() and "No Place Hospital" in report.text()
    assert "TEST1" not in set(layer["source_record_id"])


def test_cli_export_csv_and_geojson(tmp_path, capsys):
    layer = load_layer("anchors")
    out = tmp_path / "anchors.csv"
    assert (
        cli.main(["export", "anchors", "--format", "csv", "--out", str(out), "--categories", "health,libraries"]) == 0
    )
    table = pd.read_csv(out, dtype=str)
    expected = layer[layer["category"].isin(["health", "libraries"]) & (layer["status"] == "open")]
    assert sorted(table["anchor_id"]) == sorted(expected["anchor_id"])
    assert "geometry" not in table.columns
    sources = " ".join(read_sidecar(out)["dc:source"])
    assert "OpenStreetMap" not in sources  # attribution of shown datasets only
    assert "Arts Council England" in sources

    gj = tmp_path / "anchors.geojson"
    assert (
        cli.main(
            [
                "export",
                "anchors",
                "--format",
                "geojson",
                "--out",
                str(gj),
                "--include-closed",
                "--categories",
                "emergency_services",
            ]
        )
        == 0
    )
    doc = json.loads(gj.read_text(encoding="utf-8"))
    assert len(doc["features"]) == (layer["category"] == "emergency_services").sum()
    lon, lat = doc["features"][0]["geometry"]["coordinates"]
    assert -0.6 < lon < 0.4 and 51.2 < lat < 51.8
    assert "Wrote" in capsys.readouterr().out


def test_cli_unknown_category_is_a_message(tmp_path, capsys):
    assert cli.main(["export", "anchors", "--out", str(tmp_path / "x.csv"), "--categories", "healthh"]) == 2
    err = capsys.readouterr().err
    assert "healthh" in err and "Traceback" not in err
    assert not (tmp_path / "x.csv").exists()


def test_cli_report(capsys):
    assert cli.main(["anchors", "report"]) == 0
    out = capsys.readouterr().out
    for ds in ANCHOR_SOURCES:
        assert ds in out
    assert "no usable coordinates" in out and "council" in out.lower()
