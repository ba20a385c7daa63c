"""Reading untrusted, messy text tables (CSV files people export from spreadsheets).

The pieces every reader of such files needs, with no opinion on how a caller words its
report: a size and emptiness check of the bytes (:func:`check_file_bytes`), decoding with
a fallback for files that are not UTF-8 (:func:`decode_text`), telling binary files apart
(:func:`looks_binary`), guessing the delimiter (:func:`sniff_delimiter`) and the CSV records
with where each stands in the file (:func:`csv_rows`). Used by :mod:`anchormap.network.lists`
(a network's own list of sites) and :mod:`anchormap.land.ingest` (land registers).

Nothing here evaluates what the file says: cells are returned as text.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from anchormap.errors import AnchorMapError

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
