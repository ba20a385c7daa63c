"""LSOA layers with the English Indices of Deprivation joined on.

``lsoa_2011`` (4,835 rows) and ``lsoa_2021`` (4,994 rows), EPSG:27700, full (generalised
clipped 20 m) geometry. Schema, one row per LSOA:

- ``lsoa_code``, ``lsoa_name``, ``msoa_code``, ``msoa_name``, ``borough_code``, ``borough_name``
- for each measure key in :mod:`anchormap.measures` published in that edition:
  ``<key>_score``, ``<key>_rank`` (1 = most deprived in England), ``<key>_decile`` (1 = most
  deprived 10% of LSOAs in England)
- ``population`` (mid-2015, excluding prisoners; IoD2019 denominators). For LSOA 2021 it is
  apportioned from LSOA 2011 by the share of area in the 2011-to-2021 lookup (estimate).
- 2019 only: ``population_0_15``, ``population_16_59``, ``population_60_plus``,
  ``population_working_age``
- 2025 only: sub-domain columns (``children_young_people``, ``adult_skills``,
  ``geographical_barriers``, ``wider_barriers``, ``indoors``, ``outdoors``; score/rank/decile)
  and the best-fit ward codes ``ward_2022_code``/``ward_2022_name``/``ward_2025_code``/``ward_2025_name``
- ``geometry``
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from anchormap.crs import BNG
from anchormap.data.layers.readers import read_table, read_vector
from anchormap.errors import DataSourceError

_IMD2019_PREFIX = {
    "imd": "Index of Multiple Deprivation (IMD)",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "housing": "Barriers to Housing and Services",
    "environment": "Living Environment",
    "idaci": "Income Deprivation Affecting Children Index (IDACI)",
    "idaopi": "Income Deprivation Affecting Older People (IDAOPI)",
}
_IMD2019_POPULATION = {
    "Total population: mid 2015 (excluding prisoners)": "population",
    "Dependent Children aged 0-15: mid 2015 (excluding prisoners)": "population_0_15",
    "Population aged 16-59: mid 2015 (excluding prisoners)": "population_16_59",
    "Older population aged 60 and over: mid 2015 (excluding prisoners)": "population_60_plus",
    "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners) ": "population_working_age",
}
_IMD2025_PREFIX = {
    "imd": "IMD",
    "income": "Income",
    "employment": "Employment",
    "education": "Education",
    "health": "Health",
    "crime": "Crime",
    "housing": "Housing_and_Services",
    "environment": "Environment",
}
_IMD2025_SUBDOMAINS = {
    "children_young_people": "children_and_young_people",
    "adult_skills": "adult_skills",
    "geographical_barriers": "geographical_barriers",
    "wider_barriers": "wider_barriers",
    "indoors": "indoors",
    "outdoors": "outdoors",
}


def _imd2019_columns(columns: list[str]) -> dict[str, str]:
    """Map the published IoD2019 headers to ``<key>_score|rank|decile``."""
    rename: dict[str, str] = {}
    for key, prefix in _IMD2019_PREFIX.items():
        for col in columns:
            if not col.startswith(prefix + " "):
                continue
            rest = col[len(prefix) + 1 :]
            for part in ("Score", "Rank", "Decile"):
                if rest.startswith(part):
                    rename[col] = f"{key}_{part.lower()}"
    return rename


def read_imd2019(path: Path) -> pd.DataFrame:
    """IoD2019 London table (4,835 LSOA 2011) with AnchorMap column names.

    Parameters
    ----------
    path : pathlib.Path
        The published IoD2019 CSV (dataset ``imd2019``), London rows.

    Returns
    -------
    pandas.DataFrame
        ``lsoa_code`` (2011); ``<key>_score``, ``<key>_rank`` (1 = most deprived in England)
        and ``<key>_decile`` (1 = most deprived 10%) for the IMD, its seven domains, IDACI
        and IDAOPI; ``population``, ``population_0_15``, ``population_16_59``,
        ``population_60_plus`` and ``population_working_age`` (persons, mid-2015,
        excluding prisoners). Ranks, deciles and populations are int64 (thousands
        separators removed).

    Raises
    ------
    DataSourceError
        When the file cannot be read or lacks the LSOA code, a population or a score,
        rank or decile column.
    """
    df = read_table(path, dataset="imd2019", required=["LSOA code (2011)", *_IMD2019_POPULATION])
    rename = _imd2019_columns(list(df.columns))
    expected = {f"{k}_{p}" for k in _IMD2019_PREFIX for p in ("score", "rank", "decile")}
    missing = expected - set(rename.values())
    if missing:
        msg = f"Dataset 'imd2019': the file {path} lacks columns for {', '.join(sorted(missing))}."
        raise DataSourceError(msg)
    rename["LSOA code (2011)"] = "lsoa_code"
    rename.update(_IMD2019_POPULATION)
    out = df[list(rename)].rename(columns=rename)
    for col in out.columns:
        if col.endswith(("_rank", "_decile")) or col.startswith("population"):
            out[col] = pd.to_numeric(out[col].astype(str).str.replace(",", ""), errors="raise").astype("int64")
    return out


def _imd2025_columns(prefixes: dict[str, str]) -> dict[str, str]:
    """Published IoD2025 header -> AnchorMap name: ``lsoa21_code`` and ``<prefix>_<part>`` ->
    ``<key>_<part>`` for every key -> prefix of ``prefixes`` and part score, rank, decile."""
    rename = {"lsoa21_code": "lsoa_code"}
    for key, prefix in prefixes.items():
        for part in ("score", "rank", "decile"):
            rename[f"{prefix}_{part}"] = f"{key}_{part}"
    return rename


def read_imd2025(path: Path, subdomains_path: Path | None = None) -> pd.DataFrame:
    """IoD2025 England table (33,755 LSOA 2021) with AnchorMap column names.

    Parameters
    ----------
    path : pathlib.Path
        The published IoD2025 CSV (dataset ``imd2025``), every LSOA in England.
    subdomains_path : pathlib.Path, optional
        The sub-domains CSV (dataset ``imd2025_subdomains``); left out when None.

    Returns
    -------
    pandas.DataFrame
        ``lsoa_code`` (2021) and ``<key>_score``, ``<key>_rank`` (1 = most deprived in
        England), ``<key>_decile`` (1 = most deprived 10%) for the IMD and its seven
        domains and, with ``subdomains_path``, the six sub-domains
        (``children_young_people``, ``adult_skills``, ``geographical_barriers``,
        ``wider_barriers``, ``indoors``, ``outdoors``), joined one to one.

    Raises
    ------
    DataSourceError
        When a file cannot be read or lacks a published column.
    """
    rename = _imd2025_columns(_IMD2025_PREFIX)
    df = read_table(path, dataset="imd2025", required=list(rename))
    out = df[list(rename)].rename(columns=rename)
    if subdomains_path is not None:
        sub_rename = _imd2025_columns(_IMD2025_SUBDOMAINS)
        sub = read_table(subdomains_path, dataset="imd2025_subdomains", required=list(sub_rename))
        out = out.merge(sub[list(sub_rename)].rename(columns=sub_rename), on="lsoa_code", how="left", validate="1:1")
    return out


def _join_complete(gdf: gpd.GeoDataFrame, table: pd.DataFrame, what: str) -> gpd.GeoDataFrame:
    merged = gdf.merge(table, on="lsoa_code", how="left", validate="1:1")
    unmatched = merged.loc[merged[table.columns.drop("lsoa_code")[0]].isna(), "lsoa_code"]
    if len(unmatched):
        msg = f"{what}: {len(unmatched)} LSOAs have no deprivation data (e.g. {', '.join(unmatched[:5])})."
        raise DataSourceError(msg)
    return merged


def _valid(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    bad = ~gdf.geometry.is_valid
    if bad.any():
        gdf = gdf.copy()
        gdf.loc[bad, "geometry"] = gdf.loc[bad, "geometry"].make_valid()
    return gdf


def build_lsoa_2011(paths: dict[str, Path]) -> gpd.GeoDataFrame:
    """LSOA 2011 polygons (EPSG:27700) with IoD2019. Inputs: ``lsoa2011``, ``imd2019``.

    Parameters
    ----------
    paths : dict of str to pathlib.Path
        Resolved input files by dataset id: ``lsoa2011`` (shapefile; assumed EPSG:27700
        when it declares no CRS) and ``imd2019``.

    Returns
    -------
    geopandas.GeoDataFrame
        The ``lsoa_2011`` layer (4,835 rows; schema in the module docstring): polygons in
        British National Grid (EPSG:27700, metres), invalid ones repaired with
        ``make_valid``, sorted by ``lsoa_code``.

    Raises
    ------
    DataSourceError
        When a file cannot be read or lacks a column, or an LSOA has no IoD2019 row.
    """
    cols = {
        "LSOA11CD": "lsoa_code",
        "LSOA11NM": "lsoa_name",
        "MSOA11CD": "msoa_code",
        "MSOA11NM": "msoa_name",
        "LAD11CD": "borough_code",
        "LAD11NM": "borough_name",
    }
    gdf = read_vector(paths["lsoa2011"], dataset="lsoa2011", required=cols, crs=BNG)
    gdf = _valid(gdf[[*cols, "geometry"]].rename(columns=cols).to_crs(BNG))
    out = _join_complete(gdf, read_imd2019(paths["imd2019"]), "IoD2019 join")
    return out.sort_values("lsoa_code").reset_index(drop=True)


def build_lsoa_2021(paths: dict[str, Path]) -> gpd.GeoDataFrame:
    """LSOA 2021 polygons (EPSG:27700) with IoD2025, wards and an apportioned population.

    Inputs: ``lsoa2021``, ``imd2025``, ``imd2025_subdomains``, ``lsoa21_wards``,
    ``lsoa11_lsoa21``, ``imd2019`` (for the population denominators).

    Parameters
    ----------
    paths : dict of str to pathlib.Path
        Resolved input files by dataset id (those above; ``imd2025_subdomains`` may be
        left out, and then so are the sub-domain columns).

    Returns
    -------
    geopandas.GeoDataFrame
        The ``lsoa_2021`` layer (4,994 rows; schema in the module docstring): polygons in
        British National Grid (EPSG:27700, metres), invalid ones repaired, with IoD2025,
        best-fit 2022 and 2025 wards and ``population`` apportioned from 2011 by
        :func:`apportion_population`, sorted by ``lsoa_code``.

    Raises
    ------
    DataSourceError
        When a file cannot be read or lacks a column, or an LSOA has no IoD2025 row.
    """
    cols = {
        "LSOA21CD": "lsoa_code",
        "LSOA21NM": "lsoa_name",
        "MSOA21CD": "msoa_code",
        "MSOA21NM": "msoa_name",
        "LAD22CD": "borough_code",
        "LAD22NM": "borough_name",
    }
    gdf = read_vector(paths["lsoa2021"], dataset="lsoa2021", required=cols, crs=BNG)
    gdf = _valid(gdf[[*cols, "geometry"]].rename(columns=cols).to_crs(BNG))
    imd = read_imd2025(paths["imd2025"], paths.get("imd2025_subdomains"))
    out = _join_complete(gdf, imd, "IoD2025 join")

    wards = read_table(
        paths["lsoa21_wards"], dataset="lsoa21_wards", required=["LSOA21CD", "WD22CD", "WD22NM", "WD25CD", "WD25NM"]
    )
    wards = wards.rename(
        columns={
            "LSOA21CD": "lsoa_code",
            "WD22CD": "ward_2022_code",
            "WD22NM": "ward_2022_name",
            "WD25CD": "ward_2025_code",
            "WD25NM": "ward_2025_name",
        }
    )
    out = out.merge(
        wards[["lsoa_code", "ward_2022_code", "ward_2022_name", "ward_2025_code", "ward_2025_name"]],
        on="lsoa_code",
        how="left",
        validate="1:1",
    )

    pop = apportion_population(
        read_table(
            paths["lsoa11_lsoa21"], dataset="lsoa11_lsoa21", required=["LSOA11CD", "LSOA21CD", "share_of_lsoa11_area"]
        ),
        read_imd2019(paths["imd2019"])[["lsoa_code", "population"]],
    )
    out = out.merge(pop, on="lsoa_code", how="left", validate="1:1")
    return out.sort_values("lsoa_code").reset_index(drop=True)


def apportion_population(lookup: pd.DataFrame, pop2011: pd.DataFrame) -> pd.DataFrame:
    """Population of each LSOA 2021 from LSOA 2011 populations (persons, mid-2015).

    Each LSOA 2011 contributes its population times ``share_of_lsoa11_area`` to every
    LSOA 2021 it maps to; shares are normalised per LSOA 2011 so no one is lost or
    counted twice. Unchanged and merged LSOAs are exact; split ones are an area-weighted
    estimate.

    Parameters
    ----------
    lookup : pandas.DataFrame
        The 2011-to-2021 lookup with its published headers ``LSOA11CD``, ``LSOA21CD`` and
        ``share_of_lsoa11_area`` (fraction of the 2011 LSOA's area in the pair).
    pop2011 : pandas.DataFrame
        ``lsoa_code`` (2011) and ``population`` (persons).

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa_code`` (2021, sorted) and ``population`` (rounded persons, int64).

    Examples
    --------
    E01 is split 0.6 / 0.3 by area (normalised to 2/3 and 1/3); E02 and E03 merge:

    >>> lookup = pd.DataFrame({"LSOA11CD": ["E01", "E01", "E02", "E03"],
    ...                        "LSOA21CD": ["N1", "N2", "N3", "N3"],
    ...                        "share_of_lsoa11_area": [0.6, 0.3, 1.0, 1.0]})
    >>> pop2011 = pd.DataFrame({"lsoa_code": ["E01", "E02", "E03"], "population": [1500, 1200, 1300]})
    >>> apportion_population(lookup, pop2011).to_dict("list")
    {'lsoa_code': ['N1', 'N2', 'N3'], 'population': [1000, 500, 2500]}
    """
    lk = lookup[["LSOA11CD", "LSOA21CD", "share_of_lsoa11_area"]].copy()
    lk["share"] = lk["share_of_lsoa11_area"] / lk.groupby("LSOA11CD")["share_of_lsoa11_area"].transform("sum")
    lk = lk.merge(pop2011.rename(columns={"lsoa_code": "LSOA11CD"}), on="LSOA11CD", how="left")
    lk["part"] = lk["population"] * lk["share"]
    out = (
        lk.groupby("LSOA21CD", as_index=False)["part"]
        .sum()
        .rename(columns={"LSOA21CD": "lsoa_code", "part": "population"})
    )
    out["population"] = out["population"].round().astype("int64")
    return out
