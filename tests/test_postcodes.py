"""Postcode normalisation (any case, with or without the space) and the one postcode lookup."""

import pytest

from anchormap.data.build import load_layer
from anchormap.geo.postcodes import (
    format_postcode,
    is_full_postcode,
    is_outward_code,
    locate,
    postcode_index,
    postcode_key,
)


@pytest.mark.parametrize("text", ["SE6 4RU", "se64ru", " se6  4ru ", "Se6-4Ru"])
def test_keys_match_regardless_of_case_and_spacing(text):
    assert postcode_key(text) == "SE64RU"
    assert format_postcode(text) == "SE6 4RU"
    assert is_full_postcode(text)


def test_outward_codes_and_junk():
    assert is_outward_code("SE6") and not is_full_postcode("SE6")
    assert is_full_postcode("EC1A 1BB") and is_full_postcode("W1A 0AX")
    assert not is_full_postcode("<script>") and not is_full_postcode("")
    assert postcode_key(None) == "" and postcode_key(float("nan")) == ""


def test_one_lookup_for_full_outward_and_unknown_postcodes(mirror):
    """SE6 4RU as published in Code-Point Open: 537684, 173666 (BNG), -0.020178, 51.445255 (WGS84)."""
    table = load_layer("postcodes")
    se6 = table[table["postcode_key"].str[:-3] == "SE6"]
    found = locate("se64ru")
    assert (found.precision, found.postcode, found.borough_code, found.reason) == (
        "postcode",
        "SE6 4RU",
        "E09000023",
        "",
    )
    assert (found.easting, found.northing, found.lon, found.lat) == (537684, 173666, -0.020178, 51.445255)
    district = locate(" SE6 ")
    assert (district.precision, district.postcode, district.district, district.postcodes) == (
        "district",
        "SE6",
        "SE6",
        len(se6),
    )
    assert district.easting == pytest.approx(se6["easting"].mean()) and district.lat == pytest.approx(se6["lat"].mean())
    assert "only the outward code 'SE6'" in district.reason and "mean of the" in district.placement
    # a full postcode Code-Point Open lacks, in a London district: the district's mean, and said why
    unknown = locate("SE6 4ZX")
    assert unknown.is_full and unknown.precision == "district" and unknown.easting == district.easting
    assert unknown.reason.startswith("SE6 4ZX is not in the Greater London postcode list (OS Code-Point Open, ")
    outside = locate("M1 1AE")
    assert not outside.found and outside.reason.startswith("M1 1AE is not in the Greater London postcode list")
    junk = locate("<b>hello</b>")
    assert not junk.found and junk.postcode == "" and junk.reason == "'<b>hello</b>' is not a valid UK postcode"


def test_the_lookup_follows_the_table_it_is_given(mirror):
    table = load_layer("postcodes")
    assert postcode_index() is postcode_index(table)  # the built layer, indexed once
    one = table[table["postcode_key"] == "SE64RU"]
    assert postcode_index(one).outward_codes() == frozenset({"SE6"})
    assert postcode_index(one).locate("SE6 4RU").postcodes == 1
    assert postcode_index().locate("BR1 1AA").found  # back to the whole layer
