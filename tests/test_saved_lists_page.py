"""The Our network page saves a network as a list, reopens it, and a ``?list=ID`` link opens it on any page
(AppTest, a real SQLite store under tmp_path); a viewer and a read-only deployment see no save control."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from anchormap import config
from anchormap.access.people import Person
from anchormap.data.build import load_layer
from anchormap.land.store import open_store
from anchormap.network.saved_lists import definition_from_organisations
from tests.conftest import PAGE_TIMEOUT_S

PAGE = "pages/3_Our_network.py"
ORG = "Lewisham (local authority)"
SAVE_LABEL = "Save this network"


@pytest.fixture(autouse=True)
def writable(monkeypatch):
    monkeypatch.delenv("ANCHORMAP_READ_ONLY", raising=False)


def store():
    return open_store(os.environ["ANCHORMAP_STORE"])


def choose_lewisham(at):
    at.multiselect(key="network_orgs").set_value([ORG]).run()
    at.button(key="use_orgs").click().run()
    assert not at.exception
    return at


def save_button(at):
    return [b for b in at.button if b.label == SAVE_LABEL]


def test_the_local_user_saves_the_network_and_its_link_is_kept(open_page):
    at = choose_lewisham(open_page(PAGE))
    assert save_button(at), "the local user is offered to save the network"
    at.text_input(key="save_list_name").input("Lewisham civic sites")  # a form: sent with its button
    save_button(at)[0].click().run()
    assert not at.exception
    lists = store().networks(Person.local_user())
    assert list(lists["name"]) == ["Lewisham civic sites"]
    list_id = int(lists["id"].iloc[0])
    assert store().network(list_id, Person.local_user()) == definition_from_organisations([ORG])
    assert at.query_params["list"] in (str(list_id), [str(list_id)])
    assert any("Saved the network as \u201cLewisham civic sites\u201d" in s.value for s in at.success)
    assert [e.value for e in at.error] == []


def test_a_saved_list_reopens_on_the_page(open_page):
    anchors = load_layer("anchors")
    list_id = store().save_network(
        "Lewisham civic sites", definition_from_organisations([ORG]), shared_with="everyone", by=Person.local_user()
    )
    at = open_page(PAGE)
    assert "network" not in at.session_state
    choice = at.selectbox(key="saved_list")
    assert len(choice.options) == 1
    assert choice.options[0].startswith("Lewisham civic sites: shared with everyone, saved by local user ")
    choice.set_value(list_id)
    at.button(key="open_saved_list").click().run()
    assert not at.exception
    network = at.session_state["network"]
    expected = anchors[(anchors["organisation"] == ORG) & (anchors["status"] == "open")]
    assert sorted(network["anchor_id"]) == sorted(expected["anchor_id"])
    assert "Lewisham civic sites" in at.session_state["network_label"]


def test_deleting_a_list_asks_first(open_page):
    list_id = store().save_network(
        "Lewisham civic sites", definition_from_organisations([ORG]), shared_with="everyone", by=Person.local_user()
    )
    at = open_page(PAGE)
    assert at.button(key="delete_saved_list").disabled  # not before saying yes
    at.checkbox(key=f"delete_sure_{list_id}").check().run()
    at.button(key="delete_saved_list").click().run()
    assert not at.exception
    assert store().networks(Person.local_user()).empty
    assert any("Deleted the saved list \u201cLewisham civic sites\u201d" in s.value for s in at.success)


def test_a_link_opens_the_list_on_any_page(open_page):
    list_id = store().save_network(
        "Lewisham civic sites", definition_from_organisations([ORG]), shared_with="everyone", by=Person.local_user()
    )
    at = open_page("app.py", query={"list": str(list_id)})
    assert not at.exception and [e.value for e in at.error] == []
    network = at.session_state["network"]
    assert len(network) > 0 and set(network["organisation"]) == {ORG}
    assert "Lewisham civic sites" in at.session_state["network_label"]


def test_a_link_to_no_list_says_so_in_words(open_page):
    at = open_page("app.py", query={"list": "999"})
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("The saved network list in this link cannot be opened")
    assert "network" not in at.session_state or at.session_state["network"] is None
    at = open_page("app.py", query={"list": "drop table"})
    assert [e.value for e in at.error] == [
        "The link names a saved network list that does not exist: it needs a number."
    ]


def test_a_read_only_deployment_shows_no_save_control(open_page, monkeypatch):
    store().save_network(
        "Lewisham civic sites", definition_from_organisations([ORG]), shared_with="everyone", by=Person.local_user()
    )
    monkeypatch.setenv("ANCHORMAP_READ_ONLY", "1")
    at = choose_lewisham(open_page(PAGE))
    assert len(at.session_state["network"]) > 0
    assert not save_button(at)
    assert at.selectbox(key="saved_list").options  # lists still open
    assert not [b for b in at.button if b.key == "delete_saved_list"]
    assert not [t for t in at.text_input if t.key == "save_list_name"]


@pytest.mark.usefixtures("open_page")  # the fixture's own store and map files under tmp_path
def test_a_viewer_sees_no_save_control():
    """Sign-in configured and nobody signed in: a viewer, who may open lists shared with everyone but not save."""
    store().save_network(
        "Lewisham civic sites", definition_from_organisations([ORG]), shared_with="everyone", by=Person.local_user()
    )
    at = AppTest.from_file(str(config.REPO_ROOT / PAGE), default_timeout=PAGE_TIMEOUT_S)
    for key, value in VIEWER_SECRETS.items():
        at.secrets[key] = value
    at.run()
    assert not at.exception
    at = choose_lewisham(at)
    assert len(at.session_state["network"]) > 0
    assert not save_button(at)
    assert at.selectbox(key="saved_list").options  # the shared list can be opened
    assert not [b for b in at.button if b.key == "delete_saved_list"]


VIEWER_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "not-a-secret-test-only",
        "client_id": "anchormap-test",
        "client_secret": "not-a-secret-test-only",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}
