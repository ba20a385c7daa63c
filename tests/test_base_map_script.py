"""The base map's script: the same for every edition (one streamlit-folium key, so changing the
edition restyles the live map), naming every edition's areas file and the renderer."""

from __future__ import annotations

import json
import re

import pytest
from streamlit_folium import _get_map_string, generate_js_hash

from anchormap.editions import DEFAULT_EDITION, YEARS
from anchormap.errors import AnchorMapError
from anchormap.maps import geometry
from anchormap.maps import overlay as mapping


def _init_options(m) -> dict:
    script = m.get_root().render()
    found = re.search(r"AnchorMap\.init\([^,]+, (\{.*?\})\);", script)
    assert found, "no AnchorMap.init in the map's script"
    return json.loads(found.group(1))


def test_every_edition_gives_the_same_map_script_and_streamlit_folium_key():
    keys = set()
    for year in YEARS:
        m = mapping.base_map(year)
        m.get_root().render()
        keys.add(generate_js_hash(_get_map_string(m), "home_map"))
    assert len(keys) == 1, "a change of edition would make a new map (a new streamlit-folium key)"
    # without LSOAs it is another map
    m = mapping.base_map(None)
    m.get_root().render()
    assert generate_js_hash(_get_map_string(m), "home_map") not in keys


def test_the_map_names_every_editions_areas_file_and_the_renderer():
    opts = _init_options(mapping.base_map(2019))
    assert [a["edition"] for a in opts["areas"]] == list(YEARS)
    for a in opts["areas"]:
        f = geometry.areas_file(a["edition"])
        assert (a["url"], a["token"]) == (f.url, f.token)
        assert a["default"] == (a["edition"] == DEFAULT_EDITION)
    assert opts["renderer"] in ("canvas", "svg")
    assert "areas" not in _init_options(mapping.base_map(None))
    assert _init_options(mapping.base_map(2025, renderer="svg"))["renderer"] == "svg"
    with pytest.raises(AnchorMapError, match="renderer"):
        mapping.base_map(2025, renderer="webgl")
    with pytest.raises(AnchorMapError):
        mapping.base_map(1999)
