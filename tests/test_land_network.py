"""Shared land with "our network": catchments drawn around the network's own sites."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest

from anchormap.analysis.catchment import walk_radius_m
from anchormap.data.build import load_layer
from anchormap.land.filters import LandFilter, add_nearest_anchor, apply_filter, describe_filter
from anchormap.network import lists as net

PAGE = "pages/2_Shared_land.py"


@pytest.fixture
def page(open_page):
    return open_page(PAGE)


def _network():
    anchors = load_layer("anchors")
    libraries = anchors[(anchors["category"] == "libraries") & (anchors["borough_name"] == "Lewisham")]
    return net.network_from_anchor_ids(anchors, libraries["anchor_id"])


def test_inside_our_networks_catchments(page):
    network = _network()
    net.store_network(page.session_state, network, "Lewisham's libraries")
    page.run()
    assert not page.radio(key="land_catch_of").disabled
    page.radio(key="land_catchment").set_value("inside").run()
    page.radio(key="land_catch_of").set_value("network").run()
    page.slider(key="land_minutes").set_value(10).run()
    assert not page.exception, page.exception
    # independently: built-in assets on the map within 10 minutes' walk of one of these libraries
    land = load_layer("land_builtin")
    on = land[land["on_map"]]
    sites = gpd.GeoSeries(gpd.points_from_xy(network["easting"], network["northing"]), crs=27700)
    nearest = np.array([sites.distance(p).min() for p in on.geometry])
    expected = int((np.round(nearest, 1) <= walk_radius_m(10)).sum())
    assert expected > 0
    assert page.metric[0].value == f"{expected:,}"
    assert "of an open site of our network" in page.caption[0].value
    assert page.query_params["catch_of"] == "network"
    overlay = json.loads(list(page.get("component_instance"))[0].proto.json_args)["feature_group"]
    assert "Our network" in overlay


def test_without_a_network_the_choice_is_off(page):
    assert page.radio(key="land_catch_of").disabled
    assert page.radio(key="land_catch_of").value == "anchors"


def test_network_sites_without_a_category_count_in_land_catchments():
    land = load_layer("land_builtin")
    network = _network().assign(category="")
    chosen = add_nearest_anchor(land, network, ["health"])
    flt = LandFilter(catchment="inside", catchment_m=500, catchment_of="network")
    assert len(apply_filter(chosen, flt)) > 0
    assert describe_filter(flt) == "inside 500 m of an open site of our network"
