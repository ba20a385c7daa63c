"""Turning a register's free text into the land schema's statuses and owner types.

The expected values are what the words mean to an estates officer, written by hand: negations
("not occupied"), partial vacancy ("part vacant") and charities called "Trust" are the cases a
word matcher gets wrong most easily.
"""

from __future__ import annotations

import pytest

from anchormap.land.ingest import read_upload
from anchormap.land.schema import owner_type_from_text, status_from_text


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Vacant", "vacant"),
        ("Unoccupied", "vacant"),
        ("Not occupied", "vacant"),
        ("Not used", "vacant"),
        ("Unused", "vacant"),
        ("To let", "vacant"),
        ("Vacant - to let", "vacant"),
        ("Part vacant", "under_used"),
        ("Partly vacant", "under_used"),
        ("Partially occupied", "under_used"),
        ("Under-used", "under_used"),
        ("Part let", "under_used"),
        ("Not vacant", "occupied"),
        ("Occupied", "occupied"),
        ("Fully occupied", "occupied"),
        ("Let", "occupied"),
        ("Leased out", "occupied"),
        ("Operational", "occupied"),
        ("Non-operational", "unknown"),
        ("Surplus to requirements", "surplus"),
        ("Vacant - awaiting disposal", "surplus"),
        ("Closed", "closed_building"),
        ("Brownfield", "brownfield_available"),
        ("In use", "occupied"),
        ("In occupation", "occupied"),
        ("Leased", "occupied"),
        ("Void", "vacant"),
        ("Vacant - marketed", "vacant"),
        ("Investment", None),
        ("", None),
    ],
)
def test_status_words(text, status):
    assert status_from_text(text) == status


@pytest.mark.parametrize(
    ("text", "owner_type"),
    [
        ("London Borough of Lewisham", "council"),
        ("Lewisham Council", "council"),
        ("Lewisham and Greenwich NHS Trust", "nhs"),
        ("King's College Hospital NHS Foundation Trust", "nhs"),
        ("NHS Property Services", "nhs"),
        ("Transport for London", "gla_group"),
        ("Homes England", "central_government"),
        ("Department of Health and Social Care", "central_government"),
        ("University College London", "other_public"),
        # charities and companies with "Trust", "Hospital" or "Health" in their names are not the NHS
        ("Peabody Trust", None),
        ("National Trust", None),
        ("Canal & River Trust", None),
        ("St Mungo's Housing Trust", None),
        ("The Health Foundation Ltd", "private"),
        ("Hospital Saturday Fund Ltd", "private"),
        ("Acme Developments Ltd", "private"),
    ],
)
def test_owner_type_words(text, owner_type):
    assert owner_type_from_text(text) == owner_type


def test_an_uploaded_register_reads_partial_vacancy_and_negations():
    text = (
        "Asset ID,Property name,Postcode,Occupancy status\n"
        "1,Old town hall,SE6 4RU,Part vacant\n"
        "2,Depot,SE13 6LG,Not occupied\n"
        "3,Hall,SE13 7EZ,Non-operational\n"
        "4,Library,SE23 3YJ,Occupied\n"
    )
    r = read_upload(text.encode(), "statuses.csv", "Peabody Trust")
    assert r.rows_accepted == 4, r.report()
    assert list(r.assets["status"]) == ["under_used", "vacant", "unknown", "occupied"]
    # the partner is a housing charity, not an NHS body
    assert set(r.assets["owner_type"]) == {"unknown"}
