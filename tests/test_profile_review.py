"""What a review of the place work found, each checked on the real data so it stays fixed."""

from __future__ import annotations

import pandas as pd
import pytest

from anchormap.analysis.profile import place_profile
from anchormap.analysis.profile_outputs import change_table, write_profile
from anchormap.data.build import load_layer
from anchormap.geo.place_text import PlaceError
from anchormap.geo.places import lsoa21_codes, resolve_place
from anchormap.progress.metrics import metric_series, record_metric


def test_a_link_cannot_make_the_profile_page_open_a_file(open_page, tmp_path):
    secret = tmp_path / "secret.geojson"
    wards = load_layer("wards_2025")
    wards[wards["ward_code"] == wards["ward_code"].iloc[0]].to_crs(4326).to_file(secret, driver="GeoJSON")
    at = open_page("pages/5_Place_profile.py", query={"area": f"file:{secret}"})
    assert not at.exception
    assert any("cannot be opened from a link" in w.value for w in at.warning)
    assert not any("secret" in h.value.lower() for h in at.header)
    assert "file:" not in at.query_params.get("area", "")


def test_a_place_linked_then_chosen_elsewhere_is_the_one_the_profile_shows(open_page):
    at = open_page("pages/5_Place_profile.py", query={"area": "msoa:E02000001"})
    assert at.header[0].value.startswith("City of London 001")
    at.session_state["place_area"] = "borough:E09000023"  # the side panel's place chooser, on another page
    at.run()
    assert not at.exception and at.header[0].value.startswith("Lewisham")
    assert at.query_params["area"] == "borough:E09000023"


def test_city_wards_the_best_fit_lookup_leaves_out_are_places_too(mirror):
    wards, fitted = load_layer("wards_2025"), set(load_layer("lsoa21_wards")["ward_2025_code"])
    city = wards[(wards["borough_code"] == "E09000001") & ~wards["ward_code"].isin(fitted)]
    assert len(city) > 0  # the City's small wards have no LSOA best-fitted to them
    lsoas = load_layer("lsoa_2021")
    for code, name in zip(city["ward_code"], city["ward_name"], strict=True):
        place = resolve_place(f"ward:{code}")
        assert place.label == name and place.lsoa_codes
        assert place.borough_codes == {"E09000001"}
        assert place.lsoa_codes <= set(lsoas.loc[lsoas["borough_code"] == "E09000001", "lsoa_code"])


def test_a_2019_ward_keeps_its_own_2021_neighbourhoods_for_the_change(mirror):
    wards = load_layer("lsoa21_wards")
    for code in wards["ward_2025_code"].drop_duplicates().head(60):
        assert lsoa21_codes(resolve_place(f"ward:{code}", 2019)) == resolve_place(f"ward:{code}", 2025).lsoa_codes


def test_an_lsoa_of_the_other_census_is_named_not_coded(mirror):
    lsoas11 = load_layer("lsoa_2011")
    code = "E01003968"  # a 2011 LSOA merged in 2021 (Southwark)
    place = resolve_place(f"lsoa:{code}", 2025)
    assert place.label == lsoas11.loc[lsoas11["lsoa_code"] == code, "lsoa_name"].iloc[0]


def test_metrics_are_the_same_place_whatever_order_its_wards_were_picked_in(tmp_path, mirror):
    store = tmp_path / "land.sqlite"
    record_metric("ward:E05013715+ward:E05013714", "Local spend share", 12.5, "2025-03-31", target=20, store=store)
    series = metric_series("ward:E05013714+ward:E05013715", store=store)
    assert series["value"].tolist() == [12.5] and series["target"].tolist() == [20.0]


def test_the_pdf_draws_a_name_with_dollar_signs_as_typed(tmp_path, monkeypatch, mirror):
    monkeypatch.setenv("ANCHORMAP_STORE", str(tmp_path / "land.sqlite"))
    record_metric("borough:E09000022", r"Spend $\nosuchcommand$ total", 3, "2025-03-02")
    profile = place_profile("borough:E09000022")
    assert r"Spend $\nosuchcommand$ total" in profile.metrics["metric"].tolist()
    out = tmp_path / "p.pdf"
    assert write_profile(profile, "pdf", out) >= 1 and out.read_bytes().startswith(b"%PDF")


def test_comparing_shows_the_change_of_both_places(mirror):
    profile = place_profile("borough:E09000023", compare="borough:E09000022")
    table = change_table(profile)
    assert set(table["Place"]) == {"Lewisham", "Lambeth"}
    assert len(table) == len(profile.change) + len(profile.compare.change)


def test_a_boundary_file_that_cannot_be_read_says_so_in_words(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text("{ not json", encoding="utf-8")
    with pytest.raises(PlaceError) as err:
        resolve_place(f"file:{bad}")
    assert "bad.geojson could not be read as a boundary file" in str(err.value)
    assert "Error" not in str(err.value)


def test_the_profile_command_lists_our_network_s_members(tmp_path, capsys, monkeypatch, mirror):
    from anchormap.cli import main

    monkeypatch.setenv("ANCHORMAP_STORE", str(tmp_path / "land.sqlite"))
    members = tmp_path / "members.csv"
    pd.DataFrame(
        {
            "name": ["Catford Library", "Lewisham Town Hall"],
            "postcode": ["SE6 4JU", "SE6 4RU"],
            "category": ["libraries", "council_civic"],
        }
    ).to_csv(members, index=False)
    out = tmp_path / "p.csv"
    assert (
        main(
            [
                "profile",
                "--place",
                "borough:E09000023",
                "--network",
                str(members),
                "--format",
                "html",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "Catford Library" in out.read_text(encoding="utf-8")


def test_a_borough_chosen_on_the_profile_narrows_the_other_pages(mirror):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("../app.py", default_timeout=240)
    at.run()
    at.switch_page("pages/5_Place_profile.py").run()
    at.selectbox(key="profile_borough").select("E09000022").run()
    assert at.header[0].value.startswith("Lambeth") and at.query_params["area"] == "borough:E09000022"
    del at.query_params["area"]  # moving by the sidebar: the place comes from the session
    at.switch_page("pages/1_Underserved_areas.py").run()
    assert not at.exception
    assert any("Showing Lambeth: 181 neighbourhoods" in m.value for m in at.markdown)
