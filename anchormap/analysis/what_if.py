"""What if a new anchor site opened here: the proposed site and its before/after tables.

The Underserved areas page places a proposed site from a postcode, a click on the map or a
shared link (:func:`site_from_postcode`, :func:`site_from_click`), ranks the gaps with and
without it (:func:`anchormap.analysis.gaps.what_if`) and shows the change as two tables
(:func:`before_after_tables`) under one heading (:func:`site_heading`). A site is a plain
dict (it is kept in the session and written to the link): ``x``/``y`` in EPSG:27700 metres,
``name``, ``category`` (a category key), ``where`` (how the place is named on the page) and
``postcode`` (empty when it was placed by a click, so the link cannot carry it).
Its walks follow the prepared ranking's walking model (by default across the Thames only by
a crossing open on foot); :func:`site_bank_words` says which bank it is on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from anchormap.analysis.gaps import bng_from_wgs84, locate_postcode
from anchormap.analysis.river import load_river
from anchormap.categories import CATEGORIES
from anchormap.errors import AnchorMapError

DEFAULT_SITE_NAME = "Proposed site"

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")

BEFORE_COLUMNS = {
    "lsoa_name": "Neighbourhood",
    "score_before": "Gap score",
    "anchors_before": "Anchors",
    "nearest_m_before": "Nearest (m)",
    "gap_rank_before": "Rank",
    "borough_name": "Borough",
}
"""The "Before" table: column of :func:`anchormap.analysis.gaps.what_if` -> heading."""

AFTER_COLUMNS = {  # the closure next to the name: on a narrow screen the last columns scroll out of view
    "lsoa_name": "Neighbourhood",
    "gap_closed_by": "Gap closed by",
    "score_after": "Gap score",
    "anchors_after": "Anchors",
    "nearest_m_after": "Nearest (m)",
    "gap_rank_after": "Rank",
}
"""The "After" table: column of :func:`anchormap.analysis.gaps.what_if` -> heading."""


def _site(x: float, y: float, name: str, category: str, where: str, postcode: str) -> dict:
    return {
        "x": float(x),
        "y": float(y),
        "name": name or DEFAULT_SITE_NAME,
        "category": category,
        "where": where,
        "postcode": postcode,
    }


def site_from_postcode(postcode: str, name: str, category: str) -> dict:
    """A proposed site at a London postcode.

    Parameters
    ----------
    postcode : str
        A full postcode such as ``"SE6 4RU"`` (any spacing or case).
    name : str
        The site's name as typed (``"Proposed site"`` when blank).
    category : str
        A category key of :data:`anchormap.categories.CATEGORIES`.

    Returns
    -------
    dict
        The site (see the module doc), ``x``/``y`` in EPSG:27700 metres.

    Raises
    ------
    AnchorMapError
        When the text is not a full postcode or not a current Greater London one.
    """
    found = locate_postcode(postcode)
    return _site(found["x"], found["y"], name, category, found["postcode"], found["postcode"])


def site_from_click(point: Mapping | None, name: str, category: str) -> dict:
    """A proposed site where the map was clicked.

    Parameters
    ----------
    point : mapping or None
        The map's ``last_clicked`` value: ``lat`` and ``lng`` in degrees (EPSG:4326).
    name, category : str
        As for :func:`site_from_postcode`.

    Returns
    -------
    dict
        The site, ``x``/``y`` in EPSG:27700 metres, ``where`` the clicked degrees, no postcode.

    >>> site = site_from_click({"lat": 51.5, "lng": -0.1}, "", "libraries")
    >>> site["name"], site["where"], round(site["x"]), round(site["y"])
    ('Proposed site', '51.50000, -0.10000', 531979, 179607)
    """
    if not point:
        msg = "Click a place on the map first, then press the button again."
        raise AnchorMapError(msg)
    lat, lng = float(point["lat"]), float(point["lng"])
    x, y = bng_from_wgs84(lat, lng)
    return _site(x, y, name, category, f"{lat:.5f}, {lng:.5f}", "")


def site_bank_words(site: Mapping) -> str:
    """Which side of the Thames a proposed site is on, in words (its walks to the other side go by
    a crossing open on foot; see :mod:`anchormap.analysis.river`).

    Parameters
    ----------
    site : mapping
        A proposed site (``x``/``y`` in EPSG:27700 metres).

    Returns
    -------
    str
        "north of the Thames" or "south of the Thames" (a site on the water: the nearer bank).

    >>> site_bank_words(site_from_click({"lat": 51.4826, "lng": -0.0077}, "", "libraries"))
    'south of the Thames'
    """
    return load_river().bank_words(float(site["x"]), float(site["y"]))


def linked_site_kind(kind: str, counted: Sequence[str]) -> str:
    """The category a linked site is counted as: ``kind`` when it is counted, else the first counted.

    Parameters
    ----------
    kind : str
        The category named in the link (may be empty or not counted).
    counted : sequence of str
        The category keys the ranking counts (at least one).

    Returns
    -------
    str

    >>> linked_site_kind("schools", ["health", "libraries"])
    'health'
    """
    return kind if kind in counted else counted[0]


def escape_markdown(text: str) -> str:
    r"""``text`` with Markdown's special characters backslash-escaped, so it shows as typed.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    >>> escape_markdown("**Hub** [1]")
    '\\*\\*Hub\\*\\* \\[1\\]'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def site_heading(site: Mapping, summary: str) -> str:
    """One Markdown line naming the site (escaped: names are typed by people or come from links),
    its kind and place, then ``summary``.

    Parameters
    ----------
    site : mapping
        A proposed site (see the module doc).
    summary : str
        :func:`anchormap.analysis.gaps.what_if_summary` of its what-if.

    Returns
    -------
    str
        Markdown.
    """
    return f"**{escape_markdown(site['name'])}** ({CATEGORIES[site['category']].label}) at {site['where']}: {summary}"


def before_after_tables(change: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The what-if's rows as the "Before" and "After" tables, with the page's headings.

    Parameters
    ----------
    change : DataFrame
        :func:`anchormap.analysis.gaps.what_if` (distances in metres).

    Returns
    -------
    (DataFrame, DataFrame)
        Before: neighbourhood, gap score, anchors, nearest (m), rank, borough. After:
        neighbourhood, gap closed by, gap score, anchors, nearest (m), rank.
    """
    return tuple(change[list(cols)].rename(columns=cols) for cols in (BEFORE_COLUMNS, AFTER_COLUMNS))
