"""Display geometry for the web map: published once per build as static files, never in messages.

:func:`areas_file` publishes an edition's simplified LSOA polygons (its display layer, see
:mod:`anchormap.editions`) and :func:`outlines_file` the simplified borough outlines
(``boroughs_display``), both in WGS84 (EPSG:4326) degrees rounded to :data:`COORD_PRECISION`
decimals and stored column-wise with encoded polylines (:func:`compact_areas`). The browser
fetches each file once and caches it; the file name carries a hash of its content. Published
files are remembered per build: their cache key holds the layer files' modification times, so
``anchormap data build`` on a running server publishes fresh ones.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely

from anchormap.data.build import layer_stamp, load_layer
from anchormap.editions import edition_info
from anchormap.errors import AnchorMapError
from anchormap.maps import assets as map_assets
from anchormap.maps.prepared import code_version, prepared

COORD_PRECISION = 5
"""Decimals kept in WGS84 coordinates sent to the browser (1e-5 degree is about 1.1 m north-south
and 0.7 m east-west in London)."""

_LOCK = threading.RLock()


def encode_polyline(latlon: np.ndarray, precision: int = COORD_PRECISION) -> str:
    """Google encoded-polyline string of an (n, 2) array of (lat, lon) degrees.

    Coordinates are rounded to ``precision`` decimals, so shared vertices of neighbouring
    polygons stay identical (no gaps). Decoded by ``AnchorMap.decode`` in the browser.
    """
    q = np.round(np.asarray(latlon, dtype=float) * 10**precision).astype(np.int64)
    deltas = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel()
    zz = np.where(deltas < 0, ~(deltas << 1), deltas << 1).astype(np.uint64)
    chunks = np.stack([(zz >> np.uint64(5 * i)) & np.uint64(31) for i in range(7)], axis=1).astype(np.int64)
    nbits = np.maximum(1, np.ceil(np.log2(zz.astype(float) + 1) / 5).astype(int))
    nbits = np.minimum(nbits, 7)
    cols = np.arange(7)[None, :]
    more = cols < (nbits[:, None] - 1)
    codes = chunks + np.where(more, 0x20, 0) + 63
    keep = cols < nbits[:, None]
    return codes[keep].astype(np.uint8).tobytes().decode("ascii")


def _polygon_rings(geom) -> list[list[str]]:
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for p in polys:
        if p.is_empty:
            continue
        rings = [p.exterior, *p.interiors]
        out.append([encode_polyline(shapely.get_coordinates(r)[:, ::-1]) for r in rings])
    return out


def compact_areas(gdf, props: dict[str, str], coded: tuple[str, ...] = ()) -> dict:
    """Polygons (EPSG:4326) in a compact, column-wise form for the browser::

        {"precision": 5, "n": <count>,
         "props": {"c": [...], ...},              # one list per property, in feature order
         "codes": {"b": ["Barnet", ...]},         # for properties named in ``coded``: distinct
                                                  # values, and props["b"] holds indices into them
         "geoms": [[[ring, ...], ...], ...]}      # per feature, polygons of encoded rings

    ``props`` maps short property names to columns (for example ``{"c": "lsoa_code"}``). Rings
    are encoded polylines, exterior first. Decoded by ``AnchorMap`` in the browser.
    """
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        msg = "compact_areas expects polygons in WGS84 (EPSG:4326)."
        raise AnchorMapError(msg)
    columns: dict[str, list] = {}
    codes: dict[str, list[str]] = {}
    for short, col in props.items():
        values = gdf[col].fillna("").astype(str)
        if short in coded:
            distinct = sorted(values.unique())
            lookup = {v: i for i, v in enumerate(distinct)}
            codes[short] = distinct
            columns[short] = [lookup[v] for v in values]
        else:
            columns[short] = values.tolist()
    geoms = [_polygon_rings(g) if g is not None else [] for g in gdf.geometry.values]
    return {"precision": COORD_PRECISION, "n": len(geoms), "props": columns, "codes": codes, "geoms": geoms}


@dataclass(frozen=True)
class AreasFile:
    """A published geometry file: its URL, a token naming its content, feature order, bounds."""

    url: str
    token: str
    codes: tuple[str, ...]
    bounds: tuple[float, float, float, float]  # south, west, north, east (degrees)
    bytes: int


def areas_file(edition: int) -> AreasFile:
    """Publish (once per build) the display LSOA geometry of an edition with names and boroughs.

    Parameters
    ----------
    edition : int
        An IoD edition year (:mod:`anchormap.editions`); its display layer is drawn.

    Returns
    -------
    AreasFile
        The static file's URL and content token, the LSOA codes in feature order and the
        bounds (south, west, north, east; degrees, EPSG:4326).
    """
    e = edition_info(edition)
    load_layer(e.display_layer)
    return _areas_file(e.year, layer_stamp(e.display_layer), layer_stamp(e.lsoa_layer), str(map_assets.static_root()))


@lru_cache(maxsize=8)
def _areas_file(edition: int, _stamp_display: int, _stamp_full: int, _root: str) -> AreasFile:
    def make() -> dict:
        e = edition_info(edition)
        geo = load_layer(e.display_layer)
        names = load_layer(e.lsoa_layer)[["lsoa_code", "lsoa_name", "borough_name"]]
        geo = geo.merge(names, on="lsoa_code", how="left")
        doc = compact_areas(geo, {"c": "lsoa_code", "n": "lsoa_name", "b": "borough_name"}, coded=("b",))
        return _file_value(doc, geo["lsoa_code"].astype(str).tolist(), geo.total_bounds)

    key = {"display": _stamp_display, "full": _stamp_full, "code": code_version(*_CODE)}
    return _publish(f"lsoa_{edition}", prepared(f"lsoa_{edition}", key, make))


def outlines_file() -> AreasFile:
    """Publish (once per build) the simplified borough outlines (``boroughs_display``).

    Returns
    -------
    AreasFile
        As :func:`areas_file`, with borough codes in feature order.
    """
    load_layer("boroughs_display")
    return _outlines_file(layer_stamp("boroughs_display"), str(map_assets.static_root()))


@lru_cache(maxsize=4)
def _outlines_file(_stamp: int, _root: str) -> AreasFile:
    def make() -> dict:
        geo = load_layer("boroughs_display")
        doc = compact_areas(geo, {"c": "borough_code", "n": "borough_name"})
        return _file_value(doc, geo["borough_code"].astype(str).tolist(), geo.total_bounds)

    key = {"display": _stamp, "code": code_version(*_CODE)}
    return _publish("boroughs", prepared("boroughs", key, make))


_CODE = ("anchormap.maps.geometry", "anchormap.maps.assets")
"""The modules whose code makes the published geometry (part of its key in the build cache)."""


def _file_value(doc: dict, codes: list[str], total_bounds) -> dict:
    """What is kept of a geometry file (:mod:`anchormap.maps.prepared`): its JSON text with the
    content token, the token, the feature codes in order and the bounds (degrees)."""
    token = hashlib.sha256(json.dumps(doc, separators=(",", ":")).encode()).hexdigest()[:16]
    text = json.dumps({**doc, "token": token}, separators=(",", ":"), ensure_ascii=False)
    return {"text": text, "token": token, "codes": codes, "bounds": [float(v) for v in total_bounds]}


def _publish(stem: str, value: dict) -> AreasFile:
    with _LOCK:
        url = map_assets.publish_text(stem, value["text"])
    size = map_assets.published_path(url).stat().st_size
    w, s, e, n = value["bounds"]
    return AreasFile(url, value["token"], tuple(value["codes"]), (s, w, n, e), size)


def borough_bounds() -> dict[str, tuple[float, float, float, float]]:
    """The bounding box of every London borough, from ``boroughs_display``.

    Read from the built layer on each call (33 rows; :func:`anchormap.data.build.load_layer`
    keeps the table), so it follows a rebuild.

    Returns
    -------
    dict of str to (float, float, float, float)
        Borough code -> (south, west, north, east) in degrees (EPSG:4326).
    """
    geo = load_layer("boroughs_display")
    b = geo.geometry.bounds
    return {
        str(c): (float(r.miny), float(r.minx), float(r.maxy), float(r.maxx))
        for c, r in zip(geo["borough_code"], b.itertuples(), strict=True)
    }


def borough_names() -> dict[str, str]:
    """The London boroughs by code, in alphabetical order of name.

    Returns
    -------
    dict of str to str
        Borough code (e.g. ``"E09000012"``) -> name (``"Hackney"``).
    """
    geo = load_layer("boroughs_display").sort_values("borough_name")
    return dict(zip(geo["borough_code"].astype(str), geo["borough_name"].astype(str), strict=True))
