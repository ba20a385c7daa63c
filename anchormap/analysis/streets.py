"""Walking along a real street network where one is supplied (``walking="streets"``).

The network is Geofabrik's Greater London OpenStreetMap extract when it has been supplied
(dataset ``osm_greater_london``: download it to the mirror or the cache; walkable ``highway``
ways only, read with pyosmium), else the ``streets_central`` layer
(:mod:`anchormap.data.layers.streets`), built from the mirror's central-London OpenStreetMap
lines (2018; a partial network of about 45 km² around Westminster and the City, with no tags,
so every line counts as walkable). Routing is scipy's Dijkstra (``scipy.sparse.csgraph``) on
the graph of its edges, weighted by their length in BNG metres.

- **Covered area**: the network's outline (a concave hull of its nodes), shrunk by
  :data:`EDGE_M` so that a walk between two points inside it does not need streets the extract
  left out; a point is routed only when it is inside that area and within :data:`SNAP_M` of a
  street node.
- **A walk** between two covered points = the straight step from each to its nearest street
  node + the shortest path between those nodes. Bridges are streets, so the Thames is crossed
  where the network crosses it.
- Outside the covered area, and for pairs with only one end inside it, the river-aware
  straight lines of :mod:`anchormap.analysis.river` are used.

Distances are in metres along the streets; :mod:`anchormap.analysis.catchment` divides them by
the detour factor to compare them with straight-line catchments.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from anchormap.data.build import cached_on_layers, load_layer
from anchormap.data.layers.streets import osm_street_edges
from anchormap.data.sources import resolve
from anchormap.errors import DataSourceError

EDGE_M = 300.0
"""The covered area is the network's outline shrunk by this many metres."""
SNAP_M = 250.0
"""A point is routed only when a street node is within this many metres of it."""
DATASET = "osm_central_streets"
GREATER_LONDON = "osm_greater_london"
SOURCES_AT_ONCE = 32
"""Shortest-path searches run together (memory: this many x the network's nodes, in floats)."""


@dataclass(frozen=True)
class StreetNetwork:
    """A routable street graph in British National Grid metres.

    Attributes
    ----------
    nodes : numpy.ndarray
        Node coordinates, shape (n_nodes, 2), EPSG:27700 metres.
    graph : scipy.sparse.csr_matrix
        Symmetric edge lengths in metres between node rows.
    area : shapely.Polygon
        The covered area (module docstring), prepared.
    tree : scipy.spatial.cKDTree
        Of ``nodes``, for snapping.
    """

    nodes: np.ndarray
    graph: csr_matrix
    area: object
    tree: cKDTree

    def snap(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(covered, node row, metres to it) for each point of ``xy`` (shape (n, 2), BNG metres)."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        dist, node = self.tree.query(xy, k=1)
        covered = shapely.contains_xy(self.area, xy[:, 0], xy[:, 1]) & (dist <= SNAP_M)
        return covered, node, dist

    def covers(self, xy: np.ndarray) -> np.ndarray:
        """Whether each point (BNG metres) is routed on the streets."""
        return self.snap(xy)[0]

    def routing(self, origins_xy: np.ndarray, limit_m: float) -> StreetRouting:
        """Shortest street paths from every covered origin, up to ``limit_m`` metres.

        Parameters
        ----------
        origins_xy : numpy.ndarray
            Shape (n_origins, 2), BNG metres.
        limit_m : float
            Paths longer than this are not needed (they come back as ``inf``).

        Returns
        -------
        StreetRouting
        """
        covered, node, snap = self.snap(origins_xy)
        rows = np.flatnonzero(covered)
        return StreetRouting(self, covered, rows, node[rows], snap[rows], float(limit_m))

    def path_m(self, a: tuple[float, float], b: tuple[float, float]) -> float:
        """The street walk in metres between two BNG points (inf when either is not covered)."""
        covered, node, snap = self.snap(np.array([a, b], dtype=float))
        if not covered.all():
            return float("inf")
        net = dijkstra(self.graph, directed=False, indices=int(node[0]))[int(node[1])]
        return float(snap[0] + net + snap[1])


@dataclass(frozen=True)
class StreetRouting:
    """Street distances from the covered origins (made by :meth:`StreetNetwork.routing`).

    Attributes
    ----------
    network : StreetNetwork
    origin_mask : numpy.ndarray of bool
        Shape (n_origins,): whether each origin is on the streets.
    rows : numpy.ndarray of int
        The covered origins' rows.
    nodes : numpy.ndarray of int
        Each covered origin's street node.
    snap_m : numpy.ndarray
        Metres from each covered origin to its street node.
    limit_m : float
        Longest street walk wanted (longer paths are not searched).

    Shortest paths are searched when asked for, :data:`SOURCES_AT_ONCE` origins at a time, so
    memory stays small even on a network of all London.
    """

    network: StreetNetwork
    origin_mask: np.ndarray
    rows: np.ndarray
    nodes: np.ndarray
    snap_m: np.ndarray
    limit_m: float

    def covers(self, xy: np.ndarray) -> np.ndarray:
        """Whether each point (BNG metres) is routed on the streets."""
        return self.network.covers(xy)

    def to_points(self, xy: np.ndarray, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every (covered origin, point) pair with a street path: origin rows, point rows, metres.

        Parameters
        ----------
        xy : numpy.ndarray
            Shape (n, 2), BNG metres.
        mask : numpy.ndarray of bool, optional
            The points to route (default: those the network covers).

        Returns
        -------
        origin, point, metres : numpy.ndarray
            Metres = the two snaps + the shortest path; pairs beyond the routing limit left out.
        """
        covered, node, snap = self.network.snap(xy)
        pts = np.flatnonzero(covered if mask is None else (mask & covered))
        empty = np.array([], dtype=np.int64)
        if not pts.size or not self.rows.size:
            return empty, empty, np.array([], dtype=float)
        out_o, out_p, out_m = [empty], [empty], [np.array([], dtype=float)]
        for start in range(0, len(self.rows), SOURCES_AT_ONCE):
            part = slice(start, start + SOURCES_AT_ONCE)
            table = dijkstra(self.network.graph, directed=False, indices=self.nodes[part], limit=self.limit_m)
            metres = table[:, node[pts]] + self.snap_m[part, None] + snap[pts][None, :]
            oi, pj = np.nonzero(np.isfinite(metres))
            out_o.append(self.rows[part][oi])
            out_p.append(pts[pj])
            out_m.append(metres[oi, pj])
        return np.concatenate(out_o), np.concatenate(out_p), np.concatenate(out_m)

    def to_point(self, x: float, y: float) -> tuple[np.ndarray, np.ndarray]:
        """(origin rows, street metres) from every covered origin to one BNG point (empty when not covered).

        One shortest-path search from the point (the graph is undirected), up to :attr:`limit_m`.
        """
        covered, node, snap = self.network.snap(np.array([[x, y]], dtype=float))
        if not covered[0] or not self.rows.size:
            return np.array([], dtype=np.int64), np.array([], dtype=float)
        dist = dijkstra(self.network.graph, directed=False, indices=int(node[0]), limit=self.limit_m)
        metres = dist[self.nodes] + self.snap_m + snap[0]
        ok = np.isfinite(metres)
        return self.rows[ok], metres[ok]


def network_from_edges(edges: pd.DataFrame) -> StreetNetwork:
    """A :class:`StreetNetwork` from a table of edges (``x1``, ``y1``, ``x2``, ``y2``, ``length_m``; BNG m)."""
    ends = np.vstack([edges[["x1", "y1"]].to_numpy(float), edges[["x2", "y2"]].to_numpy(float)])
    nodes, inverse = np.unique(ends, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    n = len(edges)
    a, b = inverse[:n], inverse[n:]
    pairs = pd.DataFrame({"a": np.minimum(a, b), "b": np.maximum(a, b), "m": edges["length_m"].to_numpy(float)})
    pairs = pairs.groupby(["a", "b"], as_index=False)["m"].min()  # two ways along the same stretch: one edge
    a, b, length = pairs["a"].to_numpy(), pairs["b"].to_numpy(), pairs["m"].to_numpy()
    size = (len(nodes), len(nodes))
    graph = csr_matrix((np.concatenate([length, length]), (np.concatenate([a, b]), np.concatenate([b, a]))), shape=size)
    hull = shapely.concave_hull(shapely.multipoints(nodes), ratio=0.05)
    area = hull.buffer(-EDGE_M)
    shapely.prepare(area)
    return StreetNetwork(nodes, graph, area, cKDTree(nodes))


@cached_on_layers("streets_central", maxsize=1)
def _central() -> StreetNetwork:
    return network_from_edges(load_layer("streets_central"))


@functools.lru_cache(maxsize=1)
def _from_extract(path: str, _mtime_ns: int) -> StreetNetwork:
    return network_from_edges(osm_street_edges(Path(path)))


def street_source() -> str:
    """The dataset street walks come from: ``"osm_greater_london"`` when Geofabrik's Greater London
    extract has been supplied (in the mirror or the download cache; it is never downloaded
    here), else ``"osm_central_streets"`` (the mirror's central-London layer)."""
    try:
        resolve(GREATER_LONDON, allow_download=False)
    except DataSourceError:
        return DATASET
    return GREATER_LONDON


def load_streets(source: str | None = None) -> StreetNetwork:
    """The :class:`StreetNetwork` of ``source`` (default :func:`street_source`).

    The central-London layer is built on first use (layer ``streets_central``); an extract of all
    London is read with pyosmium when first asked for (about a minute) and kept in memory.

    Raises
    ------
    DataSourceError
        When ``source`` is unknown or cannot be read.
    """
    source = source or street_source()
    if source == DATASET:
        return _central()
    if source == GREATER_LONDON:
        found = resolve(GREATER_LONDON, allow_download=False)
        return _from_extract(str(found.path), found.path.stat().st_mtime_ns)
    msg = f"Unknown street network '{source}': choose {DATASET} or {GREATER_LONDON}."
    raise DataSourceError(msg)
