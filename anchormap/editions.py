"""The editions of the English Indices of Deprivation AnchorMap shows: one table, used everywhere.

Each IoD edition ranks a different set of neighbourhoods: IoD2019 ranks the 32,844 LSOAs of
2011 in England, IoD2025 the 33,755 LSOAs of 2021. :data:`EDITIONS` says, for each edition,
which built layers hold its neighbourhoods (analysis geometry in EPSG:27700 and the simplified
display copy in EPSG:4326), which datasets of the manifest they come from (for attribution), how
many LSOAs England has in it (the denominator of every national rank), the ward columns its
neighbourhoods are matched to (and the lookup they come from), and how people read its name. :data:`DEFAULT_EDITION` is the
latest; every page, command and function that takes an edition starts there.

>>> edition_info(2025).lsoas_in_england
33755
>>> edition_info(2019).lsoa_layer
'lsoa_2011'
>>> parse_edition("2019")
2019
"""

from __future__ import annotations

from dataclasses import dataclass

from anchormap.errors import AnchorMapError


@dataclass(frozen=True)
class Edition:
    """One IoD edition and where its neighbourhoods live.

    Attributes
    ----------
    year : int
        The edition's year (2019, 2025): the value used in links, options and code.
    lsoa_layer : str
        Built layer of its LSOAs with their indices (polygons, EPSG:27700).
    display_layer : str
        Simplified copy of those polygons for the map (EPSG:4326).
    datasets : tuple of str
        Manifest ids of the boundaries and the indices (for attribution).
    lsoas_in_england : int
        Number of LSOAs the edition ranks in England (rank 1 is the most deprived).
    boundaries : str
        The census year of its LSOA boundaries ("2011", "2021").
    ward_columns : tuple of str
        The (code, name) columns of the best-fit ward in its LSOA layer, empty when it has none.
    ward_lookup : str
        Manifest id of the LSOA-to-ward lookup those columns come from ("" when none).
    label : str
        How the edition is named in choosers.
    plain_label : str
        The short name people see on the community page ("2025 (latest)").
    """

    year: int
    lsoa_layer: str
    display_layer: str
    datasets: tuple[str, ...]
    lsoas_in_england: int
    boundaries: str
    ward_columns: tuple[str, ...]
    ward_lookup: str
    label: str
    plain_label: str


EDITIONS: dict[int, Edition] = {
    e.year: e
    for e in [
        Edition(
            2025,
            "lsoa_2021",
            "lsoa_2021_display",
            ("lsoa2021", "imd2025"),
            33_755,
            "2021",
            ("ward_2025_code", "ward_2025_name"),
            "lsoa21_wards",
            "2025 (Indices of Deprivation 2025, 2021 neighbourhoods)",
            "2025 (latest)",
        ),
        Edition(
            2019,
            "lsoa_2011",
            "lsoa_2011_display",
            ("lsoa2011", "imd2019"),
            32_844,
            "2011",
            (),
            "",
            "2019 (Indices of Deprivation 2019, 2011 neighbourhoods)",
            "2019",
        ),
    ]
}
"""Every edition by year, the latest first (the order choosers list them in)."""

DEFAULT_EDITION = 2025
"""The latest edition: where every page, command and function starts."""

YEARS: tuple[int, ...] = tuple(EDITIONS)
"""The edition years, the latest first."""


def edition_info(year: int) -> Edition:
    """The :class:`Edition` for ``year``.

    Parameters
    ----------
    year : int
        An edition year, e.g. 2025.

    Returns
    -------
    Edition
        Its layers, datasets, number of LSOAs in England and label.

    Raises
    ------
    AnchorMapError
        When ``year`` is not an edition AnchorMap knows; the message lists those it does.
    """
    try:
        return EDITIONS[year]
    except (KeyError, TypeError):
        known = " or ".join(f"{e.year} (LSOA {e.boundaries})" for e in EDITIONS.values())
        msg = f"Unknown edition {year!r}: choose {known}."
        raise AnchorMapError(msg) from None


def check_edition(year: int) -> int:
    """``year`` itself when it is a known edition (see :func:`edition_info` for the error).

    >>> check_edition(2019)
    2019
    """
    return edition_info(year).year


def parse_edition(text: object) -> int:
    """An edition year from text such as ``"2019"`` (links, command lines), or an AnchorMapError.

    Parameters
    ----------
    text : object
        What was typed or linked; surrounding spaces are ignored.

    Returns
    -------
    int
        The edition year.
    """
    try:
        year = int(str(text).strip())
    except ValueError:
        year = None
    return check_edition(year)  # type: ignore[arg-type]


def edition_label(year: int) -> str:
    """How an edition is named in choosers ("2025 (Indices of Deprivation 2025, ...)")."""
    return edition_info(year).label
