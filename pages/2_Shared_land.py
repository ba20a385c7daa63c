"""Shared land: every partner's land and property on one map, to find space that could be used differently.

This page only arranges widgets; the work is done in anchormap.land.assets, land_filters,
land_map, uploads and store. The filters are kept in the address bar, so a link opens the same
selection (anchormap.ui.query_state). Who may add or change registers is the store's answer for the
person signed in (anchormap.ui.signin): viewers see no write control.
"""

from __future__ import annotations

import streamlit as st

from anchormap import (
    CATCHMENT_SOURCES,
    CATEGORIES,
    DEFAULT_EDITION,
    OWNER_TYPE_LABELS,
    OWNER_TYPES,
    STATUS_LABELS,
    STATUSES,
    UNUSED_STATUSES,
    YEARS,
    AnchorMapError,
    LandFilter,
    Overlay,
    add_land_markers,
    add_nearest_anchor,
    apply_filter,
    attributions,
    base_map,
    current_network,
    describe_filter,
    export_bytes,
    find_duplicates,
    land_attribution_lines,
    land_totals,
    off_map,
    off_map_table,
    open_store,
    pairs_table,
    place_metadata,
    sites_in_place,
    summarise,
    summary_table,
    walk_radius_m,
)
from anchormap.ui import cached, map_view
from anchormap.ui.downloads import download_buttons
from anchormap.ui.entry import run_through_entry_point
from anchormap.ui.place_picker import inline_text, place_caption, place_picker, show_place
from anchormap.ui.query_state import Param, QueryState
from anchormap.ui.register_upload import audit_trail, correct_rows, register_upload, submissions_list
from anchormap.ui.signin import current_access

run_through_entry_point()  # a link opened first after a restart still goes through app.py
st.set_page_config(page_title="AnchorMap: shared land", page_icon=":round_pushpin:", layout="wide")

DECILES = ("any", *range(1, 11))

STATE = QueryState(
    [  # link name -> widget key
        Param("edition", DEFAULT_EDITION, choices=YEARS, widget="land_edition", shared="edition"),
        Param("unused", False, widget="land_unused"),
        Param("status", (), many=True, choices=tuple(STATUSES), widget="land_status"),
        Param("owner", (), many=True, choices=tuple(OWNER_TYPES), widget="land_owner"),
        Param("partner", (), many=True, widget="land_partner"),  # checked against the partners present
        Param("min_ha", 0.0, lo=0.0, hi=1e6, widget="land_min_ha"),
        Param("min_m2", 0.0, lo=0.0, hi=1e8, widget="land_min_m2"),
        Param("decile", "any", choices=DECILES, widget="land_decile"),
        Param("catchment", "any", choices=("any", "inside", "outside"), widget="land_catchment"),
        Param("minutes", 10, choices=tuple(range(5, 31)), widget="land_minutes", shared="walk_minutes"),
        Param("cats", tuple(CATEGORIES), many=True, choices=tuple(CATEGORIES), widget="land_cats", shared="categories"),
        Param("catch_of", "anchors", choices=tuple(CATCHMENT_SOURCES), widget="land_catch_of"),
        Param("on_map", False, widget="land_on_map_only"),
        Param("need", True, widget="land_need"),
    ],
    page="Shared_land",
)


def unused_only() -> None:
    st.session_state["land_status"] = list(UNUSED_STATUSES)
    st.session_state["land_unused"] = True


st.title("Shared land")
st.markdown(
    "All the land and buildings that councils, the NHS and other partners have told us about, on one map, "
    "to find **space that could be used differently**: vacant or surplus property, under-used floor space, "
    "brownfield land and closed public buildings."
)

STATE.restore()
with st.sidebar:
    st.header("Deprivation")
    edition = st.radio("Deprivation edition", YEARS, key="land_edition", horizontal=True)
    try:
        assets = cached.land_assets(edition)
    except AnchorMapError as err:
        st.error(str(err))
        st.stop()
    place = place_picker(edition)
    all_count = len(assets)
    assets = sites_in_place(assets, place)
    st.header("Filter assets")
    st.button(
        "Unused space only",
        key="land_unused_button",
        on_click=unused_only,
        help="Vacant, surplus, under-used, brownfield or closed; or with empty floor area",
    )
    unused = st.checkbox("Only assets with unused space", key="land_unused")
    statuses = st.multiselect("Status", list(STATUSES), format_func=STATUS_LABELS.get, key="land_status")
    owners = st.multiselect("Owner type", list(OWNER_TYPES), format_func=OWNER_TYPE_LABELS.get, key="land_owner")
    partner_names = sorted(assets["partner"].dropna().unique())
    STATE.keep_valid("partner", partner_names)
    partners = st.multiselect("Partner", partner_names, key="land_partner")
    min_ha = st.number_input("Minimum site area (hectares)", min_value=0.0, step=0.1, key="land_min_ha")
    min_m2 = st.number_input("Minimum floor area (m²)", min_value=0.0, step=100.0, key="land_min_m2")
    decile = st.select_slider(
        "In areas of IMD decile ... or more deprived",
        DECILES,
        key="land_decile",
        help="Decile 1 is the most deprived 10% of areas in England.",
    )
    catchment = st.radio(
        "Anchor catchments",
        ["any", "inside", "outside"],
        horizontal=True,
        key="land_catchment",
        format_func={"any": "Anywhere", "inside": "Inside", "outside": "Outside"}.get,
    )
    network = current_network(st.session_state)
    has_network = network is not None and len(network) > 0
    if not has_network:
        st.session_state["land_catch_of"] = "anchors"
    catch_of = st.radio(
        "Catchments of",
        list(CATCHMENT_SOURCES),
        horizontal=True,
        key="land_catch_of",
        format_func={"anchors": "All anchors", "network": "Our network"}.get,
        disabled=not has_network,
        help=None if has_network else "Choose our network on the Our network page first.",
    )
    minutes = st.slider("Catchment: minutes' walk from an open site", 5, 30, key="land_minutes")
    cats = st.multiselect(
        "Anchor types for catchments", list(CATEGORIES), format_func=lambda k: CATEGORIES[k].label, key="land_cats"
    )
    on_map_only = st.checkbox("Only assets on the map", key="land_on_map_only")
STATE.publish()  # widget values are already in the session state, the toggle below too

try:
    flt = LandFilter(
        partners=tuple(partners),
        owner_types=tuple(owners),
        statuses=tuple(statuses),
        unused_only=unused,
        min_site_area_ha=float(min_ha),
        min_floor_area_m2=float(min_m2),
        imd_decile_max=None if decile == "any" else int(decile),
        catchment=catchment,
        catchment_m=walk_radius_m(minutes),
        include_off_map=not on_map_only,
        catchment_of=catch_of,
    ).check()
    if catchment != "any":
        assets = add_nearest_anchor(assets, network if catch_of == "network" else cached.anchors(), cats)
    shown = apply_filter(assets, flt)
except AnchorMapError as err:
    st.error(str(err))
    st.stop()

place_caption(place, len(shown), "assets")
if place is not None:
    st.caption(
        inline_text(
            f"Of London's {all_count:,} assets, {len(assets):,} are inside {place.label}; assets with no point "
            "on the map cannot be placed in it and are left out."
        )
    )
st.caption(f"Showing {len(shown):,} of {len(assets):,} assets: {describe_filter(flt)}.")
totals = land_totals(shown)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Assets", f"{len(shown):,}")
c2.metric("Site area", f"{totals['site_area_ha']:,.1f} ha")
c3.metric("Floor area", f"{totals['floor_area_m2']:,.0f} m²")
c4.metric("Empty floor area", f"{totals['empty_floor_area_m2']:,.0f} m²")

show_need = st.toggle("Show deprivation under the assets", key="land_need")
m = base_map(edition if show_need else None)
ov = Overlay()
if show_need:
    ov.choropleth(edition, "imd", kind="decile")
add_land_markers(ov, shown)
show_place(ov, place)
if has_network:
    ov.anchors(network, layer_id="network", label="Our network", shape="pin", colour="#FFFFFF")
map_view.show_map(m, ov, key="land_map")
unmapped = off_map(shown)
if len(unmapped):
    st.caption(f"{len(unmapped):,} of these assets are not on the map (see 'Not on the map' below).")

st.subheader("Summary by owner and status")
st.dataframe(summary_table(summarise(shown)), hide_index=True, width="stretch")

st.subheader("Assets")
st.dataframe(cached.asset_table_in_words(shown), hide_index=True, width="stretch")
st.markdown("**Download these assets**")
download_buttons(
    lambda fmt, csv_name: export_bytes(shown, fmt, describe_filter(flt), csv_name, place_metadata(place)),
    "anchormap_land",
    key="land",
)

with st.expander(f"Not on the map ({len(unmapped):,})"):
    st.dataframe(off_map_table(shown), hide_index=True, width="stretch")
with st.expander("Possible duplicates across partners (for review; never merged)"):
    pairs = find_duplicates(shown)
    st.write(f"{len(pairs):,} possible duplicate pair(s): the same UPRN, or within 25 m with similar names.")
    st.dataframe(pairs_table(pairs), hide_index=True, width="stretch")

store = open_store()
access = current_access(store)  # viewers see no write control; members only their partner's
if access.may_write:
    st.subheader("Add a partner's register")
    st.markdown(
        "Upload a land and property register as **CSV, a spreadsheet (Excel .xlsx or .xls, OpenDocument .ods), "
        "GeoJSON, a GeoPackage (.gpkg) or a zipped shapefile (.zip)**. Transparency Code asset registers and "
        "brownfield registers are recognised by their column names; otherwise you will be asked which column "
        "holds what. Every row is checked first; nothing is stored until you confirm. No register yet? Start "
        "from the template below."
    )
    register_upload(store, access)
else:
    st.subheader("Partners' registers")
submissions_list(store, access)
correct_rows(store, access)
audit_trail(store, access)

st.caption("Data: " + " ".join([*land_attribution_lines(), *attributions(edition if show_need else None)]))
