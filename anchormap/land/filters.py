"""Filtering and summarising land and property assets (the "Shared land" page's logic).

Distances are in British National Grid metres (EPSG:27700). Deprivation comes from the LSOA
layer of the chosen IoD edition: each asset on the map gets the ``lsoa_code`` and
``imd_decile`` of the LSOA containing it (decile 1 = the most deprived 10% of areas in
England). "Inside an anchor catchment" means within a straight-line radius of an open anchor
site (:func:`anchormap.analysis.catchment.walk_radius_m` turns walking minutes into that radius).
Assets not on the map have no LSOA or distance, so those two filters leave them out.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from anchormap.errors import AnchorMapError
from anchormap.land.schema import OWNER_TYPES, STATUSES, UNUSED_STATUSES
from anchormap.measures import decile_in_words

CATCHMENT_CHOICES = ("any", "inside", "outside")
CATCHMENT_SOURCES = {"anchors": "an open anchor site", "network": "an open site of our network"}
"""Whose sites catchments are drawn around, and how :func:`describe_filter` says it."""
OWNER_TYPE_LABELS = {
    "council": "Council",
    "nhs": "NHS",
    "gla_group": "GLA group",
    "central_government": "Central government",
    "other_public": "Other public",
    "private": "Private",
    "unknown": "Unknown",
}
STATUS_LABELS = {
    "occupied": "Occupied",
    "vacant": "Vacant",
    "surplus": "Surplus",
    "under_used": "Under-used",
    "brownfield_available": "Brownfield, available",
    "closed_building": "Closed building",
    "unknown": "Unknown",
}


@dataclass(frozen=True)
class LandFilter:
    """Which assets to show. Empty tuples mean "all".

    Attributes
    ----------
    partners : tuple of str
        Keep assets of these partners (``partner`` column).
    owner_types : tuple of str
        Keep these owner types (values of :data:`anchormap.land.schema.OWNER_TYPES`).
    statuses : tuple of str
        Keep these statuses (values of :data:`anchormap.land.schema.STATUSES`).
    unused_only : bool
        Keep only unused space: an unused status or any empty floor area, under-used floor
        area or land not delivering services.
    min_site_area_ha : float
        Smallest site area in hectares (0: no limit; assets of unknown area are left out
        when it is more than 0).
    min_floor_area_m2 : float
        Smallest floor area in square metres (0: no limit; likewise).
    imd_decile_max : int or None
        Keep assets in LSOAs of IMD decile 1 to N (1 = the most deprived 10% in England).
    catchment : {"any", "inside", "outside"}
        Whether assets must be inside or outside ``catchment_m`` of a site.
    catchment_m : float
        Catchment radius in straight-line British National Grid metres (default 923 m,
        15 minutes' walk at the catchment defaults).
    include_off_map : bool
        Keep assets that are not on the map.
    catchment_of : {"anchors", "network"}
        Whose sites the catchments are drawn around (:data:`CATCHMENT_SOURCES`).
    """

    partners: tuple[str, ...] = ()
    owner_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    unused_only: bool = False
    min_site_area_ha: float = 0.0
    min_floor_area_m2: float = 0.0
    imd_decile_max: int | None = None  # keep assets in LSOAs of decile <= N (1 = most deprived)
    catchment: str = "any"  # any | inside | outside
    catchment_m: float = 923.0  # straight-line metres (15 minutes' walk at the catchment defaults)
    include_off_map: bool = True
    catchment_of: str = "anchors"  # anchors | network: whose sites the catchments are drawn around

    def check(self) -> LandFilter:
        """The filter itself when its values are valid.

        Returns
        -------
        LandFilter
            ``self``, unchanged, so calls can be chained.

        Raises
        ------
        AnchorMapError
            On an unknown owner type, status, catchment choice or catchment source, an IMD
            decile outside 1 to 10, a negative minimum area, or a catchment radius that is
            not more than 0 metres.

        Examples
        --------
        >>> LandFilter(statuses=("empty",)).check()
        Traceback (most recent call last):
        ...
        anchormap.errors.AnchorMapError: Unknown owner type or status: empty.
        """
        bad = [o for o in self.owner_types if o not in OWNER_TYPES] + [s for s in self.statuses if s not in STATUSES]
        if bad:
            msg = f"Unknown owner type or status: {', '.join(bad)}."
            raise AnchorMapError(msg)
        if self.catchment_of not in CATCHMENT_SOURCES:
            msg = f"Catchments are of one of {', '.join(CATCHMENT_SOURCES)}, not {self.catchment_of!r}."
            raise AnchorMapError(msg)
        if self.catchment not in CATCHMENT_CHOICES:
            msg = f"Catchment filter must be one of {', '.join(CATCHMENT_CHOICES)}, not {self.catchment!r}."
            raise AnchorMapError(msg)
        if self.imd_decile_max is not None and not 1 <= int(self.imd_decile_max) <= 10:
            msg = f"The IMD decile must be 1 to 10 (got {self.imd_decile_max})."
            raise AnchorMapError(msg)
        if self.min_site_area_ha < 0 or self.min_floor_area_m2 < 0 or self.catchment_m <= 0:
            msg = "Minimum areas must be 0 or more and the catchment radius more than 0 metres."
            raise AnchorMapError(msg)
        return self


def add_deprivation(assets: gpd.GeoDataFrame, lsoas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Copy of ``assets`` with ``lsoa_code`` and ``imd_decile`` of the LSOA containing each point.

    Parameters
    ----------
    assets : geopandas.GeoDataFrame
        Assets in the land schema (:func:`anchormap.land.schema.finalise`): EPSG:27700
        points and ``on_map``.
    lsoas : geopandas.GeoDataFrame
        An LSOA layer with ``lsoa_code`` and ``imd_decile``; reprojected to British
        National Grid (EPSG:27700) if it is in another CRS.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with ``lsoa_code`` (None) and ``imd_decile`` (float, NaN) for assets not on
        the map or in no LSOA; any existing such columns are replaced.
    """
    out = assets.copy()
    out["lsoa_code"] = None
    out["imd_decile"] = np.nan
    on = out["on_map"].astype(bool) & out.geometry.notna()
    if on.any():
        j = gpd.sjoin(
            out.loc[on, ["geometry"]],
            lsoas[["lsoa_code", "imd_decile", "geometry"]].to_crs(27700),
            how="left",
            predicate="within",
        )
        j = j[~j.index.duplicated()]
        out.loc[on, "lsoa_code"] = j["lsoa_code"].astype(object)
        out.loc[on, "imd_decile"] = pd.to_numeric(j["imd_decile"], errors="coerce")
    return out


def add_nearest_anchor(
    assets: gpd.GeoDataFrame, anchors: gpd.GeoDataFrame, categories: list[str] | None = None
) -> gpd.GeoDataFrame:
    """Copy of ``assets`` with the distance to and name of the nearest open anchor site.

    Parameters
    ----------
    assets : geopandas.GeoDataFrame
        Assets in the land schema, with ``on_map`` and ``easting``/``northing`` in British
        National Grid (EPSG:27700) metres.
    anchors : geopandas.GeoDataFrame
        The anchors layer or our network (anchors schema, EPSG:27700 points). Sites whose
        ``status`` is ``"closed"`` and sites without geometry are left out.
    categories : list of str, optional
        Only sites of these category keys; None means all. A network site without a
        category (``""``) counts whatever ``categories`` are chosen.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with ``nearest_anchor_m`` (straight-line BNG metres, rounded to 0.1 m) and
        ``nearest_anchor`` (the site's name); NaN and None for assets not on the map, and
        for every asset when no site is left.
    """
    out = assets.copy()
    out["nearest_anchor_m"] = np.nan
    out["nearest_anchor"] = None
    sites = anchors
    if "status" in sites.columns:
        sites = sites[sites["status"] != "closed"]
    if categories is not None:
        sites = sites[sites["category"].isin(categories) | (sites["category"].fillna("") == "")]
    sites = sites[sites.geometry.notna() & ~sites.geometry.is_empty]
    on = out["on_map"].astype(bool) & out["easting"].notna()
    if len(sites) == 0 or not on.any():
        return out
    xy = np.column_stack([sites.geometry.x.to_numpy(), sites.geometry.y.to_numpy()])
    from scipy.spatial import cKDTree  # SciPy when a catchment is asked for, not with every page

    dist, idx = cKDTree(xy).query(out.loc[on, ["easting", "northing"]].to_numpy(float))
    out.loc[on, "nearest_anchor_m"] = np.round(dist, 1)
    out.loc[on, "nearest_anchor"] = sites["name"].to_numpy()[idx]
    return out


def apply_filter(assets: pd.DataFrame, f: LandFilter) -> pd.DataFrame:
    """The assets that pass ``f``.

    Parameters
    ----------
    assets : pandas.DataFrame
        Assets in the land schema. The IMD filter needs :func:`add_deprivation` first; the
        catchment filter needs :func:`add_nearest_anchor`.
    f : LandFilter
        The filter (checked first with :meth:`LandFilter.check`).

    Returns
    -------
    pandas.DataFrame
        The rows of ``assets`` that pass, with their index. Assets with no known IMD
        decile or no distance (those not on the map) fail the IMD and catchment filters;
        assets of unknown area fail a minimum area above 0.

    Raises
    ------
    AnchorMapError
        When the filter is invalid, or the IMD or catchment filter is used without its
        column (``imd_decile``, ``nearest_anchor_m``).
    """
    f.check()
    keep = pd.Series(True, index=assets.index)
    if f.partners:
        keep &= assets["partner"].isin(f.partners)
    if f.owner_types:
        keep &= assets["owner_type"].isin(f.owner_types)
    if f.statuses:
        keep &= assets["status"].isin(f.statuses)
    if f.unused_only:
        keep &= (
            assets["status"].isin(UNUSED_STATUSES)
            | (assets["empty_floor_area_m2"].fillna(0) > 0)
            | (assets["under_used_floor_area_m2"].fillna(0) > 0)
            | (assets["land_not_delivering_services_ha"].fillna(0) > 0)
        )
    if f.min_site_area_ha > 0:
        keep &= assets["site_area_ha"].fillna(-1) >= f.min_site_area_ha
    if f.min_floor_area_m2 > 0:
        keep &= assets["floor_area_m2"].fillna(-1) >= f.min_floor_area_m2
    if f.imd_decile_max is not None:
        if "imd_decile" not in assets.columns:
            msg = "The IMD decile filter needs deprivation joined first (add_deprivation)."
            raise AnchorMapError(msg)
        keep &= assets["imd_decile"].fillna(99) <= f.imd_decile_max
    if f.catchment != "any":
        if "nearest_anchor_m" not in assets.columns:
            msg = "The catchment filter needs distances to anchors first (add_nearest_anchor)."
            raise AnchorMapError(msg)
        d = assets["nearest_anchor_m"]
        keep &= (d <= f.catchment_m) if f.catchment == "inside" else (d > f.catchment_m)
    if not f.include_off_map:
        keep &= assets["on_map"].astype(bool)
    return assets[keep]


def describe_filter(f: LandFilter) -> str:
    """The filter in words, for captions and export metadata.

    Parameters
    ----------
    f : LandFilter
        The filter (not checked).

    Returns
    -------
    str
        Its conditions joined by "; " (areas in ha and m², the catchment in metres), or
        ``"all assets"`` when it has none.

    Examples
    --------
    >>> describe_filter(LandFilter())
    'all assets'
    >>> describe_filter(LandFilter(statuses=("vacant", "surplus"), catchment="inside"))
    'status: Vacant, Surplus; inside 923 m of an open anchor site'
    """
    parts = []
    if f.partners:
        parts.append("partners: " + ", ".join(f.partners))
    if f.owner_types:
        parts.append("owners: " + ", ".join(OWNER_TYPE_LABELS[o] for o in f.owner_types))
    if f.statuses:
        parts.append("status: " + ", ".join(STATUS_LABELS[s] for s in f.statuses))
    if f.unused_only:
        parts.append(
            "unused space only (vacant, surplus, under-used, brownfield or closed, or with empty floor "
            "area or land not delivering services)"
        )
    if f.min_site_area_ha > 0:
        parts.append(f"site area at least {f.min_site_area_ha:g} ha")
    if f.min_floor_area_m2 > 0:
        parts.append(f"floor area at least {f.min_floor_area_m2:,.0f} m²")
    if f.imd_decile_max is not None:
        n = int(f.imd_decile_max)
        parts.append(
            f"in LSOAs of IMD decile {n} or more deprived (the {n * 10}% most deprived areas in England; "
            f"decile 1 is {decile_in_words(1).removeprefix('among ')})"
        )
    if f.catchment != "any":
        parts.append(f"{f.catchment} {f.catchment_m:,.0f} m of {CATCHMENT_SOURCES.get(f.catchment_of, f.catchment_of)}")
    if not f.include_off_map:
        parts.append("only assets on the map")
    return "; ".join(parts) if parts else "all assets"


def summarise(assets: pd.DataFrame, by: tuple[str, ...] = ("owner_type", "status")) -> pd.DataFrame:
    """Counts, hectares and floor area (m²) by ``by`` (default owner type and status), with a total row.

    Parameters
    ----------
    assets : pandas.DataFrame
        Assets in the land schema.
    by : tuple of str, optional
        Columns to group by (missing values form their own group).

    Returns
    -------
    pandas.DataFrame
        Columns: the ``by`` columns, ``assets`` (count), ``site_area_ha`` (hectares),
        ``floor_area_m2``, ``empty_floor_area_m2``, ``under_used_floor_area_m2`` (square
        metres), ``land_not_delivering_services_ha`` (hectares). Sums are rounded to 2
        decimals and NaN when no asset of the group has a value. The last row is the
        total, with ``"all"`` in the ``by`` columns. No rows for no assets.
    """
    nums = [
        "site_area_ha",
        "floor_area_m2",
        "empty_floor_area_m2",
        "under_used_floor_area_m2",
        "land_not_delivering_services_ha",
    ]
    cols = list(by)
    if len(assets) == 0:
        return pd.DataFrame(columns=[*cols, "assets", *nums])
    grouped = assets.groupby(cols, dropna=False)
    table = grouped.size().rename("assets").to_frame().join(grouped[nums].sum(min_count=1)).reset_index()
    total = {c: "all" for c in cols} | {"assets": len(assets)} | {n: assets[n].sum(min_count=1) for n in nums}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    for n in nums:
        table[n] = pd.to_numeric(table[n], errors="coerce").round(2)
    return table
