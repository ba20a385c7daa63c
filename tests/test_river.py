"""Walking that respects the Thames, on the real data: the banks, the crossings, catchments and walks."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import shapely

from anchormap.analysis import area_card, gaps
from anchormap.analysis import catchment as cm
from anchormap.analysis import river as rv
from anchormap.data.build import load_layer
from anchormap.data.sources import resolve
from anchormap.geo import postcodes

MINUTES = 15.0


@pytest.fixture(scope="module")
def river() -> rv.River:
    return rv.load_river()


@pytest.fixture(scope="module")
def anchors():
    return load_layer("anchors")


@pytest.fixture(scope="module")
def lsoas():
    return load_layer("lsoa_2021")


@pytest.fixture(scope="module")
def contexts(anchors):
    return {w: gaps.prepare(2025, anchors, walking=w) for w in ("straight", "river")}


@pytest.fixture(scope="module")
def e14():
    match = postcodes.locate("E14 2DG")
    return match.easting, match.northing


def _borough(text: str) -> str:
    return re.split(r"\s*[\(\[/]", str(text))[0].strip()


def test_the_river_layer_counts_the_foot_crossings_and_says_why_not_the_others(mirror):
    layer = load_layer("river")
    crossings = layer[layer["feature"] == "crossing"]
    assert len(crossings) == 31
    raw = pd.read_csv(mirror / "transport/thames_foot_crossings/thames_foot_crossings_london.csv")
    located = raw["easting"].notna()
    walkable = raw["open_to_pedestrians"].isin(["yes", "partial"]) & (raw["kind"] != "road_tunnel")
    counted = crossings.set_index("crossing_id")["counted"]
    assert counted.sum() == (located & walkable).sum() == 29
    for _, row in raw[~(located & walkable)].iterrows():  # the cable car and the Rotherhithe road tunnel
        assert not counted[row["crossing_id"]]
        assert crossings.set_index("crossing_id").loc[row["crossing_id"], "why"].startswith("not counted")
    partial = raw[(raw["open_to_pedestrians"] == "partial") & located & walkable]["crossing_id"]
    assert len(partial) == 2 and counted[partial].all()  # the Richmond Lock footbridge and the Woolwich Ferry
    assert layer.crs.to_epsg() == 27700


def test_every_lsoa_is_on_one_bank_and_only_one_borough_spans_the_river(river, lsoas):
    pts = lsoas.geometry.representative_point()
    banks = river.bank_of(pts.x.to_numpy(), pts.y.to_numpy())
    assert set(np.unique(banks)) == {rv.NORTH, rv.SOUTH}
    by_borough = pd.crosstab(lsoas["borough_name"], banks)
    spanning = by_borough[(by_borough > 0).sum(axis=1) > 1].index.tolist()
    assert spanning == ["Richmond upon Thames"]  # above Teddington too: the river line splits it
    # the City is north of the river, Southwark south (each borough's own LSOAs, by the cut alone)
    assert by_borough.loc["City of London", rv.SOUTH] == 0 and by_borough.loc["Southwark", rv.NORTH] == 0


def test_each_crossing_joins_the_boroughs_the_source_names_on_each_bank(river, lsoas):
    """For every crossing, the borough the file names on its north bank has LSOAs labelled north
    within 800 m of it, and the south-bank borough LSOAs labelled south: the banks are right at
    every bridge, including Kingston Bridge and Teddington Lock above the tidal gap."""
    pts = lsoas.geometry.representative_point()
    banks = river.bank_of(pts.x.to_numpy(), pts.y.to_numpy())
    boroughs = set(lsoas["borough_name"])
    table = pd.read_csv(resolve("thames_foot_crossings", allow_download=False).path)
    table = table[table["easting"].notna() & (table["kind"] != "excluded_cable_car")]
    assert len(table) == 29
    for _, row in table.iterrows():
        near = lsoas.geometry.distance(shapely.Point(row["easting"], row["northing"])) < 800
        for side, bank in (("north_bank_borough", rv.NORTH), ("south_bank_borough", rv.SOUTH)):
            name = _borough(row[side])
            if name not in boroughs:  # Hampton Court's south bank is Surrey, outside London
                continue
            mine = near.to_numpy() & (lsoas["borough_name"] == name).to_numpy()
            assert mine.any() and (banks[mine] == bank).any(), (row["name"], side, name)


def test_points_in_the_river_go_to_the_nearer_bank(river):
    cx, cy = river.cxy[:, 0], river.cxy[:, 1]
    on_water = ~(shapely.contains_xy(river.north, cx, cy) | shapely.contains_xy(river.south, cx, cy))
    assert on_water.sum() >= 20  # most bridges' points are mid-river
    banks = river.bank_of(cx, cy)
    assert set(np.unique(banks)) <= {rv.NORTH, rv.SOUTH}


def test_e14_2dg_to_a_site_across_the_river_walks_through_a_crossing(river, anchors, e14):
    """The anchor across the river nearest to E14 2DG in a straight line (found by geometry) is
    reached through a crossing; the walk is longer than the straight line, and the sites on the
    south bank round Greenwich are reached through the Greenwich Foot Tunnel."""
    x, y = e14
    assert river.bank_of([x], [y])[0] == rv.NORTH
    sx, sy = anchors["easting"].to_numpy(float), anchors["northing"].to_numpy(float)
    south = river.bank_of(sx, sy) == rv.SOUTH
    straight = np.hypot(sx - x, sy - y)
    nearest_across = int(np.flatnonzero(south)[np.argmin(straight[south])])
    metres, via = river.walk_m([x], [y], [sx[nearest_across]], [sy[nearest_across]])
    assert via[0] >= 0 and metres[0] > straight[nearest_across] + 500
    legs = np.hypot(*(river.cxy[via[0]] - [x, y])) + np.hypot(
        *(river.cxy[via[0]] - [sx[nearest_across], sy[nearest_across]])
    )
    assert metres[0] == pytest.approx(legs)
    # south-bank sites within 600 m of the foot tunnel's south entrance: by the tunnel
    tunnel = int(np.flatnonzero(river.crossings["kind"] == "foot_tunnel")[0])
    assert river.crossings["name"].iloc[tunnel] == "Greenwich Foot Tunnel"
    by_tunnel = south & (np.hypot(sx - river.cxy[tunnel, 0], sy - river.cxy[tunnel, 1]) < 600)
    assert by_tunnel.sum() >= 3
    metres, via = river.walk_m(np.full(by_tunnel.sum(), x), np.full(by_tunnel.sum(), y), sx[by_tunnel], sy[by_tunnel])
    assert (via == tunnel).all() and (metres > straight[by_tunnel]).all()
    minutes = cm.walk_minutes(metres)
    assert (minutes > cm.walk_minutes(straight[by_tunnel])).all()


def test_the_university_across_the_water_from_e14_2dg_is_no_longer_a_short_walk(anchors, e14):
    """The issue's case: a university that a straight line put within 15 minutes of E14 2DG,
    across the Thames with no crossing near (found by geometry: universities within a straight
    15-minute walk that are on the other bank)."""
    x, y = e14
    river = rv.load_river()
    unis = anchors[anchors["category"] == "higher_further_education"]
    ux, uy = unis["easting"].to_numpy(float), unis["northing"].to_numpy(float)
    straight_ok = np.hypot(ux - x, uy - y) <= cm.walk_radius_m(MINUTES)
    across = straight_ok & (river.bank_of(ux, uy) == rv.SOUTH)
    assert across.any()
    names = set(unis["name"].to_numpy()[across])
    walked, _ = river.walk_m(np.full(across.sum(), x), np.full(across.sum(), y), ux[across], uy[across])
    assert (cm.walk_minutes(walked) > 2 * MINUTES).all()
    before = area_card.nearby_anchors(anchors, x, y, minutes=MINUTES, walking="straight")
    after = area_card.nearby_anchors(anchors, x, y, minutes=MINUTES)
    assert names & set(before.loc[before["within_walk"], "name"])
    assert not names & set(after.loc[after["within_walk"], "name"])
    # what the card says of those still listed across the river names the crossing
    crossed = after[after["via"] != ""]
    for row in crossed.to_dict("records"):
        assert row["distance_m"] > row["straight_m"]
        assert area_card.walk_words(row["distance_m"], row["via"]).endswith(f"by the {row['via']}")


def test_same_bank_pairs_are_unchanged_and_cross_river_pairs_only_get_longer(contexts):
    a, b = contexts["straight"].index, contexts["river"].index
    key_a = pd.Series(a.pair_m, index=pd.MultiIndex.from_arrays([a.pair_origin, a.pair_site]))
    key_b = pd.Series(b.pair_m, index=pd.MultiIndex.from_arrays([b.pair_origin, b.pair_site]))
    assert key_b.index.isin(key_a.index).all()  # the river never brings a site within reach
    same = b.pair_via == -1
    np.testing.assert_allclose(key_b[same].to_numpy(), key_a.loc[key_b.index[same]].to_numpy())
    crossed = ~same
    assert crossed.sum() > 10_000
    assert (key_b[crossed].to_numpy() > key_a.loc[key_b.index[crossed]].to_numpy()).all()
    # and same-bank pairs are all kept
    banks_a = b.origin_bank[a.pair_origin] == b.site_bank[a.pair_site]
    assert banks_a.sum() == same.sum()
    assert np.all(np.diff(b.pair_m) >= 0)  # still sorted


def test_a_catchment_count_near_the_river_drops_where_the_straight_line_crossed_water(contexts):
    a, b = contexts["straight"].index, contexts["river"].index
    before = a.counts_within_walk(MINUTES, None)
    after = b.counts_within_walk(MINUTES, None)
    assert (after <= before).all()
    dropped = np.flatnonzero(after < before)
    assert len(dropped) > 50
    # every LSOA that lost anchors is near the other bank: within a straight 15-minute walk of a site across
    radius = cm.walk_radius_m(MINUTES)
    o, s, d = a.pairs_within(radius)
    across = b.origin_bank[o] != b.site_bank[s]
    assert set(dropped) <= set(o[across])
    # counts far from the river are the same
    far = ~np.isin(np.arange(a.n_origins), o[across])
    np.testing.assert_array_equal(after[far], before[far])


def test_nearest_anchor_of_each_kind_is_the_shortest_walk(contexts, river):
    """The per-category nearest site (used for "nearest anchor" and the gap table) equals a brute
    force over every site of the kind with the river-aware walk, for LSOAs near the river."""
    idx = contexts["river"].index
    rng = np.random.default_rng(14)
    ox, oy = idx.origins["x"].to_numpy(), idx.origins["y"].to_numpy()
    near_river = np.flatnonzero(np.min(idx.origin_legs, axis=1) < 2500)
    sample = rng.choice(near_river, size=40, replace=False)
    sx, sy = idx.sites["x"].to_numpy(), idx.sites["y"].to_numpy()
    for c, _name in enumerate(idx.categories):
        rows = np.flatnonzero(idx.site_cat == c)
        for i in sample:
            m, _ = river.walk_m(np.full(len(rows), ox[i]), np.full(len(rows), oy[i]), sx[rows], sy[rows])
            assert idx.nearest_m[i, c] == pytest.approx(m.min())
            assert m[rows == idx.nearest_site[i, c]][0] == pytest.approx(m.min())


def test_a_proposed_site_across_the_river_is_measured_by_the_crossing(contexts, anchors, e14):
    """A what-if site placed at E14 2DG: its pairs with south-bank LSOAs go by a crossing, and
    the index with the site added equals one built with the site from the start."""
    x, y = e14
    ctx = contexts["river"]
    added = ctx.index.with_site(x, y, "libraries", "Proposed library")
    sites = added.sites
    rebuilt = cm.build_index(ctx.index.origins, sites, ctx.index.max_radius_m, walking="river")
    new = len(sites) - 1
    got = np.sort(added.pair_m[added.pair_site == new])
    want = np.sort(rebuilt.pair_m[rebuilt.pair_site == new])
    np.testing.assert_allclose(got, want)
    np.testing.assert_allclose(added.nearest_m, rebuilt.nearest_m)
    crossed = added.pair_via[added.pair_site == new] >= 0
    assert crossed.any() and (~crossed).any()
    params = gaps.GapParams(walk_minutes=MINUTES, categories=("libraries",))
    change = gaps.what_if(ctx, params, x, y, "libraries", "Proposed library")
    closes = change["gap_closed_by"] != 0
    assert closes.any()
    # every LSOA whose gap closes is within a 15-minute walk of the site by the river-aware distance
    rows = ctx.index.origins.set_index("lsoa_code").loc[change.loc[closes, "lsoa_code"]]
    m, _ = ctx.index.river.walk_m(
        rows["x"].to_numpy(), rows["y"].to_numpy(), np.full(len(rows), x), np.full(len(rows), y)
    )
    assert (m <= cm.walk_radius_m(MINUTES) + 1e-6).all()


def test_the_assumptions_text_says_how_walks_cross_the_river():
    river_text = gaps.explain(gaps.GapParams(walk_minutes=MINUTES))
    assert "Thames" in river_text and "crossing open on foot" in river_text
    straight = gaps.explain(gaps.GapParams(walk_minutes=MINUTES, walking="straight"))
    assert "ignore the Thames" in straight
    assert "**The Thames**" in cm.__doc__ and "crossing c open on foot" in cm.__doc__


def test_the_ranking_refuses_a_model_it_was_not_prepared_with(contexts):
    with pytest.raises(Exception, match="prepared with straight walking"):
        gaps.rank_gaps(contexts["straight"], gaps.GapParams(walking="river"))
    with pytest.raises(Exception, match="Unknown walking model"):
        gaps.GapParams(walking="swimming")


def test_every_postcode_gets_a_bank_quickly_and_agrees_with_its_borough(river, lsoas):
    pc = load_layer("postcodes")
    banks = river.bank_of(pc["easting"].to_numpy(), pc["northing"].to_numpy())
    assert len(banks) == len(pc) > 150_000
    pts = lsoas.geometry.representative_point()
    lsoa_bank = pd.Series(river.bank_of(pts.x.to_numpy(), pts.y.to_numpy()), index=lsoas.index)
    borough_bank = lsoa_bank.groupby(lsoas["borough_code"]).agg(lambda s: s.iloc[0] if s.nunique() == 1 else -1)
    one_bank = pc["borough_code"].map(borough_bank)
    known = one_bank.isin([rv.NORTH, rv.SOUTH]).to_numpy()
    agree = (banks[known] == one_bank[known].to_numpy()).mean()
    assert agree > 0.999


def test_unused_land_across_the_river_is_as_far_as_the_walk_by_a_crossing(river):
    from anchormap.land.assets import all_assets

    land = all_assets(None)
    dropped = crossed = 0
    for pc in ("E14 3AB", "SE18 6DX", "SE1 9PH"):
        m = postcodes.locate(pc)
        kw = {"minutes": 20, "public_only": False}
        straight = area_card.nearby_unused_land(land, m.easting, m.northing, walking="straight", **kw)
        walked = area_card.nearby_unused_land(land, m.easting, m.northing, walking="river", river=river, **kw)
        assert set(walked["name"] + walked["address"]) <= set(straight["name"] + straight["address"])
        home = river.bank_of(np.array([m.easting]), np.array([m.northing]))[0]
        gone = straight[~(straight["name"] + straight["address"]).isin(walked["name"] + walked["address"])]
        for rec in land[land["name"].isin(gone["name"])].itertuples():
            assert river.bank_of(np.array([rec.easting]), np.array([rec.northing]))[0] != home
        dropped += len(gone)
        by_crossing = walked[walked["via"] != ""]
        crossed += len(by_crossing)
        for rec in by_crossing.to_dict("records"):
            assert f"by the {rec['via'].removeprefix('The ')}" in area_card.land_sentence(rec)
    assert dropped > 0 and crossed > 0


def test_a_missing_point_has_no_walk_and_no_crossing(river):
    metres, via = river.walk_m([np.nan, 538000.0], [np.nan, 178000.0], [530000.0, 538000.0], [175000.0, 177000.0])
    assert np.isnan(metres[0]) and via[0] == -1
    assert np.isfinite(metres[1])
