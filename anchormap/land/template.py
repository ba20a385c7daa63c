"""The register template: a CSV or Excel file with the Transparency Code headers and a notes row.

The Local Government Transparency Code 2015 asks councils to publish their land and building
assets with a UPRN, a unique asset identity, the name of the building or land, its street
number, street name, post town and postcode, a map reference (easting and northing), whether it
is land only or land and building, its tenure type and its holding type. The template has those
headers, spelt so that the importer recognises each of them
(:func:`anchormap.land.ingest.headers.recognise_columns`), plus the columns AnchorMap uses
for unused space (status, areas, owner, date). Under the header is a notes row saying what
each column holds, in what units, and which status words are understood; the importer knows
that row and skips it (:func:`drop_notes_row`), so a template filled in below it imports as it
is.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, replace

from anchormap.land.filters import OWNER_TYPE_LABELS, STATUS_LABELS
from anchormap.land.ingest.headers import normalise_header
from anchormap.land.ingest.read import Table
from anchormap.land.ingest.report import Issue

TEMPLATE_FORMATS = ("csv", "xlsx")
"""The template's file kinds."""
TEMPLATE_NAMES = {"csv": "anchormap_register_template.csv", "xlsx": "anchormap_register_template.xlsx"}
"""The file name each kind is offered under."""
TEMPLATE_MIME_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
"""The media type of each kind, for a download."""
NOTES_MARK = "Notes row (AnchorMap skips this row):"
"""How the first note begins, so that the row is known even when other notes were edited."""
REGISTER_SHEET = "Register"
ABOUT_SHEET = "About"

_STATUS_WORDS = ", ".join(v for k, v in STATUS_LABELS.items() if k not in ("unknown", "brownfield_available"))
_OWNER_WORDS = ", ".join(v for k, v in OWNER_TYPE_LABELS.items() if k != "unknown")


@dataclass(frozen=True)
class TemplateColumn:
    """One column of the template: its header, the field it fills and its note."""

    header: str
    field: str | None
    note: str


TEMPLATE_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn(
        "UPRN", "uprn", f"{NOTES_MARK} Unique Property Reference Number, up to 12 digits; blank if it has none."
    ),
    TemplateColumn(
        "Unique Asset Identity", "asset_id", "Your own reference for the asset, different on every row, e.g. A0042."
    ),
    TemplateColumn(
        "Name of Building/Land", "name", "What the site is called, e.g. Catford Library. Needed, or the address."
    ),
    TemplateColumn("Street Number", "street_number", "The number (or number range) in the street, e.g. 12-14."),
    TemplateColumn("Street Name", "street_name", "The street, e.g. Rushey Green."),
    TemplateColumn("Post Town", "town", "The post town, e.g. London."),
    TemplateColumn(
        "Post Code", "postcode", "The full postcode, e.g. SE6 4RU; it places the site when there is no map reference."
    ),
    TemplateColumn(
        "Map Reference Easting",
        "easting",
        "British National Grid easting in metres (EPSG:27700), e.g. 537900; eastings come before northings.",
    ),
    TemplateColumn(
        "Map Reference Northing", "northing", "British National Grid northing in metres (EPSG:27700), e.g. 173500."
    ),
    TemplateColumn(
        "Land Only or Land and Building", None, "Land only, or Land and building (kept with the asset as written)."
    ),
    TemplateColumn("Tenure Type", "tenure", "Freehold or Leasehold."),
    TemplateColumn(
        "Holding Type",
        "holding_use",
        "How it is held or used, e.g. Operational - library, Let to a third party, Non-operational.",
    ),
    TemplateColumn(
        "Status",
        "status",
        f"Whether the space is used, one of: {_STATUS_WORDS}. Blank: worked out from the holding type.",
    ),
    TemplateColumn("Site Area (ha)", "site_area_ha", "Land area in hectares (1 ha = 10,000 m²), e.g. 0.42."),
    TemplateColumn(
        "Gross Internal Area (m2)", "floor_area_m2", "Floor area of the buildings in square metres, e.g. 1250."
    ),
    TemplateColumn(
        "Empty Floor Area (m2)", "empty_floor_area_m2", "Floor area not in use, in square metres, e.g. 300."
    ),
    TemplateColumn(
        "Owner Organisation",
        "owner_organisation",
        "The organisation that owns it; blank: the partner that uploads the register.",
    ),
    TemplateColumn("Owner Type", "owner_type", f"One of: {_OWNER_WORDS}; blank: worked out from the owner's name."),
    TemplateColumn("Last Updated", "source_date", "When the row was last checked, as a date, e.g. 2025-03-31."),
)
"""The template's columns in order: Transparency Code 2015 fields, then AnchorMap's."""

TEMPLATE_HEADERS = tuple(c.header for c in TEMPLATE_COLUMNS)
"""The template's header row."""
ABOUT_LINES = (
    "AnchorMap register template",
    "One row per building or piece of land, below the notes row on the Register sheet.",
    "The columns from UPRN to Holding Type are the Local Government Transparency Code 2015 land and building "
    "asset fields; Status, the areas, the owner and the date say how much space is unused.",
    "Give a map reference (easting and northing) or a postcode for each row so the site can be placed on the map.",
    "Upload the filled-in file on the Shared land page (Add a partner's register) or with: "
    "anchormap land import FILE --partner NAME",
    "Keep the header row as it is; the notes row may stay (it is skipped) or be deleted.",
)


def template_csv() -> bytes:
    """The template as CSV: UTF-8 with a byte-order mark, RFC 4180 (CRLF line ends), header and notes row.

    Returns
    -------
    bytes

    Examples
    --------
    >>> template_csv().decode("utf-8-sig").splitlines()[0].split(",")[:3]
    ['UPRN', 'Unique Asset Identity', 'Name of Building/Land']
    """
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerow([c.note for c in TEMPLATE_COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """The template as an Excel workbook: a Register sheet (header, notes row, frozen) and an About sheet.

    Returns
    -------
    bytes
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = REGISTER_SHEET
    ws.append(list(TEMPLATE_HEADERS))
    ws.append([c.note for c in TEMPLATE_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for cell in ws[2]:
        cell.font = Font(italic=True, color="555555")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.data_type = "s"
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = 24
    ws.freeze_panes = "A3"
    about = wb.create_sheet(ABOUT_SHEET)
    for line in ABOUT_LINES:
        about.append([line])
    about.column_dimensions["A"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@functools.cache
def template_bytes(fmt: str) -> bytes:
    """The template in ``fmt`` (one of :data:`TEMPLATE_FORMATS`), made once per process (the Shared
    land page offers it on every run).

    Raises
    ------
    ValueError
        For any other format.
    """
    if fmt == "csv":
        return template_csv()
    if fmt == "xlsx":
        return template_xlsx()
    msg = f"The template is made as {' or '.join(TEMPLATE_FORMATS)}, not {fmt!r}."
    raise ValueError(msg)


_NOTES = {normalise_header(c.header): " ".join(c.note.split()) for c in TEMPLATE_COLUMNS}


def is_notes_row(header: list[str], cells: list) -> bool:
    """True when ``cells`` is the template's notes row under ``header``.

    It is when a cell begins with :data:`NOTES_MARK`, or when at least half of its filled
    cells are the template's note for their column.

    >>> is_notes_row(list(TEMPLATE_HEADERS), [c.note for c in TEMPLATE_COLUMNS])
    True
    >>> is_notes_row(list(TEMPLATE_HEADERS), ["100021", "A1", "Catford Library"])
    False
    """
    filled = [(h, " ".join(str(c).split())) for h, c in zip(header, cells) if c is not None and str(c).strip()]
    if not filled:
        return False
    if any(text.startswith(NOTES_MARK) for _, text in filled):
        return True
    same = sum(_NOTES.get(normalise_header(h)) == text for h, text in filled)
    return same * 2 >= len(filled)


def drop_notes_row(table: Table, issues: list[Issue]) -> Table:
    """``table`` without the template's notes row (the first data row, if it is one); the report notes it.

    Parameters
    ----------
    table : Table
        A file read as a table.
    issues : list of Issue
        The report.

    Returns
    -------
    Table
    """
    if not table.rows or not is_notes_row(table.header, table.rows[0][1]):
        return table
    row = table.rows[0][0]
    issues.append(Issue(row, None, "the register template's notes row", "skipped", "note"))
    return replace(table, rows=table.rows[1:])
