"""Sign-in on every page: the sidebar box, and the acting person's access that pages ask for.

Streamlit glue over :mod:`anchormap.access.signin`. Sign-in is set up by an ``[auth]`` section in
``.streamlit/secrets.toml`` (Streamlit's ``st.login``, OpenID Connect); then the acting person is
``st.user`` (someone not signed in is a viewer) and their role comes from the store's allow-list.
Without ``[auth]`` the app is a single-user tool run by the local user. A read-only deployment
(``ANCHORMAP_READ_ONLY=1``) shows no sign-in and no write control, and says so once, here.

Pages call :func:`current_access`; ``app.py`` calls :func:`sign_in_box` before running the page.
The access is kept in ``st.session_state["signin_access"]`` with the person and the store's
stamp it was looked up for, so it is looked up again when either changes (a steward's grant, a
sign-out); nothing a browser sends can set it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from anchormap import AnchorMapError, config, escape_markdown, open_store
from anchormap.access.people import LOCAL, VIEWER, Access, Person
from anchormap.access.signin import AUTH_SECTION, access_of, auth_problem, person_from_user, sign_in_configured

ACCESS_KEY = "signin_access"
PROBLEM_KEY = "signin_problem"
READ_ONLY_WORDS = (
    "This is a read-only display: you can look, search and download what is shown, but nothing can be changed here."
)


def _read_secrets() -> tuple[dict, str | None]:
    """``st.secrets`` as a dict (empty when there is no secrets file), and why it could not be read.

    A secrets file that exists but cannot be read counts as sign-in set up but broken (an empty
    ``[auth]``), so nobody may write, rather than as a laptop where the local user may.
    """
    try:
        return st.secrets.to_dict(), None
    except Exception as exc:  # Streamlit raises its own error for a missing or unreadable file
        there = [p for p in st.get_option("secrets.files") if Path(p).exists()]
        if not there:
            return {}, None
        return {AUTH_SECTION: {}}, f"The secrets file {there[0]} cannot be read ({exc}). Nothing can be changed."


def _secrets() -> dict:
    return _read_secrets()[0]


def signing_in() -> bool:
    """True when sign-in is set up (an ``[auth]`` section in the secrets) and this is not a read-only display."""
    return not config.read_only() and sign_in_configured(_secrets())


def acting_person() -> Person:
    """The person acting in this session: the signed-in person, someone not signed in, or the local user."""
    secrets = _secrets()
    configured = sign_in_configured(secrets)
    if config.read_only():
        return person_from_user(_user(), sign_in=True) if configured else Person.anonymous()
    return person_from_user(_user() if configured else None, sign_in=configured)


def _user() -> dict:
    try:
        return st.user.to_dict()
    except Exception:  # no script context or no user info: nobody signed in
        return {}


def current_access(store=None) -> Access:
    """The acting person's access, kept for the session until the person or the store changes.

    Parameters
    ----------
    store : anchormap.land.store.LandStore, optional
        Default :func:`anchormap.open_store`.

    Returns
    -------
    Access
        A viewer's access when the store cannot be reached to look the person up; the reason is
        kept for :func:`sign_in_box` to show.
    """
    person = acting_person()
    read_only = config.read_only()
    if person.local and not read_only and store is None:
        return Access(person, LOCAL)  # the single user of a laptop: nothing to look up (the store opens when used)
    try:
        store = store if store is not None else open_store()
        stamp = None if read_only or not (person.local or person.key) else store.stamp()
    except AnchorMapError as err:
        st.session_state[PROBLEM_KEY] = str(err)
        return Access(person, VIEWER)
    kept = st.session_state.get(ACCESS_KEY)
    if kept is not None and kept[0] == (person, stamp, read_only):
        return kept[1]
    try:
        access = access_of(person, store, read_only=read_only)
    except AnchorMapError as err:
        st.session_state[PROBLEM_KEY] = str(err)
        return Access(person, VIEWER)
    st.session_state.pop(PROBLEM_KEY, None)
    st.session_state[ACCESS_KEY] = ((person, stamp, read_only), access)
    return access


def sign_in_box() -> None:
    """The sidebar's sign-in box: "Sign in", who is signed in with "Sign out", or the single-user sentence."""
    with st.sidebar.container(key="signin_box"):
        if config.read_only():
            st.info(READ_ONLY_WORDS)
            return
        secrets, unreadable = _read_secrets()
        incomplete = auth_problem(secrets)
        if unreadable or incomplete:
            st.error(escape_markdown(unreadable or f"{incomplete} Nothing can be changed until it is complete."))
            return
        access = current_access()
        if PROBLEM_KEY in st.session_state:
            st.warning(escape_markdown(st.session_state[PROBLEM_KEY]))
        if not signing_in():
            st.caption(escape_markdown(access.words))
            return
        if not access.person.key:
            st.caption("Partners sign in to add or change their registers; anyone can look and download.")
            if st.button("Sign in", key="signin_login"):
                st.login()
            return
        st.markdown(escape_markdown(access.words))
        if st.button("Sign out", key="signin_logout"):
            st.session_state.pop(ACCESS_KEY, None)
            st.logout()
