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

DUPLICATE_DISTANCE_M = 25.0
MIN_NAME_SIMILARITY = 0.6
_STOP = {
    "the",
    "of",
    "at",
    "and",
    "land",
    "site",
    "former",
    "to",
    "rear",
    "r",
    "o",
    "adj",
    "adjacent",
    "london",
    "building",
    "buildings",
    "a",
    "on",
    "fire",
    "station",
    "closed",
}
PAIR_COLUMNS = [
    "asset_id_a",
    "asset_id_b",
    "partner_a",
    "partner_b",
    "name_a",
    "name_b",
    "reason",
    "distance_m",
    "name_similarity",
]


def _tokens(name: object) -> list[str]:
    words = re.findall(r"[a-z0-9]+", str(name or "").lower())
    return [w for w in words if w not in _STOP]


def name_similarity(a: object, b: object) -> float:
    """0..1: the larger of difflib's ratio on the cleaned names and the share of common words.

    Names are cleaned to lower-case words without filler such as "the", "land", "site",
    "former", "fire station" or "London"; the share of common words is taken of the
    shorter name's distinct words.

    Parameters
    ----------
    a, b : object
        The two names; None and blanks are allowed.

    Returns
    -------
    float
        Similarity from 0 to 1, rounded to 3 decimals; 0.0 when either name has no word
        left after cleaning.

    Examples
    --------
    >>> name_similarity("Former Peckham Fire Station", "Peckham Fire Station")
    1.0
    >>> name_similarity("Town Hall, Catford", "Catford Town Hall")
    1.0
    >>> name_similarity("Lewisham Library", "Deptford Lounge")
    0.194
    >>> name_similarity("Land at rear of", "Site")
    0.0
    """
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    ratio = difflib.SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio()
    overlap = len(set(ta) & set(tb)) / min(len(set(ta)), len(set(tb)))
    return round(max(ratio, overlap), 3)


def find_duplicates(
    assets: pd.DataFrame,
    *,
    distance_m: float = DUPLICATE_DISTANCE_M,
    min_similarity: float = MIN_NAME_SIMILARITY,
    across_partners_only: bool = True,
) -> pd.DataFrame:
    """Pairs of possible duplicates (columns :data:`PAIR_COLUMNS`), one row per pair.

    Parameters
    ----------
    assets : pandas.DataFrame
        A land-schema table (``asset_id``, ``name``, ``partner``, ``uprn``,
        ``easting``/``northing`` in EPSG:27700 metres, ``on_map``).
    distance_m : float, optional
        Largest straight-line distance in British National Grid metres between two
        on-map points for a name match (default :data:`DUPLICATE_DISTANCE_M`, 25 m;
        a pair exactly at it counts).
    min_similarity : float, optional
        Smallest :func:`name_similarity` for such a pair (default
        :data:`MIN_NAME_SIMILARITY`, 0.6).
    across_partners_only : bool, optional
        Report only pairs of different partners (default True).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PAIR_COLUMNS`, one row per pair, ``a`` before ``b`` in the order of
        ``assets``: ids, partners, names, ``reason`` ("same UPRN ..." first, else "within
        25 m with similar names"), ``distance_m`` (BNG metres rounded to 0.1 m; NaN when
        either has no coordinates) and ``name_similarity``. No rows when there are no
        pairs.
    """
    df = assets.reset_index(drop=True)
    pairs: dict[tuple[int, int], dict] = {}
    partner = df["partner"].to_numpy(object)

    def keep(i: int, j: int) -> bool:
        return not across_partners_only or partner[i] != partner[j]

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
        from scipy.spatial import cKDTree  # SciPy when duplicates are looked for, not with every page

        near = cKDTree(xy).query_pairs(distance_m, output_type="ndarray")
        near = np.sort(placed[near], axis=1) if len(near) else np.empty((0, 2), dtype=int)
        if across_partners_only and len(near):
            near = near[partner[near[:, 0]] != partner[near[:, 1]]]
        names = df["name"].to_numpy(object)
        for i, j in near.tolist():
            if (i, j) not in pairs and name_similarity(names[i], names[j]) >= min_similarity:
                pairs[(i, j)] = {"reason": f"within {distance_m:g} m with similar names"}
    if not pairs:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    ij = np.array(list(pairs), dtype=int)
    i, j = ij[:, 0], ij[:, 1]
    e, n = df["easting"].to_numpy(float), df["northing"].to_numpy(float)
    dist = np.round(np.hypot(e[i] - e[j], n[i] - n[j]), 1)
    col = {c: df[c].to_numpy(object) for c in ("asset_id", "partner", "name")}
    names = col["name"]
    sim = [name_similarity(names[a], names[b]) for a, b in ij.tolist()]
    out = pd.DataFrame(
        {
            "asset_id_a": col["asset_id"][i],
            "asset_id_b": col["asset_id"][j],
            "partner_a": col["partner"][i],
            "partner_b": col["partner"][j],
            "name_a": names[i],
            "name_b": names[j],
            "reason": [v["reason"] for v in pairs.values()],
            "distance_m": np.where(np.isnan(dist), np.nan, dist),
            "name_similarity": sim,
        }
    )
    return out[PAIR_COLUMNS]


def flag_duplicates(assets: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``assets`` with ``possible_duplicates``: the other asset ids of its pairs ("; ").

    Parameters
    ----------
    assets : pandas.DataFrame
        A land-schema table with ``asset_id``.
    pairs : pandas.DataFrame
        Pairs from :func:`find_duplicates` (``asset_id_a``, ``asset_id_b``).

    Returns
    -------
    pandas.DataFrame
        A copy with ``possible_duplicates``: the ids of the assets paired with each asset,
        joined by ``"; "``, or None for an asset in no pair.
    """
    out = assets.copy()
    others: dict[str, list[str]] = {}
    for a, b in zip(pairs["asset_id_a"], pairs["asset_id_b"]):
        others.setdefault(a, []).append(b)
        others.setdefault(b, []).append(a)
    out["possible_duplicates"] = out["asset_id"].map(lambda k: "; ".join(others[k]) if k in others else None)
    return out
