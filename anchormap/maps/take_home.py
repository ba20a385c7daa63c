"""Take it home: the current community view as a PNG or PDF, with legend and attribution.

The picture is a static map drawn with matplotlib from the built layers, so it needs no
network and no browser: neighbourhoods (LSOAs) around the searched place coloured by the
chosen measure's national decile (viridis, colour-blind safe and readable in grey; decile 1,
the most deprived 10% in England, darkest), borough outlines, the searched neighbourhood
outlined, the searched point, open anchor sites (each category with its own colour *and*
marker shape from :mod:`anchormap.categories`) and public land marked as unused, a legend, a
scale bar, a title and the attribution of every dataset drawn. The PDF adds a second page
with the area card in words. No basemap tiles (they are online-only).

Drawing is in British National Grid (EPSG:27700, metres), so the scale bar is exact.
Text from data files is drawn with ``parse_math=False`` so a "$" in a name is just a "$".
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from shapely.geometry import box

from anchormap.analysis.area_card import PUBLIC_OWNER_TYPES, AreaCard, card_to_text
from anchormap.categories import CATEGORIES
from anchormap.data.attribution import attribution_lines
from anchormap.editions import edition_info
from anchormap.errors import AnchorMapError
from anchormap.land.schema import UNUSED_STATUSES
from anchormap.maps.palettes import DECILE_COLOURS, NO_DATA_COLOUR
from anchormap.measures import get_measure

if TYPE_CHECKING:  # matplotlib is imported when a picture is drawn, not with the pages
    from matplotlib.figure import Figure

FORMATS = ("png", "pdf")
PAGE_INCHES = (11.69, 8.27)  # A4 landscape
MIN_VIEW_M = 2400.0
"""The map shows at least this many metres across (BNG)."""
DECILE_LABELS = {1: "1 most deprived", 10: "10 least deprived"}
CREDIT_PT = 6.8
"""Font size (points) of the attribution text."""

# anchormap.categories shapes -> matplotlib markers (filled, with a dark edge).
MARKERS = {
    "cross": "P",
    "circle": "o",
    "square": "s",
    "triangle": "^",
    "diamond": "D",
    "star": "*",
    "hexagon": "h",
    "pentagon": "p",
    "ring": "o",
    "triangle_down": "v",
}
LAND_COLOUR = "#FFFFFF"


LEGEND_LABEL_CHARS = 30
"""Longest legend line (characters) that fits beside the map on an A4 landscape page."""


def _wrap_label(text: str) -> str:
    """Legend text broken onto lines short enough to stay inside the figure."""
    return "\n".join(textwrap.wrap(text, LEGEND_LABEL_CHARS)) or text


def view_extent(
    bounds_bng: Sequence[float], aspect: float = 1.0, min_size_m: float = MIN_VIEW_M, margin: float = 0.08
) -> tuple[float, float, float, float]:
    """A BNG box (metres) holding ``bounds_bng`` with a margin, at least ``min_size_m`` across,
    with width / height = ``aspect``."""
    minx, miny, maxx, maxy = (float(v) for v in bounds_bng)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    w = max((maxx - minx) * (1 + 2 * margin), min_size_m)
    h = max((maxy - miny) * (1 + 2 * margin), min_size_m)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _in_extent(gdf, extent):
    if gdf is None or len(gdf) == 0:
        return gdf
    idx = gdf.sindex.query(box(*extent), predicate="intersects")
    return gdf.iloc[np.sort(idx)]


def _points_in(df: pd.DataFrame, extent) -> pd.DataFrame:
    x = pd.to_numeric(df.get("easting"), errors="coerce")
    y = pd.to_numeric(df.get("northing"), errors="coerce")
    keep = x.between(extent[0], extent[2]) & y.between(extent[1], extent[3])
    return df[keep.fillna(False).to_numpy()]


def _scale_bar(ax, extent) -> None:
    width = extent[2] - extent[0]
    target = width / 5
    nice = [100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000]
    length = max([n for n in nice if n <= target] or [nice[0]])
    x0 = extent[0] + width * 0.04
    y0 = extent[1] + (extent[3] - extent[1]) * 0.05
    ax.plot([x0, x0 + length], [y0, y0], color="black", linewidth=6, solid_capstyle="butt", zorder=20)
    ax.plot([x0, x0 + length], [y0, y0], color="white", linewidth=2, solid_capstyle="butt", zorder=21)
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length} m"
    ax.text(
        x0 + length / 2,
        y0 + (extent[3] - extent[1]) * 0.02,
        label,
        ha="center",
        va="bottom",
        fontsize=11,
        fontweight="bold",
        zorder=22,
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
    )
    ax.annotate(
        "N",
        xy=(extent[2] - width * 0.04, extent[3] - (extent[3] - extent[1]) * 0.04),
        xytext=(extent[2] - width * 0.04, extent[3] - (extent[3] - extent[1]) * 0.13),
        ha="center",
        va="center",
        fontsize=13,
        fontweight="bold",
        zorder=22,
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 2},
        bbox={"boxstyle": "circle,pad=0.2", "facecolor": "white", "edgecolor": "black"},
    )


def _shown_points(extent, anchors, land, categories):
    """(open anchors of ``categories``, public unused land) inside a BNG extent."""
    drawn_anchors = None
    if anchors is not None and len(anchors):
        keys = list(CATEGORIES) if categories is None else [c for c in CATEGORIES if c in set(categories)]
        pts = _points_in(anchors, extent)
        if "status" in pts:
            pts = pts[pts["status"].astype(str).str.lower() != "closed"]
        drawn_anchors = pts[pts["category"].isin(keys)]
    drawn_land = None
    if land is not None and len(land) and "status" in land:
        lp = land[land["status"].isin(UNUSED_STATUSES)]
        if "owner_type" in lp:
            lp = lp[lp["owner_type"].isin(PUBLIC_OWNER_TYPES)]
        drawn_land = _points_in(lp, extent)
    return drawn_anchors, drawn_land


def draw_view(
    place,
    lsoa_layer,
    boroughs,
    *,
    measure: str = "imd",
    anchors: pd.DataFrame | None = None,
    categories: Iterable[str] | None = None,
    land: pd.DataFrame | None = None,
    attributions: Sequence[str] | None = None,
    title: str | None = None,
    subtitle: str = "",
    size: tuple[float, float] = PAGE_INCHES,
) -> Figure:
    """A matplotlib Figure of the view around ``place`` (:class:`anchormap.geo.place_search.Place`).

    ``lsoa_layer`` is the edition's LSOA layer and ``boroughs`` the borough layer (both
    EPSG:27700). ``anchors`` (the anchors layer) is filtered to open sites of ``categories``
    (default: every category); ``land`` to public sites whose status is unused. Without
    ``attributions``, the attribution of every dataset drawn is looked up in the manifest.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    m = get_measure(measure, place.edition)
    col = f"{measure}_decile"
    if col not in lsoa_layer:
        msg = f"The LSOA layer has no column '{col}'."
        raise AnchorMapError(msg)
    fig = Figure(figsize=size, dpi=100)
    fig.patch.set_facecolor("white")
    top, map_w = 0.875, 0.62
    credit_lines: list[str] = [""] * 6
    for _ in range(3):  # the credits depend on what is in view, which depends on the space left
        band = (len(credit_lines) * CREDIT_PT * 1.4 / 72) / size[1] + 0.025
        bottom = band + 0.015
        aspect = (map_w * size[0]) / ((top - bottom) * size[1])
        extent = view_extent(place.bounds_bng, aspect)
        drawn_anchors, drawn_land = _shown_points(extent, anchors, land, categories)
        lines_ = (
            attributions
            if attributions is not None
            else attribution_lines(shown_dataset_ids(place, anchors=drawn_anchors, land=drawn_land))
        )
        new = textwrap.wrap("Made with AnchorMap (open source). " + " ".join(lines_), 205)
        if len(new) == len(credit_lines):
            credit_lines = new
            break
        credit_lines = new
    band = (len(credit_lines) * CREDIT_PT * 1.4 / 72) / size[1] + 0.025
    bottom = band + 0.015
    map_ax = fig.add_axes((0.02, bottom, map_w, top - bottom))
    leg_ax = fig.add_axes((0.66, bottom, 0.33, top - bottom))
    leg_ax.axis("off")
    aspect = (map_w * size[0]) / ((top - bottom) * size[1])
    extent = view_extent(place.bounds_bng, aspect)
    drawn_anchors, drawn_land = _shown_points(extent, anchors, land, categories)

    colours = DECILE_COLOURS
    areas = _in_extent(lsoa_layer, extent)
    deciles = pd.to_numeric(areas[col], errors="coerce")
    facecolours = [colours[int(d) - 1] if d == d and 1 <= d <= 10 else NO_DATA_COLOUR for d in deciles]
    if len(areas):
        areas.plot(ax=map_ax, color=facecolours, edgecolor="white", linewidth=0.4, zorder=1)
    chosen = lsoa_layer[lsoa_layer["lsoa_code"] == place.lsoa_code]
    if len(chosen):
        chosen.boundary.plot(ax=map_ax, color="white", linewidth=5, zorder=5)
        chosen.boundary.plot(ax=map_ax, color="black", linewidth=2.2, zorder=6)
    outlines = _in_extent(boroughs, extent)
    if outlines is not None and len(outlines):
        outlines.boundary.plot(ax=map_ax, color="#222222", linewidth=1.4, linestyle="--", zorder=4)

    shown_anchor_cats: list[str] = []
    for key in CATEGORIES:
        sub = drawn_anchors[drawn_anchors["category"] == key] if drawn_anchors is not None else ()
        if len(sub) == 0:
            continue
        c = CATEGORIES[key]
        ring = c.shape == "ring"
        map_ax.scatter(
            sub["easting"],
            sub["northing"],
            s=70,
            marker=MARKERS.get(c.shape, "o"),
            facecolors="none" if ring else c.colour,
            edgecolors=c.colour if ring else "black",
            linewidths=2.0 if ring else 0.8,
            zorder=10,
        )
        shown_anchor_cats.append(key)
    land_shown = 0 if drawn_land is None else len(drawn_land)
    if land_shown:
        map_ax.scatter(
            drawn_land["easting"],
            drawn_land["northing"],
            s=110,
            marker="X",
            facecolors=LAND_COLOUR,
            edgecolors="black",
            linewidths=1.4,
            zorder=11,
        )
    map_ax.scatter(
        [place.easting],
        [place.northing],
        s=420,
        marker="*",
        facecolors="#FFFFFF",
        edgecolors="black",
        linewidths=2.2,
        zorder=15,
    )
    map_ax.set_xlim(extent[0], extent[2])
    map_ax.set_ylim(extent[1], extent[3])
    map_ax.set_aspect("equal")
    map_ax.set_xticks([])
    map_ax.set_yticks([])
    map_ax.set_xlabel("")
    map_ax.set_ylabel("")
    map_ax.set_facecolor("#F4F4F4")
    for spine in map_ax.spines.values():
        spine.set_edgecolor("#444444")
    _scale_bar(map_ax, extent)

    handles = [
        Line2D(
            [],
            [],
            marker="*",
            linestyle="none",
            markersize=18,
            markerfacecolor="white",
            markeredgecolor="black",
            markeredgewidth=2,
            label=_wrap_label(f"You searched: {place.label}"),
        ),
        Patch(
            facecolor="none", edgecolor="black", linewidth=2.2, label=_wrap_label(f"Neighbourhood {place.lsoa_name}")
        ),
        Line2D([], [], color="#222222", linestyle="--", linewidth=1.4, label="Borough boundary"),
    ]
    for key in shown_anchor_cats:
        c = CATEGORIES[key]
        ring = c.shape == "ring"
        handles.append(
            Line2D(
                [],
                [],
                marker=MARKERS.get(c.shape, "o"),
                linestyle="none",
                markersize=10,
                markerfacecolor="none" if ring else c.colour,
                markeredgecolor=c.colour if ring else "black",
                label=_wrap_label(c.label),
            )
        )
    if land_shown:
        handles.append(
            Line2D(
                [],
                [],
                marker="X",
                linestyle="none",
                markersize=11,
                markerfacecolor=LAND_COLOUR,
                markeredgecolor="black",
                label="Public land marked unused",
            )
        )
    first = leg_ax.legend(
        handles=handles,
        loc="upper left",
        frameon=False,
        fontsize=11.5,
        title="On the map",
        title_fontproperties={"weight": "bold", "size": 12.5},
        borderaxespad=0,
        alignment="left",
    )
    for t in first.get_texts():
        t.set_parse_math(False)
    leg_ax.add_artist(first)
    decile_handles = [
        Patch(facecolor=colours[d - 1], edgecolor="#555555", label=DECILE_LABELS.get(d, str(d))) for d in range(1, 11)
    ]
    leg_ax.legend(
        handles=decile_handles,
        loc="lower left",
        frameon=False,
        fontsize=11,
        ncol=2,
        title="\n".join(textwrap.wrap(f"{m.label}: decile in England", 34)),
        title_fontproperties={"weight": "bold", "size": 12},
        borderaxespad=0,
        columnspacing=1.0,
        handlelength=1.6,
        alignment="left",
    )

    heading = title or f"{place.label}: {m.label}"
    fig.text(0.02, 0.975, heading, fontsize=19, fontweight="bold", va="top", parse_math=False)
    sub = subtitle or (
        f"Neighbourhood {place.lsoa_name}, {place.borough_name}. Darker areas are more deprived. "
        f"English Indices of Deprivation {place.edition}."
    )
    fig.text(0.02, 0.925, sub, fontsize=12, va="top", parse_math=False)
    fig.text(
        0.02,
        band - 0.012,
        "\n".join(credit_lines),
        fontsize=CREDIT_PT,
        va="top",
        color="#222222",
        parse_math=False,
        linespacing=1.4,
    )
    return fig


def _card_pages(card: AreaCard, size: tuple[float, float]) -> list[Figure]:
    """The area card as plain text on as many pages as it needs (title in bold on the first)."""
    from matplotlib.figure import Figure

    lines: list[str] = []
    for para in card_to_text(card).splitlines()[1:]:  # the title is drawn on its own
        if not para.strip():
            lines.append("")
            continue
        indent = "   " if para.startswith("- ") else ""
        lines.extend(textwrap.wrap(para, 120, subsequent_indent=indent) or [""])
    per_page = 42
    pages = []
    for start in range(0, len(lines), per_page):
        fig = Figure(figsize=size, dpi=100)
        top = 0.95
        if start == 0:
            fig.text(
                0.05, top, f"{card.title}: about this area", fontsize=16, fontweight="bold", va="top", parse_math=False
            )
            top = 0.9
        fig.text(
            0.05,
            top,
            "\n".join(lines[start : start + per_page]),
            fontsize=10.5,
            va="top",
            parse_math=False,
            linespacing=1.4,
        )
        pages.append(fig)
    return pages


def export_view(fig: Figure, fmt: str, *, card: AreaCard | None = None, dpi: int = 150) -> bytes:
    """The figure as PNG bytes, or PDF bytes (with the area card on the following pages)."""
    fmt = str(fmt).lower()
    if fmt not in FORMATS:
        msg = f"Unknown download format '{fmt}': choose png or pdf."
        raise AnchorMapError(msg)
    buf = io.BytesIO()
    if fmt == "png":
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white", metadata={"Software": "AnchorMap"})
        return buf.getvalue()
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(
        buf, metadata={"Title": "AnchorMap community view", "Creator": "AnchorMap", "CreationDate": None}
    ) as pdf:
        pdf.savefig(fig, facecolor="white")
        if card is not None:
            for page in _card_pages(card, tuple(fig.get_size_inches())):
                pdf.savefig(page, facecolor="white")
    return buf.getvalue()


def shown_dataset_ids(place, *, anchors: pd.DataFrame | None = None, land: pd.DataFrame | None = None) -> list[str]:
    """Dataset ids behind a view: the edition's boundaries and IoD, boroughs, postcodes when a
    postcode was searched, and the ``source`` of the anchors and land passed in."""
    edition = edition_info(place.edition)
    ids = [*edition.datasets, "boroughs"]
    if place.kind in ("postcode", "postcode_district"):
        ids.append("postcodes")
    if place.kind == "ward":
        ids.extend(["wards2022", "wards2025"])
    if edition.ward_lookup:
        ids.append(edition.ward_lookup)  # ward names of each neighbourhood
    for df in (anchors, land):
        if df is not None and len(df) and "source" in df:
            ids.extend(str(s) for s in pd.unique(df["source"].dropna()))
    return list(dict.fromkeys(ids))
