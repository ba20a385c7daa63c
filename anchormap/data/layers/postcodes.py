"""Postcodes: OS Code-Point Open for Greater London (the postcode text rules are in :mod:`anchormap.geo.postcode_text`).

Layer ``postcodes`` (table, 180,792 rows): ``postcode`` (canonical, e.g. "SE6 4RU"),
``postcode_key`` (no spaces, upper case: "SE64RU"), ``easting``/``northing`` (EPSG:27700,
metres), ``lat``/``lon`` (EPSG:4326), ``borough_code``, ``quality`` (Code-Point positional
quality; 10 = within the building of a matched address).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from anchormap.data.layers.readers import read_table
from anchormap.geo.postcode_text import format_postcode, postcode_key


def build_postcodes(paths: dict[str, Path]) -> pd.DataFrame:
    """Code-Point Open London table. Input: ``postcodes``."""
    df = read_table(
        paths["postcodes"],
        dataset="postcodes",
        required=["postcode", "pq", "easting", "northing", "lat", "lon", "lad_code"],
        dtype={"postcode": str, "lad_code": str},
    )
    out = pd.DataFrame(
        {
            "postcode": df["postcode"].map(format_postcode),
            "postcode_key": df["postcode"].map(postcode_key),
            "easting": df["easting"].astype("float64"),
            "northing": df["northing"].astype("float64"),
            "lat": df["lat"].astype("float64"),
            "lon": df["lon"].astype("float64"),
            "borough_code": df["lad_code"],
            "quality": df["pq"].astype("int16"),
        }
    )
    return out.drop_duplicates("postcode_key").sort_values("postcode_key").reset_index(drop=True)
