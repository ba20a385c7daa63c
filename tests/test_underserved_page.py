"""The "Underserved areas" page run headless with streamlit's AppTest, on the real data."""

from __future__ import annotations

import json

import pytest

from anchormap.analysis import gaps
from anchormap.data.build import load_layer
from anchormap.maps import overlay as mapping
from anchormap.network import lists as net

PAGE = "pages/1_Underserved_areas.py"


@pytest.fixture
def page(open_page):
    return open_page(PAGE)


def _text(at) -> str:
    parts = (
        [e.value for e in at.markdown]
        + [e.value for e in at.subheader]
        + [e.value for e in at.caption]
        + [e.value for e in at.info]
        + [e.value for e in at.warning]
        + [e.value for e in at.error]
    )
    return "\n".join(str(p) for p in parts)


def _map_args(at) -> dict:
    comps = list(at.get("component_instance"))
    assert len(comps) == 1, "exactly one map on the page"
    return json.loads(comps[0].proto.json_args)


def test_page_shows_the_formula_ranking_and_sources(page):
    anchors = load_layer("anchors")
    present = set(anchors["category"])
    params = gaps.GapParams(categories=tuple(k for k in gaps.DEFAULT_CATEGORIES if k in present))
    assert page.info[0].value == gaps.explain(params)
    expected = gaps.rank_gaps(gaps.prepare(2025, anchors), params)
    top = page.dataframe[0].value
    assert len(top) == 20
    assert top["LSOA code"].tolist() == expected["lsoa_code"].head(20).tolist()
    assert (top["Decile (1 = most deprived)"] <= 2).all()
    text = _text(page)
    for line in mapping.attributions(2025, anchors=True, extra=("postcodes",)):
        assert line in text
    # the map outlines the top gaps and draws catchment circles; names are escaped in tooltips
    overlay = _map_args(page)["feature_group"]
    assert "L.circle(" in overlay and "Gap score (need" in overlay
    assert expected["lsoa_name"].iloc[0] in overlay


def test_widgets_change_the_ranking(page):
    page.slider(key="gaps_within").set_value(3000).run()
    assert not page.exception
    assert "within 3,000 m" in page.info[0].value
    page.radio(key="gaps_size").set_value("minutes").run()
    page.slider(key="gaps_minutes").set_value(20).run()
    assert "20-minute walk" in page.info[0].value
    page.multiselect(key="gaps_deciles").set_value([1]).run()
    assert (page.dataframe[1].value["Decile (1 = most deprived)"] == 1).all()
    page.multiselect(key="gaps_categories").set_value(["libraries"]).run()
    assert not page.exception
    assert "public libraries" in page.info[0].value


def test_empty_network_gives_a_clear_message(page):
    page.radio(key="gaps_source").set_value("network").run()
    assert not page.exception
    assert "Our network is empty" in page.warning[0].value
    assert not page.dataframe


def test_network_only_counts_the_network(page):
    anchors = load_layer("anchors")
    network = net.network_from_anchor_ids(anchors, anchors[anchors["category"] == "libraries"]["anchor_id"].head(40))
    net.store_network(page.session_state, network, "40 libraries")
    page.radio(key="gaps_source").set_value("network").run()
    assert not page.exception
    assert "from our network's anchors" in page.info[0].value
    assert page.dataframe[0].value["Nearest anchor"].isin(set(network["name"])).all()


def test_what_if_with_a_postcode_shows_before_and_after(page):
    page.text_input(key="gaps_postcode").input("SE6 4RU")
    page.selectbox(key="gaps_site_category").set_value("libraries")
    page.text_input(key="gaps_site_name").input("St *Mary's* <b>Hub</b>")
    form_button = [b for b in page.get("button") if "Show before and after" in str(b.proto.label)]
    assert form_button
    form_button[0].click().run()
    assert not page.exception
    # the typed name is shown as typed: markdown and HTML characters are escaped
    assert r"St \*Mary's\* \<b\>Hub\</b\>" in _text(page)
    assert "SE6 4RU" in _text(page)
    before, after = page.dataframe[-2].value, page.dataframe[-1].value
    assert len(before) == len(after) > 0
    assert (after["Gap score"].to_numpy() <= before["Gap score"].to_numpy()).all()


def test_what_if_with_a_bad_postcode(page):
    page.text_input(key="gaps_postcode").input("NOT A POSTCODE")
    [b for b in page.get("button") if "Show before and after" in str(b.proto.label)][0].click().run()
    assert not page.exception
    assert "is not a full postcode" in page.error[0].value
