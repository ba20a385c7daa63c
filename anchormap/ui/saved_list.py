"""Saved network lists in the app: open one from a link (``?list=ID`` on any page), keep its definition.

:func:`open_linked_list` is called once per run from the app's entry point (``app.py``), before the
chosen page runs: when the address has ``list=ID`` and that list is not yet the session's network,
it is read from the store (as the person may see it), turned back into the network
(:func:`anchormap.network.saved_lists.network_from_definition`) and kept as the session's network
(:func:`anchormap.network.lists.store_network`), so every page shows it as it shows a network
chosen on the Our network page. A list that cannot be opened is said in words on the page.

The session also keeps the current network's *definition* (:func:`keep_definition`), so the Our
network page can save it; and which saved list it came from (:func:`opened_list`), so the page
can keep ``list=ID`` in the address for sharing.
"""

from __future__ import annotations

from collections.abc import MutableMapping

import streamlit as st

from anchormap.access.people import Access, Person
from anchormap.errors import AnchorMapError
from anchormap.network.lists import store_network
from anchormap.network.saved_lists import network_from_definition

LINK_PARAM = "list"
"""The link parameter naming a saved list: ``/Our_network?list=12`` (any page)."""
DEFINITION_KEY = "network_definition"
"""Session key of the current network's definition (JSON-able; None for a network that cannot be saved)."""
OPENED_KEY = "network_saved_list"
"""Session key of ``(id, name)`` of the saved list the current network came from (or was saved as)."""
LINK_DONE_KEY = "network_list_link_done"
"""Session key of the ``list`` link value already handled (so a rerun does not open it again)."""
ERROR_KEY = "network_list_link_error"


def acting_access(store) -> Access:
    """Who is using the app and what they may do (the store's allow-list decides the role).

    Uses the sign-in helper (:func:`anchormap.ui.signin.current_access`) where the app has it;
    otherwise: with no ``[auth]`` section in the secrets, the local user (a single-user tool);
    with one, the person signed in through ``st.user`` (someone not signed in is a viewer).
    """
    try:
        from anchormap.ui.signin import current_access
    except ImportError:
        return store.access_for(_person())
    return current_access(store)


def _person() -> Person:
    try:
        configured = "auth" in st.secrets
    except (FileNotFoundError, KeyError, AttributeError):
        configured = False
    if not configured:
        return Person.local_user("page")
    user = st.user
    if not getattr(user, "is_logged_in", False):
        return Person.anonymous("page")
    return Person(email=str(user.get("email") or ""), name=str(user.get("name") or ""), via="page")


def keep_definition(state: MutableMapping, definition: dict | None, opened: tuple[int, str] | None = None) -> None:
    """Keep the current network's definition (and the saved list it came from) in the session."""
    state[DEFINITION_KEY] = definition
    if opened is None:
        state.pop(OPENED_KEY, None)
    else:
        state[OPENED_KEY] = (int(opened[0]), str(opened[1]))


def forget_definition(state: MutableMapping) -> None:
    """The network was cleared: nothing to save, no saved list open."""
    state.pop(DEFINITION_KEY, None)
    state.pop(OPENED_KEY, None)


def opened_list(state: MutableMapping) -> tuple[int, str] | None:
    """``(id, name)`` of the saved list the session's network is, or None."""
    return state.get(OPENED_KEY)


def list_name(store, list_id: int, person: Person) -> str:
    """The name of a saved list the person may see ("" when it is not among them)."""
    lists = store.networks(person)
    hit = lists[lists["id"] == int(list_id)] if len(lists) else lists
    return str(hit["name"].iloc[0]) if len(hit) else ""


def open_list(store, list_id: int, anchors, state: MutableMapping) -> str:
    """Open saved list ``list_id`` as the session's network; return its name.

    Raises
    ------
    AnchorMapError
        When the person may not see it, there is no such list, or its definition cannot be used.
    """
    person = acting_access(store).person
    definition = store.network(int(list_id), person)
    name = list_name(store, list_id, person) or f"list {int(list_id)}"
    network = network_from_definition(definition, anchors)
    store_network(state, network, f"the saved list \u201c{name}\u201d")
    keep_definition(state, definition, (int(list_id), name))
    return name


def open_linked_list() -> None:
    """Open the saved list named by ``?list=ID`` in the address, once per value; say so when it cannot be.

    Called from the app's entry point on every run (so on every page); cheap when there is no
    ``list`` in the link or it was handled already.
    """
    text = st.query_params.get(LINK_PARAM)
    if not text:
        return
    if st.session_state.get(LINK_DONE_KEY) == text:  # handled: say again only what went wrong
        if st.session_state.get(ERROR_KEY):
            st.error(st.session_state[ERROR_KEY])
        return
    st.session_state[LINK_DONE_KEY] = text
    st.session_state.pop(ERROR_KEY, None)
    if not text.strip().isdigit() or len(text.strip()) > 12:
        st.session_state[ERROR_KEY] = "The link names a saved network list that does not exist: it needs a number."
    else:
        opened = opened_list(st.session_state)
        if opened is not None and opened[0] == int(text):
            return
        from anchormap import escape_markdown
        from anchormap.land.store import open_store
        from anchormap.ui import cached

        try:
            open_list(open_store(), int(text), cached.anchors(), st.session_state)
        except AnchorMapError as exc:
            st.session_state[ERROR_KEY] = escape_markdown(
                f"The saved network list in this link cannot be opened: {exc}"
            )
    if st.session_state.get(ERROR_KEY):
        st.error(st.session_state[ERROR_KEY])
