"""Every land and property asset: the built-in registers and the store's active submissions.

All tables are in the land schema (:mod:`anchormap.data.layers.land`), EPSG:27700 points.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from anchormap.data.attribution import UPLOADS, attribution_lines
from anchormap.data.build import load_layer
from anchormap.data.exports import export_file_bytes, write_table
from anchormap.data.layers import LAYERS
from anchormap.data.layers.land import add_editions
from anchormap.land.duplicates import find_duplicates, flag_duplicates
from anchormap.land.schema import EXTRA_COLUMN, LAND_COLUMNS, extra_attributes, finalise
from anchormap.land.store import LandStore, open_store

BUILTIN_SOURCES = tuple(d for d in LAYERS["land_builtin"].inputs if d != "boroughs")
"""The registers behind the ``land_builtin`` layer (the boroughs only name each site's borough)."""


def builtin_assets() -> gpd.GeoDataFrame:
    """The ``land_builtin`` layer."""
    return load_layer("land_builtin")


def all_assets(
    store: LandStore | None = None, *, include_builtin: bool = True, flag_possible_duplicates: bool = True
) -> gpd.GeoDataFrame:
    """Built-in assets and the store's active submissions in one table (EPSG:27700).

    Adds ``submission_id`` (None for built-in rows) and, when asked, ``possible_duplicates``
    (see :mod:`anchormap.land.duplicates`; flagged, never merged).
    """
    store = store if store is not None else open_store()
    parts = []
    if include_builtin:
        parts.append(pd.DataFrame(builtin_assets()).assign(submission_id=None))
    stored = store.assets()
    if len(stored):
        parts.append(pd.DataFrame(stored))
    if not parts:
        return finalise(pd.DataFrame(columns=LAND_COLUMNS))
    df = pd.concat([p.astype({"geometry": object}) for p in parts], ignore_index=True)
    keep = [*LAND_COLUMNS, EXTRA_COLUMN, "submission_id"]
    df = df[[c for c in keep if c in df.columns]]
    out = add_editions(finalise(df))  # every row says how old it is; uploads keep their source_date
    if flag_possible_duplicates:
        out = flag_duplicates(out, find_duplicates(out))
    return out


def land_attribution_lines(*, with_editions: bool = False) -> list[str]:
    """Attribution of every built-in register, then the line crediting uploaded registers.

    Parameters
    ----------
    with_editions : bool
        Add each register's edition (for exported files), as in
        :func:`anchormap.data.attribution.attribution_lines`.

    Returns
    -------
    list of str
        The lines, each text once.
    """
    return attribution_lines([*BUILTIN_SOURCES, UPLOADS], with_editions=with_editions)


def _export_metadata(description: str = "") -> dict[str, str]:
    """The metadata of a land export (CSVW sidecar, About sheet, GeoJSON ``anchormap`` member)."""
    meta = {
        "title": "AnchorMap shared land and property",
        "attribution": land_attribution_lines(with_editions=True),
    }
    return {**meta, "filter": description} if description else meta


def export_assets(
    fmt: str,
    out: str | Path,
    assets: pd.DataFrame | None = None,
    store: LandStore | None = None,
    extra_metadata: dict | None = None,
) -> int:
    """Write ``assets`` (default: every asset) to a file. Returns rows written.

    Parameters
    ----------
    fmt : {"csv", "xlsx", "geojson", "gpkg"}
        CSV (with its CSVW sidecar), Excel, GeoJSON (EPSG:4326) or GeoPackage (layer ``land``,
        EPSG:27700); see :func:`anchormap.data.exports.write_table`. Formula-like text is
        neutralised in CSV and stored as text in Excel. Rows not on the map have an empty geometry.
    out : str or pathlib.Path
        The file to write.
    assets : pandas.DataFrame, optional
        The assets (land schema, EPSG:27700 points); default :func:`all_assets`.
    store : LandStore, optional
        The store, when ``assets`` is not given.
    extra_metadata : dict, optional
        More items for the file's metadata (e.g. the place the assets were narrowed to).

    Returns
    -------
    int
    """
    table = assets if assets is not None else all_assets(store)
    return _write(table, fmt, out, {**_export_metadata(), **(extra_metadata or {})})


def _write(assets: pd.DataFrame, fmt: str, out, meta: dict) -> int:
    gdf = assets if isinstance(assets, gpd.GeoDataFrame) else gpd.GeoDataFrame(assets, geometry="geometry", crs=27700)
    if EXTRA_COLUMN in gdf.columns:  # JSON text in the store: a dict, so GeoJSON gets an object (JSON text elsewhere)
        gdf = gdf.assign(**{EXTRA_COLUMN: [extra_attributes(v) or None for v in gdf[EXTRA_COLUMN]]})
    return write_table(gdf, fmt, out, metadata=meta, layer="land", datasets=BUILTIN_SOURCES)


def export_bytes(
    assets: pd.DataFrame,
    fmt: str,
    description: str = "",
    file_name: str = "land.csv",
    extra_metadata: dict | None = None,
) -> bytes:
    """``assets`` as file bytes (for download buttons), written like :func:`export_assets`.

    ``fmt`` is one of :func:`export_assets`' formats or ``"csvw"``: the CSV's sidecar, whose
    ``url`` is ``file_name`` (pass the CSV's download name). ``description`` says the filter.
    """
    meta = {**_export_metadata(description), **(extra_metadata or {})}
    return export_file_bytes(lambda f, path: _write(assets, f, path, meta), fmt, file_name)
