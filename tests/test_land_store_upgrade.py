"""Today's SQLite stores (made before migrations) are upgraded in place, with their data, when first opened."""

from __future__ import annotations

import sqlite3

import pytest

from anchormap.access.people import Person
from anchormap.land.ingest import read_upload
from anchormap.land.store import open_store
from anchormap.land.store_migrations import LATEST
from anchormap.progress.metrics import metric_series

LOCAL = Person.local_user("cli")

# The DDL of the store before issue 10 (anchormap/land/store.py at 00e9c9d), copied as it was.
OLD_DDL = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partner TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT,
    register_kind TEXT,
    rows_accepted INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'withdrawn')),
    withdrawn_at TEXT
);
CREATE TABLE IF NOT EXISTS assets (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    row_number INTEGER,
    asset_id TEXT, name TEXT, address TEXT, postcode TEXT, uprn TEXT, owner_organisation TEXT, owner_type TEXT,
    tenure TEXT, holding_use TEXT, site_area_ha REAL, floor_area_m2 REAL, status TEXT, empty_floor_area_m2 REAL,
    under_used_floor_area_m2 REAL, land_not_delivering_services_ha REAL, source TEXT, source_date TEXT,
    partner TEXT, easting REAL, northing REAL, location_method TEXT, borough_code TEXT, on_map INTEGER,
    not_on_map_reason TEXT{extra},
    PRIMARY KEY (submission_id, asset_id)
);
CREATE TABLE IF NOT EXISTS issues (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    row INTEGER, column_name TEXT, problem TEXT, action TEXT, severity TEXT
);
CREATE INDEX IF NOT EXISTS assets_uprn ON assets(uprn);
CREATE TABLE IF NOT EXISTS metrics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    place_text TEXT NOT NULL,
    place_label TEXT NOT NULL,
    metric TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT,
    date TEXT NOT NULL,
    target REAL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
"""
SHA = "ab" * 32


def _old_store(path, *, with_extra: bool) -> None:
    con = sqlite3.connect(path)
    con.executescript(OLD_DDL.format(extra=", extra TEXT" if with_extra else ""))
    subs = [
        (1, "London Borough of Lewisham", "2026-11-30T10:00:00+00:00", "assets.csv", SHA, "transparency_code", 2, 1,
         "active", None),
        (2, "Lewisham Homes", "2026-11-30T11:00:00+00:00", "homes.csv", "cd" * 32, "", 1, 0, "withdrawn",
         "2026-12-01T09:00:00+00:00"),
        (3, "London Borough of Lewisham", "2026-12-01T12:00:00+00:00", "assets.csv", SHA, "transparency_code", 2, 1,
         "active", None),
    ]  # fmt: skip
    con.executemany("INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", subs)
    cols = (
        "submission_id, row_number, asset_id, name, postcode, owner_type, site_area_ha, status, source, partner, "
        "easting, northing, location_method, on_map"
    )
    rows = [
        (1, 2, "LBL-1", "Laurence House", "SE6 4RU", "council", 0.45, "occupied", "upload:1",
         "London Borough of Lewisham", 537684.0, 173666.0, "easting_northing", 1),
        (1, 3, "LBL-2", "Wearside Depot", "SE13 7EZ", "council", 1.1, "surplus", "upload:1",
         "London Borough of Lewisham", 537900.0, 175300.0, "postcode", 1),
        (2, 2, "H-1", "Old Office", None, "other_public", None, "vacant", "upload:2", "Lewisham Homes", 537000.0,
         174000.0, "postcode", 1),
        (3, 2, "LBL-1", "Laurence House", "SE6 4RU", "council", 0.45, "occupied", "upload:3",
         "London Borough of Lewisham", 537684.0, 173666.0, "easting_northing", 1),
        (3, 3, "LBL-2", "Wearside Depot", "SE13 7EZ", "council", 1.1, "surplus", "upload:3",
         "London Borough of Lewisham", 537900.0, 175300.0, "postcode", 1),
    ]  # fmt: skip
    con.executemany(f"INSERT INTO assets ({cols}) VALUES ({', '.join('?' * 14)})", rows)
    con.execute("INSERT INTO issues VALUES (1, 4, 'Post Code', 'not a postcode', 'row rejected', 'error')")
    con.execute(
        "INSERT INTO metrics (place_text, place_label, metric, value, unit, date, target, recorded_at, recorded_by) "
        "VALUES ('borough:E09000023', 'Lewisham', 'Local people hired', 120, 'people', '2025-03-31', 150, "
        "'2025-04-01T09:00:00+00:00', 'the anchormap command line')"
    )
    con.commit()
    con.close()


@pytest.mark.parametrize("with_extra", [False, True])
def test_an_old_store_is_upgraded_in_place_with_its_data(tmp_path, with_extra):
    path = tmp_path / "land.sqlite"
    _old_store(path, with_extra=with_extra)
    st = open_store(path, read_only=False)

    subs = st.submissions().set_index("id")
    assert sorted(subs.index) == [1, 2, 3]
    assert subs.loc[1, "status"] == "active" and subs.loc[2, "status"] == "withdrawn"
    assert subs.loc[2, "withdrawn_at"] == "2026-12-01T09:00:00+00:00"
    # the same file stored twice (issue 10's double count): the later copy is withdrawn, and the audit says why
    assert subs.loc[3, "status"] == "withdrawn"
    log = st.audit(by=LOCAL)
    assert log["action"].tolist() == ["withdraw"] and int(log["submission_id"].iloc[0]) == 3
    assert "same file as submission 1" in log["detail"].iloc[0]

    assets = st.assets().set_index("asset_id")
    assert list(assets.index) == ["upload:1:LBL-1", "upload:1:LBL-2"]
    house = assets.loc["upload:1:LBL-1"]
    assert (house["name"], house["postcode"], house["status"], house["site_area_ha"]) == (
        "Laurence House",
        "SE6 4RU",
        "occupied",
        0.45,
    )
    assert (house["easting"], house["northing"]) == (537684.0, 173666.0) and bool(house["on_map"])
    assert 51.4 < house["lat"] < 51.5 and house["geometry"].x == 537684.0
    assert assets["extra"].isna().all()
    assert len(st.assets(include_withdrawn=True)) == 5
    assert st.report(1)[["row", "column", "problem"]].values.tolist() == [[4, "Post Code", "not a postcode"]]
    assert metric_series("borough:E09000023", store=path)["value"].tolist() == [120.0]

    con = sqlite3.connect(path)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == LATEST
    cols = [r[1] for r in con.execute("PRAGMA table_info(submissions)")]
    assert cols[-2:] == ["replaced_by", "uploaded_by"]
    con.close()

    # the upgraded store takes new writes, and refuses the same file again
    r = read_upload(b"Asset ID,Property name,Postcode\nN1,New Hall,SE6 4RU\n", "new.csv", "London Borough of Lewisham")
    sid = st.add_submission(partner=r.partner, file_name=r.file_name, assets=r.assets, rows_rejected=0, by=LOCAL)
    assert sid == 4 and len(st.assets()) == 3


def test_opening_an_upgraded_store_again_changes_nothing(tmp_path):
    path = tmp_path / "land.sqlite"
    _old_store(path, with_extra=True)
    open_store(path).submissions()
    before = path.read_bytes()
    again = open_store(path)
    assert len(again.submissions()) == 3 and again.stamp() == "1:1"
    assert path.read_bytes() == before
