"""The map's key, as HTML for the legend box of ``anchormap/maps/web/anchormap.js``.

Every text is escaped with :func:`html.escape` and every colour checked as ``#RRGGBB``
(:func:`anchormap.maps.palettes.check_colour`) before it goes into the HTML, so names from
data files and uploads cannot add markup. Marker shapes are drawn by the browser from the
``data-am-shape`` and ``data-am-colour`` attributes, like the markers on the map.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from anchormap.categories import CATEGORIES
from anchormap.maps.palettes import DECILE_COLOURS, check_colour


def number_text(x: float) -> str:
    """A class break as people read it: 3 significant figures below 1, else one decimal.

    >>> number_text(0.01234), number_text(1234.56)
    ('0.0123', '1,234.6')
    """
    return f"{x:.3g}" if abs(x) < 1 else f"{x:,.1f}"


def class_rows(colours: Sequence[str], breaks: Sequence[float]) -> list[tuple[str, str]]:
    """(colour, "low to high") legend rows of quantile classes.

    Parameters
    ----------
    colours : sequence of str
        The colour of each class, in class order.
    breaks : sequence of float
        The ``len(colours) + 1`` class breaks, lowest first (in the values' own unit).

    Returns
    -------
    list of (str, str)
        One row per class.
    """
    return [(c, f"{number_text(breaks[i])} to {number_text(breaks[i + 1])}") for i, c in enumerate(colours)]


def decile_scale() -> str:
    """A one-line colour bar for deciles 1 to 10 with its ends labelled."""
    cells = "".join(
        f'<span class="am-cell" style="background:{c}" title="decile {i + 1}">{i + 1}</span>'
        for i, c in enumerate(DECILE_COLOURS)
    )
    return (
        f'<div class="am-scale">{cells}</div>'
        '<div class="am-scale-ends"><span>most deprived</span><span>least deprived</span></div>'
    )


def legend_block(title: str, rows: Sequence[tuple[str, str]], note: str = "", scale: str = "") -> str:
    """The key of a choropleth: its title, a ``scale`` (HTML from :func:`decile_scale`, or ""),
    one swatch per (colour, text) row and a note at the foot."""
    parts = [f"<h4>{html.escape(title)}</h4>", scale]
    for colour, text in rows:
        parts.append(
            f'<div class="am-row"><span class="am-swatch" style="background:{check_colour(colour)}"></span>'
            f"<span>{html.escape(text)}</span></div>"
        )
    if note:
        parts.append(f'<div class="am-note">{html.escape(note)}</div>')
    return "<div>" + "".join(parts) + "</div>"


def marker_legend(
    label: str, shown: pd.DataFrame, categories: list[str] | None, style: dict | None, place: str | None = None
) -> str:
    """The key of a marker layer: its label with the number of rows ``shown``, then one row per
    category shown (with its count), or a single row in the layer's own ``style``
    (``{"shape": ..., "colour": ...}``) when it has one. With ``place`` (a borough or place
    name), the heading says the counts are of the rows in that place.

    >>> "Anchor institutions in Hackney (0)" in marker_legend("Anchor institutions", pd.DataFrame(), [], None, "Hackney")
    True
    """
    where = f" in {place}" if place else ""
    parts = [f'<h4 style="margin-top:8px">{html.escape(label + where)} ({len(shown):,})</h4>']
    if style:
        parts.append(_marker_row(style["shape"], style["colour"], label))
    else:
        counts = shown["category"].value_counts() if len(shown) and "category" in shown.columns else {}
        for k in categories if categories is not None else [k for k in CATEGORIES if counts.get(k, 0)]:
            c = CATEGORIES.get(k)
            if c is None:
                continue
            parts.append(_marker_row(c.shape, c.colour, f"{c.label} ({int(counts.get(k, 0)):,})"))
    return "<div>" + "".join(parts) + "</div>"


def _marker_row(shape: str, colour: str, text: str) -> str:
    return (
        f'<div class="am-row"><span data-am-shape="{html.escape(shape)}" data-am-colour="{check_colour(colour)}">'
        f"</span><span>{html.escape(text)}</span></div>"
    )


SHAPE_KINDS = {
    "circle": "border:2px solid {c};background:{c}1f",
    "dashed": "border:2px dashed {c};background:{c}26",
    "dot": "border:1.5px solid #000000;background:{c};width:12px;height:12px;margin:0 3px",
    "outline": "border:3px solid {c};border-radius:2px;background:transparent",
}
"""How each kind of :func:`shape_legend` row is drawn (CSS, the colour checked first)."""


def shape_legend(title: str, rows: Sequence[tuple[str, str, str]], note: str = "") -> str:
    """A key block for shapes drawn on the map: catchment rings, a proposed site, outlines.

    Parameters
    ----------
    title : str
    rows : sequence of (str, str, str)
        ``(kind, colour, text)`` with kind one of :data:`SHAPE_KINDS`.
    note : str

    Returns
    -------
    str
        HTML, every text escaped.

    >>> "dashed" in shape_legend("Circles", [("dashed", "#CC79A7", "a <b>")]) and "a &lt;b&gt;" in shape_legend(
    ...     "Circles", [("dashed", "#CC79A7", "a <b>")])
    True
    """
    parts = [f'<h4 style="margin-top:8px">{html.escape(title)}</h4>']
    for kind, colour, text in rows:
        css = SHAPE_KINDS[kind].format(c=check_colour(colour))
        parts.append(
            f'<div class="am-row"><span class="am-circle-swatch am-key-{kind}" style="{css}"></span>'
            f"<span>{html.escape(text)}</span></div>"
        )
    if note:
        parts.append(f'<div class="am-note">{html.escape(note)}</div>')
    return "<div>" + "".join(parts) + "</div>"
