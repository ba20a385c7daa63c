"""The header table: real header spellings, the field each must be recognised as (or none), and
where each was seen (tests/data/header_spellings.csv). Every row is one test.

Rows with no field are headers that must NOT be taken for a field (a planning status is not an
occupancy status, a percentage of floor area is not square metres, "Notes" is not a name).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from anchormap.data.sources import resolve
from anchormap.land.ingest import ALIASES, field_of_header, read_upload
from anchormap.land.ingest.headers import recognise_columns

TABLE = Path(__file__).parent / "data" / "header_spellings.csv"
ROWS = list(csv.DictReader(TABLE.open(encoding="utf-8")))


def test_the_table_is_well_formed():
    assert len(ROWS) >= 80
    assert all(r["source"].strip() for r in ROWS), "every spelling says where it was seen"
    assert {r["field"] for r in ROWS if r["field"]} <= set(ALIASES)
    assert sum(not r["field"] for r in ROWS) >= 20, "negative rows: headers that are no field"
    spellings = [r["spelling"] for r in ROWS]
    assert len(spellings) == len(set(spellings))


@pytest.mark.parametrize("row", ROWS, ids=[r["spelling"] for r in ROWS])
def test_header_spelling(row):
    assert field_of_header(row["spelling"]) == (row["field"] or None), row["source"]


@pytest.mark.parametrize(
    ("dataset", "sep"),
    [("brownfield_lewisham_2019", ","), ("eric_sites", ","), ("ncdr_locations", ","), ("brownfield_london_2017", ",")],
)
def test_real_headers_in_the_mirror_are_in_the_table(mirror, dataset, sep):
    """The table was read off the real files: each of their headers that the table lists is
    recognised as it says when the whole header row is read (no column is taken twice)."""
    header = list(pd.read_csv(resolve(dataset).path, sep=sep, nrows=0).columns)
    listed = {r["spelling"]: r["field"] or None for r in ROWS}
    seen = [h for h in header if h in listed]
    assert len(seen) >= 5, (dataset, header)
    found = recognise_columns(header)
    by_column = {c: f for f, c in found.items()}
    for h in seen:
        if listed[h] is None:
            assert h not in by_column, (h, by_column.get(h))
        else:  # its field is filled: by it, or by a column whose name ranks first for that field
            assert listed[h] in found, (h, found)


def test_camel_and_snake_case_registers_are_read_without_a_mapping():
    text = 'AssetRef,SiteName,post_code,site_area_ha,GIA (sq ft),Notes\nA1,Old library,SE6 4RU,0.2,"1,000",roof leaks\n'
    r = read_upload(text.encode(), "camel.csv", "London Borough of Lewisham")
    assert r.status == "ready", r.summary()
    assert r.mapping == {
        "asset_id": "AssetRef",
        "name": "SiteName",
        "postcode": "post_code",
        "site_area_ha": "site_area_ha",
        "floor_area_sqft": "GIA (sq ft)",
    }
    assert r.assets.loc[0, "floor_area_m2"] == pytest.approx(92.90304)
    assert r.extra_columns == ["Notes"]
