"""With no data to be had, the home page says which dataset is missing and how to supply it.

(Every other page, reached through the entry point as people reach it, is checked in the
browser: tests/browser/test_missing_data_browser.py. AppTest's switch_page runs a page file
without the entry point, so it cannot test that path.)"""

from __future__ import annotations

import streamlit as st


def test_missing_data_is_a_message_not_a_traceback(tmp_path, monkeypatch, open_page):
    monkeypatch.setenv("ANCHORMAP_MIRROR", str(tmp_path / "no-mirror"))
    monkeypatch.setenv("ANCHORMAP_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("ANCHORMAP_STORE", str(tmp_path / "store" / "land.sqlite"))
    monkeypatch.setenv("ANCHORMAP_OFFLINE", "1")
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = open_page()
    finally:
        st.cache_resource.clear()  # later tests must not see this session's empty results
        st.cache_data.clear()
    assert not at.exception, [e.value for e in at.exception]
    errors = " ".join(e.value for e in at.error)
    assert "is not available" in errors and "--mirror" in errors and "ANCHORMAP_MIRROR" in errors
