"""London's council headquarters, City Hall and the DWP's 2016 jobcentres in the anchors layer.

Everything expected is read here from the raw files in the mirror: the rows, the authorities,
which rows were placed approximately (the files' own ``note`` and ``geocode`` fields, never a
list of names) and which postcodes OS Code-Point Open has.
"""

from __future__ import annotations

import datetime
import json
import re

import numpy as np
import pandas as pd
import pytest

from anchormap import cli
from anchormap.analysis.area_card import anchor_sentence
from anchormap.analysis.gaps import DEFAULT_CATEGORIES
from anchormap.categories import CATEGORIES, SECTOR_CENTRAL_GOVERNMENT, SECTOR_GLA_GROUP, SECTOR_LOCAL_AUTHORITY
from anchormap.config import REPO_ROOT
from anchormap.crs import BNG
from anchormap.data.build import load_layer
from anchormap.data.fact_dates import OLD_WORDS, is_old
from anchormap.data.layers.anchor_sources import read_council_headquarters
from anchormap.data.layers.anchors import check_positions, complete_coordinates
from anchormap.data.sources import load_manifest
from anchormap.maps import overlay as mapping
from anchormap.maps.legends import marker_legend
from anchormap.maps.take_home import MARKERS

HQ, JOBS = "council_civic_hq", "dwp_jobcentres_2016"
GLA_CODE = "E12000007"  # the London region: the Greater London Authority's code in the file
BAD_WORDS = re.compile(r"_|\bNone\b|\bnan\b")


# paths, built, layer, report: the anchors build of the mirror (tests/conftest.py)


@pytest.fixture(scope="module")
def hq(paths) -> pd.DataFrame:
    return pd.read_csv(paths[HQ], dtype=str)


@pytest.fixture(scope="module")
def jobs(paths) -> pd.DataFrame:
    return pd.read_csv(paths[JOBS], dtype=str)


@pytest.fixture(scope="module")
def live_postcodes(paths) -> set[str]:
    cp = pd.read_csv(paths["postcodes"], dtype=str, usecols=["postcode"])
    return set(cp["postcode"].str.replace(" ", "").str.upper())


def of(layer, source: str) -> pd.DataFrame:
    return layer[layer["source"] == source].set_index("source_record_id")


def test_both_datasets_are_in_the_manifest_with_their_provenance():
    manifest = load_manifest()
    for ds in (HQ, JOBS):
        entry = manifest[ds]
        assert entry.official_url.startswith("https://") and entry.licence and entry.attribution
        assert entry.name and entry.as_of and entry.edition_date and entry.sha256
        assert "Code-Point" in entry.attribution or "OS data" in entry.attribution  # the points are Code-Point's
    assert manifest[JOBS].edition_date.year == 2016 and "2016" in manifest[JOBS].as_of
    assert "Department for Work and Pensions" in manifest[JOBS].publisher


@pytest.mark.parametrize(("ds", "id_column"), [(HQ, "organisation_code"), (JOBS, "MNEMONIC")])
def test_every_row_is_in_the_layer_or_in_the_report_with_a_reason(layer, report, paths, ds, id_column):
    raw = pd.read_csv(paths[ds], dtype=str)
    r = report.sources[ds]
    assert r.rows_read == len(raw) and r.accounted == len(raw)
    ours = of(layer, ds)
    problems = report.problems()
    reported = problems.loc[problems["source"] == ds].set_index("source_record_id")
    assert set(ours.index) | set(reported.index) == set(raw[id_column]) and not set(ours.index) & set(reported.index)
    # a row is left out only when the file gives it no coordinates, and the report says so
    blank = set(raw.loc[raw["easting"].isna() & raw["lat"].isna(), id_column])
    assert set(reported.index) == blank
    assert (reported["problem"] == "no usable coordinates").all()
    text = report.text()
    for name in reported["name"]:
        assert f"| {name} | no usable coordinates | dropped" in text


def test_council_and_civic_sites_are_the_33_authorities_and_city_hall(layer, report, hq):
    boroughs = load_layer("boroughs")
    civic = layer[layer["category"] == "council_civic"]
    assert (civic["source"] == HQ).all()
    left_out = {i for i, _ in report.sources[HQ].no_coordinates}
    authorities = set(civic["source_record_id"]) | left_out
    assert authorities == set(boroughs["borough_code"]) | {GLA_CODE}
    assert len(boroughs) == 33 and len(civic) + len(left_out) == len(hq) == 34
    assert report.category_counts["council_civic"] == len(civic)
    ours = civic.set_index("source_record_id")
    councils = ours.drop(index=GLA_CODE)
    # each council's headquarters lies in its own borough; City Hall (E16) is in Newham
    assert (councils["borough_code"] == councils.index).all()
    assert ours.at[GLA_CODE, "borough_name"] == "Newham"
    assert (councils["subtype"] == "Town hall / civic centre").all() and (
        councils["sector"] == SECTOR_LOCAL_AUTHORITY
    ).all()
    assert ours.at[GLA_CODE, "subtype"] == "Greater London Authority"
    assert ours.at[GLA_CODE, "sector"] == SECTOR_GLA_GROUP
    # one organisation per council across datasets: "<borough> (local authority)", spelt as the boroughs layer
    names = boroughs.set_index("borough_code")["borough_name"]
    assert (councils["organisation"] == names.loc[councils.index] + " (local authority)").all()
    assert (ours["status"] == "open").all()


def test_sites_placed_approximately_are_found_by_the_files_own_fields_and_reported(layer, report, hq, jobs):
    hq_approx = set(hq.loc[hq["note"].str.contains("GEOCODE FALLBACK", na=False), "organisation_code"])
    jobs_approx = set(jobs.loc[jobs["geocode"] == "sector_centroid", "MNEMONIC"])
    assert hq_approx and jobs_approx  # the files do mark some
    for ds, expected in ((HQ, hq_approx), (JOBS, jobs_approx)):
        ours = of(layer, ds)
        approximate = set(ours.index[ours["provenance"] != ""]) & set(
            ours.index[ours["provenance"].str.contains("approximate|fallback")]
        )
        assert approximate == expected, ds
        assert {i for i, _, _ in report.sources[ds].approximate} == expected, ds
    text = report.text()
    listed = report.approximate_sites()
    for ds, expected in ((HQ, hq_approx), (JOBS, jobs_approx)):
        rows = listed[listed["source"] == ds]
        assert set(rows["source_record_id"]) == expected
        for r in rows.itertuples():
            assert f"placed approximately: {r.name} | {ds} | {r.reason}" in text
            assert not BAD_WORDS.search(r.reason)
    assert "Placed approximately (" in text and "approximate" in report.summary().columns


def test_approximate_headquarters_keep_the_buildings_published_coordinates(layer, hq, live_postcodes):
    fallback = hq[hq["note"].str.contains("GEOCODE FALLBACK", na=False)].set_index("organisation_code")
    # what makes them approximate: their postcodes are not live Code-Point postcodes
    assert not set(fallback["postcode"].str.replace(" ", "").str.upper()) & live_postcodes
    ours = of(layer, HQ).loc[fallback.index]
    assert np.allclose(ours["lat"], fallback["lat"].astype(float)) and np.allclose(
        ours["lon"], fallback["lon"].astype(float)
    )
    assert np.allclose(ours["easting"], fallback["easting"].astype(float), atol=5.0)  # the file's own conversion


def test_the_position_check_compares_every_row_with_a_live_postcode(paths, hq, jobs, live_postcodes):
    postcodes = load_layer("postcodes")
    boroughs = load_layer("boroughs").to_crs(BNG)
    from anchormap.data.layers.anchor_sources import read_jobcentres

    for frame in (read_council_headquarters(paths[HQ]), read_jobcentres(paths[JOBS])):
        frame = complete_coordinates(frame)
        frame = frame[frame["easting"].notna()]
        checked = check_positions(frame, postcodes, boroughs)
        live = checked["postcode"].str.replace(" ", "").str.upper().isin(live_postcodes)
        assert live.sum() > 0.6 * len(checked)
        assert checked.loc[live, "position_distance_m"].notna().all()
        assert checked.loc[~live, "position_distance_m"].isna().all()
        # points given by the postcode itself agree with it (the file copied Code-Point's point)
        assert (checked.loc[live, "position_distance_m"] < 1.0).all()
        assert (checked["position_check"] == "").all()


def test_a_headquarters_far_from_its_postcode_is_placed_in_its_own_authority(paths, hq, tmp_path):
    """Hand-made edge case: Lewisham's headquarters with its published point moved 6 km west, into
    another borough; the check places it at its postcode, as the file's own authority code says."""
    rows = hq.copy()
    i = rows.index[rows["organisation_code"] == "E09000023"][0]
    rows.loc[i, "easting"] = str(float(rows.loc[i, "easting"]) - 6000)
    rows.loc[i, ["lat", "lon"]] = ""
    path = tmp_path / "hq.csv"
    rows.to_csv(path, index=False)
    frame = complete_coordinates(read_council_headquarters(path))
    checked = check_positions(
        frame[frame["easting"].notna()], load_layer("postcodes"), load_layer("boroughs").to_crs(BNG)
    )
    row = checked[checked["source_record_id"] == "E09000023"].iloc[0]
    assert row["position_check"].startswith(f"Placed at its postcode {hq.loc[i, 'postcode']}")
    assert "the source gives Lewisham as its borough" in row["position_check"]
    assert row["easting"] == float(hq.loc[i, "easting"]) and row["position_moved_m"] == pytest.approx(6000, abs=1)


def test_jobcentres_are_their_own_category_dated_2016(layer, jobs):
    cat = CATEGORIES["jobcentres"]
    assert "2016" in cat.label and not cat.default_on
    assert "jobcentres" not in DEFAULT_CATEGORIES and "council_civic" in DEFAULT_CATEGORIES
    ours = of(layer, JOBS)
    assert len(ours) == len(jobs) and (ours["category"] == "jobcentres").all()
    assert (ours["sector"] == SECTOR_CENTRAL_GOVERNMENT).all()
    assert (ours["organisation"] == "Department for Work and Pensions").all()
    assert (ours["subtype"] == "Jobcentre Plus office").sum() == (jobs["TYPE"] == "JCP").sum()
    assert set(ours["edition_date"]) == {load_manifest()[JOBS].edition_date.isoformat()}
    # the postcodes the SOURCE.md says were mistyped are the corrected ones, and say so
    raw = jobs.set_index("MNEMONIC")
    fixed = raw.index[raw["POSTCODE"].str.replace(" ", "") != raw["postcode_clean"].str.replace(" ", "")]
    assert len(fixed) >= 1
    assert (
        ours.loc[fixed, "postcode"].str.replace(" ", "") == raw.loc[fixed, "postcode_clean"].str.replace(" ", "")
    ).all()
    assert ours.loc[fixed, "provenance"].str.contains("postcode corrected").all()


def test_jobcentre_pop_ups_say_2016_and_more_than_five_years_old(layer, tmp_path, monkeypatch):
    monkeypatch.setenv("ANCHORMAP_STATIC_DIR", str(tmp_path / "static"))
    assert is_old(load_manifest()[JOBS].edition_date)
    rows = layer[layer["source"].isin([JOBS, HQ])].copy()
    spec = json.loads(mapping.Overlay().anchors(rows, layer_id="new").spec_json())
    marker_layer = spec["marker_layers"][0]
    records = marker_layer["records"]
    assert len(records) == len(rows)
    labels = dict(marker_layer["fields"])
    for rec in records:
        shown = {labels[k]: str(v) for k, v in rec.items() if k in labels}
        for label, value in shown.items():
            assert not BAD_WORDS.search(value) or label in ("Name", "Address", "Type"), (label, value)
        if rec["category"] == "jobcentres":
            assert "2016" in shown["Source and date"] and OLD_WORDS in shown["Source and date"]
            assert shown["Kind"] == CATEGORIES["jobcentres"].label
        else:
            assert OLD_WORDS not in shown["Source and date"]
    notes = {
        rec["name"]: dict((labels[k], v) for k, v in rec.items() if k in labels).get("Note", "") for rec in records
    }
    approximate = rows.loc[rows["provenance"].str.contains("approximate|fallback"), "name"]
    assert all(notes[n].startswith("placed") for n in approximate)  # said in words
    assert not any("_" in n or "geocode" in n for n in notes.values())


def test_area_card_says_a_jobcentre_is_from_2016_and_approximate_where_it_is(layer):
    ours = layer[layer["source"] == JOBS]
    site = ours[ours["provenance"].str.contains("fallback")].iloc[0].to_dict()
    text = anchor_sentence({**site, "distance_m": 640.0})
    assert "(location approximate)" in text and "December 2016" in text and OLD_WORDS in text


def test_the_new_category_has_its_own_shape_and_colour_on_the_map_and_the_picture(layer):
    cat = CATEGORIES["jobcentres"]
    others = [c for k, c in CATEGORIES.items() if k != "jobcentres"]
    assert cat.shape not in {c.shape for c in others} and cat.colour.lower() not in {c.colour.lower() for c in others}
    script = (REPO_ROOT / "anchormap" / "maps" / "web" / "anchormap.js").read_text(encoding="utf-8")
    for c in CATEGORIES.values():
        assert re.search(rf"\b{c.shape}: '<", script), c.shape  # the browser can draw every category's shape
        assert c.shape in MARKERS  # and so can the take-home picture
    key = marker_legend("Anchor institutions", layer, ["council_civic", "jobcentres"], None)
    assert f"{CATEGORIES['jobcentres'].label} ({(layer['category'] == 'jobcentres').sum():,})" in key
    assert f'data-am-shape="{cat.shape}"' in key
    n_civic = (layer["category"] == "council_civic").sum()
    assert f"Council and civic sites ({n_civic:,})" in key


def test_cli_report_lists_the_approximate_sites(capsys, hq, mirror):
    assert cli.main(["anchors", "report"]) == 0
    out = capsys.readouterr().out
    for name in hq.loc[hq["note"].str.contains("GEOCODE FALLBACK", na=False), "site_name"]:
        assert re.search(rf"placed approximately: {re.escape(name)} \| {HQ} \| placed approximately", out)
    assert "jobcentres" in out and "council_civic" in out


def test_edition_dates_are_real_dates(layer):
    for ds in (HQ, JOBS):
        assert datetime.date.fromisoformat(of(layer, ds)["edition_date"].iloc[0]) == load_manifest()[ds].edition_date
