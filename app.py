"""AnchorMap: the app's entry point and its home page, "Need and anchors".

``streamlit run app.py`` lists the pages in the sidebar under plain names (``st.navigation``)
and runs the one chosen. The home page is :func:`need_and_anchors` below: where need is
greatest in London and where the anchor institutions are. The other pages are the files in
``pages/``, at the same addresses as before (``/Underserved_areas``, ``/Shared_land``,
``/Our_network``, ``/Community``). Pages only arrange widgets; the map is built by
anchormap.maps.overlay. Every choice is kept in the address bar (anchormap.ui.query_state), so a
link opens the same view.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from anchormap.categories import CATEGORIES
from anchormap.errors import AnchorMapError
from anchormap.maps import geometry
from anchormap.maps import overlay as mapping
from anchormap.measures import EDITION_LABELS, EDITIONS, MEASURES, measures_for
from anchormap.ui.query_state import Param, QueryState

PAGES_DIR = Path(__file__).resolve().parent / "pages"


@st.cache_resource(show_spinner="Loading anchor sites...")
def load_anchors():
    """The built-in anchors layer (shared, read-only)."""
    from anchormap.data.build import load_layer

    return load_layer("anchors")


@st.cache_resource(show_spinner="Preparing the map...")
def prepare_geometry(edition: int):
    """Publish the display geometry once per edition (cached across reruns and sessions)."""
    return geometry.areas_file(edition), geometry.outlines_file()


def link_state(boroughs: dict[str, str], kinds: dict[str, list[str]]) -> QueryState:
    """The home page's choices kept in the link: edition, measure, decile or score, borough,
    each anchor category's toggle (``cat_<key>``) and its sub-types (``sub_<key>``)."""
    params = [
        Param("edition", EDITIONS[0], choices=EDITIONS),
        Param("measure", "imd", choices=tuple(MEASURES)),
        Param("kind", "decile", choices=("decile", "score")),
        Param("borough", "", choices=("", *boroughs)),
    ]
    for key, subtypes in kinds.items():
        params.append(Param(f"cat_{key}", CATEGORIES[key].default_on))
        if len(subtypes) > 1:
            params.append(Param(f"sub_{key}", tuple(subtypes), many=True, choices=tuple(subtypes)))
    return QueryState(params)


def need_and_anchors() -> None:
    """The home page: a choropleth of need with the anchor institutions on top."""
    st.set_page_config(page_title="AnchorMap: need and anchors", page_icon=":round_pushpin:", layout="wide")
    st.title("Need and anchors")
    st.markdown(
        "Where is need greatest in London, and where are the hospitals, colleges, libraries and other "
        "**anchor institutions** that could help? Darker areas are more deprived. Use the options in the "
        "side panel to change what the map shows (on a phone, open it with » at the top left)."
    )

    try:
        anchors = load_anchors()
    except AnchorMapError as err:
        anchors = None
        st.warning(f"Anchor sites could not be loaded: {err}")
    kinds: dict[str, list[str]] = {}
    counts = anchors["category"].value_counts() if anchors is not None else {}
    if anchors is not None:
        kinds = {
            key: sorted(anchors.loc[anchors["category"] == key, "subtype"].dropna().unique())
            for key in CATEGORIES
            if int(counts.get(key, 0))
        }
    boroughs = geometry.borough_names()
    state = link_state(boroughs, kinds)
    state.restore()

    with st.sidebar:
        st.header("What to show")
        edition = st.radio("Edition", EDITIONS, format_func=EDITION_LABELS.get, key="edition")
        measures = {m.key: m for m in measures_for(edition)}
        state.keep_valid("measure", measures, "imd")
        measure = st.selectbox(
            "Measure of need", list(measures), format_func=lambda k: measures[k].label, key="measure"
        )
        kind = st.radio(
            "Show as",
            ["decile", "score"],
            horizontal=True,
            key="kind",
            format_func={"decile": "Decile in England", "score": "Score"}.get,
            help="Decile 1 is the most deprived 10% of neighbourhoods in England.",
        )
        borough = st.selectbox(
            "Borough",
            [""] + list(boroughs),
            key="borough",
            format_func=lambda c: "All of London" if not c else boroughs[c],
        )

        st.header("Anchor institutions")
        chosen: list[str] = []
        subtypes: dict[str, list[str]] = {}
        for key, types in kinds.items():
            cat = CATEGORIES[key]
            if st.checkbox(f"{cat.label} ({int(counts[key]):,})", key=f"cat_{key}", help=cat.plain):
                chosen.append(key)
                if len(types) > 1:
                    picked = st.multiselect(f"Types shown: {cat.label}", types, key=f"sub_{key}")
                    if len(picked) < len(types):
                        subtypes[key] = picked
        network = st.session_state.get("network")
        show_network = False
        if network is not None and len(network):
            show_network = st.checkbox(f"Our network ({len(network):,} sites)", value=True, key="show_network")
    state.publish()

    prepare_geometry(edition)
    m = mapping.base_map(edition)
    overlay = mapping.Overlay().choropleth(edition, measure, kind).zoom_to_borough(borough or None)
    if anchors is not None and chosen:
        overlay.anchors(
            anchors, layer_id="anchors", label="Anchor institutions", categories=chosen, subtypes=subtypes, public=True
        )
    if show_network:
        overlay.anchors(network, layer_id="network", label="Our network", shape="pin", colour="#FFFFFF")

    st.subheader(f"{measures[measure].label}, {edition}" + (f": {boroughs[borough]}" if borough else ": London"))
    st.markdown(mapping.need_summary(edition, measure, borough or None))
    mapping.show_map(m, overlay, key="home_map", height=640)

    st.caption(
        "Hover over an area for its name and how deprived it is; click a marker for details. "
        "Markers group together when zoomed out: zoom in to see each site. To share this view, copy the "
        "address from your browser's address bar."
    )
    st.markdown("**Sources**")
    for line in mapping.attributions(edition, anchors=anchors is not None and bool(chosen)):
        st.caption(line)
    st.caption(
        "Basemap: © OpenStreetMap contributors, © CARTO (needs an internet connection; the borough "
        "outlines show where you are without it)."
    )


# The pages as the sidebar lists them; url_path keeps each page's address as it was (links to
# /Community and the others stay valid). No bare strings here: Streamlit would print them.
NAVIGATION = [
    st.Page(need_and_anchors, title="Need and anchors", url_path="Need_and_anchors", default=True),
    st.Page(PAGES_DIR / "1_Underserved_areas.py", title="Underserved areas", url_path="Underserved_areas"),
    st.Page(PAGES_DIR / "2_Shared_land.py", title="Shared land", url_path="Shared_land"),
    st.Page(PAGES_DIR / "3_Our_network.py", title="Our network", url_path="Our_network"),
    st.Page(PAGES_DIR / "4_Community.py", title="Your area (community)", url_path="Community"),
]

try:
    st.navigation(NAVIGATION).run()
except AnchorMapError as err:  # e.g. a dataset missing from the mirror: say what to do, never a traceback
    st.error(str(err))
