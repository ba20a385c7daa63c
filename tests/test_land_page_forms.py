"""The Shared land page's column form and status form, run headless with AppTest (store in tmp).

The column form pre-fills every column's guess (recognised columns tucked away, the others asked);
the status form maps the values the file uses that were not understood.
"""

from __future__ import annotations

import hashlib

import pytest

from anchormap.land.schema import extra_attributes
from anchormap.land.store import open_store

PAGE = "pages/2_Shared_land.py"


@pytest.fixture
def page(open_page):
    return open_page(PAGE)


def _upload(page, name: str, data: bytes) -> str:
    page.file_uploader(key="land_file").set_value((name, data, "text/csv")).run()
    page.text_input(key="land_partner_name").set_value("London Borough of Lewisham").run()
    page.button(key="land_check_button").click().run()
    assert not page.exception
    return hashlib.sha256(data).hexdigest()[:12]


def _shown(page) -> str:
    """The page's success and warning messages as people read them (Markdown escapes removed)."""
    return " ".join(s.value for s in [*page.success, *page.warning]).replace("\\", "")


def test_column_form_prefills_guesses_and_asks_only_about_the_rest(page, tmp_path):
    data = b"Ref,Building,PC,Vacant From\nX1,Depot,SE6 4JF,2024-01-05\n"
    tag = _upload(page, "odd.csv", data)
    assert any("not recognised" in w.value for w in page.warning)
    boxes = {s.key: s for s in page.selectbox if s.key and s.key.startswith(f"land_col_{tag}_")}
    assert len(boxes) == 4  # every column
    assert boxes[f"land_col_{tag}_0"].value == "asset_id" and boxes[f"land_col_{tag}_2"].value == "postcode"
    assert boxes[f"land_col_{tag}_1"].value == "extra" and boxes[f"land_col_{tag}_3"].value == "extra"
    asked = [m.value for m in page.markdown if "not recognised" in m.value]
    assert asked and asked[0].startswith("**2 column(s) not recognised**")
    assert any("2 column(s) recognised" in e.label for e in page.expander)

    page.selectbox(key=f"land_col_{tag}_1").set_value("name")
    page.button(key="land_mapping_submit").click().run()
    assert not page.exception
    assert any("Kept as extra attributes: Vacant From" in s.value for s in page.success)
    page.button(key="land_confirm").click().run()
    stored = open_store(tmp_path / "store" / "land.sqlite").assets()
    assert list(stored["name"]) == ["Depot"] and stored["postcode"].iloc[0] == "SE6 4JF"
    assert extra_attributes(stored["extra"].iloc[0]) == {"Vacant From": "2024-01-05"}


def test_two_columns_for_one_field_are_refused_with_a_message(page):
    tag = _upload(page, "odd.csv", b"Ref,Building,PC\nX1,Depot,SE6 4JF\n")
    page.selectbox(key=f"land_col_{tag}_1").set_value("postcode")
    page.button(key="land_mapping_submit").click().run()
    assert not page.exception
    assert any("'Building' and 'PC' are both chosen for Postcode" in e.value for e in page.error)


def test_status_form_maps_values_not_understood(page, tmp_path):
    data = b"Asset Ref,Site Name,Postcode,Status\nA1,Hall,SE6 4RU,Held\nA2,Depot,SE13 6LG,Held\nA3,Library,SE23 3YJ,Vacant\n"
    tag = _upload(page, "held.csv", data)
    assert "'Held' (2 rows)" in _shown(page)
    box = page.selectbox(key=f"land_status_{tag}_0")
    assert box.value == "unknown" and "Held" in box.label
    box.set_value("surplus")
    page.button(key="land_status_submit").click().run()
    assert not page.exception
    assert not any("not understood" in s.value for s in [*page.success, *page.warning])
    page.button(key="land_confirm").click().run()
    stored = open_store(tmp_path / "store" / "land.sqlite").assets()
    assert list(stored["status"]) == ["surplus", "surplus", "vacant"]


def test_status_values_left_unknown_are_still_reported(page):
    """Submitting the status form with one value chosen leaves the others not understood (the
    form's default, Unknown, is not an answer), so they are still listed."""
    data = b"Asset Ref,Site Name,Postcode,Status\nA1,Hall,SE6 4RU,Held\nA2,Depot,SE13 6LG,Pending\n"
    tag = _upload(page, "two.csv", data)
    labels = {page.selectbox(key=f"land_status_{tag}_{n}").label: n for n in (0, 1)}
    held = next(n for label, n in labels.items() if "Held" in label)
    page.selectbox(key=f"land_status_{tag}_{held}").set_value("surplus")
    page.button(key="land_status_submit").click().run()
    assert not page.exception
    shown = _shown(page)
    assert "'Pending' (1 row)" in shown and "'Held'" not in shown


def test_markdown_in_a_file_is_shown_as_text(page):
    """Headers and values come from the file: a link or an image in them is escaped, never rendered."""
    data = (
        b"Asset Ref,Site Name,Postcode,Status,[Sign in again](https://evil.example)\n"
        b"A1,Hall,SE6 4RU,![x](https://evil.example/p.png),1\n"
    )
    _upload(page, "md.csv", data)
    shown = " ".join(s.value for s in [*page.success, *page.warning])
    assert "Sign in again" in shown and "evil" in shown
    assert "[Sign in again](https://evil.example)" not in shown and "![x](" not in shown
    assert r"\[Sign in again\]" in shown
