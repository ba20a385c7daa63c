"""Pop-ups show names, kinds, dates and addresses people understand: no ids, no snake_case, no "None".

Every kind of marker layer a page draws (built-in anchors of every category, land of every status,
our network, the searched place and the land near it) is built here from the real data, and every
row its pop-up would show is read as the map script reads it (``fields`` x ``records``).
"""

from __future__ import annotations

import datetime
import json
import re

import pandas as pd
import pytest

from anchormap.categories import CATEGORIES
from anchormap.data.build import load_layer
from anchormap.data.fact_dates import OLD_WORDS, source_words
from anchormap.land.assets import all_assets
from anchormap.maps import overlay as mapping
from anchormap.maps.land_map import add_land_markers
from anchormap.network.lists import network_from_members

BAD = re.compile(r"_|\bNone\b|\bnan\b|\b[Ii]d\b|Source record")


def popup_rows(layer: dict, records: list[dict]) -> list[list[tuple[str, str]]]:
    """What each record's pop-up shows, as (label, value) rows, as anchormap.js builds it."""
    out = []
    for rec in records:
        rows = [("Name", str(rec.get("name", "(no name)")))]
        for key, label in layer["fields"]:
            value = rec.get(key)
            if key == "name" or value is None or value == "":
                continue
            rows.append((label, str(value)))
        out.append(rows)
    return out


def public_records(layer: dict) -> list[dict]:
    from anchormap.maps.assets import published_path

    records = []
    for url in layer["urls"]:
        records += json.loads(published_path(url).read_text(encoding="utf-8"))["records"]
    return records


def assert_words(rows_per_popup: list[list[tuple[str, str]]]) -> None:
    assert rows_per_popup
    for rows in rows_per_popup:
        for label, value in rows:
            assert not BAD.search(label), (label, rows)
            assert not BAD.search(value) or label in ("Name", "Address", "Type"), (label, value, rows)


@pytest.fixture(scope="module")
def anchors(mirror):
    return load_layer("anchors")


def test_every_anchor_kind_pops_up_in_words_with_its_source_and_date(anchors, tmp_path, monkeypatch):
    monkeypatch.setenv("ANCHORMAP_STATIC_DIR", str(tmp_path / "static"))
    spec = json.loads(mapping.Overlay().anchors(anchors.copy(), public=True).spec_json())  # published afresh
    layer = spec["marker_layers"][0]
    records = public_records(layer)
    assert {r["category"] for r in records} == set(anchors["category"])  # every kind is published
    popups = popup_rows(layer, records)
    assert_words(popups)
    labels = {label for rows in popups for label, _ in rows}
    assert {"Kind", "Status", "Source and date"} <= labels
    assert not labels & {"AnchorMap id", "Source record", "Source dataset"}
    # each site names its own dataset with that dataset's date, from the manifest
    for rec, rows in zip(records[:: max(1, len(records) // 500)], popups[:: max(1, len(records) // 500)], strict=True):
        src = anchors.loc[anchors["name"] == rec["name"], "source"]
        assert dict(rows)["Source and date"] in {source_words(s) for s in src}
    # the ids are not even sent to the browser
    assert not any("anchor_id" in r or "source_record_id" in r for r in records)
    assert {CATEGORIES[r["category"]].label for r in records} == {dict(p)["Kind"] for p in popups}


def test_new_columns_are_shown_in_words_when_present_and_never_required(anchors):
    rows = anchors[anchors["source"] == "museums"].head(2).copy()
    rows["position_check"] = [
        "",
        "4.1 km from its postcode's point: placed at the postcode (the source's point is wrong)",
    ]
    rows["sector"] = ["Charity", "Local authority"]
    rows["edition"] = "28 July 2025"
    rows["edition_date"] = [datetime.date(2025, 7, 28), datetime.date(2017, 3, 1)]
    spec = json.loads(mapping.Overlay().anchors(rows, layer_id="museums").spec_json())
    layer = spec["marker_layers"][0]
    popups = popup_rows(layer, layer["records"])
    assert_words(popups)
    first, second = (dict(p) for p in popups)
    assert "Position" not in first  # nothing to say: no row
    assert second["Position"].startswith("4.1 km from its postcode")
    assert (first["Sector"], second["Sector"]) == ("Charity", "Local authority")
    assert first["Source and date"] == source_words("museums")
    assert second["Source and date"].endswith("this record 1 March 2017")  # the row's own date, when it differs
    assert not any(k in r for r in layer["records"] for k in ("edition_date", "position_check"))


def test_every_land_status_pops_up_in_words_with_its_source_and_date(mirror):
    land = all_assets()
    spec = json.loads(add_land_markers(mapping.Overlay(), land).spec_json())
    statuses = {layer["id"] for layer in spec["marker_layers"]}
    on_map = land[land["on_map"].astype(bool)]
    assert len(statuses) == on_map["status"].nunique() >= 4  # one layer per status on the map
    for layer in spec["marker_layers"]:
        popups = popup_rows(layer, layer["records"])
        assert_words(popups)
        for rows in popups:
            shown = dict(rows)
            assert shown["Source and date"], rows  # every asset says where it comes from and when
    eric = [dict(p) for layer in spec["marker_layers"] for p in popup_rows(layer, layer["records"])]
    estates = [p for p in eric if p["Source and date"].startswith("NHS estates return, 2016/17")]
    assert estates and all(OLD_WORDS in p["Source and date"] for p in estates)  # 2016/17: marked old
    # possible duplicates are named, not listed by id
    dupes = [p["Possibly the same place as"] for p in eric if "Possibly the same place as" in p]
    ids = set(land["asset_id"])
    assert dupes and not any(part.split(" (")[0] in ids for d in dupes for part in d.split("; "))


def test_our_network_and_the_searched_place_pop_up_in_words(anchors):
    orgs = sorted(anchors["organisation"].dropna().unique())
    trust = next(o for o in orgs if "NHS" in o and "Trust" in o)
    net = network_from_members(anchors, [trust])
    spec = json.loads(
        mapping.Overlay()
        .anchors(net, layer_id="network", label="Our network", shape="pin", colour="#FFFFFF")
        .spec_json()
    )
    layer = spec["marker_layers"][0]
    assert_words(popup_rows(layer, layer["records"]))
    searched = pd.DataFrame([{"name": "You searched: E14 2DG", "lat": 51.5, "lon": -0.01}])
    spec = json.loads(mapping.Overlay().anchors(searched, layer_id="searched", shape="pin").spec_json())
    layer = spec["marker_layers"][0]
    assert popup_rows(layer, layer["records"]) == [[("Name", "You searched: E14 2DG")]]
