"""One search box to a place: a postcode, a postcode district, or a place name.

:func:`search_place` takes what someone typed at a community session and returns either a
:class:`Place` (where it is, how far to zoom, which neighbourhood it falls in) or a
:class:`NotFound` with a plain-English message and suggestions. It never raises for bad
input: any text, of any length, gives one of the two.

Accepted input, tried in this order:

1. a full postcode in any case, with or without the space ("se64ru", "SE6 4RU"), looked up
   in OS Code-Point Open (layer ``postcodes``, London only). A well-formed postcode whose
   district (the first half) has no postcode in London is "not in Greater London";
2. a postcode district alone ("SE6"): the middle of its London postcodes;
3. a code: LSOA ("E01003189"), ward ("E05013734") or borough ("E09000023");
4. a name, case-insensitive, ignoring punctuation: borough ("Lewisham"), ward
   ("Catford South", or "Catford South, Lewisham" where two boroughs have a ward of that
   name), LSOA ("Lewisham 034A"). Then a unique name that starts with the words typed, then
   near misses (:mod:`difflib`) offered as suggestions.

Coordinates: ``easting``/``northing`` and ``bounds_bng`` are British National Grid
(EPSG:27700, metres); ``lat``/``lon`` and ``bounds_wgs84`` are WGS84 (EPSG:4326, degrees)
for the map only. The neighbourhood (LSOA) is the one of the chosen IoD edition (2019: LSOA
2011, 2025: LSOA 2021) whose polygon holds the point (the nearest one if the point falls in
a gap of the generalised boundaries, e.g. on the Thames).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from anchormap.crs import BNG, bng_bounds_to_wgs84, bng_to_wgs84
from anchormap.data.build import cached_on_layers, load_layer
from anchormap.editions import DEFAULT_EDITION, EDITIONS, edition_info
from anchormap.geo.postcodes import PostcodeMatch, locate, postcode_index, postcode_key

MAX_QUERY_CHARS = 100
"""Longest search text looked at; longer input gets a message, not a search."""
POSTCODE_VIEW_RADIUS_M = 600.0
"""Around a postcode the map shows at least this many metres each way (BNG)."""
MAX_SUGGESTIONS = 6

_EXAMPLES = "a postcode such as SE6 4RU, or the name of a borough, ward or neighbourhood"
_SAFE_ECHO = re.compile(r"[^A-Za-z0-9 ,.'\-]")


@dataclass(frozen=True)
class Place:
    """A place found by :func:`search_place`. BNG in metres, WGS84 in degrees."""

    kind: str
    label: str
    query: str  # text that finds this place again (for shareable links)
    easting: float
    northing: float
    lat: float
    lon: float
    bounds_bng: tuple[float, float, float, float]  # min x, min y, max x, max y (EPSG:27700 m)
    bounds_wgs84: tuple[float, float, float, float]  # west, south, east, north (EPSG:4326 deg)
    edition: int
    lsoa_code: str
    lsoa_name: str
    borough_code: str
    borough_name: str
    area_code: str = ""  # the ward's or borough's own code when kind is ward / borough
    area_lsoa_codes: tuple[str, ...] = field(default=(), repr=False)  # LSOAs of the edition in a ward/borough

    @property
    def fit_bounds(self) -> list[list[float]]:
        """``[[south, west], [north, east]]`` as Leaflet / folium ``fit_bounds`` want it."""
        w, s, e, n = self.bounds_wgs84
        return [[s, w], [n, e]]


@dataclass(frozen=True)
class NotFound:
    """Nothing matched: a message for people and up to :data:`MAX_SUGGESTIONS` searches to try."""

    message: str
    suggestions: tuple[str, ...] = ()


def normalise_name(text: object) -> str:
    """Lower-case ASCII words for matching: "St. Mary's & Co" -> "st marys and co"."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    t = re.sub(r"['`\u2019]", "", t).replace("&", " and ")
    t = re.sub(r"[^a-z0-9]+", " ", t).strip()
    return re.sub(r"\bsaint\b", "st", t)


def safe_echo(text: str, limit: int = 40) -> str:
    """The searched text cut to ``limit`` characters, keeping only letters, digits and , . ' -

    Safe to put in a message that is shown as Markdown or HTML.
    """
    cleaned = re.sub(r"\s+", " ", _SAFE_ECHO.sub(" ", str(text))).strip()
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"


def _lsoa_layer_name(edition: int) -> str:
    return edition_info(edition).lsoa_layer


def _bounds_wgs84(bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    w, s, e, n = bng_bounds_to_wgs84(*bounds)
    return (float(w), float(s), float(e), float(n))


def _lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = bng_to_wgs84(x, y)
    return float(lon), float(lat)


def lsoa_at(easting: float, northing: float, edition: int = DEFAULT_EDITION) -> pd.Series:
    """The row of the ``edition``'s LSOA layer whose polygon holds the BNG point (else the nearest)."""
    if edition not in EDITIONS:
        edition = DEFAULT_EDITION
    layer = load_layer(_lsoa_layer_name(edition))
    pt = Point(float(easting), float(northing))
    hits = layer.sindex.query(pt, predicate="intersects")
    if len(hits) == 0:
        hits = layer.sindex.nearest(pt, return_all=False)[1]
    return layer.iloc[int(np.min(hits))]


# --- the name index -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    kind: str  # lsoa | ward | borough
    label: str
    query: str
    layer: str
    row: int
    code: str


@dataclass(frozen=True)
class _Index:
    by_key: dict[str, tuple[_Entry, ...]]
    names: tuple[str, ...]  # keys that are names (fuzzy matching works on these)


_PRIORITY = {"borough": 0, "ward": 1, "lsoa": 2}


@cached_on_layers("boroughs", "wards_2025", "wards_2022", *(ed.lsoa_layer for ed in EDITIONS.values()), maxsize=1)
def _name_index() -> _Index:
    by_key: dict[str, list[_Entry]] = {}
    names: set[str] = set()

    def add(key: str, entry: _Entry, *, is_name: bool) -> None:
        if not key:
            return
        bucket = by_key.setdefault(key, [])
        if all((e.kind, e.code) != (entry.kind, entry.code) for e in bucket):
            bucket.append(entry)
        if is_name:
            names.add(key)

    boroughs = load_layer("boroughs")
    for i, (code, name) in enumerate(zip(boroughs["borough_code"], boroughs["borough_name"])):
        e = _Entry("borough", str(name), str(name), "boroughs", i, str(code))
        add(normalise_name(name), e, is_name=True)
        add(normalise_name(code), e, is_name=False)
        short = normalise_name(re.sub(r"\s+upon\s+thames$", "", str(name), flags=re.I))
        add(short, e, is_name=False)  # "Kingston", "Richmond"

    seen_wards: set[tuple[str, str]] = set()
    for layer_name in ("wards_2025", "wards_2022"):
        wards = load_layer(layer_name)
        counts = wards["ward_name"].map(normalise_name).value_counts()
        for i, row in enumerate(wards[["ward_code", "ward_name", "borough_name"]].itertuples(index=False)):
            ident = (normalise_name(row.ward_name), str(row.borough_name))
            if ident in seen_wards:
                continue
            seen_wards.add(ident)
            query = f"{row.ward_name}, {row.borough_name}"
            e = _Entry("ward", f"{row.ward_name} ward ({row.borough_name})", query, layer_name, i, str(row.ward_code))
            add(ident[0], e, is_name=counts.get(ident[0], 0) == 1)
            add(normalise_name(query), e, is_name=True)
            add(normalise_name(f"{row.ward_name} ward"), e, is_name=False)
            add(normalise_name(row.ward_code), e, is_name=False)

    for layer_name in (ed.lsoa_layer for ed in EDITIONS.values()):  # the latest edition's names first
        lsoas = load_layer(layer_name)
        for i, (code, name) in enumerate(zip(lsoas["lsoa_code"], lsoas["lsoa_name"])):
            e = _Entry("lsoa", str(name), str(name), layer_name, i, str(code))
            key = normalise_name(name)
            if key not in by_key or all(x.kind != "lsoa" for x in by_key[key]):
                add(key, e, is_name=True)
            if normalise_name(code) not in by_key:
                add(normalise_name(code), e, is_name=False)

    frozen = {k: tuple(sorted(v, key=lambda e: _PRIORITY[e.kind])) for k, v in by_key.items()}
    return _Index(frozen, tuple(sorted(names)))


def london_outward_codes() -> frozenset[str]:
    """Postcode districts ("SE6", "CR3") with at least one postcode in Greater London."""
    return postcode_index().outward_codes()


# --- building places ------------------------------------------------------------------------


def _make_place(kind, label, query, x, y, bounds, edition, *, lon=None, lat=None, area_code="", area_lsoas=()) -> Place:
    lsoa = lsoa_at(x, y, edition)
    if lon is None or lat is None:
        lon, lat = _lonlat(x, y)
    return Place(
        kind=kind,
        label=label,
        query=query,
        easting=float(x),
        northing=float(y),
        lat=float(lat),
        lon=float(lon),
        bounds_bng=tuple(float(v) for v in bounds),
        bounds_wgs84=_bounds_wgs84(bounds),
        edition=edition,
        lsoa_code=str(lsoa["lsoa_code"]),
        lsoa_name=str(lsoa["lsoa_name"]),
        borough_code=str(lsoa["borough_code"]),
        borough_name=str(lsoa["borough_name"]),
        area_code=area_code,
        area_lsoa_codes=tuple(area_lsoas),
    )


def _postcode_place(match: PostcodeMatch, edition: int) -> Place:
    x, y = match.easting, match.northing
    lsoa = lsoa_at(x, y, edition)
    r = POSTCODE_VIEW_RADIUS_M
    minx, miny, maxx, maxy = lsoa.geometry.bounds
    bounds = (min(minx, x - r), min(miny, y - r), max(maxx, x + r), max(maxy, y + r))
    pc = match.postcode
    return _make_place("postcode", pc, pc, x, y, bounds, edition, lon=match.lon, lat=match.lat)


def _district_place(outward: str, edition: int) -> Place:
    rows = postcode_index().district_postcodes(outward)
    xy = rows[["easting", "northing"]].to_numpy(dtype=float)
    middle = np.median(xy, axis=0)
    i = int(np.argmin(np.hypot(*(xy - middle).T)))  # a real postcode nearest the middle
    x, y = xy[i]
    bounds = (xy[:, 0].min(), xy[:, 1].min(), xy[:, 0].max(), xy[:, 1].max())
    layer = load_layer(_lsoa_layer_name(edition))
    pts = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=BNG)
    _, poly = layer.sindex.query(pts, predicate="intersects")
    area = tuple(layer["lsoa_code"].iloc[np.unique(poly)].astype(str))
    return _make_place(
        "postcode_district",
        f"{outward} postcode district",
        outward,
        x,
        y,
        bounds,
        edition,
        area_code=outward,
        area_lsoas=area,
    )


def _lsoas_in(geom, edition: int) -> tuple[str, ...]:
    """Codes of the edition's LSOAs whose inside point lies in ``geom`` (BNG)."""
    layer = load_layer(_lsoa_layer_name(edition))
    pts = layer.geometry.representative_point()
    hits = pts.sindex.query(geom, predicate="intersects")
    return tuple(layer["lsoa_code"].iloc[np.sort(hits)].astype(str))


def _entry_place(entry: _Entry, edition: int) -> Place:
    row = load_layer(entry.layer).iloc[entry.row]
    geom = row.geometry
    pt = geom.representative_point()
    if entry.kind == "lsoa":
        return _make_place("lsoa", entry.label, entry.query, pt.x, pt.y, geom.bounds, edition)
    if entry.kind == "borough":
        layer = load_layer(_lsoa_layer_name(edition))
        area = tuple(layer.loc[layer["borough_code"] == entry.code, "lsoa_code"].astype(str))
    else:
        area = _lsoas_in(geom, edition)
    return _make_place(
        entry.kind, entry.label, entry.query, pt.x, pt.y, geom.bounds, edition, area_code=entry.code, area_lsoas=area
    )


def _suggest(key: str, index: _Index) -> tuple[str, ...]:
    if len(key) < 3:
        return ()
    close = difflib.get_close_matches(key, index.names, n=MAX_SUGGESTIONS * 2, cutoff=0.75)
    starts = [k for k in index.names if k.startswith(key)][: MAX_SUGGESTIONS * 2]
    out: list[str] = []
    for k in [*close, *starts]:
        for e in index.by_key[k]:
            if e.query not in out:
                out.append(e.query)
    return tuple(out[:MAX_SUGGESTIONS])


def _not_found_name(text: str, key: str, index: _Index) -> NotFound:
    suggestions = _suggest(key, index)
    echo = safe_echo(text)
    msg = f"We couldn't find a place called “{echo}” in London." if echo else "We couldn't find that place in London."
    msg += " Did you mean one of these?" if suggestions else f" Try {_EXAMPLES}."
    return NotFound(msg, suggestions)


def _postcode_search(match: PostcodeMatch, edition: int) -> Place | NotFound | None:
    """The result for a text that is a postcode or an outward code; None when it is neither.

    A full postcode is found at its own point only (a district's mean is offered as a
    suggestion instead); an outward code alone gives the district.
    """
    if not match.postcode:
        return None
    if match.is_full and match.precision == "postcode":
        return _postcode_place(match, edition)
    if match.is_full and match.precision == "district":
        return NotFound(
            f"We couldn't find the postcode {match.postcode}. Please check it. It may be just outside London, "
            f"new, or no longer in use. You can also search for the first half, {match.district}.",
            (match.district,),
        )
    if match.precision == "district":
        return _district_place(match.district, edition)
    what = f"That postcode ({match.postcode})" if match.is_full else f"The postcode district {match.postcode}"
    return NotFound(
        f"{what} is not in Greater London. AnchorMap covers the 33 London boroughs: try a London postcode or place name."
    )


def search_place(text: object, edition: int = DEFAULT_EDITION) -> Place | NotFound:
    """Find what someone typed (see the module docstring). Never raises for bad input."""
    if edition not in EDITIONS:
        edition = DEFAULT_EDITION
    raw = "" if text is None else str(text)
    if len(raw) > MAX_QUERY_CHARS:
        return NotFound(f"That search is too long (over {MAX_QUERY_CHARS} characters). Type {_EXAMPLES}.")
    stripped = raw.strip()
    if not stripped:
        return NotFound(f"Type {_EXAMPLES}.")
    if "<" in stripped or ">" in stripped:
        return NotFound(f"Searches can only use letters, numbers, spaces and simple punctuation. Type {_EXAMPLES}.")

    if len(re.sub(r"\s", "", stripped)) == len(postcode_key(stripped)):  # letters and digits only: maybe a postcode
        found = _postcode_search(locate(stripped), edition)
        if found is not None:
            return found

    name = normalise_name(stripped)
    if not name:
        return NotFound(f"We couldn't understand that search. Type {_EXAMPLES}.")
    index = _name_index()
    hits = index.by_key.get(name)
    if hits:
        wards = [e for e in hits if e.kind == "ward"]
        if hits[0].kind == "ward" and len(wards) > 1:
            return NotFound(
                f"More than one ward is called “{safe_echo(stripped)}”. Which one did you mean?",
                tuple(e.query for e in wards[:MAX_SUGGESTIONS]),
            )
        return _entry_place(hits[0], edition)

    starts = [k for k in index.names if k.startswith(name + " ") or (len(name) >= 4 and k.startswith(name))]
    entries = list(dict.fromkeys(e for k in starts for e in index.by_key[k]))
    boroughs = [e for e in entries if e.kind == "borough"]
    if len(boroughs) == 1:
        return _entry_place(boroughs[0], edition)
    if len(entries) == 1:
        return _entry_place(entries[0], edition)
    if entries:
        entries.sort(key=lambda e: (_PRIORITY[e.kind], e.label))
        return NotFound(
            f"Several places match “{safe_echo(stripped)}”. Which one did you mean?",
            tuple(e.query for e in entries[:MAX_SUGGESTIONS]),
        )
    return _not_found_name(stripped, name, index)
