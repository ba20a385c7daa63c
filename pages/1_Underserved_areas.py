"""Underserved areas: neighbourhoods with the greatest need and the fewest anchors to partner with.

This page only arranges widgets. The ranking is anchormap.analysis.gaps (catchments in
anchormap.analysis.catchment), the map anchormap.maps.overlay with layers from anchormap.maps.gap_map. Every
choice (and a proposed site placed by postcode) is kept in the address bar, so a link opens
the same ranking (anchormap.ui.query_state).
"""

from __future__ import annotations

import streamlit as st

from anchormap import (
    AREA_TABS,
    CATEGORIES,
    DECAYS,
    DEFAULT_CATEGORIES,
    DEFAULT_EDITION,
    DEFAULT_SITE_NAME,
    DETOUR_FACTOR,
    MEASURES,
    WALK_KMH,
    YEARS,
    AnchorMapError,
    GapParams,
    Overlay,
    add_catchments,
    add_proposed_site,
    add_top_areas,
    attributions,
    base_map,
    before_after_tables,
    cells_in_words,
    current_network,
    decile_in_words,
    default_rollup_level,
    edition_label,
    explain,
    gap_export_bytes,
    gap_scores,
    linked_site_kind,
    measures_for,
    narrow_to_place,
    network_attributions,
    place_metadata,
    rank_gaps,
    scores_after,
    site_from_click,
    site_from_postcode,
    site_heading,
    what_if,
    what_if_summary,
    without_anchor,
)
from anchormap.ui import cached, map_view
from anchormap.ui.downloads import download_buttons
from anchormap.ui.entry import run_through_entry_point
from anchormap.ui.place_picker import inline_text, place_caption, place_picker, show_place
from anchormap.ui.query_state import Param, QueryState

run_through_entry_point()  # a link opened first after a restart still goes through app.py
st.set_page_config(page_title="AnchorMap: underserved areas", page_icon=":round_pushpin:", layout="wide")

SITE_KEY = "gaps_proposed_site"
LINK_READ_KEY = "gaps_link_site_read"


def link_state(present: list[str]) -> QueryState:
    """The page's choices kept in the link (link name -> widget key)."""
    return QueryState(
        [
            Param("edition", DEFAULT_EDITION, choices=YEARS, widget="gaps_edition", shared="edition"),
            Param("measure", "imd", choices=tuple(MEASURES), widget="gaps_measure", shared="measure"),
            Param("deciles", (1, 2), many=True, choices=tuple(range(1, 11)), widget="gaps_deciles"),
            Param("anchors", "all", choices=("all", "network"), widget="gaps_source"),
            Param(
                "cats",
                tuple(k for k in DEFAULT_CATEGORIES if k in present),
                many=True,
                choices=tuple(present),
                widget="gaps_categories",
                shared="categories",
            ),
            Param("catchment", "metres", choices=("metres", "minutes"), widget="gaps_size"),
            Param("metres", 1000, choices=tuple(range(200, 5001, 100)), widget="gaps_within"),
            Param("minutes", 15, choices=tuple(range(5, 61)), widget="gaps_minutes", shared="walk_minutes"),
            Param("kmh", WALK_KMH, lo=2.0, hi=7.0, widget="gaps_kmh"),
            Param("detour", DETOUR_FACTOR, lo=1.0, hi=2.0, widget="gaps_detour"),
            Param("scarcity", "count", choices=("count", "access"), widget="gaps_scarcity"),
            Param("decay", "gaussian", choices=DECAYS, widget="gaps_decay"),
            *[Param(f"w_{k}", 1.0, lo=0.0, hi=10.0, widget=f"gaps_weight_{k}") for k in present],
            Param("top", 20, choices=tuple(range(5, 101, 5)), widget="gaps_top"),
            Param("site", "", max_len=12, widget="gaps_postcode"),  # a proposed site's postcode
            Param("site_kind", "", choices=("", *present), widget="gaps_site_category"),
            Param("site_name", DEFAULT_SITE_NAME, max_len=80, widget="gaps_site_name"),
        ],
        page="Underserved_areas",
    )


def site_from_link(values: dict, present: list[str]) -> None:
    """Place the proposed site named in the link, once per session."""
    if st.session_state.get(LINK_READ_KEY):
        return
    st.session_state[LINK_READ_KEY] = True
    if not values["site"]:
        return
    kind = linked_site_kind(values["site_kind"], list(values["cats"]) or present)
    try:
        st.session_state[SITE_KEY] = site_from_postcode(values["site"], values["site_name"], kind)
    except AnchorMapError as exc:
        st.error(f"The proposed site in this link could not be placed: {exc}")


st.title("Underserved areas")
st.markdown(
    "Which neighbourhoods have the **greatest need** and the **fewest anchor institutions** nearby to "
    "partner with? Choose the parts of the score on the left; the explanation below always says exactly "
    "what is being counted."
)

anchors = cached.anchors()
present = [k for k in CATEGORIES if (anchors["category"] == k).any()]
STATE = link_state(present)
values = STATE.restore()

with st.sidebar:
    st.header("The gap score")
    edition = st.radio("Edition", YEARS, format_func=edition_label, key="gaps_edition")
    place = place_picker(edition)
    measures = {m.key: m for m in measures_for(edition)}
    STATE.keep_valid("measure", measures, "imd")
    measure = st.selectbox(
        "Need: measure of deprivation", list(measures), format_func=lambda k: measures[k].label, key="gaps_measure"
    )
    deciles = st.multiselect(
        "Deciles considered",
        list(range(1, 11)),
        key="gaps_deciles",
        format_func=lambda d: f"{d}: {decile_in_words(d)}",
        help="Decile 1 is the most deprived 10% of neighbourhoods in England.",
    )
    source = st.radio(
        "Anchors counted",
        ["all", "network"],
        key="gaps_source",
        horizontal=True,
        format_func={"all": "All anchors", "network": "Our network only"}.get,
    )
    categories = st.multiselect(
        "Kinds of anchor counted", present, key="gaps_categories", format_func=lambda k: CATEGORIES[k].label
    )
    size = st.radio(
        "Catchment",
        ["metres", "minutes"],
        key="gaps_size",
        horizontal=True,
        format_func={"metres": "Distance", "minutes": "Walking time"}.get,
    )
    if size == "metres":
        within = st.slider("Catchment (metres)", 200, 5000, step=100, key="gaps_within")
        minutes, detour, kmh = None, DETOUR_FACTOR, WALK_KMH
    else:
        within = None
        minutes = st.slider("Catchment (minutes of walking)", 5, 60, step=1, key="gaps_minutes")
        with st.expander("Walking assumptions"):
            kmh = st.number_input("Walking speed (km/h)", 2.0, 7.0, step=0.1, key="gaps_kmh")
            detour = st.number_input(
                "Detour factor (street walk ÷ straight line)", 1.0, 2.0, step=0.05, key="gaps_detour"
            )
    scarcity = st.radio(
        "Scarcity",
        ["count", "access"],
        key="gaps_scarcity",
        format_func={"count": "Number of anchors nearby", "access": "Access shared by population (E2SFCA)"}.get,
    )
    decay, weights = "gaussian", {}
    if scarcity == "access":
        with st.expander("Access settings"):
            decay = st.radio(
                "How access fades with distance",
                list(DECAYS),
                key="gaps_decay",
                format_func={"gaussian": "Smoothly (Gaussian)", "step": "In steps (thirds of the catchment)"}.get,
            )
            st.caption("How much one site of each kind counts (1 = one site; 2 = twice as much).")
            weights = {
                k: st.number_input(CATEGORIES[k].label, 0.0, 10.0, step=0.5, key=f"gaps_weight_{k}") for k in categories
            }
    top_n = st.slider("Biggest gaps shown on the map", 5, 100, step=5, key="gaps_top")

site_from_link(values, present)
linked = st.session_state.get(SITE_KEY) or {}
linked = linked if linked.get("postcode") else {}
STATE.publish(
    {
        "site": linked.get("postcode", ""),
        "site_kind": linked.get("category", ""),
        "site_name": linked.get("name", DEFAULT_SITE_NAME),
    }
)

if not categories:
    st.warning("Choose at least one kind of anchor to count.")
    st.stop()
if not deciles:
    st.warning("Choose at least one decile.")
    st.stop()

params = GapParams(
    edition=edition,
    measure=measure,
    deciles=tuple(deciles),
    categories=tuple(categories),
    within_m=within,
    walk_minutes=minutes,
    detour=detour,
    walk_kmh=kmh,
    scarcity=scarcity,
    decay=decay,
    weights={k: float(w) for k, w in weights.items() if float(w) != 1.0},
    network_only=source == "network",
)
try:
    if source == "network":
        network = current_network(st.session_state)
        if network is None or len(network) == 0:
            st.warning(
                "Our network is empty: choose member organisations or upload a list on the "
                "**Our network** page, or count all anchors."
            )
            st.stop()
        ctx = cached.network_context(edition, network)
    else:
        ctx = cached.anchor_context(edition)
    table = narrow_to_place(rank_gaps(ctx, params), place.lsoa_codes if place else None)
except AnchorMapError as exc:
    st.error(str(exc))
    st.stop()

place_caption(place, len(place.lsoa_codes) if place else len(cached.lsoas(edition)))
st.info(explain(params, ctx))
if place is not None:
    st.caption(
        inline_text(
            f"Only the neighbourhoods of {place.label} are ranked (1 = its biggest gap), but anchors outside it "
            "are counted too: a site just across the boundary still serves the people inside."
        )
    )

top = table.head(top_n)
c1, c2, c3 = st.columns(3)
c1.metric("Neighbourhoods in the chosen deciles", f"{len(table):,}")
c2.metric("… with no counted anchor in the catchment", f"{without_anchor(table):,}")
if minutes:  # the value stays short (a metric cuts long values); the detail is in its help
    c3.metric(
        "Catchment (walking time)",
        f"{minutes} min",
        help=f"{minutes} minutes' walk at {kmh:g} km/h with a detour factor of {detour:g}: "
        f"about {params.radius_m:,.0f} m, across the Thames by the nearest crossing open on foot.",
    )
else:
    c3.metric(
        "Catchment (distance)",
        f"{params.radius_m:,.0f} m",
        help="Straight lines on each side of the Thames; across it, by the nearest crossing open on foot.",
    )

# --- what if: a proposed site (worked out first: the map shows the "after" colours) -------------
site = st.session_state.get(SITE_KEY)
change, change_error = None, None
if site:
    try:
        change = what_if(ctx, params, site["x"], site["y"], site["category"], site["name"])
    except AnchorMapError as exc:
        change_error = str(exc)

# --- the map ----------------------------------------------------------------------------------
st.subheader(f"The {len(top)} biggest gaps" + (" (after the proposed site opens)" if change is not None else ""))
m = base_map(edition)
overlay = Overlay().values(
    edition,
    scores_after(table, change) if change is not None else gap_scores(table),
    label="Gap score after the proposed site opens" if change is not None else "Gap score (need × scarcity)",
    note="Grey: neighbourhoods outside the chosen deciles. Thick outlines: the biggest gaps.",
    missing="not ranked: outside the chosen deciles",
)
add_top_areas(overlay, top, edition)
show_place(overlay, place)
drawn = add_catchments(overlay, ctx, params, top["lsoa_code"])
if site:
    add_proposed_site(overlay, site["x"], site["y"], params.radius_m, site["name"])
clicked = map_view.show_map(m, overlay, key=f"gaps_map_{edition}", height=600, returned_objects=["last_clicked"])
st.caption(
    f"Circles: the {params.radius_m:,.0f} m catchments of the {drawn} counted anchors near the biggest "
    "gaps (each one's nearest anchor, and any within twice the catchment). Hover for names. Click the map "
    "to choose a place for a proposed site below."
    + (" The colours are the gap scores after the proposed site (the star) opens." if change is not None else "")
)

# --- ranked table ---------------------------------------------------------------------------
level = default_rollup_level(edition)
top_words, all_words, borough_words, level_words = cached.gap_tables(table, measure, level, len(top))
st.dataframe(top_words, hide_index=True, width="stretch")
with st.expander(f"All {len(table):,} neighbourhoods in the chosen deciles"):
    st.dataframe(all_words, hide_index=True, width="stretch")
    st.caption(
        "Nearest: the distance to the nearest site of each kind counted; to a site across the Thames, "
        "by the crossing open on foot that makes the walk shortest."
    )

st.subheader("By area")
for tab, words in zip(st.tabs([AREA_TABS["borough"], AREA_TABS[level]]), (borough_words, level_words), strict=True):
    tab.dataframe(words, hide_index=True, width="stretch")
st.caption("Sum of gap scores: more and bigger gaps make a bigger sum.")

# --- what if ------------------------------------------------------------------------------
st.subheader("What if a new anchor site opened here?")
point = (clicked or {}).get("last_clicked")
with st.form("gaps_what_if"):
    w1, w2, w3 = st.columns([2, 2, 2])
    where = w1.radio(
        "Place",
        ["postcode", "click"],
        key="gaps_where",
        horizontal=True,
        format_func={"postcode": "A postcode", "click": "Where I clicked on the map"}.get,
    )
    postcode = w1.text_input("Postcode", key="gaps_postcode", placeholder="e.g. SE6 4RU")
    STATE.keep_valid("site_kind", categories)
    category = w2.selectbox(
        "Kind of anchor", categories, key="gaps_site_category", format_func=lambda k: CATEGORIES[k].label
    )
    name = w3.text_input("Name", key="gaps_site_name", max_chars=80)
    go = st.form_submit_button("Show before and after")
if go:
    try:
        if where == "postcode":
            st.session_state[SITE_KEY] = site_from_postcode(postcode, name, category)
        else:
            st.session_state[SITE_KEY] = site_from_click(point, name, category)
        st.rerun()
    except AnchorMapError as exc:
        st.error(str(exc))
if site:
    if change_error:
        st.error(change_error)
    if change is not None:
        st.markdown(site_heading(site, what_if_summary(change)))  # the name shown as typed, not as markdown
    if st.button("Remove the proposed site", key="gaps_clear_site"):  # also when the what-if was refused
        st.session_state.pop(SITE_KEY, None)
        st.rerun()
    if change is not None and len(change):
        before_col, after_col = st.columns(2)
        for col, title, shown in zip(
            (before_col, after_col), ("Before", "After"), before_after_tables(change), strict=True
        ):
            with col:
                st.markdown(f"**{title}**")
                st.dataframe(cells_in_words(shown), hide_index=True, width="stretch")

# --- downloads and sources ---------------------------------------------------------------------
st.subheader("Download the ranking")
stem = f"anchormap-gaps-{edition}-{measure}"
download_buttons(
    lambda fmt, csv_name: gap_export_bytes(table, params, fmt, csv_name, place_metadata(place)), stem, key="gaps"
)

st.markdown("**Sources**")
lines = attributions(edition, anchors=source == "all", extra=("postcodes",))
if source == "network":
    lines += [x for x in network_attributions(current_network(st.session_state)) if x not in lines]
for line in lines:
    st.caption(line)
st.caption(
    "Distances are measured from a point inside each neighbourhood to each site, in British National Grid "
    "metres: straight lines on the same side of the Thames and, to the other side, by the bridge, foot tunnel "
    "or ferry that makes the walk shortest; walking times assume the speed and detour shown. Anchors and people outside "
    "London are not counted, so areas at London's edge may look less served than they are."
)
