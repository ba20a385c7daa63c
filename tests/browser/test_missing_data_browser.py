"""With no mirror, no cache and no network, every page says which dataset is missing and how to
supply it, in the browser, through the real entry point (``streamlit run app.py``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

_EMPTY = Path(tempfile.mkdtemp(prefix="anchormap-no-data-"))
NO_DATA_ENV = {
    "ANCHORMAP_MIRROR": str(_EMPTY / "no-mirror"),
    "ANCHORMAP_CACHE": str(_EMPTY / "cache"),
    "ANCHORMAP_STORE": str(_EMPTY / "store" / "land.sqlite"),
    "ANCHORMAP_OFFLINE": "1",
}


@pytest.mark.parametrize("streamlit_server", [("app.py", NO_DATA_ENV)], indirect=True)
# a deep link first, straight after the server starts (Streamlit then runs the page file by itself)
@pytest.mark.parametrize("path", ["Community", "", "Underserved_areas", "Shared_land", "Our_network"])
def test_every_page_explains_missing_data(streamlit_server, browser_page, path):
    page, _requests = browser_page
    page.goto(streamlit_server.url + path)
    alert = page.locator('[data-testid="stAlertContentError"]').first
    alert.wait_for(timeout=60_000)
    text = alert.inner_text()
    assert "is not available" in text and "ANCHORMAP_MIRROR" in text and "--mirror" in text
    body = page.locator("body").inner_text()
    assert "Traceback" not in body
    assert "encountered an error" not in body
    assert not page.dialogs
