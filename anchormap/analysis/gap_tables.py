"""The gap ranking as the Underserved areas page shows it: headline counts and readable tables.

:func:`anchormap.analysis.gaps.rank_gaps` gives one row per LSOA with code-style column names;
these functions pick and name the columns people read (the score and its reasons first: on a
laptop screen the last columns are scrolled out of view) and roll the ranking up by area.
Distances are straight-line metres (EPSG:27700).
"""

from __future__ import annotations

import pandas as pd

from anchormap.analysis.gaps import AREA_LEVELS, rollup
from anchormap.categories import CATEGORIES
from anchormap.measures import get_measure

NEAREST_COLUMNS = {
    **{f"nearest_{k}_m": f"Nearest: {c.label} (m)" for k, c in CATEGORIES.items()},
    "nearest_uncategorised_m": "Nearest: kind not given (m)",
}
"""``nearest_<category>_m`` columns of the ranking -> headings."""

ROLLUP_COLUMNS = {
    "lsoas": "Neighbourhoods",
    "population": "Population",
    "lsoas_without_anchor": "With no anchor nearby",
    "mean_gap_score": "Mean gap score",
    "gap_score_sum": "Sum of gap scores",
    "best_gap_rank": "Best rank",
}
"""Columns of :func:`anchormap.analysis.gaps.rollup` -> headings."""

AREA_HEADINGS = {"borough": "Borough", "ward": "Ward (2025)", "msoa": "MSOA"}
"""The heading of each roll-up level's area name."""

AREA_TABS = {"borough": "Boroughs", "ward": "Wards", "msoa": "Middle-layer areas (MSOA)"}
"""How each roll-up level is named on its tab."""


def ranking_columns(measure: str) -> dict[str, str]:
    """The ranking's columns shown for ``measure`` -> their headings, in the order shown.

    Parameters
    ----------
    measure : str
        A key of :data:`anchormap.measures.MEASURES`.

    Returns
    -------
    dict of str to str

    >>> list(ranking_columns("income").values())[:4]
    ['Rank', 'Neighbourhood (LSOA)', 'Borough', 'Gap score']
    >>> ranking_columns("income")["income_score"]
    'Income score'
    """
    return {
        "gap_rank": "Rank",
        "lsoa_name": "Neighbourhood (LSOA)",
        "borough_name": "Borough",
        "gap_score": "Gap score",
        "anchors_in_catchment": "Anchors in catchment",
        "nearest_anchor_name": "Nearest anchor",
        "nearest_anchor_m": "Nearest anchor (m)",
        f"{measure}_decile": "Decile (1 = most deprived)",
        f"{measure}_score": f"{get_measure(measure).label} score",
        "need": "Need",
        "scarcity": "Scarcity",
        "lsoa_code": "LSOA code",
    }


def ranking_table(table: pd.DataFrame, measure: str, *, nearest_by_kind: bool = False) -> pd.DataFrame:
    """Rows of :func:`anchormap.analysis.gaps.rank_gaps` with readable headings.

    Parameters
    ----------
    table : DataFrame
        The ranking (or its first rows).
    measure : str
        The measure it was ranked on (its decile and score are shown).
    nearest_by_kind : bool
        Also show the metres to the nearest site of each kind counted.

    Returns
    -------
    DataFrame
    """
    columns = ranking_columns(measure)
    if nearest_by_kind:
        columns.update({c: label for c, label in NEAREST_COLUMNS.items() if c in table})
    return table[list(columns)].rename(columns=columns)


def without_anchor(table: pd.DataFrame) -> int:
    """How many ranked neighbourhoods have no counted anchor in their catchment.

    Parameters
    ----------
    table : DataFrame
        :func:`anchormap.analysis.gaps.rank_gaps`.

    Returns
    -------
    int
    """
    return int((table["anchors_in_catchment"] == 0).sum())


def gap_scores(table: pd.DataFrame) -> pd.Series:
    """Each ranked LSOA's gap score, by LSOA code (for the map's colours).

    Parameters
    ----------
    table : DataFrame
        :func:`anchormap.analysis.gaps.rank_gaps`.

    Returns
    -------
    Series
        Gap scores (0 to 1) indexed by ``lsoa_code``.
    """
    return table.set_index("lsoa_code")["gap_score"]


def narrow_to_place(table: pd.DataFrame, lsoa_codes=None) -> pd.DataFrame:
    """The ranking restricted to a place's LSOAs and ranked again among them (1 = its biggest gap).

    Scores are unchanged: need is each LSOA's national rank, and scarcity counts every anchor whose
    catchment reaches it, inside the place or not (an anchor just outside still serves it).

    Parameters
    ----------
    table : DataFrame
        :func:`anchormap.analysis.gaps.rank_gaps`, best gap first.
    lsoa_codes : collection of str, optional
        The place's LSOA codes (:attr:`anchormap.geo.places.Place.lsoa_codes`); None keeps every row.

    Returns
    -------
    DataFrame
        The rows inside, in the same order, ``gap_rank`` numbered 1, 2, ... among them.

    >>> t = pd.DataFrame({"gap_rank": [1, 2, 3], "lsoa_code": ["a", "b", "c"], "gap_score": [0.9, 0.5, 0.4]})
    >>> narrow_to_place(t, {"b", "c"})[["gap_rank", "lsoa_code"]].to_dict("list")
    {'gap_rank': [1, 2], 'lsoa_code': ['b', 'c']}
    """
    if lsoa_codes is None:
        return table
    out = table[table["lsoa_code"].isin(set(lsoa_codes))].reset_index(drop=True)
    out["gap_rank"] = range(1, len(out) + 1)
    return out


def rollup_table(table: pd.DataFrame, level: str) -> pd.DataFrame:
    """:func:`anchormap.analysis.gaps.rollup` by ``level`` with readable headings (no area codes).

    Parameters
    ----------
    table : DataFrame
        :func:`anchormap.analysis.gaps.rank_gaps`.
    level : str
        ``"borough"``, ``"ward"`` (2025 edition) or ``"msoa"``.

    Returns
    -------
    DataFrame
        One row per area, the biggest sum of gap scores first; wards and MSOAs with their
        borough beside their name.

    Raises
    ------
    AnchorMapError
        For an unknown level, or wards of the 2019 edition.
    """
    out = rollup(table, level)  # checks the level
    code, name = AREA_LEVELS[level]
    if level != "borough":  # wards and MSOAs are listed with their borough
        pairs = table[[code, "borough_name"]].dropna(subset=["borough_name"]).drop_duplicates()
        boroughs = pairs.groupby(code, sort=False)["borough_name"].agg(" and ".join)  # in order of first mention
        out.insert(out.columns.get_loc(name) + 1, "borough_name", out[code].map(boroughs))
    renamed = {name: AREA_HEADINGS[level], "borough_name": AREA_HEADINGS["borough"], **ROLLUP_COLUMNS}
    return out.drop(columns=code).rename(columns=renamed)
