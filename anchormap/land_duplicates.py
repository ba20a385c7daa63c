"""Possible duplicate land and property assets across partners, flagged for review, never merged.

Two assets are a possible duplicate when they share a UPRN, or when their points are within
:data:`DUPLICATE_DISTANCE_M` metres of each other (EPSG:27700) and their names are similar
(:func:`name_similarity` at least :data:`MIN_NAME_SIMILARITY`). By default only pairs from
different partners are reported: the same partner listing one site twice is its own concern.
"""

from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

DUPLICATE_DISTANCE_M = 25.0
MIN_NAME_SIMILARITY = 0.6
_STOP = {"the", "of", "at", "and", "land", "site", "former", "to", "rear", "r", "o", "adj", "adjacent", "london",
         "building", "buildings", "a", "on", "fire", "station", "closed"}
PAIR_COLUMNS = ["asset_id_a", "asset_id_b", "partner_a", "partner_b", "name_a", "name_b", "reason",
                "distance_m", "name_similarity"]


def _tokens(name: object) -> list[str]:
    words = re.findall(r"[a-z0-9]+", str(name or "").lower())
    return [w for w in words if w not in _STOP]


def name_similarity(a: object, b: object) -> float:
    """0..1: the larger of difflib's ratio on the cleaned names and the share of common words."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    ratio = difflib.SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio()
    overlap = len(set(ta) & set(tb)) / min(len(set(ta)), len(set(tb)))
    return round(max(ratio, overlap), 3)


def find_duplicates(assets: pd.DataFrame, *, distance_m: float = DUPLICATE_DISTANCE_M,
                    min_similarity: float = MIN_NAME_SIMILARITY, across_partners_only: bool = True) -> pd.DataFrame:
    """Pairs of possible duplicates (columns :data:`PAIR_COLUMNS`), one row per pair.

    ``assets`` is a land-schema table (``asset_id``, ``name``, ``partner``, ``uprn``,
    ``easting``/``northing`` in EPSG:27700 metres, ``on_map``).
    """
    df = assets.reset_index(drop=True)
    pairs: dict[tuple[int, int], dict] = {}

    def keep(i: int, j: int) -> bool:
        return not across_partners_only or df.at[i, "partner"] != df.at[j, "partner"]

    uprn = df["uprn"].where(df["uprn"].notna() & (df["uprn"].astype(str).str.strip() != ""))
    for _, idx in df[uprn.notna()].groupby(uprn[uprn.notna()].astype(str)).groups.items():
        idx = sorted(idx)
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                i, j = idx[a], idx[b]
                if keep(i, j):
                    pairs[(i, j)] = {"reason": f"same UPRN {uprn[i]}"}
    placed = df.index[df["on_map"].astype(bool) & df["easting"].notna() & df["northing"].notna()].to_numpy()
    if len(placed) > 1:
        xy = df.loc[placed, ["easting", "northing"]].to_numpy(float)
        for a, b in cKDTree(xy).query_pairs(distance_m):
            i, j = sorted((int(placed[a]), int(placed[b])))
            if not keep(i, j):
                continue
            sim = name_similarity(df.at[i, "name"], df.at[j, "name"])
            if sim >= min_similarity and (i, j) not in pairs:
                pairs[(i, j)] = {"reason": f"within {distance_m:g} m with similar names"}
    rows = []
    for (i, j), info in pairs.items():
        d = np.hypot(df.at[i, "easting"] - df.at[j, "easting"], df.at[i, "northing"] - df.at[j, "northing"])
        rows.append({"asset_id_a": df.at[i, "asset_id"], "asset_id_b": df.at[j, "asset_id"],
                     "partner_a": df.at[i, "partner"], "partner_b": df.at[j, "partner"],
                     "name_a": df.at[i, "name"], "name_b": df.at[j, "name"], "reason": info["reason"],
                     "distance_m": None if np.isnan(d) else round(float(d), 1),
                     "name_similarity": name_similarity(df.at[i, "name"], df.at[j, "name"])})
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def flag_duplicates(assets: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``assets`` with ``possible_duplicates``: the other asset ids of its pairs ("; ")."""
    out = assets.copy()
    others: dict[str, list[str]] = {}
    for a, b in zip(pairs["asset_id_a"], pairs["asset_id_b"]):
        others.setdefault(a, []).append(b)
        others.setdefault(b, []).append(a)
    out["possible_duplicates"] = out["asset_id"].map(lambda k: "; ".join(others[k]) if k in others else None)
    return out
