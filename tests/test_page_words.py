"""Every table and metric on every page is labelled and filled in words.

Each page is opened as a link opens it, in the states that show its tables (a proposed site on
Underserved areas, a network on Our network, walking catchments, a searched postcode on Your
area), and every ``st.dataframe`` column heading, every cell and every ``st.metric`` label and
value is read: no snake_case, no "None" or "nan", no ids, and a metric's value is short enough
not to be cut.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from anchormap.data.build import load_layer
from anchormap.network.lists import network_from_members

BAD_LABEL = re.compile(r"_|\bNone\b|\bnan\b|\b[Ii]d\b|Source record")
BAD_CELL = re.compile(r"^(None|nan|NaN|NaT|<NA>)$")
SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")
METRIC_MAX_CHARS = 12
"""A metric's value longer than this is cut ("923 m (15 min …") in a column of a wide page."""


def read_tables(at) -> list[pd.DataFrame]:
    return [df.value for df in at.dataframe]


def check_words(at) -> tuple[int, int]:
    """Assert the page's tables and metrics are words; (tables read, metrics read)."""
    tables = read_tables(at)
    for table in tables:
        for heading in table.columns:
            assert isinstance(heading, str) and heading.strip(), table.columns
            assert not BAD_LABEL.search(heading), heading
        for col in table.columns:
            for value in table[col]:
                if value is None or (isinstance(value, float) and pd.isna(value)):
                    pytest.fail(f"{col!r} has an empty cell that Streamlit shows as 'None'")
                text = str(value)
                assert not BAD_CELL.match(text), (col, text)
                assert not SNAKE.match(text), (col, text)
    metrics = list(at.metric)
    for m in metrics:
        assert not BAD_LABEL.search(m.label), m.label
        assert len(str(m.value)) <= METRIC_MAX_CHARS, (m.label, m.value)
    return len(tables), len(metrics)


def test_underserved_areas_tables_and_metrics_are_words(open_page):
    at = open_page("pages/1_Underserved_areas.py", query={"site": "SE6 4RU", "site_name": "Catford hub"})
    tables, metrics = check_words(at)
    assert tables >= 5 and metrics == 3  # top gaps, all, two roll-ups, before and after
    headings = {h for t in read_tables(at) for h in t.columns}
    assert {"Rank", "Gap score", "Nearest anchor"} <= headings
    # walking catchments: the metric keeps a short value, the metres go in its help
    at = open_page("pages/1_Underserved_areas.py", query={"catchment": "minutes", "minutes": "15"})
    check_words(at)
    walk = next(m for m in at.metric if m.label.startswith("Catchment"))
    assert walk.value == "15 min" and "across the Thames by the nearest crossing" in walk.proto.help


def test_shared_land_tables_say_each_rows_source_and_date(open_page):
    at = open_page("pages/2_Shared_land.py")
    tables, metrics = check_words(at)
    assert tables >= 3 and metrics == 4
    assets = next(t for t in read_tables(at) if "Source and date" in t.columns and "Status" in t.columns)
    assert assets["Source and date"].str.len().gt(0).all()  # every row says where it is from and when
    builtin = load_layer("land_builtin")
    assert len(assets) >= len(builtin)
    assert (
        assets["Source and date"].str.startswith("London brownfield register, 2017").sum()
        == (builtin["source"] == "brownfield_london_2017").sum()
    )
    assert assets["Source and date"].str.contains("more than five years old").any()
    summary = next(t for t in read_tables(at) if "Owner type" in t.columns and "Assets" in t.columns)
    assert summary["Owner type"].iloc[-1] == "All"
    assert not any(v in set(summary["Status"]) for v in ("brownfield_available", "under_used", "closed_building"))


def test_our_network_table_is_words(open_page):
    anchors = load_layer("anchors")
    trust = next(o for o in sorted(anchors["organisation"].dropna().unique()) if o.endswith("NHS Foundation Trust"))
    at = open_page("pages/3_Our_network.py", query={"orgs": trust})
    tables, _ = check_words(at)
    assert tables == 1
    shown = read_tables(at)[0]
    assert {"Kind", "Status", "Source and date"} <= set(shown.columns)
    assert len(shown) == len(network_from_members(anchors, [trust])) > 0


@pytest.mark.parametrize("query", [{}, {"postcode": "E14 2DG"}])
def test_home_and_your_area_have_no_unlabelled_tables_or_metrics(open_page, query):
    at = open_page("app.py")
    check_words(at)
    at = open_page("pages/4_Community.py", query=query)
    check_words(at)
