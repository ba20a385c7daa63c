"""The plain-English area card, checked against the raw IoD files read independently.

Hand-checked in the mirror: SE6 4RU lies in E01003318 (Lewisham 020B), whose IoD2025 row is
``E01003318,1,1,1,5,1,1,1,1,...`` (IMD, income, employment, education, health, crime,
housing and services, environment deciles).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from anchormap.analysis.area_card import (
    GLOSSARY,
    PUBLIC_OWNER_TYPES,
    area_summary,
    card_for_place,
    card_to_text,
    deprivation_lines,
    measure_sentence,
    nearby_anchors,
    nearby_unused_land,
    walk_words,
)
from anchormap.analysis.catchment import walk_radius_m
from anchormap.data.build import load_layer
from anchormap.data.sources import resolve
from anchormap.geo.place_search import search_place
from anchormap.land.schema import UNUSED_STATUSES

RAW_2025 = {
    "imd": "IMD",
    "income": "Income",
    "employment": "Employment",
    "education": "Education",
    "health": "Health",
    "crime": "Crime",
    "housing": "Housing_and_Services",
    "environment": "Environment",
}


@pytest.fixture(scope="module")
def raw_imd2025(mirror) -> pd.DataFrame:
    return pd.read_csv(resolve("imd2025").path).set_index("lsoa21_code")


@pytest.fixture(scope="module")
def se6():
    return search_place("se64ru", 2025)


def test_measure_sentences_in_plain_english():
    assert (
        measure_sentence("income", 2)
        == "This neighbourhood is among the 20% most deprived areas in England for income."
    )
    assert (
        measure_sentence("crime", 9) == "This neighbourhood is among the 20% least deprived areas in England for crime."
    )
    assert measure_sentence("imd", 1) == "Overall, this neighbourhood is among the 10% most deprived areas in England."
    for missing in (None, float("nan"), 0, 11, "x"):
        assert (
            measure_sentence("health", missing)
            == "There is no figure for health and disability for this neighbourhood."
        )


def test_card_deciles_match_the_raw_iod2025(se6, raw_imd2025):
    assert se6.lsoa_code == "E01003318"
    raw = raw_imd2025.loc["E01003318"]
    assert [int(raw[f"{c}_decile"]) for c in RAW_2025.values()] == [1, 1, 1, 5, 1, 1, 1, 1]  # hand-checked
    card = card_for_place(se6, load_layer("lsoa_2021"))
    lines = [card.overall, *card.domains]
    assert [m.key for m in lines] == list(RAW_2025)
    for m in lines:
        assert m.decile == int(raw[f"{RAW_2025[m.key]}_decile"])
        assert m.sentence == measure_sentence(m.key, m.decile)
    assert card.overall.sentence == "Overall, this neighbourhood is among the 10% most deprived areas in England."
    edu = next(m for m in card.domains if m.key == "education")
    assert (
        edu.sentence == "This neighbourhood is among the 50% most deprived areas in England for education and skills."
    )
    assert card.title == "SE6 4RU" and "Lewisham 020B" in card.subtitle and "Lewisham" in card.subtitle
    assert "33,755" in card.edition_note


def test_2019_card_has_children_and_older_people_from_the_raw_file(mirror):
    raw = pd.read_csv(resolve("imd2019").path)
    place = search_place("SE6 4RU", 2019)
    row = raw.loc[raw["LSOA code (2011)"] == place.lsoa_code].iloc[0]
    lines = {
        m.key: m
        for m in deprivation_lines(load_layer("lsoa_2011").set_index("lsoa_code").loc[place.lsoa_code].to_dict(), 2019)
    }
    assert {"idaci", "idaopi"} <= set(lines)
    imd_col = next(c for c in raw.columns if c.startswith("Index of Multiple Deprivation (IMD) Decile"))
    idaci_col = next(
        c for c in raw.columns if c.startswith("Income Deprivation Affecting Children Index (IDACI) Decile")
    )
    assert lines["imd"].decile == int(row[imd_col])
    assert lines["idaci"].decile == int(row[idaci_col])
    assert "children in low-income homes" in lines["idaci"].sentence


def test_walk_words():
    # 500 m straight x 1.3 = 650 m walked; 650 m at 80 m a minute = 8.1 minutes
    assert walk_words(500) == "about 650 m, 8 minutes' walk"
    assert walk_words(20) == "about 50 m, 1 minute's walk"
    assert walk_words(1000) == "about 1.3 km, 16 minutes' walk"


def _sites(rows):
    df = pd.DataFrame(rows, columns=["name", "category", "status", "easting", "northing"])
    return df.assign(subtype="", organisation="", provenance="")


def test_nearby_anchors_per_category_closed_and_fallback():
    x, y = 530000.0, 180000.0
    anchors = _sites(
        [
            ("Lib A", "libraries", "open", x + 100, y),
            ("Lib B", "libraries", "open", x + 200, y),
            ("Lib C", "libraries", "open", x + 300, y),
            ("Lib D", "libraries", "open", x + 400, y),
            ("Lib closed", "libraries", "closed", x + 50, y),
            ("Far hospital", "health", "open", x + 3000, y),
            ("Too far museum", "culture", "open", x + 9000, y),
        ]
    )
    near = nearby_anchors(anchors, x, y)
    assert list(near.loc[near["category"] == "libraries", "name"]) == ["Lib A", "Lib B", "Lib C"]
    hosp = near.loc[near["category"] == "health"].iloc[0]
    assert hosp["name"] == "Far hospital" and not hosp["within_walk"]
    assert "culture" not in set(near["category"])
    assert list(near["category"]).index("health") < list(near["category"]).index("libraries")


def test_nearby_anchors_on_the_real_layer(se6):
    anchors = load_layer("anchors")
    near = nearby_anchors(anchors, se6.easting, se6.northing, minutes=15)
    assert len(near)
    radius = walk_radius_m(15)
    inside = near[near["within_walk"]]
    assert (inside["distance_m"] <= radius).all()
    for r in near.itertuples():
        site = anchors[(anchors["category"] == r.category)]
        d = np.hypot(site["easting"] - se6.easting, site["northing"] - se6.northing)
        open_d = d[site["status"] != "closed"]
        assert r.distance_m >= open_d.min() - 1e-6  # nothing open is nearer than the nearest listed
    lib = near[near["category"] == "libraries"].iloc[0]
    assert lib["distance_m"] < 200  # Catford library, about 100 m from SE6 4RU
    assert "catford" in lib["name"].lower()


def test_nearby_unused_land_public_only(mirror):
    x, y = 530000.0, 180000.0
    land = pd.DataFrame(
        {
            "name": ["Council yard", "Private plot", "Busy clinic", "Far depot", "NHS wing", "Unplaced"],
            "status": ["vacant", "brownfield_available", "occupied", "surplus", "under_used", "vacant"],
            "owner_type": ["council", "private", "nhs", "council", "nhs", "council"],
            "owner_organisation": ["", "", "", "", "Some NHS Trust", ""],
            "easting": [x + 100, x + 100, x + 100, x + 5000, x + 300, np.nan],
            "northing": [y, y, y, y, y, np.nan],
            "site_area_ha": [0.5, 1, 1, 1, np.nan, 1],
            "on_map": [True, True, True, True, True, False],
            "source": "fixture",
        }
    )
    got = nearby_unused_land(land, x, y)
    assert list(got["name"]) == ["Council yard", "NHS wing"]
    assert got.iloc[0]["status_words"] == "empty" and got.iloc[0]["owner_words"] == "the council"

    real = load_layer("land_builtin")
    place = search_place("Lewisham", 2025)
    found = nearby_unused_land(real, place.easting, place.northing)
    assert len(found) > 0
    assert set(found["status"]) <= set(UNUSED_STATUSES)
    assert set(found["owner_type"]) <= set(PUBLIC_OWNER_TYPES)
    assert (found["distance_m"] <= walk_radius_m(15)).all()
    assert list(found["distance_m"]) == sorted(found["distance_m"])


def test_borough_summary_matches_the_raw_files(raw_imd2025):
    raw = gpd.read_file(resolve("lsoa2021").path)
    codes = raw.loc[raw["LAD22NM"] == "Lewisham", "LSOA21CD"]
    deciles = raw_imd2025.loc[codes, "IMD_decile"]
    k, n = int((deciles <= 2).sum()), len(deciles)
    place = search_place("Lewisham", 2025)
    card = card_for_place(place, load_layer("lsoa_2021"))
    assert card.area_summary == (
        f"Of the {n} neighbourhoods in Lewisham, {k} ({k / n:.0%}) are among the 20% most deprived in England overall."
    )
    assert "search for a postcode" in card.about
    chosen = load_layer("lsoa_2021").set_index("lsoa_code").loc[place.lsoa_code]
    assert chosen.geometry.contains(Point(place.easting, place.northing))
    assert f"Neighbourhood {chosen['lsoa_name']}" in card.subtitle
    assert area_summary(pd.DataFrame(), "Nowhere") == ""


def test_card_text_explains_its_terms(se6):
    card = card_for_place(se6, load_layer("lsoa_2021"), anchors=load_layer("anchors"), land=load_layer("land_builtin"))
    text = card_to_text(card)
    assert "LSOA" in text and "about 1,500 people" in text
    for g in GLOSSARY:
        assert g in text
    assert card.anchor_lines and all(line.endswith(".") for line in card.anchor_lines)
    assert all("walk" in line for line in card.anchor_lines)
    assert card.land_note
