"""Read a boundary file people draw their place in (GeoJSON or GeoPackage) as one shape in
British National Grid (EPSG:27700)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from anchormap.crs import BNG
from anchormap.geo.place_text import PlaceError

SUFFIXES = (".geojson", ".json", ".gpkg")
"""The boundary files read (zipped shapefiles: see the places work of issue 11)."""


def read_boundary(path: Path) -> BaseGeometry:
    """The union of the polygons in ``path``, reprojected to EPSG:27700.

    Raises
    ------
    PlaceError
        When the file does not exist, cannot be read, has no coordinate system, or holds no polygon.
    """
    path = Path(path)
    if not path.exists():
        raise PlaceError(f"The boundary file {path} does not exist.")
    if path.suffix.lower() not in SUFFIXES:
        raise PlaceError(f"{path.name}: a boundary file must be GeoJSON or a GeoPackage ({', '.join(SUFFIXES)}).")
    try:
        shapes = gpd.read_file(path)
    except Exception as exc:  # any reader failure is the file's fault, said in words
        raise PlaceError(f"{path.name} could not be read as a boundary file ({type(exc).__name__}).") from None
    if shapes.crs is None:
        raise PlaceError(f"{path.name} does not say its coordinate system; save it with one (e.g. EPSG:27700).")
    polygons = shapes[shapes.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polygons.empty:
        raise PlaceError(f"{path.name} holds no polygon to use as a boundary.")
    return polygons.to_crs(BNG).geometry.make_valid().union_all()
