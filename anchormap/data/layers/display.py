"""Display geometries: simplified copies of polygon layers for the web map.

Analysis always uses the full geometry; these are a separate derived product. Polygons
are simplified together as a coverage (``shapely.coverage_simplify``), so neighbours keep
shared edges with no gaps or overlaps, then reprojected to WGS84 (EPSG:4326) for Leaflet.
Only the key column(s) travel with the geometry: attributes are joined at draw time so
changing a measure never re-sends geometry.
"""

from __future__ import annotations

import geopandas as gpd
import shapely

DISPLAY_TOLERANCE_M = 5.0
"""Coverage simplification tolerance in BNG metres (Visvalingam-Whyatt area threshold,
roughly the square root of the largest triangle area removed). At zoom 14 one screen
pixel is about 6 m in London. The published boundaries are already generalised (20 m), so
larger tolerances save few vertices (12 m: -7%) but cut off thin spikes by up to ~50 m;
5 m keeps the 2011 LSOAs within ~3 m of the source (``benchmarks/map_payload.py``)."""


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance_m: float = DISPLAY_TOLERANCE_M) -> gpd.GeoDataFrame:
    """Simplify a polygon coverage in EPSG:27700 without opening gaps between neighbours.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons in British National Grid (EPSG:27700) forming a coverage (edges shared,
        no overlaps).
    tolerance_m : float, optional
        Simplification tolerance in metres (default :data:`DISPLAY_TOLERANCE_M`, 5 m).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with simplified geometry, still in EPSG:27700, rows and columns unchanged.

    Raises
    ------
    ValueError
        When ``gdf`` has no CRS or is not in EPSG:27700.
    """
    if gdf.crs is None or gdf.crs.to_epsg() != 27700:
        msg = "simplify_coverage expects polygons in EPSG:27700 (metres)."
        raise ValueError(msg)
    out = gdf.copy()
    out["geometry"] = shapely.coverage_simplify(gdf.geometry.values, tolerance_m)
    return out


def display_layer(gdf: gpd.GeoDataFrame, keep: list[str], tolerance_m: float = DISPLAY_TOLERANCE_M) -> gpd.GeoDataFrame:
    """The simplified WGS84 copy of ``gdf`` with only the ``keep`` columns.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A polygon coverage in British National Grid (EPSG:27700).
    keep : list of str
        Key columns to keep beside the geometry (e.g. ``["lsoa_code"]``).
    tolerance_m : float, optional
        Simplification tolerance in BNG metres (default :data:`DISPLAY_TOLERANCE_M`).

    Returns
    -------
    geopandas.GeoDataFrame
        ``keep`` columns and ``geometry``, simplified in metres and then reprojected to
        WGS84 (EPSG:4326, degrees) for Leaflet.

    Raises
    ------
    ValueError
        When ``gdf`` is not in EPSG:27700.
    """
    return simplify_coverage(gdf[[*keep, "geometry"]], tolerance_m).to_crs(4326)
