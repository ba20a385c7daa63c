"""Every land and property asset: the built-in registers and the store's active submissions.

All tables are in the land schema (:mod:`anchormap.data.layers.land`), EPSG:27700 points.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from anchormap.data.attribution import UPLOADS, attribution_lines
from anchormap.data.build import load_layer
from anchormap.data.exports import write_table
from anchormap.data.layers import LAYERS
from anchormap.land.duplicates import find_duplicates, flag_duplicates
from anchormap.land.schema import EXTRA_COLUMN, LAND_COLUMNS, finalise
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
    out = finalise(df)
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
    """The comment lines (CSV) or ``anchormap`` member (GeoJSON) of a land export."""
    meta = {
        "dataset": "AnchorMap shared land and property",
        "attribution": " | ".join(land_attribution_lines(with_editions=True)),
    }
    return {**meta, "filter": description} if description else meta


def export_assets(fmt: str, out: str | Path, assets: pd.DataFrame | None = None, store: LandStore | None = None) -> int:
    """Write ``assets`` (default: every asset) as CSV or GeoJSON (WGS84). Returns rows written.

    Formula-like text is neutralised in CSV (:func:`anchormap.data.exports.write_table`). Rows
    not on the map are written with an empty geometry.
    """
    table = assets if assets is not None else all_assets(store)
    return write_table(table, fmt, out, metadata=_export_metadata())


def export_bytes(assets: pd.DataFrame, fmt: str, description: str = "") -> bytes:
    """``assets`` as CSV or GeoJSON bytes (for download buttons), written like :func:`export_assets`."""
    import tempfile

    meta = _export_metadata(description)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"land.{fmt}"
        write_table(gpd.GeoDataFrame(assets, geometry="geometry", crs=27700), fmt, out, metadata=meta)
        return out.read_bytes()
