"""A routable street network from OpenStreetMap lines: the central-London layer in the mirror.

Layer ``streets_central`` (table, EPSG:27700 metres): one row per street edge, the largest
connected part of the network only, with ``x1``, ``y1``, ``x2``, ``y2`` (the edge's ends, BNG
metres), ``length_m`` and ``osm_id`` (the way it comes from).

OpenStreetMap ways are not routable edges: two ways join where they share a vertex. So every
way is cut at each of its vertices (one edge per pair of consecutive vertices, which splits
the ways at every shared vertex and keeps their exact shape), vertices are matched on their
BNG coordinates to the centimetre, and only the largest connected component is kept
(SOURCE.md: 95.8 % of the nodes; the small islands are private estates, platforms and ways cut
at the edge of the extract). The file has no ``highway`` tags, so every line counts as
walkable, motorways included (central London has none in this extract's area).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from anchormap.data.layers.readers import read_vector
from anchormap.errors import DataSourceError


def street_edges(lines, osm_ids) -> pd.DataFrame:
    """Edges between consecutive vertices of ``lines`` (BNG metres), largest component only.

    Parameters
    ----------
    lines : array-like of shapely.LineString
        Street lines in EPSG:27700.
    osm_ids : array-like
        The id of each line.

    Returns
    -------
    pandas.DataFrame
        ``x1``, ``y1``, ``x2``, ``y2``, ``length_m``, ``osm_id`` (module docstring).
    """
    parts, line_of = shapely.get_parts(np.asarray(lines, dtype=object), return_index=True)
    owner = np.asarray(osm_ids)[line_of]
    coords, which = shapely.get_coordinates(parts, return_index=True)
    coords = np.round(coords, 2)
    same = which[1:] == which[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    ids = owner[which[:-1][same]]
    keep = np.any(a != b, axis=1)
    a, b, ids = a[keep], b[keep], ids[keep]
    nodes, inverse = np.unique(np.vstack([a, b]), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    ia, ib = inverse[: len(a)], inverse[len(a) :]
    from scipy.sparse import coo_matrix  # SciPy when the layer is built, not with the app
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(ia)), (ia, ib)), shape=(len(nodes), len(nodes)))
    _n, label = connected_components(graph, directed=False)
    biggest = np.bincount(label).argmax()
    mine = label[ia] == biggest
    return pd.DataFrame(
        {
            "x1": a[mine, 0],
            "y1": a[mine, 1],
            "x2": b[mine, 0],
            "y2": b[mine, 1],
            "length_m": np.hypot(*(a[mine] - b[mine]).T),
            "osm_id": ids[mine].astype(str),
        }
    )


def build_streets_central(paths: dict[str, Path]) -> pd.DataFrame:
    """The ``streets_central`` layer (module docstring). Input: ``osm_central_streets``.

    Raises
    ------
    DataSourceError
        When the file cannot be read, lacks ``osm_id``, or holds no lines.
    """
    gdf = read_vector(paths["osm_central_streets"], dataset="osm_central_streets", required=["osm_id"], crs=4326)
    gdf = gdf[gdf.geometry.notna() & gdf.geom_type.isin(["LineString", "MultiLineString"])]
    if gdf.empty:
        msg = f"Dataset 'osm_central_streets': the file {paths['osm_central_streets']} holds no street lines."
        raise DataSourceError(msg)
    gdf = gdf.to_crs(27700)
    return street_edges(gdf.geometry.values, gdf["osm_id"].to_numpy())


NOT_WALKABLE_HIGHWAYS = frozenset(
    {"motorway", "motorway_link", "construction", "proposed", "raceway", "bus_guideway", "escape", "abandoned"}
)
"""``highway`` values of an OpenStreetMap extract that are not walked (motorways, works, plans)."""
_NO = frozenset({"no", "private"})
_FOOT_YES = frozenset({"yes", "designated", "permissive"})


def walkable(tags) -> bool:
    """Whether an OpenStreetMap way with these tags can be walked.

    A ``highway`` that is not in :data:`NOT_WALKABLE_HIGHWAYS`, not ``foot=no``/``private``,
    and not ``access=no``/``private`` unless ``foot`` allows it.

    >>> walkable({"highway": "footway"}), walkable({"highway": "motorway"})
    (True, False)
    >>> walkable({"highway": "service", "access": "private"}), walkable({"highway": "service", "access": "no", "foot": "yes"})
    (False, True)
    """
    highway = tags.get("highway")
    if not highway or highway in NOT_WALKABLE_HIGHWAYS:
        return False
    foot = tags.get("foot")
    if foot in _NO:
        return False
    return not (tags.get("access") in _NO and foot not in _FOOT_YES)


def osm_street_edges(path: Path, dataset: str = "osm_greater_london") -> pd.DataFrame:
    """Walkable street edges of an OpenStreetMap extract (``.osm.pbf``, e.g. Geofabrik's Greater London).

    Ways with a walkable ``highway`` tag (:func:`walkable`) are read with pyosmium (node
    locations resolved), projected to British National Grid with pyproj and cut into edges as
    :func:`street_edges` does (largest connected part only).

    Parameters
    ----------
    path : pathlib.Path
        The extract.
    dataset : str, optional
        The dataset id, named in messages.

    Returns
    -------
    pandas.DataFrame
        As :func:`street_edges`: ``x1``, ``y1``, ``x2``, ``y2`` (EPSG:27700 metres), ``length_m``, ``osm_id``.

    Raises
    ------
    DataSourceError
        When the file cannot be read as an OpenStreetMap extract or has no walkable way.
    """
    import osmium
    from pyproj import Transformer

    lines, ids = [], []
    try:
        ways = osmium.FileProcessor(str(path)).with_locations().with_filter(osmium.filter.KeyFilter("highway"))
        for obj in ways:
            if not obj.is_way() or not walkable(obj.tags):
                continue
            try:
                coords = [(n.lon, n.lat) for n in obj.nodes]
            except osmium.InvalidLocationError:  # a node outside the extract
                continue
            if len(coords) >= 2:
                lines.append(coords)
                ids.append(str(obj.id))
    except RuntimeError as exc:
        msg = f"Dataset '{dataset}': the file {path} cannot be read as an OpenStreetMap extract ({exc})."
        raise DataSourceError(msg) from None
    if not lines:
        msg = f"Dataset '{dataset}': the file {path} has no walkable street (no way with a walkable highway tag)."
        raise DataSourceError(msg)
    to_bng = Transformer.from_crs(4326, 27700, always_xy=True)
    flat = np.array([c for line in lines for c in line], dtype=float)
    x, y = to_bng.transform(flat[:, 0], flat[:, 1])
    counts = np.array([len(line) for line in lines])
    geoms = shapely.linestrings(np.column_stack([x, y]), indices=np.repeat(np.arange(len(lines)), counts))
    return street_edges(geoms, np.array(ids))
