"""Reading spreadsheets: every sheet of an Excel .xlsx, an OpenDocument .ods or an old Excel
.xls workbook as rows, and the sheet that holds the register.

Rows keep the row numbers the spreadsheet shows (row 1 is the top row), so a report line
"row 12" is row 12 in Excel or LibreOffice. Cells are text (:func:`cell_text`); formulas are
never evaluated (an .xlsx formula cell is read as its formula text).
"""

from __future__ import annotations

import io

from anchormap.land.ingest.choice import choose_part
from anchormap.land.ingest.headers import header_score
from anchormap.land.ingest.read import cell_text
from anchormap.land.ingest.report import Issue, UploadError

WORKBOOK_KINDS = {
    "xlsx": "an Excel .xlsx workbook",
    "ods": "an OpenDocument .ods spreadsheet",
    "xls": "an old Excel .xls workbook",
}
"""The spreadsheet kinds read here, as messages name them."""
HEADER_ROWS = 20
"""How many rows at the top of a sheet are searched for its header."""

Rows = list[tuple[int, list]]


def _xlsx_sheets(data: bytes) -> dict[str, Rows]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        sheets: dict[str, Rows] = {}
        for ws in wb.worksheets:
            rows: Rows = []
            for rec in ws.iter_rows():
                cells = [c for c in rec if getattr(c, "row", None) is not None]
                if not cells:
                    continue  # a row of empty cells: numbered by the rows around it
                rows.append((cells[0].row, [cell_text(c.value) for c in rec]))
            sheets[ws.title] = rows
        return sheets
    finally:
        wb.close()


def _pandas_sheets(data: bytes, engine: str) -> dict[str, Rows]:
    import pandas as pd

    frames = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine=engine)
    out: dict[str, Rows] = {}
    for name, df in frames.items():
        # pandas keeps blank rows above and between the data, so index 0 is spreadsheet row 1
        out[str(name)] = [(int(i) + 1, [cell_text(v) for v in rec]) for i, rec in zip(df.index, df.itertuples(False))]
    return out


def workbook_sheets(data: bytes, file_name: str, kind: str) -> dict[str, Rows]:
    """Every sheet of a workbook: sheet name -> (spreadsheet row number, cells as text).

    Parameters
    ----------
    data : bytes
        The file.
    file_name : str
        Named in messages.
    kind : str
        A key of :data:`WORKBOOK_KINDS` ("xlsx", "ods", "xls").

    Returns
    -------
    dict of str to list of (int, list)
        In the workbook's order; rows with no cell at all may be left out.

    Raises
    ------
    UploadError
        When the bytes cannot be read as that kind of workbook (the message names the file).
    """
    try:
        if kind == "xlsx":
            return _xlsx_sheets(data)
        return _pandas_sheets(data, "calamine")  # python-calamine reads .ods and .xls alike
    except ImportError as exc:  # the reader package is missing from this installation
        msg = f"{file_name} is {WORKBOOK_KINDS[kind]}, which this installation cannot read ({exc}). Save it as CSV."
        raise UploadError(msg) from None
    except Exception as exc:  # readers raise many kinds (BadZipFile, KeyError, XLRDError, ValueError...)
        msg = (
            f"{file_name} cannot be read as {WORKBOOK_KINDS[kind]} ({exc.__class__.__name__}: {exc}). "
            "Open it in a spreadsheet program and save it again, or save it as CSV."
        )
        raise UploadError(msg) from None


def read_workbook_records(
    data: bytes, file_name: str, issues: list[Issue], kind: str = "xlsx", sheet: str | None = None
) -> Rows:
    """The rows of the workbook's sheet that holds the register.

    Parameters
    ----------
    data : bytes
        The file.
    file_name : str
        Named in messages.
    issues : list of Issue
        The report: a note says which sheet was read when there are several.
    kind : str
        "xlsx", "ods" or "xls".
    sheet : str, optional
        The sheet to read, by name; by default the one whose header is recognised best
        (:func:`~anchormap.land.ingest.choice.choose_part`).

    Returns
    -------
    list of (int, list)
        (spreadsheet row number, cells as text or None).

    Raises
    ------
    UploadError
        When the file cannot be read, has no sheets, or has no sheet called ``sheet``.
    anchormap.land.ingest.choice.ChoiceNeeded
        When two sheets look equally like a register and ``sheet`` is not given.
    """
    sheets = workbook_sheets(data, file_name, kind)
    scores = {name: max((header_score(r) for _, r in rows[:HEADER_ROWS]), default=0) for name, rows in sheets.items()}
    return sheets[choose_part(scores, sheet, file_name, "sheet", issues)]
