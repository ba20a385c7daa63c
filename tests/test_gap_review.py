"""Gap ranking details found in review: the what-if baseline and sites without a category."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from anchormap import gaps
from anchormap.build import load_layer
from anchormap.errors import AnchorMapError


@pytest.fixture(scope="module")
def ctx2025() -> gaps.GapContext:
    return gaps.prepare(2025, load_layer("anchors"))


def test_what_if_before_is_the_ranking_as_chosen(ctx2025):
    site = gaps.locate_postcode("SE6 4RU")
    params = gaps.GapParams(within_m=1000, categories=("libraries", "health"))
    ranking = gaps.rank_gaps(ctx2025, params).set_index("lsoa_code")
    change = gaps.what_if(ctx2025, params, site["x"], site["y"], "libraries", "New library")
    assert not change.empty
    before = ranking.loc[change["lsoa_code"]]
    assert change["anchors_before"].tolist() == before["anchors_in_catchment"].tolist()
    assert change["score_before"].tolist() == before["gap_score"].tolist()
    assert change["gap_rank_before"].tolist() == before["gap_rank"].tolist()


def test_what_if_refuses_a_site_of_a_kind_not_counted(ctx2025):
    # Counting culture only for the what-if would add every museum to "before" as well.
    site = gaps.locate_postcode("SE6 4RU")
    params = gaps.GapParams(within_m=1000, categories=("libraries",))
    with pytest.raises(AnchorMapError, match="kind 'culture' would not be counted.*only libraries"):
        gaps.what_if(ctx2025, params, site["x"], site["y"], "culture", "New museum")
    with pytest.raises(AnchorMapError, match="Unknown anchor category 'pubs'"):
        gaps.what_if(ctx2025, params, site["x"], site["y"], "pubs", "New pub")
