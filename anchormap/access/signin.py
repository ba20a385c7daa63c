"""Who is acting on a page: sign-in set-up, the signed-in person, and their access (no Streamlit here).

The app signs people in with Streamlit's built-in OpenID Connect (``st.login``/``st.user``),
configured by an ``[auth]`` section in ``.streamlit/secrets.toml`` as Streamlit documents it.
:mod:`anchormap.ui.signin` reads ``st.secrets`` and ``st.user`` and hands them, as plain
mappings, to the functions here:

- :func:`sign_in_configured` and :func:`auth_problem`: is sign-in set up, and set up completely?
- :func:`person_from_user`: the acting :class:`~anchormap.access.people.Person` (the local user
  when sign-in is not set up; someone not signed in; or the signed-in address and name).
- :func:`access_of`: their role, from the store's allow-list; a read-only deployment
  (:func:`anchormap.config.read_only`) makes everyone a viewer.
"""

from __future__ import annotations

from collections.abc import Mapping

from anchormap.access.people import VIEWER, Access, Person

AUTH_SECTION = "auth"
"""The secrets section that sets up sign-in (Streamlit's ``[auth]``)."""
SHARED_KEYS = ("redirect_uri", "cookie_secret")
"""Keys the ``[auth]`` section itself must have."""
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
"""Keys the identity provider's settings must have (in ``[auth]``, or in one ``[auth.NAME]`` section)."""


def sign_in_configured(secrets: Mapping | None) -> bool:
    """True when the secrets have an ``[auth]`` section (sign-in set up), False on a laptop without one.

    >>> sign_in_configured({}), sign_in_configured({"auth": {"redirect_uri": "x"}})
    (False, True)
    """
    return bool(secrets) and isinstance(secrets.get(AUTH_SECTION), Mapping)


def auth_problem(secrets: Mapping | None) -> str | None:
    """What is missing from the ``[auth]`` section, in words; None when sign-in is set up completely.

    Parameters
    ----------
    secrets : mapping
        ``st.secrets`` as a mapping (``[auth]`` a nested mapping).

    Returns
    -------
    str or None
        E.g. "Sign-in is set up in .streamlit/secrets.toml, but its [auth] section lacks cookie_secret."

    Examples
    --------
    >>> auth_problem({"auth": {"redirect_uri": "u", "cookie_secret": "s", "client_id": "i",
    ...     "client_secret": "c", "server_metadata_url": "m"}}) is None
    True
    >>> auth_problem({"auth": {"redirect_uri": "u"}})
    'Sign-in is set up in .streamlit/secrets.toml, but its [auth] section lacks cookie_secret, client_id, client_secret and server_metadata_url.'
    """
    if not sign_in_configured(secrets):
        return None
    auth = secrets[AUTH_SECTION]
    missing = [k for k in SHARED_KEYS if not auth.get(k)]
    providers = [v for v in auth.values() if isinstance(v, Mapping)]
    if not any(all(p.get(k) for k in PROVIDER_KEYS) for p in providers):
        missing += [k for k in PROVIDER_KEYS if not auth.get(k)]
    if not missing:
        return None
    names = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    return f"Sign-in is set up in .streamlit/secrets.toml, but its [auth] section lacks {names}."


def person_from_user(user: Mapping | None, *, sign_in: bool, via: str = "page") -> Person:
    """The acting person from the identity provider's claims (``st.user`` as a mapping).

    Parameters
    ----------
    user : mapping or None
        ``is_logged_in`` (bool), and the ID token's claims: ``email`` (or, as Microsoft Entra ID
        gives it, ``preferred_username`` when it is an address) and ``name``.
    sign_in : bool
        Sign-in is set up (:func:`sign_in_configured`). Without it the person is the local user.
    via : str
        ``"page"`` or ``"cli"``.

    Returns
    -------
    Person
        :meth:`Person.local_user` without sign-in; :meth:`Person.anonymous` when not signed in
        (or signed in without an address); else the address (lower case) and name.

    Examples
    --------
    >>> person_from_user({"is_logged_in": True, "email": "Jo@Lewisham.gov.uk", "name": "Jo"}, sign_in=True).words
    'Jo (jo@lewisham.gov.uk)'
    >>> person_from_user({"is_logged_in": False}, sign_in=True).words
    'someone not signed in'
    >>> person_from_user({}, sign_in=False).local
    True
    """
    if not sign_in:
        return Person.local_user(via)
    if not user or not user.get("is_logged_in"):
        return Person.anonymous(via)
    email = str(user.get("email") or "").strip()
    if not email:
        alt = str(user.get("preferred_username") or "").strip()
        email = alt if "@" in alt else ""
    if not email:
        return Person.anonymous(via)
    return Person(email=email.lower(), name=str(user.get("name") or "").strip(), via=via)


def access_of(person: Person, store, *, read_only: bool) -> Access:
    """The person's access: from the store's allow-list, or a viewer's on a read-only deployment.

    Parameters
    ----------
    person : Person
    store : anchormap.land.store.LandStore
        Asked with :meth:`~anchormap.land.store.LandStore.access_for` (not asked when read-only).
    read_only : bool
        :func:`anchormap.config.read_only`: a kiosk, where nobody writes.

    Returns
    -------
    Access

    Raises
    ------
    anchormap.land.store.StoreError
        When the store cannot be reached to look the person up.
    """
    if read_only:
        return Access(person, VIEWER)
    if not person.local and not person.key:
        return Access(person, VIEWER)  # not signed in: nothing to look up
    return store.access_for(person)
