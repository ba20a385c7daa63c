"""People acting on the store, their roles, and the one check every write makes.

Three roles (issue 10):

- **viewer**: anyone, signed in or not, and anyone signed in who is not on the store's
  allow-list: browse, search and export what is shown; no write of any kind.
- **member** of a partner: upload, check, confirm, replace and withdraw *their own partner's*
  submissions, correct or remove one of its stored rows, save network lists.
- **steward**: everything a member may, for every partner, plus partners, members and the
  audit trail.

A fourth kind of actor is the **local user**: the app on a laptop with no sign-in configured,
or the ``anchormap`` command line run by whoever holds the store's file or database
credentials. The local user may do everything a steward may; the audit trail records the
operating-system user name.

The store (:mod:`anchormap.land.store`) looks the person up in its own allow-list and calls
:func:`require` before writing: a refusal raises :class:`PermissionRefused` and writes nothing.
Pages hide what a role may not do, but the check is here, so the command line gets it too.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from anchormap.errors import AnchorMapError

VIEWER = "viewer"
MEMBER = "member"
STEWARD = "steward"
LOCAL = "local"
GRANTABLE_ROLES = (MEMBER, STEWARD)
"""The roles ``anchormap partners grant --role`` accepts."""
ROLE_WORDS = {
    VIEWER: "viewer (may read and export)",
    MEMBER: "member",
    STEWARD: "steward",
    LOCAL: "local user (single-user tool: every change allowed)",
}
VIA_WORDS = {"page": "the app", "cli": "the command line"}


class PermissionRefused(AnchorMapError):
    """The acting person's role does not allow this write; nothing was written."""


@dataclass(frozen=True)
class Person:
    """Someone acting on the store.

    Parameters
    ----------
    email : str
        The signed-in address (compared lower-cased), or the operating-system user name for
        the local user; empty for someone not signed in.
    name : str, optional
        Their name as the identity provider gives it (shown and audited; may be empty).
    via : str, optional
        ``"page"`` (the app) or ``"cli"`` (the command line): where the change came from.
    local : bool, optional
        The local user (no sign-in configured, or the command line's operator): every write allowed.
    """

    email: str = ""
    name: str = ""
    via: str = "page"
    local: bool = False

    @classmethod
    def anonymous(cls, via: str = "page") -> Person:
        """Someone not signed in: a viewer."""
        return cls(via=via)

    @classmethod
    def local_user(cls, via: str = "page") -> Person:
        """The single user of a laptop, or the command line's operator (operating-system user name)."""
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "local user"
        return cls(email=who, name="", via=via, local=True)

    @property
    def key(self) -> str:
        """The address as the allow-list stores it (lower case, no spaces)."""
        return self.email.strip().lower()

    @property
    def words(self) -> str:
        """Who, in words: "Jo Bloggs (jo@lewisham.gov.uk)", "local user alice", "someone not signed in"."""
        if self.local:
            return f"local user {self.email}"
        if not self.key:
            return "someone not signed in"
        return f"{self.name} ({self.key})" if self.name else self.key


@dataclass(frozen=True)
class Access:
    """What a person may do: their role and, for members and stewards, their partner.

    Parameters
    ----------
    person : Person
    role : str
        :data:`VIEWER`, :data:`MEMBER`, :data:`STEWARD` or :data:`LOCAL`.
    partner : str or None
        The partner a member or steward belongs to (None for viewers and the local user).
    """

    person: Person
    role: str = VIEWER
    partner: str | None = None

    @property
    def may_write(self) -> bool:
        """True for members, stewards and the local user."""
        return self.role in (MEMBER, STEWARD, LOCAL)

    @property
    def may_steward(self) -> bool:
        """True for stewards and the local user: partners, members, the audit trail, every partner's submissions."""
        return self.role in (STEWARD, LOCAL)

    def may_write_for(self, partner: str) -> bool:
        """True when this person may change ``partner``'s submissions."""
        return self.may_steward or (self.role == MEMBER and self.partner is not None and _same(self.partner, partner))

    @property
    def words(self) -> str:
        """A sentence for the page: "Signed in as jo@x: member of Lewisham Council." and the like."""
        who = self.person.words
        if self.role == LOCAL:
            return f"No sign-in is set up here: this is a single-user tool, and changes are recorded as {who}."
        if self.role == VIEWER:
            if not self.person.key:
                return "You are browsing: you can read and download what is shown."
            return f"Signed in as {who}: not on this network's list of members, so you can read and download only."
        return f"Signed in as {who}: {ROLE_WORDS[self.role]} of {self.partner}."


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def require(access: Access, what: str, partner: str | None = None, *, steward: bool = False) -> None:
    """Refuse a write the role does not allow, with a message saying who, what and why.

    Parameters
    ----------
    access : Access
        The acting person's access (from the store's allow-list).
    what : str
        The change in words, e.g. "withdraw submission 3 (Lewisham Council's assets.csv)".
    partner : str, optional
        The partner whose data the change touches (members may only touch their own).
    steward : bool, optional
        The change needs a steward (partners, members, the audit trail).

    Raises
    ------
    PermissionRefused
        When the role does not allow it; the caller then writes nothing.
    """
    if steward and not access.may_steward:
        msg = f"{access.person.words} cannot {what}: only a steward can."
    elif not access.may_write:
        msg = f"{access.person.words} cannot {what}: {_viewer_reason(access)}"
    elif partner is not None and not access.may_write_for(partner):
        msg = (
            f"{access.person.words} cannot {what}: a member of {access.partner} can change only "
            f"{access.partner}'s registers, not {partner}'s."
        )
    else:
        return
    raise PermissionRefused(msg)


def _viewer_reason(access: Access) -> str:
    if not access.person.key:
        return "sign in first (browsing does not allow changes)."
    return "they are not on this network's list of members; a steward can add them (anchormap partners grant)."
