"""Postcodes: OS Code-Point Open for Greater London, and postcode normalisation.

Layer ``postcodes`` (table, 180,792 rows): ``postcode`` (canonical, e.g. "SE6 4RU"),
``postcode_key`` (no spaces, upper case: "SE64RU"), ``easting``/``northing`` (EPSG:27700,
metres), ``lat``/``lon`` (EPSG:4326), ``borough_code``, ``quality`` (Code-Point positional
quality; 10 = within the building of a matched address).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from anchormap.data.layers.readers import read_table

_NON_ALNUM = re.compile(r"[^A-Z0-9]")
# Full UK postcode: outward code (2-4 chars) + inward code (digit + 2 letters).
_FULL = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


def postcode_key(text: object) -> str:
    """Normalised lookup key: upper case, letters and digits only ("se6 4ru" -> "SE64RU")."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return _NON_ALNUM.sub("", str(text).upper())


def is_full_postcode(text: object) -> bool:
    """True for a syntactically complete UK postcode in any case or spacing."""
    return bool(_FULL.match(postcode_key(text)))


def is_outward_code(text: object) -> bool:
    """True for an outward code alone ("SE6")."""
    return bool(_OUTWARD.match(postcode_key(text)))


def format_postcode(text: object) -> str:
    """Canonical form with one space before the inward code ("se64ru" -> "SE6 4RU")."""
    key = postcode_key(text)
    return f"{key[:-3]} {key[-3:]}" if len(key) >= 5 else key


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
