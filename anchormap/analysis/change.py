"""How each London neighbourhood's relative position moved between IoD2019 and IoD2025.

IoD2019 ranks the LSOAs of 2011 (32,844 in England), IoD2025 those of 2021 (33,755). The two are
joined through ONS's LSOA 2011 -> 2021 lookup (layer ``lsoa11_lsoa21``, its ``change`` codes U, S,
M and X), one row per London LSOA 2021:

==========  ==========  ===================================================================
code        change      what the 2025 neighbourhood is compared with
==========  ==========  ===================================================================
U           unchanged   the same neighbourhood in 2011: its published 2019 rank
S           split       its 2011 parent (one 2011 LSOA split into several): the parent's rank
M           merged      the population-weighted average of its 2011 parents
X           redrawn     the population-weighted average of every 2011 LSOA linked to it
==========  ==========  ===================================================================

**Scores are weighted, not ranks.** For a merged or redrawn neighbourhood the 2019 *scores* of
its 2011 parts are averaged, weighted by their mid-2015 population (the measure's own
denominator: working-age people for employment, everyone otherwise; a part of a redrawn LSOA
counts with the share of its area inside the 2021 LSOA), and that score is placed among the 2019
England ranks. This is MHCLG's own way of summarising larger areas (the population-weighted
average score), and for the income and employment domains, whose scores are rates, it is exactly
the rate of the combined area; an average of ranks has no such meaning. The 2019 files in the
mirror carry scores for London only (England has ranks only), so the England rank of a weighted
score is interpolated linearly between the published (score, rank) pairs of London's 4,835 LSOAs
(scores and ranks are in the same order in every domain); it is an estimate, rounded to a whole
rank (:func:`change_method` says so in every file).

**Positions on a common footing.** A rank of 3,000 means something else among 32,844 than among
33,755, so positions are compared as percentile ranks, ``100 * rank / LSOAs in England``
(``percentile_2019``, ``percentile_2025``: the share of England at least as deprived), and
``rank_change`` is the 2025 rank minus the 2019 rank rescaled to 2025's 33,755 LSOAs. Deciles
are each edition's own national deciles (1 = the most deprived 10% of England). Every change is
positive when the neighbourhood became *relatively less deprived*.

:data:`CHANGE_WARNING` is MHCLG's caution, shown beside every table, map and file of change.

>>> decile_change_words(1), decile_change_words(-2), decile_change_words(0)
('moved towards less deprived by 1 decile', 'moved towards more deprived by 2 deciles', 'stayed in the same decile')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from anchormap.data.build import cached_on_layers, load_layer
from anchormap.editions import edition_info
from anchormap.errors import AnchorMapError
from anchormap.measures import MEASURES, get_measure

CHANGE_WARNING = (
    "The Indices of Deprivation rank neighbourhoods relative to each other: a change shows that a "
    "neighbourhood moved up or down England's ranking, not that deprivation in it rose or fell in "
    "absolute terms (MHCLG's caution on comparing editions)."
)
"""MHCLG's warning in words, shown wherever change between editions is shown."""

FROM_EDITION, TO_EDITION = 2019, 2025
"""The editions compared: IoD2019 (LSOA 2011) and IoD2025 (LSOA 2021)."""

CHANGE_TYPES = {"U": "unchanged", "S": "split", "M": "merged", "X": "redrawn"}
"""ONS's change codes of the LSOA 2011 -> 2021 lookup -> the change type in words."""

CHANGE_DATASETS = ("lsoa2011", "imd2019", "lsoa2021", "imd2025", "lsoa11_lsoa21")
"""Manifest ids of the datasets a change table is made of (for attribution and licences)."""

COMPARED_WORDS = {
    "unchanged": "compared directly with the same neighbourhood in 2011",
    "split": "compared with its 2011 parent {names}, which was split in 2021",
    "merged": "compared with the population-weighted average of its 2011 parents {names}",
    "redrawn": (
        "boundaries redrawn: compared with the population-weighted average of every 2011 neighbourhood "
        "linked to it, {names}"
    ),
}
"""What each change type's 2025 neighbourhood was compared with, in words (``{names}``: the 2011 LSOAs,
each as its ONS name and code, "Havering 007A (E01002293)", joined as people write them)."""

DENOMINATORS = {"employment": "population_working_age", "idaci": "population_0_15", "idaopi": "population_60_plus"}
"""The population a measure's score is a rate of, where it is not everyone (``population``)."""

COLUMNS = [
    "lsoa21_code",
    "lsoa21_name",
    "borough_code",
    "borough_name",
    "change_type",
    "lsoa11_codes",
    "compared_with",
    "score_2019",
    "score_2025",
    "rank_2019",
    "rank_2025",
    "percentile_2019",
    "percentile_2025",
    "rank_change",
    "percentile_change",
    "decile_2019",
    "decile_2025",
    "decile_change",
    "change_in_words",
]
"""The columns of :func:`lsoa_change`, in order."""


def _joined(names: list[str]) -> str:
    """Names joined as people write them: "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def change_measures() -> list[str]:
    """The measures published in both editions (the IMD and its seven domains), IMD first.

    >>> change_measures()[:2]
    ['imd', 'income']
    """
    return [k for k, m in MEASURES.items() if FROM_EDITION in m.editions and TO_EDITION in m.editions]


def check_change_measure(measure: str) -> str:
    """``measure`` itself when both editions publish it, else an AnchorMapError naming those that do."""
    get_measure(measure)
    if measure not in change_measures():
        msg = (
            f"The measure '{measure}' is not published in both editions, so its change cannot be shown: "
            f"choose one of {', '.join(change_measures())}."
        )
        raise AnchorMapError(msg)
    return measure


def decile_change_words(change: float | None) -> str:
    """A change of national decile in words (positive: relatively less deprived)."""
    if change is None or change != change:
        return "no data"
    n = int(change)
    if n == 0:
        return "stayed in the same decile"
    way = "less" if n > 0 else "more"
    return f"moved towards {way} deprived by {abs(n)} decile{'s' if abs(n) != 1 else ''}"


def rank_of_score(scores: np.ndarray, known_scores: np.ndarray, known_ranks: np.ndarray) -> np.ndarray:
    """England ranks for ``scores``, interpolated between published (score, rank) pairs.

    Parameters
    ----------
    scores : numpy.ndarray
        Scores to place (the measure's unit; higher is more deprived).
    known_scores, known_ranks : numpy.ndarray
        Published scores and national ranks of the same edition (rank 1 the most deprived); tied
        scores take their mean rank. Scores beyond the known range take the end ranks.

    Returns
    -------
    numpy.ndarray
        Ranks as floats.

    >>> rank_of_score(np.array([15.0]), np.array([10.0, 20.0, 30.0]), np.array([300, 200, 100]))
    array([250.])
    """
    pairs = pd.DataFrame({"s": known_scores, "r": known_ranks}).groupby("s")["r"].mean().sort_index()
    return np.interp(np.asarray(scores, dtype=float), pairs.index.to_numpy(float), pairs.to_numpy(float))


def _decile(rank: pd.Series, n: int) -> pd.Series:
    """National decile of a rank among ``n`` LSOAs, as MHCLG cuts them (1: ranks up to n / 10)."""
    return np.ceil(rank * 10 / n).clip(1, 10).astype("int64")


def compare_editions(
    lsoa11: pd.DataFrame, lsoa21: pd.DataFrame, lookup: pd.DataFrame, measure: str = "imd"
) -> pd.DataFrame:
    """The change table from the three tables it is made of (see :func:`lsoa_change`).

    Parameters
    ----------
    lsoa11 : pandas.DataFrame
        LSOA 2011 with IoD2019: ``lsoa_code``, ``lsoa_name`` (optional), ``<measure>_score``, ``<measure>_rank``,
        ``population`` (and the measure's denominator, :data:`DENOMINATORS`, when it has one).
    lsoa21 : pandas.DataFrame
        LSOA 2021 with IoD2025: ``lsoa_code``, ``lsoa_name``, ``borough_code``, ``borough_name``,
        ``<measure>_score``, ``<measure>_rank``.
    lookup : pandas.DataFrame
        The LSOA 2011 -> 2021 lookup: ``lsoa11_code``, ``lsoa21_code``, ``change`` (U, S, M, X)
        and ``share_of_lsoa11_area`` (0 to 1).
    measure : str
        A measure of :func:`change_measures`.

    Returns
    -------
    pandas.DataFrame
        One row per LSOA of ``lsoa21``, columns :data:`COLUMNS`, in ``lsoa21`` code order.

    Raises
    ------
    AnchorMapError
        For a measure not in both editions, an unknown change code, or an LSOA 2021 the lookup
        does not link to any LSOA 2011 with a 2019 score.
    """
    check_change_measure(measure)
    score, rank = f"{measure}_score", f"{measure}_rank"
    n19, n25 = edition_info(FROM_EDITION).lsoas_in_england, edition_info(TO_EDITION).lsoas_in_england
    weight_col = DENOMINATORS.get(measure, "population")
    if weight_col not in lsoa11.columns:
        weight_col = "population"

    lk = lookup[["lsoa11_code", "lsoa21_code", "change", "share_of_lsoa11_area"]].copy()
    unknown = sorted(set(lk["change"]) - set(CHANGE_TYPES))
    if unknown:
        msg = f"The LSOA 2011 -> 2021 lookup has change codes {', '.join(map(str, unknown))}: expected U, S, M or X."
        raise AnchorMapError(msg)
    lk = lk[lk["lsoa21_code"].isin(lsoa21["lsoa_code"])]
    lk["share"] = lk["share_of_lsoa11_area"] / lk.groupby("lsoa11_code")["share_of_lsoa11_area"].transform("sum")
    old = lsoa11.set_index("lsoa_code")
    lk = lk.join(old[[score, rank, weight_col]].rename(columns={weight_col: "people"}), on="lsoa11_code")
    missing = lk.loc[lk[score].isna(), "lsoa11_code"]
    if len(missing):
        msg = f"{len(missing)} LSOA 2011 codes of the lookup have no 2019 score (e.g. {', '.join(missing[:3])})."
        raise AnchorMapError(msg)
    lk["weight"] = lk["people"].astype(float) * lk["share"]

    groups = lk.sort_values(["lsoa21_code", "lsoa11_code"]).groupby("lsoa21_code", sort=True)
    codes_of = groups["change"].first().where(groups["change"].nunique() == 1, "X")  # rows that disagree: n:m
    parts = pd.DataFrame({"change_type": codes_of.map(CHANGE_TYPES)})
    parts["lsoa11_codes"] = groups["lsoa11_code"].agg("; ".join)
    lk["weighted"] = lk["weight"] * lk[score]
    sums = lk.groupby("lsoa21_code")[["weighted", "weight"]].sum()
    firsts = groups[[score, rank]].first()
    direct = parts["change_type"].isin(["unchanged", "split"])
    weighted = (sums["weighted"] / sums["weight"]).where(sums["weight"] > 0, groups[score].mean())
    parts["score_2019"] = firsts[score].where(direct, weighted).astype(float)
    parts["rank_2019"] = firsts[rank].astype(float).where(direct, np.nan)
    estimate = parts["rank_2019"].isna()
    if estimate.any():
        parts.loc[estimate, "rank_2019"] = rank_of_score(
            parts.loc[estimate, "score_2019"].to_numpy(), old[score].to_numpy(float), old[rank].to_numpy(float)
        )

    new = lsoa21.set_index("lsoa_code")
    out = pd.DataFrame({"lsoa21_code": lsoa21["lsoa_code"].to_numpy()})
    unlinked = sorted(set(out["lsoa21_code"]) - set(parts.index))
    if unlinked:
        msg = (
            f"{len(unlinked)} LSOA 2021 codes are not in the LSOA 2011 -> 2021 lookup (e.g. {', '.join(unlinked[:3])})."
        )
        raise AnchorMapError(msg)
    codes = out["lsoa21_code"]
    out["lsoa21_name"] = codes.map(new["lsoa_name"])
    out["borough_code"] = codes.map(new["borough_code"])
    out["borough_name"] = codes.map(new["borough_name"])
    for col in ("change_type", "lsoa11_codes", "score_2019", "rank_2019"):
        out[col] = codes.map(parts[col]).to_numpy()
    names = old["lsoa_name"] if "lsoa_name" in old.columns else pd.Series(dtype=object)

    def named(code: str) -> str:
        name = names.get(code)
        return f"{name} ({code})" if isinstance(name, str) and name else code

    out["compared_with"] = [
        COMPARED_WORDS[k].format(names=_joined([named(x) for x in c.split("; ")]))
        for k, c in zip(out["change_type"], out["lsoa11_codes"], strict=True)
    ]
    out["score_2019"] = out["score_2019"].astype(float).round(3)
    out["score_2025"] = codes.map(new[score]).astype(float).to_numpy()
    out["rank_2019"] = out["rank_2019"].astype(float).round().astype("int64")
    out["rank_2025"] = codes.map(new[rank]).astype("int64").to_numpy()
    out["percentile_2019"] = (100 * out["rank_2019"] / n19).round(2)
    out["percentile_2025"] = (100 * out["rank_2025"] / n25).round(2)
    out["rank_change"] = (out["rank_2025"] - out["rank_2019"] * n25 / n19).round().astype("int64")
    out["percentile_change"] = (out["percentile_2025"] - out["percentile_2019"]).round(2)
    out["decile_2019"] = _decile(out["rank_2019"], n19)
    out["decile_2025"] = _decile(out["rank_2025"], n25)
    out["decile_change"] = out["decile_2025"] - out["decile_2019"]
    out["change_in_words"] = out["decile_change"].map(decile_change_words)
    return out[COLUMNS]


@cached_on_layers("lsoa_2011", "lsoa_2021", "lsoa11_lsoa21", maxsize=8)
def _change_table(measure: str) -> pd.DataFrame:
    return compare_editions(load_layer("lsoa_2011"), load_layer("lsoa_2021"), load_layer("lsoa11_lsoa21"), measure)


def lsoa_change(measure: str = "imd") -> pd.DataFrame:
    """How each London LSOA 2021's relative position moved from IoD2019 to IoD2025.

    Worked out once per process and measure, and again after the layers are rebuilt
    (:func:`anchormap.data.build.cached_on_layers`). The method, and why scores are weighted
    rather than ranks, is in the module's docstring.

    Parameters
    ----------
    measure : str
        A measure published in both editions (:func:`change_measures`): the IMD or a domain.

    Returns
    -------
    pandas.DataFrame
        One row per London LSOA 2021 (4,994), columns :data:`COLUMNS`:

        - ``lsoa21_code``, ``lsoa21_name``, ``borough_code``, ``borough_name``;
        - ``change_type``: unchanged, split, merged or redrawn (:data:`CHANGE_TYPES`);
        - ``lsoa11_codes`` (the 2011 LSOAs compared, joined with "; ") and ``compared_with``
          (:data:`COMPARED_WORDS`);
        - ``score_2019`` (published, or population-weighted) and ``score_2025`` (the measure's score);
        - ``rank_2019`` (among England's 32,844 LSOAs of 2011; interpolated for merged and
          redrawn ones) and ``rank_2025`` (among 33,755), 1 the most deprived;
        - ``percentile_2019``, ``percentile_2025``: 100 * rank / LSOAs in England (percent);
        - ``rank_change``: ``rank_2025`` minus ``rank_2019`` rescaled to 33,755 LSOAs;
          ``percentile_change`` in percentage points; ``decile_2019``, ``decile_2025`` (1 = the
          most deprived 10% of England) and ``decile_change`` — all positive when the
          neighbourhood became relatively less deprived;
        - ``change_in_words`` (:func:`decile_change_words`).

        Do not modify it in place: it is shared.

    Raises
    ------
    AnchorMapError
        For a measure not published in both editions, or a layer that cannot be built.
    """
    return _change_table(check_change_measure(measure))


def change_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many neighbourhoods of a change table moved towards less deprived, more deprived, or kept
    their decile.

    >>> change_counts(pd.DataFrame({"decile_change": [1, 0, -2, 3]}))
    {'less deprived': 2, 'same decile': 1, 'more deprived': 1}
    """
    d = table["decile_change"]
    return {
        "less deprived": int((d > 0).sum()),
        "same decile": int((d == 0).sum()),
        "more deprived": int((d < 0).sum()),
    }


def change_summary(
    measure: str = "imd", borough_code: str | None = None, *, lsoa_codes=None, place_label: str | None = None
) -> str:
    """One plain-English sentence on how London's (or a borough's, or a place's) neighbourhoods moved, 2019 -> 2025.

    Parameters
    ----------
    measure : str
        A measure of :func:`change_measures`.
    borough_code : str, optional
        A borough's code; None for all of London.
    lsoa_codes : iterable of str, optional
        A place's LSOA 2021 codes instead (:func:`change_in_place`), named ``place_label``.
    place_label : str, optional
        The place's name in words, with ``lsoa_codes``.

    Returns
    -------
    str
        The counts of neighbourhoods that moved towards less and more deprived deciles and kept theirs.
    """
    table = lsoa_change(measure)
    place = "London"
    if lsoa_codes is not None:
        table = change_in_place(lsoa_codes, measure)
        place = place_label or "the place"
    elif borough_code:
        table = table[table["borough_code"] == borough_code]
        if table.empty:
            msg = f"No LSOAs found for borough code {borough_code!r}."
            raise AnchorMapError(msg)
        place = str(table["borough_name"].iloc[0])
    c = change_counts(table)
    return (
        f"In {place}, of {len(table):,} neighbourhoods (LSOAs of 2021), {c['less deprived']:,} moved to a less "
        f"deprived national decile between the 2019 and 2025 editions on {MEASURES[measure].plain}, "
        f"{c['more deprived']:,} to a more deprived one and {c['same decile']:,} stayed in the same decile."
    )


CHANGE_FORMATS = ("csv", "geojson")
"""The formats of ``anchormap export change``: CSV (with its CSVW sidecar) or GeoJSON (WGS84)."""


def change_method(measure: str) -> str:
    """The method of a change table in words, ending with :data:`CHANGE_WARNING` (for files' descriptions)."""
    m = MEASURES[check_change_measure(measure)]
    return (
        f"How each London neighbourhood (LSOA 2021) moved in England's ranking on {m.label} between the "
        f"Indices of Deprivation {FROM_EDITION} (LSOA 2011, {edition_info(FROM_EDITION).lsoas_in_england:,} "
        f"LSOAs in England) and {TO_EDITION} (LSOA 2021, {edition_info(TO_EDITION).lsoas_in_england:,}), "
        "through the LSOA 2011 to 2021 lookup. Unchanged neighbourhoods are compared directly, split ones "
        "with their 2011 parent, merged ones with the population-weighted average score of their 2011 "
        "parents, redrawn ones with that of every 2011 neighbourhood linked to them (a weighted score is "
        "placed among England's 2019 ranks by interpolating London's published scores and ranks: an "
        "estimate). Positions are compared as percentile ranks (100 x rank / LSOAs in England); the rank "
        f"change rescales the 2019 rank to {edition_info(TO_EDITION).lsoas_in_england:,} LSOAs. Deciles are each "
        "edition's national deciles (1 = the most deprived 10% of England). Every change is positive "
        f"when the neighbourhood became relatively less deprived. {CHANGE_WARNING}"
    )


def export_change(fmt: str, out, measure: str = "imd", place: str | None = None) -> int:
    """Write :func:`lsoa_change` as CSV (with its CSVW sidecar) or GeoJSON (WGS84, LSOA 2021 polygons).

    Parameters
    ----------
    fmt : {"csv", "geojson"}
        CSV: RFC 4180 with the sidecar ``NAME.csv-metadata.json``, whose description is
        :func:`change_method` (with :data:`CHANGE_WARNING`); GeoJSON: RFC 7946 in EPSG:4326, each
        row with its LSOA 2021 polygon, the same metadata in its ``anchormap`` member.
    out : str or pathlib.Path
        The file to write (atomically).
    measure : str
        A measure of :func:`change_measures`.
    place : str, optional
        A place as text (:func:`anchormap.geo.place_text.parse_place`): only its LSOAs of 2021
        (:func:`change_in_place`, most improved first). None: every London LSOA 2021.

    Returns
    -------
    int
        Rows written (4,994 for all of London).

    Raises
    ------
    AnchorMapError
        For another format or a measure not in both editions.
    """
    from anchormap.data.attribution import attribution_lines
    from anchormap.data.exports import write_table

    if fmt not in CHANGE_FORMATS:
        msg = f"Unknown format '{fmt}' for the change table: choose csv or geojson."
        raise AnchorMapError(msg)
    table = lsoa_change(measure)
    where = "London"
    if place is not None:
        from anchormap.geo.places import resolve_place

        resolved = resolve_place(place, TO_EDITION)
        table, where = change_in_place(resolved.lsoa_codes, measure), resolved.label
    meta = {
        "title": f"AnchorMap: change in relative deprivation, {FROM_EDITION} to {TO_EDITION} ({MEASURES[measure].label}), "
        f"{where}",
        "formula": change_method(measure),
        "measure": measure,
        "place": place or "all of London",
        "editions": f"{FROM_EDITION} (LSOA 2011) and {TO_EDITION} (LSOA 2021)",
        "warning": CHANGE_WARNING,
        "rows": len(table),
        "attribution": attribution_lines(CHANGE_DATASETS, with_editions=True),
    }
    data = table
    if fmt == "geojson":
        shapes = load_layer(edition_info(TO_EDITION).lsoa_layer)[["lsoa_code", "geometry"]]
        data = shapes.rename(columns={"lsoa_code": "lsoa21_code"}).merge(table, on="lsoa21_code", how="right")
        data = data[[*table.columns, "geometry"]]
    return write_table(data, fmt, out, metadata=meta, layer="lsoa_change", datasets=CHANGE_DATASETS)


CHANGE_HEADINGS = {
    "lsoa21_name": "Neighbourhood",
    "borough_name": "Borough",
    "decile_2019": f"Decile {FROM_EDITION}",
    "decile_2025": f"Decile {TO_EDITION}",
    "change_in_words": "Change of decile",
    "percentile_change": "Change in England's ranking (percentage points)",
    "change_type": "Boundaries since 2011",
    "compared_with": "Compared with",
}
"""The columns of a change table shown to people (a place profile's table), with their headings in words."""


def change_in_place(lsoa_codes, measure: str = "imd") -> pd.DataFrame:
    """The rows of :func:`lsoa_change` for a place's LSOAs of 2021, the most improved first.

    Parameters
    ----------
    lsoa_codes : iterable of str
        LSOA 2021 codes, e.g. ``resolve_place(text, 2025).lsoa_codes``.
    measure : str
        A measure of :func:`change_measures`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, sorted by ``percentile_change`` (largest move towards less deprived
        first), then code.

    Raises
    ------
    AnchorMapError
        When none of the codes is a London LSOA of 2021 (e.g. a place resolved for 2019).
    """
    wanted = set(lsoa_codes)
    table = lsoa_change(measure)
    rows = table[table["lsoa21_code"].isin(wanted)]
    if rows.empty:
        msg = "None of the place's neighbourhoods is a London LSOA of 2021: resolve the place for the 2025 edition."
        raise AnchorMapError(msg)
    return rows.sort_values(["percentile_change", "lsoa21_code"], ascending=[False, True]).reset_index(drop=True)


def change_in_words(rows: pd.DataFrame) -> pd.DataFrame:
    """A change table as people read it: :data:`CHANGE_HEADINGS`' columns under their headings.

    >>> row = {c: "x" for c in CHANGE_HEADINGS} | {"change_type": "split", "percentile_change": 1.5}
    >>> list(change_in_words(pd.DataFrame([row])).iloc[0][["Boundaries since 2011"]])
    ['Split']
    """
    out = rows[list(CHANGE_HEADINGS)].copy()
    out["change_type"] = out["change_type"].astype(str).str.capitalize()
    return out.rename(columns=CHANGE_HEADINGS).reset_index(drop=True)
