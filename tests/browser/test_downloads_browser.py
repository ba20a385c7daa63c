"""In headless Chromium: the Underserved areas page's CSV and Excel downloads open with no options.

The files are caught as a person's browser saves them (Playwright's ``expect_download``) and read
back with ``pandas.read_csv`` and ``pandas.read_excel`` as they are: they hold the ranking the page
shows (as many rows as the page says, the expected columns, the package's order).
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from anchormap.analysis import gaps
from anchormap.data.build import load_layer
from anchormap.data.csvw import sidecar_parameters
from tests.browser.conftest import screenshot
from tests.browser.page_helpers import download, metric
from tests.browser.test_underserved_browser import PAGE, expected, open_page

pytestmark = pytest.mark.browser

COLUMNS = {"gap_rank", "lsoa_code", "lsoa_name", "borough_name", "imd_decile", "anchors_in_catchment", "gap_score"}


@pytest.fixture(scope="module")
def context():
    return gaps.prepare(2025, load_layer("anchors"), "the anchors layer")


def test_gaps_csv_and_xlsx_downloads_read_back_with_no_options(streamlit_server, browser_page, context):
    page, _requests = browser_page
    open_page(page, streamlit_server.url + PAGE)
    _params, table = expected(context)
    shown_count = int(metric(page, "Neighbourhoods in the chosen deciles").replace(",", ""))
    assert shown_count == len(table)

    name, data = download(page, "CSV")
    assert name == "anchormap-gaps-2025-imd.csv"
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and not data[3:].startswith(b"#")
    csv = pd.read_csv(io.BytesIO(data))
    assert len(csv) == shown_count
    assert COLUMNS <= set(csv.columns)
    assert csv["lsoa_code"].tolist() == table["lsoa_code"].tolist()
    assert csv["gap_rank"].tolist() == list(range(1, shown_count + 1))

    name, data = download(page, "Excel (XLSX)")
    assert name == "anchormap-gaps-2025-imd.xlsx"
    xlsx = pd.read_excel(io.BytesIO(data))
    assert len(xlsx) == shown_count and list(xlsx.columns) == list(csv.columns)
    assert xlsx["lsoa_code"].tolist() == csv["lsoa_code"].tolist()
    pd.testing.assert_series_equal(xlsx["gap_score"], csv["gap_score"])
    about = {r[0].value: r[1].value for r in load_workbook(io.BytesIO(data))["About"].iter_rows(min_row=2)}
    assert "need × scarcity" in about["How it is worked out"] and about["Rows"] == str(shown_count)

    name, data = download(page, "Column descriptions (JSON)")
    assert name == "anchormap-gaps-2025-imd.csv-metadata.json"
    doc = json.loads(data)
    assert doc["url"] == "anchormap-gaps-2025-imd.csv" and sidecar_parameters(doc)["rows"] == shown_count
    assert [c["titles"][0] for c in doc["tableSchema"]["columns"]] == list(csv.columns)
    assert page.dialogs == []
    page.get_by_role("heading", name="Download the ranking").scroll_into_view_if_needed()
    screenshot(page, "gaps_downloads")
