"""``anchormap audit list``: the audit trail in words and as CSV, from the real command line on a real SQLite store."""

from __future__ import annotations

import datetime
import hashlib
import io

import pandas as pd
import pytest

from anchormap.commands.audit import AUDIT_HEADINGS
from anchormap.land.store import AUDIT_COLUMNS
from tests.cli_store_helpers import FIXTURE, LEWISHAM, make_runner, variant


@pytest.fixture()
def store(store_location):
    """A SQLite file under tmp_path (not created yet), then a fresh PostGIS database: each test runs on both."""
    return store_location


@pytest.fixture()
def run(store, capsys, monkeypatch):
    monkeypatch.delenv("ANCHORMAP_USER", raising=False)
    monkeypatch.delenv("ANCHORMAP_READ_ONLY", raising=False)
    return make_runner(store, capsys)


@pytest.fixture()
def history(run):
    """A partner, a member, an import and a withdrawal, all from the command line as the local user."""
    assert run("partners", "add", LEWISHAM, "--code", "E09000023").code == 0
    assert run("partners", "grant", "jo@lewisham.gov.uk", "--partner", LEWISHAM, "--role", "member").code == 0
    r = run("land", "import", str(FIXTURE), "--partner", LEWISHAM)
    assert r.code == 0, r.err + r.out
    assert run("land", "withdraw", "1").code == 0
    return run


def test_every_heading_is_in_words():
    assert list(AUDIT_HEADINGS) == AUDIT_COLUMNS
    assert all("_" not in h and h[0].isupper() for h in AUDIT_HEADINGS.values())


def test_text_lists_who_what_when_and_from_where(history):
    r = history("audit", "list")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith("4 entries in the audit trail of ")
    entries = lines[1:]
    assert len(entries) == 4
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    assert all(e.startswith(today) and "UTC: local user " in e and "(the command line)" in e for e in entries)
    imported = next(e for e in entries if ": import" in e)
    assert LEWISHAM in imported and FIXTURE.name in imported and "submission 1" in imported
    assert hashlib.sha256(FIXTURE.read_bytes()).hexdigest()[:12] in imported
    assert "5 row(s) stored" in imported
    assert any(": withdraw" in e and "submission 1" in e for e in entries)
    assert any(": grant" in e for e in entries)


def test_csv_goes_to_standard_output_with_headings_in_words(history):
    r = history("audit", "list", "--format", "csv")
    assert r.code == 0, r.err
    table = pd.read_csv(io.StringIO(r.out), dtype=str, keep_default_na=False)
    assert list(table.columns) == list(AUDIT_HEADINGS.values())
    assert len(table) == 4
    imported = table[table["What"] == "import"].iloc[0]
    assert imported["File"] == FIXTURE.name
    assert imported["File SHA-256"] == hashlib.sha256(FIXTURE.read_bytes()).hexdigest()
    assert imported["Rows stored"] == "5" and imported["Submission"] == "1"
    assert set(table["From"]) == {"the command line"}


def test_since_a_date_and_nothing_after_it(history):
    tomorrow = (datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=1)).isoformat()
    r = history("audit", "list", "--since", tomorrow)
    assert r.code == 0 and r.out.startswith("Nothing in the audit trail of ")
    r = history("audit", "list", "--since", "2000-01-01", "--format", "csv")
    assert len(pd.read_csv(io.StringIO(r.out))) == 4


def test_a_member_may_not_read_the_audit_trail(history):
    r = history("audit", "list", "--as", "jo@lewisham.gov.uk")
    assert r.code != 0
    assert "jo@lewisham.gov.uk" in r.err and "steward" in r.err
    assert r.out == "" and "Traceback" not in r.err


def test_a_spreadsheet_never_runs_a_cell(run, tmp_path):
    hostile = '=HYPERLINK("http://x","y")'
    assert run("partners", "add", hostile).code == 0
    path = variant(tmp_path, "=cmd.csv", "Laurence House", "Laurence House 2")
    assert run("land", "import", str(path), "--partner", hostile).code == 0
    table = pd.read_csv(io.StringIO(run("audit", "list", "--format", "csv").out), dtype=str, keep_default_na=False)
    assert (table["Partner"] == "'" + hostile).any()
    assert (table["File"] == "'=cmd.csv").any()
    assert not any(str(v).startswith(("=", "+", "-", "@")) for v in table.to_numpy().ravel())
