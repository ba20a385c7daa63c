"""Reading a coordinate pair from a file people made, and testing whether a point is in London.

Files give a location as two numbers whose system and order cannot be trusted: British
National Grid (EPSG:27700, eastings/northings in metres) or WGS84 (EPSG:4326,
longitude/latitude in degrees), sometimes swapped. :func:`read_pair` tells them apart by
range, using boxes around Greater London that are wider than London itself (so a point in
London always falls inside the box of its own system), and returns BNG metres.
:class:`LondonArea` is the borough outline with a margin, for the exact test.

Used by the one locator of uploads (:mod:`anchormap.land.ingest.locate`), for land registers and network lists.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import shapely

from anchormap.crs import wgs84_to_bng

# Greater London with a margin (at least 1.5 km beyond the boroughs grown by 250 m, in both
# systems), for telling coordinate systems apart by range.
LONDON_LAT = (51.25, 51.72)
LONDON_LON = (-0.56, 0.36)
LONDON_EASTING = (500_000.0, 565_000.0)
LONDON_NORTHING = (154_000.0, 203_000.0)


@dataclass(frozen=True)
class PairReading:
    """A coordinate pair placed on the British National Grid.

    ``easting``/``northing`` in metres (EPSG:27700); ``system`` is what the numbers were
    ("bng" metres or "wgs84" degrees); ``swapped`` is True when they came in (y, x) order
    (northing before easting, or latitude in the longitude place) and were put right.
    """

    easting: float
    northing: float
    system: str
    swapped: bool


def _between(v: float, lo_hi: tuple[float, float]) -> bool:
    return lo_hi[0] <= v <= lo_hi[1]


def read_pair(x: float, y: float) -> PairReading:
    """Place the pair (``x``: easting or longitude, ``y``: northing or latitude) on the BNG.

    Either system, in either order, is recognised when the numbers fall in the boxes around
    London (:data:`LONDON_EASTING`, :data:`LONDON_NORTHING`, :data:`LONDON_LON`,
    :data:`LONDON_LAT`). The box is coarse: test the result with :class:`LondonArea`.
    Raises ValueError saying why otherwise: "outside London" (degrees or grid metres
    elsewhere), geocentric (ECEF) X/Y metres, or numbers that are neither.
    """
    if _between(x, LONDON_EASTING) and _between(y, LONDON_NORTHING):
        return PairReading(x, y, "bng", swapped=False)
    if _between(y, LONDON_EASTING) and _between(x, LONDON_NORTHING):
        return PairReading(y, x, "bng", swapped=True)
    if _between(x, LONDON_LON) and _between(y, LONDON_LAT):
        e, n = wgs84_to_bng(x, y)
        return PairReading(float(e), float(n), "wgs84", swapped=False)
    if _between(y, LONDON_LON) and _between(x, LONDON_LAT):
        e, n = wgs84_to_bng(y, x)
        return PairReading(float(e), float(n), "wgs84", swapped=True)
    if (abs(x) <= 180 and abs(y) <= 90) or (0 <= x <= 700_000 and 0 <= y <= 1_300_000):
        raise ValueError("outside London")
    if 3_800_000 <= x <= 4_100_000 and abs(y) <= 200_000:
        raise ValueError(
            "geocentric (ECEF) X/Y metres, which cannot be placed without a height: "
            "give latitude/longitude or British National Grid eastings/northings"
        )
    raise ValueError("not recognisable coordinates (neither WGS84 degrees nor British National Grid metres)")


class LondonArea:
    """Greater London (the union of ``boroughs``, EPSG:27700 polygons) grown by ``margin_m``
    metres, prepared for fast point tests."""

    def __init__(self, boroughs: gpd.GeoDataFrame, margin_m: float) -> None:
        self.margin_m = margin_m
        self.shape = shapely.buffer(shapely.union_all(boroughs.geometry.to_numpy()), margin_m)
        shapely.prepare(self.shape)

    def contains(self, easting: float, northing: float) -> bool:
        """True when the BNG point (metres) lies inside the area."""
        return bool(shapely.contains_xy(self.shape, easting, northing))
