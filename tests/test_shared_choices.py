"""Choices common to several pages survive moving between them (issue 9), in one AppTest session
on the real data: edition, measure, borough, categories and walking minutes are kept in the
session (anchormap.ui.query_state, ``Param(shared=...)``), restored from the link first, then
from the session, and written back to both.

A browser clears the link when the sidebar switches page; AppTest keeps it, so :func:`go`
clears it first, as the browser does. AppTest's ``switch_page`` takes page files only; the
home page is a function (``st.Page(need_and_anchors)``), so :func:`go_home` picks it by name
among the pages ``st.navigation`` registered.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from anchormap.maps import geometry
from anchormap.ui.query_state import Param

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 180


@pytest.fixture
def app(tmp_path, monkeypatch, mirror):
    monkeypatch.setenv("ANCHORMAP_STATIC_DIR", str(tmp_path / "static"))
    monkeypatch.setenv("ANCHORMAP_STORE", str(tmp_path / "store" / "land.sqlite"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def _link(at) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


def go(at, page: str, **link: str) -> AppTest:
    for key in list(at.query_params):
        del at.query_params[key]
    for key, value in link.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def go_home(at) -> AppTest:
    for key in list(at.query_params):
        del at.query_params[key]
    at._page_hash = next(h for h, page in at._registered_pages.items() if page["page_name"] == "Need and anchors")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_home_choices_survive_a_visit_to_other_pages(app):
    newham = next(code for code, name in geometry.borough_names().items() if name == "Newham")
    assert app.radio(key="edition").value == 2025  # every page opens on the latest edition
    app.radio(key="edition").set_value(2019).run()
    app.selectbox(key="place_kind").select("borough").run()
    app.multiselect(key="place_borough").select(newham).run()
    app.selectbox(key="measure").select("crime").run()
    app.checkbox(key="cat_primary_care").check().run()

    go(app, "pages/2_Shared_land.py")
    assert app.radio(key="land_edition").value == 2019
    assert _link(app) == {"edition": "2019", "cats": app.query_params["cats"], "area": f"borough:{newham}"}
    assert "primary_care" in app.query_params["cats"].split(",")

    go(app, "pages/1_Underserved_areas.py")
    assert app.radio(key="gaps_edition").value == 2019 and app.selectbox(key="gaps_measure").value == "crime"
    assert "primary_care" in app.multiselect(key="gaps_categories").value
    app.multiselect(key="gaps_categories").set_value(["libraries", "health"]).run()

    go_home(app)
    assert app.radio(key="edition").value == 2019
    assert app.multiselect(key="place_borough").value == [newham]
    assert app.selectbox(key="measure").value == "crime"
    shown = [k for k in ("health", "libraries", "culture", "primary_care") if app.checkbox(key=f"cat_{k}").value]
    assert shown == ["health", "libraries"]  # the categories chosen on Underserved areas
    assert (
        _link(app)["edition"] == "2019"
        and _link(app)["area"] == f"borough:{newham}"
        and _link(app)["measure"] == "crime"
    )

    go(app, "pages/4_Community.py")
    assert app.radio(key="edition").value == 2019 and app.selectbox(key="measure").value == "crime"
    assert sorted(app.multiselect(key="cats").value) == ["health", "libraries"]


def test_the_link_wins_over_the_session_and_measures_follow_the_edition(app):
    app.radio(key="edition").set_value(2019).run()
    app.selectbox(key="measure").select("idaci").run()  # published for 2019 only
    go(app, "pages/4_Community.py", edition="2025")
    assert app.radio(key="edition").value == 2025  # from the link
    assert app.selectbox(key="measure").value == "imd"  # IDACI has no 2025 edition
    go(app, "pages/1_Underserved_areas.py")
    assert app.radio(key="gaps_edition").value == 2025  # the link's choice is now the shared one
    assert app.selectbox(key="gaps_measure").value == "imd"


def test_walking_minutes_are_shared_within_each_page_s_range(app):
    go(app, "pages/1_Underserved_areas.py")
    app.radio(key="gaps_size").set_value("minutes").run()
    app.slider(key="gaps_minutes").set_value(20).run()
    go(app, "pages/2_Shared_land.py")
    assert app.slider(key="land_minutes").value == 20
    go(app, "pages/4_Community.py")
    assert app.select_slider(key="walk").value == 20
    go(app, "pages/1_Underserved_areas.py")
    app.radio(key="gaps_size").set_value("minutes").run()  # a page's own choices start afresh
    assert app.slider(key="gaps_minutes").value == 20
    app.slider(key="gaps_minutes").set_value(45).run()  # beyond Shared land's 30 minutes
    go(app, "pages/2_Shared_land.py")
    assert app.slider(key="land_minutes").value == 10  # its default, not an impossible value


def test_param_accepts_values_from_other_pages_only_when_they_fit():
    edition = Param("edition", 2025, choices=(2025, 2019), shared="edition")
    assert edition.accept(2019) == (2019, True) and edition.accept(2020) == (2025, False)
    cats = Param("cats", ("health",), many=True, choices=("health", "libraries"), shared="categories")
    assert cats.accept(("libraries", "pubs")) == (("libraries",), True)  # the items this page knows
    assert cats.accept(("pubs",)) == (("health",), False)
    assert cats.accept(()) == ((), True)
    minutes = Param("minutes", 10, choices=tuple(range(5, 31)), shared="walk_minutes")
    assert minutes.accept(45) == (10, False) and minutes.accept(20) == (20, True)
