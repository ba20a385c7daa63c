"""The deprivation measures AnchorMap knows, with the names used in code, CLI and UI.

Every measure has three columns in the LSOA layers: ``<key>_score``, ``<key>_rank`` and
``<key>_decile``. Rank 1 and decile 1 are the most deprived in England; a higher score
is more deprived (except where the publisher's score is a rate, where it still is).
"""

from __future__ import annotations

from dataclasses import dataclass

import anchormap.editions as editions
from anchormap.errors import AnchorMapError


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    plain: str  # plain-English phrase used in sentences: "deprived ... for <plain>"
    editions: tuple[int, ...]


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in [
        Measure("imd", "Index of Multiple Deprivation (overall)", "overall deprivation", (2019, 2025)),
        Measure("income", "Income", "income", (2019, 2025)),
        Measure("employment", "Employment", "employment", (2019, 2025)),
        Measure("education", "Education, skills and training", "education and skills", (2019, 2025)),
        Measure("health", "Health deprivation and disability", "health and disability", (2019, 2025)),
        Measure("crime", "Crime", "crime", (2019, 2025)),
        Measure("housing", "Barriers to housing and services", "access to housing and services", (2019, 2025)),
        Measure("environment", "Living environment", "living environment", (2019, 2025)),
        Measure("idaci", "Income deprivation affecting children (IDACI)", "children in low-income homes", (2019,)),
        Measure(
            "idaopi", "Income deprivation affecting older people (IDAOPI)", "older people in low-income homes", (2019,)
        ),
    ]
}


def measures_for(edition: int) -> list[Measure]:
    """The measures published in an edition, IMD first."""
    editions.check_edition(edition)
    return [m for m in MEASURES.values() if edition in m.editions]


def get_measure(key: str, edition: int | None = None) -> Measure:
    """The measure called ``key`` (checking it exists in ``edition`` when given)."""
    try:
        m = MEASURES[key]
    except KeyError:
        msg = f"Unknown measure '{key}'. Choose one of: {', '.join(MEASURES)}."
        raise AnchorMapError(msg) from None
    if edition is not None and edition not in m.editions:
        msg = f"The measure '{key}' is not published in the {edition} edition (only {m.editions})."
        raise AnchorMapError(msg)
    return m


def decile_in_words(decile: int | float | None) -> str:
    """Plain English for a national decile: 1 is the most deprived 10% in England."""
    if decile is None or decile != decile:  # None or NaN
        return "no data"
    d = int(decile)
    if not 1 <= d <= 10:
        return "no data"
    if d <= 5:
        return f"among the {d * 10}% most deprived areas in England"
    return f"among the {(11 - d) * 10}% least deprived areas in England"
