"""The home page "Need and anchors" run headless with streamlit's AppTest, on the real data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anchormap.data.build import load_layer
from anchormap.maps import geometry
from anchormap.maps import overlay as mapping


@pytest.fixture
def app(open_page):
    return open_page()


def _text(at) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.subheader] + [e.value for e in at.caption]
    return "\n".join(str(p) for p in parts)


def _map_args(at) -> dict:
    """The streamlit-folium component's arguments as sent to the browser."""
    comps = [n for n in at.get("component_instance")]
    assert len(comps) == 1, "exactly one map on the page"
    return json.loads(comps[0].proto.json_args)


def test_home_page_runs_and_shows_need_summary(app):
    text = _text(app)
    london = load_layer("lsoa_2021")  # the home page opens on the latest edition, 2025
    assert f"of {len(london):,} neighbourhoods" in text
    assert "Index of Multiple Deprivation (overall), 2025: London" in text
    # every dataset shown is attributed
    for ds in ("lsoa2021", "imd2025", "boroughs"):
        line = mapping.attributions(2025)[0 if ds != "imd2025" else 1]
        assert line in text


def test_changing_the_measure_keeps_the_map_and_changes_only_the_overlay(app):
    before = _map_args(app)
    assert "decile in England" in before["feature_group"]
    app.selectbox(key="measure").select("income").run()
    assert not app.exception
    after = _map_args(app)
    assert "Income, 2025" in _text(app)
    assert after["script"] == before["script"], "the base map (and its geometry reference) is unchanged"
    assert after["feature_group"] != before["feature_group"]
    assert "Income: decile in England" in after["feature_group"]
    # no geometry travels in the messages: only a URL to the cached static file
    assert "lsoa_2025." in after["script"] and len(after["script"]) < 20_000


def test_score_view_uses_london_classes(app):
    app.radio(key="kind").set_value("score").run()
    assert not app.exception
    assert "Index of Multiple Deprivation (overall): score" in _map_args(app)["feature_group"]


def test_switching_edition_uses_2021_areas_and_drops_measures_not_published(app):
    idaci = "Income deprivation affecting children (IDACI)"
    assert app.radio(key="edition").value == 2025  # the default
    assert idaci not in app.selectbox(key="measure").options
    app.radio(key="edition").set_value(2019).run()
    app.selectbox(key="measure").select("idaci").run()
    assert idaci in app.selectbox(key="measure").options
    app.radio(key="edition").set_value(2025).run()
    assert not app.exception
    assert idaci not in app.selectbox(key="measure").options
    assert app.selectbox(key="measure").value == "imd"  # falls back to the overall index
    text = _text(app)
    assert f"of {len(load_layer('lsoa_2021')):,} neighbourhoods" in text and "(2025 edition)" in text
    assert "lsoa_2025." in _map_args(app)["script"]
    assert "Indices of Deprivation 2025" in text


def test_borough_filter_zooms_and_summarises_the_borough(app):
    names = geometry.borough_names()
    hackney = next(code for code, name in names.items() if name == "Hackney")
    app.selectbox(key="place_kind").select("borough").run()
    app.multiselect(key="place_borough").select(hackney).run()
    assert not app.exception
    lsoas = load_layer("lsoa_2021")
    n = int((lsoas["borough_code"] == hackney).sum())
    text = _text(app)
    assert "In Hackney, " in text and f"of {n:,} neighbourhoods" in text
    fg = _map_args(app)["feature_group"]
    s, w, nn, e = geometry.borough_bounds()[hackney]
    assert f'"key":"borough:{hackney}|2025"' in fg and f'"highlight":["{hackney}"]' in fg


def test_category_toggles_change_the_marker_filter(app):
    fg = _map_args(app)["feature_group"]
    assert '"categories":["health",' in fg and "primary_care" not in fg.split('"categories":')[1].split("]")[0]
    app.checkbox(key="cat_primary_care").check().run()
    assert not app.exception
    fg2 = _map_args(app)["feature_group"]
    assert "primary_care" in fg2.split('"categories":')[1].split("]")[0]
    assert "anchors_primary_care." in fg2  # its public list is fetched once by URL


def test_our_network_from_the_session_is_its_own_toggleable_layer(open_page):
    import geopandas as gpd
    import pandas as pd

    rows = pd.read_csv(Path(__file__).parent / "browser" / "hostile_network.csv", dtype=str, keep_default_na=False)
    points = gpd.points_from_xy(rows["lon"].astype(float), rows["lat"].astype(float), crs=4326)
    network = gpd.GeoDataFrame(rows, geometry=points, crs=4326).to_crs(27700)
    at = open_page(session={"network": network})
    assert not at.exception
    fg = _map_args(at)["feature_group"]
    assert '"id":"network"' in fg and "Our network (1)" in fg
    assert "<img" not in fg  # the hostile name travels JSON-escaped, shown with textContent
    at.checkbox(key="show_network").uncheck().run()
    assert '"id":"network"' not in _map_args(at)["feature_group"]
