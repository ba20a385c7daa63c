"""Uploads that break the readers: always a message naming the file, never a traceback."""

from __future__ import annotations

import pytest

from anchormap.cli import main
from anchormap.data.build import load_layer
from anchormap.errors import AnchorMapError, UnreadableFileError
from anchormap.land.ingest import MAX_PARTNER_CHARS, UploadError, read_upload, tables
from anchormap.land.store import open_store
from anchormap.network import lists as network

PARTNER = "London Borough of Lewisham"
GOOD_CSV = b"Asset ID,Property name,Postcode\nA1,Laurence House,SE6 4RU\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"type": "FeatureCollection", "features": [1, 2]}', "feature 1 is not a GeoJSON Feature"),
        (
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": ["Laurence House"],'
            b' "geometry": null}]}',
            "'properties' of feature 1 are not an object",
        ),
        (b'{"features": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nested too deeply"),
    ],
)
def test_malformed_geojson_is_named(body, message):
    # These used to escape as AttributeError / RecursionError tracebacks.
    with pytest.raises(UploadError, match=message) as info:
        read_upload(body, "register.geojson", PARTNER)
    assert "register.geojson" in str(info.value)


def test_an_unforeseen_failure_still_names_the_file(monkeypatch):
    def broken(*_args, **_kwargs):
        raise KeyError("a reader bug")

    monkeypatch.setattr(tables, "find_header", broken)
    with pytest.raises(UnreadableFileError, match=r"^assets\.csv could not be read \(KeyError\)"):
        read_upload(GOOD_CSV, "assets.csv", PARTNER)


def test_an_unforeseen_failure_in_a_network_list_names_the_file(monkeypatch):
    def broken(*_args, **_kwargs):
        raise IndexError("a reader bug")

    monkeypatch.setattr(network, "_read_table", broken)
    with pytest.raises(UnreadableFileError, match=r"^members\.csv could not be read \(IndexError\)"):
        network.read_network_csv(
            b"name,postcode\nLewisham Library,SE13 6LG\n",
            "members.csv",
            load_layer("postcodes"),
            load_layer("boroughs"),
        )


def test_the_command_line_reports_it_without_a_traceback(monkeypatch, tmp_path, capsys):
    def broken(*_args, **_kwargs):
        raise TypeError("a reader bug")

    monkeypatch.setattr(tables, "find_header", broken)
    register = tmp_path / "assets.csv"
    register.write_bytes(GOOD_CSV)
    store = tmp_path / "land.sqlite"
    assert main(["land", "import", str(register), "--partner", PARTNER, "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "assets.csv could not be read (TypeError)" in err and "Traceback" not in err
    assert not store.exists()
    assert open_store(store).submissions().empty


def test_partner_names_are_limited():
    with pytest.raises(UploadError, match=f"at most {MAX_PARTNER_CHARS}"):
        read_upload(GOOD_CSV, "assets.csv", "x" * (MAX_PARTNER_CHARS + 1))
    ok = read_upload(GOOD_CSV, "assets.csv", "L" * MAX_PARTNER_CHARS)
    assert ok.rows_accepted == 1 and ok.partner == "L" * MAX_PARTNER_CHARS
    assert issubclass(UnreadableFileError, AnchorMapError)


def test_long_cells_in_a_network_list_are_cut_and_reported():
    name = "Lewisham Library " + "x" * 5000
    data = f"name,postcode,address\n{name},SE13 6LG,{'y' * 400}\n".encode()
    sites, report = network.read_network_csv(data, "members.csv", load_layer("postcodes"), load_layer("boroughs"))
    assert len(sites) == 1
    assert sites.iloc[0]["name"] == name[: network.MAX_CELL_CHARS]
    assert len(sites.iloc[0]["address"]) == network.MAX_CELL_CHARS
    problems = report.frame()
    assert problems[["row", "column"]].values.tolist() == [[2, "name"], [2, "address"]]
    assert problems["problem"].tolist() == ["5,017 characters long", "400 characters long"]
