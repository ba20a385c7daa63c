"""The home map's "Change 2019 → 2025" view: each LSOA 2021 coloured by how its national decile moved.

The colours are :data:`anchormap.maps.palettes.CHANGE_COLOURS` (diverging, colour-blind safe): seven
classes of the change of decile from IoD2019 to IoD2025 (:func:`anchormap.analysis.change.lsoa_change`),
three or more deciles towards more deprived (purple) to three or more towards less deprived (orange),
no change in the light middle. The key says each class in words, with how many neighbourhoods are in
it, and carries MHCLG's warning (:data:`anchormap.analysis.change.CHANGE_WARNING`). Each area's tooltip
says how it moved, its decile in each edition, its change type and what it was compared with. Tooltip text reaches the page through ``textContent`` in ``anchormap/maps/web/anchormap.js``
and the key through :func:`anchormap.maps.legends.legend_block` (escaped), so names from data files add
no markup.
"""

from __future__ import annotations

import pandas as pd

from anchormap.analysis.change import CHANGE_WARNING, FROM_EDITION, TO_EDITION, decile_change_words, lsoa_change
from anchormap.data.build import cached_on_layers
from anchormap.maps.geometry import areas_file
from anchormap.maps.legends import legend_block
from anchormap.maps.palettes import CHANGE_COLOURS, NO_DATA_COLOUR
from anchormap.measures import MEASURES

CHANGE_EDITION = TO_EDITION
"""The edition whose neighbourhoods (LSOA 2021) the change view draws."""

STEPS = (len(CHANGE_COLOURS) - 1) // 2
"""Changes of more deciles than this share the end classes (3: "by 3 deciles or more")."""

CHANGE_LABEL = f"Change {FROM_EDITION} → {TO_EDITION}"
"""How the view is named on the page and in the tooltips."""


def class_of(change: float) -> int | None:
    """The colour class (0 to 6) of a change of decile; None when there is none.

    >>> class_of(-5), class_of(0), class_of(2), class_of(float("nan"))
    (0, 3, 5, None)
    """
    if change is None or change != change:
        return None
    return max(-STEPS, min(STEPS, int(change))) + STEPS


def class_words(k: int) -> str:
    """The key's words for colour class ``k``.

    >>> class_words(6), class_words(4), class_words(3)
    ('moved towards less deprived by 3 deciles or more', 'moved towards less deprived by 1 decile', 'stayed in the same decile')
    """
    change = k - STEPS
    words = decile_change_words(change)
    return f"{words} or more" if abs(change) == STEPS else words


def tooltip_lines(table: pd.DataFrame) -> pd.Series:
    """What each area's tooltip says (plain text), for rows of :func:`lsoa_change` (missing rows: None).

    >>> row = {"change_in_words": "stayed in the same decile", "decile_2019": 3, "decile_2025": 3,
    ...        "change_type": "split", "compared_with": "compared with its 2011 parent E01000001"}
    >>> tooltip_lines(pd.DataFrame([row])).iloc[0]
    'stayed in the same decile (decile 3 in 2019, 3 in 2025). Split: compared with its 2011 parent E01000001.'
    """
    ok = table["decile_change"].notna() if "decile_change" in table else table["change_type"].notna()
    decile = {
        y: table[f"decile_{y}"].map(lambda d: "" if pd.isna(d) else str(int(d))) for y in (FROM_EDITION, TO_EDITION)
    }
    text = (
        table["change_in_words"].astype(str)
        + " (decile "
        + decile[FROM_EDITION]
        + f" in {FROM_EDITION}, "
        + decile[TO_EDITION]
        + f" in {TO_EDITION}). "
        + table["change_type"].astype(str).str.capitalize()
        + ": "
        + table["compared_with"].astype(str)
        + "."
    )
    return text.where(ok, None)


def key_rows(table: pd.DataFrame) -> list[tuple[str, str, int]]:
    """(colour, words, neighbourhoods) for each class, towards less deprived first."""
    classes = table["decile_change"].clip(-STEPS, STEPS) + STEPS  # as class_of, for a whole column
    return [
        (CHANGE_COLOURS[k], class_words(k), int((classes == k).sum())) for k in range(len(CHANGE_COLOURS) - 1, -1, -1)
    ]


@cached_on_layers("lsoa_2011", "lsoa_2021", "lsoa11_lsoa21", maxsize=8)
def _area_values(measure: str, _token: str, codes: tuple[str, ...]) -> tuple[tuple, tuple]:
    """Each area's tooltip text and colour class, in the order of the published geometry ``codes``
    (worked out once per measure and build: the page reruns on every widget change)."""
    rows = lsoa_change(measure).set_index("lsoa21_code").reindex(list(codes))
    return tuple(tooltip_lines(rows).tolist()), tuple(class_of(d) for d in rows["decile_change"])


def add_change_layer(
    overlay,
    measure: str = "imd",
    borough_code: str | None = None,
    *,
    lsoa_codes=None,
    place_label: str | None = None,
) -> list[tuple[str, str, int]]:
    """Colour the LSOAs of 2021 on ``overlay`` by their change of decile, with the key and tooltips.

    Parameters
    ----------
    overlay : anchormap.maps.overlay.Overlay
        The overlay of a map made by ``base_map(CHANGE_EDITION)``; its choropleth is replaced.
    measure : str
        A measure of :func:`anchormap.analysis.change.change_measures`.
    borough_code : str, optional
        Count the key's neighbourhoods in this borough only (the map still shows London).
    lsoa_codes : iterable of str, optional
        Count the key's neighbourhoods among these LSOAs of 2021 only (a place,
        :func:`anchormap.geo.places.lsoa21_codes`), named ``place_label`` in the key's title.
    place_label : str, optional
        The place's name, with ``lsoa_codes``.

    Returns
    -------
    list of (str, str, int)
        The key's rows (:func:`key_rows`): colour, words and how many neighbourhoods (of the borough
        when given), for the page to repeat in words beside the map.
    """
    table = lsoa_change(measure)
    f = areas_file(CHANGE_EDITION)
    values, classes = _area_values(measure, f.token, tuple(f.codes))
    overlay.spec["choropleth"] = {
        "token": f.token,
        "kind": "values",
        "label": CHANGE_LABEL,
        "values": list(values),
        "classes": list(classes),
        "colours": list(CHANGE_COLOURS),
        "missing": NO_DATA_COLOUR,
        "missing_label": "no data",
    }
    counted = table if not borough_code else table[table["borough_code"] == borough_code]
    where = f" in {counted['borough_name'].iloc[0]}" if borough_code and len(counted) else ""
    if lsoa_codes is not None:
        counted = counted[counted["lsoa21_code"].isin(set(lsoa_codes))]
        where = f" in {place_label}" if place_label else where
    key = key_rows(counted)
    legend = [(colour, f"{words} ({n:,})") for colour, words, n in key]
    title = f"{MEASURES[measure].label}: {CHANGE_LABEL}, neighbourhoods{where}"
    overlay._legend_parts.insert(0, legend_block(title, legend, CHANGE_WARNING))  # the key opens with the colours
    return key
