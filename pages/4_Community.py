"""Your area: the page for public community sessions.

One search box (postcode, postcode district, neighbourhood, ward or borough); the map zooms
there; a plain-English card says how deprived the neighbourhood is, which anchor
institutions are within walking distance and which public land nearby is marked as unused;
the view can be downloaded as PNG or PDF and shared as a link. The page only arranges
widgets: the work is done in anchormap.geo.place_search, anchormap.analysis.area_card,
anchormap.maps.take_home and anchormap.maps.overlay.
"""

from __future__ import annotations

import streamlit as st

from anchormap import (
    CATEGORIES,
    DEFAULT_EDITION,
    DEFAULT_WALK_MINUTES,
    EDITIONS,
    MEASURES,
    YEARS,
    NotFound,
    Overlay,
    attribution_lines,
    base_map,
    card_for_place,
    draw_view,
    export_view,
    file_stem,
    in_place,
    measures_for,
    searched_point,
    unused_land_points,
    view_dataset_ids,
    zoom_to_place,
)
from anchormap.ui import cached, map_view
from anchormap.ui.area_card_view import (
    anchors_html,
    deprivation_html,
    glossary_html,
    land_html,
    notice_html,
    share_link_html,
)
from anchormap.ui.entry import run_through_entry_point
from anchormap.ui.query_state import Param, QueryState
from anchormap.ui.styles import apply_phone_styles, apply_public_styles

run_through_entry_point()  # a link opened first after a restart still goes through app.py
st.set_page_config(
    page_title="AnchorMap: your area", page_icon=":round_pushpin:", layout="wide", initial_sidebar_state="collapsed"
)
apply_public_styles()

DEFAULT_CATEGORIES = (
    "health",
    "primary_care",
    "higher_further_education",
    "schools",
    "libraries",
    "culture",
    "emergency_services",
)
WALK_CHOICES = (5, 10, 15, 20, 30)
POSTCODE_KINDS = ("postcode", "postcode_district")

STATE = QueryState(
    [
        Param("postcode", ""),  # what was searched when it is a postcode or postcode district
        Param("place", ""),  # what was searched when it is a name or code
        Param("edition", DEFAULT_EDITION, choices=YEARS, shared="edition"),
        Param("measure", "imd", choices=tuple(MEASURES), shared="measure"),
        Param("cats", DEFAULT_CATEGORIES, many=True, choices=tuple(CATEGORIES), shared="categories"),
        Param("walk", int(DEFAULT_WALK_MINUTES), choices=WALK_CHOICES, shared="walk_minutes"),
        Param("phone", False, widget="community_phone"),  # ?phone=1: the phone layout (a direct link)
    ],
    page="Community",
)


@st.cache_data(show_spinner="Drawing your download...", max_entries=16)
def view_file(query: str, edition: int, measure: str, cats: tuple[str, ...], walk: int, fmt: str) -> bytes:
    place = cached.find_place(query, edition)
    lsoas, anchors, land = cached.lsoas(edition), cached.anchors(), cached.land_assets()
    card = card_for_place(place, lsoas, anchors=anchors, land=land, minutes=walk, categories=cats)
    fig = draw_view(
        place, lsoas, cached.layer("boroughs"), measure=measure, anchors=anchors, categories=cats, land=land
    )
    return export_view(fig, fmt, card=card)


def use_suggestion(text: str) -> None:
    st.session_state["search"] = text


# ---- restore the shared link, then draw the widgets keyed by the same names
values = STATE.restore()
if "search" not in st.session_state:
    st.session_state["search"] = values["postcode"] or values["place"]

st.title("Your area")
st.markdown(
    "Type a **postcode** (like SE6 4RU) or the name of a **neighbourhood, ward or borough** in London "
    "to see how your area is doing and which big local organisations are nearby."
)

search = st.text_input(
    "Postcode or place name", key="search", max_chars=100, placeholder="e.g. SE6 4RU, Catford South or Lewisham"
)
st.button("Search", type="primary", key="search_button")

with st.expander("Map options"):
    edition = st.radio(
        "Figures from",
        YEARS,
        key="edition",
        horizontal=True,
        format_func=lambda year: EDITIONS[year].plain_label,
        help="The English Indices of Deprivation: 2025 is the latest; 2019 uses older boundaries.",
    )
    choices = {m.key: m for m in measures_for(edition)}
    if st.session_state.get("measure") not in choices:
        st.session_state["measure"] = "imd"
    measure = st.selectbox("Colour the map by", list(choices), key="measure", format_func=lambda k: choices[k].label)
    cats = st.multiselect(
        "Kinds of anchor institution", list(CATEGORIES), key="cats", format_func=lambda k: CATEGORIES[k].label
    )
    walk = st.select_slider(
        "Walking distance for the list", WALK_CHOICES, key="walk", format_func=lambda m: f"{m} minutes"
    )
    phone = st.toggle(
        "Phone layout: big type, the map below the summary",
        key="community_phone",
        help="A link with ?phone=1 opens this page in this layout.",
    )
if phone:
    apply_phone_styles()

text = (search or "").strip()
result = cached.find_place(text, edition) if text else None
searched = {"postcode": "", "place": ""}  # what the link says was searched: found places only
if isinstance(result, NotFound):
    st.markdown(notice_html(result.message), unsafe_allow_html=True)
    if result.suggestions:
        cols = st.columns(min(3, len(result.suggestions)))
        for i, s in enumerate(result.suggestions):
            cols[i % len(cols)].button(s, key=f"suggest_{i}", on_click=use_suggestion, args=(s,))
    result = None
elif result is not None:
    is_pc = result.kind in POSTCODE_KINDS
    searched = {"postcode": result.query if is_pc else "", "place": "" if is_pc else result.query}
STATE.publish(searched)

anchors = cached.anchors()
land = cached.land_assets()
lsoas = cached.lsoas(edition)
card = None
if result is not None:
    card = card_for_place(result, lsoas, anchors=anchors, land=land, minutes=walk, categories=cats)
    st.header(result.label)


def map_overlay() -> Overlay:
    """The map's layers: the need colours, the anchors, the place searched and unused land near it."""
    cached.prepare_geometry(edition)
    overlay = Overlay().choropleth(edition, measure, "decile")
    if cats:
        overlay.anchors(
            anchors,
            layer_id="anchors",
            label="Anchor institutions",
            categories=list(cats),
            public=True,
            count_in=in_place(anchors, result) if result is not None else None,
        )
    if result is None:
        return overlay.zoom_to_borough(None)
    overlay.anchors(
        searched_point(result),
        layer_id="searched",
        label="The place you searched",
        shape="pin",
        colour="#000000",
        cluster=False,
        emphasis=True,
    )
    if len(card.land):
        overlay.anchors(
            unused_land_points(card.land),
            layer_id="land",
            label="Public land marked unused",
            shape="square",
            colour="#FFFFFF",
            cluster=False,
        )
    zoom_to_place(overlay, result)
    return overlay


MAP_CAPTION = (
    "Darker areas are more deprived. Drag to move the map, pinch or use + and − to zoom; click a marker for its name."
)


def area_summary() -> None:
    if card is not None:
        st.markdown(deprivation_html(card), unsafe_allow_html=True)
    elif not text:
        st.markdown(
            notice_html("Search for a postcode or place to see a summary of the area here."), unsafe_allow_html=True
        )


def area_map(height: int) -> None:
    # phones at a community session share one connection: only the edition shown is fetched
    map_view.show_map(base_map(edition, prefetch=False), map_overlay(), key="community_map", height=height)
    st.caption(MAP_CAPTION)


# the summary is sent before the map is worked out: it is what people came for, and it reaches a
# phone sooner when many people open the page at once (benchmarks/crowd.py)
if phone:  # one column: the summary first, then the map below it
    area_summary()
    area_map(460)
else:
    map_col, card_col = st.columns([3, 2], gap="large")
    with card_col:
        area_summary()
    with map_col:
        area_map(640)

if card is not None:
    near_col, land_col = (st.container(), st.container()) if phone else st.columns([3, 2], gap="large")
    near_col.markdown(anchors_html(card), unsafe_allow_html=True)
    land_col.markdown(land_html(card), unsafe_allow_html=True)

if result is not None and card is not None:
    st.subheader("Take it home")
    key = (result.query, edition, measure, tuple(cats), int(walk))
    c1, c2 = st.columns(2)
    stem = file_stem(result.query)
    c1.download_button(
        "Download a picture (PNG)",
        data=lambda: view_file(*key, "png"),
        file_name=f"{stem}.png",
        mime="image/png",
        key="download_png",
        on_click="ignore",
    )
    c2.download_button(
        "Download a printable page (PDF)",
        data=lambda: view_file(*key, "pdf"),
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        key="download_pdf",
        on_click="ignore",
    )
    st.caption("Share this view: copy the address from your browser's address bar, or this link.")
    base = (st.context.url or "").split("?")[0] if hasattr(st.context, "url") else ""
    st.markdown(share_link_html(STATE.link(base or "Community", {**searched, "phone": False})), unsafe_allow_html=True)
    st.caption("For a phone (big type, the map below the summary):")
    st.markdown(share_link_html(STATE.link(base or "Community", {**searched, "phone": True})), unsafe_allow_html=True)
    with st.expander("What the words mean"):
        st.markdown(glossary_html(card), unsafe_allow_html=True)

st.subheader("Where the information comes from")
shown = view_dataset_ids(result, edition, anchors, cats, land=card.land if card is not None else None)
for line in attribution_lines(shown):
    st.caption(line)
st.caption(
    "Basemap: © OpenStreetMap contributors, © CARTO (needs an internet connection; the borough "
    "outlines show where you are without it)."
)
