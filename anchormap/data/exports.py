"""Writing layers to files people can open: CSV and GeoJSON, atomically.

GeoJSON is written in WGS84 (EPSG:4326), as RFC 7946 requires; CSV has no geometry.
Text cells that a spreadsheet would run as a formula (:func:`looks_like_formula`: starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, OWASP's list for CSV injection)
are prefixed with an apostrophe in CSV (:func:`neutralise_formula`), and carriage returns in
text become line feeds, which pandas quotes (:func:`csv_text`).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from anchormap.atomic import atomic_path
from anchormap.data.build import load_layer
from anchormap.editions import edition_info
from anchormap.errors import AnchorMapError

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


def one_line(value: object) -> str:
    """``value`` as text on one line: a line break in a metadata value (a partner's name, say)
    must not start a new CSV line, which a spreadsheet would read as cells (perhaps a formula)."""
    return " ".join(str(value).splitlines())


def write_table(df: pd.DataFrame, fmt: str, out: str | Path, metadata: dict | None = None) -> int:
    """Write ``df`` as CSV (no geometry) or GeoJSON (WGS84). Returns the number of rows.

    ``metadata`` (e.g. analysis parameters) goes into CSV comment lines starting with
    ``#`` (one line each: line breaks in values become spaces) and into a top-level
    ``"anchormap"`` member of the GeoJSON.
    """
    out = Path(out)
    if fmt == "csv":
        table = pd.DataFrame(df.drop(columns="geometry", errors="ignore"))
        with atomic_path(out) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
            for key, value in (metadata or {}).items():
                fh.write(f"# {one_line(key)}: {one_line(value)}\n")
            csv_safe(table).to_csv(fh, index=False)
    elif fmt == "geojson":
        if not isinstance(df, gpd.GeoDataFrame):
            msg = "GeoJSON export needs a layer with geometry."
            raise AnchorMapError(msg)
        gdf = df.to_crs(4326)
        with atomic_path(out, suffix=".geojson") as tmp:
            text = gdf.to_json(drop_id=True, to_wgs84=False)
            if metadata:
                doc = json.loads(text)
                doc["anchormap"] = metadata
                text = json.dumps(doc)
            tmp.write_text(text, encoding="utf-8")
    else:
        msg = f"Unknown format '{fmt}': choose csv or geojson."
        raise AnchorMapError(msg)
    return len(df)


def lsoa_layer(edition: int) -> gpd.GeoDataFrame:
    """The analysis LSOA layer of an IoD edition.

    Parameters
    ----------
    edition : int
        An edition year (2019: LSOA 2011; 2025: LSOA 2021; see :mod:`anchormap.editions`).

    Returns
    -------
    geopandas.GeoDataFrame
        Its LSOA polygons (EPSG:27700, metres) with every measure's score, rank and decile.
    """
    return load_layer(edition_info(edition).lsoa_layer)


def export_lsoa(edition: int, fmt: str, out: str | Path) -> int:
    """Write the LSOA layer of ``edition`` with every IMD column. Returns rows written."""
    return write_table(lsoa_layer(edition), fmt, out)
