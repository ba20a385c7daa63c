"""Reading and writing shareable-link parameters (the Streamlit round trip is in test_community_page)."""

from __future__ import annotations

from anchormap.ui.query_state import MAX_TEXT, Param, QueryState

STATE = QueryState(
    [
        Param("postcode", ""),
        Param("edition", 2025, choices=(2019, 2025)),
        Param("measure", "imd", choices=("imd", "income", "crime")),
        Param("cats", ("health",), many=True, choices=("health", "libraries", "schools")),
        Param("zoom", 11, lo=8, hi=18),
        Param("opacity", 0.7, lo=0.0, hi=1.0),
        Param("labels", True),
    ]
)


def test_valid_link_values_are_parsed_by_type():
    got = STATE.read(
        {
            "postcode": "SE6 4RU",
            "edition": "2019",
            "measure": "crime",
            "cats": "libraries,schools",
            "zoom": "14",
            "opacity": "0.5",
            "labels": "0",
        }
    )
    assert got == {
        "postcode": "SE6 4RU",
        "edition": 2019,
        "measure": "crime",
        "cats": ("libraries", "schools"),
        "zoom": 14,
        "opacity": 0.5,
        "labels": False,
    }
    assert STATE.problems() == []


def test_missing_values_take_defaults():
    assert STATE.read({}) == {
        "postcode": "",
        "edition": 2025,
        "measure": "imd",
        "cats": ("health",),
        "zoom": 11,
        "opacity": 0.7,
        "labels": True,
    }


def test_invalid_values_fall_back_and_are_reported():
    got = STATE.read(
        {
            "edition": "2020",
            "measure": "<script>",
            "cats": "health,bogus",
            "zoom": "99",
            "opacity": "nan",
            "labels": "maybe",
            "postcode": "x" * (MAX_TEXT + 1),
        }
    )
    assert sorted(STATE.problems()) == sorted(["edition", "measure", "cats", "zoom", "opacity", "labels", "postcode"])
    assert got == STATE.read({})


def test_repeated_keys_use_the_last_and_lists_dedupe():
    got = STATE.read({"edition": ["2025", "2019"], "cats": "schools,schools,health"})
    assert got["edition"] == 2019 and got["cats"] == ("schools", "health")


def test_link_leaves_defaults_out():
    values = {
        "postcode": "SE6 4RU",
        "edition": 2025,
        "measure": "income",
        "cats": ["libraries", "health"],
        "zoom": 11,
        "opacity": 0.7,
        "labels": False,
    }
    assert (
        STATE.link("/Community", values)
        == "/Community?postcode=SE6+4RU&measure=income&cats=libraries%2Chealth&labels=0"
    )
    assert STATE.link("/Community", {}) == "/Community"
    # what a link says is what it reads back
    from urllib.parse import parse_qsl, urlsplit

    back = STATE.read(dict(parse_qsl(urlsplit(STATE.link("/Community", values)).query)))
    assert back == {**values, "cats": ("libraries", "health")}


def test_choices_may_mix_types_and_match_by_link_text():
    decile = Param("decile", "any", choices=("any", *range(1, 11)))
    assert decile.parse("3") == (3, True)
    assert decile.parse("any") == ("any", True)
    assert decile.parse("03") == ("any", False) and decile.parse("11") == ("any", False)


def test_list_items_with_commas_survive_the_round_trip():
    from urllib.parse import parse_qsl, urlsplit

    partners = Param("partner", (), many=True, widget="land_partner")
    state = QueryState([partners])
    names = ("NHS Property Services Ltd, London", "100% Housing", "Lewisham")
    link = state.link("/Shared_land", {"partner": names})
    assert link.startswith("/Shared_land?partner=") and "land_partner" not in link
    assert state.read(dict(parse_qsl(urlsplit(link).query))) == {"partner": names}
    assert partners.format(["a,b", "c"]) == "a%2Cb,c"


def test_floats_from_stepped_widgets_are_written_short():
    speed = Param("kmh", 4.8, lo=2.0, hi=7.0)
    assert speed.format(1.3000000000000003) == "1.3" and speed.format(5.0) == "5"
    assert speed.parse("1.3") == (4.8, False)  # below lo: the default
    assert speed.parse("6.5") == (6.5, True)
