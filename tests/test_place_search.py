"""Place search on the real data, checked against the raw files read independently.

Hand-checked in the mirror (grep of the raw files):
- Code-Point Open: ``SE6 4RU,10,537684,173666,51.445255,-0.020178,E09000023``;
- the LSOA 2021 polygon holding that point is E01003318 "Lewisham 020B";
- ``Lewisham 034A`` is E01003189 (LSOA 2021 shapefile).
"""

from __future__ import annotations

import random
import string

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from anchormap.data.sources import resolve
from anchormap.geo.place_search import (
    MAX_QUERY_CHARS,
    NotFound,
    Place,
    london_outward_codes,
    normalise_name,
    safe_echo,
    search_place,
)


@pytest.fixture(scope="module")
def raw_postcodes(mirror) -> pd.DataFrame:
    df = pd.read_csv(resolve("postcodes").path, dtype={"postcode": str})
    df["key"] = df["postcode"].str.replace(" ", "", regex=False).str.upper()
    return df.set_index("key")


@pytest.fixture(scope="module")
def raw_lsoa21(mirror) -> gpd.GeoDataFrame:
    return gpd.read_file(resolve("lsoa2021").path)


@pytest.fixture(scope="module")
def raw_lsoa11(mirror) -> gpd.GeoDataFrame:
    return gpd.read_file(resolve("lsoa2011").path)


def _holding(polys: gpd.GeoDataFrame, code_col: str, x: float, y: float) -> list[str]:
    return list(polys.loc[polys.contains(Point(x, y)), code_col])


@pytest.mark.parametrize("text", ["SE6 4RU", "se64ru", "  se6 4ru ", "Se6  4rU", "SE64RU"])
def test_postcode_in_any_case_or_spacing(text, raw_postcodes, raw_lsoa21):
    place = search_place(text, 2025)
    assert isinstance(place, Place)
    assert (place.kind, place.label, place.query) == ("postcode", "SE6 4RU", "SE6 4RU")
    raw = raw_postcodes.loc["SE64RU"]
    assert (place.easting, place.northing) == (raw["easting"], raw["northing"]) == (537684, 173666)
    assert place.lat == pytest.approx(raw["lat"]) and place.lon == pytest.approx(raw["lon"])
    assert _holding(raw_lsoa21, "LSOA21CD", place.easting, place.northing) == [place.lsoa_code] == ["E01003318"]
    assert place.lsoa_name == "Lewisham 020B"
    assert (place.borough_code, place.borough_name) == ("E09000023", "Lewisham")
    # the view holds the point and the whole neighbourhood
    w, s, e, n = place.bounds_wgs84
    assert w < place.lon < e and s < place.lat < n
    poly = raw_lsoa21.loc[raw_lsoa21["LSOA21CD"] == "E01003318"].geometry.iloc[0]
    minx, miny, maxx, maxy = place.bounds_bng
    assert minx <= poly.bounds[0] and miny <= poly.bounds[1] and maxx >= poly.bounds[2] and maxy >= poly.bounds[3]
    assert place.fit_bounds == [[s, w], [n, e]]


def test_postcodes_fall_in_the_raw_lsoa_of_each_edition(raw_postcodes, raw_lsoa21, raw_lsoa11):
    sample = raw_postcodes.sample(25, random_state=7)
    checked = 0
    for key, row in sample.iterrows():
        for edition, polys, col in ((2025, raw_lsoa21, "LSOA21CD"), (2019, raw_lsoa11, "LSOA11CD")):
            place = search_place(key.lower(), edition)
            assert isinstance(place, Place), key
            holding = _holding(polys, col, row["easting"], row["northing"])
            if len(holding) == 1:  # points in gaps of the generalised boundaries get the nearest LSOA
                assert place.lsoa_code == holding[0], (key, edition)
                checked += 1
    assert checked >= 40


def test_unknown_postcode_in_a_london_district(raw_postcodes):
    assert "SE64ZX" not in raw_postcodes.index
    result = search_place("se6 4zx")
    assert isinstance(result, NotFound)
    assert "couldn't find the postcode SE6 4ZX" in result.message
    assert result.suggestions == ("SE6",)
    assert isinstance(search_place(result.suggestions[0]), Place)


@pytest.mark.parametrize("text", ["M1 1AE", "m11ae", "EH1 1YZ", "CB2 1TN"])
def test_postcode_outside_london(text, raw_postcodes):
    district = text.replace(" ", "").upper()[:-3]
    assert district not in {k[:-3] for k in raw_postcodes.index}
    result = search_place(text)
    assert isinstance(result, NotFound)
    assert "not in Greater London" in result.message


def test_outward_codes_come_from_the_london_postcodes(raw_postcodes):
    assert london_outward_codes() == frozenset(k[:-3] for k in raw_postcodes.index)


def test_postcode_district(raw_postcodes):
    place = search_place("se6")
    assert isinstance(place, Place) and place.kind == "postcode_district" and place.query == "SE6"
    mine = raw_postcodes[[k[:-3] == "SE6" for k in raw_postcodes.index]]
    # the point is a real SE6 postcode, and the view holds every SE6 postcode
    assert ((mine["easting"] == place.easting) & (mine["northing"] == place.northing)).any()
    minx, miny, maxx, maxy = place.bounds_bng
    assert minx <= mine["easting"].min() and maxx >= mine["easting"].max()
    assert miny <= mine["northing"].min() and maxy >= mine["northing"].max()
    assert place.area_lsoa_codes and place.lsoa_code in place.area_lsoa_codes
    assert isinstance(search_place("M1"), NotFound) and "not in Greater London" in search_place("M1").message


@pytest.mark.parametrize("text", ["Lewisham 034A", "lewisham 034a", "LEWISHAM-034A", "E01003189", "e01003189"])
def test_lsoa_by_name_or_code(text, raw_lsoa21):
    place = search_place(text, 2025)
    assert isinstance(place, Place) and place.kind == "lsoa"
    raw = raw_lsoa21.loc[raw_lsoa21["LSOA21NM"] == "Lewisham 034A"]
    assert place.lsoa_code == raw["LSOA21CD"].iloc[0] == "E01003189"
    assert raw.geometry.iloc[0].contains(Point(place.easting, place.northing))


def test_lsoa_2011_name_in_the_2019_edition(raw_lsoa11):
    row = raw_lsoa11.iloc[100]
    place = search_place(row["LSOA11NM"], 2019)
    assert isinstance(place, Place)
    assert place.lsoa_code == row["LSOA11CD"] and place.edition == 2019


def test_borough_any_case(raw_lsoa21):
    for text in ("Lewisham", "LEWISHAM", " lewisham "):
        place = search_place(text, 2025)
        assert isinstance(place, Place) and place.kind == "borough" and place.area_code == "E09000023"
        expected = set(raw_lsoa21.loc[raw_lsoa21["LAD22NM"] == "Lewisham", "LSOA21CD"])
        assert set(place.area_lsoa_codes) == expected and len(expected) == 175
        assert place.borough_name == "Lewisham"
    assert search_place("kingston").label == "Kingston upon Thames"


def test_ward_and_ambiguous_ward(mirror):
    wards = gpd.read_file(resolve("wards2025").path)
    place = search_place("catford south")
    assert isinstance(place, Place) and place.kind == "ward" and place.borough_name == "Lewisham"
    poly = wards.loc[wards["WD25NM"] == "Catford South"].to_crs(27700).geometry.iloc[0]
    assert poly.contains(Point(place.easting, place.northing))
    assert place.area_lsoa_codes
    # two wards called Highgate (Camden, Haringey): ask which
    result = search_place("Highgate")
    assert isinstance(result, NotFound) and "Which one" in result.message
    assert set(result.suggestions) == {"Highgate, Camden", "Highgate, Haringey"}
    for s in result.suggestions:
        chosen = search_place(s)
        assert isinstance(chosen, Place) and chosen.borough_name == s.split(", ")[1]


def test_near_misses_get_suggestions():
    r = search_place("Lewishm")
    assert isinstance(r, NotFound) and "Lewisham" in r.suggestions
    r = search_place("Catfrod South")
    assert isinstance(r, NotFound) and "Catford South, Lewisham" in r.suggestions
    r = search_place("lewisham 034")  # a prefix of several neighbourhoods
    assert isinstance(r, NotFound) and {"Lewisham 034A", "Lewisham 034B"} <= set(r.suggestions)


def test_junk_html_and_overlong_input_give_messages():
    rng = random.Random(3)
    junk = "".join(rng.choice(string.printable) for _ in range(1000))
    for text in (
        junk,
        "x" * 1000,
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "",
        "   ",
        "!!!???",
        None,
        "zzqqxxvv",
        "€€€",
        "\x00\x01",
        "SE6 4RU" + " " * (MAX_QUERY_CHARS + 1),
    ):
        result = search_place(text)
        assert isinstance(result, NotFound), repr(text)[:40]
        assert result.message and "<" not in result.message and "Traceback" not in result.message
    assert "too long" in search_place(junk).message


def test_safe_echo_and_normalise():
    assert safe_echo("<b>Lewisham</b>") == "b Lewisham b"
    assert len(safe_echo("a" * 500)) == 40
    assert normalise_name("St. Mary's & Saint John") == "st marys and st john"
