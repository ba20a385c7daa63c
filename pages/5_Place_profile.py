"""Place profile: the fact base of a place, for a local anchor network's first step.

Choose a borough or some of its wards, and optionally a place to compare with (the rest of the
borough, or another borough); the page shows the place's people and area, deprivation on the
IMD and each domain (and IDACI/IDAOPI for 2019) beside London and England, its most and least
deprived neighbourhoods, anchors per 1,000 residents, our network's sites in it, its biggest
gaps and its unused public land, each with its source, and offers the same as PDF, HTML, CSV
and Excel. The place and the compare place are kept in the link (``area``, ``compare``). This page
only arranges widgets: the work is done in anchormap.analysis.profile and profile_outputs.
"""

from __future__ import annotations

import streamlit as st

from anchormap import DEFAULT_EDITION, EDITIONS, YEARS, AnchorMapError, current_network
from anchormap.ui import profile_view
from anchormap.ui.entry import run_through_entry_point
from anchormap.ui.place_picker import AREA_KEY
from anchormap.ui.query_state import Param, QueryState
from anchormap.ui.styles import apply_public_styles

run_through_entry_point()  # a link opened first after a restart still goes through app.py
st.set_page_config(page_title="AnchorMap: place profile", page_icon=":round_pushpin:", layout="wide")
apply_public_styles()

STATE = QueryState(
    [
        Param("area", "", max_len=2000, widget=AREA_KEY, shared="area"),  # the place the other pages' chooser keeps
        Param("compare", "", max_len=2000, widget="profile_compare"),
        Param("edition", DEFAULT_EDITION, choices=YEARS, shared="edition"),
    ],
    page="Place_profile",
)
values = STATE.restore()

st.title("Place profile")
st.markdown(
    "The facts a local anchor network starts from: who lives in the place, how deprived its "
    "neighbourhoods are compared with London and England, which anchor institutions are there, "
    "where the biggest gaps are and which public land is unused."
)

profile_view.restore_choices(values["area"], values["compare"])
area, compare = profile_view.place_chooser()
edition = st.radio("Figures from", YEARS, key="edition", horizontal=True, format_func=lambda year: EDITIONS[year].label)
st.session_state[AREA_KEY], st.session_state["profile_compare"] = area, compare
profile_view.remember_choices(area, compare)
STATE.publish()

network = current_network(st.session_state)
try:
    profile = profile_view.profile_for(area, compare, edition, network)
except AnchorMapError as err:
    st.error(str(err))
    st.stop()

st.header(profile_view.title_line(profile))
profile_view.headline(profile)
st.subheader("Where need concentrates")
profile_view.show_map(profile)
st.subheader("Download this profile")
profile_view.downloads(area, compare, edition, network, profile_view.file_stem(profile))
profile_view.sections(profile)
profile_view.notes(profile)
