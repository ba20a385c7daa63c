"""The colours of need, used by the web map, its legend, the take-home picture and the area card.

Need is drawn in viridis: colour-blind safe, even in lightness, and still readable printed in
grey. The darkest colour is always the most deprived: decile 1 (the most deprived 10% of
neighbourhoods in England), or the class of highest scores. A scale of ``n`` classes takes
``n`` evenly spaced samples of matplotlib's colormap, so every class is one equal step from
the next whatever ``n`` is.

>>> DECILE_COLOURS[0], DECILE_COLOURS[-1]
('#440154', '#fde725')
>>> class_colours(3)
['#fde725', '#21918c', '#440154']
"""

from __future__ import annotations

import re

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex

from anchormap.errors import AnchorMapError

NEED_COLORMAP = "viridis"
"""The matplotlib colormap of need (dark purple to yellow)."""

NO_DATA_COLOUR = "#bdbdbd"
"""Areas without a value (light grey, outside viridis)."""

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def sequential(n: int) -> list[str]:
    """``n`` colours evenly spaced along :data:`NEED_COLORMAP`, darkest first.

    Parameters
    ----------
    n : int
        How many colours (0 or less gives none; 1 gives the darkest).

    Returns
    -------
    list of str
        ``#rrggbb`` colours, from the colormap's dark end (0) to its light end (1).
    """
    if n <= 0:
        return []
    return [to_hex(c) for c in colormaps[NEED_COLORMAP](np.linspace(0.0, 1.0, n))]


DECILE_COLOURS: tuple[str, ...] = tuple(sequential(10))
"""viridis in 10 steps: index 0 is decile 1 (most deprived, darkest)."""


def class_colours(n: int, *, higher_is_worse: bool = True) -> list[str]:
    """The colour of each of ``n`` classes of values, class 0 holding the lowest values.

    Parameters
    ----------
    n : int
        Number of classes.
    higher_is_worse : bool
        When true (scores of deprivation), the highest class is darkest; otherwise the lowest.

    Returns
    -------
    list of str
        ``#rrggbb`` colours, one per class, in class order.
    """
    colours = sequential(n)
    return colours[::-1] if higher_is_worse else colours


def check_colour(colour: str) -> str:
    """``colour`` itself when it is a ``#RRGGBB`` hex colour (safe in HTML and CSS).

    Raises
    ------
    AnchorMapError
        For anything else, naming the value.
    """
    if not isinstance(colour, str) or not _HEX.match(colour):
        msg = f"Colour {colour!r} is not a #RRGGBB hex colour."
        raise AnchorMapError(msg)
    return colour


CHANGE_COLORMAP = "PuOr"
"""The matplotlib colormap of change between editions: ColorBrewer's purple-orange, diverging and
colour-blind safe. Purple is towards more deprived (as the dark end of need), orange towards less
deprived, and the light middle no change."""


def diverging(n: int) -> list[str]:
    """``n`` colours evenly spaced along :data:`CHANGE_COLORMAP`, from its purple end (towards more
    deprived) through the light middle to its orange end (towards less deprived).

    >>> diverging(3)
    ['#2d004b', '#f6f6f7', '#7f3b08']
    """
    if n <= 0:
        return []
    return [to_hex(c) for c in colormaps[CHANGE_COLORMAP](np.linspace(1.0, 0.0, n))]


CHANGE_COLOURS: tuple[str, ...] = tuple(diverging(7))
"""The seven classes of a change of decile, -3 or more (purple) to +3 or more (orange); index 3 is no change."""
