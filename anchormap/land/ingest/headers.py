"""Recognising a file's columns: one header normaliser, the register fields and their names.

:func:`header_words` splits a header into words as councils write them (CamelCase,
snake_case, punctuation, units in brackets, common abbreviations) and spells each one way;
:func:`normalise_header` is the one way a header is compared ("Post Code", "post_code",
"PostCode" and "PC" are the same name), for land registers (:data:`ALIASES`) and network
lists (:data:`anchormap.network.lists.HEADER_ALIASES`) alike. A header must be a whole name,
never a part of one. :func:`recognise_columns` maps a header to fields; :func:`suggest_field`
guesses, for a column no name matched, what a person may mean (the page's form pre-fills it);
:func:`missing_fields` says what a mapping lacks; :func:`parse_mapping` reads a person's own
mapping (``name=Property``), :func:`check_mapping` checks it against the file and
:func:`merge_mapping` adds it to what was recognised.
"""

from __future__ import annotations

import re

from anchormap.land.ingest.report import UploadError

GEOMETRY_PREFIX = "__geometry_"
"""Columns a GeoJSON reader adds for each feature's point (``__geometry_x``, ``__geometry_easting``...)."""


def header_words(text: object) -> tuple[str, ...]:
    """A header as the words it is compared by: split, lower case, abbreviations and units spelt one way.

    Words are split at spaces, punctuation and brackets, at CamelCase boundaries ("SiteName",
    "GeoX") and before digits ("AddrLn1"); "of", "the", "and" and "or" are dropped; a "Y/N" or
    "Yes/No" note is dropped; common abbreviations are written out ("Ref" -> reference, "No" ->
    number after another word, "Addr", "PC", "Prop", "Bldg", "Desc", "Org", "GIA", "NIA", "GEA")
    and units are spelt one way ("sq m", "m²", "sqm" -> m2; "sq ft" -> sqft; "hectares" -> ha).
    Rules apply to whole words only: "ha" in "Hall" or "no" in "North" are left alone.

    Parameters
    ----------
    text : object
        A header cell (None and NaN give no words).

    Returns
    -------
    tuple of str
        The words, in order.

    Examples
    --------
    >>> header_words("SiteNameAddress"), header_words("post_code"), header_words("Area (sq m)")
    (('site', 'name', 'address'), ('post', 'code'), ('area', 'm2'))
    >>> header_words("GIA m2"), header_words("Asset No."), header_words("Vacant (Y/N)")
    (('gross', 'internal', 'area', 'm2'), ('asset', 'number'), ('vacant',))
    >>> header_words("Empty Floor Area (%)"), header_words("Easting (metres)")
    (('empty', 'floor', 'area', 'pct'), ('easting', 'm'))
    """
    if text is None or (isinstance(text, float) and text != text):
        return ()
    raw = _PLURAL_NOTE.sub("", str(text).replace("²", "2").replace("³", "3").replace("%", " pct "))
    raw = _CAMEL.sub(" ", raw)
    words = [w for w in _NOT_ALNUM.split(raw.lower()) if w and w not in _STOP_WORDS]
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in (3, 2):
            phrase = tuple(words[i : i + size])
            if len(phrase) == size and phrase in _PHRASES:
                out.extend(_PHRASES[phrase])
                i += size
                break
        else:
            w = words[i]
            if w == "no" and not out:  # "No." alone is a row number, "Asset No" an asset number
                out.append(w)
            else:
                out.extend(_WORD_FORMS.get(w, (w,)))
            i += 1
    return tuple(out)


def normalise_header(text: object) -> str:
    """A header name as compared: its :func:`header_words` written together.

    Written together so that "Post Code", "PostCode", "post_code" and "postcode" are one name;
    the words are canonical first, so "Site Ref", "SiteRef" and "site_reference" are one name too
    and "Area (sq m)" is "Area m2".

    Parameters
    ----------
    text : object
        A header cell.

    Returns
    -------
    str
        Lower-case letters and digits only.

    Examples
    --------
    >>> normalise_header(" Post Code "), normalise_header("SiteNameAddress"), normalise_header("Area (m²)")
    ('postcode', 'sitenameaddress', 'aream2')
    >>> normalise_header("Site Ref") == normalise_header("site_reference") == normalise_header("SiteReference")
    True
    """
    return "".join(header_words(text))


def _squashed(text: object) -> str:
    """The header's letters and digits only, as written (no words rewritten): "orgname" -> "orgname"."""
    return _NOT_ALNUM.sub("", str(text or "").replace("²", "2").replace("%", "pct").lower())


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])")
_PLURAL_NOTE = re.compile(r"\((?:s|es)\)", re.I)  # "Street number(s)"
_STOP_WORDS = frozenset({"of", "the", "and", "or"})
_M2, _SQFT = ("m2",), ("sqft",)
_PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("yes", "no"): (),
    ("y", "n"): (),
    ("sq", "m"): _M2,
    ("sq", "metres"): _M2,
    ("sq", "meters"): _M2,
    ("sq", "mtrs"): _M2,
    ("square", "metres"): _M2,
    ("square", "meters"): _M2,
    ("metres", "squared"): _M2,
    ("m", "2"): _M2,
    ("sq", "ft"): _SQFT,
    ("sq", "feet"): _SQFT,
    ("square", "feet"): _SQFT,
    ("square", "foot"): _SQFT,
    ("ft", "2"): _SQFT,
    ("m", "3"): ("m3",),
}
"""Word pairs spelt one way (units; a "Yes/No" note is dropped)."""
_WORD_FORMS: dict[str, tuple[str, ...]] = {
    "ref": ("reference",),
    "refs": ("reference",),
    "no": ("number",),
    "num": ("number",),
    "nbr": ("number",),
    "addr": ("address",),
    "ln": ("line",),
    "pc": ("postcode",),
    "pcode": ("postcode",),
    "ha": ("ha",),
    "hect": ("ha",),
    "hectare": ("ha",),
    "hectares": ("ha",),
    "sqm": _M2,
    "ft2": _SQFT,
    "acre": ("acres",),
    "prop": ("property",),
    "bldg": ("building",),
    "bldng": ("building",),
    "bld": ("building",),
    "desc": ("description",),
    "descr": ("description",),
    "org": ("organisation",),
    "orgn": ("organisation",),
    "organization": ("organisation",),
    "gia": ("gross", "internal", "area"),
    "nia": ("net", "internal", "area"),
    "gea": ("gross", "external", "area"),
    "identifier": ("id",),
    "identity": ("id",),
    "eastings": ("easting",),
    "northings": ("northing",),
    "metres": ("m",),
    "meters": ("m",),
    "metre": ("m",),
    "meter": ("m",),
    "mtrs": ("m",),
    "percent": ("pct",),
    "percentage": ("pct",),
}
"""Single words spelt one way: abbreviations written out, plurals and units in one spelling."""

ALIASES: dict[str, tuple[str, ...]] = {
    "asset_id": (
        "unique asset identity",
        "unique asset id",
        "unique asset identifier",
        "asset id",
        "asset identity",
        "asset reference",
        "asset ref",
        "asset number",
        "asset no",
        "property reference",
        "property ref",
        "property id",
        "site reference",
        "sitereference",
        "siteref",
        "site ref",
        "site id",
        "reference",
        "ref",
        "id",
        "asset code",
        "property code",
        "site code",
    ),
    "name": (
        "name of building land",
        "name of building land or both",
        "name of building",
        "building name",
        "property name",
        "asset name",
        "site name",
        "name",
        "sitenameaddress",
        "site name address",
        "site name and address",
        "property",
        "asset",
        "title",
        "building land name",
    ),
    "address": (
        "address",
        "full address",
        "site address",
        "property address",
        "address line 1",
        "address 1",
        "address1",
        "street address",
    ),
    "street_number": ("street number", "building number", "house number", "number", "street no"),
    "street_name": ("street name", "street", "road", "thoroughfare", "address line 2", "address 2", "address2"),
    "town": ("post town", "posttown", "town", "city", "locality", "address line 3", "address3"),
    "postcode": (
        "post code",
        "postcode",
        "postal code",
        "pcode",
        "post code of asset",
        "zip",
        "united kingdom postcode",
        "uk postcode",
    ),
    "uprn": (
        "uprn",
        "unique property reference number",
        "unique property reference number uprn",
        "property reference number",
    ),
    "owner_organisation": (
        "owner",
        "owner organisation",
        "owner name",
        "organisation",
        "organisation name",
        "organisationlabel",
        "organisation label",
        "landowner",
        "land owner",
        "owned by",
        "responsible organisation",
        "body",
    ),
    "owner_type": ("owner type", "ownership type", "organisation type", "sector"),
    "tenure": (
        "tenure",
        "tenure type",
        "freehold leasehold",
        "freehold or leasehold",
        "ownershipstatus",
        "ownership status",
        "ownership",
        "interest",
        "legal interest",
        "tenure status",
    ),
    "holding_use": (
        "holding type",
        "tenure category",
        "holding",
        "use",
        "current use",
        "asset type",
        "property type",
        "asset category",
        "property category",
        "category",
        "type",
        "land only or land and building",
        "whether it is land only or land and building",
        "land or building",
        "land building",
        "primary use",
        "usage",
        "service",
        "occupier",
        "occupied by",
        "site type",
    ),
    "status": (
        "status",
        "asset status",
        "property status",
        "occupancy",
        "occupancy status",
        "occupation status",
        "occupied vacant",
        "occupied or vacant",
        "vacant",
        "surplus",
        "vacant surplus",
        "disposal status",
        "occupied",
        "currently occupied",
        "is occupied",
        "in use",
        "currently in use",
        "is vacant",
        "empty",
        "void",
        "vacancy",
        "vacancy status",
        "operational",
        "operational status",
        "site status",
        "building status",
        "current status",
        "use status",
    ),
    "site_area_ha": (
        "hectares",
        "site area ha",
        "site area hectares",
        "area ha",
        "area hectares",
        "land area ha",
        "land area hectares",
        "site area",
        "land area",
        "area of land ha",
        "size ha",
        "land area owned hectares",
        "site land area ha",
        "site size ha",
    ),
    "site_area_m2": (
        "site area m2",
        "site area sqm",
        "site area sq m",
        "land area m2",
        "land area sqm",
        "land area sq m",
        "area m2",
        "area sqm",
        "area sq m",
        "site area m",
    ),
    "site_area_acres": ("acres", "site area acres", "area acres", "land area acres"),
    "floor_area_m2": (
        "gia",
        "gia m2",
        "gia sqm",
        "gross internal area",
        "gross internal area m2",
        "gross internal floor area",
        "gross internal floor area m",
        "gross internal floor area m2",
        "floor area",
        "floor area m2",
        "floor area sqm",
        "floor area sq m",
        "floorspace",
        "floorspace m2",
        "total floor area",
        "internal area m2",
        "nia",
        "nia m2",
        "gea",
        "gea m2",
        "net internal area",
        "net internal area m2",
        "gross external area",
        "gross external area m2",
        "floor space m2",
    ),
    "floor_area_sqft": (
        "floor area sq ft",
        "floor area sqft",
        "floor area ft2",
        "gia sq ft",
        "gia sqft",
        "floorspace sq ft",
        "sq ft",
        "sqft",
        "gross internal area sq ft",
        "net internal area sq ft",
    ),
    "empty_floor_area_m2": (
        "empty floor area",
        "empty floor area m2",
        "vacant floor area",
        "vacant floor area m2",
        "vacant floorspace",
        "vacant floorspace m2",
        "unused floor area",
        "unused floor area m2",
        "empty floor area m2 derived",
    ),
    "empty_floor_area_sqft": (
        "empty floor area sqft",
        "vacant floor area sqft",
        "vacant floorspace sqft",
        "unused floor area sqft",
    ),
    "under_used_floor_area_m2": (
        "under used floor area",
        "under used floor area m2",
        "underused floor area",
        "underused floor area m2",
        "under used floor area m2 derived",
    ),
    "under_used_floor_area_sqft": (
        "under used floor area sqft",
        "underused floor area sqft",
    ),
    "land_not_delivering_services_ha": (
        "land area not delivering services hectares",
        "land area not delivering services",
        "land not delivering services",
        "land not delivering services ha",
    ),
    "lat": ("latitude", "lat", "wgs84 latitude", "y latitude", "latitude wgs84", "lat wgs84"),
    "lon": ("longitude", "lon", "long", "lng", "wgs84 longitude", "x longitude", "longitude wgs84", "lon wgs84"),
    "easting": (
        "easting",
        "eastings",
        "os easting",
        "os eastings",
        "easting x",
        "x easting",
        "east",
        "bng easting",
        "grid easting",
        "map reference easting",
        "map easting",
        "easting bng",
        "easting m",
        "easting osgb36",
        "osgb36 easting",
        "easting osgb",
        "easting bng m",
    ),
    "northing": (
        "northing",
        "northings",
        "os northing",
        "os northings",
        "northing y",
        "y northing",
        "north",
        "bng northing",
        "grid northing",
        "map reference northing",
        "map northing",
        "northing bng",
        "northing m",
        "northing osgb36",
        "osgb36 northing",
        "northing osgb",
        "northing bng m",
    ),
    "x": ("geox", "geo x", "x", "x coordinate", "xcoord", "coord x", "point x"),
    "y": ("geoy", "geo y", "y", "y coordinate", "ycoord", "coord y", "point y"),
    "map_reference": (
        "map reference",
        "map ref",
        "grid reference",
        "grid ref",
        "os grid reference",
        "coordinates",
        "easting northing",
        "eastings northings",
    ),
    "source_date": (
        "date",
        "last updated",
        "lastupdateddate",
        "last updated date",
        "date updated",
        "as at",
        "valuation date",
        "record date",
        "data date",
    ),
    "end_date": ("enddate", "end date"),
}
"""Fields a land register can fill, with the header names that mean them (compared through
:func:`normalise_header`, so "Post Code", "postcode", "POST_CODE" and "PC" are one name, as are
"Site Area (ha)", "site_area_ha" and "SiteAreaHectares"). A header must be one of these names
once its words are spelt one way: it is never matched by a part of it, so "Land Registry Title"
is not "Land area" and "Notes" is not a name. When several columns mean one field, the one whose
name comes first wins."""
FIELD_LABELS = {
    "asset_id": "Asset id",
    "name": "Name",
    "address": "Address",
    "street_number": "Street number",
    "street_name": "Street name",
    "town": "Post town",
    "postcode": "Postcode",
    "uprn": "UPRN",
    "owner_organisation": "Owner organisation",
    "owner_type": "Owner type",
    "tenure": "Tenure",
    "holding_use": "Holding / use",
    "status": "Status",
    "site_area_ha": "Site area (ha)",
    "site_area_m2": "Site area (m²)",
    "site_area_acres": "Site area (acres)",
    "floor_area_m2": "Floor area (m²)",
    "floor_area_sqft": "Floor area (sq ft)",
    "empty_floor_area_m2": "Empty floor area (m²)",
    "empty_floor_area_sqft": "Empty floor area (sq ft)",
    "under_used_floor_area_m2": "Under-used floor area (m²)",
    "under_used_floor_area_sqft": "Under-used floor area (sq ft)",
    "land_not_delivering_services_ha": "Land not delivering services (ha)",
    "lat": "Latitude",
    "lon": "Longitude",
    "easting": "Easting (BNG)",
    "northing": "Northing (BNG)",
    "x": "X (GeoX)",
    "y": "Y (GeoY)",
    "map_reference": "Map reference (easting, northing)",
    "source_date": "Date",
    "end_date": "End date",
}
_LGTC_HINTS = {
    normalise_header(h)
    for h in (
        "uprn",
        "unique asset identity",
        "post town",
        "street name",
        "street number",
        "map reference",
        "holding type",
        "tenure type",
        "tenure category",
        "name of building land",
    )
}
_BROWNFIELD_HINTS = {
    normalise_header(h)
    for h in (
        "sitereference",
        "sitenameaddress",
        "geox",
        "geoy",
        "hectares",
        "ownershipstatus",
        "planningstatus",
    )
}


def alias_index(aliases: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, int]]:
    """Header key -> (field, rank of the name among the field's aliases).

    Each alias is indexed by :func:`normalise_header` and, for aliases written together
    ("orgname", "sitenameaddress"), also as written, so a header matches either way.
    """
    index: dict[str, tuple[str, int]] = {}
    for fieldname, names in aliases.items():
        for rank, name in enumerate(names):
            index.setdefault(normalise_header(name), (fieldname, rank))
    for fieldname, names in aliases.items():
        for rank, name in enumerate(names):
            index.setdefault(_squashed(name), (fieldname, rank))
    return index


_REGISTER_INDEX = alias_index(ALIASES)


def _index_of(aliases: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, int]]:
    return _REGISTER_INDEX if aliases is ALIASES else alias_index(aliases)


def field_of_header(header: object, aliases: dict[str, tuple[str, ...]] = ALIASES) -> str | None:
    """The field a header names (default: a land register's :data:`ALIASES`), or None.

    Parameters
    ----------
    header : object
        A header cell.
    aliases : dict, optional
        Field -> names.

    Returns
    -------
    str or None

    Examples
    --------
    >>> field_of_header("SiteName"), field_of_header("post_code"), field_of_header("Site Area (Ha)")
    ('name', 'postcode', 'site_area_ha')
    >>> field_of_header("Land Registry Title") is None, field_of_header("Notes") is None
    (True, True)
    """
    hit = _lookup(_index_of(aliases), header)
    return hit[0] if hit else None


def _lookup(index: dict[str, tuple[str, int]], header: object) -> tuple[str, int] | None:
    key = normalise_header(header)
    if not key:
        return None
    return index.get(key) or index.get(_squashed(header))


def recognise_columns(header: list[str], aliases: dict[str, tuple[str, ...]] = ALIASES) -> dict[str, str]:
    """Field -> column for every header name that is a known alias (default: :data:`ALIASES`).

    When several columns mean one field, the one whose name comes first in the field's
    aliases wins (e.g. "Holding Type" over "Land only or land and building" for
    ``holding_use``), then the column that comes first. Columns a GeoJSON reader adds for the
    geometry (``__geometry_x``...) fill their field when no column before them does.

    >>> recognise_columns(["Post Code", "Name", "Site Name"])
    {'postcode': 'Post Code', 'name': 'Site Name'}
    """
    index = _index_of(aliases)
    best: dict[str, tuple[int, str]] = {}
    for col in header:
        if col.startswith(GEOMETRY_PREFIX):
            best.setdefault(col.removeprefix(GEOMETRY_PREFIX), (-1, col))
            continue
        fld, rank = _lookup(index, col) or (None, 0)
        if fld and (fld not in best or rank < best[fld][0]):
            best[fld] = (rank, col)
    return {f: col for f, (_, col) in best.items()}


def merge_mapping(recognised: dict[str, str], given: dict[str, str]) -> dict[str, str]:
    """A person's mapping added to what was recognised: their choice wins.

    A field they mapped takes their column; a column they mapped is no longer used for
    another field.

    Parameters
    ----------
    recognised : dict
        Field -> column, from :func:`recognise_columns`.
    given : dict
        Field -> column, from a person (``--map`` or the page's form).

    Returns
    -------
    dict
        Field -> column: ``given``, then every recognised field whose field and column the
        person did not map.

    Examples
    --------
    >>> merge_mapping({"name": "Site", "postcode": "PC", "asset_id": "Ref"}, {"name": "Building", "uprn": "Ref"})
    {'name': 'Building', 'uprn': 'Ref', 'postcode': 'PC'}
    """
    out = dict(given)
    taken = set(given.values())
    for f, col in recognised.items():
        if f not in out and col not in taken:
            out[f] = col
    return out


def suggest_field(header: object, taken: set[str] | frozenset[str] = frozenset()) -> str | None:
    """A guess, for a column no field name matched, to pre-fill a person's choice (never used unasked).

    The field one of whose names of two words or more appears, word for word, inside the
    header ("Property Name (current)" -> name; "Total site area in hectares" -> site_area_ha);
    the longest such name wins and fields in ``taken`` are skipped.

    Parameters
    ----------
    header : object
        A header cell.
    taken : set of str
        Fields already given a column.

    Returns
    -------
    str or None

    Examples
    --------
    >>> suggest_field("Property Name (current)"), suggest_field("Notes") is None
    ('name', True)
    """
    words = header_words(header)
    exact = field_of_header(header)
    if exact is not None:
        return exact if exact not in taken else None
    best: tuple[int, str] | None = None
    for phrase, fld in _PHRASE_INDEX:
        if fld in taken or len(phrase) > len(words) or (best and len(phrase) <= best[0]):
            continue
        if any(words[i : i + len(phrase)] == phrase for i in range(len(words) - len(phrase) + 1)):
            best = (len(phrase), fld)
    return best[1] if best else None


_PHRASE_INDEX = [
    (header_words(name), fld) for fld, names in ALIASES.items() for name in names if len(header_words(name)) >= 2
]


def header_score(cells: list, aliases: dict[str, tuple[str, ...]] = ALIASES) -> int:
    """How many cells of a row are known header names: the row most like a header is the header."""
    index = _index_of(aliases)
    return sum(_lookup(index, c) is not None for c in cells if c)


def missing_fields(mapping: dict[str, str]) -> list[str]:
    """What a mapping lacks to place assets: a name (or address) and a location source."""
    out = []
    if not ({"name", "address", "street_name"} & set(mapping)):
        out.append("no column for the asset's name or address")
    loc = (
        {"lat", "lon"} <= set(mapping)
        or {"easting", "northing"} <= set(mapping)
        or {"x", "y"} <= set(mapping)
        or "map_reference" in mapping
        or "postcode" in mapping
    )
    if not loc:
        out.append("no location: need latitude and longitude, eastings and northings, GeoX and GeoY, or a postcode")
    return out


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``["name=Property", "postcode=PC"]`` -> ``{"name": "Property", "postcode": "PC"}``."""
    out = {}
    for p in pairs:
        if "=" not in p:
            msg = f"Column mapping '{p}' should be FIELD=COLUMN, e.g. name=\"Property name\"."
            raise UploadError(msg)
        k, v = p.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def check_mapping(mapping: dict[str, str], header: list[str], file_name: str) -> None:
    unknown = [k for k in mapping if k not in ALIASES]
    if unknown:
        msg = f"Column mapping: unknown field(s) {', '.join(unknown)}. Fields: {', '.join(ALIASES)}."
        raise UploadError(msg)
    absent = [v for v in mapping.values() if v not in header]
    if absent:
        msg = (
            f"Column mapping: {file_name} has no column(s) {', '.join(repr(a) for a in absent)}. "
            f"Its columns: {', '.join(repr(h) for h in header)}."
        )
        raise UploadError(msg)


def register_kind(header: list[str], given: bool, geojson: bool) -> str:
    norm = {normalise_header(h) for h in header}
    if len(norm & _BROWNFIELD_HINTS) >= 4:
        return "brownfield_register"
    if given:
        return "column_mapping"
    if len(norm & _LGTC_HINTS) >= 2:
        return "transparency_code"
    return "geojson" if geojson else "columns_recognised"
