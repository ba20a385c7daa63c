"""``anchormap land import`` with a partial ``--map`` and ``--status-map``, on the real NCDR list."""

from __future__ import annotations

import pandas as pd
import pytest

from anchormap.cli import main
from anchormap.data.sources import resolve
from anchormap.land.schema import extra_attributes
from anchormap.land.store import open_store


@pytest.fixture()
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "store" / "land.sqlite"
    monkeypatch.setenv("ANCHORMAP_STORE", str(path))
    return path


def test_partial_map_and_status_map_from_the_command_line(store_path, capsys):
    path = resolve("ncdr_locations").path
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    base = ["land", "import", str(path), "--partner", "NHS England"]
    assert main([*base, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "status value 'Active' not understood" in out and '--status-map "Active=vacant"' in out
    assert "Kept as extra attributes: ODS_Code" in out

    args = [*base, "--map", "lat=Latitude_1m", "--map", "lon=Longitude_1m"]
    args += ["--status-map", "Active=occupied", "--status-map", "Inactive=closed_building"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "not understood" not in out and "Stored submission 1" in out
    stored = open_store(store_path).assets()
    by_row = raw.set_index(raw.index + 2)
    rows = stored["row_number"].astype(int)
    assert list(stored["name"]) == list(by_row.loc[rows, "Name"])  # recognised columns kept beside --map
    expected = by_row.loc[rows, "Status"].map({"Active": "occupied", "Inactive": "closed_building"})
    assert list(stored["status"]) == list(expected)
    assert [extra_attributes(x)["ODS_Code"] for x in stored["extra"]] == list(by_row.loc[rows, "ODS_Code"])


def test_a_bad_status_map_is_refused_and_nothing_stored(store_path, capsys):
    path = resolve("ncdr_locations").path
    assert main(["land", "import", str(path), "--partner", "NHS England", "--status-map", "Active=asleep"]) == 2
    assert "'asleep' is not a status" in capsys.readouterr().err
    assert not store_path.exists()
