"""``anchormap partners``: the real command line on a real SQLite store (``--store``, ``--as``, ``ANCHORMAP_USER``)."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest

from anchormap.land.store import open_store
from anchormap.words import date_words
from tests.cli_store_helpers import LEWISHAM, NEL, make_runner
from tests.postgres import store_fingerprint


@pytest.fixture()
def store(store_location):
    """A SQLite file under tmp_path (not created yet), then a fresh PostGIS database: each test runs on both."""
    return store_location


@pytest.fixture()
def run(store, capsys, monkeypatch):
    monkeypatch.delenv("ANCHORMAP_USER", raising=False)
    monkeypatch.delenv("ANCHORMAP_READ_ONLY", raising=False)
    return make_runner(store, capsys)


def today_words() -> str:
    return date_words(datetime.datetime.now(datetime.UTC).date().isoformat())


def test_add_grant_list_revoke(run, store):
    r = run("partners", "add", LEWISHAM, "--code", "e09000023")
    assert r.code == 0, r.err
    assert f"Added the partner {LEWISHAM} (code E09000023)" in r.out
    assert run("partners", "add", NEL).code == 0
    r = run("partners", "grant", "Jo@Lewisham.gov.uk", "--partner", LEWISHAM, "--role", "member")
    assert r.code == 0, r.err
    assert f"jo@lewisham.gov.uk is now a member of {LEWISHAM}" in r.out
    assert run("partners", "grant", "sam@nel.nhs.uk", "--partner", NEL, "--role", "steward").code == 0

    r = run("partners", "list")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith("2 partners in ")
    assert f"{LEWISHAM} (E09000023), added {today_words()}: 1 person" in lines
    assert any(
        line.startswith(f"  jo@lewisham.gov.uk: member since {today_words()}, granted by local user") for line in lines
    )
    assert any(line.startswith("  sam@nel.nhs.uk: steward since") for line in lines)
    assert not any("_" in line for line in lines[1:])  # words, not column names

    members = open_store(store).members()
    assert sorted(members["email"]) == ["jo@lewisham.gov.uk", "sam@nel.nhs.uk"]

    r = run("partners", "revoke", "jo@lewisham.gov.uk")
    assert r.code == 0, r.err
    assert "no longer on the list" in r.out
    r = run("partners", "list")
    assert f"{LEWISHAM} (E09000023), added {today_words()}: nobody yet" in r.out
    assert "jo@lewisham.gov.uk" not in r.out


def test_a_member_cannot_manage_partners_and_nothing_is_written(run, store):
    assert run("partners", "add", LEWISHAM).code == 0
    assert run("partners", "grant", "jo@lewisham.gov.uk", "--partner", LEWISHAM, "--role", "member").code == 0
    before = open_store(store).members()

    r = run(
        "partners",
        "grant",
        "pat@lewisham.gov.uk",
        "--partner",
        LEWISHAM,
        "--role",
        "steward",
        "--as",
        "jo@lewisham.gov.uk",
    )
    assert r.code != 0
    assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    assert "jo@lewisham.gov.uk" in r.err and "steward" in r.err
    r = run("partners", "add", NEL, "--as", "jo@lewisham.gov.uk")
    assert r.code != 0 and "steward" in r.err
    after = open_store(store)
    assert after.members().equals(before)
    assert list(after.partners()["name"]) == [LEWISHAM]


def test_someone_not_on_the_list_is_refused_also_through_anchormap_user(run, store, monkeypatch):
    assert run("partners", "add", LEWISHAM).code == 0
    monkeypatch.setenv("ANCHORMAP_USER", "stranger@example.org")
    r = run("partners", "revoke", "nobody@example.org")
    assert r.code != 0
    assert "stranger@example.org" in r.err and "Traceback" not in r.err
    r = run("partners", "add", NEL)
    assert r.code != 0
    assert list(open_store(store).partners()["name"]) == [LEWISHAM]


def test_refusals_of_the_store_are_one_line(run):
    assert run("partners", "add", LEWISHAM).code == 0
    r = run("partners", "add", LEWISHAM.upper())
    assert r.code != 0 and len(r.err.strip().splitlines()) == 1, r.err
    r = run("partners", "grant", "jo@x.gov.uk", "--partner", "No Such Council", "--role", "member")
    assert r.code != 0 and "No Such Council" in r.err and len(r.err.strip().splitlines()) == 1
    r = run("partners", "revoke", "nobody@x.gov.uk")
    assert r.code != 0 and "nobody@x.gov.uk" in r.err


def test_a_bad_code_or_role_is_an_argument_error(run, store):
    before = store_fingerprint(store)
    with pytest.raises(SystemExit) as stop:
        run("partners", "add", LEWISHAM, "--code", "Lewisham")
    assert stop.value.code == 2
    with pytest.raises(SystemExit):
        run("partners", "grant", "jo@x.gov.uk", "--partner", LEWISHAM, "--role", "owner")
    assert store_fingerprint(store) == before


def test_an_empty_store_says_how_to_start(run, store):
    r = run("partners", "list")
    assert r.code == 0 and "No partners" in r.out and "anchormap partners add" in r.out
    if not store.startswith("postgresql://"):  # reading a SQLite store that is not there does not create it
        assert store_fingerprint(store) == "no file (journal: False)"


def test_as_a_program_with_a_sqlite_url(tmp_path):
    store = tmp_path / "land.sqlite"
    env = {**os.environ, "ANCHORMAP_USER": ""}
    url = f"sqlite:///{store}"
    done = subprocess.run(
        [sys.executable, "-m", "anchormap", "partners", "add", LEWISHAM, "--store", url],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert store.is_file()
    done = subprocess.run(
        [sys.executable, "-m", "anchormap", "partners", "add", NEL, "--store", url, "--as", "who@x.org"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("anchormap: error: ")
    assert list(open_store(store).partners()["name"]) == [LEWISHAM]


def test_a_read_only_deployment_refuses_every_change(run, store, monkeypatch):
    assert run("partners", "add", LEWISHAM).code == 0
    monkeypatch.setenv("ANCHORMAP_READ_ONLY", "1")
    r = run("partners", "add", NEL)
    assert r.code != 0 and len(r.err.strip().splitlines()) == 1 and "read-only" in r.err, r.err
    assert run("partners", "list").code == 0
    assert list(open_store(store).partners()["name"]) == [LEWISHAM]


def test_an_unreachable_store_is_one_line(capsys, monkeypatch):
    monkeypatch.delenv("ANCHORMAP_USER", raising=False)
    run = make_runner("postgresql://anchormap:secret-password@127.0.0.1:1/anchormap", capsys)
    r = run("partners", "list")
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err, r.err
    assert "127.0.0.1" in r.err and "secret-password" not in r.err
