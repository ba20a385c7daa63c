"""Make every page run through the entry point (``app.py``), even a link opened first.

Streamlit (1.x) runs a page file by itself, with a sidebar built from the ``pages/`` folder
("app", "Community", ...), while a folder named ``pages/`` sits beside the main script and no
session has yet run ``st.navigation``: a shared link to ``/Community`` opened first after the
server starts would show the wrong page names and skip the entry point's error handling.
:func:`run_through_entry_point`, called at the top of every page, switches Streamlit to the
entry point's navigation and reruns, so the same page is then shown through ``app.py``.
"""

from __future__ import annotations

import streamlit as st


def run_through_entry_point() -> None:
    """Rerun through ``app.py`` when Streamlit ran this page file by itself (see module doc)."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without this mechanism has nothing to work around
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False  # what st.navigation itself does on its first run
        st.rerun()
