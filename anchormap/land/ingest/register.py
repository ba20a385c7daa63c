"""Validating stage of a land register ingest, and its entry point :func:`read_upload`.

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

Locations come from the one locator (:func:`anchormap.land.ingest.locate.locate_row`):
coordinates, a map reference, then the postcode (an outward code alone, e.g. "SE6", or a
postcode Code-Point Open lacks, is placed at the mean of its district's postcodes, and the
report says so). Points outside London are rejected; rows with no usable location are kept
and listed as not on the map.

Messy files handled: non-UTF-8 text (read as Windows-1252, or Latin-1), title rows above the
header, the header repeated inside the data, blank rows, line breaks inside quoted cells,
``;``/tab delimiters. Text is kept as text: cells that begin like a spreadsheet formula
(:func:`anchormap.data.exports.looks_like_formula`) are never evaluated (CSV exports
neutralise them) and HTML in names is stored as plain text (escape it when rendering).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd

from anchormap.data.exports import looks_like_formula
from anchormap.data.layers.land import iso_date
from anchormap.errors import AnchorMapError, unexpected_file_error
from anchormap.geo.postcodes import postcode_index
from anchormap.land.ingest.headers import (
    FIELD_LABELS,
    check_mapping,
    merge_mapping,
    missing_fields,
    recognise_columns,
    register_kind,
)
from anchormap.land.ingest.locate import Acceptance, locate_row, london_area
from anchormap.land.ingest.read import (
    GEOMETRY_PREFIX,
    MAX_UPLOAD_BYTES,
    Table,
    check_file_bytes,
    check_size,
    parse_number,
)
from anchormap.land.ingest.report import Issue, UploadError, report_frame
from anchormap.land.ingest.tables import geometry_column_words, read_register_table
from anchormap.land.schema import (
    EXTRA_COLUMN,
    OWNER_TYPES,
    STATUSES,
    brownfield_ownership,
    extra_json,
    finalise,
    owner_type_from_text,
    status_from_text,
    status_from_value,
    status_key,
)

TOO_LARGE_ADVICE = "Split the register into smaller files or remove unused columns."
LONDON_MARGIN_M = 250.0
"""Uploaded points up to this many metres outside the boroughs count as in London."""
ACCEPT = Acceptance(district=True, keep_unplaced=True, reject_action="row rejected")
"""A register row may be placed at its postcode district's mean, and is kept (not on the map) when it cannot be placed."""
MAX_TEXT_CHARS = 1000
MAX_PARTNER_CHARS = 200
"""Longest partner (organisation) name accepted, in characters."""
_HTML = re.compile(r"<\s*[a-zA-Z!/][^>]*>")


NUMBER_FIELDS = {
    "site_area_ha": ("site_area_ha", 1.0),
    "site_area_m2": ("site_area_ha", 1e-4),
    "site_area_acres": ("site_area_ha", 0.40468564224),
    "floor_area_m2": ("floor_area_m2", 1.0),
    "floor_area_sqft": ("floor_area_m2", 0.09290304),
    "empty_floor_area_m2": ("empty_floor_area_m2", 1.0),
    "empty_floor_area_sqft": ("empty_floor_area_m2", 0.09290304),
    "under_used_floor_area_m2": ("under_used_floor_area_m2", 1.0),
    "under_used_floor_area_sqft": ("under_used_floor_area_m2", 0.09290304),
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
KEPT_AS_EXTRA = ("end_date",)
"""Fields read for a purpose (an end date only sets a brownfield site's status) whose column is also
kept as an extra attribute, since the schema has no place for it."""


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
    extra_columns: list[str] = field(default_factory=list)
    """The file's columns no field took, kept with each asset as extra attributes."""
    unknown_values: dict[str, int] = field(default_factory=dict)
    """Status values not understood (as first written in the file) -> how many rows have them."""
    status_map: dict[str, str] = field(default_factory=dict)
    """The person's value -> status map this check was read with."""

    @property
    def rows_accepted(self) -> int:
        return len(self.assets)

    def report(self) -> pd.DataFrame:
        """The validation report: row, column, problem, action, severity (:func:`report_frame`)."""
        return report_frame(self.issues)

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
            "column_mapping": "a register with columns chosen by hand (and the others recognised)",
        }.get(self.register_kind, self.register_kind)
        text = (
            f"{self.file_name}: read as {kind}. {self.rows_read} rows read, {self.rows_accepted} valid, "
            f"{self.rows_rejected} rejected ({errors} errors, {warnings} warnings)."
        )
        if self.unknown_values:
            shown = ", ".join(f"'{v}' ({n} row{'s' if n != 1 else ''})" for v, n in self.unknown_values.items())
            text += f" Status values not understood (set to unknown): {shown}."
        if self.extra_columns:
            text += f" Kept as extra attributes: {', '.join(self.extra_columns)}."
        return text


# ---------------------------------------------------------------------------- values


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
    table: Table,
    mapping: dict[str, str],
    kind: str,
    partner: str,
    owner_type: str | None,
    issues: list[Issue],
    status_map: dict[str, str] | None = None,
) -> tuple[list[dict], int, dict[str, list[int]]]:
    """The valid rows as records, how many were rejected, and status values not understood -> rows."""
    idx = {f: table.header.index(c) for f, c in mapping.items()}
    used_cols = {c for f, c in mapping.items() if f not in KEPT_AS_EXTRA}
    extra_idx = [(n, h) for n, h in enumerate(table.header) if h not in used_cols and not h.startswith(GEOMETRY_PREFIX)]
    value_map = {status_key(k): v for k, v in (status_map or {}).items()}
    status_header = mapping.get("status")
    unknown: dict[str, list[int]] = {}
    spelling: dict[str, str] = {}
    london = london_area(LONDON_MARGIN_M)
    postcodes = postcode_index()
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
        status = None
        if status_text:
            status = value_map.get(status_key(status_text)) or status_from_value(status_text, status_header)
            if status is None:
                key = status_key(status_text)
                spelling.setdefault(key, status_text)
                unknown.setdefault(spelling[key], []).append(rownum)
        if status is None and not status_text:
            status = status_from_text(rec.get("holding_use")) if rec.get("holding_use") else None
            if status is None and kind == "brownfield_register":
                status = "occupied" if cell("end_date") else "brownfield_available"
        rec["status"] = status or "unknown"
        if (
            rec["status"] == "vacant"
            and rec.get("floor_area_m2") is not None
            and rec.get("empty_floor_area_m2") is None
            and cell("empty_floor_area_m2") is None
            and cell("empty_floor_area_sqft") is None
        ):
            rec["empty_floor_area_m2"] = rec["floor_area_m2"]
            issues.append(
                Issue(
                    rownum,
                    status_header or mapping.get("holding_use"),
                    f"vacant, with a floor area of {rec['floor_area_m2']:,.0f} m² and no empty floor area given",
                    f"empty floor area taken as the whole floor area ({rec['floor_area_m2']:,.0f} m²)",
                    "note",
                )
            )
        extra = {}
        for n, h in extra_idx:
            v = cells[n]
            if v is not None and str(v).strip():
                extra[h] = _text_warnings(rownum, h, str(v).strip(), issues)
        rec[EXTRA_COLUMN] = extra_json(extra)
        # location
        where = locate_row(
            cell, lambda fields: mapping.get(fields[0]) if fields else None, rownum, london, postcodes, ACCEPT
        )
        issues.extend(where.issues)
        errors[0] += where.rejected
        if where.postcode:
            rec["postcode"] = where.postcode
        if where.placed:
            rec.update(easting=where.easting, northing=where.northing, location_method=where.method)
        else:
            rec["on_map"] = False
            rec["not_on_map_reason"] = "no coordinates and no usable postcode in the upload"
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
    return out, rejected, unknown


def _report_unknown_values(column: str | None, unknown: dict[str, list[int]], issues: list[Issue]) -> None:
    """One warning per status value not understood: which value, how many rows, how to map it."""
    for value, rows in unknown.items():
        shown = ", ".join(map(str, rows[:10])) + (", ..." if len(rows) > 10 else "")
        issues.append(
            Issue(
                None,
                column,
                f"status value '{value}' not understood ({len(rows)} row(s): {shown})",
                f"set to unknown; say which status it means ({', '.join(STATUSES)}) in the form on the page "
                f'or with --status-map "{value}=vacant" on the command line',
                "warning",
            )
        )


def parse_status_map(pairs: list[str] | dict[str, str]) -> dict[str, str]:
    """A person's status values map: ``["Mothballed=vacant"]`` -> ``{"Mothballed": "vacant"}``.

    Parameters
    ----------
    pairs : list of str or dict
        ``VALUE=STATUS`` texts (the last ``=`` splits, so a value may hold one), or a dict.
        A status may be written as in :data:`~anchormap.land.schema.STATUSES` or in words
        ("Under used", "closed building").

    Returns
    -------
    dict of str to str
        Value as written -> a value of :data:`~anchormap.land.schema.STATUSES`.

    Raises
    ------
    UploadError
        When a text has no ``=``, the value is empty, or the status is not one of the statuses.

    Examples
    --------
    >>> parse_status_map(["Mothballed=vacant", "Held for future use = Under used"])
    {'Mothballed': 'vacant', 'Held for future use': 'under_used'}
    """
    items = list(pairs.items()) if isinstance(pairs, dict) else []
    if not isinstance(pairs, dict):
        for p in pairs:
            if "=" not in p:
                msg = f"Status mapping '{p}' should be VALUE=STATUS, e.g. \"Mothballed=vacant\"."
                raise UploadError(msg)
            items.append(tuple(p.rsplit("=", 1)))
    out = {}
    for value, status in items:
        value = " ".join(str(value).split())
        key = "_".join(re.sub(r"[^a-z0-9]+", " ", str(status).lower()).split())
        if not value:
            msg = f"Status mapping '{value}={status}' has no value before the '='."
            raise UploadError(msg)
        if key not in STATUSES:
            msg = f"Status mapping '{value}={status}': '{status}' is not a status. Statuses: {', '.join(STATUSES)}."
            raise UploadError(msg)
        out[value] = key
    return out


# ---------------------------------------------------------------------------- entry point


def check_register_size(n_bytes: int, file_name: str) -> None:
    """Raise :class:`UploadError` when a register of ``n_bytes`` bytes is over :data:`MAX_UPLOAD_BYTES`
    (for a file not read yet; :func:`read_upload` checks the bytes it is given the same way)."""
    check_size(n_bytes, file_name, MAX_UPLOAD_BYTES, too_large_advice=TOO_LARGE_ADVICE, error=UploadError)


def read_upload(
    data: bytes,
    file_name: str,
    partner: str,
    *,
    mapping: dict[str, str] | None = None,
    owner_type: str | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
    sheet: str | None = None,
    status_map: dict[str, str] | None = None,
    keep_recognised: bool = True,
) -> UploadResult:
    """Read and validate a register. Nothing is stored.

    Parameters
    ----------
    data : bytes
        The file's bytes: CSV, Excel (.xlsx, .xls), OpenDocument (.ods), GeoJSON, GeoPackage
        (.gpkg) or a zipped shapefile (.zip), told by content and name
        (:func:`anchormap.land.ingest.tables.read_register_table`).
    file_name : str
        Its name, shown in messages (any folders are dropped).
    partner : str
        The organisation submitting it (also the default owner), at most
        :data:`MAX_PARTNER_CHARS` characters.
    mapping : dict, optional
        Field -> column name. It adds to the columns recognised by their headers
        (:data:`anchormap.land.ingest.headers.ALIASES`): a field mapped here takes this
        column, and a column mapped here is not used for another field
        (:func:`~anchormap.land.ingest.headers.merge_mapping`).
    owner_type : str, optional
        One of :data:`~anchormap.land.schema.OWNER_TYPES`, when the register's rows do not
        say; otherwise it is inferred from the owner or partner name.
    max_bytes : int
        The size limit (default :data:`MAX_UPLOAD_BYTES`, 20 MB of 1,048,576 bytes).
    sheet : str, optional
        The sheet of a workbook, layer of a GeoPackage or shapefile in a zip that holds the
        register; by default the one whose header is recognised best.
    status_map : dict, optional
        Status value as the file writes it -> a status of
        :data:`~anchormap.land.schema.STATUSES` (case and spacing ignored; see
        :func:`parse_status_map`). It wins over how the value would be read otherwise.
    keep_recognised : bool
        False: use ``mapping`` alone, every field it lacks left out (the page's form, which
        shows every column's guess, sends a whole mapping).

    Returns
    -------
    UploadResult
        The valid rows in the land schema (points in EPSG:27700 metres), with the columns no
        field took kept as extra attributes (:data:`~anchormap.land.schema.EXTRA_COLUMN`), and
        the report: one line per problem, one per status value not understood (with its rows),
        a note per vacant building whose floor area is counted as empty, and a note naming
        the columns kept as extra attributes.

    Raises
    ------
    UploadError
        When the file as a whole cannot be used (the message names the file and says what to do).
    anchormap.land.ingest.choice.ChoiceNeeded
        An UploadError raised when several sheets, layers or shapefiles could be the register
        and ``sheet`` does not say which (its ``choices`` lists them).
    anchormap.errors.UnreadableFileError
        Naming the file, for any unforeseen failure.
    """
    name = Path(file_name or "upload").name
    try:
        result = _read_upload(
            data,
            name,
            partner,
            mapping=mapping,
            owner_type=owner_type,
            max_bytes=max_bytes,
            sheet=sheet,
            status_map=parse_status_map(status_map or {}),
            keep_recognised=keep_recognised,
        )
    except AnchorMapError:
        raise
    except Exception as exc:
        raise unexpected_file_error(name, exc) from exc
    geometry_column_words(result.issues)
    return result


def _read_upload(
    data: bytes,
    file_name: str,
    partner: str,
    *,
    mapping: dict[str, str] | None,
    owner_type: str | None,
    max_bytes: int,
    sheet: str | None = None,
    status_map: dict[str, str] | None = None,
    keep_recognised: bool = True,
) -> UploadResult:
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
    check_file_bytes(data, file_name, max_bytes, error=UploadError, too_large_advice=TOO_LARGE_ADVICE)
    issues: list[Issue] = []
    kind_of_file, table = read_register_table(data, file_name, issues, sheet)
    columns = [h for h in table.header if not h.startswith(GEOMETRY_PREFIX)]
    used = _columns_to_fields(table, mapping, keep_recognised, file_name)
    kind = register_kind(table.header, bool(mapping), kind_of_file == "geojson")
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
    recs, rejected, unknown = _row_assets(table, used, kind, partner, owner_type, issues, status_map)
    _report_unknown_values(used.get("status"), unknown, issues)
    _report_status_map(status_map or {}, table, used, issues)
    extras = _extra_columns(table, used)
    if extras:
        issues.append(
            Issue(
                None,
                ", ".join(extras),
                f"{len(extras)} column(s) with no field: {', '.join(extras)}",
                "kept as extra attributes (shown in the map's pop-ups and written in exports)",
                "note",
            )
        )
    assets = finalise(pd.DataFrame(recs)) if recs else finalise(pd.DataFrame())
    if "row_number" in assets.columns:
        assets["row_number"] = assets["row_number"].astype("Int64")
    return UploadResult(
        file_name,
        partner,
        "ready",
        kind,
        columns,
        used,
        assets,
        issues,
        len(table.rows),
        rejected,
        [],
        sha,
        extra_columns=extras,
        unknown_values={v: len(rows) for v, rows in unknown.items()},
        status_map=dict(status_map or {}),
    )


def _columns_to_fields(table: Table, mapping: dict[str, str] | None, keep_recognised: bool, file_name: str):
    """Field -> column: the recognised columns with a person's ``mapping`` added (or it alone)."""
    recognised = recognise_columns(table.header)
    if not mapping:
        return recognised if keep_recognised else {}
    check_mapping(mapping, table.header, file_name)
    if keep_recognised:
        return merge_mapping(recognised, mapping)
    used = dict(mapping)
    for col in table.header:  # what the file's geometry gives (a point, a polygon's area) stays
        if col.startswith(GEOMETRY_PREFIX):
            used.setdefault(col.removeprefix(GEOMETRY_PREFIX), col)
    return used


def _extra_columns(table: Table, used: dict[str, str]) -> list[str]:
    """The columns (in the file's order) no field took, or only a field the schema does not keep."""
    taken = {c for f, c in used.items() if f not in KEPT_AS_EXTRA}
    return [h for h in table.header if h not in taken and not h.startswith(GEOMETRY_PREFIX)]


def _report_status_map(status_map: dict[str, str], table: Table, used: dict[str, str], issues: list[Issue]) -> None:
    """A note for each value of a person's status map that no row of the status column has."""
    if not status_map:
        return
    col = used.get("status")
    if col is None:
        issues.append(
            Issue(None, None, "a status mapping was given but no column holds the status", "not used", "note")
        )
        return
    n = table.header.index(col)
    present = {status_key(cells[n]) for _, cells in table.rows if cells[n] is not None}
    for value in status_map:
        if status_key(value) not in present:
            issues.append(Issue(None, col, f"status mapping '{value}': no row has that value", "not used", "note"))
