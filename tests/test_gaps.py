"""The gap ranking on the real data, a hand-worked case, bad parameters and the CLI end to end."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from anchormap.analysis import gaps
from anchormap.cli import main
from anchormap.data.build import load_layer
from anchormap.data.csvw import read_sidecar, sidecar_parameters
from anchormap.errors import AnchorMapError


@pytest.fixture(scope="module")
def anchors() -> gpd.GeoDataFrame:
    return load_layer("anchors")


@pytest.fixture(scope="module")
def ctx2025(anchors) -> gaps.GapContext:
    return gaps.prepare(2025, anchors)


@pytest.fixture(scope="module")
def ctx2019(anchors) -> gaps.GapContext:
    return gaps.prepare(2019, anchors)


def read_csv_with_sidecar(path) -> tuple[dict, pd.DataFrame]:
    """The parameters in an exported CSV's CSVW sidecar (with its description as ``formula``),
    and the table, read with no options."""
    doc = read_sidecar(path)
    meta = {**sidecar_parameters(doc), "formula": doc.get("dc:description", "")}
    return meta, pd.read_csv(path)


# --- a hand-worked case --------------------------------------------------------------------


def test_gap_score_on_a_hand_built_row():
    # Two squares of 100 m: "deprived" (IMD rank 1, decile 1) and "also" (rank 3,376, decile 1);
    # one library at the centre of "deprived" (50, 50). Catchment 100 m.
    # deprived: need = 1 - (1 - 1)/33,755 = 1.0; anchors within 100 m = 1 -> scarcity 1/2 -> score 0.5
    # also:     need = 1 - 3,375/33,755 = 0.900015 -> 0.9000; its centre (150, 50) is 100 m from the
    #           library -> 1 anchor -> 0.5 -> score 0.45. At 99 m it has none -> scarcity 1 -> score 0.9.
    lsoas = gpd.GeoDataFrame(
        {
            "lsoa_code": ["deprived", "also"],
            "lsoa_name": ["Deprived 001A", "Also 001B"],
            "borough_code": ["E09000099"] * 2,
            "borough_name": ["Test"] * 2,
            "msoa_code": ["m1"] * 2,
            "msoa_name": ["M 1"] * 2,
            "imd_score": [80.0, 50.0],
            "imd_rank": [1, 3376],
            "imd_decile": [1, 1],
            "population": [1500, 1500],
            "geometry": [box(0, 0, 100, 100), box(100, 0, 200, 100)],
        },
        crs=27700,
    )
    anchors = pd.DataFrame(
        {"anchor_id": ["l"], "name": ["Library"], "category": ["libraries"], "easting": [50.0], "northing": [50.0]}
    )
    ctx = gaps.prepare(2025, anchors, lsoas=lsoas, max_radius_m=1000)
    table = gaps.rank_gaps(ctx, gaps.GapParams(within_m=100)).set_index("lsoa_code")
    assert table.loc["deprived", ["need", "scarcity", "gap_score"]].tolist() == [1.0, 0.5, 0.5]
    assert table.loc["also", "need"] == 0.9
    assert table.loc["also", "gap_score"] == 0.45
    narrower = gaps.rank_gaps(ctx, gaps.GapParams(within_m=99))
    assert narrower.set_index("lsoa_code").loc["also", "gap_score"] == 0.9
    assert narrower.iloc[0]["lsoa_code"] == "also" and narrower.iloc[0]["gap_rank"] == 1


# --- properties on the real data -----------------------------------------------------------


@pytest.mark.parametrize("deciles", [(1,), (1, 2), (2, 3, 4)])
def test_every_ranked_lsoa_is_in_the_chosen_deciles(ctx2025, deciles):
    params = gaps.GapParams(measure="income", deciles=deciles, within_m=800)
    table = gaps.rank_gaps(ctx2025, params)
    assert set(table["income_decile"]) <= set(deciles)
    lsoas = load_layer("lsoa_2021")
    assert len(table) == int(lsoas["income_decile"].isin(deciles).sum())


def test_ranking_order_and_formula(ctx2025):
    table = gaps.rank_gaps(ctx2025, gaps.GapParams(within_m=800))
    assert table["gap_rank"].tolist() == list(range(1, len(table) + 1))
    assert (np.diff(table["gap_score"].to_numpy()) <= 0).all()
    need = 1 - (table["imd_rank"] - 1) / 33755
    assert table["need"].to_numpy() == pytest.approx(need.to_numpy(), abs=5e-5)
    assert table["scarcity"].to_numpy() == pytest.approx(1 / (1 + table["anchors_in_catchment"].to_numpy()))
    assert table["gap_score"].to_numpy() == pytest.approx((table["need"] * table["scarcity"]).to_numpy(), abs=1e-4)
    assert table["lsoa_code"].is_unique
    assert table["nearest_anchor_name"].notna().all()
    # Within the catchment means no farther than it: an LSOA with an anchor inside 800 m
    # has its nearest anchor within 800 m, and one without has it beyond.
    has = table["anchors_in_catchment"] > 0
    assert (table.loc[has, "nearest_anchor_m"] <= 800.5).all()
    assert (table.loc[~has, "nearest_anchor_m"] >= 799.5).all()


def test_a_wider_catchment_never_raises_a_count_score(ctx2025):
    narrow = gaps.rank_gaps(ctx2025, gaps.GapParams(walk_minutes=10)).set_index("lsoa_code")
    wide = gaps.rank_gaps(ctx2025, gaps.GapParams(walk_minutes=20)).set_index("lsoa_code").loc[narrow.index]
    assert (wide["anchors_in_catchment"] >= narrow["anchors_in_catchment"]).all()
    assert (wide["gap_score"] <= narrow["gap_score"]).all()


def test_top_keeps_the_first_n(ctx2025):
    full = gaps.rank_gaps(ctx2025, gaps.GapParams(within_m=1200))
    top = gaps.rank_gaps(ctx2025, gaps.GapParams(within_m=1200), top=25)
    assert top["lsoa_code"].tolist() == full["lsoa_code"].head(25).tolist()


def test_access_scarcity_uses_the_london_average(ctx2025):
    params = gaps.GapParams(within_m=2000, scarcity="access", categories=("libraries", "culture"))
    table = gaps.rank_gaps(ctx2025, params)
    ref = table.attrs["access_reference"]
    assert ref > 0
    assert table["scarcity"].to_numpy() == pytest.approx(1 / (1 + table["accessibility"].to_numpy() / ref))
    none = table["accessibility"] == 0
    assert none.any() and (table.loc[none, "scarcity"] == 1).all()


def test_rollups_add_up(ctx2025, ctx2019):
    table = gaps.rank_gaps(ctx2025, gaps.GapParams(within_m=800))
    for level in ("borough", "ward", "msoa"):
        roll = gaps.rollup(table, level)
        assert roll["lsoas"].sum() == len(table)
        assert roll["lsoas_without_anchor"].sum() == int((table["anchors_in_catchment"] == 0).sum())
        assert roll["gap_score_sum"].sum() == pytest.approx(table["gap_score"].sum(), abs=1e-2)
        assert (np.diff(roll["gap_score_sum"].to_numpy()) <= 0).all()
    assert gaps.default_rollup_level(2025) == "ward" and gaps.default_rollup_level(2019) == "msoa"
    table2019 = gaps.rank_gaps(ctx2019, gaps.GapParams(edition=2019, measure="idaci", within_m=800))
    assert gaps.rollup(table2019, "msoa")["lsoas"].sum() == len(table2019)
    with pytest.raises(AnchorMapError, match="Ward roll-ups need the 2025 edition"):
        gaps.rollup(table2019, "ward")


def test_what_if_only_closes_gaps_near_the_site(ctx2025):
    site = gaps.locate_postcode("SE6 4RU")
    params = gaps.GapParams(within_m=1000)
    change = gaps.what_if(ctx2025, params, site["x"], site["y"], "libraries", "New library")
    assert not change.empty
    assert (change["score_after"] <= change["score_before"]).all()
    # Every changed LSOA has its origin within the catchment of the site or got a new nearest anchor.
    origins = ctx2025.index.origins.set_index("lsoa_code").loc[change["lsoa_code"]]
    d = np.hypot(origins["x"] - site["x"], origins["y"] - site["y"]).to_numpy()
    closer = change["nearest_m_after"].to_numpy() < change["nearest_m_before"].to_numpy()
    assert ((d <= 1000) | closer).all()
    assert (change.loc[d <= 1000, "anchors_after"] == change.loc[d <= 1000, "anchors_before"] + 1).all()
    # The prepared context is not changed by a what-if.
    assert "New library" not in set(ctx2025.index.sites["name"])


def test_anchors_near_the_top_lsoas(ctx2025):
    params = gaps.GapParams(within_m=1000)
    top = gaps.rank_gaps(ctx2025, params, top=10)
    near = gaps.anchors_near(ctx2025, top["lsoa_code"], params)
    origins = ctx2025.index.origins.set_index("lsoa_code").loc[top["lsoa_code"]]
    for _, site in near.iterrows():
        d = np.hypot(origins["x"] - site["x"], origins["y"] - site["y"]).min()
        assert d == pytest.approx(site["distance_m"], abs=0.5)
    # each top LSOA's nearest anchor is among them, everything else lies within twice the catchment
    assert set(top["nearest_anchor_name"]) <= set(near["name"])
    beyond = near["distance_m"] > 2000
    assert set(near.loc[beyond, "name"]) <= set(top["nearest_anchor_name"])
    assert (np.diff(near["distance_m"].to_numpy()) >= 0).all()
    assert set(near["category"]) <= set(params.categories)


def test_explanation_names_the_parts():
    text = gaps.explain(
        gaps.GapParams(
            edition=2019,
            measure="income",
            deciles=(1, 2, 3),
            walk_minutes=15,
            categories=("libraries",),
            network_only=True,
        )
    )
    for part in (
        "30% most deprived",
        "income",
        "2019",
        "32,844",
        "15-minute walk",
        "923 m",
        "4.8 km/h",
        "1.3 times",
        "public libraries",
        "our network",
    ):
        assert part in text, part


def test_postcode_and_map_click_give_the_same_place():
    site = gaps.locate_postcode("se6 4ru")
    x, y = gaps.bng_from_wgs84(site["lat"], site["lon"])
    assert abs(x - site["x"]) < 2 and abs(y - site["y"]) < 2


def test_exports_carry_the_parameters(ctx2025, tmp_path):
    params = gaps.GapParams(walk_minutes=12, deciles=(1,))
    table = gaps.rank_gaps(ctx2025, params, top=30)
    gaps.export_gaps(table, params, "csv", tmp_path / "g.csv")
    meta, back = read_csv_with_sidecar(tmp_path / "g.csv")
    assert meta["walk_minutes"] == 12 and meta["deciles"] == "1" and "need × scarcity" in meta["formula"]
    assert back["lsoa_code"].tolist() == table["lsoa_code"].tolist()
    gaps.export_gaps(table, params, "geojson", tmp_path / "g.geojson")
    doc = json.loads((tmp_path / "g.geojson").read_text(encoding="utf-8"))
    assert doc["anchormap"]["walk_minutes"] == 12 and len(doc["features"]) == 30
    lon, lat = doc["features"][0]["geometry"]["coordinates"][0][0][:2]
    assert -0.6 < lon < 0.4 and 51.2 < lat < 51.8


# --- bad parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (dict(within_m=-50), "more than 0 metres"),
        (dict(within_m=0), "more than 0 metres"),
        (dict(walk_minutes=-3), "more than 0 minutes"),
        (dict(within_m=500, walk_minutes=10), "not both"),
        (dict(categories=("hospitals",)), "Unknown anchor category 'hospitals'"),
        (dict(deciles=(0, 1)), "Deciles run from 1"),
        (dict(deciles=()), "at least one decile"),
        (dict(measure="idaci"), "not published in the 2025 edition"),
        (dict(measure="wealth"), "Unknown measure 'wealth'"),
        (dict(scarcity="vibes"), "Unknown scarcity measure"),
        (dict(within_m=20000), "larger than the 5,000 m"),
    ],
)
def test_bad_parameters_give_clear_messages(ctx2025, params, message):
    with pytest.raises(AnchorMapError, match=message):
        gaps.rank_gaps(ctx2025, gaps.GapParams(**params))


def test_categories_without_sites_and_empty_network(anchors):
    # every category of the layer has sites, so a set of sites without one is made: the libraries alone
    libraries = gaps.prepare(2025, anchors[anchors["category"] == "libraries"])
    with pytest.raises(AnchorMapError, match="No site in the anchors layer is in the chosen categories"):
        gaps.rank_gaps(libraries, gaps.GapParams(categories=("council_civic",)))
    empty_network = load_layer("anchors").iloc[0:0]
    with pytest.raises(AnchorMapError, match="Our network is empty"):
        gaps.prepare(2025, empty_network, "our network")
    with pytest.raises(AnchorMapError, match="not a full postcode"):
        gaps.locate_postcode("SE6")
    with pytest.raises(AnchorMapError, match="not a current Greater London postcode"):
        gaps.locate_postcode("M1 1AE")


# --- the CLI end to end ------------------------------------------------------------------------


def test_cli_writes_the_ranking_as_csv(tmp_path, capsys):
    out = tmp_path / "gaps.csv"
    code = main(
        [
            "gaps",
            "--edition",
            "2019",
            "--measure",
            "income",
            "--within",
            "800",
            "--categories",
            "libraries,health",
            "--deciles",
            "1",
            "--top",
            "20",
            "--format",
            "csv",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert "Wrote 20 LSOAs" in capsys.readouterr().out
    meta, table = read_csv_with_sidecar(out)
    assert meta["edition"] == 2019 and meta["categories"] == "libraries,health" and meta["catchment_m"] == 800.0
    assert len(table) == 20
    for col in ("lsoa_code", "borough_name", "income_decile", "anchors_in_catchment", "nearest_anchor_m", "gap_score"):
        assert col in table
    assert (table["income_decile"] == 1).all()
    assert table["lsoa_code"].str.match(r"^E01\d{6}$").all()
    assert table["gap_rank"].tolist() == list(range(1, 21))


def test_cli_without_top_writes_every_lsoa_in_the_deciles(tmp_path):
    out = tmp_path / "all.geojson"
    assert main(["gaps", "--walk-minutes", "15", "--deciles", "1-2", "--format", "geojson", "--out", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    lsoas = load_layer("lsoa_2021")
    assert len(doc["features"]) == int(lsoas["imd_decile"].isin([1, 2]).sum())
    assert doc["anchormap"]["walk_minutes"] == 15.0


def test_cli_bad_options(tmp_path, capsys):
    assert main(["gaps", "--within", "-5", "--out", str(tmp_path / "x.csv")]) == 2
    assert "more than 0 metres" in capsys.readouterr().err
    assert main(["gaps", "--categories", "pubs", "--out", str(tmp_path / "x.csv")]) == 2
    assert "Unknown anchor category 'pubs'" in capsys.readouterr().err
    assert main(["gaps", "--deciles", "11", "--out", str(tmp_path / "x.csv")]) == 2
    assert main(["gaps", "--top", "0", "--out", str(tmp_path / "x.csv")]) == 2
    with pytest.raises(SystemExit):
        main(["gaps", "--within", "500", "--walk-minutes", "10", "--out", str(tmp_path / "x.csv")])
    assert "not allowed with argument" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
