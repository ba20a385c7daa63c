"""The two coordinate reference systems AnchorMap uses, and the conversions between them.

- British National Grid, EPSG:27700 (:data:`BNG`): ``easting``/``northing`` in metres. All
  metric work (distances, areas, point in polygon) is done in it.
- WGS84, EPSG:4326 (:data:`WGS84`): ``lon``/``lat`` in degrees, for the map only.

Axis order is always (x, y): (easting, northing) and (longitude, latitude), whatever the
EPSG axis order of the CRS says. The transformers are built once and shared (pyproj
transformers are safe to share between threads since pyproj 3.1). Each is made from its PROJ
pipeline, not from the EPSG codes: pyproj rebuilds a transformer in every thread that uses it, and
Streamlit runs every script run in a new thread, where rebuilding from EPSG codes (a search of
PROJ's database) takes about 40 ms and from the pipeline under 1 ms.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
from pyproj import Transformer
from pyproj.transformer import TransformerGroup

BNG = 27700
"""EPSG code of British National Grid (metres)."""
WGS84 = 4326
"""EPSG code of WGS84 latitude/longitude (degrees)."""


@functools.cache
def transformer(source: int, target: int) -> Transformer:
    """The shared pyproj transformer from EPSG ``source`` to EPSG ``target``, in (x, y) order.

    Built once per pair and cached, so every caller shares it.

    Parameters
    ----------
    source : int
        EPSG code of the input CRS, e.g. :data:`BNG` (27700) or :data:`WGS84` (4326).
    target : int
        EPSG code of the output CRS.

    Returns
    -------
    pyproj.Transformer
        Built with ``always_xy=True``: it takes and gives (easting, northing) or
        (longitude, latitude), whatever the EPSG axis order says. It is the most accurate
        operation PROJ has on this machine (the one ``Transformer.from_crs`` would use: for BNG
        and WGS84 without the OSTN15 grid, the Helmert "OSGB36 to WGS 84 (6)", about 2 m),
        made from its pipeline (cheap to rebuild in each new thread).
    """
    with warnings.catch_warnings():  # "best transformation is not available": the OSTN15 grid is not installed
        warnings.simplefilter("ignore", UserWarning)
        group = TransformerGroup(source, target, always_xy=True)
    if not group.transformers:
        return Transformer.from_crs(source, target, always_xy=True)
    return Transformer.from_pipeline(group.transformers[0].definition)


def bng_to_wgs84(easting, northing):
    """(lon, lat) in WGS84 degrees from British National Grid ``easting``/``northing`` in metres.

    Parameters
    ----------
    easting, northing : float or array-like
        British National Grid (EPSG:27700) coordinates in metres: scalars, lists, numpy
        arrays or pandas Series, the two of the same length.

    Returns
    -------
    lon, lat : float or numpy.ndarray
        WGS84 (EPSG:4326) longitude and latitude in degrees, longitude first. Scalars give
        floats; arrays, lists and Series give numpy arrays of the same length.

    See Also
    --------
    wgs84_to_bng : the inverse.

    Examples
    --------
    A point in central London (near Charing Cross), there and back:

    >>> lon, lat = bng_to_wgs84(530000, 180000)
    >>> round(lon, 5), round(lat, 5)
    (-0.12835, 51.50399)
    >>> easting, northing = wgs84_to_bng(lon, lat)
    >>> round(easting, 1), round(northing, 1)
    (530000.0, 180000.0)
    """
    return transformer(BNG, WGS84).transform(np.asarray(easting, dtype=float), np.asarray(northing, dtype=float))


def wgs84_to_bng(lon, lat):
    """(easting, northing) in British National Grid metres from WGS84 ``lon``/``lat`` in degrees.

    Parameters
    ----------
    lon, lat : float or array-like
        WGS84 (EPSG:4326) longitude and latitude in degrees. Note the order: longitude
        first. Scalars, lists, numpy arrays or pandas Series, the two of the same length.

    Returns
    -------
    easting, northing : float or numpy.ndarray
        British National Grid (EPSG:27700) coordinates in metres. Scalars give floats;
        arrays, lists and Series give numpy arrays of the same length. Points far from Great
        Britain still get (meaningless) finite values; only impossible coordinates, such as a
        latitude beyond 90 degrees, come back as ``inf``. Check the result against an extent
        (e.g. :class:`anchormap.geo.coordinates.LondonArea`) rather than for ``inf``.

    See Also
    --------
    bng_to_wgs84 : the inverse, with a worked round trip.
    """
    return transformer(WGS84, BNG).transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


def bng_bounds_to_wgs84(
    min_easting: float, min_northing: float, max_easting: float, max_northing: float
) -> tuple[float, float, float, float]:
    """(west, south, east, north) in WGS84 degrees of a box given in BNG metres.

    The edges are densified, so the result holds the whole box, not just its corners.

    Parameters
    ----------
    min_easting, min_northing, max_easting, max_northing : float
        The box in British National Grid (EPSG:27700) metres.

    Returns
    -------
    tuple of float
        ``(west, south, east, north)``: WGS84 (EPSG:4326) longitudes and latitudes in
        degrees.
    """
    import shapely

    box = shapely.box(min_easting, min_northing, max_easting, max_northing)
    edge = max(max_easting - min_easting, max_northing - min_northing, 1e-6)
    west, south, east, north = geometry_to_wgs84(shapely.segmentize(box, edge / 20)).bounds  # 21 points an edge
    return float(west), float(south), float(east), float(north)


def geometry_to_wgs84(geometry):
    """A shapely geometry in British National Grid metres, as WGS84 (lon, lat) degrees.

    Uses the shared transformer (:func:`transformer`), so it is cheap in any thread; same result
    as ``GeoSeries([geometry], crs=27700).to_crs(4326)``.

    Parameters
    ----------
    geometry : shapely.Geometry
        In EPSG:27700 (metres).

    Returns
    -------
    shapely.Geometry
        The same shape in EPSG:4326, x = longitude, y = latitude.
    """
    import shapely

    def to_degrees(xy: np.ndarray) -> np.ndarray:
        lon, lat = bng_to_wgs84(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geometry, to_degrees)
