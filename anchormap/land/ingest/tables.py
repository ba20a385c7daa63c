"""Any uploaded register to one table: the file's kind decides the reader, the rest is the same.

:func:`read_register_table` tells the kind of file (:func:`~anchormap.land.ingest.read.kind_of`)
and reads it: CSV text (:mod:`~anchormap.land.ingest.read`), a sheet of an .xlsx, .ods or .xls
workbook (:mod:`~anchormap.land.ingest.workbooks`), GeoJSON features, or the features of a
GeoPackage layer or zipped shapefile (:mod:`~anchormap.land.ingest.gis`). Spreadsheets and CSV
go through the same header search (title rows skipped), and every kind drops the register
template's notes row (:func:`anchormap.land.template.drop_notes_row`), so the validation that
follows sees one kind of table and writes one kind of report.

Row numbers are what a person sees in their own tool: the spreadsheet's row number for CSV,
XLSX, ODS and XLS; the feature number (1 for the first) for GeoJSON, GeoPackage and shapefile.
"""

from __future__ import annotations

import re

from anchormap.land.ingest.gis import read_gis_table
from anchormap.land.ingest.headers import GEOMETRY_PREFIX
from anchormap.land.ingest.read import Table, decode_upload, find_header, kind_of, read_csv_records, read_geojson_table
from anchormap.land.ingest.report import Issue, UploadError
from anchormap.land.ingest.workbooks import WORKBOOK_KINDS, read_workbook_records
from anchormap.land.template import TEMPLATE_HEADERS, drop_notes_row

_GEOMETRY_COLUMN = re.compile(re.escape(GEOMETRY_PREFIX) + r"\w+(, " + re.escape(GEOMETRY_PREFIX) + r"\w+)?")


def read_register_table(
    data: bytes, file_name: str, issues: list[Issue], sheet: str | None = None
) -> tuple[str, Table]:
    """The kind of file and its table.

    Parameters
    ----------
    data : bytes
        The file.
    file_name : str
        Named in messages.
    issues : list of Issue
        The report, added to.
    sheet : str, optional
        The sheet of a workbook, layer of a GeoPackage or shapefile in a zip to read (by
        name); by default the one whose header is recognised best.

    Returns
    -------
    tuple of (str, Table)
        A key of :data:`~anchormap.land.ingest.read.FILE_KINDS`, and the table.

    Raises
    ------
    UploadError
        When the file cannot be read (the message names it).
    anchormap.land.ingest.choice.ChoiceNeeded
        When several sheets, layers or shapefiles could be the register and ``sheet`` is not given.
    """
    kind = kind_of(data, file_name)
    if kind == "geojson":
        table = read_geojson_table(data, file_name, issues)
        if not table.rows:
            msg = f"{file_name} has no features."
            raise UploadError(msg)
    elif kind in ("gpkg", "shapefile_zip"):
        table = read_gis_table(data, file_name, issues, kind, sheet, TEMPLATE_HEADERS)
    else:
        if kind in WORKBOOK_KINDS:
            records = read_workbook_records(data, file_name, issues, kind, sheet)
        else:
            records = read_csv_records(decode_upload(data, file_name, issues).text, file_name)
        table = find_header(records, file_name, issues)
    return kind, drop_notes_row(table, issues)


def geometry_column_words(issues: list[Issue]) -> None:
    """Name the columns a reader adds for a feature's point "geometry" in report lines (in place).

    >>> found = [Issue(3, "__geometry_easting, __geometry_northing", "outside London", "row rejected", "error")]
    >>> geometry_column_words(found); found[0].column
    'geometry'
    """
    for issue in issues:
        if issue.column and GEOMETRY_PREFIX in issue.column:
            issue.column = _GEOMETRY_COLUMN.sub("geometry", issue.column)
