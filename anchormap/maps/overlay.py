"""The web map used by every page: base map, need choropleth, borough outlines, anchor markers.

How a page draws a map (all of it works with no internet except the optional basemap tiles)::

    from anchormap.maps import overlay as mapping

    m = mapping.base_map(edition=2019)                  # tiles, LSOA + borough geometry (fetched once)
    ov = mapping.Overlay()                              # what changes between reruns
    ov.choropleth(2019, "imd", kind="decile")           # or ov.values(2019, series, label=...)
    ov.anchors(anchors_gdf, layer_id="anchors", label="Anchor institutions", public=True)
    ov.anchors(network_gdf, layer_id="network", label="Our network", shape="pin", colour="#111111")
    ov.zoom_to_borough("E09000012")
    map_view.show_map(m, ov, key="home")                # anchormap.ui.map_view (streamlit-folium)

Design, for speed:

* Geometry never travels in the Streamlit messages. :func:`base_map` publishes the simplified
  LSOA and borough geometry (the editions' display layers and ``boroughs_display``, a coverage
  simplification in EPSG:27700, then WGS84) once per build as static JSON files, coordinates
  rounded to 5 decimals (about 1 m) and stored as encoded polylines
  (:mod:`anchormap.maps.geometry`). The browser fetches them once and caches them.
* Everything that changes (measure, classes, markers, legend, view) is in the :class:`Overlay`,
  sent through streamlit-folium's ``feature_group_to_add``, which updates the live map
  without rebuilding it: changing the measure sends one small number per LSOA.
* The base map's script only depends on the edition and the tile choice, so it keeps the same
  streamlit-folium key and the map is not re-mounted when the measure or toggles change.

Colours: need uses viridis (:mod:`anchormap.maps.palettes`: colour-blind safe, prints in grey);
decile 1 (the most deprived 10% in England) is the darkest. Anchor categories use
:mod:`anchormap.categories` (Okabe-Ito colours, each with its own marker shape). All text from
data reaches the page via ``textContent`` in ``anchormap/maps/web/anchormap.js`` or
:func:`html.escape` in the legend (:mod:`anchormap.maps.legends`), never as raw HTML.

Assets (Leaflet, Leaflet.markercluster, our script and styles) are served by the app itself
(:mod:`anchormap.maps.assets`); :func:`anchormap.ui.map_view.show_map` refuses a map that would load anything from
the internet other than tiles. Do not add branca colormaps (streamlit-folium then loads d3
from a CDN): use the legend the :class:`Overlay` builds.
"""

from __future__ import annotations

import datetime
import json
import re
import threading
from typing import Any

import branca.colormap
import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from anchormap.categories import CATEGORIES
from anchormap.data.attribution import attribution_lines
from anchormap.data.build import cached_on_layers, layer_stamp, load_layer
from anchormap.data.fingerprint import frame_fingerprint
from anchormap.data.layers.anchors import ANCHOR_SOURCES
from anchormap.data.sources import manifest_version
from anchormap.editions import DEFAULT_EDITION, EDITIONS, edition_info
from anchormap.errors import AnchorMapError
from anchormap.maps import assets as map_assets
from anchormap.maps.geometry import COORD_PRECISION, areas_file, borough_bounds, outlines_file
from anchormap.maps.legends import class_rows, decile_scale, legend_block, marker_legend, shape_legend
from anchormap.maps.palettes import DECILE_COLOURS, NO_DATA_COLOUR, check_colour, class_colours
from anchormap.maps.prepared import code_version, prepared
from anchormap.measures import decile_in_words, get_measure
from anchormap.words import PROVENANCE_WORDS, STATUS_WORDS, heading, sources_and_dates, value_words

LONDON_CENTRE = (51.4975, -0.1357)
LONDON_ZOOM = 10

TILES: dict[str, dict[str, str]] = {
    "light": {
        "url": "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "attr": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
        '&copy; <a href="https://carto.com/attributions">CARTO</a>',
        "name": "Light street map",
    },
    "osm": {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attr": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        "name": "OpenStreetMap",
    },
}
"""Basemap tiles: the only part of the map that needs the internet."""

TILE_HOSTS = ("basemaps.cartocdn.com", "tile.openstreetmap.org")
"""Hosts the map may contact (tiles only); tests assert nothing else is requested."""

SCORE_CLASSES = 7

ANCHOR_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("category_label", "Kind"),
    ("subtype", "Type"),
    ("sector", "Sector"),
    ("organisation", "Organisation"),
    ("address", "Address"),
    ("postcode", "Postcode"),
    ("borough_name", "Borough"),
    ("status_words", "Status"),
    ("position_words", "Position"),
    ("provenance_words", "Note"),
    ("source_words", "Source and date"),
    ("licence", "Licence"),
)
"""Rows of a marker's pop-up, with their labels (other text columns follow, labelled in words).
The ``*_words`` rows are worked out by :func:`anchor_records` from the layer's own columns
(``status``, ``position_check``, ``provenance``, ``source`` with ``edition_date``): internal
ids (``anchor_id``, ``source_record_id``) and dataset ids are never shown."""

_HIDDEN_COLUMNS = {
    "geometry",
    "lat",
    "lon",
    "easting",
    "northing",
    "borough_code",
    "category",
    "anchor_id",
    "source_record_id",
    "source",
    "status",
    "provenance",
    "position_check",
    "edition",
    "edition_date",
    "submission_id",
    "asset_id",
}
"""Columns a record may carry (``category``, ``status`` style the marker) but a pop-up never shows."""
_KEPT_RAW = ("category", "status")


# --------------------------------------------------------------------------- folium elements
def _json(value: Any) -> str:
    """JSON safe to put inside a <script> (``<``, ``>``, ``&``, ``'`` escaped)."""
    return str(htmlsafe_json_dumps(value, separators=(",", ":")))


class _RenderedScript(Element):
    """Script text already rendered, put in the page as it is."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class _AnchorMapInit(MacroElement):
    """Loads our assets (instead of folium's CDN links) and calls ``AnchorMap.init``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            AnchorMap.init({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, options: dict):
        super().__init__()
        self._name = "AnchorMapInit"
        self.options_json = _json(options)


def base_map(
    edition: int | None = DEFAULT_EDITION,
    *,
    tiles: str | None = "light",
    outlines: bool = True,
    location: tuple[float, float] = LONDON_CENTRE,
    zoom_start: int = LONDON_ZOOM,
    renderer: str = "canvas",
    prefetch: bool = True,
) -> folium.Map:
    """A London map whose scripts and styles are all served by the app.

    ``edition`` (an IoD edition year, :data:`anchormap.editions.DEFAULT_EDITION` unless given,
    or None for no LSOAs) adds LSOA polygons, unstyled until an :class:`Overlay` colours them:
    those of the edition the overlay's choropleth is for (an overlay without one draws the
    default edition's), so the map is the same for every edition and changing it restyles the
    live map. ``tiles`` is ``"light"``, ``"osm"`` or None; tiles are
    the only thing that needs the internet, and borough ``outlines`` (on by default) keep the
    map readable when they cannot load. Build a fresh map on every rerun (it is cheap: the
    geometry is fetched by the browser from a cached static file). ``renderer`` draws the areas
    and outlines on a ``"canvas"`` or as ``"svg"`` paths (``anchormap.js`` ``AnchorMap.drawn()``
    reports what is drawn either way); folium's own layers and the markers are not affected.
    With ``prefetch`` the browser also fetches and builds the other editions' areas once the first
    map is drawn, so a change of edition is instant; ``prefetch=False`` (the public page, on
    phones sharing a connection) fetches only what is drawn.
    """
    if renderer not in ("canvas", "svg"):
        msg = f"Unknown renderer {renderer!r}: choose 'canvas' or 'svg'."
        raise AnchorMapError(msg)
    map_assets.install_assets()
    m = folium.Map(
        location=list(location),
        zoom_start=zoom_start,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        min_zoom=8,
        max_zoom=18,
    )
    m.default_js = map_assets.js_links()
    m.default_css = map_assets.css_links()
    if tiles is not None:
        if tiles not in TILES:
            msg = f"Unknown tiles {tiles!r}: choose one of {', '.join(TILES)} or None."
            raise AnchorMapError(msg)
        t = TILES[tiles]
        folium.TileLayer(t["url"], attr=t["attr"], name=t["name"], max_zoom=19, subdomains="abcd").add_to(m)
    options: dict[str, Any] = {"renderer": renderer, "prefetch": bool(prefetch)}
    if edition is not None:
        # Every edition's areas file, not only this edition's: the map's script (and so
        # streamlit-folium's key) is then the same for every edition, and a change of edition
        # swaps the areas in the live map (the overlay's choropleth token says which) instead of
        # making a new map. The browser fetches only the files it draws, each once.
        edition_info(edition)  # an unknown edition fails here
        files = [(year, areas_file(year)) for year in EDITIONS]
        options["areas"] = [
            {"edition": year, "url": f.url, "token": f.token, "default": year == DEFAULT_EDITION} for year, f in files
        ]
    if outlines:
        options["outlines_url"] = outlines_file().url
    _AnchorMapInit(options).add_to(m)
    return m


# --------------------------------------------------------------------------- overlay
class Overlay(folium.FeatureGroup):
    """What changes on the map between reruns: choropleth colours, markers, legend and view.

    Build one per rerun, call its methods, and pass it to :func:`anchormap.ui.map_view.show_map`. It is sent on its
    own (streamlit-folium ``feature_group_to_add``); the map and its geometry stay in place.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.featureGroup({});
            AnchorMap.update({{ this.get_name() }}, {{ this.spec_json() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__(name="AnchorMap overlay", control=False)
        self.spec: dict[str, Any] = {"marker_layers": []}
        self._legend_parts: list[str] = []

    def render(self, **kwargs) -> None:
        """Add the overlay's script to the figure as text: branca would compile the rendered script
        (with its thousands of numbers) as a Jinja template again, which takes longer than the rest."""
        if self.show:
            self.add_child(
                ElementAddToElement(element_name=self.get_name(), element_parent_name=self._parent.get_name()),
                name=self.get_name() + "_add",
            )
        figure = self.get_root()
        figure.script.add_child(_RenderedScript(self._template.module.script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)

    def spec_json(self) -> str:
        spec = dict(self.spec)
        spec["legend_html"] = "".join(self._legend_parts)
        return _json(spec)

    # ---- choropleth
    def choropleth(self, edition: int, measure: str = "imd", kind: str = "decile") -> Overlay:
        """Colour LSOAs by ``<measure>_decile`` (national deciles, 1 = most deprived) or
        ``<measure>_score`` (7 London quantile classes, darkest = most deprived)."""
        e = edition_info(edition)
        m = get_measure(measure, edition)
        if kind not in ("decile", "score"):
            msg = f"Unknown choropleth kind {kind!r}: choose 'decile' or 'score'."
            raise AnchorMapError(msg)
        f = areas_file(edition)
        decile_values, score_values, scores = _area_values(e.year, m.key)
        dec_list, score_list = list(decile_values), list(score_values)
        spec: dict[str, Any] = {
            "token": f.token,
            "kind": kind,
            "label": m.label,
            "deciles": dec_list,
            "scores": score_list,
            "words": [decile_in_words(d) for d in range(1, 11)],
            "missing": NO_DATA_COLOUR,
        }
        if kind == "decile":
            spec["colours"] = list(DECILE_COLOURS)  # class = decile - 1 (worked out in the browser)
            rows = []
            title = f"{m.label}: decile in England"
            note = "Decile 1 is the most deprived 10% of areas in England, decile 10 the least deprived."
            scale = decile_scale()
        else:
            breaks, classes = quantile_classes(scores, SCORE_CLASSES)
            colours = class_colours(len(breaks) - 1)
            spec["classes"] = classes
            spec["colours"] = colours
            rows = class_rows(colours, breaks)
            title = f"{m.label}: score"
            note = "Higher scores are more deprived. Classes hold equal numbers of London areas."
        n_missing = sum(1 for d in (dec_list if kind == "decile" else score_list) if d is None)
        if n_missing:
            rows.append((NO_DATA_COLOUR, f"no data ({n_missing} areas)"))
        self.spec["choropleth"] = spec
        self._legend_parts.insert(0, legend_block(title, rows, note, scale if kind == "decile" else ""))
        return self

    def values(
        self,
        edition: int,
        values: pd.Series,
        *,
        label: str,
        higher_is_worse: bool = True,
        classes: int = SCORE_CLASSES,
        note: str = "",
        missing: str = "no data",
    ) -> Overlay:
        """Colour LSOAs by any number per ``lsoa_code`` (a Series indexed by LSOA code), in
        quantile classes; with ``higher_is_worse`` the highest values are darkest. ``missing``
        says in the legend and tooltips why an area has no value (grey)."""
        f = areas_file(edition)
        v = pd.to_numeric(values, errors="coerce").reindex(list(f.codes))
        breaks, cls = quantile_classes(v, classes)
        colours = class_colours(len(breaks) - 1, higher_is_worse=higher_is_worse)
        rows = class_rows(colours, breaks)
        if v.isna().any():
            rows.append((NO_DATA_COLOUR, f"{missing} ({int(v.isna().sum())} areas)"))
        self.spec["choropleth"] = {
            "token": f.token,
            "kind": "values",
            "label": label,
            "values": [_round(x) for x in v],
            "classes": cls,
            "colours": colours,
            "missing": NO_DATA_COLOUR,
            "missing_label": missing,
        }
        self._legend_parts.insert(0, legend_block(label, rows, note))
        return self

    # ---- markers
    def anchors(
        self,
        anchors,
        *,
        layer_id: str = "anchors",
        label: str = "Anchor institutions",
        categories: list[str] | None = None,
        subtypes: dict[str, list[str]] | None = None,
        cluster: bool = True,
        public: bool = False,
        shape: str | None = None,
        colour: str | None = None,
        labels: dict[str, str] | None = None,
        emphasis: bool = False,
        count_in: tuple[str, pd.Series] | None = None,
    ) -> Overlay:
        """Add a marker layer from a GeoDataFrame in the anchors schema.

        ``categories`` (keys of :data:`anchormap.categories.CATEGORIES`; None shows every row,
        whatever its category) and ``subtypes``
        ({category: [subtype, ...]}, a category absent from it shows all its sub-types) filter
        the rows. Each category has its own colour and shape unless ``shape``/``colour`` give
        one style for the whole layer (used for "our network"). ``public=True`` is for the
        built-in anchors only: the full list is published once as a static file per category and
        toggles then send only the filter. Never use it for uploaded or session data.
        Markers cluster at London zoom and separate from zoom 15. ``labels`` ({column: label})
        names a column's row in the pop-up (otherwise its heading in words, or the label in
        :data:`ANCHOR_FIELDS`). ``emphasis=True`` draws the markers larger with a white ring and a
        shadow (the searched place: it stands out on every colour). ``count_in`` is ``(place
        name, boolean Series over the rows)``: the key then counts only the rows in that place
        (a borough chosen, a place searched) and says so; the map still shows every row.
        """
        cats = list(categories) if categories is not None else None
        layer: dict[str, Any] = {
            "id": _slug(layer_id),
            "cluster": bool(cluster),
            "categories": cats,
            "subtypes": {k: list(v) for k, v in (subtypes or {}).items()},
            "fields": [list(f) for f in ANCHOR_FIELDS],
            "label": str(label),
        }
        if shape or colour or emphasis:
            style = {"shape": shape or "circle", "colour": check_colour(colour or "#111111")}
            if emphasis:
                style["emphasis"] = True
            layer["style"] = style
        else:
            layer["styles"] = {k: {"shape": c.shape, "colour": check_colour(c.colour)} for k, c in CATEGORIES.items()}
        if public:
            urls = public_anchor_urls(anchors)
            layer["urls"] = [urls[c] for c in (cats or list(CATEGORIES)) if c in urls]
            shown = _filter_rows(anchors, cats, layer["subtypes"])
        else:
            shown = _filter_rows(anchors, cats, layer["subtypes"])
            records, extra = anchor_records(shown)
            layer["records"] = records
            layer["fields"] += [[c, heading(c)] for c in extra]
        if labels:
            layer["fields"] = [[k, labels.get(k, label)] for k, label in layer["fields"]]
        self.spec["marker_layers"].append(layer)
        place = None
        if count_in is not None:
            place, inside = count_in
            mask = pd.Series(inside).reindex(shown.index).fillna(False).astype(bool)
            shown = shown[mask.to_numpy()]
        self._legend_parts.append(marker_legend(label, shown, cats, layer.get("style"), place=place))
        return self

    def key_rows(self, title: str, rows: list[tuple[str, str, str]], note: str = "") -> Overlay:
        """Add a block to the key for things drawn with folium (circles, outlines, a proposed site).

        Parameters
        ----------
        title : str
            The block's heading.
        rows : list of (str, str, str)
            ``(kind, colour, text)``: kind ``"circle"`` (a catchment ring), ``"dashed"`` (a dashed
            ring), ``"dot"`` (a filled circle) or ``"outline"`` (a thick outline), colour ``#RRGGBB``.
        note : str
            A line at the foot.
        """
        self._legend_parts.append(shape_legend(title, rows, note))
        return self

    # ---- view
    def zoom_to_bounds(self, bounds: tuple[float, float, float, float], key: str) -> Overlay:
        """Fit the view to (south, west, north, east) degrees once per distinct ``key``
        (later reruns with the same key leave the user's pan and zoom alone)."""
        self.spec["fit"] = {"key": key, "bounds": [round(float(b), 5) for b in bounds]}
        return self

    def zoom_to_borough(self, borough_code: str | None) -> Overlay:
        """Zoom to a borough and draw its outline thicker; None zooms to all of London."""
        if borough_code:
            bounds = borough_bounds()
            if borough_code not in bounds:
                msg = f"Unknown borough code {borough_code!r}."
                raise AnchorMapError(msg)
            self.spec["highlight"] = [borough_code]
            return self.zoom_to_bounds(bounds[borough_code], borough_code)
        b = np.array(list(borough_bounds().values()))
        return self.zoom_to_bounds((b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()), "london")


# --------------------------------------------------------------------------- helpers
@cached_on_layers(*(e.lsoa_layer for e in EDITIONS.values()), *(e.display_layer for e in EDITIONS.values()), maxsize=64)
def _area_values(edition: int, measure: str) -> tuple[tuple[int | None, ...], tuple[float | None, ...], pd.Series]:
    """The decile (1-10, None when missing), the rounded score and the score of ``measure`` for every
    area of the edition's areas file, in its order: worked out once per build, not on every rerun
    (the Series is shared: never change it)."""
    f = areas_file(edition)
    table = load_layer(edition_info(edition).lsoa_layer).set_index("lsoa_code")
    deciles = table[f"{measure}_decile"].reindex(list(f.codes))
    scores = table[f"{measure}_score"].reindex(list(f.codes))
    return (
        tuple(int(d) if pd.notna(d) and 1 <= d <= 10 else None for d in deciles),
        tuple(_round(s) for s in scores),
        scores,
    )


def quantile_classes(values: pd.Series, n: int) -> tuple[list[float], list[int | None]]:
    """Equal-count class breaks of the non-missing values and each value's class (None if missing)."""
    v = pd.to_numeric(pd.Series(values), errors="coerce")
    ok = v.dropna()
    if ok.empty:
        return [0.0, 0.0], [None] * len(v)
    breaks = sorted(set(np.quantile(ok.to_numpy(), np.linspace(0, 1, n + 1)).tolist()))
    if len(breaks) == 1:
        breaks = [breaks[0], breaks[0]]
    idx = np.clip(np.searchsorted(breaks, v.to_numpy(), side="right") - 1, 0, len(breaks) - 2)
    classes = [None if pd.isna(x) else int(i) for x, i in zip(v, idx, strict=True)]
    return [float(b) for b in breaks], classes


def _round(x) -> float | None:
    if x is None or pd.isna(x):
        return None
    x = float(x)
    return round(x, 3) if abs(x) < 100 else round(x, 1)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", str(text).lower()).strip("-") or "layer"


def _filter_rows(gdf, categories: list[str] | None, subtypes: dict[str, list[str]]):
    if gdf is None or len(gdf) == 0:
        return gdf.iloc[0:0] if gdf is not None else pd.DataFrame()
    keep = pd.Series(True, index=gdf.index)
    if categories is not None and "category" in gdf.columns:
        keep &= gdf["category"].isin(categories)
    for cat, allowed in subtypes.items():
        if "subtype" in gdf.columns:
            in_cat = gdf["category"] == cat
            keep &= ~in_cat | gdf["subtype"].fillna("").isin(allowed)
    return gdf[keep]


def _latlon(gdf) -> tuple[np.ndarray, np.ndarray]:
    if {"lat", "lon"} <= set(gdf.columns):
        lat = pd.to_numeric(gdf["lat"], errors="coerce").to_numpy()
        lon = pd.to_numeric(gdf["lon"], errors="coerce").to_numpy()
        if not np.isnan(lat).all():
            return lat, lon
    if getattr(gdf, "crs", None) is not None and "geometry" in gdf.columns:
        g = gdf.geometry.to_crs(4326)
        return g.y.to_numpy(), g.x.to_numpy()
    msg = "Markers need lat/lon columns or point geometry with a CRS."
    raise AnchorMapError(msg)


_RECORDS: dict[tuple, tuple[list[dict], list[str]]] = {}
_RECORDS_KEPT = 8
_RECORDS_LOCK = threading.Lock()


def anchor_records(gdf) -> tuple[list[dict], list[str]]:
    """:func:`make_anchor_records`, remembered for the last few tables (by content, the day and the
    manifest): every visitor of a page with the same markers shares them. The lists are shared:
    never change them."""
    if gdf is None or len(gdf) == 0 or not {"lat", "lon"} <= set(gdf.columns):
        return make_anchor_records(gdf)  # a point geometry alone: not keyed (its content is not hashed)
    try:
        content = frame_fingerprint(gdf)
    except (TypeError, ValueError):  # cells that cannot be hashed: worked out each time
        return make_anchor_records(gdf)
    key = (tuple(map(str, gdf.columns)), len(gdf), content, datetime.date.today(), manifest_version())
    with _RECORDS_LOCK:
        hit = _RECORDS.get(key)
    if hit is not None:
        return hit
    made = make_anchor_records(gdf)
    with _RECORDS_LOCK:
        _RECORDS[key] = made
        while len(_RECORDS) > _RECORDS_KEPT:
            _RECORDS.pop(next(iter(_RECORDS)))
    return made


def make_anchor_records(gdf) -> tuple[list[dict], list[str]]:
    """JSON-ready marker records (lat/lon rounded to 5 decimals, missing values dropped) and
    the names of extra text columns beyond :data:`ANCHOR_FIELDS` that they carry.

    The pop-up's words are added here: ``category_label``, ``status_words``,
    ``position_words`` (the layer's ``position_check``: why a site was moved, when it was),
    ``provenance_words`` and ``source_words`` (:func:`anchormap.words.source_and_date` of
    ``source`` and the row's ``edition_date``, when the layer has them). Ids are left out.
    """
    if gdf is None or len(gdf) == 0:
        return [], []
    lat, lon = _latlon(gdf)
    known = {k for k, _ in ANCHOR_FIELDS}
    extra = [c for c in gdf.columns if c not in known and c not in _HIDDEN_COLUMNS]
    cols = [c for c in gdf.columns if c != "geometry" and (c in known or c in extra or c in _KEPT_RAW)]
    frame = pd.DataFrame(gdf[cols]).copy()
    if "category" in frame.columns:
        frame["category_label"] = frame["category"].map(lambda k: CATEGORIES[k].label if k in CATEGORIES else k)
    if "status" in frame.columns:
        frame["status_words"] = frame["status"].map(lambda v: STATUS_WORDS.get(v, value_words(v)))
    if "position_check" in gdf.columns:
        frame["position_words"] = gdf["position_check"].map(value_words).to_numpy()
    if "provenance" in gdf.columns:
        frame["provenance_words"] = gdf["provenance"].map(lambda v: PROVENANCE_WORDS.get(v, value_words(v))).to_numpy()
    for c in extra:  # a code-style value (``closed_building``) reads as words
        if frame[c].dtype == object:
            frame[c] = frame[c].map(value_words)
    if "source" in gdf.columns:
        said = sources_and_dates(gdf["source"], gdf.get("edition_date"), gdf.get("partner"))
        frame["source_words"] = [
            words if value_words(src) else "" for src, words in zip(gdf["source"], said, strict=True)
        ]
    records = []
    for i, row in enumerate(frame.to_dict("records")):
        if not (np.isfinite(lat[i]) and np.isfinite(lon[i])):
            continue
        rec = {
            k: (v if isinstance(v, (int, float, bool)) else str(v))
            for k, v in row.items()
            if v is not None and not (isinstance(v, float) and np.isnan(v)) and v != "" and v is not pd.NA
        }
        rec["lat"] = round(float(lat[i]), COORD_PRECISION)
        rec["lon"] = round(float(lon[i]), COORD_PRECISION)
        records.append(rec)
    return records, extra


_PUBLIC: dict[int, tuple[Any, dict[str, str]]] = {}


def public_anchor_urls(anchors) -> dict[str, str]:
    """Publish a public anchors table as one static JSON file per category; category -> URL.

    For the built ``anchors`` layer itself the files are worked out once per build and day
    (:mod:`anchormap.maps.prepared`: ``anchormap data build`` makes them) and only published here.
    """
    key = id(anchors)
    hit = _PUBLIC.get(key)
    if hit is not None and hit[0] is anchors:
        return hit[1]

    def make() -> dict[str, str]:
        texts = {}
        for cat in CATEGORIES:
            rows = anchors[anchors["category"] == cat] if len(anchors) else anchors
            if len(rows):
                records, _ = make_anchor_records(rows)  # once per build: not worth remembering
                texts[cat] = json.dumps({"records": records}, separators=(",", ":"), ensure_ascii=False)
        return texts

    if anchors is load_layer("anchors"):
        key_of_files = {
            "anchors": layer_stamp("anchors"),
            "manifest": list(manifest_version()),
            "day": datetime.date.today().isoformat(),  # the words say which sources are more than five years old
            "code": code_version(*_PUBLIC_CODE),
        }
        texts = prepared("public_anchors", key_of_files, make)
    else:
        texts = make()
    urls = {cat: map_assets.publish_text(f"anchors_{cat}", text) for cat, text in texts.items()}
    _PUBLIC[key] = (anchors, urls)
    return urls


_PUBLIC_CODE = (
    "anchormap.maps.overlay",
    "anchormap.maps.assets",
    "anchormap.words",
    "anchormap.data.fact_dates",
    "anchormap.categories",
)
"""The modules whose code makes the public anchor lists (part of their key in the build cache)."""


# --------------------------------------------------------------------------- showing
def check_offline(m: folium.Map) -> None:
    """Raise AnchorMapError if any element of ``m`` would load a script or style from the internet."""

    def walk(el):
        yield el
        for child in getattr(el, "_children", {}).values():
            yield from walk(child)

    prefix = map_assets.url_for("")
    for el in walk(m):
        if isinstance(el, branca.colormap.ColorMap):
            msg = "branca colormaps make streamlit-folium load d3 from the internet; use Overlay legends instead."
            raise AnchorMapError(msg)
        for _name, url in [*getattr(el, "default_js", []), *getattr(el, "default_css", [])]:
            if not url.startswith(prefix):
                msg = (
                    f"The map element {type(el).__name__} loads {url} from the internet, which fails offline. "
                    "Use anchormap.maps.overlay layers, or serve the asset through anchormap.maps.assets."
                )
                raise AnchorMapError(msg)


def map_html(m: folium.Map, overlay: Overlay | None = None) -> str:
    """The standalone HTML of a map with its overlay (for benchmarks and exports)."""
    if overlay is not None:
        overlay.add_to(m)
    return m.get_root().render()


def attributions(edition: int | None, *, anchors: bool = False, extra: tuple[str, ...] = ()) -> list[str]:
    """Attribution lines (from the manifest) for every dataset a map shows, without repeats.

    Parameters
    ----------
    edition : int or None
        The IoD edition whose LSOAs are drawn (None: no LSOAs).
    anchors : bool
        Whether the built-in anchor sites are on the map.
    extra : tuple of str
        Further manifest ids shown (e.g. ``"postcodes"`` when a postcode was searched).

    Returns
    -------
    list of str
        See :func:`anchormap.data.attribution.attribution_lines`; borough outlines are always shown.
    """
    ids = [*(edition_info(edition).datasets if edition else ()), "boroughs"]
    return attribution_lines([*ids, *(ANCHOR_SOURCES if anchors else ()), *extra])


def need_summary(edition: int, measure: str = "imd", borough_code: str | None = None, place=None) -> str:
    """One plain-English sentence on how many LSOAs of London (or a borough) are among the 10%
    and 20% most deprived in England on a measure, for the given edition.

    Parameters
    ----------
    edition : int
        An IoD edition year (:mod:`anchormap.editions`).
    measure : str
        A measure key of :data:`anchormap.measures.MEASURES` published in that edition.
    borough_code : str, optional
        A borough's code (``"E09000012"``); None for all of London.
    place : anchormap.geo.places.Place, optional
        A place instead of a borough (its ``lsoa_codes`` and ``label``).

    Returns
    -------
    str
        The sentence, with the counts of LSOAs in deciles 1 and 1-2 and the edition.
    """
    m = get_measure(measure, edition)
    table = load_layer(edition_info(edition).lsoa_layer)
    place_name = "London"
    if place is not None:
        table = table[table["lsoa_code"].isin(place.lsoa_codes)]
        place_name = place.label
    elif borough_code:
        table = table[table["borough_code"] == borough_code]
        if table.empty:
            msg = f"No LSOAs found for borough code {borough_code!r}."
            raise AnchorMapError(msg)
        place_name = str(table["borough_name"].iloc[0])
    d = pd.to_numeric(table[f"{measure}_decile"], errors="coerce")
    n, d1, d2 = len(d), int((d == 1).sum()), int((d <= 2).sum())
    return (
        f"In {place_name}, {d1:,} of {n:,} neighbourhoods (LSOAs) are among the 10% most deprived in England "
        f"for {m.plain}, and {d2:,} are among the 20% most deprived ({edition} edition)."
    )
