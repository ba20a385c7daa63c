"""Ingesting uploaded files: land registers and network lists, through the same stages.

1. read (:mod:`~anchormap.land.ingest.tables`): bytes to a table, by kind of file: CSV and
   GeoJSON (:mod:`~anchormap.land.ingest.read`: encodings, delimiter, title rows), .xlsx, .ods
   and .xls sheets (:mod:`~anchormap.land.ingest.workbooks`), GeoPackage layers and zipped
   shapefiles (:mod:`~anchormap.land.ingest.gis`); the part that holds the register is picked
   or asked for (:mod:`~anchormap.land.ingest.choice`); one size limit :data:`MAX_UPLOAD_BYTES`;
2. recognise headers (:mod:`~anchormap.land.ingest.headers`): one :func:`normalise_header`,
   the register fields (:data:`ALIASES`, :data:`FIELD_LABELS`), a person's own mapping
   (:func:`parse_mapping`);
3. validate (:mod:`~anchormap.land.ingest.register`): a register's rows into the land schema;
4. locate (:mod:`~anchormap.land.ingest.locate`): one locator, coordinates or postcode into London;
5. report (:mod:`~anchormap.land.ingest.report`): one :class:`Issue` type (row, column,
   problem, action, severity).

Land registers enter through :func:`read_upload`; network lists through
:func:`anchormap.network.lists.read_network_csv`, which uses the same readers, header
normaliser, locator, report type and limit. The names below are the ones pages and the
command line use.
"""

from anchormap.land.ingest.choice import ChoiceNeeded
from anchormap.land.ingest.headers import (
    ALIASES,
    FIELD_LABELS,
    field_of_header,
    header_words,
    merge_mapping,
    normalise_header,
    parse_mapping,
    suggest_field,
)
from anchormap.land.ingest.read import FILE_KINDS, MAX_UPLOAD_BYTES, UPLOAD_SUFFIXES, size_text
from anchormap.land.ingest.register import (
    MAX_PARTNER_CHARS,
    UploadResult,
    check_register_size,
    parse_status_map,
    read_upload,
)
from anchormap.land.ingest.report import Issue, UploadError, report_for_people

__all__ = [
    "report_for_people",
    "ALIASES",
    "FILE_KINDS",
    "FIELD_LABELS",
    "MAX_PARTNER_CHARS",
    "MAX_UPLOAD_BYTES",
    "UPLOAD_SUFFIXES",
    "ChoiceNeeded",
    "Issue",
    "UploadError",
    "UploadResult",
    "check_register_size",
    "field_of_header",
    "header_words",
    "merge_mapping",
    "normalise_header",
    "parse_mapping",
    "parse_status_map",
    "read_upload",
    "suggest_field",
    "size_text",
]
