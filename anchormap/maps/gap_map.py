"""Map layers for the underserved-areas page: the top gaps, the catchments near them, a proposed site.

The layers are plain Leaflet vectors (folium ``GeoJson``, ``Circle``, ``CircleMarker``) added to
an :class:`anchormap.maps.overlay.Overlay`, so they travel with the overlay and load nothing from the
internet. Catchment circles are drawn with the catchment radius in metres around each anchor
(Leaflet measures circle radii in metres on the ground). Every text that comes from data is
passed through :func:`tooltip_text` before it reaches a tooltip: Leaflet inserts tooltips as HTML, and
folium writes a tooltip string into a JavaScript template literal, where `` ` `` and ``${`` would run code.
"""

from __future__ import annotations

import html

import folium
import numpy as np
import pandas as pd

from anchormap.analysis.gaps import GapContext, GapParams, anchors_near
from anchormap.categories import CATEGORIES
from anchormap.crs import bng_to_wgs84
from anchormap.data.build import load_layer
from anchormap.editions import edition_info

TOP_COLOUR = "#D55E00"
"""Outline of the top-N LSOAs (Okabe-Ito vermilion, distinct from the viridis fill)."""
PROPOSED_COLOUR = "#CC79A7"
ANCHOR_STYLE = {"circle": {"weight": 1, "fill_opacity": 0.04}, "dot": {"radius": 4, "weight": 1}}
"""How an anchor and its catchment are drawn (Leaflet options of the circle and of the dot)."""
PROPOSED_STYLE = {
    "circle": {"weight": 2, "dash_array": "6 4", "fill_opacity": 0.08},
    "dot": {"radius": 8, "weight": 2},
}
"""How a proposed site and its catchment are drawn: thicker, dashed and larger than an anchor."""
MAX_CIRCLES = 400
"""At most this many catchment circles are drawn (the anchors nearest to the top gaps first)."""


def tooltip_text(text: object) -> str:
    """``text`` safe for a folium ``tooltip=`` string: HTML-escaped, and with the characters that
    would end or run code inside the JavaScript template literal folium writes it into
    (`` ` ``, ``$``, ``\\``) turned into HTML character references. ``html.escape`` alone lets a
    name such as ``${alert(1)}`` run as script."""
    return html.escape(str(text), quote=True).replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def _tip(text: object) -> folium.Tooltip:
    """A tooltip of ``text`` (made safe by :func:`tooltip_text`) that wraps at the map's tooltip
    width (CSS class ``am-tip``), so a long name is not cut off at the map's edge."""
    return folium.Tooltip(tooltip_text(text), class_name="am-tip")


def _latlon(x, y) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = bng_to_wgs84(x, y)
    return np.round(lat, 5), np.round(lon, 5)


def top_areas_geojson(top: pd.DataFrame, edition: int) -> dict:
    """GeoJSON (WGS84, simplified display geometry) of the ranked LSOAs in ``top``, with escaped
    ``label`` and ``detail`` properties for tooltips."""
    display = load_layer(edition_info(edition).display_layer)
    shapes = display[display["lsoa_code"].isin(top["lsoa_code"])][["lsoa_code", "geometry"]]
    merged = shapes.merge(top, on="lsoa_code", how="inner")
    measure_decile = next(c for c in top.columns if c.endswith("_decile"))
    features = []
    for row in merged.itertuples(index=False):
        row = row._asdict()
        nearest = row["nearest_anchor_name"]
        near_text = (
            f"nearest anchor {nearest} ({row['nearest_anchor_m']:,.0f} m)"
            if isinstance(nearest, str)
            else "no anchor of these kinds"
        )
        features.append(
            {
                "type": "Feature",
                "geometry": row["geometry"].__geo_interface__,
                "properties": {
                    "label": html.escape(f"#{row['gap_rank']} {row['lsoa_name']} ({row['borough_name']})"),
                    "detail": html.escape(
                        f"decile {row[measure_decile]}, {row['anchors_in_catchment']} anchors in "
                        f"catchment, {near_text}, gap score {row['gap_score']:.2f}"
                    ),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def add_top_areas(overlay: folium.FeatureGroup, top: pd.DataFrame, edition: int) -> None:
    """Outline the top-N LSOAs thickly, with a tooltip naming each (escaped)."""
    doc = top_areas_geojson(top, edition)
    if not doc["features"]:
        return
    if hasattr(overlay, "key_rows"):  # an anchormap Overlay: say what the outlines are in its key
        overlay.key_rows(
            "Biggest gaps", [("outline", TOP_COLOUR, f"Outlined: the {len(doc['features'])} biggest gaps")]
        )
    folium.GeoJson(
        doc,
        name="Biggest gaps",
        style_function=lambda _f: {"color": TOP_COLOUR, "weight": 3.5, "fillOpacity": 0.0, "opacity": 1.0},
        tooltip=folium.GeoJsonTooltip(fields=["label", "detail"], aliases=["", ""], labels=False, class_name="am-tip"),
    ).add_to(overlay)


def add_catchments(overlay: folium.FeatureGroup, ctx: GapContext, params: GapParams, lsoa_codes) -> int:
    """Draw the catchment circle (radius = the catchment, metres) of every anchor within the
    catchment of the given LSOAs. Returns the number of circles drawn (at most MAX_CIRCLES)."""
    sites = anchors_near(ctx, lsoa_codes, params)
    if sites.empty:
        return 0
    radius = params.radius_m
    sites = sites.head(MAX_CIRCLES)
    if hasattr(overlay, "key_rows"):  # the key says what the rings are, one row per kind drawn
        kinds = [k for k in CATEGORIES if (sites["category"] == k).any()]
        overlay.key_rows(
            f"Catchments ({radius:,.0f} m circles)",
            [("circle", CATEGORIES[k].colour, CATEGORIES[k].label) for k in kinds],
            "Each ring is the catchment of a counted anchor near the biggest gaps, in its kind's colour.",
        )
    lat, lon = _latlon(sites["x"], sites["y"])
    rings, dots = [], []
    for la, lo, name, cat in zip(lat, lon, sites["name"], sites["category"], strict=True):
        colour = CATEGORIES[cat].colour if cat in CATEGORIES else "#555555"
        label = CATEGORIES[cat].label if cat in CATEGORIES else cat
        point = {"type": "Point", "coordinates": [float(lo), float(la)]}
        for out, tip in ((rings, f"{name} ({label}): catchment {radius:,.0f} m"), (dots, name)):
            out.append(
                {"type": "Feature", "geometry": point, "properties": {"colour": colour, "tip": html.escape(str(tip))}}
            )
    # two layers of points (circles of ``radius`` metres, and dots) rather than two folium elements a
    # site: each element is rendered through its own template, which took most of the page's run
    circle, dot = ANCHOR_STYLE["circle"], ANCHOR_STYLE["dot"]
    _points_layer(
        overlay,
        rings,
        "Catchments",
        folium.Circle(radius=radius, fill=True, weight=circle["weight"], fill_opacity=circle["fill_opacity"]),
        lambda f: {"color": f["properties"]["colour"], "fillColor": f["properties"]["colour"]},
    )
    _points_layer(
        overlay,
        dots,
        "Counted anchors",
        folium.CircleMarker(radius=dot["radius"], fill=True, weight=dot["weight"], fill_opacity=1.0),
        lambda f: {"color": "#000000", "fillColor": f["properties"]["colour"]},
    )
    return len(sites)


def _points_layer(overlay: folium.FeatureGroup, features: list[dict], name: str, marker, style) -> None:
    """A GeoJSON layer of ``features`` (points, WGS84) drawn as ``marker``, styled per feature by
    ``style``, with the (escaped) ``tip`` property as tooltip."""
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        marker=marker,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], aliases=[""], labels=False, class_name="am-tip"),
    ).add_to(overlay)


def add_proposed_site(overlay: folium.FeatureGroup, x: float, y: float, radius_m: float, name: str) -> None:
    """Mark a proposed site (BNG metres) and its catchment."""
    lat, lon = _latlon([x], [y])
    where = [float(lat[0]), float(lon[0])]
    tips = (f"{name}: catchment {radius_m:,.0f} m", f"Proposed: {name}")
    _site_with_catchment(overlay, where, radius_m, PROPOSED_COLOUR, tips, PROPOSED_STYLE)
    if hasattr(overlay, "key_rows"):  # an anchormap Overlay: a star where it was placed, and a key
        overlay.anchors(
            pd.DataFrame([{"name": f"Proposed: {name}", "lat": where[0], "lon": where[1]}]),
            layer_id="proposed",
            label="Proposed site",
            shape="star",
            colour=PROPOSED_COLOUR,
            cluster=False,
            emphasis=True,
        )
        overlay.key_rows(
            "The proposed site's catchment",
            [("dashed", PROPOSED_COLOUR, f"{radius_m:,.0f} m around the star")],
            "The colours show the gap scores after it opens.",
        )


def _site_with_catchment(
    overlay: folium.FeatureGroup,
    where: list[float],
    radius_m: float,
    colour: str,
    tips: tuple[object, object],
    style: dict[str, dict],
) -> None:
    """A site's catchment circle (``radius_m`` metres on the ground) and its dot at ``where``
    ([lat, lon] degrees, EPSG:4326), with the (circle, dot) tooltips ``tips`` made safe."""
    folium.Circle(where, radius=radius_m, color=colour, fill=True, tooltip=_tip(tips[0]), **style["circle"]).add_to(
        overlay
    )
    folium.CircleMarker(
        where, color="#000000", fill=True, fill_color=colour, fill_opacity=1.0, tooltip=_tip(tips[1]), **style["dot"]
    ).add_to(overlay)


def scores_after(table: pd.DataFrame, change: pd.DataFrame | None) -> pd.Series:
    """Each ranked LSOA's gap score after a proposed site opens (for the map's colours).

    Parameters
    ----------
    table : DataFrame
        :func:`anchormap.analysis.gaps.rank_gaps` (before).
    change : DataFrame or None
        :func:`anchormap.analysis.gaps.what_if`: ``lsoa_code`` and ``score_after`` of every
        LSOA whose gap changes (None or empty: nothing changes).

    Returns
    -------
    Series
        Gap scores (0 to 1) indexed by ``lsoa_code``: the "after" score where it changes, the
        "before" score elsewhere.

    >>> t = pd.DataFrame({"lsoa_code": ["a", "b"], "gap_score": [0.8, 0.5]})
    >>> scores_after(t, pd.DataFrame({"lsoa_code": ["b"], "score_after": [0.25]})).to_dict()
    {'a': 0.8, 'b': 0.25}
    """
    scores = table.set_index("lsoa_code")["gap_score"].astype(float).copy()
    if change is not None and len(change):
        after = change.set_index("lsoa_code")["score_after"].astype(float)
        scores.loc[after.index.intersection(scores.index)] = after
    return scores
