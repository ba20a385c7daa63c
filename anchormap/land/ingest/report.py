"""The report of an ingest: one line per finding (row, column, problem, action, severity).

Land registers (:mod:`anchormap.land.ingest.register`) and network lists
(:mod:`anchormap.network.lists`) report with the same :class:`Issue` and the same table
(:func:`report_frame`); each says in ``action`` what it did (a register row is "row
rejected", a network row "row skipped").
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from anchormap.errors import AnchorMapError


class UploadError(AnchorMapError):
    """The file as a whole cannot be used (too big, empty, unreadable, bad mapping)."""


SEVERITIES = ("error", "warning", "note")
"""``error``: the row is not used; ``warning``: the row is kept, changed or flagged; ``note``: for information."""
REPORT_COLUMNS = ["row", "column", "problem", "action", "severity"]


@dataclass
class Issue:
    """One line of a report.

    Attributes
    ----------
    row : int or None
        The row as the file numbers it (spreadsheet row, GeoJSON feature number); None for the whole file.
    column : str or None
        The file's column (or columns, "Latitude, Longitude") the finding is about; None when none.
    problem : str
        What is wrong, quoting the file's text.
    action : str
        What was done about it.
    severity : str
        One of :data:`SEVERITIES`.
    """

    row: int | None
    column: str | None
    problem: str
    action: str
    severity: str = "warning"

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            msg = f"Issue severity {self.severity!r} is not one of {', '.join(SEVERITIES)}."
            raise ValueError(msg)


def report_frame(issues: list[Issue], whole_file_row: int | None = None) -> pd.DataFrame:
    """The issues as a table with :data:`REPORT_COLUMNS` (``row`` as nullable integers).

    ``whole_file_row`` is written in ``row`` for findings about the whole file (None: left empty).
    """
    df = pd.DataFrame([vars(i) for i in issues], columns=REPORT_COLUMNS)
    if whole_file_row is not None:
        df["row"] = df["row"].fillna(whole_file_row)
    df["row"] = df["row"].astype("Int64")
    return df


REPORT_HEADINGS = {
    "row": "Row",
    "column": "Column",
    "problem": "Problem",
    "action": "What was done",
    "severity": "Kind",
}
"""The report's columns as a page shows them."""

WHOLE_FILE = "whole file"
"""What the Row column says for a finding about the whole file, not one row."""


def report_for_people(report: pd.DataFrame) -> pd.DataFrame:
    """A validation report (:func:`report_frame`) as a page shows it: words, no empty cells.

    Row numbers become text ("whole file" for findings about the file, or row 0), an empty
    column says "-", and the headings are words (:data:`REPORT_HEADINGS`).

    Parameters
    ----------
    report : pandas.DataFrame
        With :data:`REPORT_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        The same findings in the same order, every cell text.

    >>> rep = report_frame([Issue(None, None, "2 sheets", "read 'Register'", "note"), Issue(4, "Postcode", "not found", "row rejected", "error")])
    >>> report_for_people(rep).to_dict("records")[0]
    {'Row': 'whole file', 'Column': '-', 'Problem': '2 sheets', 'What was done': "read 'Register'", 'Kind': 'note'}
    >>> report_for_people(rep)["Row"].tolist()
    ['whole file', '4']
    """
    out = report[REPORT_COLUMNS].copy()
    out["row"] = [WHOLE_FILE if pd.isna(r) or int(r) == 0 else str(int(r)) for r in out["row"]]
    out["column"] = [c if isinstance(c, str) and c else "-" for c in out["column"]]
    return out.rename(columns=REPORT_HEADINGS).astype(str)
