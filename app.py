"""AnchorMap home page: "Need and anchors".

Where need is greatest in London and where the anchor institutions are. This page only
arranges widgets; the map is built by anchormap.mapping.
"""

from __future__ import annotations

import streamlit as st

from anchormap import mapping
from anchormap.categories import CATEGORIES
from anchormap.errors import AnchorMapError
from anchormap.measures import EDITIONS, measures_for

st.set_page_config(page_title="AnchorMap: need and anchors", page_icon=":round_pushpin:", layout="wide")


@st.cache_resource(show_spinner="Loading anchor sites...")
def load_anchors():
    """The built-in anchors layer (shared, read-only)."""
    from anchormap.build import load_layer

    return load_layer("anchors")


@st.cache_resource(show_spinner="Preparing the map...")
def prepare_geometry(edition: int):
    """Publish the display geometry once per edition (cached across reruns and sessions)."""
    return mapping.areas_file(edition), mapping.outlines_file()


EDITION_LABELS = {
    2019: "2019 (Indices of Deprivation 2019, 2011 neighbourhoods)",
    2025: "2025 (Indices of Deprivation 2025, 2021 neighbourhoods)",
}

st.title("Need and anchors")
st.markdown(
    "Where is need greatest in London, and where are the hospitals, colleges, libraries and other "
    "**anchor institutions** that could help? Darker areas are more deprived. Use the options on the "
    "left to change what the map shows."
)

with st.sidebar:
    st.header("What to show")
    edition = st.radio("Edition", EDITIONS, index=0, format_func=EDITION_LABELS.get, key="edition")
    measures = {m.key: m for m in measures_for(edition)}
    measure = st.selectbox("Measure of need", list(measures), format_func=lambda k: measures[k].label, key="measure")
    kind = st.radio(
        "Show as", ["decile", "score"], horizontal=True, key="kind",
        format_func={"decile": "Decile in England", "score": "Score"}.get,
        help="Decile 1 is the most deprived 10% of neighbourhoods in England.",
    )
    boroughs = mapping.borough_names()
    borough = st.selectbox(
        "Borough", [""] + list(boroughs), key="borough",
        format_func=lambda c: "All of London" if not c else boroughs[c],
    )

    st.header("Anchor institutions")
    try:
        anchors = load_anchors()
    except AnchorMapError as err:
        anchors = None
        st.warning(f"Anchor sites could not be loaded: {err}")
    chosen: list[str] = []
    subtypes: dict[str, list[str]] = {}
    if anchors is not None:
        counts = anchors["category"].value_counts()
        for key, cat in CATEGORIES.items():
            n = int(counts.get(key, 0))
            if n == 0:
                continue
            if st.checkbox(f"{cat.label} ({n:,})", value=cat.default_on, key=f"cat_{key}", help=cat.plain):
                chosen.append(key)
                kinds = sorted(anchors.loc[anchors["category"] == key, "subtype"].dropna().unique())
                if len(kinds) > 1:
                    picked = st.multiselect(f"Types shown: {cat.label}", kinds, default=kinds, key=f"sub_{key}")
                    if len(picked) < len(kinds):
                        subtypes[key] = picked
    network = st.session_state.get("network")
    show_network = False
    if network is not None and len(network):
        show_network = st.checkbox(f"Our network ({len(network):,} sites)", value=True, key="show_network")

prepare_geometry(edition)
m = mapping.base_map(edition)
overlay = mapping.Overlay().choropleth(edition, measure, kind).zoom_to_borough(borough or None)
if anchors is not None and chosen:
    overlay.anchors(anchors, layer_id="anchors", label="Anchor institutions", categories=chosen,
                    subtypes=subtypes, public=True)
if show_network:
    overlay.anchors(network, layer_id="network", label="Our network", shape="pin", colour="#FFFFFF")

st.subheader(f"{measures[measure].label}, {edition}" + (f": {boroughs[borough]}" if borough else ": London"))
st.markdown(mapping.need_summary(edition, measure, borough or None))
mapping.show_map(m, overlay, key="home_map", height=640)

st.caption(
    "Hover over an area for its name and how deprived it is; click a marker for details. "
    "Markers group together when zoomed out: zoom in to see each site."
)
st.markdown("**Sources**")
for line in mapping.attributions(edition, anchors=anchors is not None and bool(chosen)):
    st.caption(line)
st.caption("Basemap: © OpenStreetMap contributors, © CARTO (needs an internet connection; the borough "
           "outlines show where you are without it).")
