"""Names on the underserved-areas map cannot run as script.

folium writes a tooltip string into a JavaScript template literal (`...`), so besides HTML markup
a backtick, ``${...}`` or a backslash in a name would run or break the map's script. Names come
from data files, from our network's uploaded list, and (for a proposed site) from the page link.
"""

from __future__ import annotations

import json
import re

import folium
import pandas as pd

from anchormap.analysis import gaps
from anchormap.data.build import load_layer
from anchormap.maps import gap_map

HOSTILE = "${alert(document.domain)}`+alert(2)+`\\<img src=x onerror=alert(3)>"
LITERAL = re.compile(r"bindTooltip\(\s*`(.*?)`,", re.S)


def _tooltips(js: str) -> list[str]:
    return LITERAL.findall(js)


def _assert_inert(bodies: list[str]) -> None:
    assert bodies
    for body in bodies:
        assert "`" not in body and "${" not in body and "\\" not in body and "<img" not in body, body


def _hostile_network_gaps():
    """Thirty real libraries renamed to a hostile name: the gap context, parameters and top ten."""
    anchors = load_layer("anchors")
    network = anchors[anchors["category"] == "libraries"].head(30).assign(name=HOSTILE)
    ctx = gaps.prepare(2025, network, "our network")
    params = gaps.GapParams(categories=("libraries",), within_m=1000, network_only=True)
    return ctx, params, gaps.rank_gaps(ctx, params, top=10)


def test_tooltips_of_sites_and_catchments_are_inert():
    ctx, params, top = _hostile_network_gaps()
    group = folium.FeatureGroup()
    assert gap_map.add_catchments(group, ctx, params, top["lsoa_code"]) > 0
    site = gaps.locate_postcode("SE6 4RU")
    gap_map.add_proposed_site(group, site["x"], site["y"], 1000, HOSTILE)
    m = folium.Map()
    group.add_to(m)
    bodies = _tooltips(m.get_root().render())
    _assert_inert(bodies)
    assert any("&#36;{alert(document.domain)}&#96;+alert(2)+&#96;&#92;&lt;img" in b for b in bodies)


def test_a_proposed_site_name_from_a_link_is_inert(open_page):
    at = open_page(
        "pages/1_Underserved_areas.py",
        query={"site": "SE6 4RU", "site_kind": "libraries", "site_name": "${alert(document.cookie)}`-alert(1)-`"},
    )
    assert not at.exception, at.exception
    js = json.loads(list(at.get("component_instance"))[0].proto.json_args)["feature_group"]
    bodies = [b for b in _tooltips(js) if "alert" in b]
    _assert_inert(bodies)
    assert any("Proposed: &#36;{alert(document.cookie)}&#96;-alert(1)-&#96;" in b for b in bodies)
    assert pd.notna(at.session_state["gaps_proposed_site"]["x"])


def test_catchment_tooltips_are_escaped_data_not_markup():
    """The catchments and their anchors are drawn from GeoJSON points whose tooltip text is a
    property: HTML-escaped, so Leaflet shows a hostile name as text."""
    ctx, params, top = _hostile_network_gaps()
    group = folium.FeatureGroup()
    drawn = gap_map.add_catchments(group, ctx, params, top["lsoa_code"])
    layers = [c for c in group._children.values() if isinstance(c, folium.GeoJson)]
    circles = [f for layer in layers if isinstance(layer.marker, folium.Circle) for f in layer.data["features"]]
    dots = [f for layer in layers if isinstance(layer.marker, folium.CircleMarker) for f in layer.data["features"]]
    assert len(circles) == len(dots) == drawn > 0
    assert {layer.marker.options["radius"] for layer in layers if isinstance(layer.marker, folium.Circle)} == {1000}
    tips = [f["properties"]["tip"] for f in circles + dots]
    assert all("<" not in t and "&lt;img src=x onerror=alert(3)&gt;" in t for t in tips)
    m = folium.Map()
    group.add_to(m)
    html_text = m.get_root().render()
    assert "<img src=x" not in html_text  # the name reaches the page only escaped
    # in the page's JSON, escaped once more (folium writes & as \u0026)
    assert html_text.count("\\u0026lt;img src=x onerror=alert(3)\\u0026gt;") >= len(tips)
