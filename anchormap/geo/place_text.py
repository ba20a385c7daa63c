"""A place written as text: ``borough:E09000023``, ``ward:E05...``, ``msoa:...``, ``lsoa:...``,
``file:PATH`` or ``network`` (the walking catchment of our network's sites), several joined
with ``+``. The same text is used by every page (in the link) and by ``--place`` on the CLI.

>>> parse_place("borough:E09000023 + ward:E05013915")
(PlacePart(kind='borough', value='E09000023'), PlacePart(kind='ward', value='E05013915'))
>>> parse_place("Lewisham")
Traceback (most recent call last):
...
anchormap.geo.place_text.PlaceError: The place 'Lewisham' is not understood: write it as kind:code, ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anchormap.errors import AnchorMapError

KINDS = ("borough", "ward", "msoa", "lsoa", "file", "network")
"""The kinds of part a place is made of, in the order people meet them."""

KIND_WORDS = {
    "borough": "borough",
    "ward": "ward",
    "msoa": "middle-layer neighbourhood (MSOA)",
    "lsoa": "neighbourhood (LSOA)",
    "file": "boundary file",
    "network": "walking catchment of our network's sites",
}

_CODE_PREFIX = {"borough": ("E09",), "ward": ("E05",), "msoa": ("E02",), "lsoa": ("E01",)}
_CODE = re.compile(r"^E0[1259]\d{6}$")


class PlaceError(AnchorMapError):
    """A place that cannot be read or found: the message says which part and why."""


@dataclass(frozen=True)
class PlacePart:
    """One part of a place.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    value : str
        The GSS code (upper case) for borough, ward, MSOA and LSOA; the path for a file; ""
        for the network catchment.
    """

    kind: str
    value: str

    def text(self) -> str:
        """The part as it is written in a link or on the command line."""
        return self.kind if self.kind == "network" else f"{self.kind}:{self.value}"


def parse_place(text: str) -> tuple[PlacePart, ...]:
    """Read a place's text into its parts (duplicates dropped, order kept).

    Parameters
    ----------
    text : str
        For example ``"borough:E09000023"`` or ``"ward:E05013915+ward:E05013916"``.

    Returns
    -------
    tuple of PlacePart

    Raises
    ------
    PlaceError
        When the text is empty, a part has no known kind, or a code is not a code of that kind.
    """
    raw = str(text or "").strip()
    if not raw:
        raise PlaceError("No place was given: write it as kind:code, e.g. borough:E09000023.")
    parts: list[PlacePart] = []
    for piece in (p.strip() for p in raw.split("+")):
        if not piece:
            continue
        kind, sep, value = piece.partition(":")
        kind = kind.strip().lower()
        value = value.strip()
        if kind == "network" and not value:
            part = PlacePart("network", "")
        elif not sep or kind not in KINDS:
            msg = (
                f"The place '{piece}' is not understood: write it as kind:code, where kind is one of "
                f"{', '.join(KINDS)} (e.g. borough:E09000023, file:area.geojson; join several with +)."
            )
            raise PlaceError(msg)
        elif kind == "file":
            if not value:
                raise PlaceError("The place 'file:' names no file: write file:PATH.")
            part = PlacePart("file", value)
        else:
            code = value.upper()
            if not _CODE.match(code) or not code.startswith(_CODE_PREFIX[kind]):
                msg = (
                    f"'{value}' is not a {KIND_WORDS[kind]} code: {kind} codes start with "
                    f"{_CODE_PREFIX[kind][0]} and have 9 characters (e.g. {_CODE_PREFIX[kind][0]}000001)."
                )
                raise PlaceError(msg)
            part = PlacePart(kind, code)
        if part not in parts:
            parts.append(part)
    if not parts:
        raise PlaceError(f"The place '{raw}' has no parts: write it as kind:code, e.g. borough:E09000023.")
    return tuple(parts)


def place_text(parts: tuple[PlacePart, ...]) -> str:
    """The parts written back as one place text (the inverse of :func:`parse_place`).

    >>> place_text(parse_place("borough:e09000023+network"))
    'borough:E09000023+network'
    """
    return "+".join(p.text() for p in parts)
