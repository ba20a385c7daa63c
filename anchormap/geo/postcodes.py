"""The one postcode lookup: a full postcode, an outward code or anything else, to a place in London.

:func:`locate` takes text someone typed or a file gave and returns a :class:`PostcodeMatch`
by one rule, used by every caller (the what-if site of the underserved-areas page, the
place search, land registers and network lists):

- a full postcode in London's OS Code-Point Open (the ``postcodes`` layer): precision
  ``"postcode"``, the postcode's own point;
- an outward code alone ("SE6"), or a full postcode Code-Point Open does not have whose
  outward code has London postcodes (new, retired or mistyped): precision ``"district"``,
  the mean of the district's London postcodes, and ``reason`` says so;
- otherwise not found (precision ``""``), with ``reason`` "'<text>' is not a valid UK postcode"
  or "<postcode> is not in the Greater London postcode list (OS Code-Point Open, <edition>)".

Each caller decides what it accepts from the precision (a land register row may be placed at
its district; a what-if site needs a full postcode) and words its own report. The text
rules (:func:`postcode_key`, :func:`format_postcode`, :func:`is_full_postcode`,
:func:`is_outward_code`, :func:`outward_code`) live in :mod:`anchormap.geo.postcode_text` and
are imported from here.

Coordinates: ``easting``/``northing`` are British National Grid (EPSG:27700, metres),
``lon``/``lat`` WGS84 (EPSG:4326, degrees).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from anchormap.data.build import load_layer
from anchormap.data.sources import get_dataset
from anchormap.geo.postcode_text import format_postcode, is_full_postcode, is_outward_code, outward_code, postcode_key

__all__ = [
    "PostcodeIndex",
    "PostcodeMatch",
    "format_postcode",
    "is_full_postcode",
    "is_outward_code",
    "locate",
    "outward_code",
    "postcode_index",
    "postcode_key",
]

MAX_ECHO_CHARS = 20
"""Longest text repeated back in a "not a valid UK postcode" reason."""


@dataclass(frozen=True)
class PostcodeMatch:
    """What :func:`locate` found for one text.

    Attributes
    ----------
    text : str
        The text looked up, stripped.
    postcode : str
        The canonical form of the text: a full postcode ("SE6 4RU"), an outward code ("SE6"),
        or "" when the text is neither.
    precision : str
        ``"postcode"``, ``"district"`` (the mean of the district's London postcodes) or ``""``
        (not found).
    easting, northing : float
        British National Grid, metres (EPSG:27700); NaN when not found.
    lon, lat : float
        WGS84, degrees (EPSG:4326); NaN when not found.
    borough_code : str
        The borough (GSS code) of the postcode, or the one most of the district's postcodes
        are in; "" when not found.
    reason : str
        Why the text's own postcode point is not used: why it was not found, or why a
        ``"district"`` position stands in; "" for a postcode found.
    postcodes : int
        How many postcodes the position is the mean of (1 for a postcode, 0 when not found).
    """

    text: str
    postcode: str
    precision: str
    easting: float = math.nan
    northing: float = math.nan
    lon: float = math.nan
    lat: float = math.nan
    borough_code: str = ""
    reason: str = ""
    postcodes: int = 0

    @property
    def found(self) -> bool:
        """True when there is a position (a postcode's, or its district's)."""
        return bool(self.precision)

    @property
    def is_full(self) -> bool:
        """True when the text is a full postcode (whether or not Code-Point Open has it)."""
        return is_full_postcode(self.postcode)

    @property
    def placement(self) -> str:
        """How the position was found, for reports ("" when not found).

        >>> PostcodeMatch("SE6", "SE6", "district", postcodes=867).placement
        'placed at the mean of the 867 London postcodes of SE6 (approximate: can be a kilometre or more out)'
        """
        if self.precision == "postcode":
            return "placed at the postcode (OS Code-Point Open)"
        if self.precision == "district":
            return (
                f"placed at the mean of the {self.postcodes:,} London postcodes of {self.district} "
                "(approximate: can be a kilometre or more out)"
            )
        return ""

    @property
    def district(self) -> str:
        """The outward code of the text ("SE6"), "" when the text is not a postcode."""
        return outward_code(self.postcode)


class PostcodeIndex:
    """The ``postcodes`` layer arranged for :meth:`locate`: postcodes by key and district means.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``postcodes`` layer (:mod:`anchormap.data.layers.postcodes`): ``postcode_key``,
        ``postcode``, ``easting``/``northing`` (EPSG:27700, metres), ``lon``/``lat``
        (EPSG:4326, degrees), ``borough_code``.
    edition : str
        The Code-Point Open edition ("October 2025"), named in "not found" reasons.
    """

    def __init__(self, table: pd.DataFrame, edition: str) -> None:
        self.table = table
        self.by_key = table.set_index("postcode_key")
        self.districts = table["postcode_key"].str[:-3]
        means = table.groupby(self.districts)[["easting", "northing", "lon", "lat"]].mean()
        boroughs = table.groupby(self.districts)["borough_code"].agg(lambda s: s.mode().iloc[0])
        self.district_means = means.assign(borough_code=boroughs, postcodes=self.districts.value_counts())
        self.not_in_london = f"is not in the Greater London postcode list (OS Code-Point Open, {edition})"

    def outward_codes(self) -> frozenset[str]:
        """Postcode districts ("SE6", "CR3") with at least one postcode in Greater London."""
        return frozenset(self.district_means.index)

    def district_postcodes(self, district: str) -> pd.DataFrame:
        """The London postcodes of a district ("SE6"): rows of the ``postcodes`` layer."""
        return self.table[self.districts == district]

    def locate(self, text: object) -> PostcodeMatch:
        """The position of ``text`` by the module's rule (see :func:`locate`)."""
        given = " ".join(str(text if text is not None else "").split())
        key = postcode_key(given)
        if is_full_postcode(key):
            postcode = format_postcode(key)
            if key in self.by_key.index:
                return _found(given, postcode, "postcode", self.by_key.loc[key], "", 1)
            return self._district(given, postcode, key[:-3], f"{postcode} {self.not_in_london}")
        if is_outward_code(key):
            return self._district(given, key, key, f"only the outward code '{key}' is given")
        shown = given if len(given) <= MAX_ECHO_CHARS else given[: MAX_ECHO_CHARS - 1] + "…"
        return PostcodeMatch(given, "", "", reason=f"'{shown}' is not a valid UK postcode")

    def _district(self, given: str, postcode: str, district: str, why: str) -> PostcodeMatch:
        if district not in self.district_means.index:
            return PostcodeMatch(given, postcode, "", reason=f"{postcode} {self.not_in_london}")
        d = self.district_means.loc[district]
        return _found(given, postcode, "district", d, why, int(d["postcodes"]))


def _found(given: str, postcode: str, precision: str, at: pd.Series, reason: str, n: int) -> PostcodeMatch:
    """A match at ``at`` (a postcode's row, or a district's means: easting, northing, lon, lat, borough_code)."""
    return PostcodeMatch(
        given,
        postcode,
        precision,
        float(at["easting"]),
        float(at["northing"]),
        float(at["lon"]),
        float(at["lat"]),
        str(at["borough_code"]),
        reason,
        n,
    )


_INDEX: list[tuple[pd.DataFrame, PostcodeIndex]] = []


def postcode_index(table: pd.DataFrame | None = None) -> PostcodeIndex:
    """The lookup for ``table`` (default: the built ``postcodes`` layer), built once per table.

    :func:`anchormap.data.build.load_layer` hands back the same table object until the layer
    file changes (its memory is keyed on the file's mtime), so the index follows every
    ``anchormap data build``, also on a running server.
    """
    table = load_layer("postcodes") if table is None else table
    if not _INDEX or _INDEX[0][0] is not table:
        _INDEX[:] = [(table, PostcodeIndex(table, _edition_name(get_dataset("postcodes").edition)))]
    return _INDEX[0][1]


def _edition_name(edition: str) -> str:
    """The edition as people say it: the manifest's "2025.4.0 (October 2025)" -> "October 2025".

    >>> _edition_name("2025.4.0 (October 2025)"), _edition_name("2024")
    ('October 2025', '2024')
    """
    inner = re.search(r"\(([^()]+)\)", edition)
    return inner.group(1) if inner else edition


def locate(text: object) -> PostcodeMatch:
    """Where a postcode or outward code is in London, by the one rule of this module.

    Parameters
    ----------
    text : object
        What someone typed or a file gave, in any case or spacing ("se64ru", "SE6 4RU", "SE6").

    Returns
    -------
    PostcodeMatch
        ``precision`` "postcode" (the postcode's point), "district" (the mean of the
        district's London postcodes; ``reason`` says so) or "" (not found; ``reason`` says why).
        Positions in EPSG:27700 metres and EPSG:4326 degrees.
    """
    return postcode_index().locate(text)
