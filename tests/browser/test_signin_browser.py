"""Signing in to the Shared land page end to end: headless Chromium, a real OpenID Connect provider, a real store.

The test starts ``oidc-provider-mock`` (a real OpenID Connect provider, from PyPI) on 127.0.0.1
with four people it signs in with one click, and a ``streamlit run app.py`` server whose
``[auth]`` secrets (a temporary ``secrets.toml``, passed with ``--secrets.files``; nothing
committed) point at it. The land store is a temporary SQLite file set up through the store
itself, as a steward would with the command line: two partners, Ann a member of Lewisham, Sam a
steward, and one submission already stored by NHS North East London. Pat signs in but is on no
list. Streamlit's own ``st.login`` does the sign-in: the browser goes to the provider and back.

Screenshots: artifacts/signin_*.png (git-ignored).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from anchormap.access.people import Person
from anchormap.land.changes import store_checked_as
from anchormap.land.store import STORE_ENV, open_store
from anchormap.land.submissions import check_register
from tests.browser.conftest import REPO_ROOT, _free_port, _wait_healthy, screenshot
from tests.browser.page_helpers import wait_idle

pytestmark = pytest.mark.browser

oidc_provider_mock = pytest.importorskip("oidc_provider_mock")
werkzeug_serving = pytest.importorskip("werkzeug.serving")

PAGE = "Shared_land"
REGISTER = Path(__file__).resolve().parents[1] / "fixtures" / "land" / "transparency_code_register.csv"
LEWISHAM = "London Borough of Lewisham"
NHS = "NHS North East London"
MEMBER = ("ann@lewisham.gov.uk", "Ann Member")
STEWARD = ("sam@eastlondon-network.org.uk", "Sam Steward")
OUTSIDER = ("pat@example.org", "Pat Outsider")
# The NHS trust's register: the fixture with its own asset ids, so it is a different file (SHA-256).
NHS_REGISTER = REGISTER.read_bytes().replace(b"LBL-", b"NEL-")


@pytest.fixture(scope="module")
def oidc_provider():
    """A real OpenID Connect provider on 127.0.0.1 (oidc-provider-mock), its people signed in with one click."""
    people = [
        oidc_provider_mock.User(sub=email, claims={"email": email, "name": name})
        for email, name in (MEMBER, STEWARD, OUTSIDER)
    ]
    server = werkzeug_serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(user_claims=people), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def signin_store(tmp_path_factory):
    """A temporary store set up through the store's own writes as the local user (the command line's operator)."""
    path = tmp_path_factory.mktemp("signin_store") / "land.sqlite"
    store = open_store(path)
    local = Person.local_user("cli")
    store.add_partner(LEWISHAM, "E09000023", by=local)
    store.add_partner(NHS, by=local)
    store.grant(MEMBER[0], LEWISHAM, "member", by=local)
    store.grant(STEWARD[0], LEWISHAM, "steward", by=local)
    store_checked_as(check_register(NHS_REGISTER, "nel_estates.csv", NHS), store, local)
    return path


@pytest.fixture(scope="module")
def signin_server(oidc_provider, signin_store, tmp_path_factory):
    """``streamlit run app.py`` with sign-in set up against the provider, on the temporary store."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    folder = tmp_path_factory.mktemp("signin_config")
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(24)}"\n'
        'client_id = "anchormap-test"\n'
        'client_secret = "anchormap-test-secret"\n'
        f'server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    log = folder / "server.log"
    env = {**os.environ, STORE_ENV: str(signin_store), "PYTHONUNBUFFERED": "1"}
    env.pop("ANCHORMAP_READ_ONLY", None)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--secrets.files",
        str(secrets_file),
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def shot(page, name: str, near: str) -> None:
    """A screenshot (artifacts/<name>.png) with the text ``near`` scrolled into view."""
    page.get_by_text(near).first.scroll_into_view_if_needed()
    wait_idle(page)
    screenshot(page, name)


def open_land(page, url: str) -> None:
    page.goto(url + PAGE)
    page.get_by_role("heading", name="Shared land").wait_for(timeout=120_000)
    page.get_by_text("Submissions in the store").wait_for(timeout=120_000)
    wait_idle(page, timeout_s=120)


def sign_in(page, url: str, email: str) -> None:
    """Press "Sign in", choose the person at the provider, come back and open the Shared land page."""
    open_land(page, url)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=email, exact=True).click()  # the provider's one-click sign-in
    page.wait_for_url(url + "**", timeout=60_000)
    page.get_by_role("button", name="Sign out").wait_for(timeout=120_000)
    open_land(page, url)


def sidebar(page) -> str:
    return page.locator("[data-testid='stSidebar']").inner_text()


def no_write_control(page) -> None:
    for label in ("Check the file", "Withdraw it", "Yes, withdraw it", "Correct the row", "Remove the row"):
        assert page.get_by_role("button", name=label).count() == 0, label
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    for words in ("Add a partner's register", "Correct or remove a row", "Audit trail"):
        assert page.get_by_text(words).count() == 0, words


def open_submissions(page) -> None:
    page.get_by_text("Submissions in the store").first.click()
    wait_idle(page)


def withdraw_choices(page) -> list[str]:
    box = page.get_by_role("combobox", name="Submission to withdraw")
    box.click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    wait_idle(page)
    return options


def choose(page, label: str, starts: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option").filter(has_text=starts).first.click()
    wait_idle(page)


def test_viewer_not_signed_in_sees_no_write_control(signin_server, browser_page):
    page, _ = browser_page
    open_land(page, signin_server)
    assert page.get_by_role("button", name="Sign in").count() == 1
    assert "anyone can look and download" in sidebar(page)
    no_write_control(page)
    open_submissions(page)
    assert page.get_by_role("combobox", name="Submission to withdraw").count() == 0
    shot(page, "signin_viewer", "Submissions in the store")


def test_someone_signed_in_but_not_on_the_list_is_a_viewer(signin_server, browser_page):
    page, _ = browser_page
    sign_in(page, signin_server, OUTSIDER[0])
    text = sidebar(page)
    assert f"Signed in as {OUTSIDER[1]} ({OUTSIDER[0]})" in text
    assert "not on this network's list of members" in text
    no_write_control(page)
    shot(page, "signin_outsider", "Partners' registers")


def test_member_uploads_and_withdraws_only_their_partners(signin_server, signin_store, browser_page):
    page, _ = browser_page
    sign_in(page, signin_server, MEMBER[0])
    assert f"Signed in as {MEMBER[1]} ({MEMBER[0]}): member of {LEWISHAM}" in sidebar(page)
    # the partner is fixed: shown, not typed
    assert page.get_by_text(f"Partner: {LEWISHAM} (you are a member of it)").count() == 1
    assert page.get_by_role("textbox", name="Partner (the organisation the register belongs to)").count() == 0

    def upload() -> None:
        page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(
            {"name": REGISTER.name, "mimeType": "text/csv", "buffer": REGISTER.read_bytes()}
        )
        page.wait_for_function(
            "() => [...document.querySelectorAll('button')].some(b => "
            "b.innerText.trim() === 'Check the file' && !b.disabled)",
            timeout=60_000,
        )
        wait_idle(page)
        page.get_by_role("button", name="Check the file").click()
        page.get_by_role("button", name="Store the 5 valid row(s)").wait_for(timeout=60_000)
        wait_idle(page)
        page.get_by_role("button", name="Store the 5 valid row(s)").click()
        wait_idle(page, timeout_s=120)

    upload()
    page.get_by_text(f"Stored: {LEWISHAM}'s {REGISTER.name}").wait_for(timeout=60_000)
    subs = open_store(signin_store).submissions()
    ours = subs[subs["partner"] == LEWISHAM]
    assert len(ours) == 1 and ours["rows_accepted"].iloc[0] == 5 and ours["status"].iloc[0] == "active"
    shot(page, "signin_member_stored", f"Stored: {LEWISHAM}'s")

    upload()  # the same file again: refused, pointing to the submission it is already in
    refusal = page.locator("[data-testid='stAlert']").filter(has_text=REGISTER.name).filter(has_text="is the same file")
    refusal.first.wait_for(timeout=60_000)
    assert len(open_store(signin_store).submissions()) == 2  # nothing stored twice
    shot(page, "signin_member_duplicate", "is the same file")

    open_submissions(page)
    choices = withdraw_choices(page)
    assert choices and all(c.startswith(f"{LEWISHAM}'s ") for c in choices), choices  # never NHS's
    page.get_by_role("button", name="Withdraw it").click()
    try:
        page.get_by_role("button", name="Yes, withdraw it").wait_for(timeout=20_000)
    except Exception:
        screenshot(page, "dbg_withdraw")
        raise
    wait_idle(page)
    question = page.locator("[data-testid='stAlert']").filter(has_text="Withdraw London").first.inner_text()
    assert f"{LEWISHAM}'s {REGISTER.name}" in question and "5 rows" in question and "Its 5 assets will" in question
    assert open_store(signin_store).submission(int(ours["id"].iloc[0])).status == "active"  # not before confirming
    shot(page, "signin_member_confirm", "Yes, withdraw it")
    page.get_by_role("button", name="Yes, withdraw it").click()
    page.get_by_text(f"Withdrawn: {LEWISHAM}'s {REGISTER.name}").wait_for(timeout=60_000)
    wait_idle(page)
    assert "Its 5 assets no longer appear" in page.get_by_text("Withdrawn: ").first.inner_text()
    assert open_store(signin_store).submission(int(ours["id"].iloc[0])).status == "withdrawn"
    shot(page, "signin_member_withdrawn", "Withdrawn: ")


def test_steward_withdraws_another_partners_submission(signin_server, signin_store, browser_page):
    page, _ = browser_page
    sign_in(page, signin_server, STEWARD[0])
    assert f"Signed in as {STEWARD[1]} ({STEWARD[0]}): steward of {LEWISHAM}" in sidebar(page)
    nhs_id = int(open_store(signin_store).submissions().query("partner == @NHS")["id"].iloc[0])
    open_submissions(page)
    choose(page, "Submission to withdraw", f"{NHS}'s nel_estates.csv")
    page.get_by_role("button", name="Withdraw it").click()
    page.get_by_role("button", name="Yes, withdraw it").wait_for(timeout=60_000)
    wait_idle(page)
    assert (
        f"Withdraw {NHS}'s nel_estates.csv"
        in page.locator("[data-testid='stAlert']").filter(has_text="Withdraw NHS").first.inner_text()
    )
    page.get_by_role("button", name="Yes, withdraw it").click()
    page.get_by_text(f"Withdrawn: {NHS}'s nel_estates.csv").wait_for(timeout=60_000)
    wait_idle(page)
    assert open_store(signin_store).submission(nhs_id).status == "withdrawn"
    # the steward sees the audit trail: who withdrew it
    page.get_by_text("Audit trail").first.click()
    wait_idle(page)
    shot(page, "signin_steward_withdrawn", "Download the audit trail (CSV)")
    audit = open_store(signin_store).audit(by=Person.local_user("cli"))
    last = audit.iloc[-1]
    assert last["action"] == "withdraw" and STEWARD[0] in last["who"] and last["partner"] == NHS
