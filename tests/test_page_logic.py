"""The computations taken out of the pages (issue 9: thin pages), on the real data in the mirror.

anchormap.analysis.what_if (the proposed site and its before/after tables),
anchormap.analysis.gap_tables (the ranking's readable tables), anchormap.maps.views
(the home and Community map views), anchormap.land.submissions and anchormap.land.overview
(the Shared land register flow and totals), and GapParams holding typed values.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from anchormap.access.people import Person
from anchormap.analysis import gaps
from anchormap.analysis.area_card import card_for_place
from anchormap.analysis.gap_tables import ROLLUP_COLUMNS, gap_scores, ranking_table, rollup_table, without_anchor
from anchormap.analysis.what_if import (
    AFTER_COLUMNS,
    BEFORE_COLUMNS,
    before_after_tables,
    escape_markdown,
    linked_site_kind,
    site_from_click,
    site_from_postcode,
    site_heading,
)
from anchormap.categories import CATEGORIES
from anchormap.crs import bng_to_wgs84
from anchormap.data.build import layer_stamp, load_layer
from anchormap.data.fingerprint import frame_fingerprint
from anchormap.errors import AnchorMapError
from anchormap.geo.place_search import search_place
from anchormap.land.assets import all_assets
from anchormap.land.overview import land_totals, off_map
from anchormap.land.store import open_store
from anchormap.land.submissions import (
    NO_COLUMN,
    active_submissions,
    check_register,
    chosen_mapping,
    owner_type_from_choice,
    store_checked,
    store_stamp,
)
from anchormap.maps.overlay import Overlay
from anchormap.maps.views import (
    anchor_kinds,
    file_stem,
    searched_point,
    unused_land_points,
    view_dataset_ids,
    view_title,
    zoom_to_place,
)
from anchormap.network.suggestions import lain_organisations

REGISTER = Path(__file__).parent / "fixtures" / "land" / "transparency_code_register.csv"


@pytest.fixture(scope="module")
def ctx(mirror):
    return gaps.prepare(2025, load_layer("anchors"))


# --------------------------------------------------------------------------- what if
def test_site_from_postcode_is_where_code_point_open_puts_it(mirror):
    site = site_from_postcode("se64ru", "", "libraries")
    postcodes = load_layer("postcodes")
    row = postcodes[postcodes["postcode"] == "SE6 4RU"].iloc[0]
    assert (site["x"], site["y"]) == (float(row["easting"]), float(row["northing"]))
    assert site["name"] == "Proposed site" and site["postcode"] == site["where"] == "SE6 4RU"
    with pytest.raises(AnchorMapError, match="not a full postcode"):
        site_from_postcode("SE6", "Hub", "libraries")


def test_site_from_click_round_trips_to_the_clicked_degrees(mirror):
    site = site_from_click({"lat": 51.4452, "lng": -0.0207}, "Hub", "health")
    lon, lat = bng_to_wgs84(site["x"], site["y"])
    assert abs(float(lat) - 51.4452) < 1e-6 and abs(float(lon) + 0.0207) < 1e-6
    assert site["postcode"] == "" and site["where"] == "51.44520, -0.02070"
    with pytest.raises(AnchorMapError, match="Click a place on the map first"):
        site_from_click(None, "Hub", "health")


def test_linked_site_kind_falls_back_to_a_counted_kind():
    assert linked_site_kind("libraries", ["health", "libraries"]) == "libraries"
    assert linked_site_kind("", ["health", "libraries"]) == "health"


def test_site_heading_shows_a_typed_name_as_typed():
    site = {"name": "*Hub* [x](http://e) <b>", "category": "libraries", "where": "SE6 4RU"}
    line = site_heading(site, "no gap closes.")
    assert line.startswith(r"**\*Hub\* \[x\]\(http://e\) \<b\>** (Libraries) at SE6 4RU: ")
    assert escape_markdown("plain words") == "plain words"


def test_before_after_tables_of_a_real_what_if(ctx, mirror):
    params = gaps.GapParams(within_m=800, categories=("libraries", "health"))
    site = site_from_postcode("SE6 4RU", "Hub", "libraries")
    change = gaps.what_if(ctx, params, site["x"], site["y"], site["category"], site["name"])
    assert len(change) > 0
    before, after = before_after_tables(change)
    assert list(before) == list(BEFORE_COLUMNS.values()) and list(after) == list(AFTER_COLUMNS.values())
    assert len(before) == len(after) == len(change)
    assert (after["Gap closed by"] == change["gap_closed_by"]).all()
    assert (before["Gap score"] - after["Gap score"]).round(4).equals(after["Gap closed by"])


def test_frame_fingerprint_follows_the_values(mirror):
    anchors = load_layer("anchors").head(50)
    assert frame_fingerprint(anchors) == frame_fingerprint(anchors.copy())
    renamed = anchors.copy()
    renamed.iloc[0, renamed.columns.get_loc("name")] = "Another name"
    assert frame_fingerprint(renamed) != frame_fingerprint(anchors)
    assert frame_fingerprint(None) == 0


# --------------------------------------------------------------------------- GapParams: parsed once
def test_gap_params_hold_typed_values_from_text():
    p = gaps.GapParams(deciles="3,1-2", categories=["libraries", " health"], within_m=800, detour=1)
    assert p.deciles == (1, 2, 3) and p.categories == ("libraries", "health")
    assert p.within_m == 800.0 and isinstance(p.within_m, float) and isinstance(p.detour, float)
    assert gaps.GapParams(categories=None).categories is None
    with pytest.raises(AnchorMapError, match="Unknown anchor category 'pubs'"):
        gaps.GapParams(categories=("pubs",))
    with pytest.raises(AnchorMapError, match="Deciles run from 1"):
        gaps.GapParams(deciles=(0,))


# --------------------------------------------------------------------------- map views
def test_anchor_kinds_count_every_category_present(mirror):
    anchors = load_layer("anchors")
    kinds = anchor_kinds(anchors)
    assert list(kinds) == [k for k in CATEGORIES if (anchors["category"] == k).any()]
    assert sum(k.count for k in kinds.values()) == int(anchors["category"].isin(list(CATEGORIES)).sum())
    libraries = anchors.loc[anchors["category"] == "libraries", "subtype"].dropna()
    assert kinds["libraries"].subtypes == tuple(sorted(libraries.unique()))
    assert anchor_kinds(None) == {}


def test_view_title():
    assert view_title("Crime", 2025, "Newham") == "Crime, 2025: Newham"


def test_community_view_of_a_searched_postcode(tmp_path, mirror):
    place = search_place("SE6 4RU", 2025)
    point = searched_point(place)
    assert point.loc[0, "name"] == f"You searched: {place.label}"
    assert (point.loc[0, "lat"], point.loc[0, "lon"]) == (place.lat, place.lon)
    anchors = load_layer("anchors")
    land = all_assets(open_store(tmp_path / "land.sqlite"))
    card = card_for_place(
        place, load_layer("lsoa_2021"), anchors=anchors, land=land, minutes=30, categories=("libraries",)
    )
    plots = unused_land_points(card.land)
    assert list(plots) == ["name", "land_status", "owner", "lat", "lon"] and len(plots) == len(card.land)
    assert not (plots["owner"] == "").any()
    ov = zoom_to_place(Overlay(), place)
    w, s, e, n = place.bounds_wgs84
    assert ov.spec["fit"] == {"key": "SE6 4RU|2025", "bounds": [round(v, 5) for v in (s, w, n, e)]}
    ids = view_dataset_ids(place, 2025, anchors, ["libraries"], land=card.land)
    assert ids[:3] == ["lsoa2021", "imd2025", "boroughs"] and "postcodes" in ids
    london = view_dataset_ids(None, 2019, anchors, ["libraries"])
    assert london[:3] == ["lsoa2011", "imd2019", "boroughs"]
    assert set(london[3:]) == set(anchors.loc[anchors["category"] == "libraries", "source"])
    assert file_stem(place.query) == "anchormap-se6-4ru"


# --------------------------------------------------------------------------- shared land
def test_register_check_map_and_store(tmp_path, mirror):
    store = open_store(tmp_path / "land.sqlite")
    assert store_stamp(store) == (str(tmp_path / "land.sqlite"), "0:0")
    check = check_register(REGISTER.read_bytes(), REGISTER.name, "London Borough of Lewisham")
    assert check.status == "ready" and check.rows_accepted == 5
    assert store_checked(check, store, by=Person.local_user()) == 1
    assert store.submissions()["rows_accepted"].tolist() == [5] and active_submissions(store) == [1]
    stored = store_stamp(store)[1]
    store.withdraw(1, by=Person.local_user())
    assert active_submissions(store) == []
    assert store_stamp(store)[1] not in ("0:0", stored)
    odd = b"Ref,Building,PC\nX1,Depot,SE6 4JF\n"
    assert check_register(odd, "odd.csv", "Partner").status == "needs_mapping"
    mapped = chosen_mapping({"asset_id": "Ref", "name": "Building", "postcode": "PC", "uprn": NO_COLUMN})
    again = check_register(odd, "odd.csv", "Partner", "infer", mapped)
    assert again.status == "ready" and again.rows_accepted == 1
    assert owner_type_from_choice("infer") is None and owner_type_from_choice("council") == "council"


def test_land_totals_and_off_map_on_the_builtin_land(tmp_path, mirror):
    land = all_assets(open_store(tmp_path / "land.sqlite"))
    totals = land_totals(land)
    assert totals["site_area_ha"] == pytest.approx(float(land["site_area_ha"].sum()))
    assert totals["floor_area_m2"] == pytest.approx(float(land["floor_area_m2"].sum()))
    assert len(off_map(land)) == int((~land["on_map"].astype(bool)).sum())


def test_layer_stamp_is_the_built_file_time(mirror):
    load_layer("boroughs")
    assert layer_stamp("boroughs") > 0
    with pytest.raises(AnchorMapError):
        layer_stamp("no_such_layer")


# --------------------------------------------------------------------------- gap tables
def test_gap_tables_of_a_real_ranking(ctx, mirror):
    table = gaps.rank_gaps(ctx, gaps.GapParams(measure="income", within_m=800))
    shown = ranking_table(table.head(5), "income")
    assert list(shown)[:4] == ["Rank", "Neighbourhood (LSOA)", "Borough", "Gap score"]
    assert "Income score" in shown and "Decile (1 = most deprived)" in shown and len(shown) == 5
    every = ranking_table(table, "income", nearest_by_kind=True)
    assert "Nearest: Libraries (m)" in every and len(every) == len(table)
    assert without_anchor(table) == int((table["anchors_in_catchment"] == 0).sum()) > 0
    assert gap_scores(table)[table.loc[0, "lsoa_code"]] == table.loc[0, "gap_score"]
    wards = rollup_table(table, "ward")
    assert list(wards)[0] == "Ward (2025)" and "ward_2025_code" not in wards
    assert wards["Neighbourhoods"].sum() == len(table)
    boroughs = rollup_table(table, "borough")
    assert list(boroughs) == ["Borough", *ROLLUP_COLUMNS.values()]
    with pytest.raises(AnchorMapError, match="Unknown roll-up"):
        rollup_table(table, "county")


def test_lain_suggestions_are_organisations_of_open_anchors(mirror):
    anchors = load_layer("anchors")
    matched, unmatched = lain_organisations(anchors)
    assert matched == sorted(set(matched)) and len(matched) > 0
    assert set(matched) <= set(anchors.loc[anchors["status"] == "open", "organisation"])
    assert all(isinstance(name, str) for name in unmatched)
