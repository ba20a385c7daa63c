"""The land store: transactional imports, withdrawal, location, duplicates across partners."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

import anchormap.land.store_sql as store_mod
from anchormap.access.people import Person
from anchormap.data.sources import resolve
from anchormap.land.assets import all_assets
from anchormap.land.duplicates import find_duplicates, name_similarity
from anchormap.land.ingest import read_upload
from anchormap.land.store import StoreError, default_store_path, open_store

FIXTURE = Path(__file__).parent / "fixtures" / "land" / "transparency_code_register.csv"
PARTNER = "London Borough of Lewisham"
LOCAL = Person.local_user("cli")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def upload():
    return read_upload(FIXTURE.read_bytes(), FIXTURE.name, PARTNER)


def _add(st, r, partner=PARTNER):
    return st.add_submission(
        partner=partner,
        file_name=r.file_name,
        assets=r.assets,
        rows_rejected=r.rows_rejected,
        report=r.report(),
        register_kind=r.register_kind,
        file_sha256=r.sha256,
        by=LOCAL,
    )


def _explode_on_call(monkeypatch, n: int):
    real = store_mod._asset_record
    calls = {"n": 0}

    def flaky(sid, row):
        calls["n"] += 1
        if calls["n"] == n:
            raise RuntimeError("disk unplugged (injected)")
        return real(sid, row)

    monkeypatch.setattr(store_mod, "_asset_record", flaky)
    return calls


def test_failure_mid_import_leaves_store_byte_for_byte(tmp_path, upload, monkeypatch):
    st = open_store(tmp_path / "land.sqlite")
    _add(st, upload)
    before = sha(st.path)
    other = read_upload(FIXTURE.read_bytes() + b"\n", FIXTURE.name, "Lewisham and Greenwich NHS Trust")
    calls = _explode_on_call(monkeypatch, 3)  # the submission row written, then the failure on the third asset
    with pytest.raises(RuntimeError, match="injected"):
        _add(st, other, partner="Lewisham and Greenwich NHS Trust")
    assert calls["n"] == 3
    assert sha(st.path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["land.sqlite"]  # no journal left behind
    assert len(st.submissions()) == 1 and len(st.assets()) == upload.rows_accepted


def test_failure_on_a_new_store_leaves_no_file(tmp_path, upload, monkeypatch):
    st = open_store(tmp_path / "new" / "land.sqlite")
    _explode_on_call(monkeypatch, 2)
    with pytest.raises(RuntimeError):
        _add(st, upload)
    assert not st.path.exists()


def test_submission_record_and_report(tmp_path, upload):
    st = open_store(tmp_path / "land.sqlite")
    sid = _add(st, upload)
    subs = st.submissions()
    row = subs.iloc[0]
    assert (row["id"], row["partner"], row["file_name"], row["status"]) == (sid, PARTNER, FIXTURE.name, "active")
    assert row["rows_accepted"] == upload.rows_accepted and row["rows_rejected"] == 0
    assert row["register_kind"] == "transparency_code" and len(row["file_sha256"]) == 64
    assert len(st.report(sid)) == len(upload.report())


def test_withdraw(tmp_path, upload):
    st = open_store(tmp_path / "land.sqlite")
    first = _add(st, upload)
    other = read_upload(FIXTURE.read_bytes() + b"\n", FIXTURE.name, "Lewisham Homes")  # same rows, another file
    second = _add(st, other, partner="Lewisham Homes")
    st.withdraw(first, by=LOCAL)
    assert set(st.assets()["source"]) == {f"upload:{second}"}
    assert len(st.assets(include_withdrawn=True)) == 2 * upload.rows_accepted
    subs = st.submissions().set_index("id")
    assert subs.loc[first, "status"] == "withdrawn" and pd.notna(subs.loc[first, "withdrawn_at"])
    with pytest.raises(StoreError, match="already withdrawn"):
        st.withdraw(first, by=LOCAL)
    with pytest.raises(StoreError, match="no submission 99"):
        st.withdraw(99, by=LOCAL)


def test_empty_store_reads_without_creating_a_file(tmp_path):
    st = open_store(tmp_path / "none.sqlite")
    assert st.submissions().empty and st.assets().empty
    assert not st.path.exists()


def test_store_location_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ANCHORMAP_STORE", f"sqlite:///{tmp_path}/x.sqlite")
    assert default_store_path() == tmp_path / "x.sqlite"
    monkeypatch.setenv("ANCHORMAP_STORE", "postgresql://gis:secret@server/anchormap")
    pg = open_store()  # nothing is connected until it is used
    assert pg.where == "postgresql://gis:***@server/anchormap" and "secret" not in repr(pg)
    monkeypatch.delenv("ANCHORMAP_STORE")
    assert default_store_path().parts[-2:] == ("store", "land.sqlite")


def test_not_a_database_gives_a_clear_message(tmp_path):
    bad = tmp_path / "land.sqlite"
    bad.write_text("this is not sqlite")
    with pytest.raises(StoreError, match="cannot be used"):
        open_store(bad).submissions()


def test_duplicates_across_partners_flagged_never_merged(tmp_path):
    libs = pd.read_csv(resolve("libraries").path, dtype={"uprn": str})
    closed = libs[(libs["operation_23"] == "Closed") & libs["uprn"].notna()].iloc[0]
    fire = pd.read_csv(resolve("fire_stations").path).iloc[-1]  # Woolwich, closed 2014
    text = (
        "Asset Reference,Property Name,UPRN,Easting,Northing\n"
        f"R1,{closed['name']} (former),{closed['uprn']},{closed['easting']},{closed['northing']}\n"
        f"R2,Former {fire['Station_Name']} Fire Station,,{fire['X (easting)'] + 10},{fire['Y (northing)']}\n"
        f"R3,Unrelated depot,,{fire['X (easting)'] + 5},{fire['Y (northing)']}\n"
    )
    r = read_upload(text.encode(), "partner.csv", "London Estates Partnership")
    st = open_store(tmp_path / "land.sqlite")
    sid = _add(st, r, partner="London Estates Partnership")
    everything = all_assets(st)
    mine = everything[everything["source"] == f"upload:{sid}"].set_index("name")
    assert len(mine) == 3  # nothing merged or dropped
    assert mine.loc[f"{closed['name']} (former)", "possible_duplicates"].startswith("libraries:")
    assert (
        mine.loc[f"Former {fire['Station_Name']} Fire Station", "possible_duplicates"]
        == f"fire_stations:{fire['Station_Name']}"
    )
    assert pd.isna(mine.loc["Unrelated depot", "possible_duplicates"])
    pairs = find_duplicates(everything)
    reasons = set(pairs["reason"])
    assert f"same UPRN {closed['uprn']}" in reasons and "within 25 m with similar names" in reasons
    # the same partner listing two near-identical rows is not a cross-partner duplicate
    same = find_duplicates(everything[everything["source"] == "brownfield_lewisham_2019"])
    assert same.empty
    assert not find_duplicates(
        everything[everything["source"] == "brownfield_lewisham_2019"], across_partners_only=False
    ).empty  # BR008 / CP004, 219 Stanstead Road
    assert name_similarity("Woolwich fire station", "Former Woolwich Fire Station") == 1.0
