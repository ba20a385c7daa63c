"""The home page's "Change 2019 → 2025" view, run headless with AppTest on the real data, and its map layer."""

from __future__ import annotations

import json

from anchormap.analysis.change import CHANGE_WARNING, lsoa_change
from anchormap.maps import geometry
from anchormap.maps.change_map import CHANGE_EDITION, add_change_layer, class_of
from anchormap.maps.geometry import areas_file
from anchormap.maps.overlay import Overlay
from anchormap.maps.palettes import CHANGE_COLOURS


def _text(at) -> str:
    parts = [*at.markdown, *at.subheader, *at.caption, *at.info]
    return "\n".join(str(e.value) for e in parts)


def _spec(at) -> dict:
    """The overlay's spec as the map's script receives it (``AnchorMap.update(group, spec)``)."""
    [comp] = list(at.get("component_instance"))
    script = json.loads(comp.proto.json_args)["feature_group"]
    return json.loads(script.split("AnchorMap.update(", 1)[1].split(", ", 1)[1].split(");\n", 1)[0])


def test_change_view_shows_its_key_and_the_warning_and_keeps_the_link(open_page):
    names = geometry.borough_names()
    hackney = next(code for code, name in names.items() if name == "Hackney")
    at = open_page("app.py", query={"view": "change", "borough": hackney})
    assert at.radio(key="view").value == "change"
    assert at.radio(key="edition").disabled and at.radio(key="kind").disabled
    text = _text(at)
    assert at.subheader[0].value == "Index of Multiple Deprivation (overall): Change 2019 → 2025, Hackney"
    assert CHANGE_WARNING in [e.value for e in at.info]
    assert "Orange areas moved towards less deprived" in text and "Darker areas are more deprived" not in text
    table = lsoa_change("imd")
    in_hackney = table[table["borough_code"] == hackney]
    up = int((in_hackney["decile_change"] == 1).sum())
    assert f"- moved towards less deprived by 1 decile: {up:,} neighbourhoods" in text
    assert "stayed in the same decile" in text and f"of {len(in_hackney):,} neighbourhoods" in text
    for words in (  # both editions, both sets of boundaries and the lookup are attributed, with dates
        "LSOA boundaries (2011), December 2011",
        "LSOA boundaries (2021)",
        "Indices of Deprivation 2019, September 2019",
        "Indices of Deprivation 2025, October 2025",
        "LSOA 2011 to 2021 lookup",
    ):
        assert words in text
    spec = _spec(at)
    assert spec["choropleth"]["label"] == "Change 2019 → 2025" and len(spec["choropleth"]["classes"]) == 4_994
    assert "moved towards more deprived by 3 deciles or more" in spec["legend_html"]
    assert "relative to each other" in spec["legend_html"]
    assert dict(at.query_params) == {"view": "change", "area": f"borough:{hackney}"}  # an old ?borough= link

    at.selectbox(key="measure").select("income").run()
    assert not at.exception
    assert at.query_params["view"] == "change" and at.query_params["measure"] == "income"
    assert at.subheader[0].value.startswith("Income: Change 2019 → 2025")
    assert "idaci" not in at.selectbox(key="measure").options  # only measures of both editions

    at.radio(key="view").set_value("need").run()
    assert not at.exception and "view" not in at.query_params  # the default view is left out of the link
    assert CHANGE_WARNING not in _text(at)


def test_change_layer_colours_every_area_and_says_what_it_was_compared_with(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("ANCHORMAP_STATIC_DIR", str(tmp_path / "static"))
    overlay = Overlay()
    key = add_change_layer(overlay, "imd")
    spec = overlay.spec["choropleth"]
    codes = list(areas_file(CHANGE_EDITION).codes)
    table = lsoa_change("imd").set_index("lsoa21_code").loc[codes]
    assert len(spec["classes"]) == len(codes) == 4_994
    assert spec["classes"] == [class_of(d) for d in table["decile_change"]]
    assert spec["colours"] == list(CHANGE_COLOURS) and len(set(CHANGE_COLOURS)) == 7
    assert sum(n for _c, _w, n in key) == 4_994
    merged = table.index.get_loc(table.index[table["change_type"] == "merged"][0])
    assert "Merged: compared with the population-weighted average of its 2011 parents" in spec["values"][merged]
    legend = overlay.spec_json()
    assert "relative to each other" in legend and "moved towards less deprived by 1 decile" in legend


def test_a_bad_view_in_the_link_falls_back_to_need(open_page):
    at = open_page("app.py", query={"view": "<b>change</b>", "edition": "2019", "measure": "idaci"})
    assert at.radio(key="view").value == "need"
    assert at.selectbox(key="measure").value == "idaci"  # the need view keeps 2019's own measures
    assert CHANGE_WARNING not in [e.value for e in at.info]
    assert "view" not in at.query_params
