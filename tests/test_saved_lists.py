"""Saved network lists: definitions made from a network and turned back into the same network."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from anchormap.data.build import load_layer
from anchormap.data.layers.anchors import ANCHOR_COLUMNS
from anchormap.network.lists import network_from_members, organisations, read_network_csv
from anchormap.network.saved_lists import (
    SavedListError,
    definition_from_organisations,
    definition_from_sites,
    definition_words,
    network_from_definition,
)

MEMBERS = Path(__file__).parent / "fixtures" / "network_members.csv"


@pytest.fixture(scope="module")
def anchors():
    return load_layer("anchors")


@pytest.fixture(scope="module")
def uploaded():
    sites, _report = read_network_csv(MEMBERS, MEMBERS.name, load_layer("postcodes"), load_layer("boroughs"))
    return sites


def through_json(definition: dict) -> dict:
    """What the store gives back: the definition written as JSON text and read again."""
    return json.loads(json.dumps(definition))


def test_an_uploaded_list_comes_back_the_same(uploaded):
    assert len(uploaded) > 0
    definition = through_json(definition_from_sites(uploaded, MEMBERS.name))
    back = network_from_definition(definition, anchors=None)
    assert list(back.columns) == ANCHOR_COLUMNS
    assert back.crs.to_epsg() == 27700
    pd.testing.assert_frame_equal(
        pd.DataFrame(back.drop(columns="geometry")), pd.DataFrame(uploaded.drop(columns="geometry"))
    )
    assert back.geometry.geom_equals(uploaded.geometry).all()
    assert definition_words(definition) == f"{len(uploaded)} sites uploaded in {MEMBERS.name}"


def test_a_network_by_organisation_comes_back_from_todays_anchors(anchors):
    names = organisations(anchors)[:3]
    definition = through_json(definition_from_organisations(names, include_closed=True))
    back = network_from_definition(definition, anchors)
    expected = network_from_members(anchors, names, include_closed=True)
    assert len(back) == len(expected) > 0
    assert sorted(back["anchor_id"]) == sorted(expected["anchor_id"])
    assert definition_words(definition) == "3 organisations from the built-in anchors, closed sites included"


@pytest.mark.parametrize(
    ("definition", "words"),
    [
        ("not a dict", "not a network definition"),
        ({"version": 99, "kind": "sites", "sites": [{}]}, "newer version"),
        ({"version": 1, "kind": "code"}, "neither organisations nor an uploaded list"),
        ({"version": 1, "kind": "organisations", "organisations": []}, "names no organisation"),
        ({"version": 1, "kind": "organisations", "organisations": ["No Such Trust"]}, "'No Such Trust'"),
        ({"version": 1, "kind": "sites", "sites": "x"}, "not a list of rows"),
        ({"version": 1, "kind": "sites", "sites": [{"name": "A", "easting": "east", "northing": 1}]}, "no easting"),
    ],
)
def test_a_definition_that_cannot_be_used_is_refused_in_words(anchors, definition, words):
    with pytest.raises(SavedListError, match=words):
        network_from_definition(definition, anchors)


def test_nothing_to_save_is_said(uploaded):
    with pytest.raises(SavedListError, match="at least one organisation"):
        definition_from_organisations([])
    with pytest.raises(SavedListError, match="no sites"):
        definition_from_sites(uploaded.iloc[0:0], "empty.csv")
