"""Recognising a file's columns: one header normaliser, the register fields and their names.

:func:`normalise_header` is the one way a header is compared ("Post Code", "postcode" and
"POST_CODE" are the same name), for land registers (:data:`ALIASES`) and network lists
(:data:`anchormap.network.lists.HEADER_ALIASES`) alike. :func:`recognise_columns` maps a
header to fields; :func:`missing_fields` says what a mapping lacks; :func:`parse_mapping`
reads a person's own mapping (``name=Property``) and :func:`check_mapping` checks it
against the file.
"""

from __future__ import annotations

import re

from anchormap.land.ingest.report import UploadError

GEOMETRY_PREFIX = "__geometry_"
"""Columns a GeoJSON reader adds for each feature's point (``__geometry_x``, ``__geometry_easting``...)."""


def normalise_header(text: object) -> str:
    """A header name as compared: lower case, letters and digits only.

    >>> normalise_header(" Post Code "), normalise_header("SiteNameAddress"), normalise_header("Area (m²)")
    ('postcode', 'sitenameaddress', 'aream2')
    """
    return _NOT_ALNUM.sub("", str(text or "").replace("²", "2").lower())


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")

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
    "postcode": ("post code", "postcode", "postal code", "pcode", "post code of asset", "zip"),
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
    "under_used_floor_area_m2": (
        "under used floor area",
        "under used floor area m2",
        "underused floor area",
        "underused floor area m2",
        "under used floor area m2 derived",
    ),
    "land_not_delivering_services_ha": (
        "land area not delivering services hectares",
        "land area not delivering services",
        "land not delivering services",
        "land not delivering services ha",
    ),
    "lat": ("latitude", "lat", "wgs84 latitude", "y latitude", "latitude wgs84"),
    "lon": ("longitude", "lon", "long", "lng", "wgs84 longitude", "x longitude", "longitude wgs84"),
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
:func:`normalise_header`, so "Post Code", "postcode" and "POST_CODE" are one name). When several
columns mean one field, the one whose name comes first wins. Order matters only for display."""
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
    "under_used_floor_area_m2": "Under-used floor area (m²)",
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
    """Normalised header name -> (field, rank of the name among the field's aliases)."""
    index: dict[str, tuple[str, int]] = {}
    for fieldname, names in aliases.items():
        for rank, name in enumerate(names):
            index.setdefault(normalise_header(name), (fieldname, rank))
    return index


_REGISTER_INDEX = alias_index(ALIASES)


def recognise_columns(header: list[str], aliases: dict[str, tuple[str, ...]] = ALIASES) -> dict[str, str]:
    """Field -> column for every header name that is a known alias (default: :data:`ALIASES`).

    When several columns mean one field, the one whose name comes first in the field's
    aliases wins (e.g. "Holding Type" over "Land only or land and building" for
    ``holding_use``), then the column that comes first. Columns a GeoJSON reader adds for the
    geometry (``__geometry_x``...) fill their field when no column before them does.

    >>> recognise_columns(["Post Code", "Name", "Site Name"])
    {'postcode': 'Post Code', 'name': 'Site Name'}
    """
    index = _REGISTER_INDEX if aliases is ALIASES else alias_index(aliases)
    best: dict[str, tuple[int, str]] = {}
    for col in header:
        if col.startswith(GEOMETRY_PREFIX):
            best.setdefault(col.removeprefix(GEOMETRY_PREFIX), (-1, col))
            continue
        fld, rank = index.get(normalise_header(col), (None, 0))
        if fld and (fld not in best or rank < best[fld][0]):
            best[fld] = (rank, col)
    return {f: col for f, (_, col) in best.items()}


def header_score(cells: list, aliases: dict[str, tuple[str, ...]] = ALIASES) -> int:
    """How many cells of a row are known header names: the row most like a header is the header."""
    index = _REGISTER_INDEX if aliases is ALIASES else alias_index(aliases)
    return sum(normalise_header(c) in index for c in cells if c)


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
    if given:
        return "column_mapping"
    norm = {normalise_header(h) for h in header}
    if len(norm & _BROWNFIELD_HINTS) >= 4:
        return "brownfield_register"
    if len(norm & _LGTC_HINTS) >= 2:
        return "transparency_code"
    return "geojson" if geojson else "columns_recognised"
