"""The take-home view: PNG and PDF drawn with matplotlib from the real layers."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from PIL import Image

from anchormap.analysis.area_card import card_for_place
from anchormap.data.attribution import attribution_lines
from anchormap.data.build import load_layer
from anchormap.data.sources import load_manifest
from anchormap.errors import AnchorMapError
from anchormap.geo.place_search import search_place
from anchormap.maps.palettes import DECILE_COLOURS
from anchormap.maps.take_home import (
    PAGE_INCHES,
    draw_view,
    export_view,
    shown_dataset_ids,
    view_extent,
)


@pytest.fixture(scope="module")
def view(mirror):
    place = search_place("SE6 4RU", 2025)
    lsoas, anchors, land = load_layer("lsoa_2021"), load_layer("anchors"), load_layer("land_builtin")
    card = card_for_place(place, lsoas, anchors=anchors, land=land)
    fig = draw_view(
        place,
        lsoas,
        load_layer("boroughs"),
        measure="income",
        anchors=anchors,
        land=land,
        categories=["health", "libraries", "schools"],
    )
    return place, card, fig


def _texts(fig) -> str:
    found = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    return "\n".join(found)


def test_png_has_title_legend_and_attribution(view):
    place, _card, fig = view
    png = export_view(fig, "png", dpi=100)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG"
    assert img.size == (round(PAGE_INCHES[0] * 100), round(PAGE_INCHES[1] * 100))
    text = _texts(fig)
    assert "SE6 4RU" in text and "Income" in text
    assert "1 most deprived" in text and "10 least deprived" in text
    assert "Libraries" in text and "Schools" in text and "Hospitals and NHS trusts" in text
    manifest = load_manifest()
    flat = re.sub(r"\s+", " ", text)
    for ds in ("lsoa2021", "imd2025", "postcodes", "boroughs", "libraries"):
        assert manifest[ds].attribution in flat, ds
    assert "Places of worship" not in text  # a category that was not chosen is neither drawn nor credited
    assert manifest["places_of_worship"].attribution not in flat


def test_pdf_has_the_map_and_the_card(view):
    _place, card, fig = view
    pdf = export_view(fig, "pdf", card=card)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages >= 2


def test_unknown_format():
    with pytest.raises(AnchorMapError, match="png or pdf"):
        export_view(None, "gif")


def test_dollar_signs_in_names_are_text_not_maths(view):
    place, card, _fig = view
    odd = card.__class__(**{**card.__dict__, "title": "Cost $x^2$ and $ signs"})
    fig = draw_view(place, load_layer("lsoa_2021"), load_layer("boroughs"), title="Place $5 $ {_odd}")
    assert export_view(fig, "pdf", card=odd).startswith(b"%PDF")


def test_extent_and_colours():
    ext = view_extent((0, 0, 100, 100), aspect=2.0, min_size_m=1000)
    assert ext[2] - ext[0] == pytest.approx(2 * (ext[3] - ext[1]))
    assert ext[3] - ext[1] >= 1000
    colours = DECILE_COLOURS
    assert len(colours) == 10 and colours[0] == "#440154"  # viridis: darkest for decile 1


def test_attribution_ids(view):
    place, card, _ = view
    ids = shown_dataset_ids(place, land=card.land)
    assert ids[:3] == ["lsoa2021", "imd2025", "boroughs"] and "postcodes" in ids
    lines = attribution_lines(["lsoa2021", "lsoa2021", "upload:abc"])
    assert len(lines) == 2 and "uploaded" in lines[1]
    assert attribution_lines(pd.Series(["boroughs", "lsoa2021"]))  # same text once


def test_long_legend_labels_stay_inside_the_picture(mirror):
    place = search_place("Catford South", 2025)  # a ward: "You searched: Catford South ward (Lewisham)"
    lsoas = load_layer("lsoa_2021")
    fig = draw_view(
        place,
        lsoas,
        load_layer("boroughs"),
        measure="imd",
        anchors=load_layer("anchors"),
        land=load_layer("land_builtin"),
        categories=["higher_further_education", "emergency_services"],
    )
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    width = fig.bbox.width
    legend_texts = [t for leg in fig.findobj(lambda a: a.__class__.__name__ == "Legend") for t in leg.get_texts()]
    assert any("Catford South" in t.get_text() for t in legend_texts)
    for t in legend_texts:
        box = t.get_window_extent(renderer)
        assert box.x1 <= width, (t.get_text(), box.x1, width)
