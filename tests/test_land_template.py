"""The register template: its headers are recognised, its notes row is skipped, and a template
filled in with real rows imports cleanly as CSV and as Excel (the real rows: London NHS trust
headquarters from the mirror's NCDR reference locations, placed by their grid reference)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from anchormap.cli import main
from anchormap.crs import wgs84_to_bng
from anchormap.land.ingest import UploadError, read_upload
from anchormap.land.ingest.headers import recognise_columns
from anchormap.land.ingest.locate import london_area
from anchormap.land.template import (
    ABOUT_SHEET,
    NOTES_MARK,
    REGISTER_SHEET,
    TEMPLATE_COLUMNS,
    TEMPLATE_HEADERS,
    template_bytes,
)

PARTNER = "North East London NHS Foundation Trust"


def test_every_template_header_is_recognised_as_its_field():
    fields = recognise_columns(list(TEMPLATE_HEADERS))
    assert fields == {c.field: c.header for c in TEMPLATE_COLUMNS if c.field}


def test_the_csv_template_opens_with_no_options():
    raw = template_bytes("csv")
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # a byte-order mark for Excel; RFC 4180 line ends
    frame = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(frame.columns) == list(TEMPLATE_HEADERS) and len(frame) == 1
    notes = frame.iloc[0]
    assert notes["UPRN"].startswith(NOTES_MARK)
    assert "hectares" in notes["Site Area (ha)"] and "EPSG:27700" in notes["Map Reference Easting"]
    assert all(word in notes["Status"] for word in ("Occupied", "Vacant", "Surplus", "Under-used"))


def test_the_excel_template_has_a_frozen_register_sheet_and_an_about_sheet():
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("xlsx")))
    assert wb.sheetnames == [REGISTER_SHEET, ABOUT_SHEET]
    ws = wb[REGISTER_SHEET]
    assert [c.value for c in ws[1]] == list(TEMPLATE_HEADERS)
    assert [c.value for c in ws[2]] == [c.note for c in TEMPLATE_COLUMNS]
    assert ws.freeze_panes == "A3" and ws.max_row == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_empty_template_says_it_has_no_rows(fmt):
    with pytest.raises(UploadError, match=f"template.{fmt} has a header row but no data rows"):
        read_upload(template_bytes(fmt), f"template.{fmt}", PARTNER)


def _london_trust_rows(mirror) -> list[list]:
    src = pd.read_csv(mirror / "land" / "nhs_org_locations_ncdr" / "ncdr_reference_locations.csv")
    src = src[src["Status"].eq("Active") & src["Latitude_1m"].notna()]
    e, n = wgs84_to_bng(src["Longitude_1m"].to_numpy(), src["Latitude_1m"].to_numpy())
    src = src.assign(easting=e.round(), northing=n.round())
    london = london_area(0.0)  # inside the boroughs themselves, not only the upload's margin
    src = src[[london.contains(x, y) for x, y in zip(src["easting"], src["northing"])]].head(12)
    values = {
        "Unique Asset Identity": src["ODS_Code"],
        "Name of Building/Land": src["Name"].str.title(),
        "Street Name": src["AddrLn1"].str.title(),
        "Post Town": src["Town"].str.title(),
        "Post Code": src["PostCode"],
        "Map Reference Easting": src["easting"].astype(int),
        "Map Reference Northing": src["northing"].astype(int),
        "Land Only or Land and Building": "Land and building",
        "Tenure Type": "Freehold",
        "Holding Type": "Operational - trust headquarters",
        "Status": "Occupied",
        "Owner Organisation": src["Name"].str.title(),
        "Owner Type": "NHS",
        "Last Updated": src["Last_Refreshed"].str[:10],
    }
    frame = pd.DataFrame({h: values.get(h, None) for h in TEMPLATE_HEADERS}, index=src.index)
    return frame.astype(object).where(frame.notna(), None).to_numpy().tolist()


def _filled_csv(rows: list[list]) -> bytes:
    text = template_bytes("csv").decode("utf-8-sig")
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return (text + buf.getvalue()).encode("utf-8-sig")


def _filled_xlsx(rows: list[list]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("xlsx")))
    for row in rows:
        wb[REGISTER_SHEET].append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_filled_in_template_imports_cleanly(fmt, mirror):
    rows = _london_trust_rows(mirror)
    assert len(rows) >= 5
    data = _filled_csv(rows) if fmt == "csv" else _filled_xlsx(rows)
    r = read_upload(data, f"trusts.{fmt}", PARTNER)
    assert r.status == "ready" and r.register_kind == "transparency_code"
    assert r.rows_read == len(rows) and r.rows_accepted == len(rows) and r.rows_rejected == 0
    report = r.report()
    assert not report["severity"].isin(["error", "warning"]).any(), report.to_string()
    assert ((report["row"] == 2) & (report["problem"] == "the register template's notes row")).sum() == 1
    assert list(r.assets["row_number"]) == list(range(3, 3 + len(rows)))  # spreadsheet rows under the notes
    assert set(r.assets["status"]) == {"occupied"} and set(r.assets["owner_type"]) == {"nhs"}
    assert list(r.assets["easting"]) == [float(row[TEMPLATE_HEADERS.index("Map Reference Easting")]) for row in rows]
    if fmt == "xlsx":
        assert "read the sheet 'Register', whose header is recognised best" in list(report["action"])


def test_a_notes_row_an_officer_edited_is_still_skipped(mirror):
    rows = _london_trust_rows(mirror)[:3]
    notes = [c.note for c in TEMPLATE_COLUMNS]
    notes[TEMPLATE_HEADERS.index("Status")] = "Occupied or vacant (our words)"
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows([TEMPLATE_HEADERS, notes, *rows])
    r = read_upload(buf.getvalue().encode(), "edited.csv", PARTNER)
    assert r.rows_read == 3 and r.rows_rejected == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_command_writes_the_file(fmt, tmp_path, capsys):
    out = tmp_path / "out" / f"template.{fmt}"
    assert main(["land", "template", "--format", fmt, "--out", str(out)]) == 0
    assert f"Wrote the register template ({fmt}) to {out}" in capsys.readouterr().out
    if fmt == "csv":
        assert out.read_bytes() == template_bytes("csv")
    else:  # a workbook's bytes carry the time it was made: compare what it holds
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames == [REGISTER_SHEET, ABOUT_SHEET]
        assert [c.value for c in wb[REGISTER_SHEET][1]] == list(TEMPLATE_HEADERS)
