"""What the Shared land page says about the assets it shows: totals and the ones not on the map."""

from __future__ import annotations

import pandas as pd

from anchormap.land.filters import OWNER_TYPE_LABELS, STATUS_LABELS
from anchormap.words import readable_table, sources_and_dates

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


# --------------------------------------------------------------------------- the page's tables
ASSET_TABLE_COLUMNS = {
    "name": "Name",
    "status": "Status",
    "owner_type": "Owner type",
    "site_area_ha": "Site area (ha)",
    "floor_area_m2": "Floor area (m²)",
    "empty_floor_area_m2": "Empty floor area (m²)",
    "land_not_delivering_services_ha": "Land not delivering services (ha)",
    "imd_decile": "Deprivation decile (1 = most deprived)",
    "nearest_anchor_m": "Nearest anchor (m)",
    "partner": "Partner",
    "owner_organisation": "Owner",
    "holding_use": "Holding or use",
    "address": "Address",
    "postcode": "Postcode",
    "source_words": "Source and date",
    "on_map": "On the map",
    "not_on_map_reason": "Why not on the map",
    "duplicate_names": "Possibly the same place as",
}
"""The Shared land page's asset table: column -> heading, in the order shown (status and space
next to the name: on a laptop screen the last columns are scrolled out of view)."""

SUMMARY_HEADINGS = {
    "owner_type": "Owner type",
    "status": "Status",
    "assets": "Assets",
    "site_area_ha": "Site area (ha)",
    "floor_area_m2": "Floor area (m²)",
    "empty_floor_area_m2": "Empty floor area (m²)",
    "under_used_floor_area_m2": "Under-used floor area (m²)",
    "land_not_delivering_services_ha": "Land not delivering services (ha)",
}

PAIR_HEADINGS = {
    "name_a": "First asset",
    "partner_a": "Its partner",
    "name_b": "Second asset",
    "partner_b": "Its partner ",
    "reason": "Why they may be the same",
    "distance_m": "Distance apart (m)",
    "name_similarity": "Name similarity (0 to 1)",
}
"""The possible-duplicate pairs as the page shows them (ids left out; the second "partner"
heading ends in a space so that the two columns keep apart)."""


def duplicate_names(assets: pd.DataFrame) -> pd.Series:
    """For each asset, the names (and partners) of the assets it may duplicate, "; "-separated
    ("" for none): what ``possible_duplicates`` holds as ids, in words."""
    if "possible_duplicates" not in assets.columns:
        return pd.Series("", index=assets.index)
    names = dict(zip(assets["asset_id"], assets["name"].fillna("(no name)"), strict=True))
    partners = dict(zip(assets["asset_id"], assets["partner"].fillna(""), strict=True))

    def words(ids) -> str:
        if not isinstance(ids, str) or not ids:
            return ""
        out = []
        for k in ids.split("; "):
            if k in names:
                out.append(f"{names[k]} ({partners[k]})" if partners[k] else str(names[k]))
        return "; ".join(out)

    return assets["possible_duplicates"].map(words)


def _in_words(assets: pd.DataFrame) -> pd.DataFrame:

    out = assets.copy()
    out["status"] = out["status"].map(lambda s: STATUS_LABELS.get(s, s))
    if "owner_type" in out.columns:
        out["owner_type"] = out["owner_type"].map(lambda s: OWNER_TYPE_LABELS.get(s, s))
    out["source_words"] = sources_and_dates(out["source"], out.get("source_date"), out["partner"])
    out["duplicate_names"] = duplicate_names(assets)
    return out


def asset_table(assets: pd.DataFrame) -> pd.DataFrame:
    """The assets as the Shared land page lists them: headings in words, statuses and owner
    types in words, each row's source with its date, possible duplicates by name, no ids and
    no empty cell shown as "None".

    Parameters
    ----------
    assets : DataFrame
        Land assets (filtered), with ``imd_decile`` and ``nearest_anchor_m`` when the page added them.

    Returns
    -------
    DataFrame
        The columns of :data:`ASSET_TABLE_COLUMNS` present, under their headings.
    """
    return readable_table(_in_words(assets), list(ASSET_TABLE_COLUMNS), ASSET_TABLE_COLUMNS)


def off_map_table(assets: pd.DataFrame) -> pd.DataFrame:
    """The assets not on the map (:func:`off_map`) with their partner, source and date and why.

    Returns
    -------
    DataFrame
        Name, partner, source and date, why not on the map.
    """
    cols = ["name", "partner", "source_words", "not_on_map_reason"]
    return readable_table(_in_words(off_map(assets)), cols, ASSET_TABLE_COLUMNS)


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`anchormap.land.filters.summarise` in words: owner types and statuses named, the
    total row "All", sums that no asset gives left empty (not "None").

    >>> t = pd.DataFrame({"owner_type": ["nhs", "all"], "status": ["under_used", "all"], "assets": [2, 2],
    ...                   "site_area_ha": [float("nan"), float("nan")]})
    >>> summary_table(t).to_dict("records")[1]
    {'Owner type': 'All', 'Status': 'All', 'Assets': 2, 'Site area (ha)': ''}
    """
    out = summary.copy()
    words = {**OWNER_TYPE_LABELS, **STATUS_LABELS, "all": "All"}
    for c in ("owner_type", "status"):
        if c in out.columns:
            out[c] = out[c].map(lambda v: words.get(v, v))
    return readable_table(out, list(out.columns), SUMMARY_HEADINGS)


def pairs_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Possible duplicate pairs (:func:`anchormap.land.duplicates.find_duplicates`) by name and
    partner, with the reason and distance; the asset ids are left out."""
    return readable_table(pairs, list(PAIR_HEADINGS), PAIR_HEADINGS)


SUBMISSION_HEADINGS = {
    "id": "Submission number",
    "partner": "Partner",
    "uploaded_at": "Uploaded (UTC)",
    "file_name": "File",
    "register_kind": "Kind of register",
    "rows_accepted": "Rows accepted",
    "rows_rejected": "Rows rejected",
    "status": "Status",
    "withdrawn_at": "Withdrawn (UTC)",
}
"""The store's submissions as the page lists them (the number is the one to withdraw; the
file's checksum is left out)."""


def submissions_table(submissions: pd.DataFrame) -> pd.DataFrame:
    """:meth:`anchormap.land.store.LandStore.submissions` with headings and values in words.

    >>> t = pd.DataFrame({"id": [3], "status": ["active"], "withdrawn_at": [None], "file_sha256": ["ab"]})
    >>> submissions_table(t).to_dict("records")
    [{'Submission number': 3, 'Status': 'active', 'Withdrawn (UTC)': ''}]
    """
    return readable_table(submissions, list(SUBMISSION_HEADINGS), SUBMISSION_HEADINGS)
