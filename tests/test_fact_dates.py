"""Dates where people read them: area cards, the take-home picture and every page's sources,
on the real data. Each fact says which dataset it comes from and how old it is; data more
than five years old is marked. Expected words are built from the manifest here."""

from __future__ import annotations

import datetime
import re

import pytest

from anchormap.analysis.area_card import card_for_place, edition_note, land_sentence
from anchormap.data.attribution import DATES_WORDS, attribution_lines
from anchormap.data.build import load_layer
from anchormap.data.fact_dates import OLD_WORDS, fact_source_words, is_old
from anchormap.data.sources import load_manifest
from anchormap.geo.place_search import search_place
from anchormap.maps import overlay
from anchormap.maps.take_home import draw_view, shown_dataset_ids
from anchormap.ui.area_card_view import card_html


@pytest.fixture(scope="module")
def lewisham_card(mirror):
    """The card beside University Hospital Lewisham, whose estates return is 2016/17."""
    place = search_place("SE13 6LH", 2025)
    card = card_for_place(
        place, load_layer("lsoa_2021"), anchors=load_layer("anchors"), land=load_layer("land_builtin")
    )
    return place, card


def test_every_anchor_line_names_its_source_and_date(lewisham_card):
    _place, card = lewisham_card
    anchors = load_layer("anchors")
    assert len(card.anchor_lines) >= 5
    for line, name, cat in zip(card.anchor_lines, card.anchors["name"], card.anchors["category"], strict=True):
        sources = set(anchors.loc[(anchors["category"] == cat), "source"])
        assert any(line.endswith(f" — {fact_source_words(ds)}.") for ds in sources), line
        assert name in line


def test_every_land_line_names_its_source_and_date_and_old_ones_are_marked(lewisham_card):
    _place, card = lewisham_card
    manifest = load_manifest()
    assert len(card.land_lines) == len(card.land) >= 1
    for line, ds in zip(card.land_lines, card.land["source"], strict=True):
        words = f"{manifest[ds].name}, {manifest[ds].as_of}"
        assert f" — {words}" in line
        assert (OLD_WORDS in line) == is_old(manifest[ds].edition_date)
    eric = [line for line, ds in zip(card.land_lines, card.land["source"], strict=True) if ds == "eric_sites"]
    assert eric and all("NHS estates return, 2016/17, more than five years old" in line for line in eric)


def test_card_html_marks_old_data_and_escapes(lewisham_card):
    _place, card = lewisham_card
    html = card_html(card)
    assert f'<strong class="am-old">{OLD_WORDS}</strong>' in html
    assert html.count('class="am-old"') == sum(OLD_WORDS in line for line in (*card.anchor_lines, *card.land_lines))


def test_upload_keeps_its_own_date_and_none_is_invented():
    site = {
        "name": "Old depot",
        "status_words": "empty",
        "owner_words": "the council",
        "distance_m": 400.0,
        "source": "upload:7",
        "source_date": "2024-05-01",
    }
    assert land_sentence(site).endswith("— a partner's register, dated 2024-05-01.")
    assert land_sentence({**site, "source_date": None}).endswith("— a partner's register.")
    assert "dated" not in land_sentence({**site, "source_date": float("nan")})


def test_edition_note_dates_the_indices(mirror):
    manifest = load_manifest()
    for edition, ds in ((2019, "imd2019"), (2025, "imd2025")):
        note = edition_note(edition)
        assert f"{manifest[ds].name}, {manifest[ds].as_of}" in note
        assert (OLD_WORDS in note) == is_old(manifest[ds].edition_date)


def test_every_page_attribution_lists_each_dataset_with_its_date(mirror):
    """The shared lines every page renders (maps, network, land captions) name each dataset with its date."""
    manifest = load_manifest()
    from anchormap.data.layers.anchors import ANCHOR_SOURCES

    lines = overlay.attributions(2025, anchors=True, extra=("postcodes", "eric_sites"))
    flat = " ".join(lines)
    for ds in ("lsoa2021", "imd2025", "boroughs", "postcodes", "eric_sites", *ANCHOR_SOURCES):
        words = f"{manifest[ds].name}, {manifest[ds].as_of}"
        assert words in flat, ds
        old_marked = f"{words} ({OLD_WORDS})" in flat
        assert old_marked == is_old(manifest[ds].edition_date), ds
    assert all(DATES_WORDS in line for line in lines)
    # files keep the manifest's editions (with_editions), unchanged
    assert DATES_WORDS not in attribution_lines(["eric_sites"], with_editions=True)[0]


def test_old_marker_follows_the_day():
    assert OLD_WORDS in attribution_lines(["imd2025"], today=datetime.date(2031, 1, 1))[0]
    assert OLD_WORDS not in attribution_lines(["imd2025"], today=datetime.date(2026, 1, 1))[0]


def test_take_home_picture_lists_each_shown_dataset_with_its_date(lewisham_card):
    place, _card = lewisham_card
    lsoas, anchors, land = load_layer("lsoa_2021"), load_layer("anchors"), load_layer("land_builtin")
    fig = draw_view(place, lsoas, load_layer("boroughs"), anchors=anchors, land=land, categories=["health"])
    text = re.sub(r"\s+", " ", "\n".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))))
    manifest = load_manifest()
    credited = [ds for ds, d in manifest.items() if d.attribution.rstrip() in text]
    drawn = ("lsoa2021", "imd2025", "boroughs", "postcodes", "hospitals", "eric_sites")
    assert set(drawn) <= set(credited)
    assert all(f"{manifest[ds].name}, {manifest[ds].as_of}" in text for ds in drawn)
    for ds in credited:  # every dataset the picture credits is named with its date
        if ds.endswith("_raw"):
            continue  # the raw copy of a register shares its clean copy's attribution
        words = f"{manifest[ds].name}, {manifest[ds].as_of}"
        assert words in text or ds not in shown_dataset_ids(place, anchors=anchors, land=land), ds
    assert "NHS estates return, 2016/17 (more than five years old)" in text


def test_fact_source_words_reads_years():
    today = datetime.date(2026, 12, 2)
    assert fact_source_words("upload:1", "2017", today=today).endswith(OLD_WORDS)
    assert fact_source_words("upload:1", "2025-01-01", today=today) == "a partner's register, dated 2025-01-01"
    assert fact_source_words("", None) == ""
    assert fact_source_words("upload:1", "not a date") == "a partner's register"


def test_exported_about_sheet_lists_each_dataset_with_its_date(tmp_path, mirror):
    from openpyxl import load_workbook

    from anchormap.commands.anchors import export_anchors

    out = tmp_path / "health.xlsx"
    export_anchors("xlsx", out, "health")
    sheet = load_workbook(out, read_only=True)["About"]
    rows = [(r[0], r[1]) for r in sheet.iter_rows(values_only=True) if r and r[0]]
    dates = [text for item, text in rows if item == "Data and its date"]
    manifest = load_manifest()
    expected = [
        f"{manifest[ds].name}, {manifest[ds].as_of}" + (f" ({OLD_WORDS})" if is_old(manifest[ds].edition_date) else "")
        for ds in ("gp_practices", "hospitals", "nhs_trusts")
        if ds in set(load_layer("anchors").query("category == 'health'")["source"])
    ]
    assert expected and sorted(dates) == sorted(expected)


def test_a_table_of_sources_reads_as_row_by_row():
    """sources_and_dates (each different source, date and partner once) says what source_and_date
    says of each row, on the real land registers and with every kind of missing value."""
    import datetime as dt

    import numpy as np
    import pandas as pd

    from anchormap.data.build import load_layer
    from anchormap.words import source_and_date, sources_and_dates

    land = load_layer("land_builtin")
    dates = land["source_date"] if "source_date" in land.columns else [None] * len(land)
    partners = land["partner"] if "partner" in land.columns else [None] * len(land)
    assert sources_and_dates(land["source"], dates, partners) == [
        source_and_date(s, d, p) for s, d, p in zip(land["source"], dates, partners, strict=True)
    ]
    odd_sources = ["eric_sites", "upload:3", None, np.nan, "network", "eric_sites", "upload:3"]
    odd_dates = ["2016/17", "2099-01-31", None, pd.NaT, np.nan, dt.date(2017, 11, 24), pd.NA]
    odd_partners = [None, "LB Lewisham", "LB Lewisham", None, pd.NA, None, "LB Lewisham"]
    said = sources_and_dates(odd_sources, odd_dates, odd_partners)
    assert said == [source_and_date(s, d, p) for s, d, p in zip(odd_sources, odd_dates, odd_partners, strict=True)]
    assert said[1] == "LB Lewisham's register, 31 January 2099" and said[6] == "LB Lewisham's register"
    # remembered per value and type: 1 and 1.0 are equal keys of a dict but read differently
    assert source_and_date("upload:1", 1, "X") == "X's register, 1"
    assert source_and_date("upload:1", 1.0, "X") == "X's register, 1.0"
