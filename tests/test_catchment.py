"""Catchments: hand-worked cases on a grid of squares, and properties on the real London data."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from anchormap.analysis import catchment as cm
from anchormap.data.build import load_layer
from anchormap.errors import AnchorMapError

# --- hand-built cases ------------------------------------------------------------------


def grid(n_cols: int, n_rows: int, size: float = 100.0, population=None) -> gpd.GeoDataFrame:
    """n_cols x n_rows squares of ``size`` metres with the lower-left corner at (0, 0), EPSG:27700."""
    cells = [(c, r) for r in range(n_rows) for c in range(n_cols)]
    return gpd.GeoDataFrame(
        {
            "lsoa_code": [f"c{c}r{r}" for c, r in cells],
            "population": population if population is not None else [1000] * len(cells),
            "geometry": [box(c * size, r * size, (c + 1) * size, (r + 1) * size) for c, r in cells],
        },
        crs=27700,
    )


def sites(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["anchor_id", "name", "category", "easting", "northing"])


@pytest.fixture
def grid_index() -> cm.CatchmentIndex:
    # 3 x 3 squares of 100 m: origins at the centres (50, 50), (150, 50) ... (250, 250).
    # A hospital at (50, 50) (centre of c0r0) and a library at (250, 250) (centre of c2r2).
    anchors = sites([("h", "Hospital", "health", 50, 50), ("l", "Library", "libraries", 250, 250)])
    return cm.build_index(cm.lsoa_origins(grid(3, 3)), cm.anchor_sites(anchors), max_radius_m=1000)


def test_origins_of_squares_are_their_centres():
    origins = cm.lsoa_origins(grid(3, 3))
    assert origins.loc[origins["lsoa_code"] == "c1r1", ["x", "y"]].to_numpy().tolist() == [[150.0, 150.0]]
    assert origins.loc[origins["lsoa_code"] == "c2r0", ["x", "y"]].to_numpy().tolist() == [[250.0, 50.0]]


def test_counts_on_the_grid_by_hand(grid_index):
    counts = dict(zip(grid_index.origins["lsoa_code"], grid_index.counts_within(100), strict=True))
    # Within 100 m (inclusive): c0r0 holds the hospital (0 m); c1r0 and c0r1 are 100 m from it;
    # c2r2 holds the library; c1r2 and c2r1 are 100 m from it. The centre c1r1 is 141.4 m from both.
    assert counts == {"c0r0": 1, "c1r0": 1, "c2r0": 0, "c0r1": 1, "c1r1": 0, "c2r1": 1, "c0r2": 0, "c1r2": 1, "c2r2": 1}
    # Within 150 m the centre reaches both (141.4 m each); c0r0 reaches only the hospital
    # (the library is sqrt(200^2 + 200^2) = 282.8 m away).
    c150 = dict(zip(grid_index.origins["lsoa_code"], grid_index.counts_within(150), strict=True))
    assert c150["c1r1"] == 2 and c150["c0r0"] == 1
    # Only libraries within 150 m: c1r1 (141.4 m) yes, c0r0 no.
    lib = dict(zip(grid_index.origins["lsoa_code"], grid_index.counts_within(150, ["libraries"]), strict=True))
    assert lib["c1r1"] == 1 and lib["c0r0"] == 0


def test_walking_radius_by_hand(grid_index):
    # 5 minutes at 4.8 km/h = 5 x 80 = 400 m on the streets = 400 / 1.3 = 307.7 m in a straight line.
    assert cm.walk_radius_m(5) == pytest.approx(400 / 1.3)
    # From c0r0 the library is 282.8 m away: inside a 5-minute walk, outside a 4-minute one (246.2 m).
    counts5 = dict(zip(grid_index.origins["lsoa_code"], grid_index.counts_within_walk(5), strict=True))
    counts4 = dict(zip(grid_index.origins["lsoa_code"], grid_index.counts_within_walk(4), strict=True))
    assert counts5["c0r0"] == 2 and counts4["c0r0"] == 1
    # Slower walkers on straighter streets: 5 min at 3.6 km/h (60 m/min), detour 1.0 -> 300 m.
    assert cm.walk_radius_m(5, detour=1.0, walk_kmh=3.6) == pytest.approx(300)
    assert cm.walk_minutes(300, detour=1.0, walk_kmh=3.6) == pytest.approx(5)


def test_nearest_overall_and_by_category_by_hand(grid_index):
    near_m, near_row = grid_index.nearest(["health", "libraries"])
    codes = list(grid_index.origins["lsoa_code"])
    i = codes.index("c1r0")  # (150, 50): hospital 100 m away, library sqrt(100^2 + 200^2) = 223.6 m
    assert near_m[i] == pytest.approx(100)
    assert grid_index.sites["name"][near_row[i]] == "Hospital"
    by_cat = grid_index.nearest_by_category()
    assert by_cat.loc["c1r0", "nearest_health_m"] == pytest.approx(100)
    assert by_cat.loc["c1r0", "nearest_libraries_m"] == pytest.approx(math.hypot(100, 200))
    lib_m, _ = grid_index.nearest(["libraries"])
    assert lib_m[i] == pytest.approx(223.607, abs=1e-3)


def test_gaussian_and_step_decay_by_hand():
    # Gaussian, d0 = 200, d = 100: (exp(-0.5 x 0.25) - exp(-0.5)) / (1 - exp(-0.5))
    #   = (0.882497 - 0.606531) / 0.393469 = 0.701367
    w = cm.decay_weights(np.array([0.0, 100.0, 200.0, 201.0]), 200, "gaussian")
    assert w == pytest.approx([1.0, 0.701367, 0.0, 0.0], abs=1e-6)
    # Step, d0 = 120: thirds are [0, 40), [40, 80), [80, 120] -> 1, 0.68, 0.22; beyond -> 0.
    w = cm.decay_weights(np.array([0.0, 39.0, 40.0, 79.0, 80.0, 120.0, 121.0]), 120, "step")
    assert w.tolist() == [1.0, 1.0, 0.68, 0.68, 0.22, 0.22, 0.0]


def test_e2sfca_on_paper():
    # Three squares in a row: A (centre x=50, 1,000 people), B (x=150, 2,000), C (x=250, 500).
    # Site S1 at A's centre, S2 at C's centre. Catchment d0 = 120 m, stepped decay:
    #   d(S1,A) = 0 -> 1;  d(S1,B) = 100 -> outer third (80..120) -> 0.22;  d(S1,C) = 200 -> out
    #   d(S2,C) = 0 -> 1;  d(S2,B) = 100 -> 0.22;                           d(S2,A) = 200 -> out
    # Step 1: R1 = 1 / (1000 x 1 + 2000 x 0.22) = 1 / 1440;  R2 = 1 / (500 x 1 + 2000 x 0.22) = 1 / 940
    # Step 2: A_A = 1 x R1 = 1/1440           = 0.000694444 -> x 1000 = 0.694444
    #         A_B = 0.22 R1 + 0.22 R2 = 0.22/1440 + 0.22/940 = 0.000152778 + 0.000234043 = 0.000386820 -> 0.386820
    #         A_C = 1 x R2 = 1/940            = 0.001063830 -> 1.063830
    lsoas = grid(3, 1, population=[1000, 2000, 500])
    anchors = sites([("s1", "S1", "health", 50, 50), ("s2", "S2", "libraries", 250, 50)])
    index = cm.build_index(cm.lsoa_origins(lsoas), cm.anchor_sites(anchors), max_radius_m=500)
    acc = cm.e2sfca(index, 120, decay="step")
    assert acc == pytest.approx([0.694444, 0.386820, 1.063830], abs=1e-6)
    # Everyone's share adds up to the supply: 1000 x 0.694444 + 2000 x 0.386820 + 500 x 1.063830 = 2,000
    # (two sites x 1,000 because A is per 1,000 residents).
    assert float(np.dot([1000, 2000, 500], acc)) == pytest.approx(2000)
    # Weight S1 (health) 2: R1 = 2/1440, so A_A = 1.388889, A_B = 0.44/1440 + 0.22/940 = 0.539598, A_C unchanged.
    acc_w = cm.e2sfca(index, 120, weights={"health": 2}, decay="step")
    assert acc_w == pytest.approx([1.388889, 0.539598, 1.063830], abs=1e-6)
    # Only libraries: A sees nothing; R2 unchanged.
    assert cm.e2sfca(index, 120, ["libraries"], decay="step") == pytest.approx([0, 0.22 / 940 * 1000, 1000 / 940])


def test_catchment_table_names_the_nearest(grid_index):
    table = cm.catchment_table(grid_index, 100, ["health", "libraries"]).set_index("lsoa_code")
    assert table.loc["c0r1", "nearest_anchor_name"] == "Hospital"
    assert table.loc["c0r1", "nearest_anchor_m"] == pytest.approx(100)
    assert table.loc["c2r1", "nearest_anchor_category"] == "libraries"
    assert table.loc["c1r1", "anchors_in_catchment"] == 0


def test_with_site_matches_a_rebuilt_index(grid_index):
    added = grid_index.with_site(150, 150, "culture", "Museum")
    rebuilt = cm.build_index(
        grid_index.origins,
        pd.concat(
            [
                grid_index.sites,
                pd.DataFrame([{"site_id": "m", "name": "Museum", "category": "culture", "x": 150.0, "y": 150.0}]),
            ],
            ignore_index=True,
        ),
        max_radius_m=1000,
    )
    for r in (50, 100, 150, 300):
        assert added.counts_within(r).tolist() == rebuilt.counts_within(r).tolist()
        assert cm.e2sfca(added, r) == pytest.approx(cm.e2sfca(rebuilt, r))
    assert added.nearest()[0] == pytest.approx(rebuilt.nearest()[0])
    assert len(grid_index.sites) == 2  # the original is unchanged


# --- bad parameters ----------------------------------------------------------------------


@pytest.mark.parametrize("radius", [-100, 0, float("nan"), "far"])
def test_bad_distances_are_refused(grid_index, radius):
    with pytest.raises(AnchorMapError, match="metres"):
        grid_index.counts_within(radius)


def test_bad_walking_parameters_are_refused():
    with pytest.raises(AnchorMapError, match="more than 0 minutes"):
        cm.walk_radius_m(-5)
    with pytest.raises(AnchorMapError, match="detour factor must be 1 or more"):
        cm.walk_radius_m(10, detour=0.5)
    with pytest.raises(AnchorMapError, match="walking speed must be more than 0 km/h"):
        cm.walk_radius_m(10, walk_kmh=0)


def test_unknown_category_is_named(grid_index):
    with pytest.raises(AnchorMapError, match="Unknown anchor category 'hospitals'.*Known: health"):
        grid_index.counts_within(100, ["hospitals"])
    with pytest.raises(AnchorMapError, match="Unknown anchor category 'pubs'"):
        cm.e2sfca(grid_index, 100, weights={"pubs": 2})


def test_bad_weight_and_decay(grid_index):
    with pytest.raises(AnchorMapError, match="weight of 'health' must be a number of 0 or more"):
        cm.e2sfca(grid_index, 100, weights={"health": -1})
    with pytest.raises(AnchorMapError, match="Unknown distance decay 'linear'"):
        cm.e2sfca(grid_index, 100, decay="linear")


def test_radius_beyond_the_index_is_refused(grid_index):
    with pytest.raises(AnchorMapError, match="larger than the 1,000 m this index was built for"):
        grid_index.counts_within(1500)


def test_empty_anchor_sets_are_refused():
    empty = sites([])
    with pytest.raises(AnchorMapError, match="Our network is empty"):
        cm.anchor_sites(empty, "our network")
    closed = sites([("x", "Old library", "libraries", 50, 50)]).assign(status="closed")
    with pytest.raises(AnchorMapError, match="No site in the anchors layer is open and has coordinates"):
        cm.anchor_sites(closed)


# --- properties on the real data -----------------------------------------------------------


@pytest.fixture(scope="module")
def lsoas() -> gpd.GeoDataFrame:
    return load_layer("lsoa_2021")


@pytest.fixture(scope="module")
def anchors() -> gpd.GeoDataFrame:
    return load_layer("anchors")


@pytest.fixture(scope="module")
def london(lsoas, anchors) -> cm.CatchmentIndex:
    return cm.build_index(cm.lsoa_origins(lsoas), cm.anchor_sites(anchors), max_radius_m=3000)


def test_origins_lie_inside_their_lsoa(lsoas):
    origins = cm.lsoa_origins(lsoas)
    points = gpd.GeoSeries(gpd.points_from_xy(origins["x"], origins["y"]), crs=27700)
    assert points.within(lsoas.geometry.reset_index(drop=True)).all()


def test_closed_anchors_are_left_out(anchors):
    open_sites = cm.anchor_sites(anchors)
    assert len(open_sites) == int((anchors["status"] != "closed").sum()) > 0


def test_a_larger_catchment_never_lowers_a_count(london):
    for cats in (None, ["libraries"], ["health", "culture"]):
        previous = np.zeros(london.n_origins, dtype=int)
        for radius in (200, 500, 800, 1200, 2000, 3000):
            counts = london.counts_within(radius, cats)
            assert (counts >= previous).all()
            previous = counts
        assert previous.sum() > 0


def test_counts_agree_with_shapely_distances(london, lsoas):
    # 40 LSOAs spread across London, checked against shapely's own distance to every site.
    sample = np.linspace(0, london.n_origins - 1, 40).astype(int)
    site_points = gpd.GeoSeries(gpd.points_from_xy(london.sites["x"], london.sites["y"]), crs=27700)
    counts = london.counts_within(1000, ["libraries", "health"])
    near_m, _ = london.nearest(["libraries"])
    is_chosen = london.sites["category"].isin(["libraries", "health"]).to_numpy()
    is_library = (london.sites["category"] == "libraries").to_numpy()
    for i in sample:
        origin = Point(london.origins.loc[i, "x"], london.origins.loc[i, "y"])
        d = site_points.distance(origin).to_numpy()
        assert counts[i] == int(((d <= 1000) & is_chosen).sum())
        assert near_m[i] == pytest.approx(d[is_library].min())


def test_an_lsoa_holding_an_anchor_is_no_farther_from_one_than_its_extent(london, lsoas):
    site_points = gpd.GeoDataFrame(
        london.sites, geometry=gpd.points_from_xy(london.sites["x"], london.sites["y"]), crs=27700
    )
    hit = gpd.sjoin(site_points, lsoas[["lsoa_code", "geometry"]], predicate="within")
    holding = hit["lsoa_code"].unique()
    assert len(holding) > 1000
    near_m, _ = london.nearest()
    codes = london.origins["lsoa_code"].to_numpy()
    bounds = lsoas.set_index("lsoa_code").loc[codes].geometry.bounds
    diagonal = np.hypot(bounds["maxx"] - bounds["minx"], bounds["maxy"] - bounds["miny"]).to_numpy()
    rows = np.flatnonzero(np.isin(codes, holding))
    assert (near_m[rows] <= diagonal[rows]).all()


def test_e2sfca_shares_out_exactly_the_supply_that_has_demand(london):
    # Sum over LSOAs of population x A / 1,000 equals the summed weight of the sites with
    # anyone inside their catchment (a property of the two-step method).
    radius = 1500
    acc = cm.e2sfca(london, radius, ["libraries", "culture"], weights={"culture": 0.5})
    pop = london.origins["population"].to_numpy()
    o, s, _d = london.pairs_within(radius, ["libraries", "culture"])
    w = cm.decay_weights(_d, radius)
    served = np.unique(s[w > 0])
    supply = np.where(london.sites["category"].to_numpy()[served] == "culture", 0.5, 1.0).sum()
    assert float(np.dot(pop, acc)) / 1000 == pytest.approx(supply, rel=1e-9)
    assert (acc >= 0).all()
