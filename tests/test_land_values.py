"""Status values and extra columns of uploaded registers, on the real registers in the mirror
(NCDR trust locations, the Lewisham brownfield register, the Transparency Code fixture) and small
hand-made files for the edge cases (Yes/No columns, vacant buildings, hostile headers).

What is checked: "Yes/No/Partly" read by the column's header; values not understood reported once
each (value, how many rows) and then mappable; a partial mapping adds to what was recognised; a
vacant building's floor area counted as empty unless the register says otherwise; columns with
no field kept as extra attributes through the store, the map's pop-ups (escaped) and exports;
an old store without the extra column upgraded in place with its rows intact.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from anchormap.access.people import Person
from anchormap.data.sources import resolve
from anchormap.land.assets import all_assets, export_assets
from anchormap.land.ingest import UploadError, parse_status_map, read_upload
from anchormap.land.schema import EXTRA_COLUMN, extra_attributes, status_from_value
from anchormap.land.store import SQLiteLandStore, open_store
from anchormap.maps import overlay as mapping
from anchormap.maps.land_map import add_land_markers

PARTNER = "London Borough of Lewisham"
FIXTURE = Path(__file__).parent / "fixtures" / "land" / "transparency_code_register.csv"


def ncdr() -> tuple[bytes, str, pd.DataFrame]:
    path = resolve("ncdr_locations").path
    return path.read_bytes(), path.name, pd.read_csv(path, dtype=str, keep_default_na=False)


def problems(result, severity: str | None = None) -> list[str]:
    rep = result.report()
    return list(rep["problem"] if severity is None else rep.loc[rep["severity"] == severity, "problem"])


# --------------------------------------------------------------------------- Yes / No by the header


@pytest.mark.parametrize(
    ("header", "value", "status"),
    [
        ("Occupied", "Yes", "occupied"),
        ("Occupied", "No", "vacant"),
        ("Occupied", "Partly", "under_used"),
        ("Occupied?", "Y", "occupied"),
        ("Vacant", "Yes", "vacant"),
        ("Vacant", "No", "occupied"),
        ("Vacant (Y/N)", "N", "occupied"),
        ("Vacant (Y/N)", "Part", "under_used"),
        ("In use", "No", "vacant"),
        ("Surplus", "Yes", "surplus"),
        ("Not in use", "Yes", "vacant"),
        # words other than yes/no are read as words, whatever the header
        ("Occupied", "Void", "vacant"),
        ("Vacant", "Let", "occupied"),
        # a header that does not say one thing gives Yes no meaning
        ("Status", "Yes", None),
        ("Occupied or vacant", "Yes", None),
    ],
)
def test_yes_no_means_what_the_header_says(header, value, status):
    assert status_from_value(value, header) == status


def test_an_occupied_column_and_a_vacant_column_read_oppositely():
    rows = "A1,Hall,SE6 4RU,{}\nA2,Depot,SE13 6LG,{}\nA3,Library,SE23 3YJ,{}\n"
    for header, expected in [
        ("Occupied", ["occupied", "vacant", "under_used"]),
        ("Vacant", ["vacant", "occupied", "under_used"]),
    ]:
        text = f"Asset Ref,Site Name,Postcode,{header}\n" + rows.format("Yes", "No", "Partly")
        r = read_upload(text.encode(), "yes_no.csv", PARTNER)
        assert r.mapping["status"] == header, r.mapping
        assert list(r.assets["status"]) == expected
        assert r.unknown_values == {}


# --------------------------------------------------------------------------- values not understood


def test_unknown_status_values_are_reported_once_with_their_rows_then_mapped():
    """The real NCDR list says "Active"/"Inactive" (the organisation's record, not occupancy):
    not understood, so each is reported once with its row count, and a person can map it."""
    data, name, raw = ncdr()
    r = read_upload(data, name, "NHS England")
    counts = raw["Status"].value_counts()
    assert r.unknown_values == {v: int(counts[v]) for v in raw["Status"].drop_duplicates()}
    warnings = [p for p in problems(r, "warning") if "not understood" in p]
    assert len(warnings) == len(counts)
    assert any(f"'Active' not understood ({counts['Active']} row(s)" in w for w in warnings)
    assert "Status values not understood" in r.summary()
    assert set(r.assets["status"]) == {"unknown"}

    mapped = read_upload(data, name, "NHS England", status_map={"active": "occupied", "Inactive": "closed building"})
    assert mapped.unknown_values == {} and not [p for p in problems(mapped) if "not understood" in p]
    by_row = raw.set_index(raw.index + 2)["Status"]  # file rows: header is row 1
    got = mapped.assets.set_index("row_number")["status"]
    assert (got[by_row[got.index] == "Active"] == "occupied").all()
    assert (got[by_row[got.index] == "Inactive"] == "closed_building").all()


def test_a_status_map_for_a_value_no_row_has_is_noted():
    data, name, _ = ncdr()
    r = read_upload(data, name, "NHS England", status_map={"Mothballed": "vacant"})
    assert "status mapping 'Mothballed': no row has that value" in problems(r, "note")


@pytest.mark.parametrize("pairs", [["Mothballed"], ["Mothballed=asleep"], ["=vacant"]])
def test_bad_status_maps_are_refused_with_a_message(pairs):
    with pytest.raises(UploadError, match="Status mapping"):
        parse_status_map(pairs)


# --------------------------------------------------------------------------- partial mapping


def test_a_partial_mapping_adds_to_what_was_recognised():
    data, name, raw = ncdr()
    plain = read_upload(data, name, "NHS England")
    assert plain.mapping["name"] == "Name" and plain.mapping["postcode"] == "PostCode"
    assert "Latitude_1m" in plain.extra_columns
    r = read_upload(data, name, "NHS England", mapping={"lat": "Latitude_1m", "lon": "Longitude_1m"})
    assert r.mapping == {**plain.mapping, "lat": "Latitude_1m", "lon": "Longitude_1m"}
    assert "Latitude_1m" not in r.extra_columns
    by_coords = r.assets["location_method"] == "source coordinates (WGS84)"
    assert (
        by_coords.sum() > len(r.assets) / 2
        and not (plain.assets["location_method"] == "source coordinates (WGS84)").any()
    )
    rep = r.report()
    outside = set(
        rep.loc[(rep["column"] == "Latitude_1m") & rep["problem"].str.contains("outside Greater London"), "row"]
    )
    assert set(r.assets.loc[~by_coords, "row_number"]) <= outside  # the others' coordinates lie outside London
    by_row = raw.set_index(raw.index + 2)
    got = r.assets.set_index("row_number")
    assert list(got["name"]) == list(by_row.loc[got.index, "Name"])  # the recognised name is kept

    # a column the person maps to one field is no longer used for another
    moved = read_upload(data, name, "NHS England", mapping={"name": "AddrLn1"})
    assert moved.mapping["name"] == "AddrLn1" and "address" not in moved.mapping
    assert "Name" in moved.extra_columns


# --------------------------------------------------------------------------- vacant floor area


def test_a_vacant_building_counts_its_floor_area_as_empty_unless_the_register_says():
    text = (
        "Asset Ref,Site Name,Postcode,Status,GIA (m2),Empty floor area (m2)\n"
        "V1,Old library,SE6 4RU,Vacant,500,\n"
        "V2,Old depot,SE13 6LG,Vacant,800,0\n"
        "O1,Town hall,SE23 3YJ,Occupied,900,\n"
        "V3,Empty plot,SE6 4JF,Vacant,,\n"
    )
    r = read_upload(text.encode(), "vacant.csv", PARTNER)
    a = r.assets.set_index("asset_id")
    assert a.loc["V1", "empty_floor_area_m2"] == 500.0  # the whole floor area
    assert a.loc["V2", "empty_floor_area_m2"] == 0.0  # the register says: it wins
    assert pd.isna(a.loc["O1", "empty_floor_area_m2"]) and pd.isna(a.loc["V3", "empty_floor_area_m2"])
    notes = r.report()[r.report()["severity"] == "note"]
    vacant_notes = notes[notes["problem"].str.startswith("vacant, with a floor area")]
    assert list(vacant_notes["row"]) == [2] and list(vacant_notes["column"]) == ["Status"]


def test_vacant_rows_of_the_transparency_code_fixture_without_floor_area_stay_empty():
    r = read_upload(FIXTURE.read_bytes(), FIXTURE.name, PARTNER)
    vacant = r.assets[r.assets["status"] == "vacant"]
    assert len(vacant)
    filled = vacant["floor_area_m2"].notna()
    assert (vacant.loc[filled, "empty_floor_area_m2"] == vacant.loc[filled, "floor_area_m2"]).all()
    assert vacant.loc[~filled, "empty_floor_area_m2"].isna().all()


# --------------------------------------------------------------------------- extra attributes


def lewisham() -> tuple[bytes, str, pd.DataFrame]:
    path = resolve("brownfield_lewisham_2019").path
    return path.read_bytes(), path.name, pd.read_csv(path, dtype=str, keep_default_na=False)


def test_columns_with_no_field_are_kept_through_the_store_pop_ups_and_exports(tmp_path):
    data, name, raw = lewisham()
    r = read_upload(data, name, PARTNER)
    assert r.register_kind == "brownfield_register"
    taken = {c for f, c in r.mapping.items() if f != "end_date"}
    assert r.extra_columns == [c for c in raw.columns if c not in taken]
    assert {"PlanningStatus", "PermissionType", "EndDate"} <= set(r.extra_columns)
    note = [p for p in problems(r, "note") if "with no field" in p]
    assert note == [f"{len(r.extra_columns)} column(s) with no field: {', '.join(r.extra_columns)}"]

    store = open_store(tmp_path / "land.sqlite")
    sid = store.add_submission(
        partner=PARTNER, file_name=name, assets=r.assets, rows_rejected=r.rows_rejected, by=Person.local_user()
    )
    stored = store.assets()
    assert len(stored) == r.rows_accepted
    raw_by_ref = raw.set_index("SiteReference")
    for row in stored.itertuples():
        ref = row.asset_id.removeprefix(f"upload:{sid}:")
        extra = extra_attributes(getattr(row, EXTRA_COLUMN))
        expected = {c: raw_by_ref.loc[ref, c].strip() for c in r.extra_columns if raw_by_ref.loc[ref, c].strip()}
        assert extra == expected, ref

    spec = json.loads(add_land_markers(mapping.Overlay(), all_assets(store, include_builtin=False)).spec_json())
    labels = {c: label for layer in spec["marker_layers"] for c, label in layer["fields"]}
    assert labels["extra:PlanningStatus"] == "PlanningStatus"  # the original header names the row
    records = [rec for layer in spec["marker_layers"] for rec in layer["records"]]
    # pop-ups carry no ids: each site's planning status reaches its pop-up, matched by name
    assert len(records) == len(stored)
    by_name = {}
    for row in stored.itertuples():
        by_name.setdefault(row.name, set()).add(extra_attributes(getattr(row, EXTRA_COLUMN)).get("PlanningStatus"))
    for rec in records:
        assert rec.get("extra:PlanningStatus") in by_name[rec["name"]], rec["name"]
    assert sum("extra:PlanningStatus" in rec for rec in records) > len(records) / 2

    out = tmp_path / "land.geojson"
    export_assets("geojson", out, store=store)
    back = gpd.read_file(out)
    mine = back[back["source"] == f"upload:{sid}"]
    assert len(mine) == len(stored)
    assert mine[EXTRA_COLUMN].map(lambda t: extra_attributes(t)["PlanningStatus"]).tolist() == [
        extra_attributes(x)["PlanningStatus"] for x in stored[EXTRA_COLUMN]
    ]
    features = [f for f in json.loads(out.read_text())["features"] if f["properties"]["source"] == f"upload:{sid}"]
    assert all(isinstance(f["properties"][EXTRA_COLUMN], dict) for f in features)  # a JSON object, not text


def test_hostile_extra_headers_and_values_are_shown_as_text():
    text = 'Asset Ref,Site Name,Postcode,<b>Notes</b>,Vacant From\nH1,Hall,SE6 4RU,<img src=x onerror=alert(1)>,"=HYPERLINK(""x"")"\n'
    r = read_upload(text.encode(), "hostile.csv", PARTNER)
    assert r.extra_columns == ["<b>Notes</b>", "Vacant From"]
    extra = extra_attributes(r.assets.loc[0, EXTRA_COLUMN])
    assert extra == {"<b>Notes</b>": "<img src=x onerror=alert(1)>", "Vacant From": '=HYPERLINK("x")'}
    assert any("HTML" in p for p in problems(r, "warning")) and any("formula" in p for p in problems(r, "warning"))
    spec_text = add_land_markers(mapping.Overlay(), r.assets).spec_json()
    assert "<img" not in spec_text and "<b>" not in spec_text
    spec = json.loads(spec_text)
    layer = spec["marker_layers"][0]
    assert dict(layer["fields"])["extra:<b>Notes</b>"] == "<b>Notes</b>"  # put in with textContent
    assert layer["records"][0]["extra:<b>Notes</b>"] == "<img src=x onerror=alert(1)>"


# --------------------------------------------------------------------------- old stores


def test_an_old_store_without_the_extra_column_is_upgraded_in_place_with_its_rows(tmp_path):
    path = tmp_path / "old.sqlite"
    r = read_upload(FIXTURE.read_bytes(), FIXTURE.name, PARTNER)
    store = SQLiteLandStore(path)
    store.add_submission(
        partner=PARTNER,
        file_name=FIXTURE.name,
        assets=r.assets,
        rows_rejected=0,
        report=r.report(),
        by=Person.local_user(),
    )
    before = store.assets().drop(columns=[EXTRA_COLUMN])
    # the file as the store wrote it before extra attributes: no such column
    con = sqlite3.connect(path)
    con.execute(f"ALTER TABLE assets DROP COLUMN {EXTRA_COLUMN}")
    con.commit()
    assert EXTRA_COLUMN not in {row[1] for row in con.execute("PRAGMA table_info(assets)")}
    old_rows = con.execute("SELECT * FROM assets ORDER BY row_number").fetchall()
    con.close()

    again = open_store(path)
    after = again.assets()
    pd.testing.assert_frame_equal(after.drop(columns=[EXTRA_COLUMN]), before)
    assert after[EXTRA_COLUMN].isna().all()
    con = sqlite3.connect(path)
    cols = [row[1] for row in con.execute("PRAGMA table_info(assets)")]
    assert cols[-1] == EXTRA_COLUMN
    new_rows = con.execute("SELECT * FROM assets ORDER BY row_number").fetchall()
    con.close()
    assert [row[:-1] for row in new_rows] == old_rows and all(row[-1] is None for row in new_rows)
    assert len(again.report(1)) == len(r.report())

    hostile = read_upload(b"Asset Ref,Site Name,Postcode,Notes\nN1,Hall,SE6 4RU,roof leaks\n", "notes.csv", PARTNER)
    sid = again.add_submission(
        partner=PARTNER, file_name="notes.csv", assets=hostile.assets, rows_rejected=0, by=Person.local_user()
    )
    latest = again.assets()
    assert extra_attributes(latest.loc[latest["submission_id"] == sid, EXTRA_COLUMN].iloc[0]) == {"Notes": "roof leaks"}


def test_an_empty_floor_area_in_square_feet_is_the_registers_own_figure():
    """A register that gives vacant floor space in sq ft: converted to m², and it wins over the
    whole-floor-area rule (0 sq ft empty stays 0 m², not the building's 929 m²)."""
    text = (
        "Asset Ref,Site Name,Postcode,Status,Floor area (sq ft),Vacant floor area (sq ft)\n"
        "B1,Old depot,SE6 4RU,Vacant,10000,0\n"
        "B2,Library,SE13 6LG,Vacant,10000,2500\n"
        "B3,Hall,SE23 3YJ,Vacant,10000,\n"
    )
    r = read_upload(text.encode(), "sqft.csv", PARTNER)
    assert r.mapping["empty_floor_area_sqft"] == "Vacant floor area (sq ft)"
    empty = r.assets.set_index("name")["empty_floor_area_m2"].round(1).to_dict()
    assert empty == {"Old depot": 0.0, "Library": 232.3, "Hall": 929.0}
