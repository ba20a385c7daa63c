"""The community page (pages/4_Community.py) run headless with AppTest on the real data."""

from __future__ import annotations

import random
import string

import pytest
from streamlit.testing.v1 import AppTest

from anchormap.analysis.area_card import card_for_place
from anchormap.data.build import load_layer
from anchormap.geo.place_search import search_place
from anchormap.ui.area_card_view import card_html

PAGE = "pages/4_Community.py"


@pytest.fixture
def new_app(open_page):
    """new_app(**query) -> the Community page opened with that link."""
    return lambda **query: open_page(PAGE, query=query)


def _html(at) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def _search(at, text: str) -> AppTest:
    at.text_input(key="search").input(text).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _notice(at) -> str:
    return "\n".join(m.value for m in at.markdown if 'class="am-notice"' in m.value)


def test_empty_page_invites_a_search(new_app):
    at = new_app()
    assert "Search for a postcode or place" in _notice(at)
    assert dict(at.query_params) == {}
    assert at.caption  # sources listed even before a search


@pytest.mark.parametrize("typed", ["SE6 4RU", "se64ru"])
def test_valid_postcode_any_case(new_app, typed):
    at = _search(new_app(), typed)
    assert [h.value for h in at.header] == ["SE6 4RU"]
    page = _html(at)
    assert "Neighbourhood Lewisham 020B" in page
    assert "Overall, this neighbourhood is among the 10% most deprived areas in England." in page
    assert "for income" in page and "minutes&#x27; walk" in page
    assert at.query_params["postcode"] == "SE6 4RU"  # canonical form in the link
    assert "place" not in at.query_params
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download a picture (PNG)", "Download a printable page (PDF)"]
    captions = "\n".join(c.value for c in at.caption)
    assert "Contains OS data" in captions and "Indices of Deprivation 2025" in captions


def test_unknown_postcode_offers_the_district(new_app):
    at = _search(new_app(), "se6 4zx")
    assert "couldn&#x27;t find the postcode SE6 4ZX" in _notice(at)
    assert not at.header
    assert "postcode" not in at.query_params
    [button] = [b for b in at.button if b.label == "SE6"]
    button.click().run()
    assert not at.exception
    assert [h.value for h in at.header] == ["SE6 postcode district"]
    assert at.query_params["postcode"] == "SE6"


def test_postcode_outside_london(new_app):
    at = _search(new_app(), "M1 1AE")
    assert "That postcode (M1 1AE) is not in Greater London" in _notice(at)
    assert not at.header and '<section class="am-card"' not in _html(at)


def test_a_thousand_characters_of_junk(new_app):
    rng = random.Random(11)
    junk = "".join(rng.choice(string.ascii_letters + string.digits + string.punctuation + " ") for _ in range(1000))
    at = new_app()
    at.text_input(key="search").input(junk).run()  # the box takes at most 100 characters, like the browser
    assert at.text_input(key="search").value == "" and "Search for a postcode" in _notice(at)
    at.text_input(key="search").set_value(junk).run()  # a client that ignores the limit: cut to 100, then searched
    assert not at.exception
    assert len(at.text_input(key="search").value) <= 100
    notice = _notice(at)
    assert notice and "Search for a postcode" not in notice
    assert "Searches can only use" in notice or "couldn&#x27;t" in notice
    assert not at.header
    # and the same junk arriving in a link is ignored rather than searched
    at = new_app(postcode=junk, place=junk)
    assert not at.header and at.text_input(key="search").value == ""


@pytest.mark.parametrize("attack", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"])
def test_html_is_never_markup(new_app, attack):
    at = _search(new_app(), attack)
    page = _html(at)
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "Searches can only use letters" in _notice(at)
    at = new_app(place=attack)
    assert "<script" not in _html(at).lower() and "<img" not in _html(at).lower()


def test_names_from_the_data_are_escaped(mirror):
    place = search_place("SE6 4RU")
    anchors = load_layer("anchors")
    hostile = anchors[anchors["category"] == "libraries"].iloc[[0]].copy()
    hostile["name"] = "<img src=x onerror=alert(1)>"
    hostile["easting"], hostile["northing"] = place.easting + 10, place.northing
    card = card_for_place(place, load_layer("lsoa_2021"), anchors=hostile)
    html = card_html(card)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_place_name_search_and_ambiguous_ward(new_app):
    at = _search(new_app(), "Highgate")
    assert "Which one did you mean" in _notice(at)
    [button] = [b for b in at.button if b.label == "Highgate, Camden"]
    button.click().run()
    assert not at.exception
    assert [h.value for h in at.header] == ["Highgate ward (Camden)"]
    assert at.query_params["place"] == "Highgate, Camden" and "postcode" not in at.query_params
    assert "Of the " in _html(at) and "neighbourhoods in Highgate ward (Camden)" in _html(at)


def test_shared_link_round_trip(new_app):
    link = {"postcode": "SE6 4RU", "edition": "2019", "measure": "income", "cats": "libraries,schools", "walk": "10"}
    at = new_app(**link)
    # the same view as whoever shared it
    assert at.text_input(key="search").value == "SE6 4RU"
    assert at.radio(key="edition").value == 2019
    assert at.selectbox(key="measure").value == "income"
    assert at.multiselect(key="cats").value == ["libraries", "schools"]
    assert at.select_slider(key="walk").value == 10
    assert [h.value for h in at.header] == ["SE6 4RU"]
    page = _html(at)
    assert "Indices of Deprivation 2019" in page and "within 10 minutes&#x27; walk" in page
    assert "children in low-income homes" in page  # a 2019-only measure: the 2019 card
    assert dict(at.query_params) == link  # reading the link did not change it
    # a new search rewrites the link and keeps the other choices
    _search(at, "Lewisham")
    assert dict(at.query_params) == {**{k: v for k, v in link.items() if k != "postcode"}, "place": "Lewisham"}
    # a changed option is written back too
    at.radio(key="edition").set_value(2025).run()
    assert "edition" not in at.query_params  # 2025 is the default, left out of the link
    assert at.selectbox(key="measure").value == "income"


def test_bad_link_values_fall_back(new_app):
    at = new_app(postcode="se64ru", edition="2020", measure="<b>", cats="nonsense", walk="999")
    assert at.radio(key="edition").value == 2025
    assert at.selectbox(key="measure").value == "imd"
    assert at.select_slider(key="walk").value == 15
    assert [h.value for h in at.header] == ["SE6 4RU"]
    assert at.query_params.get("postcode") == "SE6 4RU"
    at = new_app(edition="2025", measure="idaci")  # a 2019-only measure with the 2025 edition
    assert at.selectbox(key="measure").value == "imd"
