"""The place profile on the real data, checked against what MHCLG and ONS publish.

Expected figures are read in the test from the raw files of the mirror, never through the
profile's own code: MHCLG's local-authority summaries for 2019 (the GLA's London workbook,
sheets "Borough summary measures", "Borough domain summaries", "Borough IDACI IDAOPI"), the
IoD2019 population denominators and ONS's LSOA 2011 -> 2021 and LSOA 2021 -> ward lookups.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from anchormap.analysis.gaps import prepare
from anchormap.analysis.profile import CSV_COLUMNS, REST, indicator_values, place_profile
from anchormap.analysis.profile_outputs import all_tables, profile_html, write_profile
from anchormap.data.build import load_layer
from anchormap.geo.places import PlaceError, resolve_place

WORKBOOK = "imd2019/ID 2019 for London.xlsx"

# MHCLG's column for each measure in the London workbook's borough summary sheets.
SUMMARY_COLUMNS = {
    "imd": ("Borough summary measures", "IMD"),
    "income": ("Borough domain summaries", "Income"),
    "employment": ("Borough domain summaries", "Employment"),
    "education": ("Borough domain summaries", "Education, Skills and Training"),
    "health": ("Borough domain summaries", "Health Deprivation and Disability"),
    "crime": ("Borough domain summaries", "Crime"),
    "housing": ("Borough domain summaries", "Barriers to Housing and Services"),
    "environment": ("Borough domain summaries", "Living Environment"),
    "idaci": ("Borough IDACI IDAOPI", "IDACI"),
    "idaopi": ("Borough IDACI IDAOPI", "IDAOPI"),
}


@pytest.fixture(scope="module")
def shared():
    """What every profile in this module shares: anchors, the built-in land, the 2019 and 2025 rankings."""
    anchors = load_layer("anchors")
    return {
        "anchors": anchors,
        "land": load_layer("land_builtin"),
        "contexts": {e: prepare(e, anchors) for e in (2019, 2025)},
    }


def profile(shared, place, edition=2025, compare=None, **kwargs):
    return place_profile(
        place,
        compare=compare,
        edition=edition,
        anchors=shared["anchors"],
        land=shared["land"],
        gap_context=shared["contexts"][edition],
        **kwargs,
    )


def mhclg_summary(mirror, measure: str) -> pd.DataFrame:
    """MHCLG's published borough summary of ``measure``: average score and share in the most deprived 10%."""
    sheet, prefix = SUMMARY_COLUMNS[measure]
    table = pd.read_excel(mirror / WORKBOOK, sheet_name=sheet, engine="openpyxl")
    table.columns = [str(c).strip() for c in table.columns]
    code = table.columns[0]
    table = table[table[code].astype(str).str.startswith("E09")].set_index(code)
    share = next(
        c
        for c in table.columns
        if c.lower() == f"{prefix} - proportion of lsoas in most deprived 10% nationally".lower()
    )
    return pd.DataFrame({"average_score": table[f"{prefix} - Average score"], "share_10": table[share] * 100})


def test_every_borough_2019_agrees_with_mhclg_summaries(mirror, shared):
    summaries = {m: mhclg_summary(mirror, m) for m in SUMMARY_COLUMNS}
    boroughs = summaries["imd"].index
    assert len(boroughs) == 33
    for code in boroughs:
        values = indicator_values(profile(shared, f"borough:{code}", 2019))
        for measure, table in summaries.items():
            published = table.loc[code]
            # MHCLG publishes scores to 3 decimals and proportions to 4 (0.01 percentage points)
            assert values[f"{measure}_average_score"] == pytest.approx(published["average_score"], abs=0.0011), (
                code,
                measure,
            )
            assert values[f"{measure}_share_10"] == pytest.approx(published["share_10"], abs=0.0051), (code, measure)


def test_lewisham_2019_in_words_beside_london_and_england(shared):
    p = profile(shared, "borough:E09000023", 2019)
    imd = {i.key: i for i in p.indicators}
    assert imd["imd_share_10"].england == 10.0 and imd["imd_share_20"].england == 20.0
    # London's share of LSOAs in decile 1 from the SOURCE.md's published decile counts (107 of 4,835)
    assert imd["imd_share_10"].london == pytest.approx(107 / 4835 * 100)
    assert imd["imd_share_20"].london == pytest.approx((107 + 688) / 4835 * 100)
    counts = [imd[f"imd_decile_{d}"].value for d in range(1, 11)]
    assert sum(counts) == imd["lsoas"].value == 169
    assert imd["imd_most_deprived_decile"].value == min(d for d, n in zip(range(1, 11), counts, strict=True) if n)
    assert imd["imd_spread"].value == pytest.approx(imd["imd_highest_score"].value - imd["imd_lowest_score"].value)
    assert p.extremes["which"].tolist()[:1] == ["Most deprived"] and len(p.gaps) <= 10
    assert all(i.source for i in p.indicators)
    assert 34 < imd["area_km2"].value < 36  # ONS Standard Area Measurements: Lewisham 35.2 km²


def test_a_place_of_whole_wards_has_the_population_of_its_lsoas(mirror, shared):
    wards = pd.read_csv(mirror / "lookups/lsoa11_lsoa21/london_lsoa21_to_ward_wd22_wd25_bestfit_derived.csv")
    lookup = pd.read_csv(mirror / "lookups/lsoa11_lsoa21/london_lsoa11_lsoa21_lad22_derived.csv")
    imd = pd.read_csv(mirror / "imd2019/london_imd2019_lsoa11_derived.csv")
    pop11 = imd.set_index("LSOA code (2011)")["Total population: mid 2015 (excluding prisoners)"]
    chosen = sorted(wards.loc[wards["LAD22CD"] == "E09000025", "WD25CD"].unique())[:3]  # three Newham wards
    text = "+".join(f"ward:{w}" for w in chosen)
    lsoa21 = set(wards.loc[wards["WD25CD"].isin(chosen), "LSOA21CD"])

    # 2025: the 2021 LSOAs best-fitted to the wards, their mid-2015 population shared out by area
    lk = lookup.copy()
    lk["share"] = lk["share_of_lsoa11_area"] / lk.groupby("LSOA11CD")["share_of_lsoa11_area"].transform("sum")
    lk["part"] = lk["LSOA11CD"].map(pop11) * lk["share"]
    pop21 = lk.groupby("LSOA21CD")["part"].sum().round()
    p25 = profile(shared, text, 2025)
    assert p25.place.lsoa_codes == lsoa21
    assert indicator_values(p25)["population"] == pop21.loc[sorted(lsoa21)].sum()
    assert indicator_values(p25)["lsoas"] == len(lsoa21)

    # 2019: the 2011 LSOAs that became them, with IoD2019's own population and age bands
    lsoa11 = set(lookup.loc[lookup["LSOA21CD"].isin(lsoa21), "LSOA11CD"])
    p19 = profile(shared, text, 2019)
    assert p19.place.lsoa_codes == lsoa11
    rows = imd.set_index("LSOA code (2011)").loc[sorted(lsoa11)]
    values = indicator_values(p19)
    assert values["population"] == rows["Total population: mid 2015 (excluding prisoners)"].sum()
    assert values["population_0_15"] == rows["Dependent Children aged 0-15: mid 2015 (excluding prisoners)"].sum()
    assert (
        values["population_60_plus"] == rows["Older population aged 60 and over: mid 2015 (excluding prisoners)"].sum()
    )


def test_wards_against_the_rest_of_their_borough(shared):
    lsoas = load_layer("lsoa_2021")
    newham = lsoas[lsoas["borough_code"] == "E09000025"]
    ward = newham["ward_2025_code"].iloc[0]
    p = profile(shared, f"ward:{ward}", 2025, compare=REST)
    both = p.place.lsoa_codes | p.compare.place.lsoa_codes
    assert both == set(newham["lsoa_code"]) and not p.place.lsoa_codes & p.compare.place.lsoa_codes
    assert p.compare.label == "the rest of Newham"
    people = indicator_values(p)["population"] + indicator_values(p.compare)["population"]
    assert people == newham["population"].sum()
    with pytest.raises(PlaceError, match="whole of Newham"):
        profile(shared, "borough:E09000025", 2025, compare=REST)


def test_the_csv_has_one_row_per_indicator_with_the_exact_columns(tmp_path, shared):
    p = profile(shared, "borough:E09000023", 2025, compare="borough:E09000022")
    out = tmp_path / "profile.csv"
    write_profile(p, "csv", out)
    table = pd.read_csv(out)
    assert tuple(table.columns) == CSV_COLUMNS
    assert len(table) == len(p.indicators) + len(p.compare.indicators)
    assert not table.duplicated(["place", "indicator"]).any()
    assert set(table["place"]) == {"Lewisham", "Lambeth"} and set(table["edition"]) == {2025}
    assert table["source"].notna().all() and table["unit"].notna().all()
    share = table[(table["place"] == "Lewisham") & table["indicator"].str.endswith("England's most deprived 10%")]
    assert share.iloc[0]["england"] == 10.0
    assert (tmp_path / "profile.csv-metadata.json").exists()


def test_the_workbook_has_the_indicators_and_an_about_sheet(tmp_path, shared):
    from openpyxl import load_workbook

    p = profile(shared, "borough:E09000001", 2019)
    write_profile(p, "xlsx", tmp_path / "p.xlsx")
    wb = load_workbook(tmp_path / "p.xlsx", read_only=True)
    assert wb.sheetnames[:2] == ["profile", "About"]
    rows = list(wb["profile"].iter_rows(values_only=True))
    assert rows[0] == CSV_COLUMNS and len(rows) == len(p.indicators) + 1
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
    assert "Licence" in about and "City of London" in about["Title"]
    tables = all_tables(p)
    assert len(wb.sheetnames) == 3 + len(tables)  # the indicators, About, Columns, then the page's tables
    people = list(wb[wb.sheetnames[3]].iter_rows(values_only=True))
    assert people[0][0] == tables[0][0] and people[1][0].startswith("Source: ")
    assert list(people[3][: len(tables[0][1].columns)]) == list(tables[0][1].columns)


def test_the_pdf_is_a4_portrait_with_the_page_sections(tmp_path, shared):
    p = profile(shared, "borough:E09000023", 2019, compare="borough:E09000022")
    out = tmp_path / "profile.pdf"
    pages = write_profile(p, "pdf", out)
    data = out.read_bytes()
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert len(boxes) == pages >= 2
    for w, h in boxes:  # A4: 210 x 297 mm = 595 x 842 points
        assert float(w) == pytest.approx(595.3, abs=1) and float(h) == pytest.approx(841.9, abs=1)
    from anchormap.analysis.profile_outputs import profile_pdf_pages

    printed = " ".join(t.get_text() for fig in profile_pdf_pages(p) for t in fig.texts)
    for heading, _table, source in all_tables(p):
        assert heading in printed
        assert source[:40] in printed.replace("\n", " ")
    assert "Where need concentrates" in printed and "Lambeth" in printed
    assert "Contains public sector information" in printed.replace("\n", " ")


def test_the_html_page_is_self_contained_and_escapes_the_data(shared):
    def hostile(name):
        layer = load_layer(name)
        if name == "lsoa_2021":
            layer = layer.copy()
            layer.loc[layer["borough_code"] == "E09000001", "lsoa_name"] = "<script>alert(1)</script>"
        return layer

    p = profile(shared, "borough:E09000001", 2025, load=hostile)
    page = profile_html(p)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "src='data:image/png;base64," in page and "http://" not in page.split("<body>")[0]


def test_a_place_that_cannot_be_found_is_a_message(shared):
    with pytest.raises(PlaceError, match="not one of London's 33 boroughs"):
        resolve_place("borough:E09000099", 2025)


def test_our_networks_sites_in_the_place_are_listed(shared):
    from anchormap.network.lists import network_from_members

    anchors = shared["anchors"]
    in_lewisham = anchors[(anchors["borough_code"] == "E09000023") & anchors["organisation"].notna()]
    org = in_lewisham["organisation"].value_counts().index[0]
    network = network_from_members(anchors, [org])
    p = profile(shared, "borough:E09000023", 2025, network=network)
    expected = network[network["borough_code"] == "E09000023"]
    assert sorted(p.network["name"]) == sorted(expected["name"])
    assert indicator_values(p)["network_sites"] == len(expected)
    assert any(h == "Our network's sites in the place" for h, _t, _s in all_tables(p))


def test_the_change_and_metrics_sections_appear_when_their_modules_exist(shared, monkeypatch):
    """A hand-made stand-in for the other engineers' modules: the profile finds them by import."""
    import sys
    import types

    change = types.ModuleType("anchormap.analysis.change")
    lsoas = load_layer("lsoa_2021")
    city = lsoas[lsoas["borough_code"] == "E09000001"]
    change.lsoa_change = lambda: pd.DataFrame(
        {
            "lsoa21_code": lsoas["lsoa_code"],
            "lsoa21_name": lsoas["lsoa_name"],
            "change_type": "unchanged",
            "rank_2019": 1,
            "rank_2025": 2,
            "decile_2019": 1,
            "decile_2025": 1,
            "rank_change": 1,
            "decile_change": 0,
        }
    )
    metrics = types.ModuleType("anchormap.progress.metrics")
    metrics.metric_series = lambda place_text, store=None: pd.DataFrame(
        {"place": [place_text], "metric": ["local_jobs"], "date": ["2026-01-01"], "value": [12.0], "target": [20.0]}
    )
    monkeypatch.setitem(sys.modules, "anchormap.analysis.change", change)
    monkeypatch.setitem(sys.modules, "anchormap.progress", types.ModuleType("anchormap.progress"))
    monkeypatch.setitem(sys.modules, "anchormap.progress.metrics", metrics)
    p = profile(shared, "borough:E09000001", 2025)
    assert set(p.change["lsoa21_code"]) == set(city["lsoa_code"])
    headings = [h for h, _t, _s in all_tables(p)]
    assert "Change from 2019 to 2025" in headings and "Our shared metrics" in headings
    tables = dict((h, t) for h, t, _s in all_tables(p))
    assert tables["Change from 2019 to 2025"]["How its boundary changed"].iloc[0] == "unchanged"
    assert tables["Our shared metrics"]["Metric"].iloc[0] == "Local jobs"
