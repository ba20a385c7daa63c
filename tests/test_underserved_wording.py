"""What the Underserved areas page says about a proposed site and about grey areas on its map."""

from __future__ import annotations

import json

from anchormap.analysis import gaps
from anchormap.data.build import load_layer
from anchormap.maps import overlay as mapping


def _ranking():
    anchors = load_layer("anchors")
    ctx = gaps.prepare(2025, anchors, "the anchors layer")
    cats = tuple(k for k in gaps.DEFAULT_CATEGORIES if (anchors["category"] == k).any())
    params = gaps.GapParams(edition=2025, measure="imd", deciles=(1, 2), categories=cats, within_m=1000)
    return ctx, params


def test_what_if_summary_counts_closures_apart_from_nearer_anchors(mirror):
    ctx, params = _ranking()
    site = gaps.locate_postcode("SE6 4RU")
    change = gaps.what_if(ctx, params, site["x"], site["y"], "libraries", "Catford hub")
    closes = int((change["gap_closed_by"] > 0).sum())
    nearer = int((change["gap_closed_by"] == 0).sum())
    assert closes > 0 and nearer > 0  # Catford: both kinds of change, on the real data
    text = gaps.what_if_summary(change)
    assert text.startswith(f"the gap closes in {closes} of the ranked neighbourhoods;")
    assert f"the nearest anchor comes closer in {nearer} ranked neighbourhood" in text
    assert "gap score stays the same" in text
    # a site far from every ranked area changes nothing
    assert gaps.what_if_summary(change.head(0)) == "no ranked neighbourhood is within its catchment, so no gap changes."
    only_nearer = change[change["gap_closed_by"] == 0]
    assert gaps.what_if_summary(only_nearer).startswith("no gap closes: the nearest anchor comes closer")
    assert gaps.what_if_summary(change[change["gap_closed_by"] > 0]) == (
        f"the gap closes in {closes} of the ranked neighbourhoods."
    )


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
