"""The River Thames for walking: its two banks and the places to cross it on foot.

Layer ``river`` (EPSG:27700, metres), one row per feature, column ``feature`` says which:

- ``"crossing"``: one row per row of the ``thames_foot_crossings`` file (31), a point at the
  crossing (a bridge's centre; for the Greenwich Foot Tunnel its south entrance; for the
  Woolwich tunnel and ferry the midpoint of their two ends), with ``crossing_id``, ``name``,
  ``kind`` ("road_bridge", "footbridge", "foot_tunnel", "ferry"...), ``open_to_pedestrians``
  ("yes", "partial", "no"), ``order_west_to_east``, ``counted`` (True when walks may use it)
  and ``why`` (in words, why it is or is not counted). The Rotherhithe road tunnel has no
  published location: its geometry is empty and it is not counted.
- ``"bank"``: two rows, ``bank`` = "north" and "south": London's land on each side of the river.
- ``"river_line"``: one row, the river above Teddington Lock as a line (see below).

**How the river is found.** The LSOA boundaries are "clipped" to mean high water (ONS BGC),
so below Teddington Lock, the tidal limit, the Thames is water between the banks: London's
LSOAs, merged, leave a gap there that opens to the east. Above Teddington the river is not
tidal and the LSOAs meet along it, so the gap alone does not split London in two. There the
river is traced along the LSOA boundaries (which follow it, as the borough boundary between
Richmond upon Thames and Kingston upon Thames and, at Ham and Teddington, Richmond's own LSOA
boundaries do) as the shortest way along those boundaries from the gap's upstream end through
each crossing above it (Teddington Lock, Kingston Bridge, Hampton Court Bridge) to London's
edge, where the river becomes the Greater London boundary with Surrey. London's land cut along
that line and the gap falls into two large pieces, the banks; the small islands in the river
(Eel Pie Island and others) are not part of either and are given to the nearer bank when a
point lies on one.

**Crossings counted.** Every crossing open on foot at all times, plus two open with a
restriction: the Richmond Lock footbridge (closed at night) and the free Woolwich Ferry
(service hours only), because AnchorMap measures daytime access to institutions. Not counted:
the Rotherhithe road tunnel (legal on foot but sources advise against walking it, and it has no
location) and the cable car (not a foot crossing; it is paid and the file excludes it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from anchormap.data.layers.readers import read_table
from anchormap.errors import DataSourceError

if TYPE_CHECKING:  # networkx and SciPy are imported when the layer is built, not with the app
    import networkx as nx

CROSSING_COLUMNS = ("crossing_id", "name", "kind", "open_to_pedestrians", "easting", "northing", "order_west_to_east")
NOT_WALKED_KINDS = {
    "road_tunnel": "not counted: a road tunnel that sources advise against walking",
    "excluded_cable_car": "not counted: a paid cable car, not a foot crossing",
}
_CUT_M = 1.0
"""Half-width (m) of the cut along the river line above Teddington."""


def read_crossings(path: Path) -> pd.DataFrame:
    """The crossings file as a table with ``counted`` and ``why`` (see the module docstring).

    Parameters
    ----------
    path : pathlib.Path
        ``thames_foot_crossings_london.csv``.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`CROSSING_COLUMNS` (``easting``/``northing`` in EPSG:27700 metres,
        NaN where the file has none), ``counted`` (bool) and ``why`` (str), in river order.

    Raises
    ------
    DataSourceError
        When a column is missing, or a value of ``open_to_pedestrians`` is not yes, partial or no
        (the message names the file, the row and the column).
    """
    df = read_table(path, dataset="thames_foot_crossings", required=CROSSING_COLUMNS, dtype={"crossing_id": str})
    out = df[list(CROSSING_COLUMNS)].copy()
    out["open_to_pedestrians"] = out["open_to_pedestrians"].astype(str).str.strip().str.lower()
    bad = ~out["open_to_pedestrians"].isin(["yes", "partial", "no"])
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        msg = (
            f"{path}: row {row + 2}, column open_to_pedestrians is {df['open_to_pedestrians'].iloc[row]!r}; "
            "it should be yes, partial or no."
        )
        raise DataSourceError(msg)
    for col in ("easting", "northing", "order_west_to_east"):
        out[col] = pd.to_numeric(out[col], errors="coerce")
    located = np.isfinite(out["easting"]) & np.isfinite(out["northing"])
    why = np.where(
        out["open_to_pedestrians"] == "partial",
        "counted: open on foot with a restriction (hours or night closure)",
        "counted: open on foot at all times",
    ).astype(object)
    counted = out["open_to_pedestrians"].isin(["yes", "partial"]).to_numpy() & located.to_numpy()
    why[~located.to_numpy()] = "not counted: no published location"
    for kind, words in NOT_WALKED_KINDS.items():
        mine = (out["kind"] == kind).to_numpy()
        counted &= ~mine
        why[mine] = words
    why[(out["open_to_pedestrians"] == "no").to_numpy()] = "not counted: not open on foot"
    out["counted"] = counted
    out["why"] = why
    return out.sort_values("order_west_to_east", kind="stable").reset_index(drop=True)


def _boundary_graph(polygons: np.ndarray) -> tuple[nx.Graph, np.ndarray]:
    """Graph of the polygons' ring edges (nodes are vertex coordinates rounded to 1 cm)."""
    import networkx as nx

    rings = shapely.get_rings(shapely.get_parts(polygons))
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    key = np.round(coords, 2)
    same = ring_of[1:] == ring_of[:-1]
    a, b = key[:-1][same], key[1:][same]
    nodes, inverse = np.unique(np.vstack([a, b]), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    ia, ib = inverse[: len(a)], inverse[len(a) :]
    graph = nx.Graph()
    graph.add_weighted_edges_from(zip(ia.tolist(), ib.tolist(), np.hypot(*(a - b).T).tolist()))
    return graph, nodes


def river_above_teddington(lsoas: gpd.GeoDataFrame, crossings: pd.DataFrame, land) -> shapely.LineString:
    """The river above the tidal limit, traced along LSOA boundaries (module docstring).

    Parameters
    ----------
    lsoas : geopandas.GeoDataFrame
        LSOA polygons clipped to mean high water, EPSG:27700.
    crossings : pandas.DataFrame
        :func:`read_crossings`.
    land : shapely.Polygon
        London's largest piece of land (the LSOAs merged).

    Returns
    -------
    shapely.LineString
        From London's edge at the gap's upstream end, through each crossing that lies on land
        (upstream of the first one on the water), to London's edge beyond the last; BNG metres.

    Raises
    ------
    DataSourceError
        When no crossing lies above the gap, or the LSOA boundaries do not join them up.
    """
    import networkx as nx
    from scipy.spatial import cKDTree

    located = crossings[np.isfinite(crossings["easting"])]
    pts = shapely.points(located["easting"].to_numpy(), located["northing"].to_numpy())
    on_land = shapely.contains(land, pts)
    upstream = []
    for inside, pt in zip(on_land, pts):
        if not inside:
            break
        upstream.append(pt)
    if not upstream:
        msg = "No Thames crossing lies above the tidal gap in the LSOA boundaries, so the river there cannot be traced."
        raise DataSourceError(msg)
    upstream = upstream[::-1]  # from Teddington (next to the gap) to Hampton Court
    box = shapely.box(*shapely.bounds(shapely.multipoints(upstream))).buffer(1500)
    near = lsoas.geometry.values[shapely.intersects(lsoas.geometry.values, box)]
    graph, nodes = _boundary_graph(near)
    tree = cKDTree(nodes)
    edge = shapely.get_coordinates(land.exterior)
    on_edge = np.unique(tree.query(edge[shapely.contains_xy(box, edge[:, 0], edge[:, 1])], k=1)[1])
    edge_tree = cKDTree(nodes[on_edge])

    def snap_edge(pt):
        return int(on_edge[edge_tree.query([pt.x, pt.y], k=1)[1]])

    stops = [snap_edge(upstream[0])]
    stops += [int(tree.query([p.x, p.y], k=1)[1]) for p in upstream]
    stops.append(snap_edge(upstream[-1]))
    path: list[int] = [stops[0]]
    for a, b in zip(stops[:-1], stops[1:]):
        try:
            path += nx.shortest_path(graph, a, b, weight="weight")[1:]
        except nx.NetworkXNoPath:
            msg = "The LSOA boundaries above Teddington do not join up, so the river there cannot be traced."
            raise DataSourceError(msg) from None
    return shapely.LineString(nodes[path])


def bank_polygons(lsoas: gpd.GeoDataFrame, crossings: pd.DataFrame):
    """London's land north and south of the Thames, and the river line above Teddington.

    Parameters
    ----------
    lsoas : geopandas.GeoDataFrame
        LSOA polygons clipped to mean high water (``lsoa_2021``), EPSG:27700.
    crossings : pandas.DataFrame
        :func:`read_crossings`.

    Returns
    -------
    north, south : shapely.Polygon or MultiPolygon
        The two largest pieces of London's land once cut by the river; "north" is the one whose
        centre lies further north. BNG metres.
    line : shapely.LineString
        :func:`river_above_teddington`.

    Raises
    ------
    DataSourceError
        When the cut does not leave two large pieces (each at least a fifth of London).
    """
    merged = shapely.union_all(lsoas.geometry.values)
    land = max(shapely.get_parts(merged), key=lambda g: g.area)
    line = river_above_teddington(lsoas, crossings, land)
    pieces = sorted(shapely.get_parts(land.difference(line.buffer(_CUT_M))), key=lambda g: -g.area)
    if len(pieces) < 2 or pieces[1].area < land.area / 5:
        msg = "Cutting London along the Thames did not leave a north and a south bank; check the LSOA boundaries."
        raise DataSourceError(msg)
    a, b = pieces[0], pieces[1]
    north, south = (a, b) if a.centroid.y > b.centroid.y else (b, a)
    return north, south, line


def build_river(paths: dict[str, Path], derived: dict[str, pd.DataFrame]) -> gpd.GeoDataFrame:
    """The ``river`` layer (module docstring). Inputs: ``thames_foot_crossings``; derived from ``lsoa_2021``.

    Parameters
    ----------
    paths : dict of str to pathlib.Path
        ``thames_foot_crossings``: the crossings CSV.
    derived : dict of str to DataFrame
        ``lsoa_2021``: the built LSOA layer (EPSG:27700).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:27700.
    """
    crossings = read_crossings(paths["thames_foot_crossings"])
    north, south, line = bank_polygons(derived["lsoa_2021"], crossings)
    geom = shapely.points(crossings["easting"].to_numpy(), crossings["northing"].to_numpy())
    geom = np.where(np.isfinite(crossings["easting"].to_numpy()), geom, shapely.from_wkt("POINT EMPTY"))
    rows = crossings.assign(feature="crossing", bank="")
    extra = pd.DataFrame(
        {
            "feature": ["bank", "bank", "river_line"],
            "bank": ["north", "south", ""],
            "name": ["North bank of the Thames", "South bank of the Thames", "River Thames above Teddington Lock"],
            "counted": False,
            "why": "",
        }
    )
    table = pd.concat([rows, extra], ignore_index=True)
    for col in ("crossing_id", "kind", "open_to_pedestrians"):
        table[col] = table[col].fillna("")
    return gpd.GeoDataFrame(
        table[
            [
                "feature",
                "crossing_id",
                "name",
                "kind",
                "open_to_pedestrians",
                "order_west_to_east",
                "counted",
                "why",
                "bank",
            ]
        ],
        geometry=[*geom, north, south, line],
        crs=27700,
    )
