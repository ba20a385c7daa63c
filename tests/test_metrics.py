"""A network's shared metrics: recorded and listed through the command line in a store of the test's own."""

from __future__ import annotations

import datetime
import io
import sqlite3

import pandas as pd
import pytest

from anchormap.cli import main
from anchormap.errors import AnchorMapError
from anchormap.progress.metrics import SERIES_COLUMNS, metric_series, parse_metric_date, record_metric

LEWISHAM = "borough:E09000023"


def _rows(store) -> int:
    if not store.is_file():
        return 0
    with sqlite3.connect(store) as con:
        return con.execute("SELECT count(*) FROM metrics").fetchone()[0]


def test_record_and_list_round_trip(tmp_path, mirror, capsys):
    store = tmp_path / "store" / "land.sqlite"
    base = ["metrics", "record", "--place", LEWISHAM, "--metric", "Local people hired", "--store", str(store)]
    assert main([*base, "--value", "120", "--date", "2024-03-31", "--target", "150", "--unit", "people"]) == 0
    assert "Recorded Local people hired for Lewisham on 2024-03-31: 120 people (target 150 people)." in (
        capsys.readouterr().out
    )
    assert main([*base, "--value", "135", "--date", "2025-03-31", "--target", "150", "--unit", "people"]) == 0
    other = ["metrics", "record", "--place", "borough:e09000028", "--metric", "Spend with local suppliers"]
    assert main([*other, "--value", "2.5", "--date", "2025-03-31", "--unit", "£m", "--store", str(store)]) == 0
    capsys.readouterr()

    series = metric_series(LEWISHAM, store=store)
    assert list(series.columns) == SERIES_COLUMNS
    assert series[["place", "metric", "date", "value", "target"]].to_dict("list") == {
        "place": [LEWISHAM, LEWISHAM],
        "metric": ["Local people hired", "Local people hired"],
        "date": ["2024-03-31", "2025-03-31"],
        "value": [120.0, 135.0],
        "target": [150.0, 150.0],
    }
    assert (series["place_label"] == "Lewisham").all()
    southwark = metric_series("borough:E09000028", store=store)  # stored in its normal spelling
    assert southwark["place_label"].tolist() == ["Southwark"] and pd.isna(southwark["target"].iloc[0])

    assert main(["metrics", "list", "--place", LEWISHAM, "--format", "csv", "--store", str(store)]) == 0
    back = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert back["value"].tolist() == [120.0, 135.0] and back["date"].tolist() == ["2024-03-31", "2025-03-31"]
    assert main(["metrics", "list", "--store", str(store)]) == 0
    printed = capsys.readouterr().out
    assert "Spend with local suppliers" in printed and "Local people hired" in printed and "Southwark" in printed
    assert "place_label" not in printed and "None" not in printed and "nan" not in printed

    # a correction is a new record for the same day: the latest counts
    assert main([*base, "--value", "125", "--date", "2024-03-31", "--target", "150"]) == 0
    assert metric_series(LEWISHAM, store=store)["value"].tolist() == [125.0, 135.0]
    assert _rows(store) == 4


@pytest.mark.parametrize(
    ("option", "bad", "words"),
    [
        ("--value", "lots", "not a number"),
        ("--value", "nan", "not a number"),
        ("--target", "1e999", "not a number"),
        ("--date", "31/03/2025", "YYYY-MM-DD"),
        ("--date", "2025-02-30", "YYYY-MM-DD"),
        ("--date", "2999-01-01", "in the future"),
        ("--place", "Lewisham", "not understood"),
        ("--place", "borough:E09999999", "borough"),
        ("--metric", "   ", "empty"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(tmp_path, mirror, capsys, option, bad, words):
    store = tmp_path / "land.sqlite"
    args = {"--place": LEWISHAM, "--metric": "Local people hired", "--value": "120", "--date": "2025-03-31"}
    args[option] = bad
    argv = ["metrics", "record", "--store", str(store), *[x for kv in args.items() for x in kv]]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("anchormap: error: ") and words in err and "Traceback" not in err
    assert not store.exists()  # nothing written, no empty store left behind


def test_a_refused_value_leaves_an_existing_store_as_it_was(tmp_path, mirror):
    store = tmp_path / "land.sqlite"
    record_metric(LEWISHAM, "Local people hired", 120, "2025-03-31", store=store)
    before = store.read_bytes()
    with pytest.raises(AnchorMapError, match="not a number"):
        record_metric(LEWISHAM, "Local people hired", "12O", "2025-03-31", store=store)
    assert store.read_bytes() == before and _rows(store) == 1


def test_metrics_share_the_land_stores_file_and_leave_its_tables_alone(tmp_path, mirror, monkeypatch):
    from anchormap.land.store import open_store

    store = tmp_path / "land.sqlite"
    monkeypatch.setenv("ANCHORMAP_STORE", str(store))
    assert open_store().submissions().empty
    record_metric(LEWISHAM, "Local people hired", 120, "2025-03-31")  # the default store: ANCHORMAP_STORE
    assert _rows(store) == 1 and metric_series(LEWISHAM)["value"].tolist() == [120.0]
    assert open_store().submissions().empty  # the land tables are still readable
    assert metric_series(LEWISHAM, store=tmp_path / "none.sqlite").empty  # no store yet: no rows


def test_a_date_today_is_accepted_tomorrow_is_not():
    today = datetime.date(2025, 6, 1)
    assert parse_metric_date("2025-06-01", today=today) == today
    with pytest.raises(AnchorMapError, match="future"):
        parse_metric_date("2025-06-02", today=today)


def test_a_read_only_deployment_records_no_metric(tmp_path, mirror, monkeypatch):
    store = tmp_path / "land.sqlite"
    record_metric(LEWISHAM, "Local people hired", 120, "2025-03-31", store=store)
    before = store.read_bytes()
    monkeypatch.setenv("ANCHORMAP_READ_ONLY", "1")
    with pytest.raises(AnchorMapError, match="read-only"):
        record_metric(LEWISHAM, "Local people hired", 130, "2025-03-31", store=store)
    assert store.read_bytes() == before
    assert metric_series(LEWISHAM, store=store)["value"].tolist() == [120.0]  # reading still works
