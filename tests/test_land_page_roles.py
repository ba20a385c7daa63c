"""The Shared land page for each role, run headless with AppTest through app.py, on a real store in tmp.

Sign-in is set up as a deployment sets it up (an ``[auth]`` section in the secrets, here
``at.secrets``), and the signed-in person is Streamlit's own ``st.user`` as AppTest provides it
(``at.user``, the identity provider's claims): the app has no other way in. Partners and members
are put in the store through the store itself, as the local user (the command line's operator).
The browser test (tests/browser/test_signin_browser.py) signs in through a real OpenID Connect
provider.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from anchormap import config
from anchormap.access.people import Person
from anchormap.land.changes import store_checked_as
from anchormap.land.store import STORE_ENV, open_store
from anchormap.land.submissions import check_register
from tests.conftest import PAGE_TIMEOUT_S

PAGE = "pages/2_Shared_land.py"
REGISTER = Path(__file__).parent / "fixtures" / "land" / "transparency_code_register.csv"
NHS_REGISTER = REGISTER.read_bytes().replace(b"LBL-", b"NEL-")  # another file: its own asset ids
LEWISHAM = "London Borough of Lewisham"
NHS = "NHS North East London"
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret-not-used-for-anything",
    "client_id": "anchormap-test",
    "client_secret": "anchormap-test-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
MEMBER = {"is_logged_in": True, "email": "ann@lewisham.gov.uk", "name": "Ann Member"}
STEWARD = {"is_logged_in": True, "email": "sam@eastlondon-network.org.uk", "name": "Sam Steward"}
OUTSIDER = {"is_logged_in": True, "email": "pat@example.org", "name": "Pat Outsider"}
LOCAL = Person.local_user("cli")


@pytest.fixture
def store(tmp_path, monkeypatch, mirror):
    """A store in tmp with two partners, a member and a steward of Lewisham, and one NHS submission."""
    monkeypatch.setenv("ANCHORMAP_STATIC_DIR", str(tmp_path / "static"))
    monkeypatch.setenv(STORE_ENV, str(tmp_path / "store" / "land.sqlite"))
    monkeypatch.delenv("ANCHORMAP_READ_ONLY", raising=False)
    s = open_store()
    s.add_partner(LEWISHAM, "E09000023", by=LOCAL)
    s.add_partner(NHS, by=LOCAL)
    s.grant(MEMBER["email"], LEWISHAM, "member", by=LOCAL)
    s.grant(STEWARD["email"], LEWISHAM, "steward", by=LOCAL)
    store_checked_as(check_register(NHS_REGISTER, "nel_estates.csv", NHS), s, LOCAL)
    return s


def land_page(user: dict | None = None, *, sign_in: bool = True, through_app: bool = False) -> AppTest:
    """The Shared land page as ``user`` would see it.

    ``through_app``: opened through app.py, with the sidebar's sign-in box. AppTest reruns a page
    reached through the navigation once by itself (tests/conftest.py, ``open_page``), which drops
    a button's click, so the page's own forms are driven with the page file as the main script.
    """
    at = AppTest.from_file(str(config.REPO_ROOT / ("app.py" if through_app else PAGE)), default_timeout=PAGE_TIMEOUT_S)
    if sign_in:
        at.secrets["auth"] = AUTH
    at.user = user if user is not None else {"is_logged_in": False}
    at.run()
    if through_app:
        at.switch_page(PAGE).run()
    assert not at.exception, "\n".join(e.message for e in at.exception)
    return at


def sign_in_box(user: dict | None = None, *, sign_in: bool = True) -> AppTest:
    """The Shared land page through app.py, for its sidebar's sign-in box."""
    return land_page(user, sign_in=sign_in, through_app=True)


def keys(at, kind: str) -> set[str]:
    return {w.key for w in at.get(kind) if getattr(w, "key", None)}


def words(elements) -> str:
    """The elements' text as people read it (the markdown escapes taken out)."""
    return " ".join(e.value for e in elements).replace("\\", "")


def sidebar_text(at) -> str:
    return " ".join(words(at.sidebar.get(kind)) for kind in ("caption", "markdown", "info"))


ALERTS = ("info", "caption", "markdown", "warning", "success", "error")
WRITE_KEYS = {"land_check_button", "land_withdraw", "land_withdraw_yes", "land_fix_button"}


def assert_no_write_control(at) -> None:
    assert not keys(at, "button") & WRITE_KEYS
    assert not at.get("file_uploader")
    assert "land_withdraw_id" not in keys(at, "selectbox") and "land_audit_csv" not in keys(at, "download_button")
    assert "Add a partner's register" not in [h.value for h in at.subheader]


def upload(at, data: bytes = REGISTER.read_bytes(), name: str = REGISTER.name) -> None:
    at.file_uploader(key="land_file").set_value((name, data, "text/csv")).run()
    at.button(key="land_check_button").click().run()
    assert not at.exception
    at.button(key="land_confirm").click().run()
    assert not at.exception


def test_viewer_not_signed_in_sees_the_land_but_no_write_control(store):
    box = sign_in_box()
    assert "signin_login" in keys(box, "button")
    assert "anyone can look and download" in sidebar_text(box)
    assert_no_write_control(box)
    at = land_page()
    assert at.metric[0].label == "Assets"
    assert_no_write_control(at)
    assert any("Submissions in the store (1)" in e.label for e in at.expander)


def test_signed_in_but_not_on_the_list_is_a_viewer(store):
    box = sign_in_box(OUTSIDER)
    text = sidebar_text(box)
    assert "Signed in as Pat Outsider (pat@example.org)" in text and "not on this network's list" in text
    assert "signin_logout" in keys(box, "button") and "signin_login" not in keys(box, "button")
    assert_no_write_control(box)
    assert_no_write_control(land_page(OUTSIDER))


def test_member_uploads_for_their_partner_and_withdraws_only_its_submissions(store):
    assert f"Signed in as Ann Member (ann@lewisham.gov.uk): member of {LEWISHAM}." in sidebar_text(sign_in_box(MEMBER))
    at = land_page(MEMBER)
    assert "land_partner_name" not in keys(at, "text_input")  # fixed, not typed
    assert f"Partner: {LEWISHAM} (you are a member of it)" in words(at.markdown)
    assert "land_withdraw_id" not in keys(at, "selectbox")  # nothing of Lewisham's yet: NHS's is not offered

    upload(at)
    assert f"Stored: {LEWISHAM}'s {REGISTER.name}" in words(at.success)
    subs = store.submissions()
    ours = subs[subs["partner"] == LEWISHAM]
    assert len(ours) == 1 and "ann@lewisham.gov.uk" in ours["uploaded_by"].iloc[0]
    sid = int(ours["id"].iloc[0])

    box = at.selectbox(key="land_withdraw_id")
    assert box.options == [store.submission(sid).words]  # in words, only the member's partner's
    at.button(key="land_withdraw").click().run()
    question = words(at.warning)
    assert f"Withdraw {store.submission(sid).words}?" in question and "Its 5 assets will no longer appear" in question
    assert store.submission(sid).status == "active"  # asked, not yet done
    at.button(key="land_withdraw_yes").click().run()
    assert not at.exception
    assert f"Withdrawn: {LEWISHAM}'s {REGISTER.name}" in words(at.success)
    assert "Its 5 assets no longer appear" in words(at.success)
    assert store.submission(sid).status == "withdrawn"
    assert "land_audit_csv" not in keys(at, "download_button")  # the audit trail is the stewards'


def test_member_is_told_when_the_file_is_already_stored(store):
    at = land_page(MEMBER)
    upload(at)
    upload(at)  # the same file again
    errors = words(at.error)
    assert f"{REGISTER.name} is the same file" in errors and "nothing was stored" in errors
    assert len(store.submissions()) == 2


def test_member_cancels_a_withdrawal(store):
    at = land_page(MEMBER)
    upload(at)
    at.button(key="land_withdraw").click().run()
    at.button(key="land_withdraw_no").click().run()
    assert not at.exception
    assert (store.submissions()["status"] == "active").all()
    assert "land_withdraw_yes" not in keys(at, "button")


def test_member_corrects_and_removes_a_row_with_a_reason(store):
    at = land_page(MEMBER)
    upload(at)
    sid = int(store.submissions().query("partner == @LEWISHAM")["id"].iloc[0])
    rows = at.selectbox(key="land_fix_row")
    assert all("LBL-" not in o for o in rows.options)  # chosen by name, not by id
    at.selectbox(key="land_fix_row").set_value("LBL-0002").run()
    at.selectbox(key="land_fix_field").set_value("status").run()
    at.selectbox(key="land_fix_status").set_value("vacant").run()  # a status is chosen from the list
    at.button(key="land_fix_button").click().run()
    assert "Give a reason" in words(at.error)  # a reason is required
    at.text_input(key="land_fix_reason").set_value("The depot was cleared in November").run()
    at.button(key="land_fix_button").click().run()
    assert not at.exception, [e.value for e in at.error]
    assert "Corrected Status of Former Wearside Depot" in words(at.success)
    stored = store.assets()
    row = stored[(stored["submission_id"] == sid) & stored["name"].eq("Former Wearside Depot")]
    assert row["status"].iloc[0] == "vacant"

    at.selectbox(key="land_fix_field").set_value("floor_area_m2").run()
    at.text_input(key="land_fix_value").set_value("12O").run()  # a letter O for a zero: checked as an upload is
    at.button(key="land_fix_button").click().run()
    assert "12O" in words(at.error)
    at.text_input(key="land_fix_value").set_value("120").run()
    at.button(key="land_fix_button").click().run()
    assert not at.error and "now “120”" in words(at.success)
    stored = store.assets()
    assert stored.query("submission_id == @sid and name == 'Former Wearside Depot'")["floor_area_m2"].iloc[0] == 120
    at.selectbox(key="land_fix_row").set_value("LBL-0005").run()
    at.radio(key="land_fix_action").set_value("remove").run()
    at.text_input(key="land_fix_reason").set_value("Sold in 2025").run()
    at.button(key="land_fix_button").click().run()
    assert not at.exception, [e.value for e in at.error]
    assert "Depot yard" not in set(store.assets().query("submission_id == @sid")["name"])


def test_steward_chooses_the_partner_withdraws_any_and_sees_the_audit_trail(store):
    assert f"steward of {LEWISHAM}" in sidebar_text(sign_in_box(STEWARD))
    at = land_page(STEWARD)
    assert at.selectbox(key="land_partner_choice").options == sorted([LEWISHAM, NHS])
    nhs = store.submissions().query("partner == @NHS")
    nhs_words = store.submission(int(nhs["id"].iloc[0])).words
    assert at.selectbox(key="land_withdraw_id").options == [nhs_words]  # another partner's
    at.button(key="land_withdraw").click().run()
    at.button(key="land_withdraw_yes").click().run()
    assert f"Withdrawn: {nhs_words}" in words(at.success)
    audit = at.get("download_button")
    assert "land_audit_csv" in {d.key for d in audit}
    table = [d for d in at.dataframe if "What" in d.value.columns][0].value
    assert list(table.columns)[:4] == ["When (UTC)", "Who", "From", "What"]
    assert "withdraw" in set(table["What"]) and any("sam@eastlondon-network.org.uk" in w for w in table["Who"])


def test_local_user_types_the_partner_and_sees_the_audit_trail(store):
    box = sign_in_box(sign_in=False)
    assert "single-user tool" in sidebar_text(box) and "signin_login" not in keys(box, "button")
    at = land_page(sign_in=False)
    at.text_input(key="land_partner_name").set_value("Royal Borough of Greenwich").run()
    upload(at)
    assert "Stored: Royal Borough of Greenwich's" in words(at.success)
    assert "land_audit_csv" in keys(at, "download_button")
    assert set(store.submissions()["partner"]) == {NHS, "Royal Borough of Greenwich"}


@pytest.mark.parametrize("sign_in", [True, False])
def test_read_only_display_has_no_sign_in_and_no_write_control(store, monkeypatch, sign_in):
    monkeypatch.setenv("ANCHORMAP_READ_ONLY", "1")
    at = sign_in_box(STEWARD if sign_in else None, sign_in=sign_in)
    said = [e.value for kind in ALERTS for e in at.get(kind) if "read-only display" in e.value]
    assert len(said) == 1, said
    assert "read-only display" in " ".join(e.value for e in at.sidebar.info)
    assert not keys(at, "button") & {"signin_login", "signin_logout"}
    assert_no_write_control(at)


def test_member_replaces_a_submission_with_a_new_version(store):
    at = land_page(MEMBER)
    upload(at)
    old = int(store.submissions().query("partner == @LEWISHAM")["id"].iloc[0])
    at.radio(key="land_upload_kind").set_value("replace").run()
    assert at.selectbox(key="land_replace_id").options == [store.submission(old).words]
    newer = REGISTER.read_bytes().replace(b"Depot yard", b"Stanstead Road depot yard")
    at.file_uploader(key="land_file").set_value(("register_v2.csv", newer, "text/csv")).run()
    at.button(key="land_check_button").click().run()
    assert f"This file will replace {store.submission(old).words}." in words(at.info)
    at.button(key="land_confirm").click().run()
    assert not at.exception, [e.value for e in at.error]
    assert f"Replaced {LEWISHAM}'s {REGISTER.name}" in words(at.success)
    was = store.submission(old)
    assert was.status == "withdrawn" and was.replaced_by is not None
    now = store.submission(was.replaced_by)
    assert (now.partner, now.file_name, now.status) == (LEWISHAM, "register_v2.csv", "active")
    names = set(store.assets().query("submission_id == @now.id")["name"])
    assert "Stanstead Road depot yard" in names and "Depot yard" not in names
