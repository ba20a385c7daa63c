"""Postcode normalisation: any case, with or without the space."""

import pytest

from anchormap.data.layers.postcodes import format_postcode, is_full_postcode, is_outward_code, postcode_key


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
