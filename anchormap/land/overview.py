"""What the Shared land page says about the assets it shows: totals and the ones not on the map."""

from __future__ import annotations

import pandas as pd

TOTAL_COLUMNS = ("site_area_ha", "floor_area_m2", "empty_floor_area_m2")
"""The space summed over the assets shown."""


def land_totals(assets: pd.DataFrame) -> dict[str, float]:
    """Site area (hectares), floor area and empty floor area (m²) summed over ``assets``.

    Parameters
    ----------
    assets : DataFrame
        Land assets (:func:`anchormap.land.assets.all_assets` or a filtered copy).

    Returns
    -------
    dict of str to float
        ``site_area_ha``, ``floor_area_m2``, ``empty_floor_area_m2``.

    >>> land_totals(pd.DataFrame({"site_area_ha": [1.5, 0.5], "floor_area_m2": [100, 0],
    ...                           "empty_floor_area_m2": [0, 20]}))
    {'site_area_ha': 2.0, 'floor_area_m2': 100.0, 'empty_floor_area_m2': 20.0}
    """
    return {col: float(assets[col].sum()) for col in TOTAL_COLUMNS}


def off_map(assets: pd.DataFrame) -> pd.DataFrame:
    """The assets without a position on the map (``on_map`` false), with their reasons.

    Parameters
    ----------
    assets : DataFrame
        Land assets with ``on_map`` and ``not_on_map_reason``.

    Returns
    -------
    DataFrame
    """
    return assets[~assets["on_map"].astype(bool)]
