"""Reading published files with errors a person can act on (file and column named)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from anchormap.errors import DataSourceError


def read_table(path: Path, *, dataset: str, required: Iterable[str] = (), **kwargs) -> pd.DataFrame:
    """Read a CSV (optionally gzipped) and check it has the ``required`` columns.

    Parameters
    ----------
    path : pathlib.Path
        The CSV file (gzip is recognised from a ``.gz`` name).
    dataset : str
        The dataset id, named in messages.
    required : iterable of str, optional
        Columns that must be present.
    **kwargs
        Passed to :func:`pandas.read_csv`; ``encoding`` defaults to ``"utf-8-sig"`` (a
        byte-order mark is dropped).

    Returns
    -------
    pandas.DataFrame
        The whole table, every column as read.

    Raises
    ------
    DataSourceError
        Naming the dataset and file when it cannot be read as CSV (bad encoding, parse
        error, empty, unreadable, truncated gzip) or lacks a required column.
    """
    try:
        df = pd.read_csv(path, encoding=kwargs.pop("encoding", "utf-8-sig"), low_memory=False, **kwargs)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, OSError, EOFError) as exc:
        msg = f"Dataset '{dataset}': the file {path} cannot be read as CSV ({exc.__class__.__name__}: {exc})."
        raise DataSourceError(msg) from None
    _require(df.columns, required, path, dataset)
    return df


def read_vector(path: Path, *, dataset: str, required: Iterable[str] = (), crs: int | None = None) -> gpd.GeoDataFrame:
    """Read a shapefile or GeoJSON with pyogrio and check its columns.

    Parameters
    ----------
    path : pathlib.Path
        The vector file (a shapefile's companions must lie beside it).
    dataset : str
        The dataset id, named in messages.
    required : iterable of str, optional
        Attribute columns that must be present.
    crs : int, optional
        EPSG code to assume when the file has none (e.g. 27700 for British National Grid
        metres, 4326 for WGS84 degrees). A CRS the file declares is kept; nothing is
        reprojected here.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    DataSourceError
        Naming the dataset and file when it cannot be read as a vector layer or lacks a
        required column.
    """
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises DataSourceError/DataLayerError and others
        msg = (
            f"Dataset '{dataset}': the file {path} cannot be read as a vector layer ({exc.__class__.__name__}: {exc})."
        )
        raise DataSourceError(msg) from None
    if gdf.crs is None and crs is not None:
        gdf = gdf.set_crs(crs)
    _require(gdf.columns, required, path, dataset)
    return gdf


def _require(columns: Iterable[str], required: Iterable[str], path: Path, dataset: str) -> None:
    cols = set(columns)
    missing = [c for c in required if c not in cols]
    if missing:
        msg = f"Dataset '{dataset}': the file {path} lacks the column(s) {', '.join(repr(m) for m in missing)}."
        raise DataSourceError(msg)
