"""anchormap.maps.overlay and anchormap.maps.assets: encoding, classes, offline checks, escaping."""

from __future__ import annotations

import json

import folium
import folium.plugins
import numpy as np
import pandas as pd
import pytest
from branca.colormap import LinearColormap

from anchormap.data.build import load_layer
from anchormap.errors import AnchorMapError
from anchormap.maps import assets as map_assets
from anchormap.maps import geometry
from anchormap.maps import overlay as mapping
from anchormap.measures import decile_in_words


@pytest.fixture(autouse=True)
def _static(tmp_path, monkeypatch):
    monkeypatch.setenv("ANCHORMAP_STATIC_DIR", str(tmp_path / "static"))


def test_encode_polyline_matches_the_published_example():
    # Google's documented example for the encoded polyline algorithm
    points = np.array([[38.5, -120.2], [40.7, -120.95], [43.252, -126.453]])
    assert geometry.encode_polyline(points) == "_p~iF~ps|U_ulLnnqC_mqNvxq`@"


def test_install_assets_copies_leaflet_markercluster_and_our_files(tmp_path):
    root = map_assets.install_assets(tmp_path / "s")
    for rel in (
        "vendor/leaflet.js",
        "vendor/leaflet.markercluster.js",
        "vendor/leaflet.css",
        "vendor/images/layers.png",
        "anchormap.js",
        "anchormap.css",
    ):
        assert (root / rel).stat().st_size > 0, rel
    assert "L.MarkerClusterGroup" in (root / "vendor/leaflet.markercluster.js").read_text()
    assert all(url.startswith("../../app/static/anchormap/") for _, url in map_assets.js_links())


def test_base_map_loads_nothing_from_the_internet_and_carries_no_geometry():
    m = mapping.base_map(2019)
    mapping.check_offline(m)
    html = mapping.map_html(m, mapping.Overlay().choropleth(2019, "imd"))
    assert "cdn" not in html.replace("basemaps.cartocdn.com", "").lower()
    assert "coordinates" not in html and len(html) < 100_000
    areas = geometry.areas_file(2019)
    assert areas.url in html and len(areas.codes) == len(load_layer("lsoa_2011"))


def test_check_offline_refuses_cdn_plugins_and_branca_colormaps():
    m = mapping.base_map(None, outlines=False)
    folium.plugins.MarkerCluster().add_to(m)
    with pytest.raises(AnchorMapError, match="loads https://"):
        mapping.check_offline(m)
    m = mapping.base_map(None, outlines=False)
    LinearColormap(["#000000", "#ffffff"]).add_to(m)
    with pytest.raises(AnchorMapError, match="d3"):
        mapping.check_offline(m)


def test_decile_choropleth_values_follow_the_geometry_order():
    ov = mapping.Overlay().choropleth(2019, "income", kind="decile")
    spec = ov.spec["choropleth"]
    codes = geometry.areas_file(2019).codes
    table = load_layer("lsoa_2011").set_index("lsoa_code")
    i = 123
    assert spec["deciles"][i] == int(table.loc[codes[i], "income_decile"])
    assert spec["words"][0] == decile_in_words(1) == "among the 10% most deprived areas in England"
    assert spec["colours"][0] == mapping.DECILE_COLOURS[0]  # decile 1 darkest


def test_score_classes_are_london_quantiles_darkest_for_most_deprived():
    ov = mapping.Overlay().choropleth(2025, "imd", kind="score")
    spec = ov.spec["choropleth"]
    scores = pd.Series(spec["scores"], dtype=float)
    top = int(scores.idxmax())
    bottom = int(scores.idxmin())
    assert spec["classes"][top] == len(spec["colours"]) - 1
    assert spec["colours"][spec["classes"][top]] == mapping.DECILE_COLOURS[0]
    assert spec["classes"][bottom] == 0
    counts = pd.Series(spec["classes"]).value_counts()
    assert counts.max() - counts.min() <= 0.02 * len(scores)  # equal-count classes


def test_quantile_classes_keep_missing_values_missing():
    breaks, classes = mapping.quantile_classes(pd.Series([1.0, None, 3.0, 2.0]), 2)
    assert breaks == [1.0, 2.0, 3.0]
    assert classes == [0, None, 1, 1]


def test_overlay_json_cannot_close_the_script_tag():
    network = load_layer("anchors").head(2).copy()
    network["name"] = ["</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
    ov = mapping.Overlay().anchors(
        network, layer_id="network", label="Our <b>network</b>", shape="pin", colour="#FFFFFF"
    )
    text = ov.spec_json()
    assert "</script>" not in text and "<img" not in text and "<b>" not in text
    spec = json.loads(text)
    assert "Our &lt;b&gt;network&lt;/b&gt; (2)" in spec["legend_html"]  # legend text is escaped HTML
    assert spec["marker_layers"][0]["records"][1]["name"] == "<img src=x onerror=alert(1)>"  # shown via textContent


def test_borough_zoom_uses_the_borough_bounds_and_rejects_unknown_codes():
    ov = mapping.Overlay().zoom_to_borough("E09000012")
    s, w, n, e = ov.spec["fit"]["bounds"]
    assert 51.5 < s < n < 51.6 and -0.11 < w < e < 0.0
    with pytest.raises(AnchorMapError, match="Unknown borough"):
        mapping.Overlay().zoom_to_borough("E09999999")


def test_attributions_cover_boundaries_deprivation_and_anchor_sources():
    from anchormap.data.layers.anchors import ANCHOR_SOURCES
    from anchormap.data.sources import load_manifest

    manifest = load_manifest()
    lines = mapping.attributions(2025, anchors=True)
    for ds in ("lsoa2021", "imd2025", "boroughs", *ANCHOR_SOURCES):
        # each line credits its datasets, then names them with their dates (old ones marked)
        assert any(
            line.startswith(manifest[ds].attribution.rstrip()) and manifest[ds].name in line for line in lines
        ), ds
