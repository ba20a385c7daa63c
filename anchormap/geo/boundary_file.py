"""Read a boundary file people draw their place in (GeoJSON, GeoPackage or a zipped shapefile)
as one shape in British National Grid (EPSG:27700).

A zipped shapefile is untrusted: it is unpacked with the checks of
:mod:`anchormap.land.ingest.gis` (no member path leaving the folder, at most
:data:`~anchormap.land.ingest.gis.MAX_ZIP_MEMBERS` members and
:data:`~anchormap.land.ingest.gis.MAX_UNZIPPED_BYTES` unpacked) into a temporary folder that is
removed afterwards; the polygons of every shapefile in it are joined.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from anchormap.crs import BNG
from anchormap.errors import AnchorMapError
from anchormap.geo.place_text import PlaceError

SUFFIXES = (".geojson", ".json", ".gpkg", ".zip")
"""The boundary files read: GeoJSON, GeoPackage and zipped shapefiles (.zip with .shp, .shx, .dbf, .prj)."""
MAX_BOUNDARY_BYTES = 50 * 1024 * 1024
"""The largest boundary file read (bytes): 50 MB."""


def read_boundary(path: Path) -> BaseGeometry:
    """The union of the polygons in ``path``, reprojected to EPSG:27700 (metres).

    Parameters
    ----------
    path : pathlib.Path
        A GeoJSON (``.geojson``/``.json``), GeoPackage (``.gpkg``, every layer's polygons) or
        zipped shapefile (``.zip``) with its coordinate system.

    Returns
    -------
    shapely geometry
        The polygons joined, in British National Grid (EPSG:27700).

    Raises
    ------
    PlaceError
        When the file does not exist, is too big, cannot be read, has no coordinate system, or
        holds no polygon; for a zip, when it fails the safety checks or holds no shapefile.
    """
    path = Path(path)
    if not path.is_file():
        raise PlaceError(f"The boundary file {path} does not exist.")
    if path.suffix.lower() not in SUFFIXES:
        raise PlaceError(
            f"{path.name}: a boundary file must be GeoJSON, a GeoPackage or a zipped shapefile ({', '.join(SUFFIXES)})."
        )
    if path.stat().st_size > MAX_BOUNDARY_BYTES:
        raise PlaceError(f"{path.name} is larger than {MAX_BOUNDARY_BYTES // (1024 * 1024)} MB; simplify the boundary.")
    if path.suffix.lower() == ".zip":
        return _read_zipped_shapefile(path)
    return _polygons(_read(path, path.name), path.name)


def _read(path: Path, name: str) -> gpd.GeoDataFrame:
    import pyogrio

    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
        frames = [gpd.read_file(path, layer=layer) for layer in layers] if len(layers) > 1 else [gpd.read_file(path)]
    except Exception as exc:  # any reader failure is the file's fault, said in words
        logging.getLogger("anchormap").info("boundary file %s unreadable", name, exc_info=exc)
        msg = f"{name} could not be read as a boundary file: save it again as GeoJSON, a GeoPackage or a zipped shapefile."
        raise PlaceError(msg) from None
    crs = {f.crs.to_string() if f.crs else None for f in frames}
    if None in crs:
        raise PlaceError(f"{name} does not say its coordinate system; save it with one (e.g. EPSG:27700).")
    return gpd.GeoDataFrame(pd.concat([f.to_crs(BNG) for f in frames], ignore_index=True), crs=BNG)


def _polygons(shapes: gpd.GeoDataFrame, name: str) -> BaseGeometry:
    polygons = shapes[shapes.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polygons.empty:
        raise PlaceError(f"{name} holds no polygon to use as a boundary.")
    return polygons.to_crs(BNG).geometry.make_valid().union_all()


def _read_zipped_shapefile(path: Path) -> BaseGeometry:
    from anchormap.land.ingest.gis import _unzip_shapefiles

    with tempfile.TemporaryDirectory(prefix="anchormap-boundary-") as folder:
        try:
            found = _unzip_shapefiles(path.read_bytes(), path.name, Path(folder))
        except AnchorMapError as exc:  # the upload checks' own words, as a place's message
            raise PlaceError(str(exc)) from None
        frames = [_read(shp, f"{path.name} ({name}.shp)") for name, shp in found.items()]
    return _polygons(gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=BNG), path.name)
