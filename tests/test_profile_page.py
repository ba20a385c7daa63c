"""The Place profile page (AppTest) and the ``anchormap profile`` command."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from anchormap.cli import main

BAD_WORDS = re.compile(r"\bNone\b|\bnan\b|\bNaN\b")
SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def shown_text(at) -> list[str]:
    """Everything the page shows in words: headings, text, captions, metrics, table headings and cells."""
    texts = [e.value for e in (*at.title, *at.header, *at.subheader, *at.markdown, *at.caption)]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    texts += [w.label for w in (*at.selectbox, *at.multiselect, *at.radio)]
    for df in at.dataframe:
        table = df.value
        texts += [str(c) for c in table.columns]
        for col in table.columns:
            for value in table[col]:
                assert value is not None and not (isinstance(value, float) and pd.isna(value)), col
                texts.append(str(value))
    return texts


def check_words(at) -> None:
    for text in shown_text(at):
        if text.startswith("<style>"):  # the page's stylesheet
            continue
        assert not BAD_WORDS.search(text), text
        assert not SNAKE.search(text), text


def test_a_borough_link_opens_its_profile(open_page):
    at = open_page("pages/5_Place_profile.py", query={"area": "borough:E09000023", "edition": "2019"})
    assert not at.error
    assert at.header[0].value.startswith("Lewisham: place profile, Indices of Deprivation 2019")
    headings = [s.value for s in at.subheader]
    for heading in (
        "People and area",
        "Anchors by kind",
        "The biggest gaps: need and few anchors",
        "Where the information comes from",
    ):
        assert heading in headings
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Residents"] == "294,999" and metrics["In England's most deprived 10%"] == "3.0%"
    assert at.selectbox(key="profile_borough").value == "E09000023"
    assert any("Open Government Licence" in c.value for c in at.caption)
    check_words(at)


def test_a_compare_link_shows_both_places_side_by_side(open_page):
    at = open_page("pages/5_Place_profile.py", query={"area": "borough:E09000023", "compare": "borough:E09000022"})
    assert not at.error
    assert "Lewisham compared with Lambeth" in at.header[0].value
    people = at.dataframe[0].value
    assert {"Figure", "Lewisham", "Lambeth", "London", "England"} <= set(people.columns)
    assert [m.label for m in at.metric].count("Residents") == 2
    assert at.radio(key="profile_compare_kind").value == "borough"
    assert at.query_params["compare"] in ("borough:E09000022", ["borough:E09000022"])
    check_words(at)
    at.radio(key="profile_compare_kind").set_value("none").run()
    assert not at.exception and at.header[0].value.startswith("Lewisham: place profile")
    assert "compare" not in at.query_params


def test_wards_against_the_rest_of_their_borough_from_a_link(open_page):
    at = open_page("pages/5_Place_profile.py", query={"area": "ward:E05013915+ward:E05013916", "compare": "rest"})
    assert not at.error
    assert "compared with the rest of Newham" in at.header[0].value
    assert at.multiselect(key="profile_wards").value == ["E05013915", "E05013916"]
    check_words(at)


def test_a_linked_place_the_chooser_cannot_show_is_used_as_it_is(open_page):
    msoa = "E02000686"  # Lewisham 034, an MSOA of 2021
    at = open_page("pages/5_Place_profile.py", query={"area": f"msoa:{msoa}", "compare": "borough:E09000023"})
    assert not at.error and "compared with Lewisham" in at.header[0].value
    assert at.query_params["area"] in (f"msoa:{msoa}", [f"msoa:{msoa}"])
    check_words(at)
    at.button(key="profile_choose_instead").click().run()
    assert not at.exception and at.selectbox(key="profile_borough").value
    at = open_page("pages/5_Place_profile.py", query={"area": "msoa:E02999999"})
    assert at.error and "MSOA" in at.error[0].value  # a message, never a traceback


def test_the_cli_writes_a_profile_and_refuses_a_bad_place(tmp_path, capsys, mirror, monkeypatch):
    monkeypatch.setenv("ANCHORMAP_STORE", str(tmp_path / "store" / "land.sqlite"))
    with pytest.raises(SystemExit) as refused:  # read where it enters, as every command's --place
        main(["profile", "--place", "Lewisham", "--format", "csv", "--out", str(tmp_path / "p.csv")])
    assert refused.value.code == 2 and "not understood" in capsys.readouterr().err
    assert not (tmp_path / "p.csv").exists()
    assert (
        main(
            [
                "profile",
                "--place",
                "borough:E09000023",
                "--compare",
                "rest",
                "--format",
                "csv",
                "--out",
                str(tmp_path / "p.csv"),
            ]
        )
        == 2
    )
    assert "whole of Lewisham" in capsys.readouterr().err
    out = tmp_path / "city.csv"
    code = main(["profile", "--place", "borough:E09000001", "--edition", "2019", "--format", "csv", "--out", str(out)])
    assert code == 0 and "City of London" in capsys.readouterr().out
    table = pd.read_csv(out)
    assert tuple(table.columns) == ("place", "indicator", "edition", "value", "unit", "london", "england", "source")
    assert set(table["edition"]) == {2019}
    assert table["indicator"].str.contains("IDACI").any()


@pytest.mark.parametrize("fmt", ["pdf", "html", "xlsx"])
def test_the_cli_writes_every_format(tmp_path, fmt, mirror, monkeypatch):
    monkeypatch.setenv("ANCHORMAP_STORE", str(tmp_path / "store" / "land.sqlite"))
    out = tmp_path / f"p.{fmt}"
    assert main(["profile", "--place", "borough:E09000001", "--format", fmt, "--out", str(out)]) == 0
    head = out.read_bytes()[:16]
    assert head.startswith({"pdf": b"%PDF", "html": b"<!DOCTYPE", "xlsx": b"PK"}[fmt])


def test_the_place_chosen_on_another_page_is_the_profile_s_place(mirror):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("../app.py", default_timeout=240)
    at.query_params["area"] = "borough:E09000023"
    at.run()
    at.switch_page("pages/1_Underserved_areas.py").run()
    assert not at.exception
    assert any("Showing Lewisham: 175 neighbourhoods" in m.value for m in at.markdown)
    del at.query_params["area"]  # moving by the sidebar: the place comes from the session, not the link
    at.switch_page("pages/5_Place_profile.py").run()
    assert not at.exception
    assert at.header[0].value.startswith("Lewisham: place profile")
