"""``anchormap land`` with roles: --as a member, a steward, someone not on the list; duplicate files,
withdraw in words, replace, correct and remove, on a real SQLite store with the Transparency Code fixture."""

from __future__ import annotations

import pytest

from anchormap.land.store import open_store
from tests.cli_store_helpers import FIXTURE, LEWISHAM, NEL, make_runner, variant

JO = "jo@lewisham.gov.uk"  # member of Lewisham Council
ASH = "ash@nel.nhs.uk"  # member of NHS North East London
SAM = "sam@lain.org.uk"  # steward (of NHS North East London)


@pytest.fixture()
def store(store_location):
    """A SQLite file under tmp_path (not created yet), then a fresh PostGIS database: each test runs on both."""
    return store_location


@pytest.fixture()
def run(store, capsys, monkeypatch):
    monkeypatch.delenv("ANCHORMAP_USER", raising=False)
    monkeypatch.delenv("ANCHORMAP_READ_ONLY", raising=False)
    run = make_runner(store, capsys)
    for partner in (LEWISHAM, NEL):
        assert run("partners", "add", partner).code == 0
    for email, partner, role in ((JO, LEWISHAM, "member"), (ASH, NEL, "member"), (SAM, NEL, "steward")):
        assert run("partners", "grant", email, "--partner", partner, "--role", role).code == 0
    return run


@pytest.fixture()
def nel_file(tmp_path):
    return variant(tmp_path, "nel_estate.csv", "LBL-", "NEL-")


def refused(r) -> bool:
    return r.code != 0 and len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err


def test_a_member_imports_only_for_their_own_partner(run, store, nel_file):
    r = run("land", "import", str(FIXTURE), "--partner", LEWISHAM, "--as", JO)
    assert r.code == 0, r.err
    assert "Stored submission 1: 5 asset(s)" in r.out
    r = run("land", "import", str(nel_file), "--partner", NEL, "--as", JO)
    assert refused(r), r.err
    assert JO in r.err and NEL in r.err
    subs = open_store(store).submissions()
    assert list(subs["partner"]) == [LEWISHAM]
    assert subs["uploaded_by"].iloc[0].endswith(JO) or JO in subs["uploaded_by"].iloc[0]


def test_someone_not_on_the_list_cannot_import(run, store):
    r = run("land", "import", str(FIXTURE), "--partner", LEWISHAM, "--as", "visitor@example.org")
    assert refused(r), r.err
    assert "visitor@example.org" in r.err
    assert open_store(store).submissions().empty


def test_the_same_file_twice_is_refused_with_a_pointer(run, store):
    assert run("land", "import", str(FIXTURE), "--partner", LEWISHAM).code == 0
    r = run("land", "import", str(FIXTURE), "--partner", LEWISHAM)
    assert refused(r), r.err
    assert FIXTURE.name in r.err and "anchormap land replace 1 FILE" in r.err
    assert len(open_store(store).submissions()) == 1
    assert len(open_store(store).assets()) == 5


def test_withdraw_names_the_submission_and_what_happened(run, store, nel_file):
    assert run("land", "import", str(FIXTURE), "--partner", LEWISHAM).code == 0
    assert run("land", "import", str(nel_file), "--partner", NEL).code == 0
    r = run("land", "withdraw", "2", "--as", JO)
    assert refused(r), r.err
    assert open_store(store).submission(2).status == "active"
    r = run("land", "withdraw", "1", "--as", JO)
    assert r.code == 0, r.err
    assert f"Withdrew submission 1: {LEWISHAM}'s {FIXTURE.name}, stored " in r.out
    assert "5 rows" in r.out and "5 assets no longer appear on the map" in r.out
    r = run("land", "withdraw", "2", "--as", SAM)  # a steward withdraws another partner's
    assert r.code == 0 and NEL in r.out
    assert set(open_store(store).submissions()["status"]) == {"withdrawn"}


def test_replace_swaps_a_submission_for_a_new_version(run, store, tmp_path):
    assert run("land", "import", str(FIXTURE), "--partner", LEWISHAM, "--as", JO).code == 0
    newer = variant(tmp_path, "register_v2.csv", "Laurence House", "Laurence House (civic suite)")
    r = run("land", "replace", "1", str(newer), "--as", ASH)
    assert refused(r), r.err
    r = run("land", "replace", "1", str(newer), "--as", JO)
    assert r.code == 0, r.err
    assert "Replaced submission 1 with submission 2" in r.out
    s = open_store(store)
    assert s.submission(1).status == "withdrawn" and s.submission(1).replaced_by == 2
    assert s.submission(2).partner == LEWISHAM and s.submission(2).file_name == "register_v2.csv"
    names = set(s.assets()["name"])
    assert "Laurence House (civic suite)" in names and "Laurence House" not in names


def test_correct_and_remove_one_row_with_a_reason(run, store):
    assert run("land", "import", str(FIXTURE), "--partner", LEWISHAM).code == 0
    r = run("land", "correct", "1", "LBL-0002", "--set", "status=vacant", "--reason", "Survey of May 2026", "--as", ASH)
    assert refused(r), r.err
    r = run("land", "correct", "1", "LBL-0002", "--set", "status=vacant", "--reason", "Survey of May 2026", "--as", JO)
    assert r.code == 0, r.err
    assets = open_store(store).assets()
    row = assets[assets["asset_id"] == "upload:1:LBL-0002"].iloc[0]
    assert row["status"] == "vacant"
    r = run("land", "correct", "1", "LBL-0002", "--set", "site_area_ha=lots", "--reason", "typo", "--as", JO)
    assert refused(r) and "Site area (ha)" in r.err
    r = run("land", "remove", "1", "LBL-0002", "--reason", "Sold in 2025", "--as", JO)
    assert r.code == 0, r.err
    assert "no longer appears" in r.out
    assets = open_store(store).assets()
    assert "upload:1:LBL-0002" not in set(assets["asset_id"]) and len(assets) == 4
    audit = run("audit", "list", "--format", "csv").out
    assert "Survey of May 2026" in audit and "Sold in 2025" in audit


def test_a_reason_and_a_known_field_are_required(run):
    with pytest.raises(SystemExit):
        run("land", "remove", "1", "LBL-0002")
    with pytest.raises(SystemExit):
        run("land", "correct", "1", "LBL-0002", "--set", "partner=Someone", "--reason", "x")
