"""The place chooser in the sidebar, shared by every page: boroughs, wards (2022 or 2025), MSOAs,
our network's walking catchment, or an uploaded boundary file.

The place is kept in the link as ``?area=borough:E09000023+ward:E05...`` (the text of
:mod:`anchormap.geo.place_text`; the Community page's ``place`` is its search box) and in the
session, so it follows people from page to page. An old link's ``?borough=CODE`` opens as
``area=borough:CODE``. A boundary file is never read from a link (a link must not name a file
on the server): an uploaded one is kept in this session only, and the link does not carry it.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import streamlit as st

from anchormap import AnchorMapError, current_network, frame_fingerprint, layer_stamp
from anchormap.crs import geometry_to_wgs84
from anchormap.geo.place_text import PlaceError, PlacePart, parse_place
from anchormap.geo.places import CHOOSER_KINDS, Place, chooser_kind, place_options, resolve_place
from anchormap.network.catchment_place import DEFAULT_MINUTES, network_lsoas_for
from anchormap.ui.query_state import PAGE_KEY, Param, QueryState

AREA_KEY = "place_area"
"""``st.session_state`` key of the place's text (not a widget's: it survives moving between pages)."""
LINK = Param("area", "", max_len=2000, widget=AREA_KEY, shared="area")
"""The link parameter ``area``."""
UPLOAD_SUFFIXES = ("geojson", "json", "gpkg", "zip")
KIND_LABELS = {
    "london": "All of London",
    **CHOOSER_KINDS,
    "network": "Our network's walking catchment",
    "upload": "A boundary file I upload",
    "mixed": "The place in this link",
}
_BOROUGH = re.compile(r"^E09\d{6}$")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def inline_text(text: str) -> str:
    r"""A sentence for ``st.markdown`` with the characters that would make links, emphasis, code or
    HTML mid-sentence backslash-escaped (place names come from data files and uploads).

    >>> inline_text("Showing [x](http://e): 1 neighbourhoods.")
    'Showing \\[x\\](http://e): 1 neighbourhoods.'
    >>> inline_text("In Lewisham, 35 of 175 (2025 edition).")
    'In Lewisham, 35 of 175 (2025 edition).'
    """
    return _INLINE_SPECIAL.sub(r"\\\1", text)


@st.cache_resource(max_entries=4, show_spinner=False)
def _options(edition: int, _stamp: tuple) -> dict[str, dict[str, str]]:
    return place_options(edition)


@st.cache_resource(max_entries=64, show_spinner="Finding the place's neighbourhoods...")
def _resolve(text: str, edition: int, _stamp: tuple) -> Place:
    return resolve_place(text, edition)


def _old_borough_link() -> None:
    """``?borough=CODE`` of links made before the place chooser opens as ``area=borough:CODE``."""
    old = st.query_params.get("borough")
    if old is None:
        return
    del st.query_params["borough"]
    if "area" not in st.query_params and _BOROUGH.match(str(old).strip().upper()):
        st.query_params["area"] = f"borough:{str(old).strip().upper()}"


def _page_id() -> str:
    """The page now running, as its link state names it (:class:`~anchormap.ui.query_state.QueryState`
    with ``page=``), so the chooser's widgets are set again on entering a page; else its script's hash."""
    if st.session_state.get(PAGE_KEY):
        return str(st.session_state[PAGE_KEY])
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return str(getattr(get_script_run_ctx(), "page_script_hash", ""))


def _seed_widgets(key: str, parts: tuple[PlacePart, ...], kinds: list[str]) -> None:
    kind = chooser_kind(parts)
    st.session_state[f"{key}_kind"] = kind if kind in kinds else "london"
    if kind in CHOOSER_KINDS:
        st.session_state[f"{key}_{kind}"] = [p.value for p in parts]


def place_picker(edition: int, *, key: str = "place", network=None) -> Place | None:
    """Draw the place chooser in the sidebar and return the place chosen (None: all of London).

    Parameters
    ----------
    edition : int
        The IoD edition the page shows; the place is resolved to its LSOAs.
    key : str
        Prefix of the widgets' keys.
    network : GeoDataFrame, optional
        Our network's sites (default: the one kept in the session by Our network); when it has
        sites, its walking catchment can be chosen.

    Returns
    -------
    Place or None
        Errors (a place London does not have, an unreadable file) are shown in the sidebar and
        give None.
    """
    _old_borough_link()
    state = QueryState([LINK])
    state.restore()
    text = str(st.session_state.get(AREA_KEY) or "")
    if network is None:
        network = current_network(st.session_state)
    has_network = network is not None and len(network) > 0
    problem = None
    try:
        parts = parse_place(text) if text else ()
    except PlaceError as exc:
        parts, problem = (), f"The place in this link could not be read: {exc}"
    if any(p.kind == "file" for p in parts):
        parts, problem = (), "A boundary file cannot be opened from a link: upload it with the place chooser."
    if any(p.kind == "network" for p in parts) and not has_network:
        parts, problem = (), "This link shows our network's walking catchment: open or upload the list on Our network."
    text = "+".join(p.text() for p in parts)

    kinds = ["london", *CHOOSER_KINDS, *(["network"] if has_network else []), "upload"]
    if chooser_kind(parts) == "mixed":
        kinds.append("mixed")
    held_kind = st.session_state.get(f"{key}_kind")
    shown_kind = chooser_kind(parts)
    lost = held_kind is None or (
        held_kind == shown_kind and shown_kind in CHOOSER_KINDS and f"{key}_{held_kind}" not in st.session_state
    )
    page = _page_id()
    if st.session_state.get(f"{key}_applied") != text or lost or st.session_state.get(f"{key}_page") != page:
        # a link, another page (whose widgets Streamlit starts afresh), or widgets Streamlit dropped
        _seed_widgets(key, parts, kinds)
        st.session_state[f"{key}_applied"] = text
        st.session_state[f"{key}_page"] = page
    if st.session_state.get(f"{key}_kind") not in kinds:
        st.session_state[f"{key}_kind"] = "london"
    stamp = (layer_stamp("boroughs"), layer_stamp("wards_2025"), layer_stamp("wards_2022"), layer_stamp("lsoa21_wards"))
    options = _options(edition, stamp)

    upload = None
    with st.sidebar:
        st.header("Place")
        if problem:
            st.error(problem)
        kind = st.selectbox("Area shown", kinds, key=f"{key}_kind", format_func=KIND_LABELS.get)
        if kind in CHOOSER_KINDS:
            shown = options[kind]
            wkey = f"{key}_{kind}"
            unknown = [c for c in st.session_state.get(wkey, []) if c not in shown]
            if unknown:
                st.error(f"{', '.join(unknown)}: not among London's {KIND_LABELS[kind].lower()}; left out.")
            st.session_state[wkey] = [c for c in st.session_state.get(wkey, []) if c in shown]
            chosen = st.multiselect(
                KIND_LABELS[kind], list(shown), key=wkey, format_func=shown.get, placeholder="Choose one or more"
            )
            new_text = "+".join(f"{kind.split('_')[0]}:{c}" for c in chosen)
        elif kind == "network":
            st.caption(
                f"Neighbourhoods within {DEFAULT_MINUTES} minutes' walk of our network's {len(network):,} sites."
            )
            new_text = "network"
        elif kind == "upload":
            upload = st.file_uploader(
                "Boundary file (GeoJSON, GeoPackage or zipped shapefile)", type=list(UPLOAD_SUFFIXES), key=f"{key}_file"
            )
            st.caption("The file is kept in this session only: the link does not carry it.")
            new_text = ""
        elif kind == "mixed":
            new_text = text
        else:
            new_text = ""
    if new_text != text:
        st.session_state[AREA_KEY] = new_text
        st.session_state[f"{key}_applied"] = new_text
    state.publish()

    try:
        if kind == "upload":
            return _uploaded_place(upload, edition, key) if upload is not None else None
        if not new_text:
            return None
        if "network" in new_text.split("+"):
            stamp = (frame_fingerprint(network), edition, new_text)
            held = st.session_state.get(f"{key}_network_place")
            if held is None or held[0] != stamp:
                held = (stamp, resolve_place(new_text, edition, network_lsoas=network_lsoas_for(network)))
                st.session_state[f"{key}_network_place"] = held
            return held[1]
        return _resolve(new_text, edition, (layer_stamp("anchors"), *stamp))
    except AnchorMapError as exc:
        st.sidebar.error(str(exc))
        return None


def _uploaded_place(upload, edition: int, key: str) -> Place:
    """The place drawn in an uploaded boundary file (written to a private temporary folder for this session)."""
    data = upload.getvalue()
    name = Path(upload.name).name
    held = st.session_state.get(f"{key}_upload_place")
    stamp = (name, len(data), hash(data), edition)
    if held is not None and held[0] == stamp:
        return held[1]
    with tempfile.TemporaryDirectory(prefix="anchormap-place-") as folder:
        path = Path(folder) / (re.sub(r"[^A-Za-z0-9._-]", "_", name) or "boundary.geojson")
        path.write_bytes(data)
        place = resolve_place((PlacePart("file", str(path)),), edition)
    label = f"the area in {re.sub(r'[^A-Za-z0-9._ -]', ' ', name).strip() or 'the uploaded file'}"
    place = Place(
        text="",
        label=label,
        edition=place.edition,
        lsoa_codes=place.lsoa_codes,
        borough_codes=place.borough_codes,
        boundary=place.boundary,
        parts=(),
    )
    st.session_state[f"{key}_upload_place"] = (stamp, place)
    return place


OUTLINE_COLOUR = "#111111"
"""The place's outline on the map (dark, dashed: readable in black and white)."""


def show_place(overlay, place: Place | None, *, outline: bool = True):
    """Fit ``overlay``'s map to the place (once per place and edition) and outline it.

    A place of whole boroughs thickens their outlines; any other place gets its boundary drawn
    (simplified to 10 m for the map, EPSG:4326). None fits all of London.

    Parameters
    ----------
    overlay : anchormap.maps.overlay.Overlay
    place : Place or None
    outline : bool
        Whether to draw the outline.

    Returns
    -------
    Overlay
        ``overlay`` itself.
    """
    import folium
    import shapely.geometry

    if place is None:
        return overlay.zoom_to_borough(None)
    w, s, e, n = place.bounds_wgs84
    overlay.zoom_to_bounds((s, w, n, e), key=f"{place.text or place.label}|{place.edition}")
    if not outline:
        return overlay
    if place.parts and all(p.kind == "borough" for p in place.parts):
        overlay.spec["highlight"] = sorted(place.borough_codes)
        return overlay
    shape = geometry_to_wgs84(place.boundary.simplify(10))
    folium.GeoJson(
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(shape)},
        name="Place",
        style_function=lambda _f: {"color": OUTLINE_COLOUR, "weight": 3, "dashArray": "6 4", "fillOpacity": 0.0},
        interactive=False,
    ).add_to(overlay)
    return overlay


def place_caption(place: Place | None, count: int, what: str = "neighbourhoods") -> None:
    """Say in words which place the page shows ("Showing Lewisham: 175 neighbourhoods.")."""
    from anchormap.geo.places import showing_words

    st.markdown(f"**{inline_text(showing_words(place, count, what))}**")  # names come from data and uploads
