"""The one land and property schema shared by built-in registers, uploads and the store.

Columns (see :data:`LAND_COLUMNS`; documented in full in :mod:`anchormap.data.layers.land`):
identity and description, ownership, size (``site_area_ha`` hectares, ``floor_area_m2``
square metres), ``status``, unused-space measures, provenance, and location in British
National Grid (``easting``/``northing``, EPSG:27700, metres) and WGS84 (``lat``/``lon``,
EPSG:4326, degrees, for the map only). ``geometry`` is an EPSG:27700 point, or None when
the asset is not on the map (``on_map`` False, with ``not_on_map_reason``).

This module also holds the controlled vocabularies (owner types, statuses) and the small
normalisers that turn a register's free text into them.
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd

from anchormap.crs import BNG, bng_to_wgs84

OWNER_TYPES = ("council", "nhs", "gla_group", "central_government", "other_public", "private", "unknown")
STATUSES = ("occupied", "vacant", "surplus", "under_used", "brownfield_available", "closed_building", "unknown")
#: Statuses that mean space that could be used differently ("unused space only").
UNUSED_STATUSES = ("vacant", "surplus", "under_used", "brownfield_available", "closed_building")
EXTRA_COLUMN = "extra"
"""The column holding an asset's extra attributes: the register's columns that no field of the
schema takes, as JSON text of an object (original header -> text, in the file's order), or None.
Read it with :func:`extra_attributes`. Kept after :data:`LAND_COLUMNS` (built-in layers lack it)."""

TEXT_COLUMNS = [
    "asset_id",
    "name",
    "address",
    "postcode",
    "uprn",
    "owner_organisation",
    "owner_type",
    "tenure",
    "holding_use",
    "status",
    "source",
    "source_date",
    "partner",
    "location_method",
    "borough_code",
    "not_on_map_reason",
]
NUMBER_COLUMNS = [
    "site_area_ha",
    "floor_area_m2",
    "empty_floor_area_m2",
    "under_used_floor_area_m2",
    "land_not_delivering_services_ha",
    "easting",
    "northing",
    "lat",
    "lon",
]
LAND_COLUMNS = [
    "asset_id",
    "name",
    "address",
    "postcode",
    "uprn",
    "owner_organisation",
    "owner_type",
    "tenure",
    "holding_use",
    "site_area_ha",
    "floor_area_m2",
    "status",
    "empty_floor_area_m2",
    "under_used_floor_area_m2",
    "land_not_delivering_services_ha",
    "source",
    "source_date",
    "partner",
    "easting",
    "northing",
    "lat",
    "lon",
    "location_method",
    "borough_code",
    "on_map",
    "not_on_map_reason",
]


def clean_text(value: object) -> str | None:
    """Trimmed text, or None for blanks and NaN. Never interprets markup: HTML stays text.

    Parameters
    ----------
    value : object
        Any cell value; non-strings are converted with ``str``.

    Returns
    -------
    str or None
        The value with leading and trailing space removed (inner spacing kept); None for
        None, NaN, ``pd.NA`` and blank strings.

    Examples
    --------
    >>> clean_text("  <b>Town Hall</b> ")
    '<b>Town Hall</b>'
    >>> clean_text("   ") is None
    True
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


_WORD = re.compile(r"[^a-z0-9]+")


def _words(text: object) -> str:
    return " " + _WORD.sub(" ", str(text or "").lower()).strip() + " "


def _from_words(text: object, vocabulary: tuple[str, ...], phrases: list[tuple[str, tuple[str, ...]]]) -> str | None:
    """A value of ``vocabulary`` from free text, or None for blank or unrecognised text.

    The text itself when it is a value in other spelling ("Under used" -> "under_used"), else
    the first value (in ``phrases`` order) one of whose space-padded phrases the text contains.
    """
    words = _words(text)
    if words.strip() == "":
        return None
    key = words.strip().replace(" ", "_")
    if key in vocabulary:
        return key
    for value, keys in phrases:
        if any(k in words for k in keys):
            return value
    return None


_STATUS_WORDS = [
    # negations first: "not vacant" is occupied, "not occupied" / "not used" / "to let" are vacant
    ("occupied", (" not vacant ", " not empty ", " no longer vacant ", " not surplus ")),
    # "non-operational" (Transparency Code holding type) says how a site is held, not whether it is used
    ("unknown", (" non operational ", " not operational ")),
    ("closed_building", (" closed ", " former ", " decommissioned ", " mothballed ")),
    ("surplus", (" surplus ", " for disposal ", " disposal ", " to be disposed ", " for sale ")),
    # before vacant: "part vacant" is under-used, not vacant
    (
        "under_used",
        (
            " under used ",
            " underused ",
            " under utilised ",
            " underutilised ",
            " under utilized ",
            " partially occupied ",
            " part occupied ",
            " partly occupied ",
            " part vacant ",
            " partly vacant ",
            " partially vacant ",
            " part let ",
            " partly let ",
            " partially let ",
        ),
    ),
    (
        "vacant",
        (
            " vacant ",
            " empty ",
            " unoccupied ",
            " not occupied ",
            " void ",
            " not in use ",
            " disused ",
            " unused ",
            " not used ",
            " to let ",
            " available to let ",
        ),
    ),
    ("brownfield_available", (" brownfield ",)),
    (
        "occupied",
        (
            " occupied ",
            " in use ",
            " in occupation ",
            " operational ",
            " let ",
            " leased ",
            " leased out ",
            " tenanted ",
            " used ",
            " leasehold ",
            " freehold ",
            " service ",
            " office ",
        ),
    ),
]


def status_from_text(text: object) -> str | None:
    """A status from free text ("Vacant - awaiting disposal" -> "surplus"), or None if unrecognised.

    Case and punctuation are ignored. A value of :data:`STATUSES` in other spelling is
    taken as it is ("Under used" -> "under_used"); otherwise the first status, in a fixed
    order, one of whose phrases the text contains: negations first ("not vacant" is
    occupied), "non-operational" is unknown (it says how a site is held, not whether it is
    used), then closed, surplus, under-used ("part vacant" is under-used, not vacant),
    vacant, brownfield and occupied.

    Parameters
    ----------
    text : object
        A register's status or use text; None and NaN are allowed.

    Returns
    -------
    str or None
        A value of :data:`STATUSES`, or None for blank or unrecognised text.

    Examples
    --------
    >>> status_from_text("Vacant - awaiting disposal")
    'surplus'
    >>> status_from_text("Not vacant")
    'occupied'
    >>> status_from_text("Part vacant")
    'under_used'
    >>> status_from_text("Former library")
    'closed_building'
    >>> status_from_text("Non-operational")
    'unknown'
    >>> status_from_text("xyz") is None
    True
    """
    return _from_words(text, STATUSES, _STATUS_WORDS)


_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})
_PARTLY = frozenset({"partly", "part", "partial", "partially", "some", "in part"})
_OPPOSITE = {"occupied": "vacant", "vacant": "occupied", "surplus": "occupied", "under_used": "occupied"}
_YES_NO_NOTE = re.compile(r"\b(?:y\s*/\s*n|yes\s*/\s*no|yes or no)\b|\?", re.I)


def status_header_meaning(header: object) -> str | None:
    """The status a "Yes" means under ``header``: "Occupied" -> occupied, "Vacant (Y/N)" -> vacant.

    Parameters
    ----------
    header : object
        The register's header of its status column.

    Returns
    -------
    str or None
        ``"occupied"``, ``"vacant"``, ``"surplus"`` or ``"under_used"``; None when the header
        does not say one thing ("Status", "Occupied or vacant").

    Examples
    --------
    >>> status_header_meaning("Occupied?"), status_header_meaning("Vacant (Y/N)"), status_header_meaning("In use")
    ('occupied', 'vacant', 'occupied')
    >>> status_header_meaning("Not in use"), status_header_meaning("Occupied/Vacant") is None
    ('vacant', True)
    """
    text = _YES_NO_NOTE.sub(" ", str(header or ""))
    words = _words(text)
    if " occupied " in words and " vacant " in words:
        return None
    meaning = status_from_text(text)
    return meaning if meaning in _OPPOSITE else None


def status_from_value(value: object, header: object = None) -> str | None:
    """A status from a register's cell, reading "Yes", "No" and "Partly" by the column's header.

    Under a header that says one thing (:func:`status_header_meaning`), "Yes" (Y, True, 1) is
    that status, "No" (N, False, 0) its opposite (occupied for a vacant, surplus or under-used
    header, vacant for an occupied or in-use header) and "Partly" (Part, Partial) is under-used.
    Any other text is read with :func:`status_from_text`.

    Parameters
    ----------
    value : object
        The cell.
    header : object, optional
        The column's header.

    Returns
    -------
    str or None
        A value of :data:`STATUSES`, or None when blank or not understood.

    Examples
    --------
    >>> status_from_value("Yes", "Occupied"), status_from_value("Yes", "Vacant"), status_from_value("No", "Vacant")
    ('occupied', 'vacant', 'occupied')
    >>> status_from_value("Partly", "Occupied"), status_from_value("Void", "Occupied")
    ('under_used', 'vacant')
    >>> status_from_value("Yes", "Status") is None
    True
    """
    words = _words(value).strip()
    meaning = status_header_meaning(header) if header is not None else None
    if meaning is not None and words:
        if words in _YES:
            return meaning
        if words in _NO:
            return _OPPOSITE[meaning]
        if words in _PARTLY:
            return "under_used"
    return status_from_text(value)


def status_key(value: object) -> str:
    """How a status value is matched against a person's value -> status map: spacing and case ignored.

    >>> status_key("  Vacant -  MARKETED ")
    'vacant - marketed'
    """
    return " ".join(str(value or "").split()).casefold()


def extra_attributes(value: object) -> dict[str, str]:
    """An asset's extra attributes (:data:`EXTRA_COLUMN`) as a dict, original header -> text.

    Parameters
    ----------
    value : object
        JSON text of an object, a dict, or None/NaN/blank.

    Returns
    -------
    dict of str to str
        Empty when there are none (or the text is not a JSON object).

    Examples
    --------
    >>> extra_attributes('{"Vacant From": "2024-01-05", "Notes": "<b>roof</b>"}')
    {'Vacant From': '2024-01-05', 'Notes': '<b>roof</b>'}
    >>> extra_attributes(None)
    {}
    """
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    text = clean_text(value)
    if text is None:
        return {}
    try:
        obj = json.loads(text)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in obj.items()} if isinstance(obj, dict) else {}


def extra_json(attributes: dict[str, str]) -> str | None:
    """Extra attributes as the JSON text stored in :data:`EXTRA_COLUMN` (None when there are none).

    >>> extra_json({"Notes": "£5 × 2"})
    '{"Notes": "£5 × 2"}'
    """
    return json.dumps(attributes, ensure_ascii=False) if attributes else None


_OWNER_WORDS = [
    # first: "public authority" below would otherwise make it other_public
    ("private", (" not owned by a public authority ",)),
    ("nhs", (" nhs ", " ccg ", " icb ", " clinical commissioning ", " integrated care board ")),
    (
        "gla_group",
        (
            " gla ",
            " greater london authority ",
            " tfl ",
            " transport for london ",
            " mopac ",
            " metropolitan police ",
            " met police ",
            " london fire ",
            " lfb ",
            " lfc ",
            " lfepa ",
            " old oak ",
            " opdc ",
            " london legacy ",
            " lldc ",
            " mayor of london ",
        ),
    ),
    (
        "council",
        (
            " council ",
            " borough ",
            " corporation of london ",
            " city of london ",
            " local authority ",
            " la ",
            " royal borough ",
        ),
    ),
    (
        "central_government",
        (
            " department ",
            " ministry ",
            " hm ",
            " government ",
            " home office ",
            " dwp ",
            " mod ",
            " homes england ",
            " crown ",
        ),
    ),
    # companies before the weaker NHS words: "Hospital Saturday Fund Ltd" is not the NHS
    ("private", (" ltd ", " limited ", " plc ", " llp ")),
    # "trust" alone is not NHS (Peabody Trust, National Trust, Canal & River Trust): NHS trusts say "NHS"
    ("nhs", (" hospital ", " hospitals ", " health ", " nhs trust ", " foundation trust ")),
    ("other_public", (" university ", " college ", " school ", " academy ", " public authority ", " public ")),
    ("private", (" private ",)),
]


def owner_type_from_text(text: object) -> str | None:
    """An owner type from an owner or partner name ("Lewisham Council" -> "council"), or None.

    Case and punctuation are ignored; a value of :data:`OWNER_TYPES` in other spelling is
    taken as it is. "Trust" alone is not NHS (Peabody Trust, National Trust), and company
    words ("Ltd", "plc") win over the weaker NHS words such as "hospital".

    Parameters
    ----------
    text : object
        An owner or partner name; None and NaN are allowed.

    Returns
    -------
    str or None
        A value of :data:`OWNER_TYPES`, or None for blank or unrecognised text.

    Examples
    --------
    >>> owner_type_from_text("Lewisham Council")
    'council'
    >>> owner_type_from_text("Transport for London")
    'gla_group'
    >>> owner_type_from_text("Hospital Saturday Fund Ltd")
    'private'
    >>> owner_type_from_text("Peabody Trust") is None
    True
    """
    return _from_words(text, OWNER_TYPES, _OWNER_WORDS)


def brownfield_ownership(text: object) -> tuple[str, str | None]:
    """(owner_type, owner_organisation) from a brownfield register ``OwnershipStatus``.

    The data standard only says whether a public authority owns the site, not which one:
    "owned by a public authority" -> other_public; "mixed ownership" -> other_public
    (part public; the tenure column keeps the words); "not owned by ..." -> private.

    Parameters
    ----------
    text : object
        The ``OwnershipStatus`` value; misspellings are tolerated as long as the word
        "public", "mixed" or "not" is spelt right.

    Returns
    -------
    owner_type : str
        ``"private"``, ``"other_public"`` or, for blank or unrecognised text, ``"unknown"``.
    owner_organisation : str or None
        A description for public or mixed ownership, else None.

    Examples
    --------
    >>> brownfield_ownership("owned by a public authority")
    ('other_public', 'a public authority (not named in the register)')
    >>> brownfield_ownership("not owned by a public authority")
    ('private', None)
    """
    words = _words(text)
    if " not " in words:  # "not owned by a public authority", "Not in public ownership"
        return "private", None
    if " mixed " in words:
        return "other_public", "mixed public and private ownership"
    if " public " in words:  # "owned by a public authority", "Public Ownership", "Onwed by a public authorty"
        return "other_public", "a public authority (not named in the register)"
    return "unknown", None


def finalise(df: pd.DataFrame, boroughs: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Put ``df`` into the schema: every column, types, WGS84 from BNG, geometry, borough.

    Rows need ``easting``/``northing`` (EPSG:27700) to be on the map; rows without them get
    ``on_map`` False and keep (or are given) a ``not_on_map_reason``. ``boroughs`` (EPSG:27700
    polygons with ``borough_code``) fills a missing ``borough_code`` by point in polygon.
    Extra columns are kept after the schema columns.

    Parameters
    ----------
    df : pandas.DataFrame
        Assets with any subset of :data:`LAND_COLUMNS` (missing ones are added as empty).
        ``easting``/``northing`` are British National Grid metres; ``lat``/``lon`` given
        here are ignored and recomputed. A row whose ``on_map`` is False stays off the map
        even with coordinates.
    boroughs : geopandas.GeoDataFrame, optional
        Borough polygons in EPSG:27700 with ``borough_code``; used only for on-map rows
        whose ``borough_code`` is missing (a point in no borough stays missing).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy, re-indexed from 0, in EPSG:27700: :data:`NUMBER_COLUMNS` as float64 (NaN
        when not a number), :data:`TEXT_COLUMNS` as :func:`clean_text` gives them,
        ``lon``/``lat`` in WGS84 (EPSG:4326) degrees rounded to 6 decimals wherever
        easting and northing are known (off-map rows too, so wrong coordinates can be
        reported), ``on_map`` (bool), ``not_on_map_reason`` (None on the map; else the
        given reason or "no coordinates or known postcode"), :data:`EXTRA_COLUMN` (an
        asset's extra attributes as JSON text, None when it has none), other extra columns,
        then ``geometry``: the BNG point on the map, None off it.
    """
    out = df.copy()
    for col in LAND_COLUMNS:
        if col not in out.columns:
            out[col] = None
    for col in NUMBER_COLUMNS:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    for col in TEXT_COLUMNS:
        out[col] = out[col].map(clean_text).astype(object)
    has_xy = out["easting"].notna() & out["northing"].notna()
    want = out["on_map"].map(lambda v: v is not False and v is not np.False_)
    on_map = has_xy & want
    # keep BNG for off-map rows too when known (wrong coordinates are reported, not erased)
    lon, lat = bng_to_wgs84(out["easting"].fillna(0), out["northing"].fillna(0))
    out["lon"] = np.where(has_xy, np.round(lon, 6), np.nan)
    out["lat"] = np.where(has_xy, np.round(lat, 6), np.nan)
    reason = out["not_on_map_reason"]
    out["not_on_map_reason"] = np.where(on_map, None, reason.where(reason.notna(), "no coordinates or known postcode"))
    out["not_on_map_reason"] = out["not_on_map_reason"].astype(object).where(~on_map, None)
    out["on_map"] = on_map.astype(bool)
    geom = gpd.points_from_xy(out["easting"], out["northing"])
    geom = np.where(on_map, geom, None)
    gdf = gpd.GeoDataFrame(out, geometry=list(geom), crs=BNG)
    if boroughs is not None and len(gdf):
        need = gdf["on_map"] & gdf["borough_code"].isna()
        if need.any():
            joined = gpd.sjoin(
                gdf.loc[need, ["geometry"]], boroughs[["borough_code", "geometry"]], how="left", predicate="within"
            )
            joined = joined[~joined.index.duplicated()]
            gdf.loc[need, "borough_code"] = joined["borough_code"].astype(object)
    if EXTRA_COLUMN in gdf.columns:
        gdf[EXTRA_COLUMN] = gdf[EXTRA_COLUMN].map(lambda v: extra_json(extra_attributes(v))).astype(object)
    else:
        gdf[EXTRA_COLUMN] = pd.Series([None] * len(gdf), index=gdf.index, dtype=object)
    extra = [c for c in gdf.columns if c not in LAND_COLUMNS and c not in (EXTRA_COLUMN, "geometry")]
    return gdf[[*LAND_COLUMNS, EXTRA_COLUMN, *extra, "geometry"]].reset_index(drop=True)
