"""Who acts, and with what access: anchormap.access.signin on a real SQLite store, and the sidebar box on every page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from anchormap import config
from anchormap.access.people import LOCAL, MEMBER, STEWARD, VIEWER, PermissionRefused, Person
from anchormap.access.signin import access_of, auth_problem, person_from_user, sign_in_configured
from anchormap.land.changes import changeable, store_checked_as
from anchormap.land.store import open_store
from anchormap.land.submissions import check_register
from tests.conftest import PAGE_TIMEOUT_S
from tests.test_land_page_roles import AUTH, LEWISHAM, NHS, NHS_REGISTER, REGISTER

ANN = Person(email="ann@lewisham.gov.uk", name="Ann Member")
SAM = Person(email="sam@eastlondon-network.org.uk", name="Sam Steward")
PAT = Person(email="pat@example.org")
OPERATOR = Person.local_user("cli")


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "land.sqlite")
    s.add_partner(LEWISHAM, "E09000023", by=OPERATOR)
    s.add_partner(NHS, by=OPERATOR)
    s.grant(ANN.email, LEWISHAM, "member", by=OPERATOR)
    s.grant(SAM.email, LEWISHAM, "steward", by=OPERATOR)
    return s


def test_sign_in_is_configured_by_an_auth_section_and_its_gaps_are_named():
    assert not sign_in_configured({}) and not sign_in_configured(None) and not sign_in_configured({"auth": "x"})
    assert auth_problem({}) is None  # no sign-in: nothing missing
    assert auth_problem(AUTH and {"auth": AUTH}) is None
    # a named provider ([auth.microsoft]) carries the client settings
    provider = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    assert auth_problem({"auth": {"redirect_uri": "u", "cookie_secret": "c", "microsoft": provider}}) is None
    gaps = auth_problem(
        {"auth": {"redirect_uri": "u", "client_id": "i", "client_secret": "s", "server_metadata_url": "m"}}
    )
    assert gaps == "Sign-in is set up in .streamlit/secrets.toml, but its [auth] section lacks cookie_secret."


def test_the_person_is_the_signed_in_address_someone_not_signed_in_or_the_local_user():
    signed = person_from_user({"is_logged_in": True, "email": " Ann@Lewisham.GOV.uk", "name": "Ann"}, sign_in=True)
    assert (signed.email, signed.name, signed.local) == ("ann@lewisham.gov.uk", "Ann", False)
    # Microsoft Entra ID may give the address only as preferred_username
    entra = person_from_user({"is_logged_in": True, "preferred_username": "jo@nhs.net"}, sign_in=True)
    assert entra.email == "jo@nhs.net"
    assert person_from_user({"is_logged_in": True, "preferred_username": "jo"}, sign_in=True).key == ""
    assert person_from_user({"is_logged_in": False, "email": "x@y"}, sign_in=True).key == ""
    assert person_from_user({"email": "test@example.com"}, sign_in=True).key == ""  # no is_logged_in: not signed in
    assert person_from_user({"is_logged_in": True, "email": "x@y"}, sign_in=False).local  # no sign-in set up


def test_access_comes_from_the_stores_list(store):
    assert access_of(ANN, store, read_only=False).role == MEMBER
    assert access_of(ANN, store, read_only=False).partner == LEWISHAM
    assert access_of(SAM, store, read_only=False).role == STEWARD
    assert access_of(PAT, store, read_only=False).role == VIEWER  # signed in, not on the list
    assert access_of(Person.anonymous(), store, read_only=False).role == VIEWER
    assert access_of(Person.local_user(), store, read_only=False).role == LOCAL


def test_a_read_only_display_makes_everyone_a_viewer(store):
    for person in (ANN, SAM, Person.local_user()):
        access = access_of(person, store, read_only=True)
        assert access.role == VIEWER and not access.may_write


def test_members_are_offered_and_allowed_only_their_partners_submissions(store):
    nhs = store_checked_as(check_register(NHS_REGISTER, "nel_estates.csv", NHS), store, OPERATOR)
    ours = store_checked_as(check_register(REGISTER.read_bytes(), REGISTER.name, LEWISHAM), store, ANN)
    ann = access_of(ANN, store, read_only=False)
    assert [i.id for i in changeable(store, ann)] == [ours.id]
    assert {i.id for i in changeable(store, access_of(SAM, store, read_only=False))} == {ours.id, nhs.id}
    assert changeable(store, access_of(PAT, store, read_only=False)) == []
    before = store.stamp()
    with pytest.raises(PermissionRefused, match="member of London Borough of Lewisham"):
        store.withdraw(nhs.id, by=ANN)
    with pytest.raises(PermissionRefused):
        store_checked_as(check_register(NHS_REGISTER, "other.csv", NHS), store, ANN)
    assert store.stamp() == before and store.submission(nhs.id).status == "active"  # nothing written


def _page(path: str | None, secrets: dict | None, user: dict | None) -> AppTest:
    at = AppTest.from_file(str(config.REPO_ROOT / "app.py"), default_timeout=PAGE_TIMEOUT_S)
    if secrets:
        at.secrets["auth"] = secrets
    if user is not None:
        at.user = user
    at.run()
    if path:
        at.switch_page(path).run()
    assert not at.exception
    return at


@pytest.mark.parametrize("path", [None, "pages/4_Community.py"])
def test_the_sign_in_box_is_on_every_page(path, tmp_path, monkeypatch, mirror):
    monkeypatch.setenv("ANCHORMAP_STORE", str(tmp_path / "land.sqlite"))
    monkeypatch.setenv("ANCHORMAP_STATIC_DIR", str(tmp_path / "static"))
    monkeypatch.delenv("ANCHORMAP_READ_ONLY", raising=False)
    at = _page(path, AUTH, {"is_logged_in": False})
    assert "Sign in" in [b.label for b in at.sidebar.button]
    at = _page(path, None, None)
    assert "single-user tool" in " ".join(c.value for c in at.sidebar.caption).replace("\\", "")


def test_an_incomplete_auth_section_is_named_and_nobody_may_write(tmp_path, monkeypatch, mirror):
    monkeypatch.setenv("ANCHORMAP_STORE", str(tmp_path / "land.sqlite"))
    monkeypatch.setenv("ANCHORMAP_STATIC_DIR", str(tmp_path / "static"))
    monkeypatch.delenv("ANCHORMAP_READ_ONLY", raising=False)
    at = _page("pages/2_Shared_land.py", {"redirect_uri": "http://127.0.0.1:8501/oauth2callback"}, {})
    errors = " ".join(e.value for e in at.sidebar.error).replace("\\", "")
    assert "lacks cookie_secret, client_id, client_secret and server_metadata_url" in errors
    assert not at.get("file_uploader") and "Sign in" not in [b.label for b in at.sidebar.button]
