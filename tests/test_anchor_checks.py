"""Checks in the anchors build on the real mirror data: positions against postcodes, sector
from the source's own fields, and each row's edition date.

Expected values are computed here from the raw files (pyproj and pandas), not copied from the
layer: the museum that sat about 4 km from its own postcode, and the private clinics the NHS
website list calls "NHS Sector", are found by the checks, never by their names.
"""

from __future__ import annotations

import datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from anchormap import cli
from anchormap.categories import SECTOR_INDEPENDENT, SECTOR_NHS, SECTORS
from anchormap.crs import BNG
from anchormap.data.build import load_layer
from anchormap.data.layers.anchor_sources import SECTOR_FALLBACK_NOTE, read_hospitals, read_schools, school_sector
from anchormap.data.layers.anchors import (
    POSITION_CHECK_M,
    check_positions,
)
from anchormap.data.layers.land import add_editions
from anchormap.data.sources import load_manifest

TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


# paths, built, layer, report: the anchors build of the mirror (tests/conftest.py)


@pytest.fixture(scope="module")
def codepoint(paths):
    cp = pd.read_csv(paths["postcodes"], dtype={"postcode": str, "lad_code": str})
    cp["key"] = cp["postcode"].str.replace(" ", "").str.upper()
    return cp.drop_duplicates("key").set_index("key")


@pytest.fixture(scope="module")
def museums_far(paths, codepoint):
    """Museums from the raw file with the distance (m) from their published point to their postcode's point."""
    m = pd.read_csv(paths["museums"], dtype=str)
    m["key"] = m["Postcode"].fillna("").str.replace(" ", "").str.upper()
    m = m[m["key"].isin(codepoint.index)].copy()
    e, n = TO_BNG.transform(m["Longitude"].astype(float).to_numpy(), m["Latitude"].astype(float).to_numpy())
    pc = codepoint.loc[m["key"]]
    m["pc_e"], m["pc_n"] = pc["easting"].to_numpy(float), pc["northing"].to_numpy(float)
    m["distance_m"] = np.hypot(e - m["pc_e"], n - m["pc_n"])
    m["pub_e"], m["pub_n"] = e, n
    return m


def test_museum_far_from_its_postcode_is_flagged_and_placed_at_the_postcode(layer, museums_far):
    far = museums_far[museums_far["distance_m"] > 3000]
    assert len(far) >= 1  # the case: a museum about 4 km from its own postcode
    rows = layer[layer["source"] == "museums"].set_index("source_record_id").loc[far["museum_id"]]
    assert (rows["position_check"].str.startswith("Placed at its postcode")).all()
    assert np.allclose(rows["easting"], far["pc_e"].to_numpy()) and np.allclose(rows["northing"], far["pc_n"])
    assert np.allclose(rows["position_moved_m"], far["distance_m"].round(1).to_numpy(), atol=0.1)
    assert np.allclose(rows.geometry.x, far["pc_e"].to_numpy())
    assert all(f"{d / 1000:.1f} km away" in t for d, t in zip(far["distance_m"], rows["position_check"], strict=True))


def test_flagged_exactly_when_more_than_1_km_apart(layer, museums_far):
    museums = layer[layer["source"] == "museums"].set_index("source_record_id")
    compared = museums_far[museums_far["museum_id"].isin(museums.index)]
    flagged = museums.loc[compared["museum_id"], "position_check"] != ""
    assert (flagged.to_numpy() == (compared["distance_m"] > POSITION_CHECK_M).to_numpy()).all()
    near = compared[compared["distance_m"] <= POSITION_CHECK_M]
    assert (museums.loc[near["museum_id"], "position_moved_m"] == 0).all()
    assert len(near) > 250  # the check compared (nearly) all of them, not none


def test_e14_2dg_no_longer_has_a_museum_900_m_away_that_is_4_km_off(layer, museums_far, codepoint):
    """The issue: a museum ~4 km from its postcode appeared "900 m" from E14 2DG."""
    home = codepoint.loc["E142DG"]
    d_pub = np.hypot(museums_far["pub_e"] - home["easting"], museums_far["pub_n"] - home["northing"])
    misleading = museums_far[(d_pub < 1000) & (museums_far["distance_m"] > 3000)]
    assert len(misleading) >= 1
    rows = layer[layer["source"] == "museums"].set_index("source_record_id").loc[misleading["museum_id"]]
    now = np.hypot(rows["easting"] - home["easting"], rows["northing"] - home["northing"])
    assert (now > 3000).all()


def test_report_lists_flagged_sites_and_counts(report, layer):
    checks = report.position_checks()
    assert len(checks) == (layer["position_check"] != "").sum() == report.position_flagged
    assert (checks["distance_m"] > POSITION_CHECK_M).all()
    summary = report.summary().set_index("source")
    assert summary["position_flagged"].sum() == len(checks)
    text = report.text()
    assert f"Position check: {len(checks)} site(s)" in text
    for r in checks.itertuples():
        assert f"{r.name} | {r.kind} | {r.source} | {r.distance_m / 1000:.1f} km | {r.reason}" in text


def test_cli_anchors_report_prints_the_position_check(capsys, mirror):
    assert cli.main(["anchors", "report"]) == 0
    out = capsys.readouterr().out
    assert "Position check:" in out and "Placed at its postcode" in out


# --- the rule, on small hand-made cases -----------------------------------------------------


@pytest.fixture(scope="module")
def boroughs():
    return load_layer("boroughs").to_crs(BNG)


def _site(postcode: str, easting: float, northing: float, stated: str = "", provenance: str = "") -> dict:
    return {
        "postcode": postcode,
        "easting": easting,
        "northing": northing,
        "lat": np.nan,
        "lon": np.nan,
        "stated_borough": stated,
        "provenance": provenance,
    }


def test_rule_on_edge_cases(codepoint, boroughs):
    table = load_layer("postcodes")
    pc = codepoint.loc["SE64RU"]  # Lewisham
    e, n = float(pc["easting"]), float(pc["northing"])
    frame = pd.DataFrame(
        [
            _site("SE6 4RU", e + 300, n),  # 300 m: fine
            _site("SE6 4RU", e + 40_000, n + 40_000),  # outside London
            _site("SE6 4RU", 530_000.0, 180_000.0, stated="Westminster"),  # a Westminster point; source agrees
            _site("SE6 4RU", 530_000.0, 180_000.0, stated="Lewisham"),  # source says Lewisham
            _site("SE6 4RU", e + 1500, n, provenance=SECTOR_FALLBACK_NOTE),
            _site("ZZ9 9ZZ", e + 5000, n),  # not a Code-Point postcode: not compared
        ]
    )
    out = check_positions(frame, table, boroughs)
    checks = out["position_check"].tolist()
    assert checks[0] == "" and out.at[0, "position_moved_m"] == 0 and out.at[0, "easting"] == e + 300
    assert checks[1].startswith("Placed at its postcode SE6 4RU") and "outside London" in checks[1]
    assert out.at[1, "easting"] == e and out.at[1, "position_moved_m"] > 50_000
    assert checks[2].startswith("Kept at the published map point: its postcode SE6 4RU")
    assert "Westminster as its borough" in checks[2] and out.at[2, "easting"] == 530_000.0
    assert out.at[2, "position_moved_m"] == 0
    assert checks[3].startswith("Placed at its postcode") and "Lewisham as its borough" in checks[3]
    assert "in another borough (Westminster)" in checks[3]
    assert "fallback geocode" in checks[4] and out.at[4, "easting"] == e
    assert checks[5] == "" and np.isnan(out.at[5, "position_distance_m"])
    assert np.isfinite(out.loc[[1, 3, 4], ["lat", "lon"]].to_numpy()).all()


# --- sector ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trust_codes(paths):
    register = pd.read_csv(paths["ncdr_locations"], dtype=str)
    return set(register.loc[register["Role"] == "NHS TRUST", "ODS_Code"])


def test_every_nhs_hospital_has_an_nhs_trust_as_parent_in_its_source(layer, paths, trust_codes):
    raw = pd.read_csv(paths["hospitals"], dtype=str).set_index("OrganisationCode")
    hosp = layer[layer["source"] == "hospitals"]
    nhs = hosp[hosp["subtype"] == "NHS hospital"]
    assert len(nhs) > 80
    assert (nhs["sector"] == SECTOR_NHS).all()
    assert raw.loc[nhs["source_record_id"], "ParentODSCode"].isin(trust_codes).all()
    assert set(hosp["sector"]) == {SECTOR_NHS, SECTOR_INDEPENDENT}
    assert ((hosp["sector"] == SECTOR_NHS) == (hosp["subtype"] == "NHS hospital")).all()


def test_private_clinics_the_list_calls_nhs_are_independent(layer, paths, trust_codes):
    """The issue's case: the file's Sector field says "NHS Sector" but its parent organisation is
    no NHS trust in the ODS register (a company): typed independent, found by the fields."""
    raw = pd.read_csv(paths["hospitals"], dtype=str)
    wrong = raw[(raw["Sector"] == "NHS Sector") & ~raw["ParentODSCode"].isin(trust_codes)]
    assert len(wrong) >= 10
    hosp = layer[layer["source"] == "hospitals"].set_index("source_record_id")
    got = hosp.loc[wrong["OrganisationCode"]]
    assert (got["subtype"] == "Independent hospital").all() and (got["sector"] == SECTOR_INDEPENDENT).all()
    independent = raw[(raw["Sector"] == "Independent Sector") & ~raw["ParentODSCode"].isin(trust_codes)]
    assert (hosp.loc[independent["OrganisationCode"], "sector"] == SECTOR_INDEPENDENT).all()


def test_sector_overrides_are_reported(report, layer):
    overrides = report.sources["hospitals"].sector_overrides
    hosp = layer[layer["source"] == "hospitals"].set_index("source_record_id")
    assert len(overrides) >= 20
    for record, _name, said, _why in overrides:
        assert said.startswith("NHS") != (hosp.at[record, "sector"] == SECTOR_NHS)
    assert "Sector not taken from the file's own Sector field" in report.text()


def test_sector_does_not_come_from_names(paths, tmp_path):
    raw = pd.read_csv(paths["hospitals"], dtype=str)
    swapped = raw.assign(OrganisationName="Independent Private Clinic", ParentName="An NHS Foundation Trust")
    path = tmp_path / "hospitals.csv"
    swapped.to_csv(path, index=False)
    a, b = read_hospitals(paths["hospitals"]), read_hospitals(path)
    assert (a["sector"] == b["sector"]).all() and (a["subtype"] == b["subtype"]).all()
    schools = read_schools(paths["schools"])
    assert (schools["sector"] == pd.read_csv(paths["schools"], dtype=str)["school_type"].map(school_sector)).all()


def test_sector_vocabulary_and_school_types(layer, paths):
    assert set(layer["sector"]) <= set(SECTORS)
    raw = pd.read_csv(paths["schools"], dtype=str).set_index("urn")
    schools = layer[layer["source"] == "schools"]
    types = raw.loc[schools["source_record_id"], "school_type"].str.lower()
    academies = types.str.startswith(("academy", "free school")).to_numpy()
    assert (schools["sector"].to_numpy()[academies] == "Academy trust").all() and academies.sum() > 900
    independent = types.str.startswith("other independent").to_numpy()
    assert (schools["sector"].to_numpy()[independent] == "Independent").all() and independent.sum() > 400
    museums = layer[layer["source"] == "museums"].set_index("source_record_id")
    mm = pd.read_csv(paths["museums"], dtype=str).set_index("museum_id")
    council = mm.index[mm["Governance"] == "Government-Local_Authority"]
    assert (museums.loc[council, "sector"] == "Local authority").all() and len(council) > 40


# --- editions -------------------------------------------------------------------------------


def test_every_anchor_row_carries_its_dataset_edition(layer):
    manifest = load_manifest()
    for ds, rows in layer.groupby("source"):
        assert (rows["edition"] == manifest[ds].as_of).all()
        assert (rows["edition_date"] == manifest[ds].edition_date.isoformat()).all()
    assert all(datetime.date.fromisoformat(d) for d in layer["edition_date"].unique())


def test_every_land_row_carries_its_dataset_edition(mirror):
    land = load_layer("land_builtin")
    manifest = load_manifest()
    assert {"edition", "edition_date"} <= set(land.columns)
    eric = land[land["source"] == "eric_sites"]
    assert len(eric) and (eric["edition"] == "2016/17").all() and (eric["edition_date"] == "2017-03-31").all()
    for ds, rows in land.groupby("source"):
        assert (rows["edition_date"] == manifest[ds].edition_date.isoformat()).all()
    uploads = add_editions(pd.DataFrame({"source": ["upload:3"], "source_date": ["2024-05-01"]}))
    assert uploads.loc[0, ["edition", "edition_date", "source_date"]].tolist() == ["", "", "2024-05-01"]


def test_network_list_rows_carry_no_invented_edition(mirror):
    from anchormap.network.lists import read_network_csv

    gdf, _report = read_network_csv(b"name,postcode\nOur hall,SE6 4RU\n", "ours.csv", load_layer("postcodes"), None)
    assert gdf.loc[0, "edition"] == "" and gdf.loc[0, "edition_date"] == "" and gdf.loc[0, "position_check"] == ""
    assert isinstance(gdf, gpd.GeoDataFrame)


def test_area_card_sentence_says_a_site_was_moved():
    from anchormap.analysis.area_card import anchor_sentence

    site = {"name": "A museum", "category": "culture", "subtype": "Museum", "distance_m": 500.0, "source": "museums"}
    moved = {**site, "position_check": "Placed at its postcode E2 9RF: the published map point is 4.3 km away"}
    assert "placed at its postcode" not in anchor_sentence(site)
    assert "placed at its postcode: its published map point was more than 1 km away" in anchor_sentence(moved)
    from anchormap.data.fact_dates import fact_source_words

    assert anchor_sentence(moved).endswith(f"— {fact_source_words('museums')}.")


def test_build_report_says_how_many_were_flagged(layer):
    from anchormap.data.layers import LAYERS

    (line,) = LAYERS["anchors"].notes(layer)
    n = int((layer["position_check"] != "").sum())
    assert line.startswith(f"position check flagged {n} site(s)") and n >= 1
