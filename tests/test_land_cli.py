"""``anchormap land`` end to end in temporary directories (ANCHORMAP_STORE in tmp)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from anchormap.cli import main
from anchormap.data.build import load_layer

FIXTURE = Path(__file__).parent / "fixtures" / "land" / "transparency_code_register.csv"
PARTNER = "London Borough of Lewisham"


@pytest.fixture()
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "store" / "land.sqlite"
    monkeypatch.setenv("ANCHORMAP_STORE", str(path))
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_import_list_withdraw_export(store_path, tmp_path, capsys):
    assert main(["land", "import", str(FIXTURE), "--partner", PARTNER, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Dry run: 5 row(s) would be stored" in out and "outward code 'SE6'" in out
    assert not store_path.exists()

    assert main(["land", "import", str(FIXTURE), "--partner", PARTNER]) == 0
    assert "Stored submission 1: 5 asset(s)" in capsys.readouterr().out
    assert main(["land", "list"]) == 0
    listing = capsys.readouterr().out
    assert PARTNER in listing and "active" in listing and FIXTURE.name in listing

    out_csv = tmp_path / "all.csv"
    assert main(["land", "export", "--format", "csv", "--out", str(out_csv)]) == 0
    table = pd.read_csv(out_csv, comment="#")
    assert len(table) == len(load_layer("land_builtin")) + 5
    assert (table["source"] == "upload:1").sum() == 5

    assert main(["land", "withdraw", "1"]) == 0
    capsys.readouterr()
    out_gj = tmp_path / "all.geojson"
    assert main(["land", "export", "--format", "geojson", "--out", str(out_gj)]) == 0
    doc = json.loads(out_gj.read_text())
    assert len(doc["features"]) == len(load_layer("land_builtin"))
    assert "Open Government Licence" in doc["anchormap"]["attribution"]
    assert main(["land", "withdraw", "1"]) == 2
    assert "already withdrawn" in capsys.readouterr().err


def test_import_with_no_storable_row_fails_and_leaves_store(store_path, tmp_path, capsys):
    assert main(["land", "import", str(FIXTURE), "--partner", PARTNER]) == 0
    before = sha(store_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("Asset Reference,Property Name,Easting,Northing\nX1,Far away,330000,104000\n")
    assert main(["land", "import", str(bad), "--partner", PARTNER]) == 1
    out = capsys.readouterr().out
    assert 'row 2, column "Easting"' in out and "outside London" in out and "nothing was stored" in out
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("Foo,Bar\n1,2\n")
    assert main(["land", "import", str(unknown), "--partner", PARTNER]) == 1
    assert "--map FIELD=COLUMN" in capsys.readouterr().out
    assert main(["land", "import", str(unknown), "--partner", PARTNER, "--map", "name=Nope"]) == 2
    assert "has no column(s) 'Nope'" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert main(["land", "import", str(empty), "--partner", PARTNER]) == 2
    assert "empty.csv is empty" in capsys.readouterr().err
    big = tmp_path / "big.csv"
    with open(big, "wb") as fh:
        fh.seek(50 * 1024 * 1024)
        fh.write(b"\n")
    assert main(["land", "import", str(big), "--partner", PARTNER]) == 2
    assert "big.csv is 50.1 MB; the limit is 20 MB." in capsys.readouterr().err
    assert sha(store_path) == before


def test_explicit_mapping_from_command_line(store_path, tmp_path, capsys):
    odd = tmp_path / "odd.csv"
    odd.write_text("Ref,Building,PC\nX1,Depot,SE6 4JF\n")
    assert (
        main(
            [
                "land",
                "import",
                str(odd),
                "--partner",
                PARTNER,
                "--map",
                "asset_id=Ref",
                "--map",
                "name=Building",
                "--map",
                "postcode=PC",
            ]
        )
        == 0
    )
    assert "Stored submission 1: 1 asset(s)" in capsys.readouterr().out


def test_command_runs_as_a_program(store_path):
    res = subprocess.run(
        [sys.executable, "-m", "anchormap", "land", "list"], capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0 and "No submissions" in res.stdout
