"""Every land and property asset: the built-in registers and the store's active submissions.

All tables are in the land schema (:mod:`anchormap.data.layers.land`), EPSG:27700 points.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from anchormap.data.build import load_layer
from anchormap.data.exports import write_table
from anchormap.data.sources import get_dataset
from anchormap.land.duplicates import find_duplicates, flag_duplicates
from anchormap.land.schema import LAND_COLUMNS, finalise
from anchormap.land.store import LandStore, open_store

BUILTIN_SOURCES = (
    "brownfield_london_2017",
    "brownfield_lewisham_2019",
    "eric_sites",
    "hospitals",
    "libraries",
    "fire_stations",
)
UPLOAD_ATTRIBUTION = "Uploaded registers: supplied by the named partner organisations."


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
    keep = [*LAND_COLUMNS, "submission_id"]
    df = df[[c for c in keep if c in df.columns]]
    out = finalise(df)
    if flag_possible_duplicates:
        out = flag_duplicates(out, find_duplicates(out))
    return out


def attribution_lines() -> list[str]:
    """Attribution for every built-in source, then the uploads line."""
    return [get_dataset(d).attribution for d in BUILTIN_SOURCES] + [UPLOAD_ATTRIBUTION]


def export_assets(fmt: str, out: str | Path, assets: pd.DataFrame | None = None, store: LandStore | None = None) -> int:
    """Write ``assets`` (default: every asset) as CSV or GeoJSON (WGS84). Returns rows written.

    Formula-like text is neutralised in CSV (:func:`anchormap.data.exports.write_table`). Rows
    not on the map are written with an empty geometry.
    """
    table = assets if assets is not None else all_assets(store)
    meta = {"dataset": "AnchorMap shared land and property", "attribution": " | ".join(attribution_lines())}
    return write_table(table, fmt, out, metadata=meta)


def export_bytes(assets: pd.DataFrame, fmt: str, description: str = "") -> bytes:
    """``assets`` as CSV or GeoJSON bytes (for download buttons), written like :func:`export_assets`."""
    import tempfile

    meta = {"dataset": "AnchorMap shared land and property", "attribution": " | ".join(attribution_lines())}
    if description:
        meta["filter"] = description
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"land.{fmt}"
        write_table(gpd.GeoDataFrame(assets, geometry="geometry", crs=27700), fmt, out, metadata=meta)
        return out.read_bytes()
