"""Gap ranking details found in review: the what-if baseline and sites without a category."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from anchormap.analysis import gaps
from anchormap.data.build import load_layer
from anchormap.data.csvw import read_sidecar, sidecar_parameters
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


def test_network_sites_without_a_category_are_counted():
    # Three 100 m squares in a row; our network's own list gives a library at the centre of the
    # first and, without a category, a site at the centre of the third. Catchment 100 m.
    lsoas = gpd.GeoDataFrame(
        {
            "lsoa_code": ["a", "b", "c"],
            "lsoa_name": ["A", "B", "C"],
            "borough_code": ["E09000099"] * 3,
            "borough_name": ["Test"] * 3,
            "msoa_code": ["m"] * 3,
            "msoa_name": ["M"] * 3,
            "imd_score": [60.0, 50.0, 40.0],
            "imd_rank": [1, 2, 3],
            "imd_decile": [1, 1, 1],
            "population": [1000] * 3,
            "geometry": [box(0, 0, 100, 100), box(100, 0, 200, 100), box(200, 0, 300, 100)],
        },
        crs=27700,
    )
    network = pd.DataFrame(
        {
            "anchor_id": ["network:2", "network:3"],
            "name": ["Our library", "Our hub"],
            "category": ["libraries", ""],
            "easting": [50.0, 250.0],
            "northing": [50.0, 50.0],
            "status": ["open", "open"],
        }
    )
    ctx = gaps.prepare(2025, network, "our network", lsoas=lsoas, max_radius_m=1000)
    params = gaps.GapParams(within_m=100, categories=("libraries",), network_only=True)
    table = gaps.rank_gaps(ctx, params).set_index("lsoa_code")
    # a: the library (0 m); b: both, 100 m each; c: the uncategorised hub (0 m)
    assert table["anchors_in_catchment"].to_dict() == {"a": 1, "b": 2, "c": 1}
    assert table.loc["c", "nearest_anchor_name"] == "Our hub"
    assert "1 site whose kind the list does not give" in gaps.explain(params, ctx)
    # a list with no categories at all still ranks (it used to say no site is in the chosen categories)
    bare = gaps.prepare(2025, network.assign(category=[None, None]), "our network", lsoas=lsoas, max_radius_m=1000)
    assert gaps.rank_gaps(bare, params).set_index("lsoa_code")["anchors_in_catchment"].to_dict() == {
        "a": 1,
        "b": 2,
        "c": 1,
    }


def test_the_ranking_gives_the_nearest_site_of_each_kind(ctx2025):
    # Checked against shapely distances from the same points inside each LSOA to every site.
    params = gaps.GapParams(within_m=800, categories=("libraries", "health"))
    table = gaps.rank_gaps(ctx2025, params)
    assert {"nearest_libraries_m", "nearest_health_m"} <= set(table.columns)
    assert "nearest_culture_m" not in table.columns
    origins = ctx2025.index.origins.set_index("lsoa_code")
    sites = ctx2025.index.sites
    points = gpd.GeoSeries(gpd.points_from_xy(sites["x"], sites["y"]), crs=27700)
    for _, row in table.iloc[::97].iterrows():
        d = points.distance(
            gpd.points_from_xy([origins.loc[row["lsoa_code"], "x"]], [origins.loc[row["lsoa_code"], "y"]])[0]
        )
        assert row["nearest_libraries_m"] == pytest.approx(d[sites["category"] == "libraries"].min(), abs=0.5)
        assert row["nearest_health_m"] == pytest.approx(d[sites["category"] == "health"].min(), abs=0.5)
    # the nearest counted anchor is the nearer of the two kinds
    both = table[["nearest_libraries_m", "nearest_health_m"]].min(axis=1)
    assert table["nearest_anchor_m"].to_numpy() == pytest.approx(both.to_numpy(), abs=0.5)


def test_the_page_lists_the_nearest_site_of_each_kind(open_page):
    at = open_page("pages/1_Underserved_areas.py")
    at.multiselect(key="gaps_categories").set_value(["libraries", "health"]).run()
    assert not at.exception, at.exception
    every = at.dataframe[1].value
    assert {"Nearest: Libraries (m)", "Nearest: Hospitals and NHS trusts (m)"} <= set(every.columns)
    assert "Nearest: Museums and culture (m)" not in every.columns
    assert (every["Nearest anchor (m)"] <= every["Nearest: Libraries (m)"]).all()


def test_access_weights_and_decay_from_the_command_line(tmp_path, capsys):
    from anchormap.cli import main

    out = tmp_path / "g.csv"
    assert (
        main(
            [
                "gaps",
                "--scarcity",
                "access",
                "--decay",
                "step",
                "--weights",
                "health=2,libraries=0.5",
                "--categories",
                "health,libraries",
                "--top",
                "40",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    doc = read_sidecar(out)
    meta = sidecar_parameters(doc)
    assert meta["decay"] == "step" and meta["weights"] == "health=2.0,libraries=0.5"
    assert "one hospitals and nhs trusts site counts 2" in doc["dc:description"]
    # the file matches the ranking computed directly with the same weights and decay
    params = gaps.GapParams(
        scarcity="access", decay="step", weights={"health": 2.0, "libraries": 0.5}, categories=("health", "libraries")
    )
    expected = gaps.rank_gaps(gaps.prepare(2025, load_layer("anchors")), params, top=40)
    body = pd.read_csv(out)
    assert body["lsoa_code"].tolist() == expected["lsoa_code"].tolist()
    assert body["accessibility"].to_numpy() == pytest.approx(expected["accessibility"].to_numpy())
    unweighted = gaps.rank_gaps(
        gaps.prepare(2025, load_layer("anchors")),
        gaps.GapParams(scarcity="access", categories=("health", "libraries")),
        top=40,
    )
    assert body["accessibility"].tolist() != pytest.approx(unweighted["accessibility"].tolist())
    capsys.readouterr()
    assert main(["gaps", "--weights", "health=2", "--out", str(tmp_path / "x.csv")]) == 2
    assert "apply to --scarcity access only" in capsys.readouterr().err
    assert main(["gaps", "--scarcity", "access", "--weights", "health=-1", "--out", str(tmp_path / "x.csv")]) == 2
    assert "CATEGORY=WEIGHT with a weight of 0 or more" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_the_page_sets_access_weights_and_decay(open_page):
    at = open_page("pages/1_Underserved_areas.py")
    at.multiselect(key="gaps_categories").set_value(["libraries", "health"]).run()
    at.radio(key="gaps_scarcity").set_value("access").run()
    at.radio(key="gaps_decay").set_value("step").run()
    at.number_input(key="gaps_weight_health").set_value(3.0).run()
    assert not at.exception, at.exception
    params = gaps.GapParams(
        categories=("libraries", "health"), scarcity="access", decay="step", weights={"health": 3.0}
    )
    assert at.info[0].value == gaps.explain(params)
    expected = gaps.rank_gaps(gaps.prepare(2025, load_layer("anchors")), params)
    assert at.dataframe[0].value["LSOA code"].tolist() == expected["lsoa_code"].head(20).tolist()
    assert at.query_params["decay"] == "step" and at.query_params["w_health"] == "3"


def test_a_proposed_site_of_a_kind_no_longer_counted_can_still_be_removed(open_page):
    at = open_page("pages/1_Underserved_areas.py")
    at.text_input(key="gaps_postcode").input("SE6 4RU")
    at.selectbox(key="gaps_site_category").set_value("libraries")
    [b for b in at.get("button") if "Show before and after" in str(b.proto.label)][0].click().run()
    assert not at.exception, at.exception
    at.multiselect(key="gaps_categories").set_value(["health"]).run()
    assert not at.exception, at.exception
    assert "kind 'libraries' would not be counted" in at.error[0].value
    at.button(key="gaps_clear_site").click().run()
    assert not at.exception, at.exception
    assert not at.error
    assert not any(b.key == "gaps_clear_site" for b in at.get("button"))
