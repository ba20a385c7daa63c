"""What the Underserved areas page says about a proposed site and about grey areas on its map."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from anchormap.analysis import gaps
from anchormap.data.build import load_layer
from anchormap.maps import overlay as mapping


def _ranking():
    anchors = load_layer("anchors")
    ctx = gaps.prepare(2025, anchors, "the anchors layer")
    cats = tuple(k for k in gaps.DEFAULT_CATEGORIES if (anchors["category"] == k).any())
    params = gaps.GapParams(edition=2025, measure="imd", deciles=(1, 2), categories=cats, within_m=1000)
    return ctx, params


def test_what_if_summary_says_a_gap_closes_only_when_its_score_reaches_zero(mirror):
    ctx, params = _ranking()
    # Catford, away from SE6 4RU: that postcode is Lewisham's town hall, itself a council and civic
    # site since the council headquarters joined the anchors layer, so a site there brings no anchor nearer
    site = gaps.locate_postcode("SE6 4PH")
    change = gaps.what_if(ctx, params, site["x"], site["y"], "libraries", "Catford hub")
    fell = change[change["gap_closed_by"] > 0]
    nearer = int((change["gap_closed_by"] == 0).sum())
    assert len(fell) > 0 and nearer > 0  # Catford: both kinds of change, on the real data
    # counting anchors, one more anchor in the catchment never takes a score to 0: no gap closes
    assert (fell["score_after"] > 0).all()
    text = gaps.what_if_summary(change)
    assert text.startswith("no gap closes: the gap score falls by ")
    assert "the gap closes" not in text
    assert f"in {len(fell)} of the ranked neighbourhoods;" in text
    # the share said is the share computed: 1 - after / before, in words or per cent
    shares = 1 - fell["score_after"] / fell["score_before"]
    words = {"half": 0.5, "a third": 1 / 3, "a quarter": 0.25, "two thirds": 2 / 3}
    said = text.split("falls by ", 1)[1].split(" in ", 1)[0].split(" to ")
    said_values = [words[w] if w in words else float(w.rstrip("%")) / 100 for w in said]
    assert min(said_values) == pytest.approx(shares.min(), abs=0.006)
    assert max(said_values) == pytest.approx(shares.max(), abs=0.006)
    assert f"the nearest anchor comes closer in {nearer} ranked neighbourhood" in text
    assert "gap score stays the same" in text
    # a site far from every ranked area changes nothing
    assert gaps.what_if_summary(change.head(0)) == "no ranked neighbourhood is within its catchment, so no gap changes."
    only_nearer = change[change["gap_closed_by"] == 0]
    assert gaps.what_if_summary(only_nearer).startswith("no gap closes: the nearest anchor comes closer")


def test_what_if_summary_says_closes_where_a_score_reaches_zero():
    change = pd.DataFrame(
        {"score_before": [0.5, 0.9, 0.2], "score_after": [0.0, 0.6, 0.2], "gap_closed_by": [0.5, 0.3, 0.0]}
    )
    assert gaps.what_if_summary(change) == (
        "the gap closes in 1 of the ranked neighbourhoods; the gap score falls by a third in 1 more; "
        "the nearest anchor comes closer in 1 ranked neighbourhood, but the gap score stays the same "
        "(the site is outside its catchment)."
    )
    assert gaps.what_if_summary(change.head(1)) == "the gap closes in 1 of the ranked neighbourhoods."


def test_grey_areas_are_named_in_the_legend_and_tooltips(mirror):
    ctx, params = _ranking()
    table = gaps.rank_gaps(ctx, params)
    overlay = mapping.Overlay().values(
        2025,
        table.set_index("lsoa_code")["gap_score"],
        label="Gap score",
        missing="not ranked: outside the chosen deciles",
    )
    spec = json.loads(overlay.spec_json())
    unranked = len(load_layer("lsoa_2021")) - len(table)
    assert f"not ranked: outside the chosen deciles ({unranked} areas)" in spec["legend_html"]
    assert "no data" not in spec["legend_html"]
    assert spec["choropleth"]["missing_label"] == "not ranked: outside the chosen deciles"
    default = json.loads(
        mapping.Overlay().values(2025, table.set_index("lsoa_code")["gap_score"], label="Gap score").spec_json()
    )
    assert f"no data ({unranked} areas)" in default["legend_html"]
