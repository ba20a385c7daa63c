"""CSV exports: formula-like cells and metadata lines cannot become spreadsheet formulas."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from anchormap.data.exports import csv_text, looks_like_formula, neutralise_formula, write_table
from anchormap.land.assets import export_bytes
from anchormap.land.ingest import read_upload


def test_metadata_values_stay_on_their_comment_line(tmp_path):
    out = tmp_path / "t.csv"
    write_table(
        pd.DataFrame({"name": ["Hall"]}),
        "csv",
        out,
        metadata={"filter": 'partners: Evil\n=HYPERLINK("http://x")\r\n@SUM(A1)', "rows": 1},
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ['# filter: partners: Evil =HYPERLINK("http://x") @SUM(A1)', "# rows: 1"]
    assert lines[2:] == ["name", "Hall"]


def test_categorical_text_columns_are_neutralised(tmp_path):
    out = tmp_path / "t.csv"
    df = pd.DataFrame({"status": pd.Categorical(["=1+1", "vacant", "@cmd"]), "n": [1, 2, 3]})
    write_table(df, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["status"] for r in rows] == ["'=1+1", "vacant", "'@cmd"]


def test_partner_name_with_line_breaks_is_one_line_in_the_page_download():
    r = read_upload(
        b"Asset ID,Property name,Postcode\nA1,Laurence House,SE6 4RU\n", "a.csv", 'Lewisham\n=HYPERLINK("http://x")'
    )
    assert r.partner == 'Lewisham =HYPERLINK("http://x")'
    text = export_bytes(r.assets, "csv", description=f"partners: {r.partner}").decode("utf-8")
    header_at = next(i for i, line in enumerate(text.splitlines()) if not line.startswith("# "))
    assert text.splitlines()[header_at].startswith("asset_id,")
    body = list(csv.DictReader(io.StringIO("\n".join(text.splitlines()[header_at:]))))
    assert body[0]["partner"] == r.partner and body[0]["name"] == "Laurence House"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\ncmd"),  # a carriage return would end the row: written as a quoted line feed
        ("Laurence House", "Laurence House"),
        ("Hall\r=HYPERLINK(1)", "Hall\n=HYPERLINK(1)"),  # stays in its cell, not a new row's formula
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_cells_get_an_apostrophe_in_csv(tmp_path, cell, written):
    assert csv_text(cell) == written
    out = tmp_path / "t.csv"
    write_table(pd.DataFrame({"name": [cell], "n": [1]}), "csv", out)
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1 and rows[0]["name"] == written and rows[0]["n"] == "1"


def test_numbers_are_never_text_formulas():
    assert neutralise_formula(-5) == -5 and not looks_like_formula(-5.0) and not looks_like_formula(None)
