"""Borough and ward boundaries, EPSG:27700.

- ``boroughs`` (33 rows): ``borough_code``, ``borough_name``, ``geometry``.
- ``wards_2022`` / ``wards_2025`` (704 rows each): ``ward_code``, ``ward_name``,
  ``borough_code``, ``borough_name``, ``geometry`` (reprojected from the published WGS84).
- ``lsoa11_lsoa21`` (table): ``lsoa11_code``, ``lsoa11_name``, ``lsoa21_code``, ``lsoa21_name``,
  ``change`` (U unchanged, S split, M merged, X complex), ``borough_code``, ``borough_name``,
  ``share_of_lsoa11_area``, ``share_of_lsoa21_area``.
- ``lsoa21_wards`` (table): ``lsoa_code`` (2021), ``ward_2022_code``, ``ward_2022_name``,
  ``ward_2022_share``, ``ward_2025_code``, ``ward_2025_name``, ``ward_2025_share`` (share of
  the LSOA's area in its best-fit ward).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from anchormap.crs import BNG
from anchormap.data.layers.readers import read_table, read_vector


def build_boroughs(paths: dict[str, Path]) -> gpd.GeoDataFrame:
    """The 33 London boroughs (including the City of London). Input: ``boroughs``.

    Parameters
    ----------
    paths : dict of str to pathlib.Path
        Resolved input files by dataset id; needs ``boroughs`` (ONS LAD22 boundaries;
        assumed EPSG:27700 when the file declares no CRS, reprojected to it otherwise).

    Returns
    -------
    geopandas.GeoDataFrame
        ``borough_code``, ``borough_name``, ``geometry`` (polygons in British National
        Grid, EPSG:27700, metres), sorted by ``borough_code``.

    Raises
    ------
    DataSourceError
        When the file cannot be read or lacks a published column.
    """
    cols = {"LAD22CD": "borough_code", "LAD22NM": "borough_name"}
    gdf = read_vector(paths["boroughs"], dataset="boroughs", required=cols, crs=BNG)
    gdf = gdf[[*cols, "geometry"]].rename(columns=cols).to_crs(BNG)
    return gdf.sort_values("borough_code").reset_index(drop=True)


def _build_wards(path: Path, dataset: str, suffix: str) -> gpd.GeoDataFrame:
    cols = {
        f"WD{suffix}CD": "ward_code",
        f"WD{suffix}NM": "ward_name",
        f"LAD{suffix}CD": "borough_code",
        f"LAD{suffix}NM": "borough_name",
    }
    gdf = read_vector(path, dataset=dataset, required=cols, crs=4326)
    gdf = gdf[[*cols, "geometry"]].rename(columns=cols).to_crs(BNG)
    return gdf.sort_values("ward_code").reset_index(drop=True)


def build_wards_2022(paths: dict[str, Path]) -> gpd.GeoDataFrame:
    """London wards, December 2022 boundaries. Input: ``wards2022``.

    Parameters
    ----------
    paths : dict of str to pathlib.Path
        Resolved input files by dataset id; needs ``wards2022`` (published in WGS84,
        EPSG:4326, assumed when the file declares no CRS).

    Returns
    -------
    geopandas.GeoDataFrame
        ``ward_code``, ``ward_name``, ``borough_code``, ``borough_name``, ``geometry``
        (polygons reprojected to British National Grid, EPSG:27700, metres), sorted by
        ``ward_code``.

    Raises
    ------
    DataSourceError
        When the file cannot be read or lacks a published column.
    """
    return _build_wards(paths["wards2022"], "wards2022", "22")


def build_wards_2025(paths: dict[str, Path]) -> gpd.GeoDataFrame:
    """London wards, May 2025 boundaries. Input: ``wards2025``.

    Parameters
    ----------
    paths : dict of str to pathlib.Path
        Resolved input files by dataset id; needs ``wards2025`` (published in WGS84,
        EPSG:4326, assumed when the file declares no CRS).

    Returns
    -------
    geopandas.GeoDataFrame
        As :func:`build_wards_2022`, for the May 2025 wards (EPSG:27700).

    Raises
    ------
    DataSourceError
        When the file cannot be read or lacks a published column.
    """
    return _build_wards(paths["wards2025"], "wards2025", "25")


def build_lsoa11_lsoa21(paths: dict[str, Path]) -> pd.DataFrame:
    """LSOA 2011 to 2021 lookup (derived by overlay). Input: ``lsoa11_lsoa21``.

    Parameters
    ----------
    paths : dict of str to pathlib.Path
        Resolved input files by dataset id; needs ``lsoa11_lsoa21`` (CSV).

    Returns
    -------
    pandas.DataFrame
        One row per (2011 LSOA, 2021 LSOA) pair: ``lsoa11_code``, ``lsoa11_name``,
        ``lsoa21_code``, ``lsoa21_name``, ``change`` (U unchanged, S split, M merged, X
        complex), ``borough_code``, ``borough_name``, ``share_of_lsoa11_area`` and
        ``share_of_lsoa21_area`` (fractions 0 to 1 of each LSOA's area in the pair),
        sorted by the two codes. No geometry.

    Raises
    ------
    DataSourceError
        When the file cannot be read or lacks a published column.
    """
    cols = {
        "LSOA11CD": "lsoa11_code",
        "LSOA11NM": "lsoa11_name",
        "LSOA21CD": "lsoa21_code",
        "LSOA21NM": "lsoa21_name",
        "CHGIND": "change",
        "LAD22CD": "borough_code",
        "LAD22NM": "borough_name",
        "share_of_lsoa11_area": "share_of_lsoa11_area",
        "share_of_lsoa21_area": "share_of_lsoa21_area",
    }
    df = read_table(paths["lsoa11_lsoa21"], dataset="lsoa11_lsoa21", required=cols)
    return df[list(cols)].rename(columns=cols).sort_values(["lsoa11_code", "lsoa21_code"]).reset_index(drop=True)


def build_lsoa21_wards(paths: dict[str, Path]) -> pd.DataFrame:
    """LSOA 2021 to ward (2022 and 2025) best fit by area. Input: ``lsoa21_wards``.

    Parameters
    ----------
    paths : dict of str to pathlib.Path
        Resolved input files by dataset id; needs ``lsoa21_wards`` (CSV).

    Returns
    -------
    pandas.DataFrame
        One row per 2021 LSOA: ``lsoa_code``, ``ward_2022_code``, ``ward_2022_name``,
        ``ward_2022_share``, ``ward_2025_code``, ``ward_2025_name``, ``ward_2025_share``
        (fraction 0 to 1 of the LSOA's area in its best-fit ward), sorted by
        ``lsoa_code``. No geometry.

    Raises
    ------
    DataSourceError
        When the file cannot be read or lacks a published column.
    """
    cols = {
        "LSOA21CD": "lsoa_code",
        "WD22CD": "ward_2022_code",
        "WD22NM": "ward_2022_name",
        "WD22_area_share": "ward_2022_share",
        "WD25CD": "ward_2025_code",
        "WD25NM": "ward_2025_name",
        "WD25_area_share": "ward_2025_share",
    }
    df = read_table(paths["lsoa21_wards"], dataset="lsoa21_wards", required=cols)
    return df[list(cols)].rename(columns=cols).sort_values("lsoa_code").reset_index(drop=True)
