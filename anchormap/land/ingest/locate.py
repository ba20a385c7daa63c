"""Locating stage of an ingest: one row's coordinates or postcode to a point in London.

:func:`locate_row` is the one locator of land registers and network lists. Sources, in
order: latitude/longitude, eastings/northings, GeoX/GeoY (degrees or metres, told by range:
:func:`anchormap.geo.coordinates.read_pair`; swapped pairs are put right and reported), a
single "map reference" cell (two numbers, easting then northing), then the postcode through
the one postcode lookup (:mod:`anchormap.geo.postcodes`). The first source that gives a point
in :func:`london_area` wins; what the others said is reported.

What a caller accepts is its own decision, passed as :class:`Acceptance`: a land register
may place a row at its postcode district's mean and keeps rows it cannot place (listed as not
on the map); a network list needs a postcode's own point and skips such rows. Positions are
British National Grid (EPSG:27700, metres).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd

from anchormap.data.build import load_layer
from anchormap.geo.coordinates import LondonArea, read_pair
from anchormap.geo.postcodes import PostcodeIndex
from anchormap.land.ingest.headers import FIELD_LABELS
from anchormap.land.ingest.read import parse_number
from anchormap.land.ingest.report import Issue

COORDINATE_PAIRS = (("lat", "lon"), ("easting", "northing"), ("x", "y"))
"""The fields of each coordinate pair, in the order they are tried."""
POSTCODE_METHOD = "postcode (Code-Point Open)"
DISTRICT_METHOD = "outward code centroid"


@dataclass(frozen=True)
class Acceptance:
    """What a caller accepts from :func:`locate_row`.

    Attributes
    ----------
    district : bool
        Whether a postcode district's mean (an outward code, or a postcode Code-Point Open
        lacks) may place the row.
    keep_unplaced : bool
        Whether a row with no usable location is kept (not on the map) rather than rejected;
        a location that is clearly outside London rejects it either way.
    reject_action : str
        The ``action`` of the report line that rejects a row ("row rejected", "row skipped").
    """

    district: bool
    keep_unplaced: bool
    reject_action: str


@dataclass
class Location:
    """Where :func:`locate_row` placed a row: BNG metres (EPSG:27700), how, and the postcode as read.

    ``easting``/``northing`` are None when the row was not placed; ``postcode`` is the
    canonical postcode or outward code of the row ("" when it gives none); ``rejected`` is
    True when the row must not be used; ``issues`` are its report lines.
    """

    easting: float | None = None
    northing: float | None = None
    method: str = ""
    postcode: str = ""
    rejected: bool = False
    issues: list[Issue] = field(default_factory=list)

    @property
    def placed(self) -> bool:
        return self.easting is not None


@dataclass(frozen=True)
class _Tried:
    """A source that did not give a point in London: its fields, why, and whether it rejects the row."""

    fields: tuple[str, ...]
    problem: str
    rejects: bool


_AREAS: dict[float, tuple[gpd.GeoDataFrame, LondonArea]] = {}


def london_area(margin_m: float, boroughs: gpd.GeoDataFrame | None = None) -> LondonArea:
    """Greater London grown by ``margin_m`` metres (EPSG:27700), prepared once per boroughs table.

    ``boroughs`` defaults to the built ``boroughs`` layer; :func:`anchormap.data.build.load_layer`
    hands back the same table until the layer file changes, so the area follows every build.
    """
    boroughs = load_layer("boroughs") if boroughs is None else boroughs
    hit = _AREAS.get(margin_m)
    if hit is None or hit[0] is not boroughs:
        hit = _AREAS[margin_m] = (boroughs, LondonArea(boroughs, margin_m))
    return hit[1]


def outside_london(values: str) -> str:
    """The one wording of a location outside London.

    >>> outside_london("coordinates 530900, 104300")
    'coordinates 530900, 104300 are outside Greater London, and AnchorMap maps nothing outside London'
    """
    return f"{values} are outside Greater London, and AnchorMap maps nothing outside London"


def locate_row(
    cell: Callable[[str], str | None],
    column: Callable[[tuple[str, ...]], str | None],
    row: int,
    london: LondonArea,
    postcodes: PostcodeIndex,
    accept: Acceptance,
) -> Location:
    """Place one row (see the module docstring).

    Parameters
    ----------
    cell : callable
        Field name ("lat", "easting", "x", "map_reference", "postcode"...) -> the row's text, or
        None / "" when the file has no such column or the cell is blank.
    column : callable
        Fields -> the name of the file's column(s) they came from, as the caller's report names them.
    row : int
        The row number written in the report lines.
    london : LondonArea
        Where a point must fall (:func:`london_area`).
    postcodes : PostcodeIndex
        The postcode lookup (:func:`anchormap.geo.postcodes.postcode_index`).
    accept : Acceptance
        What the caller accepts.

    Returns
    -------
    Location
        The point (EPSG:27700 metres) or none, and the report lines about it.
    """
    loc = Location()
    tried: list[_Tried] = []

    def note(fields: tuple[str, ...], problem: str, action: str, severity: str = "warning") -> None:
        loc.issues.append(Issue(row, column(fields), problem, action, severity))

    for pair in COORDINATE_PAIRS:
        if _place_by_pair(loc, pair, cell(pair[0]), cell(pair[1]), london, tried, note):
            break
    else:
        mr = cell("map_reference")
        if mr:
            _place_by_map_reference(loc, mr, london, tried, note)
    pc = cell("postcode")
    if pc:
        _place_by_postcode(loc, pc, postcodes, accept, tried, note)
    if loc.placed:
        for t in tried:
            note(t.fields, t.problem, f"used the {_source_words(loc.method)} instead")
        return loc
    rejecting = [t for t in tried if t.rejects or not accept.keep_unplaced]
    for t in rejecting:
        note(t.fields, t.problem, accept.reject_action, "error")
    for t in tried:
        if t not in rejecting:
            note(t.fields, t.problem, "ignored")
    if rejecting:
        loc.rejected = True
    elif not accept.keep_unplaced:
        note(("postcode",), "no postcode and no coordinates", accept.reject_action, "error")
        loc.rejected = True
    else:
        note((), "no postcode and no coordinates that can be used", "kept, listed as not on the map")
    return loc


def _place_by_pair(loc, pair, va, vb, london, tried, note) -> bool:
    fa, fb = pair
    if not va and not vb:
        return False
    if not va or not vb:
        note((fa, fb), f"only one of {FIELD_LABELS[fa]} and {FIELD_LABELS[fb]} given", "coordinates ignored")
        return False
    try:
        a, b = parse_number(va), parse_number(vb)
    except ValueError:
        tried.append(_Tried(pair, f"coordinates '{va[:40]}', '{vb[:40]}' are not two numbers", rejects=True))
        return False
    if a == 0 and b == 0:
        note(pair, "coordinates are 0, 0", "ignored")
        return False
    x, y = (b, a) if fa == "lat" else (a, b)  # to (x, y) order: longitude or easting first
    return _place_at(loc, pair, pair, x, y, f"coordinates {va}, {vb}", london, tried, note)


def _place_by_map_reference(loc, mr, london, tried, note) -> None:
    nums = re.findall(r"\d+(?:\.\d+)?", mr)
    if len(nums) != 2:
        note(("map_reference",), f"map reference '{mr}' is not two numbers (easting, northing)", "ignored")
        return
    if _place_at(
        loc, ("easting", "northing"), float(nums[0]), float(nums[1]), f"map reference '{mr}'", london, tried, note
    ):
        loc.method = "map reference"


def _place_at(loc, pair, fields, x, y, what, london, tried, note) -> bool:
    """Place ``loc`` at (x: longitude or easting, y) if it is in London; else remember why not.

    ``pair`` is what the numbers claim to be (its first field: "lat", "easting" or "x"), ``fields``
    where they came from (for the report), ``what`` how the report quotes them.
    """
    try:
        reading = read_pair(x, y)
    except ValueError as exc:
        reason = outside_london(what) if str(exc) == "outside London" else f"{what} are {exc}"
        tried.append(_Tried(fields, reason, rejects=True))
        return False
    if not london.contains(reading.easting, reading.northing):
        tried.append(_Tried(fields, outside_london(what), rejects=True))
        return False
    if reading.swapped:
        words = "latitude and longitude" if reading.system == "wgs84" else "easting and northing"
        note(fields, f"{words} look swapped", "swapped them")
    elif pair[0] == "lat" and reading.system == "bng":
        note(fields, "latitude/longitude columns hold BNG eastings/northings", "read as eastings/northings")
    elif pair[0] == "easting" and reading.system == "wgs84":
        note(fields, "eastings/northings columns hold WGS84 longitude/latitude", "read as longitude/latitude")
    loc.easting, loc.northing = round(reading.easting, 1), round(reading.northing, 1)
    loc.method = f"source coordinates ({'BNG' if reading.system == 'bng' else 'WGS84'})"
    return True


def _place_by_postcode(loc, pc, postcodes, accept, tried, note) -> None:
    match = postcodes.locate(pc)
    if not match.postcode:
        tried.append(_Tried(("postcode",), match.reason, rejects=False))
        return
    loc.postcode = match.postcode
    if pc != match.postcode:
        note(("postcode",), f"postcode written as '{pc}'", f"read as {match.postcode}", "note")
    if loc.placed:
        return
    if match.precision == "postcode" or (match.precision == "district" and accept.district):
        loc.easting, loc.northing = match.easting, match.northing
        loc.method = POSTCODE_METHOD
        if match.precision == "district":
            loc.easting, loc.northing = round(match.easting, 1), round(match.northing, 1)
            loc.method = DISTRICT_METHOD
            note(("postcode",), match.reason, match.placement)
        return
    # not in London (rejects), or only a district the caller does not accept
    tried.append(_Tried(("postcode",), match.reason, rejects=not match.found))


def _source_words(method: str) -> str:
    """The source a method names, for "used the ... instead"."""
    if method == POSTCODE_METHOD:
        return "postcode"
    if method == DISTRICT_METHOD:
        return "postcode's district"
    return "map reference" if method == "map reference" else "coordinates"
