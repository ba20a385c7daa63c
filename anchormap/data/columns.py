"""What each exported column is: a title people read, its unit and a one-line description.

One table, :func:`columns_table`, for the columns the exports carry (the gap ranking, the LSOA layers,
the anchors layer and land assets). It reuses the labels the package already has: the measures'
labels (:data:`anchormap.measures.MEASURES`), the anchor categories'
(:data:`anchormap.categories.CATEGORIES`) and the land register fields'
(:data:`anchormap.land.ingest.headers.FIELD_LABELS`). A column not in the table still gets a
readable title from its name (:func:`column_info`), never a snake_case one.

Units are words a CSVW reader (``schema:unitText``) and a person both read: ``metres``,
``minutes``, ``hectares``, ``m²``, ``score``, ``rank``, ``decile``, ``people``, ``degrees``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from anchormap.categories import CATEGORIES
from anchormap.measures import MEASURES


@dataclass(frozen=True)
class ColumnInfo:
    """One column of an export.

    Attributes
    ----------
    title : str
        What people read as its heading ("Gap score").
    unit : str
        Its unit in words ("metres"), or "" when it has none (text, codes).
    description : str
        One sentence on what it holds, or "".
    """

    title: str
    unit: str = ""
    description: str = ""


def _measure_columns() -> dict[str, ColumnInfo]:
    out: dict[str, ColumnInfo] = {}
    for key, m in MEASURES.items():
        out[f"{key}_score"] = ColumnInfo(
            f"{m.label} score", "score", f"The published {m.label} score (higher is more deprived)."
        )
        out[f"{key}_rank"] = ColumnInfo(
            f"{m.label} rank", "rank", "National rank among LSOAs in England (1 is the most deprived)."
        )
        out[f"{key}_decile"] = ColumnInfo(
            f"{m.label} decile", "decile", "National decile (1 is the most deprived 10% of LSOAs in England)."
        )
    return out


_HOW = " (metres in EPSG:27700 before the detour factor: a straight line, or to a site across the Thames the straight lines to and from the best crossing open on foot; the file's walking model says which)"


def _nearest_columns() -> dict[str, ColumnInfo]:
    out = {
        f"nearest_{k}_m": ColumnInfo(
            f"Nearest: {c.label}", "metres", f"Distance to the nearest site of {c.label.lower()}{_HOW}."
        )
        for k, c in CATEGORIES.items()
    }
    out["nearest_uncategorised_m"] = ColumnInfo(
        "Nearest: kind not given", "metres", f"Distance to the nearest site whose kind is not given{_HOW}."
    )
    return out


_LAND_UNITS = {
    "site_area_ha": "hectares",
    "floor_area_m2": "m²",
    "empty_floor_area_m2": "m²",
    "under_used_floor_area_m2": "m²",
    "land_not_delivering_services_ha": "hectares",
    "easting": "metres",
    "northing": "metres",
    "lat": "degrees",
    "lon": "degrees",
}

_HAND_WRITTEN = {
    # the gap ranking (anchormap.analysis.gaps.rank_gaps)
    "gap_rank": ColumnInfo("Gap rank", "rank", "Rank by gap score, 1 is the biggest gap."),
    "gap_score": ColumnInfo("Gap score", "score", "Need × scarcity, 0 to 1; higher means a bigger gap."),
    "need": ColumnInfo("Need", "score", "1 - (national rank - 1) / LSOAs in England on the chosen measure, 0 to 1."),
    "scarcity": ColumnInfo("Scarcity", "score", "1 / (1 + anchors in the catchment), or the access form, 0 to 1."),
    "accessibility": ColumnInfo(
        "Accessibility", "score", "E2SFCA access: weighted anchor sites per 1,000 people within reach."
    ),
    "anchors_in_catchment": ColumnInfo(
        "Anchors in catchment", "sites", "Anchor sites of the counted categories within the catchment."
    ),
    "nearest_anchor_name": ColumnInfo("Nearest anchor", "", "Name of the nearest counted anchor site."),
    "nearest_anchor_category": ColumnInfo("Nearest anchor's category", "", "Category of the nearest anchor site."),
    "nearest_anchor_m": ColumnInfo("Nearest anchor", "metres", f"Distance to the nearest counted anchor site{_HOW}."),
    "distance_m": ColumnInfo("Distance", "metres", f"Distance{_HOW}."),
    "walk_minutes": ColumnInfo(
        "Walking time", "minutes", "Minutes of walking: the distance times the detour factor, at the walking speed."
    ),
    # LSOA layers and areas
    "lsoa_code": ColumnInfo("LSOA code", "", "ONS code of the lower layer super output area (neighbourhood)."),
    "lsoa_name": ColumnInfo("Neighbourhood (LSOA)", "", "ONS name of the LSOA."),
    "msoa_code": ColumnInfo("MSOA code", "", "ONS code of the middle layer super output area."),
    "msoa_name": ColumnInfo("MSOA", "", "ONS name of the middle layer super output area."),
    "borough_code": ColumnInfo("Borough code", "", "ONS code of the London borough."),
    "borough_name": ColumnInfo("Borough", "", "Name of the London borough."),
    "ward_2022_code": ColumnInfo("Ward code (2022)", "", "ONS code of the best-fit ward, 2022 boundaries."),
    "ward_2022_name": ColumnInfo("Ward (2022)", "", "Best-fit ward, 2022 boundaries."),
    "ward_2025_code": ColumnInfo("Ward code (2025)", "", "ONS code of the best-fit ward, 2025 boundaries."),
    "ward_2025_name": ColumnInfo("Ward (2025)", "", "Best-fit ward, 2025 boundaries."),
    "population": ColumnInfo("Population", "people", "Residents (the indices' population denominator)."),
    "population_0_15": ColumnInfo("Population aged 0 to 15", "people", "Children (the indices' denominator)."),
    "population_16_59": ColumnInfo("Population aged 16 to 59", "people", "The indices' denominator."),
    "population_60_plus": ColumnInfo("Population aged 60 and over", "people", "The indices' denominator."),
    "population_working_age": ColumnInfo("Working-age population", "people", "The indices' denominator."),
    # anchors layer (anchormap.data.layers.anchors)
    "anchor_id": ColumnInfo("Anchor id", "", "The source dataset and the record's id in it."),
    "category": ColumnInfo("Category", "", "The anchor category."),
    "subtype": ColumnInfo("Kind of site", "", "What the site is (NHS hospital, library...)."),
    "organisation": ColumnInfo("Organisation", "", "Parent trust, company, governing body or local authority."),
    "source_record_id": ColumnInfo("Record id in the source", "", "The record's id in its dataset."),
    "licence": ColumnInfo("Licence", "", "The dataset's licence."),
    "provenance": ColumnInfo("Provenance caveat", "", "A caveat on where the record comes from, or empty."),
    "sector": ColumnInfo(
        "Sector", "", "Who runs the site (NHS, independent, local authority...), from the source's fields."
    ),
    "position_check": ColumnInfo(
        "Position check", "", "What checking the published point against the postcode found and did, or empty."
    ),
    "position_moved_m": ColumnInfo("Moved by the position check", "metres", "Distance the site was moved (0: not)."),
    "edition": ColumnInfo("Data as of", "", "When the dataset's facts describe, in words."),
    "edition_date": ColumnInfo("Edition date", "", "The dataset's edition date (YYYY-MM-DD)."),
    # land assets (anchormap.land.schema)
    "source": ColumnInfo("Source", "", "Dataset id, or upload:<submission> for a partner's register."),
    "partner": ColumnInfo("Partner", "", "The organisation that supplied the record."),
    "location_method": ColumnInfo("How it was placed", "", "How the point was found (coordinates, postcode...)."),
    "on_map": ColumnInfo("On the map", "", "False when the asset could not be placed."),
    "not_on_map_reason": ColumnInfo("Why not on the map", "", "Why the asset could not be placed, in words."),
    "submission_id": ColumnInfo("Submission", "", "The stored submission the row came from (empty: built-in)."),
    "possible_duplicates": ColumnInfo("Possible duplicates", "", "Assets that may be the same place (never merged)."),
    "extra": ColumnInfo("Other columns of the register", "", "The register's columns with no field, as JSON."),
    "status": ColumnInfo("Status", "", "Occupancy: occupied, vacant, surplus, under-used, brownfield..."),
    "owner_type": ColumnInfo("Owner type", "", "Council, NHS, GLA group, central government, other public..."),
}


_CHANGE_COLUMNS = {
    # the 2019 -> 2025 change table (anchormap.analysis.change.lsoa_change)
    "lsoa21_code": ColumnInfo("LSOA code (2021)", "", "ONS code of the 2021 neighbourhood (LSOA 2021)."),
    "lsoa21_name": ColumnInfo("Neighbourhood (LSOA 2021)", "", "ONS name of the LSOA 2021."),
    "change_type": ColumnInfo(
        "Change of boundaries", "", "Unchanged, split, merged or redrawn from 2011 (ONS lookup)."
    ),
    "lsoa11_codes": ColumnInfo("2011 neighbourhoods compared", "", "The LSOA 2011 codes its 2019 figures come from."),
    "compared_with": ColumnInfo("Compared with", "", "What the 2025 neighbourhood is compared with, in words."),
    "score_2019": ColumnInfo("Score 2019", "score", "IoD2019 score; population-weighted for merged and redrawn ones."),
    "score_2025": ColumnInfo("Score 2025", "score", "IoD2025 score (higher is more deprived)."),
    "rank_2019": ColumnInfo("Rank 2019", "rank", "Rank among England's 32,844 LSOAs of 2011 (1 is the most deprived)."),
    "rank_2025": ColumnInfo("Rank 2025", "rank", "Rank among England's 33,755 LSOAs of 2021 (1 is the most deprived)."),
    "percentile_2019": ColumnInfo(
        "Percentile rank 2019", "percent", "100 x rank / 32,844: share of England as deprived or more."
    ),
    "percentile_2025": ColumnInfo(
        "Percentile rank 2025", "percent", "100 x rank / 33,755: share of England as deprived or more."
    ),
    "rank_change": ColumnInfo(
        "Change in rank",
        "rank",
        "2025 rank minus the 2019 rank rescaled to 33,755 LSOAs (positive: relatively less deprived).",
    ),
    "percentile_change": ColumnInfo(
        "Change in percentile rank", "percentage points", "Positive: relatively less deprived."
    ),
    "decile_2019": ColumnInfo(
        "Decile 2019", "decile", "National decile in 2019 (1 is the most deprived 10% of England)."
    ),
    "decile_2025": ColumnInfo(
        "Decile 2025", "decile", "National decile in 2025 (1 is the most deprived 10% of England)."
    ),
    "decile_change": ColumnInfo("Change in decile", "deciles", "Positive: relatively less deprived."),
    "change_in_words": ColumnInfo("Change in words", "", "The change of decile in words."),
}


def _land_columns() -> dict[str, ColumnInfo]:
    # imported here: the land ingest package itself imports the exports (formula checks)
    from anchormap.land.ingest.headers import FIELD_LABELS

    return {key: ColumnInfo(label, _LAND_UNITS.get(key, "")) for key, label in FIELD_LABELS.items()}


@cache
def columns_table() -> dict[str, ColumnInfo]:
    """Column name -> :class:`ColumnInfo`, for the columns the exports carry (one table).

    >>> columns_table()["floor_area_m2"]
    ColumnInfo(title='Floor area (m²)', unit='m²', description='')
    """
    return {**_measure_columns(), **_nearest_columns(), **_land_columns(), **_HAND_WRITTEN, **_CHANGE_COLUMNS}


_SUFFIX_UNITS = (("_m2", "m²"), ("_ha", "hectares"), ("_minutes", "minutes"), ("_m", "metres"))
_WORDS = {"lsoa": "LSOA", "msoa": "MSOA", "uprn": "UPRN", "imd": "IMD", "id": "id", "nhs": "NHS"}


def readable_title(name: str) -> str:
    """A heading from a column name: words from snake_case and CamelCase, the first capitalised.

    >>> readable_title("vacant_from"), readable_title("SiteName"), readable_title("lsoa_count")
    ('Vacant from', 'Site name', 'LSOA count')
    """
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", str(name)).replace("_", " ").replace("-", " ")
    words = [_WORDS.get(w.lower(), w.lower() if w[:1].isupper() and w[1:].islower() else w) for w in text.split()]
    if not words:
        return "Column"
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])


def column_info(name: str) -> ColumnInfo:
    """The :class:`ColumnInfo` of column ``name``: from :func:`columns_table`, or made from the name.

    A column not in the table gets a readable title and, from a suffix such as ``_m`` (metres),
    ``_m2`` (m²) or ``_ha`` (hectares), its unit.

    Parameters
    ----------
    name : str
        The column's name as written in the file's header.

    Returns
    -------
    ColumnInfo

    >>> column_info("gap_score").unit, column_info("imd_decile").title
    ('score', 'Index of Multiple Deprivation (overall) decile')
    >>> column_info("walk_to_park_m")
    ColumnInfo(title='Walk to park', unit='metres', description='')
    """
    table = columns_table()
    if name in table:
        return table[name]
    for suffix, unit in _SUFFIX_UNITS:
        if str(name).endswith(suffix) and len(str(name)) > len(suffix):
            return ColumnInfo(readable_title(str(name)[: -len(suffix)]), unit)
    return ColumnInfo(readable_title(name))
