"""The "Shared land" page run headless with streamlit's AppTest, on the real data, store in tmp."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from anchormap.data.build import load_layer
from anchormap.land.schema import UNUSED_STATUSES
from anchormap.land.store import open_store

PAGE = "pages/2_Shared_land.py"
FIXTURE = Path(__file__).parent / "fixtures" / "land" / "transparency_code_register.csv"


@pytest.fixture
def page(open_page):
    return open_page(PAGE)


def _map_overlay(at) -> str:
    comps = list(at.get("component_instance"))
    assert len(comps) == 1
    return json.loads(comps[0].proto.json_args)["feature_group"]


def test_page_shows_every_builtin_asset_and_filters(page):
    builtin = load_layer("land_builtin")
    assert page.metric[0].value == f"{len(builtin):,}"
    assert page.caption[0].value.startswith(f"Showing {len(builtin):,} of {len(builtin):,} assets")
    summary = page.dataframe[0].value
    assert summary["Assets"].iloc[-1] == len(builtin)
    text = " ".join(c.value for c in page.caption)
    assert "Open Government Licence" in text and "NHS Digital" in text and "Lewisham" in text
    overlay = _map_overlay(page)
    assert "Brownfield, available" in overlay and "Closed building" in overlay

    page.button(key="land_unused_button").click().run()
    assert not page.exception
    unused = builtin["status"].isin(UNUSED_STATUSES) | (builtin["empty_floor_area_m2"].fillna(0) > 0)
    assert page.metric[0].value == f"{int(unused.sum()):,}"

    page.multiselect(key="land_owner").set_value(["nhs"]).run()
    nhs = builtin["owner_type"].eq("nhs") & unused
    assert page.metric[0].value == f"{int(nhs.sum()):,}"
    page.select_slider(key="land_decile").set_value(2).run()
    assert not page.exception
    assert "decile 2 or more deprived" in page.caption[0].value
    shown = int(page.metric[0].value.replace(",", ""))
    assert 0 < shown < int(nhs.sum())


def test_upload_check_confirm_and_withdraw(page, tmp_path):
    store_path = tmp_path / "store" / "land.sqlite"
    page.file_uploader(key="land_file").set_value((FIXTURE.name, FIXTURE.read_bytes(), "text/csv")).run()
    page.text_input(key="land_partner_name").set_value("London Borough of Lewisham").run()
    page.button(key="land_check_button").click().run()
    assert not page.exception
    assert any("Transparency Code" in s.value for s in page.success)
    assert not store_path.exists()  # nothing stored before the officer confirms
    page.button(key="land_confirm").click().run()
    assert not page.exception
    subs = open_store(store_path).submissions()
    assert len(subs) == 1 and subs["rows_accepted"].iloc[0] == 5
    builtin = len(load_layer("land_builtin"))
    assert page.metric[0].value == f"{builtin + 5:,}"
    assert "London Borough of Lewisham" in page.multiselect(key="land_partner").options

    page.selectbox(key="land_withdraw_id").set_value(int(subs["id"].iloc[0])).run()
    page.button(key="land_withdraw").click().run()
    assert open_store(store_path).submissions()["status"].iloc[0] == "active"  # asked first
    page.button(key="land_withdraw_yes").click().run()
    assert open_store(store_path).submissions()["status"].iloc[0] == "withdrawn"
    assert page.metric[0].value == f"{builtin:,}"


def test_hostile_upload_shows_message_and_stores_nothing(page, tmp_path):
    store_path = tmp_path / "store" / "land.sqlite"
    page.file_uploader(key="land_file").set_value(("odd.csv", b"Foo,Bar\n1,2\n", "text/csv")).run()
    page.text_input(key="land_partner_name").set_value("Partner").run()
    page.button(key="land_check_button").click().run()
    assert any("not recognised" in w.value for w in page.warning)
    page.file_uploader(key="land_file").set_value(("empty.csv", b"", "text/csv")).run()
    page.button(key="land_check_button").click().run()
    assert any("empty" in e.value for e in page.error)
    assert not store_path.exists()
    html_row = b"Asset Reference,Property Name,Postcode\nH1,<img src=x onerror=alert(1)>,SE6 4JF\n"
    page.file_uploader(key="land_file").set_value(("html.csv", html_row, "text/csv")).run()
    page.button(key="land_check_button").click().run()
    page.button(key="land_confirm").click().run()
    assert not page.exception
    before = hashlib.sha256(store_path.read_bytes()).hexdigest()
    overlay = _map_overlay(page)
    # the name travels as escaped JSON data (shown with textContent), never as markup
    assert "<img src=x" not in overlay and "\\u003cimg src=x onerror=alert(1)\\u003e" in overlay
    assert "<img src=x onerror=alert(1)>" in set(page.dataframe[1].value["Name"])
    page.file_uploader(key="land_file").set_value(
        ("far.csv", b"Asset Reference,Property Name,Easting,Northing\nF1,Far,330000,104000\n", "text/csv")
    ).run()
    page.button(key="land_check_button").click().run()
    assert not page.exception
    reports = [df.value for df in page.dataframe if "Problem" in df.value.columns]
    assert reports and reports[0]["Problem"].str.contains("outside London").any()
    assert "None" not in reports[0].to_numpy() and "nan" not in reports[0].to_numpy()  # words in every cell
    assert not any(b.key == "land_confirm" for b in page.button)
    assert hashlib.sha256(store_path.read_bytes()).hexdigest() == before
