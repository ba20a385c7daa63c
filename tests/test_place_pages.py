"""The place chooser on every page (AppTest, real data): ``?area=`` narrows Need and anchors,
Underserved areas and Shared land, the link keeps it, and an old ``?borough=`` link still opens
the same borough."""

from __future__ import annotations

import json

from anchormap.analysis.gap_tables import AREA_HEADINGS
from anchormap.data.build import load_layer
from anchormap.geo.places import resolve_place, sites_in_place
from anchormap.land.assets import all_assets
from anchormap.network.catchment_place import network_catchment_lsoas
from anchormap.network.lists import network_from_members, store_network

LEWISHAM = "E09000023"
HACKNEY = "E09000012"


def _text(at) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(s.value for s in at.subheader)


def _overlay(at) -> str:
    [comp] = list(at.get("component_instance"))
    return json.loads(comp.proto.json_args)["feature_group"]


def test_area_link_narrows_the_home_page_and_is_kept(open_page):
    at = open_page("app.py", query={"area": f"borough:{LEWISHAM}"})
    n = int((load_layer("lsoa_2021")["borough_code"] == LEWISHAM).sum())
    text = _text(at)
    assert f"Showing Lewisham: {n:,} neighbourhoods." in text
    assert "In Lewisham, " in text and f"of {n:,} neighbourhoods" in text
    assert at.query_params["area"] in (f"borough:{LEWISHAM}", [f"borough:{LEWISHAM}"])
    fg = _overlay(at)
    assert f'"highlight":["{LEWISHAM}"]' in fg and f'"key":"borough:{LEWISHAM}|2025"' in fg
    assert at.selectbox(key="place_kind").value == "borough"
    assert at.multiselect(key="place_borough").value == [LEWISHAM]


def test_old_borough_link_opens_the_same_borough(open_page):
    at = open_page("app.py", query={"borough": HACKNEY})
    n = int((load_layer("lsoa_2021")["borough_code"] == HACKNEY).sum())
    assert f"Showing Hackney: {n:,} neighbourhoods." in _text(at)
    assert "borough" not in at.query_params
    assert at.query_params["area"] in (f"borough:{HACKNEY}", [f"borough:{HACKNEY}"])


def test_choosing_wards_on_the_home_page_writes_the_link(open_page):
    at = open_page("app.py")
    at.selectbox(key="place_kind").select("ward_2025").run()
    wards = load_layer("wards_2025")
    code = wards.loc[wards["borough_code"] == LEWISHAM, "ward_code"].iloc[0]
    at.multiselect(key="place_ward_2025").select(code).run()
    assert not at.exception
    assert at.query_params["area"] in (f"ward:{code}", [f"ward:{code}"])
    place = resolve_place(f"ward:{code}", 2025)
    assert f"Showing {place.label}: {len(place.lsoa_codes):,} neighbourhoods." in _text(at)


def test_area_narrows_the_underserved_ranking_and_its_tables(open_page):
    wards = load_layer("wards_2025")
    codes = list(wards.loc[wards["borough_code"] == LEWISHAM, "ward_code"].iloc[:3])
    text = "+".join(f"ward:{c}" for c in codes)
    at = open_page("pages/1_Underserved_areas.py", query={"area": text, "deciles": "1,2,3,4,5,6,7,8,9,10"})
    place = resolve_place(text, 2025)
    assert f"Showing {place.label}: {len(place.lsoa_codes):,} neighbourhoods." in _text(at)
    [top, everything] = at.dataframe[:2]
    ranked = everything.value
    names = load_layer("lsoa_2021").set_index("lsoa_code").loc[sorted(place.lsoa_codes), "lsoa_name"]
    assert set(ranked["Neighbourhood (LSOA)"]) == set(names)
    assert list(ranked["Rank"]) == list(range(1, len(ranked) + 1))
    assert set(ranked["Borough"]) == {"Lewisham"}
    wards_tab = at.dataframe[3].value
    assert AREA_HEADINGS["borough"] in wards_tab.columns and set(wards_tab["Borough"]) == {"Lewisham"}
    assert at.query_params["area"] in (text, [text])


def test_area_narrows_shared_land_to_the_assets_inside(open_page):
    at = open_page("pages/2_Shared_land.py", query={"area": f"borough:{LEWISHAM}"})
    place = resolve_place(f"borough:{LEWISHAM}", 2025)
    inside = sites_in_place(all_assets(), place)
    assert len(inside) > 0
    assert f"Showing Lewisham: {len(inside):,} assets." in _text(at)
    assert at.query_params["area"] in (f"borough:{LEWISHAM}", [f"borough:{LEWISHAM}"])


def test_place_follows_people_to_another_page(open_page):
    at = open_page("app.py", query={"area": f"borough:{LEWISHAM}"})
    at.switch_page("pages/1_Underserved_areas.py").run()
    assert not at.exception
    assert "Showing Lewisham: " in _text(at)


def test_a_file_in_a_link_is_refused_in_words(open_page):
    at = open_page("app.py", query={"area": "file:/etc/passwd"})
    assert any("cannot be opened from a link" in e.value for e in at.error)
    assert "Showing all of London" in _text(at)


def test_our_networks_walking_catchment_is_a_place_once_a_network_is_open(open_page):
    anchors = load_layer("anchors")
    network = network_from_members(anchors, ["Lewisham and Greenwich NHS Trust"])
    assert len(network) > 0
    state: dict = {}
    store_network(state, network, "Lewisham and Greenwich NHS Trust")
    at = open_page("pages/1_Underserved_areas.py", session=state)
    assert "Our network's walking catchment" in at.selectbox(key="place_kind").options
    at.selectbox(key="place_kind").select("network").run()
    assert not at.exception
    codes = network_catchment_lsoas(network, 2025)
    assert f"Showing our network's walking catchment: {len(codes):,} neighbourhoods." in _text(at)
    assert at.query_params["area"] in ("network", ["network"])
