"""Excel workbooks of exported tables (openpyxl): the data first, then "About" and "Columns".

The first sheet holds the table: one header row (frozen), numbers as numbers, text as text,
sensible column widths. Text is always stored as a text cell, never a formula: openpyxl would
make any string starting with ``=`` a formula, so the cell's type is set back to text, and
formula-like text (:func:`anchormap.data.formulas.looks_like_formula`) is also marked with
Excel's quote prefix, so that editing the cell keeps it text. Characters that XML 1.0 cannot
hold (control characters other than tab and line breaks) become U+FFFD, so the file opens.

The "About" sheet has the metadata in words, one item a row (:meth:`ExportAbout.items`); the
"Columns" sheet the title, unit and description of every column.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from anchormap.atomic import atomic_path
from anchormap.data.about import ExportAbout
from anchormap.data.columns import column_info
from anchormap.data.formulas import looks_like_formula

MAX_WIDTH = 60
"""Widest column, in characters."""

EXCEL_CELL_CHARS = 32_767
"""The most characters an Excel cell holds; longer text is cut, ending in "…", and the About sheet says so."""


def cell_value(value: object) -> object:
    """A table cell as openpyxl stores it: numbers, booleans and text; missing values empty.

    >>> cell_value(np.int64(3)), cell_value(float("nan")), cell_value("a" + chr(1) + "b"), cell_value(pd.NA)
    (3, None, 'a\\ufffdb', None)
    >>> len(cell_value("x" * 40_000)), cell_value("x" * 40_000)[-1]
    (32767, '…')
    """
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None  # NaN, NaT, pd.NA
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    return text if len(text) <= EXCEL_CELL_CHARS else text[: EXCEL_CELL_CHARS - 1] + "…"


def _put(ws, row: int, col: int, value: object):
    cell = ws.cell(row=row, column=col)
    cell.value = cell_value(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if looks_like_formula(cell.value):
            cell.quotePrefix = True
    return cell


def _widths(ws, texts: list[list[str]]) -> None:
    for i, column in enumerate(texts, start=1):
        longest = max((len(line) for t in column for line in t.splitlines() or [""]), default=8)
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(8, longest + 2))


def _sheet_title(title: str) -> str:
    bad = set("[]:*?/\\")
    return "".join(c for c in title if c not in bad)[:31] or "Data"


def write_xlsx(table: pd.DataFrame, path: str | Path, about: ExportAbout, *, sheet: str = "Data") -> None:
    """Write ``table`` (no geometry) and its metadata as an Excel workbook, atomically.

    Parameters
    ----------
    table : pandas.DataFrame
        The table as written (dict or list cells already as JSON text).
    path : str or pathlib.Path
        The ``.xlsx`` file.
    about : ExportAbout
        The metadata, for the "About" sheet.
    sheet : str
        The first sheet's name.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(sheet)
    bold = Font(bold=True)
    for j, header in enumerate(table.columns, start=1):
        _put(ws, 1, j, str(header)).font = bold
    cut = 0
    for i, row in enumerate(table.itertuples(index=False, name=None), start=2):
        for j, value in enumerate(row, start=1):
            _put(ws, i, j, value)
            cut += isinstance(value, str) and len(value) > EXCEL_CELL_CHARS
    ws.freeze_panes = "A2"
    sample = table.head(500)
    _widths(ws, [[str(h), *(str(v) for v in sample[h] if v is not None)] for h in table.columns])

    about_ws = wb.create_sheet("About")
    for j, header in enumerate(("Item", "Value"), start=1):
        _put(about_ws, 1, j, header).font = bold
    items = about.items()
    if cut:
        items.append(
            (
                "Cells cut",
                f"{cut} cell(s) held more than Excel's {EXCEL_CELL_CHARS:,} characters and end in '…' here; "
                "the CSV and GeoPackage downloads hold them whole.",
            )
        )
    for i, (item, text) in enumerate(items, start=2):
        _put(about_ws, i, 1, item)
        _put(about_ws, i, 2, text)
    about_ws.freeze_panes = "A2"
    _widths(about_ws, [["Item", *(k for k, _ in items)], ["Value", *(v for _, v in items)]])

    cols_ws = wb.create_sheet("Columns")
    rows = [("Column", "Title", "Unit", "Description")]
    for header in table.columns:
        info = column_info(str(header))
        rows.append((str(header), info.title, info.unit, info.description))
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row, start=1):
            cell = _put(cols_ws, i, j, value)
            if i == 1:
                cell.font = bold
    cols_ws.freeze_panes = "A2"
    _widths(cols_ws, [list(c) for c in zip(*rows)])

    with atomic_path(path, suffix=".xlsx") as tmp:
        wb.save(tmp)
