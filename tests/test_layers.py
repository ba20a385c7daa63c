"""The built layers on the real mirror, checked against the raw files read independently."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from anchormap.data.build import load_layer
from anchormap.measures import MEASURES


@pytest.fixture(scope="module")
def lsoa11():
    return load_layer("lsoa_2011")


@pytest.fixture(scope="module")
def lsoa21():
    return load_layer("lsoa_2021")


@pytest.fixture(scope="module")
def raw_imd2019(mirror):
    return pd.read_csv(mirror / "imd2019/london_imd2019_lsoa11_derived.csv").set_index("LSOA code (2011)")


@pytest.fixture(scope="module")
def raw_imd2025(mirror):
    return pd.read_csv(mirror / "imd2025/imd2025_england_lsoa21.csv").set_index("lsoa21_code")


def test_lsoa_2011_has_every_london_lsoa(lsoa11):
    assert isinstance(lsoa11, gpd.GeoDataFrame)
    assert len(lsoa11) == 4835
    assert lsoa11["lsoa_code"].is_unique
    assert lsoa11["lsoa_code"].str.match(r"^E01\d{6}$").all()
    assert lsoa11["borough_code"].nunique() == 33
    assert lsoa11.crs.to_epsg() == 27700
    assert lsoa11.geometry.is_valid.all()
    assert not lsoa11.geometry.is_empty.any()


def test_lsoa_2011_has_all_iod2019_values(lsoa11):
    cols = [f"{m}_{p}" for m in MEASURES for p in ("score", "rank", "decile")]
    assert lsoa11[cols].notna().all().all()
    for m in MEASURES:
        assert lsoa11[f"{m}_decile"].between(1, 10).all()
    assert lsoa11["population"].gt(0).all()
    # IoD2019 London total population (mid-2015, excluding prisoners), from File 6 read independently below
    assert set(["population_0_15", "population_16_59", "population_60_plus", "population_working_age"]) <= set(
        lsoa11.columns
    )


def test_lsoa_2011_spot_checks_against_raw(lsoa11, raw_imd2019, mirror):
    layer = lsoa11.set_index("lsoa_code")
    # Values quoted in the mirror's SOURCE.md for the City of London 001A
    assert layer.loc["E01000001", "imd_score"] == pytest.approx(6.208)
    assert layer.loc["E01000001", "imd_rank"] == 29199
    assert layer.loc["E01000001", "imd_decile"] == 9
    # Several LSOAs across London, every domain, against the raw CSV
    sample = raw_imd2019.sample(25, random_state=7)
    pairs = {
        "income_score": "Income Score (rate)",
        "crime_rank": "Crime Rank (where 1 is most deprived)",
        "housing_decile": "Barriers to Housing and Services Decile (where 1 is most deprived 10% of LSOAs)",
        "environment_score": "Living Environment Score",
        "idaci_decile": "Income Deprivation Affecting Children Index (IDACI) Decile (where 1 is most deprived 10% of LSOAs)",
        "idaopi_score": "Income Deprivation Affecting Older People (IDAOPI) Score (rate)",
        "borough_name": "Local Authority District name (2019)",
    }
    for code, row in sample.iterrows():
        for ours, theirs in pairs.items():
            assert layer.loc[code, ours] == row[theirs], (code, ours)
    # Population from MHCLG File 6 (England), read with its thousands separators
    f6 = pd.read_csv(
        mirror / "imd2019/File_6_-_IoD2019_Population_Denominators.csv.gz", thousands=",", encoding="utf-8-sig"
    ).set_index("LSOA code (2011)")
    for code in sample.index:
        assert layer.loc[code, "population"] == f6.loc[code, "Total population: mid 2015 (excluding prisoners)"]
    # England-wide ranks from MHCLG File 2
    f2 = pd.read_csv(mirror / "imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz", encoding="utf-8-sig").set_index(
        "LSOA code (2011)"
    )
    for code in sample.index:
        assert (
            layer.loc[code, "imd_rank"]
            == f2.loc[code, "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"]
        )


def test_lsoa_2011_london_decile_distribution(lsoa11):
    # From the mirror's SOURCE.md: London IMD 2019 deciles 1..10
    counts = lsoa11["imd_decile"].value_counts().sort_index().tolist()
    assert counts == [107, 688, 811, 661, 559, 532, 438, 413, 407, 219]


def test_lsoa_2021_has_every_london_lsoa_with_iod2025(lsoa21, raw_imd2025, mirror):
    assert len(lsoa21) == 4994
    assert lsoa21["lsoa_code"].is_unique
    assert lsoa21["borough_code"].nunique() == 33
    assert lsoa21.crs.to_epsg() == 27700
    assert lsoa21.geometry.is_valid.all()
    cols = [f"{m}_{p}" for m, meas in MEASURES.items() if 2025 in meas.editions for p in ("score", "rank", "decile")]
    assert lsoa21[cols].notna().all().all()
    layer = lsoa21.set_index("lsoa_code")
    assert layer.loc["E01000001", "imd_score"] == pytest.approx(8.742)
    assert layer.loc["E01000001", "imd_rank"] == 26525
    assert layer.loc["E01000001", "imd_decile"] == 8
    for code in layer.sample(25, random_state=3).index:
        raw = raw_imd2025.loc[code]
        assert layer.loc[code, "health_score"] == raw["Health_score"]
        assert layer.loc[code, "housing_rank"] == raw["Housing_and_Services_rank"]
        assert layer.loc[code, "environment_decile"] == raw["Environment_decile"]
    counts = lsoa21["imd_decile"].value_counts().sort_index().tolist()
    assert counts == [201, 692, 851, 712, 575, 471, 431, 385, 357, 319]
    raw_shp = gpd.read_file(mirror / "lsoa2021/london-2021-lsoa-gen20.shp").set_index("LSOA21CD")
    for code in layer.sample(10, random_state=5).index:
        assert layer.loc[code, "borough_name"] == raw_shp.loc[code, "LAD22NM"]


def test_lsoa_2021_population_is_conserved(lsoa21, lsoa11):
    # Apportioning moves people between LSOAs but never loses or invents them (rounding aside)
    assert lsoa21["population"].notna().all()
    assert abs(int(lsoa21["population"].sum()) - int(lsoa11["population"].sum())) < len(lsoa21)


def test_lsoa_2021_wards(lsoa21):
    assert lsoa21["ward_2022_code"].notna().all()
    assert lsoa21["ward_2022_code"].str.startswith("E05").all()


def test_boroughs_and_wards():
    boroughs = load_layer("boroughs")
    assert len(boroughs) == 33 and boroughs["borough_code"].is_unique
    assert boroughs.crs.to_epsg() == 27700
    for name in ("wards_2022", "wards_2025"):
        wards = load_layer(name)
        assert len(wards) == 704 and wards["ward_code"].is_unique
        assert wards.crs.to_epsg() == 27700
        assert wards["borough_code"].nunique() == 33


def test_lookups(mirror):
    lk = load_layer("lsoa11_lsoa21")
    assert len(lk) == 5016
    assert lk["change"].value_counts().to_dict() == {"U": 4659, "S": 313, "M": 44}
    assert lk["lsoa11_code"].nunique() == 4835 and lk["lsoa21_code"].nunique() == 4994
    wards = load_layer("lsoa21_wards")
    assert len(wards) == 4994


def test_postcodes_normalised_keys(mirror):
    pc = load_layer("postcodes")
    assert len(pc) == 180792
    raw = pd.read_csv(mirror / "anchors/postcode_lookup_london/codepoint_open_london_2025-10.csv").set_index("postcode")
    row = pc.loc[pc["postcode_key"] == "BR11AA"].iloc[0]
    assert row["postcode"] == "BR1 1AA"
    assert row["easting"] == raw.loc["BR1 1AA", "easting"]
    assert row["lat"] == pytest.approx(raw.loc["BR1 1AA", "lat"])
    assert pc["borough_code"].nunique() == 33


def test_display_layers_are_simplified_copies():
    full = load_layer("lsoa_2011")
    disp = load_layer("lsoa_2011_display")
    assert disp.crs.to_epsg() == 4326
    assert list(disp["lsoa_code"]) == list(full["lsoa_code"])
    import shapely

    assert (
        shapely.get_num_coordinates(disp.geometry.values).sum()
        < shapely.get_num_coordinates(full.geometry.values).sum()
    )
