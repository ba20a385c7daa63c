"""The download buttons of Underserved areas and Shared land (AppTest): every format, named in words."""

from __future__ import annotations

from anchormap.data.exports import DOWNLOADS

LABELS = [label for label, _help in DOWNLOADS.values()]


def test_underserved_areas_offers_every_format(open_page):
    at = open_page("pages/1_Underserved_areas.py")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == LABELS
    assert LABELS == ["CSV", "Excel (XLSX)", "GeoJSON", "GeoPackage", "Column descriptions (JSON)"]
    for label in labels:
        assert "_" not in label and "parameters at the top" not in label


def test_shared_land_offers_every_format(open_page):
    at = open_page("pages/2_Shared_land.py")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[: len(LABELS)] == LABELS  # the assets' downloads, then the upload box's templates
    rest = labels[len(LABELS) :]
    # then, for the local user (no sign-in set up: every change allowed), the audit trail's CSV
    assert rest == ["Register template (CSV)", "Register template (Excel)", "Download the audit trail (CSV)"], rest
    assert any(m.value == "**Download these assets**" for m in at.markdown)
