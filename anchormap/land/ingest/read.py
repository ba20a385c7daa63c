"""Reading stage of an ingest: an uploaded file's bytes to a table (CSV, GeoJSON; the kind of file).

The same readers serve land registers (:mod:`anchormap.land.ingest.register`) and network
lists (:mod:`anchormap.network.lists`): one size limit (:data:`MAX_UPLOAD_BYTES`) and
emptiness check (:func:`check_file_bytes`), decoding with a fallback for files that are not
UTF-8 (:func:`decode_text`, :func:`decode_upload`), telling binary files apart
(:func:`looks_binary`), the delimiter sniffed from the header and data lines
(:func:`sniff_delimiter`), the CSV records (:func:`csv_rows`, :func:`read_csv_records`), the kind
of an uploaded file (:func:`kind_of`, :data:`FILE_KINDS`), GeoJSON features
(:func:`read_geojson_table`) and the header found below any title rows (:func:`find_header`).
Spreadsheets are read in :mod:`~anchormap.land.ingest.workbooks`, GeoPackages and zipped
shapefiles in :mod:`~anchormap.land.ingest.gis`.

Nothing here evaluates what the file says: cells are returned as text.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from shapely.geometry import shape

from anchormap.errors import AnchorMapError
from anchormap.land.ingest.headers import GEOMETRY_PREFIX, header_score, normalise_header
from anchormap.land.ingest.report import Issue, UploadError

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ENCODING_LABELS = {
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO-8859-1)",
}
"""Names of the codecs :func:`decode_text` may use, as people know them."""
DELIMITERS = (",", ";", "\t", "|")
MB = 1024 * 1024
"""One MB as AnchorMap and Streamlit's uploader (``server.maxUploadSize``) count it: 1,048,576 bytes."""
MAX_UPLOAD_BYTES = 20 * MB
"""The largest file any upload (land register, network list) may be: 20 MB, as the uploader says."""
BINARY_SNIFF_BYTES = 4096
UPLOAD_ADVICE = (
    "Upload a CSV, an Excel (.xlsx, .xls) or OpenDocument (.ods) spreadsheet, a GeoJSON file, "
    "a GeoPackage (.gpkg) or a zipped shapefile (.zip)."
)
SNIFF_LINES = 20
"""How many non-blank lines :func:`sniff_delimiter` compares."""


def check_file_bytes(
    raw: bytes,
    who: str,
    max_bytes: int,
    *,
    too_large_advice: str = "",
    empty_advice: str = "",
    error: type[AnchorMapError] = AnchorMapError,
) -> None:
    """Raise ``error`` when ``raw`` is over ``max_bytes`` or holds nothing but white space.

    ``who`` names the file at the start of the message ("The file list.csv", "register.csv").
    Messages: "<who> is 21.5 MB; the limit is 20 MB." (sizes by :func:`size_text`, then
    ``too_large_advice``) and "<who> is empty." (or "<who> is empty: <empty_advice>").
    """
    check_size(len(raw), who, max_bytes, too_large_advice=too_large_advice, error=error)
    if not raw.strip():
        msg = f"{who} is empty: {empty_advice}" if empty_advice else f"{who} is empty."
        raise error(msg)


def check_size(
    n_bytes: int, who: str, max_bytes: int, *, too_large_advice: str = "", error: type[AnchorMapError] = AnchorMapError
) -> None:
    """Raise ``error`` ("<who> is 21.5 MB; the limit is 20 MB." and the advice) when ``n_bytes`` is over ``max_bytes``.

    For a file whose size is known before it is read (:func:`check_file_bytes` for bytes in hand).
    """
    if n_bytes > max_bytes:
        msg = f"{who} is {size_text(n_bytes)}; the limit is {size_text(max_bytes)}."
        if too_large_advice:
            msg += f" {too_large_advice}"
        raise error(msg)


def size_text(n_bytes: int) -> str:
    """A size in :data:`MB` (1,048,576 bytes), the way the uploader and every message say it.

    A whole number of MB is written without decimals; any other size with one decimal,
    rounded up, so that a file over a limit never reads as the limit itself.

    >>> size_text(MAX_UPLOAD_BYTES), size_text(MAX_UPLOAD_BYTES + 1), size_text(int(21.04 * MB))
    ('20 MB', '20.1 MB', '21.1 MB')
    """
    if n_bytes % MB == 0:
        return f"{n_bytes // MB} MB"
    return f"{math.ceil(n_bytes * 10 / MB) / 10:.1f} MB"


def looks_binary(raw: bytes) -> bool:
    """True when the start of ``raw`` holds NUL bytes and no UTF-16 byte-order mark (not text)."""
    return not raw.startswith(UTF16_BOMS) and b"\x00" in raw[:BINARY_SNIFF_BYTES]


@dataclass(frozen=True)
class DecodedText:
    """What :func:`decode_text` read: the text, the codec, and where UTF-8 failed.

    ``encoding`` is a key of :data:`ENCODING_LABELS`; ``not_utf8_at`` is the offset of the
    first byte that is not UTF-8 when a fallback codec was needed (None otherwise).
    """

    text: str
    encoding: str
    not_utf8_at: int | None = None

    @property
    def label(self) -> str:
        """The codec as people know it ("Windows-1252")."""
        return ENCODING_LABELS.get(self.encoding, self.encoding)


def decode_text(raw: bytes, fallbacks: Iterable[str] = ("cp1252",), *, utf16: bool = False) -> DecodedText:
    """The text of ``raw``: UTF-8 (a byte-order mark is dropped), else the first of ``fallbacks``
    that decodes every byte.

    With ``utf16``, bytes that begin with a UTF-16 byte-order mark are read as UTF-16 first.
    Raises the last fallback's UnicodeDecodeError when none of them reads the bytes (never
    with "latin-1" among the fallbacks: it decodes every byte).
    """
    if utf16 and raw.startswith(UTF16_BOMS):
        return DecodedText(raw.decode("utf-16"), "utf-16")
    try:
        return DecodedText(raw.decode("utf-8-sig"), "utf-8-sig")
    except UnicodeDecodeError as exc:
        not_utf8_at = exc.start
    failure: UnicodeDecodeError | None = None
    for encoding in fallbacks:
        try:
            return DecodedText(raw.decode(encoding), encoding, not_utf8_at)
        except UnicodeDecodeError as exc:
            failure = exc
    if failure is None:
        failure = UnicodeDecodeError("utf-8", raw, not_utf8_at, not_utf8_at + 1, "not UTF-8 and no fallback")
    raise failure


def sniff_delimiter(text: str, lines: int = SNIFF_LINES) -> str:
    r"""The delimiter (``,`` ``;`` tab ``|``) that splits the first ``lines`` non-blank lines alike.

    A title row above the header ("Brownfield land register 2019") has no delimiter, or a
    different number of them, so each delimiter is scored by how many lines hold its most
    common non-zero count, then by that count; ``,`` when no line holds any.

    >>> sniff_delimiter("Brownfield land register 2019\nSiteReference;SiteName, address;GeoX\nA;B, C;1\n")
    ';'
    >>> sniff_delimiter("name\n")
    ','
    """
    sample = [ln for ln in text.splitlines() if ln.strip()][:lines]
    best, best_score = ",", (0, 0)
    for d in DELIMITERS:
        counts = Counter(n for n in (ln.count(d) for ln in sample) if n)
        if counts:
            count, lines_alike = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            if (lines_alike, count) > best_score:
                best, best_score = d, (lines_alike, count)
    return best


def is_blank_row(cells: Iterable[object]) -> bool:
    """True when no cell holds anything but white space (None counts as empty)."""
    return not any(c is not None and str(c).strip() for c in cells)


@dataclass(frozen=True)
class CsvRow:
    """One CSV record: ``number`` counts records from 1 (the row number a spreadsheet shows),
    ``line`` is the file line on which the record ends (they differ after line breaks inside
    quoted cells)."""

    number: int
    line: int
    cells: list[str]


class CsvSyntaxError(ValueError):
    """The text is not valid CSV: ``line`` is the file line where reading stopped."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


def csv_rows(text: str, delimiter: str = ",") -> Iterator[CsvRow]:
    """Every record of ``text`` (blank ones too), read lazily. Raises :class:`CsvSyntaxError`."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for cells in reader:
            number += 1
            yield CsvRow(number, reader.line_num, cells)
    except csv.Error as exc:
        raise CsvSyntaxError(reader.line_num, str(exc)) from None


# --- files to tables ------------------------------------------------------------------------


@dataclass
class Table:
    """A file read as a table: the header (unique names) and the data rows under it.

    ``header_row`` is the header's row number (0 for GeoJSON); ``rows`` holds (row number as
    in the file, cells as text or None, as many as the header); ``row_word`` is how the file
    names a row in messages ("row", "feature").
    """

    header: list[str]
    header_row: int
    rows: list[tuple[int, list]]
    row_word: str = "row"


def cell_text(value: object) -> str | None:
    """A cell as text: numbers without a spurious ".0", dates in ISO form, blanks as None."""
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


def decode_upload(
    data: bytes,
    who: str,
    issues: list[Issue],
    *,
    fallbacks: tuple[str, ...] = ("cp1252", "latin-1"),
    advice: str = UPLOAD_ADVICE,
    error: type[AnchorMapError] = UploadError,
) -> DecodedText:
    """The text of an uploaded file (:func:`decode_text`), with a report line when it is not UTF-8.

    Raises ``error`` naming the file (``who``) when the bytes are binary, or none of the
    ``fallbacks`` reads them (never with "latin-1" among them), followed by ``advice``.
    """
    if looks_binary(data):
        msg = f"{who} is not a text CSV file (it contains binary data, e.g. an Excel workbook). {advice}"
        raise error(msg)
    try:
        decoded = decode_text(data, fallbacks=fallbacks, utf16=True)
    except UnicodeDecodeError as exc:
        names = " nor ".join(ENCODING_LABELS.get(f, f) for f in fallbacks)
        msg = f"{who} is neither UTF-8 nor {names} text (byte {exc.start}). {advice}"
        raise error(msg) from None
    if decoded.encoding == "utf-16":
        issues.append(Issue(None, None, "the file is UTF-16 text", "read as UTF-16", "note"))
    elif decoded.not_utf8_at is not None:
        issues.append(
            Issue(
                None,
                None,
                f"the file is not UTF-8 (byte {decoded.not_utf8_at} cannot be UTF-8)",
                f"read as {decoded.label} (codec {decoded.encoding}); check accented letters and £ signs in the result",
                "warning",
            )
        )
    return decoded


def read_csv_records(text: str, who: str, error: type[AnchorMapError] = UploadError) -> list[tuple[int, list]]:
    """(row number, cells) of every CSV record of ``text``, blank ones too; the delimiter is sniffed."""
    try:
        return [(row.number, [cell_text(c) for c in row.cells]) for row in csv_rows(text, sniff_delimiter(text))]
    except CsvSyntaxError as exc:
        msg = f"{who} cannot be read as CSV at line {exc.line}: {exc.reason}."
        raise error(msg) from None


def read_geojson_table(data: bytes, file_name: str, issues: list[Issue]) -> Table:
    """A GeoJSON FeatureCollection as a table: its properties, and a point of each geometry in
    two more columns (``__geometry_x``/``_y``, or ``_easting``/``_northing`` when it declares EPSG:27700)."""
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
    gx, gy = (
        (f"{GEOMETRY_PREFIX}easting", f"{GEOMETRY_PREFIX}northing")
        if bng
        else (f"{GEOMETRY_PREFIX}x", f"{GEOMETRY_PREFIX}y")
    )
    rows = []
    for i, f in enumerate(feats, start=1):
        props = (f or {}).get("properties") or {}
        cells = [
            cell_text(props.get(h)) if not isinstance(props.get(h), (dict, list)) else json.dumps(props.get(h))
            for h in header
        ]
        x = y = None
        geom = (f or {}).get("geometry")
        if geom:
            try:
                g = shape(geom)
                p = g if g.geom_type == "Point" else g.representative_point()
                x, y = cell_text(p.x), cell_text(p.y)
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
    return Table(header=[*header, gx, gy], header_row=0, rows=rows, row_word="feature")


def find_header(
    records: list[tuple[int, list]],
    who: str,
    issues: list[Issue],
    score: Callable[[list], int] = header_score,
    error: type[AnchorMapError] = UploadError,
) -> Table:
    """The table under the header among ``records`` (row number, cells).

    The header is the row among the first 20 non-blank ones that ``score`` rates highest (at
    least 2 known names; else the first non-blank row): title rows above it are skipped, as
    are blank rows and repeats of the header inside the data, each reported.
    """
    nonblank = [(i, r) for i, r in records if not is_blank_row(r)]
    if not nonblank:
        msg = f"{who} is empty: it has no header row and no data."
        raise error(msg)
    candidates = nonblank[:20]
    scored = [(score(r), n) for n, (_, r) in enumerate(candidates)]
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
    return Table(header=header, header_row=header_row, rows=rows)


FILE_KINDS = {
    "csv": "CSV",
    "xlsx": "Excel workbook (.xlsx)",
    "ods": "OpenDocument spreadsheet (.ods)",
    "xls": "old Excel workbook (.xls)",
    "geojson": "GeoJSON",
    "gpkg": "GeoPackage (.gpkg)",
    "shapefile_zip": "zipped shapefile (.zip)",
}
"""The kinds of file an upload may be (:func:`kind_of`), as people call them."""
UPLOAD_SUFFIXES = ("csv", "txt", "xlsx", "xlsm", "ods", "xls", "geojson", "json", "gpkg", "zip")
"""File name endings an upload box accepts (without the dot)."""
_SQLITE = b"SQLite format 3\x00"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def _zip_kind(data: bytes, suffix: str) -> str:
    """ "ods", "xlsx" or "shapefile_zip" for a zip archive, by its members (the name decides when unreadable)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            if "mimetype" in names:
                with zf.open("mimetype") as member:  # read a few bytes only: a member may be a zip bomb
                    if member.read(len(_ODS_MIME) + 8).strip() == _ODS_MIME:
                        return "ods"
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError):
        # a damaged file: the reader its name asks for says what is wrong with it
        return {".ods": "ods", ".zip": "shapefile_zip", ".gpkg": "gpkg", ".xls": "xls"}.get(suffix, "xlsx")
    if "[Content_Types].xml" in names or suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    return "shapefile_zip"


def kind_of(data: bytes, file_name: str) -> str:
    r"""The kind of file (a key of :data:`FILE_KINDS`), told by the first bytes, then the name.

    A zip is an .xlsx or .ods workbook by its members, else a zipped shapefile; a SQLite file
    is a GeoPackage; old Excel .xls files are told by their signature.

    >>> kind_of(b"name,postcode\n", "r.csv"), kind_of(b'{"type": "FeatureCollection"}', "r.json")
    ('csv', 'geojson')
    """
    suffix = Path(file_name).suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm", ".ods", ".zip"):
        return _zip_kind(data, suffix)
    if data[:16] == _SQLITE or suffix == ".gpkg":
        return "gpkg"
    if suffix == ".xls" or data[:8] == _OLE2:
        return "xls"
    if suffix in (".geojson", ".json") or data.lstrip()[:1] == b"{":
        return "geojson"
    return "csv"


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
