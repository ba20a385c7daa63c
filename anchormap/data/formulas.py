"""Cells a spreadsheet would run as a formula, and how exports keep them text.

Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's list for CSV
injection, :func:`looks_like_formula`) is prefixed with an apostrophe in CSV
(:func:`neutralise_formula`), and carriage returns in text become line feeds, which pandas
quotes (:func:`csv_text`). Workbooks store such text as text cells (:mod:`anchormap.data.xlsx`).
"""

from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def looks_like_formula(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet would read as a formula.

    Parameters
    ----------
    value : object
        A cell; only text can be a formula.

    Returns
    -------
    bool
        True when it is a string starting with one of :data:`FORMULA_START`.

    >>> looks_like_formula("=1+1"), looks_like_formula(chr(9) + "cmd"), looks_like_formula("Hall"), looks_like_formula(-1)
    (True, True, False, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise_formula(value: object) -> object:
    """``value`` with a leading apostrophe when :func:`looks_like_formula`, else unchanged.

    Spreadsheets show the apostrophe-led text as it was and never run it.

    >>> neutralise_formula("@SUM(A1)"), neutralise_formula("Laurence House"), neutralise_formula(3)
    ("'@SUM(A1)", 'Laurence House', 3)
    """
    return "'" + value if looks_like_formula(value) else value  # type: ignore[operator]


def csv_text(value: object) -> object:
    r"""A cell as it is safe to write in CSV: formulas neutralised, carriage returns made line feeds.

    pandas quotes a cell holding a line feed but not one holding only a carriage return, which
    a spreadsheet reads as the end of the row: the text after it would start a new row, and
    could be a formula there. A line break stays a line break.

    >>> csv_text("Hall\r=1+1"), csv_text("=1+1"), csv_text(2.5)
    ('Hall\n=1+1', "'=1+1", 2.5)
    """
    value = neutralise_formula(value)
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` with every text cell passed through :func:`csv_text`.

    Parameters
    ----------
    df : pandas.DataFrame
        Any table (categorical columns are written as their text).

    Returns
    -------
    pandas.DataFrame
        The copy, ready for :meth:`pandas.DataFrame.to_csv`.
    """
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(object)
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(csv_text)
    return out
