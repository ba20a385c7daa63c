"""Reading a partner's land and property register (CSV, XLSX or GeoJSON) into the land schema.

:func:`read_upload` takes the file's bytes and returns an :class:`UploadResult`: the rows that
passed validation as a table in the land schema (:mod:`anchormap.land.schema`), and a report
of every problem found, one line per (row, column) with what was done about it. Nothing is
stored here: the caller shows the report and stores the valid rows only when an officer
confirms (:mod:`anchormap.land.store`).

Columns are recognised by name: the Local Government Transparency Code 2015 "land and
building assets" fields (UPRN, Unique Asset Identity, Name of building/land, Street Number,
Street Name, Post Town, Post Code, Map Reference / Easting / Northing, Tenure, Holding type
...), the brownfield land register data standard (SiteReference, SiteNameAddress, GeoX,
GeoY, Hectares, OwnershipStatus ...) and common variants (see :data:`ALIASES`). When a name
and a location cannot be found, the result has ``status == "needs_mapping"`` and lists the
file's columns, so a person can say which column holds what (``mapping``: field -> column).

Locations, in order: latitude/longitude, eastings/northings, GeoX/GeoY, a single "map
reference" cell, then the postcode through the Code-Point Open ``postcodes`` layer (an
outward code alone, e.g. "SE6", is placed at the centroid of its postcodes, and the report
says so). British National Grid (EPSG:27700, metres) and WGS84 (degrees) are told apart by
range; swapped latitude/longitude and swapped eastings/northings are put right and reported.
Points outside London are rejected.

Messy files handled: non-UTF-8 text (read as Windows-1252, or Latin-1), title rows above the
header, the header repeated inside the data, blank rows, line breaks inside quoted cells,
``;``/tab delimiters. Text is kept as text: cells that begin like a spreadsheet formula
(:func:`anchormap.data.exports.looks_like_formula`) are never evaluated (CSV exports
neutralise them) and HTML in names is stored as plain text (escape it when rendering).
"""

from __future__ import annotations

import functools
import io
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from anchormap.data.exports import looks_like_formula
from anchormap.data.layers.postcodes import format_postcode, is_full_postcode, is_outward_code, postcode_key
from anchormap.errors import AnchorMapError, unexpected_file_error
from anchormap.geo.coordinates import LondonArea, read_pair
from anchormap.land.schema import (
    OWNER_TYPES,
    brownfield_ownership,
    finalise,
    owner_type_from_text,
    status_from_text,
)
from anchormap.land.tables import (
    CsvSyntaxError,
    check_file_bytes,
    csv_rows,
    decode_text,
    is_blank_row,
    looks_binary,
    sniff_delimiter,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 1000
MAX_PARTNER_CHARS = 200
"""Longest partner (organisation) name accepted, in characters."""
_HTML = re.compile(r"<\s*[a-zA-Z!/][^>]*>")


class UploadError(AnchorMapError):
    """The file as a whole cannot be used (too big, empty, unreadable, bad mapping)."""


# Fields an upload can fill, with the header names (normalised: lower case, letters and
# digits separated by single spaces) that mean them. Order matters only for display.
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
NUMBER_FIELDS = {
    "site_area_ha": ("site_area_ha", 1.0),
    "site_area_m2": ("site_area_ha", 1e-4),
    "site_area_acres": ("site_area_ha", 0.40468564224),
    "floor_area_m2": ("floor_area_m2", 1.0),
    "floor_area_sqft": ("floor_area_m2", 0.09290304),
    "empty_floor_area_m2": ("empty_floor_area_m2", 1.0),
    "under_used_floor_area_m2": ("under_used_floor_area_m2", 1.0),
    "land_not_delivering_services_ha": ("land_not_delivering_services_ha", 1.0),
}
TEXT_FIELDS = (
    "asset_id",
    "name",
    "address",
    "street_number",
    "street_name",
    "town",
    "owner_organisation",
    "tenure",
    "holding_use",
    "status",
    "owner_type",
)
_LGTC_HINTS = {
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
}
_BROWNFIELD_HINTS = {
    "sitereference",
    "sitenameaddress",
    "geox",
    "geoy",
    "hectares",
    "ownershipstatus",
    "planningstatus",
}


def normalise_header(text: object) -> str:
    """Lower case, letters and digits only, single spaces ("Post Code " -> "post code")."""
    s = str(text or "").replace("²", "2").lower()
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


_ALIAS_TO_FIELD = {alias: f for f, aliases in ALIASES.items() for alias in aliases}


@dataclass
class Issue:
    """One line of the validation report. ``row`` is the row number as in the file
    (spreadsheet row; GeoJSON feature number), None for the whole file."""

    row: int | None
    column: str | None
    problem: str
    action: str
    severity: str  # "error" (row rejected), "warning" (row kept, changed or flagged), "note"


@dataclass
class UploadResult:
    """What :func:`read_upload` found. ``assets`` holds only the rows that passed."""

    file_name: str
    partner: str
    status: str  # "ready" | "needs_mapping"
    register_kind: str
    columns: list[str]
    mapping: dict[str, str]
    assets: gpd.GeoDataFrame
    issues: list[Issue] = field(default_factory=list)
    rows_read: int = 0
    rows_rejected: int = 0
    missing: list[str] = field(default_factory=list)
    sha256: str = ""

    @property
    def rows_accepted(self) -> int:
        return len(self.assets)

    def report(self) -> pd.DataFrame:
        """The validation report: row, column, problem, action, severity."""
        df = pd.DataFrame([vars(i) for i in self.issues], columns=["row", "column", "problem", "action", "severity"])
        df["row"] = df["row"].astype("Int64")
        return df

    def summary(self) -> str:
        """One paragraph for people."""
        if self.status == "needs_mapping":
            return (
                f"{self.file_name}: the columns were not recognised ({'; '.join(self.missing)}). "
                f"Columns in the file: {', '.join(self.columns)}. Say which column holds what."
            )
        errors = sum(i.severity == "error" for i in self.issues)
        warnings = sum(i.severity == "warning" for i in self.issues)
        kind = {
            "transparency_code": "a Local Government Transparency Code land and assets register",
            "brownfield_register": "a brownfield land register",
            "geojson": "GeoJSON features",
            "columns_recognised": "a register with recognised columns",
            "column_mapping": "a register read with the given column mapping",
        }.get(self.register_kind, self.register_kind)
        return (
            f"{self.file_name}: read as {kind}. {self.rows_read} rows read, {self.rows_accepted} valid, "
            f"{self.rows_rejected} rejected ({errors} errors, {warnings} warnings)."
        )


# ---------------------------------------------------------------------------- reading


@dataclass
class _Table:
    header: list[str]
    header_row: int
    rows: list[tuple[int, list]]  # (row number as in the file, cells)
    row_word: str = "row"


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").strip()
    return text or None


def _decode(data: bytes, file_name: str, issues: list[Issue]) -> str:
    if looks_binary(data):
        msg = (
            f"{file_name} is not a text CSV file (it contains binary data). "
            "Upload a CSV, an Excel .xlsx workbook or a GeoJSON file."
        )
        raise UploadError(msg)
    decoded = decode_text(data, fallbacks=("cp1252", "latin-1"), utf16=True)  # latin-1 decodes every byte
    if decoded.encoding == "utf-16":
        issues.append(Issue(None, None, "the file is UTF-16 text", "read as UTF-16", "note"))
    elif decoded.not_utf8_at is not None:
        issues.append(
            Issue(
                None,
                None,
                f"the file is not UTF-8 (byte {decoded.not_utf8_at} cannot be UTF-8)",
                f"read as {decoded.label}; check accented letters and £ signs in the result",
                "warning",
            )
        )
    return decoded.text


def _read_csv(data: bytes, file_name: str, issues: list[Issue]) -> list[tuple[int, list]]:
    text = _decode(data, file_name, issues)
    try:
        return [(row.number, [_cell_text(c) for c in row.cells]) for row in csv_rows(text, sniff_delimiter(text))]
    except CsvSyntaxError as exc:
        msg = f"{file_name} cannot be read as CSV at row {exc.line}: {exc.reason}."
        raise UploadError(msg) from None


def _read_xlsx(data: bytes, file_name: str, issues: list[Issue]) -> list[tuple[int, list]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds (zipfile.BadZipFile, KeyError, InvalidFileException)
        msg = f"{file_name} cannot be read as an Excel .xlsx workbook ({exc.__class__.__name__}: {exc})."
        raise UploadError(msg) from None
    best: tuple[int, str, list] | None = None
    for ws in wb.worksheets:
        rows = [(i, [_cell_text(c) for c in rec]) for i, rec in enumerate(ws.iter_rows(values_only=True), start=1)]
        score = max((_header_score(r) for _, r in rows[:20]), default=0)
        if best is None or score > best[0]:
            best = (score, ws.title, rows)
    wb.close()
    if best is None:
        msg = f"{file_name} has no worksheets."
        raise UploadError(msg)
    if len(wb.worksheets) > 1:
        issues.append(
            Issue(
                None,
                None,
                f"the workbook has {len(wb.worksheets)} sheets",
                f"read the sheet '{best[1]}', whose header is recognised best",
                "note",
            )
        )
    return best[2]


def _read_geojson(data: bytes, file_name: str, issues: list[Issue]) -> _Table:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"{file_name} is not valid GeoJSON ({exc.__class__.__name__}: {exc})."
        raise UploadError(msg) from None
    except RecursionError:
        msg = f"{file_name} is not usable GeoJSON: its lists or objects are nested too deeply."
        raise UploadError(msg) from None
    feats = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(feats, list):
        msg = f"{file_name} is not a GeoJSON FeatureCollection (no 'features' list)."
        raise UploadError(msg)
    for i, f in enumerate(feats, start=1):
        if f is not None and not isinstance(f, dict):
            msg = f"{file_name}: feature {i} is not a GeoJSON Feature (an object with 'properties' and 'geometry')."
            raise UploadError(msg)
        props = (f or {}).get("properties")
        if props is not None and not isinstance(props, dict):
            msg = f"{file_name}: the 'properties' of feature {i} are not an object of names and values."
            raise UploadError(msg)
    crs_name = json.dumps(doc.get("crs") or {})
    bng = "27700" in crs_name
    if bng:
        issues.append(
            Issue(
                None,
                None,
                "the GeoJSON declares British National Grid (EPSG:27700)",
                "geometry read as eastings/northings",
                "note",
            )
        )
    header: list[str] = []
    for f in feats:
        for k in (f or {}).get("properties") or {}:
            if k not in header:
                header.append(str(k))
    gx, gy = ("__geometry_easting", "__geometry_northing") if bng else ("__geometry_x", "__geometry_y")
    rows = []
    from shapely.geometry import shape

    for i, f in enumerate(feats, start=1):
        props = (f or {}).get("properties") or {}
        cells = [
            _cell_text(props.get(h)) if not isinstance(props.get(h), (dict, list)) else json.dumps(props.get(h))
            for h in header
        ]
        x = y = None
        geom = (f or {}).get("geometry")
        if geom:
            try:
                g = shape(geom)
                p = g if g.geom_type == "Point" else g.representative_point()
                x, y = _cell_text(p.x), _cell_text(p.y)
            except Exception as exc:  # shapely raises GeometryTypeError, ValueError, ...
                issues.append(
                    Issue(
                        i,
                        "geometry",
                        f"the geometry cannot be read ({exc})",
                        "ignored; location taken from the properties if any",
                        "warning",
                    )
                )
            else:
                if g.geom_type != "Point":
                    issues.append(
                        Issue(
                            i, "geometry", f"a {g.geom_type}, not a point", "placed at a point inside the shape", "note"
                        )
                    )
        rows.append((i, [*cells, x, y]))
    return _Table(header=[*header, gx, gy], header_row=0, rows=rows, row_word="feature")


def _header_score(cells: list) -> int:
    return sum(normalise_header(c) in _ALIAS_TO_FIELD for c in cells if c)


def _to_table(records: list[tuple[int, list]], file_name: str, issues: list[Issue]) -> _Table:
    nonblank = [(i, r) for i, r in records if not is_blank_row(r)]
    if not nonblank:
        msg = f"{file_name} is empty: it has no header row and no data."
        raise UploadError(msg)
    candidates = nonblank[:20]
    scored = [(_header_score(r), n) for n, (_, r) in enumerate(candidates)]
    best_score, best_n = max(scored, key=lambda t: (t[0], -t[1]))
    pos = best_n if best_score >= 2 else 0
    header_row, header_cells = candidates[pos]
    if pos > 0:
        issues.append(
            Issue(None, None, f"{pos} row(s) above the header (row {header_row}), e.g. a title", "skipped", "note")
        )
    header: list[str] = []
    for n, c in enumerate(header_cells):
        name = c or f"column {n + 1}"
        while name in header:
            name += " (2)"
        header.append(name)
    norm_header = [normalise_header(h) for h in header_cells]
    rows, blanks = [], 0
    for i, r in records:
        if i <= header_row:
            continue
        if is_blank_row(r):
            blanks += 1
            continue
        norm = [normalise_header(c) for c in r]
        filled = [(a, b) for a, b in zip(norm, norm_header) if a]
        if filled and sum(a == b for a, b in filled) >= max(2, 0.8 * len(filled)):
            issues.append(Issue(i, None, "the header row is repeated inside the data", "row skipped", "note"))
            continue
        if len(r) > len(header) and any(r[len(header) :]):
            issues.append(
                Issue(
                    i,
                    None,
                    f"{len(r)} cells but the header has {len(header)} columns",
                    "extra cells ignored",
                    "warning",
                )
            )
        rows.append((i, (r + [None] * len(header))[: len(header)]))
    if blanks:
        issues.append(Issue(None, None, f"{blanks} blank row(s)", "skipped", "note"))
    return _Table(header=header, header_row=header_row, rows=rows)


def _kind_of(data: bytes, file_name: str) -> str:
    suffix = Path(file_name).suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".xls",) or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        msg = f"{file_name} is an old Excel .xls workbook: save it as .xlsx or CSV and upload that."
        raise UploadError(msg)
    if suffix in (".geojson", ".json") or data.lstrip()[:1] == b"{":
        return "geojson"
    return "csv"


# ---------------------------------------------------------------------------- mapping


def recognise_columns(header: list[str]) -> dict[str, str]:
    """Field -> column for every header name that is a known alias.

    When several columns mean one field, the one whose name comes first in :data:`ALIASES`
    wins (e.g. "Holding Type" over "Land only or land and building" for ``holding_use``).
    """
    best: dict[str, tuple[int, str]] = {}
    for col in header:
        if col.startswith("__geometry_"):
            best.setdefault(col.replace("__geometry_", ""), (-1, col))
            continue
        norm = normalise_header(col)
        fld = _ALIAS_TO_FIELD.get(norm)
        if fld:
            rank = ALIASES[fld].index(norm)
            if fld not in best or rank < best[fld][0]:
                best[fld] = (rank, col)
    return {f: col for f, (_, col) in best.items()}


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


def _check_mapping(mapping: dict[str, str], header: list[str], file_name: str) -> None:
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


def _register_kind(header: list[str], given: bool, geojson: bool) -> str:
    if given:
        return "column_mapping"
    norm = {normalise_header(h) for h in header}
    if len(norm & _BROWNFIELD_HINTS) >= 4:
        return "brownfield_register"
    if len(norm & _LGTC_HINTS) >= 2:
        return "transparency_code"
    return "geojson" if geojson else "columns_recognised"


# ---------------------------------------------------------------------------- geography


LONDON_MARGIN_M = 250.0
"""Uploaded points up to this many metres outside the boroughs count as in London."""


@functools.lru_cache(maxsize=1)
def _london() -> LondonArea:
    """Greater London (boroughs union, :data:`LONDON_MARGIN_M` margin), prepared for point tests (EPSG:27700)."""
    from anchormap.data.build import load_layer

    return LondonArea(load_layer("boroughs"), LONDON_MARGIN_M)


@functools.lru_cache(maxsize=1)
def _postcode_tables():
    from anchormap.data.build import load_layer

    pc = load_layer("postcodes")
    full = {k: (e, n) for k, e, n in zip(pc["postcode_key"], pc["easting"], pc["northing"])}
    outward = pc.assign(outward=pc["postcode_key"].str[:-3]).groupby("outward")[["easting", "northing"]].mean()
    return full, {k: (r.easting, r.northing) for k, r in outward.iterrows()}


def in_london(easting: float, northing: float) -> bool:
    """True when the BNG point (metres) is inside Greater London (with a 250 m margin)."""
    return _london().contains(easting, northing)


def classify_pair(a: float, b: float, kind: str) -> tuple[float, float, str, str | None]:
    """Turn a coordinate pair into BNG (easting, northing, method, correction note).

    ``kind`` is what the columns claim: "latlon" (a = latitude, b = longitude), "en"
    (a = easting, b = northing) or "xy" (a = GeoX, b = GeoY: longitude/latitude or
    easting/northing). The numbers' ranges decide (:func:`anchormap.geo.coordinates.read_pair`);
    swaps are corrected and noted. Raises ValueError with a reason when the pair is not a
    London location.
    """
    x, y = (b, a) if kind == "latlon" else (a, b)  # to x, y order
    pair = read_pair(x, y)
    if pair.system == "bng":
        method = "source coordinates (BNG)"
        if pair.swapped:
            note = "easting and northing were swapped: swapped back"
        else:
            note = "latitude/longitude columns hold BNG eastings/northings" if kind == "latlon" else None
    else:
        method = "source coordinates (WGS84)"
        if pair.swapped:
            note = "latitude and longitude were swapped: swapped back"
        else:
            note = "eastings/northings columns hold WGS84 longitude/latitude" if kind == "en" else None
    return pair.easting, pair.northing, method, note


# ---------------------------------------------------------------------------- values


_NUMBER = re.compile(
    r"^[£$]?\s*([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+)\s*"
    r"(ha|hectares?|m2|m²|sqm|sq\.? ?m|sq\.? ?ft|sqft|ft2|acres?|metres?|m)?\.?$",
    re.I,
)


def parse_number(text: str) -> float:
    """A number from register text ("1,234.5", "0.42 ha", "£300"); ValueError when not one."""
    m = _NUMBER.match(text.strip().replace("\u00a0", " "))
    if not m:
        raise ValueError(text)
    return float(m.group(1).replace(",", ""))


def _text_warnings(row: int, col: str, value: str, issues: list[Issue]) -> str:
    if looks_like_formula(value) and not _looks_numeric(value):
        issues.append(
            Issue(
                row,
                col,
                f"begins with {value[0]!r} like a spreadsheet formula",
                "kept as text, never evaluated; neutralised with a leading apostrophe in CSV exports",
                "warning",
            )
        )
    if _HTML.search(value):
        issues.append(
            Issue(row, col, "contains HTML markup", "kept as plain text; shown escaped, never as HTML", "warning")
        )
    if len(value) > MAX_TEXT_CHARS:
        issues.append(Issue(row, col, f"{len(value)} characters long", f"cut to {MAX_TEXT_CHARS}", "warning"))
        value = value[:MAX_TEXT_CHARS]
    return value


def _looks_numeric(value: str) -> bool:
    try:
        parse_number(value)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------- rows


def _row_assets(
    table: _Table, mapping: dict[str, str], kind: str, partner: str, owner_type: str | None, issues: list[Issue]
) -> tuple[list[dict], int]:
    idx = {f: table.header.index(c) for f, c in mapping.items()}
    full_pc, outward_pc = _postcode_tables()
    seen_ids: dict[str, int] = {}
    out: list[dict] = []
    rejected = 0
    partner_type = owner_type or owner_type_from_text(partner)
    today = date.today().isoformat()
    errors = [0]
    for rownum, cells in table.rows:
        errs_before = errors[0]

        def cell(f: str, cells=cells) -> str | None:
            return cells[idx[f]] if f in idx else None

        def err(col_field: str | None, problem: str, rownum=rownum) -> None:
            errors[0] += 1
            issues.append(
                Issue(rownum, mapping.get(col_field) if col_field else None, problem, "row rejected", "error")
            )

        def warn(col_field: str | None, problem: str, action: str, rownum=rownum) -> None:
            issues.append(Issue(rownum, mapping.get(col_field) if col_field else None, problem, action, "warning"))

        rec: dict = {"row_number": rownum}
        for f in TEXT_FIELDS:
            v = cell(f)
            if v is not None:
                rec[f] = _text_warnings(rownum, mapping[f], v, issues)
        # identity
        aid = rec.get("asset_id")
        if aid is None:
            aid = f"{table.row_word}-{rownum}"
            if "asset_id" in mapping:
                warn("asset_id", "no asset id", f"given the id '{aid}'")
        elif aid in seen_ids:
            err("asset_id", f"asset id '{aid}' is already used on {table.row_word} {seen_ids[aid]}")
        else:
            seen_ids[aid] = rownum
        rec["asset_id"] = aid
        parts = [rec.get("street_number"), rec.get("street_name"), rec.get("town")]
        street = " ".join(p for p in parts[:2] if p)
        composed = ", ".join(p for p in [rec.get("address"), street or None, parts[2]] if p)
        rec["address"] = composed or None
        if not rec.get("name"):
            rec["name"] = rec["address"]
            if rec["name"] is None:
                err("name", "no name and no address")
        uprn = cell("uprn")
        if uprn is not None:
            key = uprn.replace(" ", "")
            if re.fullmatch(r"\d{1,12}", key):
                rec["uprn"] = key
            else:
                warn("uprn", f"'{uprn}' is not a UPRN (up to 12 digits)", "left empty")
        # numbers
        for f, (target, factor) in NUMBER_FIELDS.items():
            v = cell(f)
            if v is None:
                continue
            try:
                num = parse_number(v)
            except ValueError:
                err(f, f"'{v[:60]}' is not a number ({FIELD_LABELS[f]})")
                continue
            if num < 0:
                err(f, f"{FIELD_LABELS[f]} is negative ({v})")
                continue
            if target in rec and rec[target] is not None:
                continue
            rec[target] = num * factor
        # dates
        d = cell("source_date")
        if d:
            from anchormap.data.layers.land import iso_date

            rec["source_date"] = iso_date(d) or d[:10]
        rec.setdefault("source_date", today)
        # ownership, tenure, status
        if kind == "brownfield_register":
            ot, org = brownfield_ownership(rec.get("tenure"))
            rec["owner_type"] = ot
            rec["owner_organisation"] = org  # OrganisationLabel is the planning authority, not the owner
        else:
            given = rec.get("owner_type")
            ot = owner_type_from_text(given) if given else None
            if given and ot is None:
                warn("owner_type", f"owner type '{given}' not recognised", "inferred from the owner or partner")
            rec["owner_type"] = ot or owner_type_from_text(rec.get("owner_organisation")) or partner_type or "unknown"
            rec["owner_organisation"] = rec.get("owner_organisation") or partner
        status_text = rec.get("status")
        status = status_from_text(status_text) if status_text else None
        if status_text and status is None:
            warn("status", f"status '{status_text}' not recognised", "set to unknown")
        if status is None and not status_text:
            status = status_from_text(rec.get("holding_use")) if rec.get("holding_use") else None
            if status is None and kind == "brownfield_register":
                status = "occupied" if cell("end_date") else "brownfield_available"
        rec["status"] = status or "unknown"
        # location
        _locate(rec, cell, mapping, full_pc, outward_pc, err, warn)
        rec["partner"] = partner
        rec["source"] = "upload"
        if errors[0] > errs_before:
            rejected += 1
            if aid in seen_ids and seen_ids[aid] == rownum:
                del seen_ids[aid]
            continue
        for f in ("street_number", "street_name", "town"):
            rec.pop(f, None)
        out.append(rec)
    return out, rejected


def _locate(rec, cell, mapping, full_pc, outward_pc, err, warn) -> None:
    pairs = [("lat", "lon", "latlon"), ("easting", "northing", "en"), ("x", "y", "xy")]
    tried_outside = None
    for fa, fb, kind in pairs:
        va, vb = cell(fa), cell(fb)
        if va is None and vb is None:
            continue
        if va is None or vb is None:
            warn(
                fa if va is None else fb,
                f"only one of {FIELD_LABELS[fa]} and {FIELD_LABELS[fb]} given",
                "coordinates ignored",
            )
            continue
        try:
            a, b = parse_number(va), parse_number(vb)
        except ValueError:
            bad = fa if not _looks_numeric(va) else fb
            err(bad, f"'{(va if bad == fa else vb)[:40]}' is not a number ({FIELD_LABELS[bad]})")
            return
        if a == 0 and b == 0:
            warn(fa, "coordinates are 0, 0", "ignored")
            continue
        try:
            e, n, method, note = classify_pair(a, b, kind)
        except ValueError as exc:
            tried_outside = (fa, f"coordinates {va}, {vb} are {exc}")
            continue
        if not in_london(e, n):
            tried_outside = (fa, f"coordinates {va}, {vb} are outside London")
            continue
        if note:
            warn(fa, note, "corrected")
        rec.update(easting=round(e, 1), northing=round(n, 1), location_method=method)
        break
    else:
        mr = cell("map_reference")
        if mr:
            nums = re.findall(r"\d+(?:\.\d+)?", mr)
            if len(nums) == 2:
                try:
                    e, n, method, note = classify_pair(float(nums[0]), float(nums[1]), "en")
                    if not in_london(e, n):
                        raise ValueError("outside London")
                    rec.update(easting=round(e, 1), northing=round(n, 1), location_method="map reference")
                    if note:
                        warn("map_reference", note, "corrected")
                except ValueError as exc:
                    tried_outside = ("map_reference", f"map reference '{mr}' is {exc}")
            else:
                warn("map_reference", f"map reference '{mr}' is not two numbers (easting, northing)", "ignored")
    pc = cell("postcode")
    if pc:
        key = postcode_key(pc)
        if is_full_postcode(pc):
            rec["postcode"] = format_postcode(pc)
            hit = full_pc.get(key)
            if "easting" not in rec:
                if hit:
                    rec.update(easting=hit[0], northing=hit[1], location_method="postcode (Code-Point Open)")
                elif key[:-3] in outward_pc:
                    e, n = outward_pc[key[:-3]]
                    rec.update(easting=round(e, 1), northing=round(n, 1), location_method="outward code centroid")
                    warn(
                        "postcode",
                        f"postcode {rec['postcode']} is not in Code-Point Open (London)",
                        f"placed at the centroid of outward code {key[:-3]}: approximate, can be a kilometre or more out",
                    )
                elif tried_outside is None:
                    tried_outside = ("postcode", f"postcode {rec['postcode']} is not a London postcode")
        elif is_outward_code(pc):
            rec["postcode"] = key
            if "easting" not in rec:
                if key in outward_pc:
                    e, n = outward_pc[key]
                    rec.update(easting=round(e, 1), northing=round(n, 1), location_method="outward code centroid")
                    warn(
                        "postcode",
                        f"only the outward code '{key}' is given",
                        f"placed at the centroid of the {key} postcodes: approximate, can be a kilometre or more out",
                    )
                elif tried_outside is None:
                    tried_outside = ("postcode", f"outward code {key} is not in London")
        else:
            warn("postcode", f"'{pc[:20]}' is not a postcode", "ignored")
    if "easting" in rec:
        if tried_outside:
            warn(tried_outside[0], tried_outside[1], f"ignored; placed by {rec['location_method']}")
        return
    if tried_outside:
        reason = tried_outside[1]
        err(tried_outside[0], reason + (" (AnchorMap maps London only)" if "London" in reason else ""))
        return
    rec["on_map"] = False
    rec["not_on_map_reason"] = "no coordinates and no usable postcode in the upload"
    warn(None, "no coordinates and no usable postcode", "kept, listed as not on the map")


# ---------------------------------------------------------------------------- entry point


def read_upload(
    data: bytes,
    file_name: str,
    partner: str,
    *,
    mapping: dict[str, str] | None = None,
    owner_type: str | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> UploadResult:
    """Read and validate a register. Nothing is stored.

    ``data``: the file's bytes (CSV, XLSX or GeoJSON, told by name and content).
    ``partner``: the organisation submitting it (also the default owner).
    ``mapping``: field -> column name, to use instead of recognising headers (see :data:`ALIASES`).
    ``owner_type``: one of :data:`~anchormap.land.schema.OWNER_TYPES`, when the register's
    rows do not say; otherwise it is inferred from the owner or partner name.
    Raises :class:`UploadError` when the file as a whole cannot be used, and
    :class:`~anchormap.errors.UnreadableFileError` (naming the file) for any unforeseen failure.
    ``partner`` may be at most :data:`MAX_PARTNER_CHARS` characters.
    """
    name = Path(file_name or "upload").name
    try:
        return _read_upload(data, name, partner, mapping=mapping, owner_type=owner_type, max_bytes=max_bytes)
    except AnchorMapError:
        raise
    except Exception as exc:
        raise unexpected_file_error(name, exc) from exc


def _read_upload(
    data: bytes, file_name: str, partner: str, *, mapping: dict[str, str] | None, owner_type: str | None, max_bytes: int
) -> UploadResult:
    import hashlib

    file_name = Path(file_name or "upload").name
    partner = " ".join(str(partner or "").split())  # one line: it is shown and written in many places
    if not partner:
        msg = "Say which partner the register belongs to (the partner name is empty)."
        raise UploadError(msg)
    if len(partner) > MAX_PARTNER_CHARS:
        msg = f"The partner name is {len(partner)} characters long; give at most {MAX_PARTNER_CHARS}."
        raise UploadError(msg)
    if owner_type is not None and owner_type not in OWNER_TYPES:
        msg = f"Owner type '{owner_type}' is not one of {', '.join(OWNER_TYPES)}."
        raise UploadError(msg)
    check_file_bytes(
        data,
        file_name,
        max_bytes,
        error=UploadError,
        too_large_advice="Split the register into smaller files or remove unused columns.",
    )
    issues: list[Issue] = []
    kind_of_file = _kind_of(data, file_name)
    if kind_of_file == "geojson":
        table = _read_geojson(data, file_name, issues)
        if not table.rows:
            msg = f"{file_name} has no features."
            raise UploadError(msg)
    else:
        records = _read_xlsx(data, file_name, issues) if kind_of_file == "xlsx" else _read_csv(data, file_name, issues)
        table = _to_table(records, file_name, issues)
    columns = [h for h in table.header if not h.startswith("__geometry_")]
    if mapping:
        _check_mapping(mapping, table.header, file_name)
        used = dict(mapping)
        for g in ("x", "y", "easting", "northing"):
            col = f"__geometry_{g}"
            if col in table.header:
                used.setdefault(g, col)
    else:
        used = recognise_columns(table.header)
    kind = _register_kind(table.header, bool(mapping), kind_of_file == "geojson")
    sha = hashlib.sha256(data).hexdigest()
    missing = missing_fields(used)
    if missing:
        return UploadResult(
            file_name,
            partner,
            "needs_mapping",
            kind,
            columns,
            used,
            finalise(pd.DataFrame()),
            issues,
            len(table.rows),
            0,
            missing,
            sha,
        )
    if not table.rows:
        msg = f"{file_name} has a header row but no data rows."
        raise UploadError(msg)
    recs, rejected = _row_assets(table, used, kind, partner, owner_type, issues)
    assets = finalise(pd.DataFrame(recs)) if recs else finalise(pd.DataFrame())
    if "row_number" in assets.columns:
        assets["row_number"] = assets["row_number"].astype("Int64")
    return UploadResult(
        file_name, partner, "ready", kind, columns, used, assets, issues, len(table.rows), rejected, [], sha
    )
