"""Exports: formula-like cells and metadata cannot become spreadsheet formulas, in CSV or Excel."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from anchormap.data.csvw import read_sidecar, sidecar_parameters
from anchormap.data.exports import csv_text, looks_like_formula, neutralise_formula, write_table
from anchormap.land.assets import export_bytes
from anchormap.land.ingest import read_upload

HOSTILE_FILTER = 'partners: Evil\n=HYPERLINK("http://x")\r\n@SUM(A1)'


def test_metadata_goes_to_the_sidecar_on_one_line_and_the_csv_is_only_the_table(tmp_path):
    out = tmp_path / "t.csv"
    write_table(pd.DataFrame({"name": ["Hall"]}), "csv", out, metadata={"filter": HOSTILE_FILTER, "rows": 1})
    assert out.read_bytes() == b"\xef\xbb\xbfname\r\nHall\r\n"  # BOM, header, one row, CRLF; no comment line
    params = sidecar_parameters(read_sidecar(out))
    assert params["filter"] == 'partners: Evil =HYPERLINK("http://x") @SUM(A1)' and params["rows"] == 1


def test_metadata_and_cells_in_the_workbook_are_text_never_formulas(tmp_path):
    out = tmp_path / "t.xlsx"
    cells = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+1", "-2+3", "bell\x07 and nul\x00", "Hall"]
    write_table(pd.DataFrame({"name": cells, "n": range(len(cells))}), "xlsx", out, metadata={"filter": HOSTILE_FILTER})
    wb = load_workbook(out)
    data, about = wb.worksheets[0], wb["About"]
    written = [c.value for c in data["A"][1:]]
    assert written[:4] == cells[:4] and written[5] == "Hall"  # verbatim, as text
    assert written[4] == "bell\ufffd and nul\ufffd"  # characters XML cannot hold, marked
    for ws in (data, about):
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    assert all(data.cell(row=i, column=1).quotePrefix for i in (2, 3, 4, 5))
    assert [c.value for c in data["B"][1:]] == list(range(len(cells)))  # numbers stay numbers
    items = {r[0].value: r[1].value for r in about.iter_rows(min_row=2)}
    assert items["Filter"] == 'partners: Evil =HYPERLINK("http://x") @SUM(A1)'


def test_categorical_text_columns_are_neutralised(tmp_path):
    out = tmp_path / "t.csv"
    df = pd.DataFrame({"status": pd.Categorical(["=1+1", "vacant", "@cmd"]), "n": [1, 2, 3]})
    write_table(df, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["status"] for r in rows] == ["'=1+1", "vacant", "'@cmd"]


def test_partner_name_with_line_breaks_is_one_line_in_the_page_download():
    r = read_upload(
        b"Asset ID,Property name,Postcode\nA1,Laurence House,SE6 4RU\n", "a.csv", 'Lewisham\n=HYPERLINK("http://x")'
    )
    assert r.partner == 'Lewisham =HYPERLINK("http://x")'
    data = export_bytes(r.assets, "csv", description=f"partners: {r.partner}", file_name="land.csv")
    text = data.decode("utf-8-sig")
    assert text.startswith("asset_id,") and "\n#" not in text
    body = pd.read_csv(io.BytesIO(data))
    assert body.loc[0, "partner"] == r.partner and body.loc[0, "name"] == "Laurence House"
    doc = json.loads(export_bytes(r.assets, "csvw", description=f"partners: {r.partner}", file_name="land.csv"))
    assert doc["url"] == "land.csv"
    assert sidecar_parameters(doc)["filter"] == f"partners: {r.partner}"


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
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1 and rows[0]["name"] == written and rows[0]["n"] == "1"


def test_numbers_are_never_text_formulas():
    assert neutralise_formula(-5) == -5 and not looks_like_formula(-5.0) and not looks_like_formula(None)


def test_text_longer_than_an_excel_cell_is_cut_and_the_about_sheet_says_so(tmp_path):
    """Excel holds 32,767 characters a cell: a longer cell (a register's many notes as JSON) ends in "…"
    and the About sheet says how many were cut; the CSV keeps the whole text."""
    from openpyxl import load_workbook

    from anchormap.data.exports import write_table

    long = "n" * 40_000
    write_table(pd.DataFrame({"name": ["Hall", "Depot"], "notes": [long, "short"]}), "xlsx", tmp_path / "t.xlsx")
    wb = load_workbook(tmp_path / "t.xlsx")
    cell = wb.worksheets[0]["B2"].value
    assert len(cell) == 32_767 and cell.endswith("…") and wb.worksheets[0]["B3"].value == "short"
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows(min_row=2)}
    assert "1 cell(s) held more than Excel's 32,767 characters" in about["Cells cut"]
    write_table(pd.DataFrame({"name": ["Hall"], "notes": [long]}), "csv", tmp_path / "t.csv")
    assert pd.read_csv(tmp_path / "t.csv")["notes"].iloc[0] == long
