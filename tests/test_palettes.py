"""The colours of need: n evenly spaced viridis samples, darkest = most deprived."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib import colormaps
from matplotlib.colors import to_rgb

from anchormap.errors import AnchorMapError
from anchormap.maps.palettes import DECILE_COLOURS, NEED_COLORMAP, check_colour, class_colours, sequential

LUT = np.array(colormaps[NEED_COLORMAP].colors)  # the colormap's 256 entries, dark end first


def _position(colour: str) -> float:
    """Where ``colour`` sits along the colormap, from 0 (dark end) to 1 (light end)."""
    nearest = int(np.argmin(((LUT - np.array(to_rgb(colour))) ** 2).sum(axis=1)))
    return nearest / (len(LUT) - 1)


def _lightness(colour: str) -> float:
    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("n", range(2, 11))
def test_every_scale_has_n_distinct_evenly_spaced_colours_darkest_first(n):
    colours = sequential(n)
    assert len(colours) == n and len(set(colours)) == n
    steps = np.diff([_position(c) for c in colours])
    # equal steps, to within the rounding of the 256-colour table and of hex colours (the old
    # 10-colour list rounded 7 classes into steps of 1/9 and 2/9, 14 table entries off 1/6)
    assert steps == pytest.approx(np.full(n - 1, 1 / (n - 1)), abs=3 / 255)
    assert _lightness(colours[0]) == min(map(_lightness, colours))  # the most deprived class is darkest
    assert class_colours(n) == colours[::-1]  # classes of scores: the highest (most deprived) darkest
    assert class_colours(n, higher_is_worse=False) == colours


def test_deciles_run_from_darkest_to_lightest():
    assert len(DECILE_COLOURS) == 10
    assert DECILE_COLOURS[0] == "#440154" and DECILE_COLOURS[-1] == "#fde725"  # decile 1 darkest
    light = [_lightness(c) for c in DECILE_COLOURS]
    assert light == sorted(light)


def test_only_hex_colours_reach_html():
    assert check_colour("#0072B2") == "#0072B2"
    for bad in ("red", "#12345", "#1234567", '#000000" onmouseover="x', None):
        with pytest.raises(AnchorMapError, match="hex colour"):
            check_colour(bad)
