"""AnchorMap: the app's entry point.

``streamlit run app.py`` lists the pages in the sidebar under plain names (``st.navigation``)
and runs the one chosen. The home page, "Need and anchors", is
:func:`anchormap.ui.home.need_and_anchors`; the other pages are the files in ``pages/``, at the
same addresses as before (``/Underserved_areas``, ``/Shared_land``, ``/Our_network``,
``/Community``). Pages only arrange widgets. Every choice is kept in the address bar, and the
choices common to several pages in the session too (anchormap.ui.query_state), so a link opens
the same view and moving between pages keeps them. The sidebar's sign-in box is on every page
(anchormap.ui.signin).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from anchormap import (
    AnchorMapError,
)
from anchormap.ui import heap, run_gate
from anchormap.ui.home import need_and_anchors
from anchormap.ui.saved_list import open_linked_list
from anchormap.ui.signin import sign_in_box

PAGES_DIR = Path(__file__).resolve().parent / "pages"

# The pages as the sidebar lists them; url_path keeps each page's address as it was (links to
# /Community and the others stay valid). No bare strings here: Streamlit would print them.
NAVIGATION = [
    st.Page(need_and_anchors, title="Need and anchors", url_path="Need_and_anchors", default=True),
    st.Page(PAGES_DIR / "1_Underserved_areas.py", title="Underserved areas", url_path="Underserved_areas"),
    st.Page(PAGES_DIR / "2_Shared_land.py", title="Shared land", url_path="Shared_land"),
    st.Page(PAGES_DIR / "3_Our_network.py", title="Our network", url_path="Our_network"),
    st.Page(PAGES_DIR / "4_Community.py", title="Your area (community)", url_path="Community"),
    st.Page(PAGES_DIR / "5_Place_profile.py", title="Place profile", url_path="Place_profile"),
]

try:
    page = st.navigation(NAVIGATION)
    with run_gate.turn():  # a few runs at once, the others wait their turn (anchormap.ui.run_gate)
        sign_in_box()  # in the sidebar of every page: who is signed in, or that this is a read-only display
        open_linked_list()  # ?list=ID on any page: that saved network list becomes the session's network
        page.run()
    heap.freeze_once()  # after the first run: the shared layers stay out of every later collection
except AnchorMapError as err:  # e.g. a dataset missing from the mirror: say what to do, never a traceback
    st.error(str(err))
