"""The home page, "Need and anchors": a choropleth of need with the anchor institutions on top.

Widgets only: the data come from :mod:`anchormap.ui.cached`, the categories and the heading
from :mod:`anchormap.maps.views`, the map from :mod:`anchormap.maps.overlay`. Every choice is
kept in the link, and the edition, measure, borough and categories also in the session, so
they survive moving to another page and back (:mod:`anchormap.ui.query_state`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from anchormap import (
    CATEGORIES,
    DEFAULT_EDITION,
    MEASURES,
    YEARS,
    AnchorKind,
    AnchorMapError,
    Overlay,
    anchor_kinds,
    attributions,
    base_map,
    borough_names,
    edition_label,
    measures_for,
    need_summary,
    view_title,
)
from anchormap.geo.places import sites_in_place
from anchormap.ui import cached, map_view
from anchormap.ui.place_picker import inline_text, place_caption, place_picker, show_place
from anchormap.ui.query_state import Param, QueryState, keep_shared, shared_choice

DEFAULT_KINDS = tuple(key for key, cat in CATEGORIES.items() if cat.default_on)


def link_state(boroughs: dict[str, str], kinds: dict[str, AnchorKind]) -> QueryState:
    """The home page's choices kept in the link.

    Parameters
    ----------
    boroughs : dict of str to str
        Borough code -> name.
    kinds : dict of str to AnchorKind
        :func:`anchormap.maps.views.anchor_kinds` of the anchors layer.

    Returns
    -------
    QueryState
        Edition, measure, decile or score (shared with other pages: edition, measure), each
        anchor category's toggle (``cat_<key>``) and its sub-types (``sub_<key>``). The place
        is kept by :func:`anchormap.ui.place_picker.place_picker` (``area``; an old link's
        ``borough=CODE`` opens as ``area=borough:CODE``).
    """
    params = [
        Param("edition", DEFAULT_EDITION, choices=YEARS, shared="edition"),
        Param("measure", "imd", choices=tuple(MEASURES), shared="measure"),
        Param("kind", "decile", choices=("decile", "score")),
        Param("view", NEED_VIEW, choices=VIEWS),  # need, or the 2019 -> 2025 change (block below)
    ]
    for key, kind in kinds.items():
        params.append(Param(f"cat_{key}", CATEGORIES[key].default_on))
        if len(kind.subtypes) > 1:
            params.append(Param(f"sub_{key}", kind.subtypes, many=True, choices=kind.subtypes))
    return QueryState(params, page="Need_and_anchors")


def restore_category_toggles(state: QueryState, kinds: dict[str, AnchorKind]) -> None:
    """After :meth:`QueryState.restore`, on entering the page: the categories chosen on another
    page set the toggles (``cat_<key>``) unless the link sets them.

    Parameters
    ----------
    state : QueryState
        The page's, already restored.
    kinds : dict of str to AnchorKind
        The categories shown.
    """
    held = shared_choice("categories")
    if not state.entered or held is None or any(f"cat_{key}" in st.query_params for key in kinds):
        return
    for key in kinds:
        st.session_state[f"cat_{key}"] = key in held


def need_and_anchors() -> None:
    """The home page: a choropleth of need with the anchor institutions on top."""
    st.set_page_config(page_title="AnchorMap: need and anchors", page_icon=":round_pushpin:", layout="wide")
    st.title("Need and anchors")
    intro = st.empty()  # its colours sentence follows the view chosen in the side panel below

    try:
        anchors = cached.anchors()
    except AnchorMapError as err:
        anchors = None
        st.warning(f"Anchor sites could not be loaded: {err}")
    kinds = anchor_kinds(anchors)
    boroughs = borough_names()
    state = link_state(boroughs, kinds)
    state.restore()
    restore_category_toggles(state, kinds)

    with st.sidebar:
        st.header("What to show")
        view = change_view_choice()
    intro.markdown(
        "Where is need greatest in London, and where are the hospitals, colleges, libraries and other "
        "**anchor institutions** that could help? "
        + (
            "Orange areas moved towards less deprived between the 2019 and 2025 editions, purple ones towards more. "
            if view == CHANGE_VIEW
            else "Darker areas are more deprived. "
        )
        + "Use the options in the side panel to change what the map shows (on a phone, open it with » at the top left)."
    )
    with st.sidebar:
        edition = st.radio("Edition", YEARS, format_func=edition_label, key="edition", disabled=view == CHANGE_VIEW)
        measures = change_view_measures(view, {m.key: m for m in measures_for(edition)})
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
            disabled=view == CHANGE_VIEW,
        )
        place = place_picker(edition)

        st.header("Anchor institutions")
        chosen: list[str] = []
        subtypes: dict[str, list[str]] = {}
        for key, found in kinds.items():
            cat = CATEGORIES[key]
            if st.checkbox(f"{cat.label} ({found.count:,})", key=f"cat_{key}", help=cat.plain):
                chosen.append(key)
                if len(found.subtypes) > 1:
                    picked = st.multiselect(f"Types shown: {cat.label}", found.subtypes, key=f"sub_{key}")
                    if len(picked) < len(found.subtypes):
                        subtypes[key] = picked
        network = st.session_state.get("network")
        show_network = False
        if network is not None and len(network):
            show_network = st.checkbox(f"Our network ({len(network):,} sites)", value=True, key="show_network")
    state.publish()
    if kinds:
        keep_shared("categories", tuple(chosen), tuple(k for k in DEFAULT_KINDS if k in kinds))

    if view == CHANGE_VIEW:
        edition = change_view_edition()
    cached.prepare_geometry(edition)
    m = base_map(edition)
    overlay = show_place(Overlay(), place)
    if view == CHANGE_VIEW:
        change_key = change_view_layer(overlay, measure, place)
    else:
        overlay.choropleth(edition, measure, kind)
    count_in = None
    if anchors is not None and place is not None:
        inside = anchors.index.isin(sites_in_place(anchors, place).index)
        count_in = (place.label, pd.Series(inside, index=anchors.index))
    if anchors is not None and chosen:
        overlay.anchors(
            anchors,
            layer_id="anchors",
            label="Anchor institutions",
            categories=chosen,
            subtypes=subtypes,
            public=True,
            count_in=count_in,
        )
    if show_network:
        overlay.anchors(network, layer_id="network", label="Our network", shape="pin", colour="#FFFFFF")

    if view == CHANGE_VIEW:
        change_view_heading(measures[measure].label, measure, place)
    else:
        st.subheader(inline_text(view_title(measures[measure].label, edition, place.label if place else None)))
        place_caption(place, len(place.lsoa_codes) if place else len(cached.lsoas(edition)))
        st.markdown(inline_text(need_summary(edition, measure, place=place)))  # place names come from data
    map_view.show_map(m, overlay, key="home_map", height=640)
    if view == CHANGE_VIEW:
        change_view_key(change_key)

    st.caption(
        "Hover over an area for its name and how deprived it is; click a marker for details. "
        "Markers group together when zoomed out: zoom in to see each site. To share this view, copy the "
        "address from your browser's address bar."
    )
    st.markdown("**Sources**")
    for line in attributions(edition, anchors=anchors is not None and bool(chosen), extra=change_view_sources(view)):
        st.caption(line)
    st.caption(
        "Basemap: © OpenStreetMap contributors, © CARTO (needs an internet connection; the borough "
        "outlines show where you are without it)."
    )


# --------------------------------------------------------------------------- the 2019 -> 2025 change view
NEED_VIEW, CHANGE_VIEW = "need", "change"
VIEWS = (NEED_VIEW, CHANGE_VIEW)
"""What the home map shows: need in one edition, or how each neighbourhood moved from 2019 to 2025."""


def change_view_choice() -> str:
    """The "Map shows" choice (kept in the link as ``view``): need, or the change from 2019 to 2025."""
    from anchormap import CHANGE_LABEL

    words = {NEED_VIEW: "Need in one edition", CHANGE_VIEW: CHANGE_LABEL}
    return st.radio(
        "Map shows",
        VIEWS,
        format_func=words.get,
        key="view",
        help="The change view compares each neighbourhood's place in England's ranking in the 2019 and 2025 "
        "editions of the Indices of Deprivation.",
    )


def change_view_measures(view: str, measures: dict) -> dict:
    """The measures to choose from: in the change view, those published in both editions."""
    if view != CHANGE_VIEW:
        return measures
    from anchormap import change_measures

    return {m.key: m for m in measures_for(2025) if m.key in change_measures()}


def change_view_edition() -> int:
    """The edition whose neighbourhoods the change view draws (LSOA 2021)."""
    from anchormap import CHANGE_EDITION

    return CHANGE_EDITION


def change_view_layer(overlay, measure: str, place) -> list:
    """Colour the map by the change of decile; the key's rows (colour, words, neighbourhoods of the
    place chosen, or of London)."""
    from anchormap import add_change_layer, lsoa21_codes

    if place is None:
        return add_change_layer(overlay, measure)
    return add_change_layer(overlay, measure, lsoa_codes=lsoa21_codes(place), place_label=place.label)


def change_view_heading(label: str, measure: str, place) -> None:
    """The change view's heading, its summary in words and MHCLG's warning, above the map."""
    from anchormap import CHANGE_LABEL, CHANGE_WARNING, change_summary, lsoa21_codes

    where = place.label if place is not None else "London"
    st.subheader(inline_text(f"{label}: {CHANGE_LABEL}, {where}"))  # place names come from data and uploads
    if place is None:
        st.markdown(change_summary(measure))
    else:
        st.markdown(inline_text(change_summary(measure, lsoa_codes=lsoa21_codes(place), place_label=place.label)))
    st.info(CHANGE_WARNING)


def change_view_key(rows: list) -> None:
    """The map's key in words beside it: each class with how many neighbourhoods are in it."""
    lines = [f"- {words}: {n:,} neighbourhood{'s' if n != 1 else ''}" for _colour, words, n in rows]
    st.markdown(
        "**Key, from the most orange to the most purple** (each neighbourhood's national decile in the 2025 "
        "edition against 2019; decile 1 is the most deprived 10% in England):\n" + "\n".join(lines)
    )
    st.caption(
        "Unchanged neighbourhoods are compared directly; ones split in 2021 with their 2011 parent; merged ones "
        "with the population-weighted average score of their 2011 parents. Hover over an area to see which."
    )


def change_view_sources(view: str) -> tuple[str, ...]:
    """The datasets the change view adds to the sources listed under the map."""
    if view != CHANGE_VIEW:
        return ()
    from anchormap import CHANGE_DATASETS

    return CHANGE_DATASETS
