"""Anchor categories: one name per category across the anchors layer, the CLI and the UI.

Colours come from the Okabe-Ito palette (safe for the common forms of colour blindness; its
eight colours and grey are all taken, so the tenth category, jobcentres, has Paul Tol's wine
``#882255``, dark and apart from every other) and every category also has its own marker
shape, so colour is never the only cue.

Jobcentres are a category of their own rather than a sub-type of council and civic sites: they
are the Department for Work and Pensions' offices (central government, not local), a public
employment service rather than a seat of local government, and the only list of them is from
2016, so they are off until chosen and are not counted by default in the gap ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

from anchormap.errors import AnchorMapError


@dataclass(frozen=True)
class Category:
    """One anchor category, as the anchors layer, the CLI and the UI show it.

    Attributes
    ----------
    key : str
        Machine name, used in the anchors layer's ``category`` column and on the CLI.
    label : str
        Short label for legends and filters.
    plain : str
        Plain-English description for public users.
    colour : str
        Hex colour from the Okabe-Ito palette.
    shape : str
        Marker shape (circle, square, triangle, diamond, star, hexagon, cross, pentagon,
        ring, triangle_down), so colour is never the only cue.
    default_on : bool
        Whether the category is shown before the user picks (and counted by default in
        ``anchormap gaps``).
    """

    key: str
    label: str
    plain: str  # plain-English description for public users
    colour: str  # hex, Okabe-Ito
    shape: str  # marker shape: circle, square, triangle, diamond, star, hexagon, cross, pentagon, ring, triangle_down
    default_on: bool


CATEGORIES: dict[str, Category] = {
    c.key: c
    for c in [
        Category(
            "health", "Hospitals and NHS trusts", "hospitals and NHS trust headquarters", "#D55E00", "cross", True
        ),
        Category(
            "primary_care",
            "GP practices",
            "GP surgeries and other NHS prescribing services",
            "#CC79A7",
            "circle",
            False,
        ),
        Category(
            "higher_further_education",
            "Universities and colleges",
            "universities, further-education and sixth-form colleges",
            "#0072B2",
            "square",
            True,
        ),
        Category("schools", "Schools", "primary, secondary and special schools", "#56B4E9", "triangle", False),
        Category("libraries", "Libraries", "public libraries", "#009E73", "diamond", True),
        Category("culture", "Museums and culture", "museums and cultural venues", "#E69F00", "star", True),
        Category(
            "faith",
            "Places of worship",
            "churches, mosques, synagogues, temples and gurdwaras",
            "#999999",
            "hexagon",
            False,
        ),
        Category(
            "emergency_services",
            "Fire and police",
            "fire stations and police front counters",
            "#000000",
            "pentagon",
            True,
        ),
        Category(
            "council_civic",
            "Council and civic sites",
            "the town halls and civic centres of London's councils and the Greater London Authority's City Hall",
            "#F0E442",
            "ring",
            True,
        ),
        Category(
            "jobcentres",
            "Jobcentres (DWP, as listed in 2016)",
            "Jobcentre Plus offices as the Department for Work and Pensions listed them in 2016 "
            "(some have closed or moved since)",
            "#882255",
            "triangle_down",
            False,
        ),
    ]
}


def parse_categories(text: str | list[str] | None) -> list[str]:
    """Category keys from "health,libraries" (or a list); None or empty means all of them.

    Parameters
    ----------
    text : str or list of str or None
        Comma-separated category keys (``"health,libraries"``) or a list of keys. Spaces
        around keys and empty items are ignored. None, ``""`` or a list of blanks means
        every category.

    Returns
    -------
    list of str
        Keys of :data:`CATEGORIES`, in the order given (all of them, in table order, when
        none were given).

    Raises
    ------
    AnchorMapError
        Naming any unknown category and listing the known ones.

    Examples
    --------
    >>> parse_categories("health,libraries")
    ['health', 'libraries']
    >>> parse_categories(" schools , ")
    ['schools']
    >>> len(parse_categories(None)) == len(CATEGORIES)
    True
    >>> parse_categories("health,parks")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    anchormap.errors.AnchorMapError: Unknown anchor category 'parks'. Known: health, primary_care, ...
    """
    if text is None:
        return list(CATEGORIES)
    items = text.split(",") if isinstance(text, str) else list(text)
    keys = [i.strip() for i in items if i and i.strip()]
    if not keys:
        return list(CATEGORIES)
    unknown = [k for k in keys if k not in CATEGORIES]
    if unknown:
        msg = f"Unknown anchor categor{'y' if len(unknown) == 1 else 'ies'} {', '.join(repr(u) for u in unknown)}. Known: {', '.join(CATEGORIES)}."
        raise AnchorMapError(msg)
    return keys


SECTOR_NHS = "NHS"
SECTOR_INDEPENDENT = "Independent"
SECTOR_CHARITY = "Charity"
SECTOR_NOT_FOR_PROFIT = "Not for profit"
SECTOR_LOCAL_AUTHORITY = "Local authority"
SECTOR_CENTRAL_GOVERNMENT = "Central government"
SECTOR_OTHER_PUBLIC = "Other public body"
SECTOR_GLA_GROUP = "Greater London Authority group"
SECTOR_UNIVERSITY = "University"
SECTOR_ACADEMY_TRUST = "Academy trust"
SECTOR_COLLEGE = "College corporation"
SECTOR_COMMUNITY = "Community group"
SECTOR_FAITH = "Faith group"
SECTOR_NOT_STATED = "Not stated in the source"

SECTORS: tuple[str, ...] = (
    SECTOR_NHS,
    SECTOR_INDEPENDENT,
    SECTOR_CHARITY,
    SECTOR_NOT_FOR_PROFIT,
    SECTOR_LOCAL_AUTHORITY,
    SECTOR_CENTRAL_GOVERNMENT,
    SECTOR_OTHER_PUBLIC,
    SECTOR_GLA_GROUP,
    SECTOR_UNIVERSITY,
    SECTOR_ACADEMY_TRUST,
    SECTOR_COLLEGE,
    SECTOR_COMMUNITY,
    SECTOR_FAITH,
    SECTOR_NOT_STATED,
)
"""Who runs an anchor site, in words people read: the anchors layer's ``sector`` column.

Each value comes from a field of the site's own source (the NHS hospital list's parent
organisation code checked against ODS's register of NHS trusts, GIAS establishment type, the
Arts Council's operation code, Mapping Museums' governance...), never from words in a name;
:mod:`anchormap.data.layers.anchor_sources` says which field, per dataset. "Not stated in the
source" when the dataset has no such field (Discover Uni providers).
"""
