"""The Place profile page's own simple chooser: a borough, or some of its 2025 wards, as place text.

Until the shared place picker (``anchormap.ui.place_picker``) is merged, the page chooses a
borough or wards of one borough and keeps the place in the link as place text
(:mod:`anchormap.geo.place_text`). These functions turn the choices into text and back; they
read no file.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from anchormap.geo.place_text import PlaceError, parse_place


@dataclass(frozen=True)
class Choice:
    """A place as the chooser holds it: one borough and, optionally, wards of it (2025 codes)."""

    borough: str
    wards: tuple[str, ...] = ()

    def text(self) -> str:
        """The place text (``borough:E09000023`` or ``ward:E05...+ward:E05...``).

        >>> Choice("E09000023").text(), Choice("E09000023", ("E05013915", "E05013916")).text()
        ('borough:E09000023', 'ward:E05013915+ward:E05013916')
        """
        if self.wards:
            return "+".join(f"ward:{w}" for w in self.wards)
        return f"borough:{self.borough}"


def ward_table(lsoas_2021: pd.DataFrame) -> pd.DataFrame:
    """Every 2025 ward with its borough (``ward_code``, ``ward_name``, ``borough_code``), by name.

    Parameters
    ----------
    lsoas_2021 : DataFrame
        The ``lsoa_2021`` layer (``ward_2025_code``/``ward_2025_name``, ``borough_code``).
    """
    t = lsoas_2021[["ward_2025_code", "ward_2025_name", "borough_code"]].dropna().drop_duplicates("ward_2025_code")
    t = t.rename(columns={"ward_2025_code": "ward_code", "ward_2025_name": "ward_name"})
    return t.sort_values(["borough_code", "ward_name"]).reset_index(drop=True)


def choice_of(text: str, wards: pd.DataFrame) -> Choice | None:
    """The chooser's values for a place text, or None when the chooser cannot show it.

    A borough, or wards (2025) all in one borough, can be shown; other places (MSOAs,
    LSOAs, files, several boroughs, 2022 ward codes) cannot.

    >>> w = pd.DataFrame({"ward_code": ["E05000001", "E05000002"], "ward_name": ["A", "B"],
    ...                   "borough_code": ["E09000023", "E09000022"]})
    >>> choice_of("borough:E09000023", w), choice_of("ward:E05000001", w)
    (Choice(borough='E09000023', wards=()), Choice(borough='E09000023', wards=('E05000001',)))
    >>> choice_of("ward:E05000001+ward:E05000002", w) is None, choice_of("", w) is None
    (True, True)
    """
    try:
        parts = parse_place(text)
    except PlaceError:
        return None
    kinds = {p.kind for p in parts}
    if kinds == {"borough"} and len(parts) == 1:
        return Choice(parts[0].value)
    if kinds == {"ward"}:
        found = wards[wards["ward_code"].isin([p.value for p in parts])]
        if len(found) == len(parts) and found["borough_code"].nunique() == 1:
            return Choice(str(found["borough_code"].iloc[0]), tuple(p.value for p in parts))
    return None
