"""The 2019 -> 2025 change table on the real data, checked against the raw published files."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from anchormap import config
from anchormap.analysis.change import (
    CHANGE_WARNING,
    COLUMNS,
    compare_editions,
    lsoa_change,
)
from anchormap.cli import main
from anchormap.data.csvw import read_sidecar
from anchormap.errors import AnchorMapError

N19, N25 = 32_844, 33_755


def lsoa11_name(code: str) -> str:
    """The ONS name of an LSOA 2011, from the raw lookup file."""
    lookup = pd.read_csv(config.mirror_dir() / "lookups" / "lsoa11_lsoa21" / "london_lsoa11_lsoa21_lad22_derived.csv")
    return str(lookup.loc[lookup["LSOA11CD"] == code, "LSOA11NM"].iloc[0])


@pytest.fixture(scope="module")
def raw():
    """The raw files of the mirror, read directly (not through the package)."""
    root = config.mirror_dir()
    imd19 = pd.read_csv(root / "imd2019" / "london_imd2019_lsoa11_derived.csv", thousands=",")
    imd19 = imd19.rename(
        columns={
            "LSOA code (2011)": "code",
            "Index of Multiple Deprivation (IMD) Score": "score",
            "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)": "rank",
            "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)": "decile",
            "Total population: mid 2015 (excluding prisoners)": "population",
        }
    ).set_index("code")
    imd25 = pd.read_csv(root / "imd2025" / "imd2025_england_lsoa21.csv").set_index("lsoa21_code")
    lookup = pd.read_csv(root / "lookups" / "lsoa11_lsoa21" / "london_lsoa11_lsoa21_lad22_derived.csv")
    return imd19, imd25, lookup


@pytest.fixture(scope="module")
def table(mirror):
    return lsoa_change("imd")


def test_every_london_lsoa_2021_once_with_its_change_type(table, raw):
    _, _, lookup = raw
    assert list(table.columns) == COLUMNS
    assert len(table) == lookup["LSOA21CD"].nunique() == 4_994
    assert table["lsoa21_code"].is_unique
    assert set(table["lsoa21_code"]) == set(lookup["LSOA21CD"])
    per_type = lookup.drop_duplicates("LSOA21CD")["CHGIND"].value_counts().to_dict()
    assert per_type == {"U": 4_659, "S": 313, "M": 22}  # 44 LSOAs of 2011 merged into 22
    counts = table["change_type"].value_counts().to_dict()
    assert counts == {"unchanged": per_type["U"], "split": per_type["S"], "merged": per_type["M"]}
    words = lookup["CHGIND"].map({"U": "unchanged", "S": "split", "M": "merged", "X": "redrawn"})
    by_code = table.set_index("lsoa21_code")["change_type"]
    assert (by_code.loc[lookup["LSOA21CD"]].to_numpy() == words.to_numpy()).all()  # each pair's own code
    assert table["compared_with"].str.startswith(("compared", "boundaries redrawn")).all()


def test_an_unchanged_lsoa_has_the_published_ranks_of_both_editions(table, raw):
    imd19, imd25, _ = raw
    same = table[table["change_type"] == "unchanged"].set_index("lsoa21_code")
    assert len(same) == 4_659
    codes = same.index
    assert (same["lsoa11_codes"] == codes).all()
    assert (same["rank_2019"] == imd19.loc[codes, "rank"]).all()
    assert (same["decile_2019"] == imd19.loc[codes, "decile"]).all()
    assert (same["rank_2025"] == imd25.loc[codes, "IMD_rank"]).all()
    assert (same["decile_2025"] == imd25.loc[codes, "IMD_decile"]).all()
    one = same.loc["E01000001"]  # City of London 001A: 29,199 in 2019, 26,525 in 2025
    assert (one["rank_2019"], one["rank_2025"]) == (29_199, 26_525)
    assert one["rank_change"] == round(26_525 - 29_199 * N25 / N19)
    assert one["percentile_change"] == pytest.approx(100 * 26_525 / N25 - 100 * 29_199 / N19, abs=0.011)
    assert one["decile_change"] == 8 - 9 and one["change_in_words"] == "moved towards more deprived by 1 decile"


def test_a_split_lsoa_is_compared_with_its_2011_parent(table, raw):
    imd19, imd25, lookup = raw
    row_lk = lookup[lookup["CHGIND"] == "S"].iloc[0]
    child, parent = row_lk["LSOA21CD"], row_lk["LSOA11CD"]
    siblings = lookup.loc[lookup["LSOA11CD"] == parent, "LSOA21CD"]
    assert len(siblings) > 1
    rows = table.set_index("lsoa21_code").loc[list(siblings)]
    assert (rows["change_type"] == "split").all() and (rows["lsoa11_codes"] == parent).all()
    row = rows.loc[child]
    r19, r25 = imd19.loc[parent, "rank"], imd25.loc[child, "IMD_rank"]
    assert row["rank_2019"] == r19 and row["rank_2025"] == r25
    assert row["score_2019"] == pytest.approx(imd19.loc[parent, "score"])
    assert row["decile_2019"] == imd19.loc[parent, "decile"]
    assert row["rank_change"] == round(r25 - r19 * N25 / N19)
    assert row["decile_change"] == imd25.loc[child, "IMD_decile"] - imd19.loc[parent, "decile"]
    assert (
        row["compared_with"]
        == f"compared with its 2011 parent {lsoa11_name(parent)} ({parent}), which was split in 2021"
    )


def test_a_merged_lsoa_is_compared_with_its_population_weighted_parents(table, raw):
    imd19, imd25, lookup = raw
    merged = lookup[lookup["CHGIND"] == "M"]
    code = merged["LSOA21CD"].iloc[0]
    parents = sorted(merged.loc[merged["LSOA21CD"] == code, "LSOA11CD"])
    assert len(parents) >= 2
    p = imd19.loc[parents]
    score = float((p["score"] * p["population"]).sum() / p["population"].sum())
    # the weighted score placed among England's 2019 ranks, by London's published (score, rank) pairs
    pairs = imd19.groupby("score")["rank"].mean().sort_index()
    rank = round(float(np.interp(score, pairs.index.to_numpy(float), pairs.to_numpy(float))))
    row = table.set_index("lsoa21_code").loc[code]
    assert row["change_type"] == "merged"
    assert row["lsoa11_codes"] == "; ".join(parents)
    assert row["score_2019"] == pytest.approx(score, abs=0.0005)
    assert row["rank_2019"] == rank
    assert p["rank"].min() <= row["rank_2019"] <= p["rank"].max()
    assert row["decile_2019"] == math.ceil(rank * 10 / N19)
    assert row["rank_2025"] == imd25.loc[code, "IMD_rank"]
    assert row["compared_with"] == "compared with the population-weighted average of its 2011 parents " + " and ".join(
        f"{lsoa11_name(c)} ({c})" for c in parents
    )


def test_a_redrawn_lsoa_is_weighted_over_every_2011_lsoa_linked_to_it():
    """A hand-made n:m case (London's lookup has none): A splits between X1 and X2, B goes to X2."""
    lsoa11 = pd.DataFrame(
        {
            "lsoa_code": ["A", "B", "C"],
            "imd_score": [40.0, 10.0, 25.0],
            "imd_rank": [1000, 20000, 8000],
            "population": [1000, 3000, 1500],
        }
    )
    lsoa21 = pd.DataFrame(
        {
            "lsoa_code": ["X1", "X2"],
            "lsoa_name": ["One", "Two"],
            "borough_code": ["E09000001"] * 2,
            "borough_name": ["City of London"] * 2,
            "imd_score": [30.0, 20.0],
            "imd_rank": [5000, 12000],
        }
    )
    lookup = pd.DataFrame(
        {
            "lsoa11_code": ["A", "A", "B"],
            "lsoa21_code": ["X1", "X2", "X2"],
            "change": ["X", "X", "X"],
            "share_of_lsoa11_area": [0.5, 0.5, 1.0],
        }
    )
    out = compare_editions(lsoa11, lsoa21, lookup).set_index("lsoa21_code")
    assert (out["change_type"] == "redrawn").all()
    assert out.loc["X1", "score_2019"] == 40.0  # only half of A: its score alone
    assert out.loc["X2", "score_2019"] == pytest.approx((40 * 500 + 10 * 3000) / 3500, abs=0.0005)
    assert out.loc["X2", "lsoa11_codes"] == "A; B"
    assert out.loc["X2", "compared_with"].startswith("boundaries redrawn") and out.loc["X2", "compared_with"].endswith(
        "A and B"
    )  # no names in this frame: the codes alone


def test_a_measure_not_in_both_editions_is_refused(mirror):
    with pytest.raises(AnchorMapError, match="not published in both editions"):
        lsoa_change("idaci")


def test_export_change_csv_with_its_sidecar_and_geojson_in_wgs84(tmp_path, mirror, capsys):
    csv = tmp_path / "change.csv"
    assert main(["export", "change", "--format", "csv", "--out", str(csv)]) == 0
    assert "relative to each other" in capsys.readouterr().out
    back = pd.read_csv(csv)
    assert len(back) == 4_994 and back["lsoa21_code"].is_unique
    assert list(back.columns) == COLUMNS
    doc = read_sidecar(csv)
    assert CHANGE_WARNING in doc["dc:description"]
    titles = {c["name"]: c["titles"] for c in doc["tableSchema"]["columns"]}
    assert titles["lsoa21_code"][1] == "LSOA code (2021)"

    gj = tmp_path / "change.geojson"
    assert main(["export", "change", "--format", "geojson", "--out", str(gj)]) == 0
    data = json.loads(gj.read_text(encoding="utf-8"))
    assert len(data["features"]) == 4_994
    assert data["anchormap"]["warning"] == CHANGE_WARNING
    first = data["features"][0]
    assert first["geometry"]["type"] in ("Polygon", "MultiPolygon")
    coords = first["geometry"]["coordinates"]
    lon, lat = np.array(coords[0] if first["geometry"]["type"] == "Polygon" else coords[0][0]).T
    assert -0.6 < lon.min() < 0.4 and 51.2 < lat.min() < 51.8
    assert {"change_type", "compared_with", "rank_change"} <= set(first["properties"])

    assert main(["export", "change", "--format", "csv", "--measure", "income", "--out", str(tmp_path / "i.csv")]) == 0
    assert pd.read_csv(tmp_path / "i.csv")["score_2025"].max() < 1  # income scores are rates
    with pytest.raises(SystemExit):  # argparse refuses another format
        main(["export", "change", "--format", "xlsx", "--out", str(tmp_path / "x.xlsx")])
    assert not (tmp_path / "x.xlsx").exists()


def test_a_places_change_table_is_its_own_neighbourhoods_in_words(table):
    from anchormap.analysis.change import CHANGE_HEADINGS, change_in_place, change_in_words, change_summary
    from anchormap.geo.places import resolve_place

    place = resolve_place("borough:E09000023", 2025)
    rows = change_in_place(place.lsoa_codes)
    lewisham = table[table["borough_code"] == "E09000023"]
    assert set(rows["lsoa21_code"]) == set(lewisham["lsoa21_code"]) and len(rows) == len(lewisham)
    assert rows["percentile_change"].is_monotonic_decreasing
    shown = change_in_words(rows)
    assert list(shown.columns) == list(CHANGE_HEADINGS.values())
    assert not any("_" in str(c) for c in shown.columns)
    assert change_summary(lsoa_codes=place.lsoa_codes, place_label=place.label) == change_summary(
        borough_code="E09000023"
    )
    with pytest.raises(AnchorMapError, match="2025 edition"):
        change_in_place(resolve_place("lsoa:E01002293", 2019).lsoa_codes)  # an LSOA of 2011 split in 2021


def test_export_change_for_a_place(tmp_path, table, capsys):
    out = tmp_path / "lewisham.csv"
    assert main(["export", "change", "--place", "borough:E09000023", "--out", str(out)]) == 0
    back = pd.read_csv(out)
    assert set(back["lsoa21_code"]) == set(table.loc[table["borough_code"] == "E09000023", "lsoa21_code"])
    assert "Lewisham" in read_sidecar(out)["dc:title"]
    assert main(["export", "change", "--place", "Lewisham", "--out", str(tmp_path / "bad.csv")]) == 2
    assert "not understood" in capsys.readouterr().err and not (tmp_path / "bad.csv").exists()
