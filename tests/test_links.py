"""Shareable links on every page: open a link, get the same view; change a choice, the link follows.

Each page runs headless with AppTest on the real data. The Community page's own round trip is
in test_community_page.py; its share box is checked here.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from anchormap.analysis import gaps
from anchormap.analysis.catchment import walk_radius_m
from anchormap.data.build import load_layer
from anchormap.land.filters import LandFilter, add_deprivation, add_nearest_anchor, apply_filter
from anchormap.maps import geometry
from anchormap.network import lists as net

COMMA_PARTNER = "BARKING, HAVERING AND REDBRIDGE UNIVERSITY HOSPITALS NHS TRUST"  # a comma inside a list item


@pytest.fixture
def open_link(open_page):
    """open_link(script, **query) -> AppTest run once with that link."""
    return lambda script, **query: open_page(script, query=query)


def _link(at) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


def _overlay(at) -> str:
    [comp] = list(at.get("component_instance"))
    return json.loads(comp.proto.json_args)["feature_group"]


def _categories(overlay: str) -> list[str]:
    return json.loads(overlay.split('"categories":')[1].split("]")[0] + "]")


# --------------------------------------------------------------------------- home page
def test_home_link_round_trip(open_link):
    names = geometry.borough_names()
    hackney = next(code for code, name in names.items() if name == "Hackney")
    link = {
        "edition": "2019",  # not the default (2025), so the link keeps it
        "measure": "income",
        "kind": "score",
        "area": f"borough:{hackney}",
        "cat_primary_care": "1",
        "cat_health": "0",
        "sub_libraries": "Library,Archive",
    }
    at = open_link("app.py", **link)
    assert at.radio(key="edition").value == 2019
    assert at.selectbox(key="measure").value == "income"
    assert at.radio(key="kind").value == "score"
    assert at.multiselect(key="place_borough").value == [hackney]
    assert at.checkbox(key="cat_primary_care").value and not at.checkbox(key="cat_health").value
    assert at.multiselect(key="sub_libraries").value == ["Library", "Archive"]
    assert at.subheader[0].value == "Income, 2019: Hackney"
    overlay = _overlay(at)
    assert f'"key":"borough:{hackney}|2019"' in overlay  # the map zooms to the borough
    assert "Income: score" in overlay
    cats = _categories(overlay)
    assert "primary_care" in cats and "health" not in cats
    assert '"libraries":["Library","Archive"]' in overlay  # only the linked sub-types are drawn
    assert _link(at) == link  # reading the link leaves it as it was

    at.selectbox(key="measure").select("crime").run()
    at.checkbox(key="cat_health").check().run()
    assert not at.exception
    assert _link(at) == {**{k: v for k, v in link.items() if k != "cat_health"}, "measure": "crime"}
    at.radio(key="edition").set_value(2025).run()
    at.selectbox(key="place_kind").select("london").run()
    assert "edition" not in at.query_params and "area" not in at.query_params  # defaults are left out


def test_home_bad_link_values_fall_back(open_link):
    # IDACI is not published for 2025 here; a made-up borough and sub-type are dropped
    at = open_link(
        "app.py", edition="2025", measure="idaci", area="borough:E09999999", sub_health="<b>x</b>", cat_faith="perhaps"
    )
    assert at.radio(key="edition").value == 2025
    assert at.selectbox(key="measure").value == "imd"
    assert any("E09999999" in e.value for e in at.error)  # a borough London does not have is said in words
    assert not at.checkbox(key="cat_faith").value
    assert _link(at) == {}  # the link is corrected (2025, the default edition, is left out)


# --------------------------------------------------------------------------- underserved areas
def test_underserved_link_round_trip(open_link):
    link = {
        "edition": "2019",
        "measure": "income",
        "deciles": "1",
        "cats": "libraries,health",
        "catchment": "minutes",
        "minutes": "20",
        "kmh": "4",
        "scarcity": "access",
        "top": "10",
        "site": "SE6 4RU",
        "site_kind": "libraries",
        "site_name": "Hub",
    }
    at = open_link("pages/1_Underserved_areas.py", **link)
    assert at.radio(key="gaps_edition").value == 2019
    assert at.selectbox(key="gaps_measure").value == "income"
    assert at.multiselect(key="gaps_deciles").value == [1]
    assert at.multiselect(key="gaps_categories").value == ["libraries", "health"]
    assert at.radio(key="gaps_size").value == "minutes" and at.slider(key="gaps_minutes").value == 20
    assert at.number_input(key="gaps_kmh").value == 4.0
    params = gaps.GapParams(
        edition=2019,
        measure="income",
        deciles=(1,),
        categories=("libraries", "health"),
        walk_minutes=20,
        walk_kmh=4.0,
        scarcity="access",
    )
    assert at.info[0].value == gaps.explain(params)
    assert len(at.dataframe[0].value) == 10  # top 10
    # the proposed site from the link is placed and compared
    text = "\n".join(m.value for m in at.markdown)
    assert "**Hub** (Libraries) at SE6 4RU" in text
    assert at.text_input(key="gaps_postcode").value == "SE6 4RU"
    assert _link(at) == link

    at.slider(key="gaps_top").set_value(30).run()
    assert not at.exception and at.query_params["top"] == "30"
    at.button(key="gaps_clear_site").click().run()
    assert not at.exception
    assert not {"site", "site_kind", "site_name"} & set(_link(at))
    at.radio(key="gaps_size").set_value("metres").run()
    at.slider(key="gaps_within").set_value(1500).run()
    assert "catchment" not in at.query_params  # metres is the default
    assert at.query_params["metres"] == "1500"
    assert "within 1,500 m" in at.info[0].value


def test_underserved_bad_site_in_link(open_link):
    at = open_link("pages/1_Underserved_areas.py", site="ZZ1 1ZZ", top="7")
    assert "could not be placed" in at.error[0].value
    assert at.slider(key="gaps_top").value == 20  # 7 is not a choice on the slider
    assert "site" not in at.query_params and "top" not in at.query_params


# --------------------------------------------------------------------------- shared land
def test_shared_land_link_round_trip(open_link):
    builtin = load_layer("land_builtin")
    assert COMMA_PARTNER in set(builtin["partner"])
    link = {
        "partner": f"{COMMA_PARTNER.replace(',', '%2C')},London Borough of Lewisham",
        "owner": "nhs,council",
        "decile": "3",
        "catchment": "inside",
        "minutes": "15",
        "cats": "health,libraries",
        "need": "0",
        "edition": "2019",
    }
    at = open_link("pages/2_Shared_land.py", **link)
    assert at.multiselect(key="land_partner").value == [COMMA_PARTNER, "London Borough of Lewisham"]
    assert at.multiselect(key="land_owner").value == ["nhs", "council"]
    assert at.select_slider(key="land_decile").value == 3
    assert at.radio(key="land_catchment").value == "inside" and at.slider(key="land_minutes").value == 15
    assert not at.toggle(key="land_need").value
    assert at.radio(key="land_edition").value == 2019
    # the same assets as the filter computed directly
    assets = add_deprivation(builtin, load_layer("lsoa_2011"))
    assets = add_nearest_anchor(assets, load_layer("anchors"), ["health", "libraries"])
    flt = LandFilter(
        partners=(COMMA_PARTNER, "London Borough of Lewisham"),
        owner_types=("nhs", "council"),
        imd_decile_max=3,
        catchment="inside",
        catchment_m=walk_radius_m(15),
    ).check()
    assert at.metric[0].value == f"{len(apply_filter(assets, flt)):,}"
    assert _link(at) == link

    at.select_slider(key="land_decile").set_value("any").run()
    at.number_input(key="land_min_ha").set_value(0.5).run()
    assert not at.exception
    assert "decile" not in at.query_params and at.query_params["min_ha"] == "0.5"


def test_shared_land_unknown_partner_is_dropped(open_link):
    at = open_link("pages/2_Shared_land.py", partner="Nobody Ltd,London Borough of Lewisham", min_ha="-1")
    assert at.multiselect(key="land_partner").value == ["London Borough of Lewisham"]
    assert at.number_input(key="land_min_ha").value == 0.0
    assert _link(at) == {"partner": "London Borough of Lewisham"}


# --------------------------------------------------------------------------- our network
def test_network_link_uses_the_same_organisations(open_link):
    anchors = load_layer("anchors")
    orgs = ["Lewisham (local authority)", "Barking, Havering and Redbridge University Hospitals NHS Trust"]
    query = ",".join(o.replace(",", "%2C") for o in orgs)
    at = open_link("pages/3_Our_network.py", orgs=query)
    assert at.multiselect(key="network_orgs").value == orgs
    network = net.current_network(at.session_state)
    expected = anchors[anchors["organisation"].isin(orgs) & (anchors["status"] == "open")]
    assert network is not None and sorted(network["anchor_id"]) == sorted(expected["anchor_id"])
    assert _link(at) == {"orgs": query}

    at.checkbox(key="network_include_closed").check().run()
    at.button(key="use_orgs").click().run()
    assert not at.exception and _link(at) == {"orgs": query, "closed": "1"}
    at.button(key="clear_network").click().run()
    assert not at.exception and _link(at) == {}


def test_network_link_then_another_page_uses_it(open_page):
    at = open_page()  # through the navigation
    assert at.title[0].value == "Need and anchors"
    assert "url_path" not in "".join(m.value for m in at.markdown)  # nothing stray printed by the entry point
    at.switch_page("pages/3_Our_network.py")
    at.query_params["orgs"] = "Lewisham (local authority)"
    at.run()
    assert not at.exception and at.title[0].value == "Our network"
    at.switch_page("pages/1_Underserved_areas.py").run()
    at.radio(key="gaps_source").set_value("network").run()
    assert not at.exception
    assert "from our network's anchors" in at.info[0].value


# --------------------------------------------------------------------------- community share box
def _share_links(at) -> list[str]:
    """The share links' addresses, as the page shows them (the link text is the whole address)."""
    found = [re.search(r'<p class="am-share"><a href="([^"]*)"[^>]*>([^<]*)</a>', m.value) for m in at.markdown]
    links = [html.unescape(f.group(1)) for f in found if f]
    assert links == [html.unescape(f.group(2)) for f in found if f]  # what is shown is where it goes
    return links


def test_community_share_box_holds_the_whole_link(open_link):
    at = open_link("pages/4_Community.py", postcode="SE6 4RU", measure="income")
    code, phone_code = _share_links(at)  # the view's link, then the same view for a phone
    shared = dict(parse_qsl(urlsplit(code).query))
    assert urlsplit(code).path.endswith("Community")
    assert shared == {"postcode": "SE6 4RU", "measure": "income"} == _link(at)
    assert urlsplit(phone_code).path == urlsplit(code).path
    assert dict(parse_qsl(urlsplit(phone_code).query)) == {**shared, "phone": "1"}
    at.text_input(key="search").input("Lewisham").run()
    code, phone_code = _share_links(at)
    assert dict(parse_qsl(urlsplit(code).query)) == {"place": "Lewisham", "measure": "income"}
    assert dict(parse_qsl(urlsplit(phone_code).query)) == {"place": "Lewisham", "measure": "income", "phone": "1"}
