"""Walking on the real central-London street network (OpenStreetMap 2018, in the mirror)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from scipy.sparse.csgraph import connected_components

from anchormap.analysis import catchment as cm
from anchormap.analysis import gaps
from anchormap.analysis import river as rv
from anchormap.analysis import streets as st
from anchormap.cli import main
from anchormap.data.build import load_layer


@pytest.fixture(scope="module")
def network() -> st.StreetNetwork:
    return st.load_streets()


@pytest.fixture(scope="module")
def ctx():
    return gaps.prepare(2025, load_layer("anchors"), walking="streets")


def _straight(index, o, s):
    return np.hypot(
        index.origins["x"].to_numpy()[o] - index.sites["x"].to_numpy()[s],
        index.origins["y"].to_numpy()[o] - index.sites["y"].to_numpy()[s],
    )


def test_the_network_is_one_connected_part_of_the_osm_lines(network):
    edges = load_layer("streets_central")
    assert 1000e3 < edges["length_m"].sum() < 1199.5e3  # SOURCE.md: 1,199 km in all, small islands dropped
    n, _labels = connected_components(network.graph, directed=False)
    assert n == 1
    assert 20 < network.area.area / 1e6 < 45  # km², inside the extract's 44.9 km² hull


def test_scipy_paths_agree_with_networkx(network):
    edges = load_layer("streets_central")
    graph = nx.Graph()
    for x1, y1, x2, y2, m in edges[["x1", "y1", "x2", "y2", "length_m"]].itertuples(index=False):
        a, b = (x1, y1), (x2, y2)
        if not graph.has_edge(a, b) or graph[a][b]["weight"] > m:
            graph.add_edge(a, b, weight=m)
    rng = np.random.default_rng(3)
    nodes = network.nodes
    inside = np.flatnonzero(network.covers(nodes))  # path_m routes points in the covered area only
    assert len(inside) > len(nodes) / 2
    for _ in range(5):
        a, b = rng.choice(inside, 2, replace=False)
        want = nx.shortest_path_length(graph, tuple(nodes[a]), tuple(nodes[b]), weight="weight")
        got = network.path_m(tuple(nodes[a]), tuple(nodes[b]))
        assert got == pytest.approx(want, rel=1e-6)


def test_street_walks_are_never_shorter_than_the_straight_line_and_cross_the_river_on_bridges(ctx):
    idx = ctx.index
    street = idx.pair_via == -2
    assert street.sum() > 10_000
    o, s = idx.pair_origin[street], idx.pair_site[street]
    walked = idx.pair_m[street] * idx.detour
    straight = _straight(idx, o, s)
    assert (walked >= straight - 1e-3).all()
    ratio = walked / straight
    assert 1.1 < np.median(ratio[straight > 300]) < 1.6  # the detour measured on real streets
    # across the Thames the street walk goes over a bridge: about as long as the river-aware walk or longer
    cross = idx.origin_bank[o] != idx.site_bank[s]
    assert cross.sum() > 1000
    river_m, _ = idx.river.walk_m(
        idx.origins["x"].to_numpy()[o[cross]],
        idx.origins["y"].to_numpy()[o[cross]],
        idx.sites["x"].to_numpy()[s[cross]],
        idx.sites["y"].to_numpy()[s[cross]],
    )
    assert (walked[cross] >= river_m - 300).all()  # a bridge's point is mid-river, its ends up to ~150 m away


def test_only_pairs_with_both_ends_on_the_streets_use_them(ctx):
    idx = ctx.index
    on = idx.streets.origin_mask
    site_on = idx.streets.covers(idx.sites[["x", "y"]].to_numpy())
    both = on[idx.pair_origin] & site_on[idx.pair_site]
    np.testing.assert_array_equal(idx.pair_via == -2, both)
    assert 50 < on.sum() < 400  # central London's LSOAs, not all of London


def test_a_proposed_site_on_the_streets_is_routed_like_any_other(ctx):
    idx = ctx.index
    x, y = np.median(idx.streets.network.nodes, axis=0)  # the middle of the network
    added = idx.with_site(x, y, "libraries", "Proposed library")
    rebuilt = cm.build_index(idx.origins, added.sites, idx.max_radius_m, walking="streets")
    new = len(added.sites) - 1
    np.testing.assert_allclose(
        np.sort(added.pair_m[added.pair_site == new]), np.sort(rebuilt.pair_m[rebuilt.pair_site == new]), rtol=1e-6
    )
    np.testing.assert_allclose(added.nearest_m, rebuilt.nearest_m, rtol=1e-6)
    assert (added.pair_via[added.pair_site == new] == -2).any()


def test_a_proposed_site_pairs_like_a_rebuild_when_the_street_search_is_short():
    # With a small largest radius the street search stops early: origins it does not reach are
    # out of reach along the streets, never measured by the straight-line model instead.
    from anchormap.data.build import load_layer

    idx = gaps.prepare(2025, load_layer("anchors"), walking="streets", max_radius_m=1500).index
    nodes = idx.streets.network.nodes
    checked = 0
    for q in (0.2, 0.4, 0.5, 0.6, 0.8):
        x, y = np.quantile(nodes[:, 0], q), np.quantile(nodes[:, 1], q)
        if not idx.streets.covers(np.array([[x, y]]))[0]:
            continue
        added = idx.with_site(x, y, "libraries", "Proposed library")
        rebuilt = cm.build_index(idx.origins, added.sites, idx.max_radius_m, walking="streets", detour=idx.detour)
        new = len(added.sites) - 1
        mine, theirs = added.pair_site == new, rebuilt.pair_site == new
        assert set(added.pair_origin[mine]) == set(rebuilt.pair_origin[theirs])
        np.testing.assert_allclose(np.sort(added.pair_m[mine]), np.sort(rebuilt.pair_m[theirs]), rtol=1e-6)
        checked += 1
    assert checked >= 3


def test_the_cli_ranks_with_street_walking_and_says_so(tmp_path, capsys):
    out = tmp_path / "gaps.csv"
    assert main(["gaps", "--walk-minutes", "15", "--walking", "streets", "--top", "5", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "follow the streets" in text and "central-London street network" in text
    assert out.is_file()
    assert rv.check_walking("streets") == "streets"


def _tiny_extract(path):
    """A five-node OpenStreetMap extract: a footway, a street, a motorway and a private drive."""
    import osmium
    from osmium.osm.mutable import Node, Way

    writer = osmium.SimpleWriter(str(path))
    points = {1: (-0.100, 51.500), 2: (-0.099, 51.500), 3: (-0.098, 51.500), 4: (-0.098, 51.501), 5: (-0.097, 51.501)}
    for i, (lon, lat) in points.items():
        writer.add_node(Node(id=i, location=(lon, lat), tags={}))
    writer.add_way(Way(id=10, nodes=[1, 2, 3], tags={"highway": "footway"}))
    writer.add_way(Way(id=11, nodes=[3, 4], tags={"highway": "residential"}))
    writer.add_way(Way(id=12, nodes=[4, 5], tags={"highway": "motorway"}))
    writer.add_way(Way(id=13, nodes=[1, 5], tags={"highway": "service", "access": "private"}))
    writer.close()


def test_a_geofabrik_style_extract_gives_only_walkable_streets(tmp_path):
    """Edge case on a hand-made extract (the real Geofabrik file is optional and not in the mirror)."""
    from anchormap.data.layers.streets import osm_street_edges

    path = tmp_path / "tiny.osm.pbf"
    _tiny_extract(path)
    edges = osm_street_edges(path)
    assert sorted(set(edges["osm_id"])) == ["10", "11"]  # not the motorway, not the private drive
    net = st.network_from_edges(edges)
    ends = edges[["x1", "y1"]].to_numpy()
    assert len(net.nodes) == 4
    assert edges["length_m"].sum() == pytest.approx(69.43 * 2 + 111.25, abs=1)  # BNG metres (pyproj)
    assert ends[0] == pytest.approx([531979, 179607], abs=2)


def test_a_file_that_is_not_an_extract_is_a_clear_error(tmp_path):
    from anchormap.data.layers.streets import osm_street_edges
    from anchormap.errors import DataSourceError

    bad = tmp_path / "greater-london-latest.osm.pbf"
    bad.write_bytes(b"<html>not found</html>")
    with pytest.raises(DataSourceError, match="cannot be read as an OpenStreetMap extract"):
        osm_street_edges(bad)


def test_without_the_extract_street_walks_use_the_central_london_layer():
    assert st.street_source() == "osm_central_streets"  # the Geofabrik extract is not in the mirror
    assert "central-London street network" in gaps.explain(gaps.GapParams(walking="streets"))
