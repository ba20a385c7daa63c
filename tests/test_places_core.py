"""The shared place interface on the real boundaries: parsing, and boroughs/wards/MSOAs resolved."""

from __future__ import annotations

import pytest

from anchormap.data.build import load_layer
from anchormap.geo.places import PlaceError, parse_place, resolve_place


@pytest.mark.parametrize("text", ["", "Lewisham", "borough:E05000001", "ward:E0501", "county:E10000001", "file:"])
def test_a_place_that_cannot_be_read_says_why(text):
    with pytest.raises(PlaceError):
        parse_place(text)


def test_a_borough_is_its_own_lsoas_in_both_editions(mirror):
    for edition, layer in ((2025, "lsoa_2021"), (2019, "lsoa_2011")):
        lsoas = load_layer(layer)
        place = resolve_place("borough:E09000023", edition)
        assert place.label == "Lewisham"
        assert place.lsoa_codes == set(lsoas.loc[lsoas["borough_code"] == "E09000023", "lsoa_code"])
        assert 34e6 < place.boundary.area < 36e6  # Lewisham is 35.2 km² (ONS Standard Area Measurements)


def test_a_ward_is_the_lsoas_ons_best_fits_to_it(mirror):
    wards = load_layer("lsoa21_wards")
    code = wards["ward_2022_code"].iloc[100]
    place = resolve_place(f"ward:{code}")
    assert place.lsoa_codes == set(wards.loc[wards["ward_2022_code"] == code, "lsoa_code"])
    with pytest.raises(PlaceError, match="not a London ward"):
        resolve_place("ward:E05999999")
