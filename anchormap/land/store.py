"""The store of partners' uploaded land and property registers: its protocol, errors, and where it is.

Each import is one *submission* (partner, uploaded at, file name, rows accepted and
rejected, status ``active`` or ``withdrawn``) with its assets in the land schema
(:mod:`anchormap.land.schema`; coordinates as BNG ``easting``/``northing``, EPSG:27700, metres)
and its validation report. One import is one transaction: it either stores everything or,
on any failure part-way, nothing; the database file is then byte-for-byte as it was (SQLite
rollback journal, not WAL, so nothing lingers beside it).

Where: ``open_store(location)``, else ``ANCHORMAP_STORE``, else the settings file's ``store``
(:func:`anchormap.config.settings`), else ``<cache>/store/land.sqlite`` under the git-ignored
cache directory. A file path (or ``sqlite:///path``) is a SQLite store; a ``postgresql://`` URL a
PostgreSQL + PostGIS one. Both are :class:`anchormap.land.store_sql.SqlLandStore` (SQLAlchemy Core),
with the same behaviour; code talks to the :class:`LandStore` protocol.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

import anchormap.config as config
from anchormap.access.people import Access, Person
from anchormap.errors import AnchorMapError

STORE_ENV = "ANCHORMAP_STORE"
SUBMISSION_COLUMNS = [
    "id",
    "partner",
    "uploaded_at",
    "file_name",
    "file_sha256",
    "register_kind",
    "rows_accepted",
    "rows_rejected",
    "status",
    "withdrawn_at",
    "replaced_by",
    "uploaded_by",
]
AUDIT_COLUMNS = [
    "at",
    "who",
    "via",
    "action",
    "partner",
    "submission_id",
    "file_name",
    "file_sha256",
    "rows_stored",
    "rows_rejected",
    "detail",
]


class StoreError(AnchorMapError):
    """The store cannot be opened or a request on it cannot be done."""


class StoreUnavailable(StoreError):
    """The store cannot be reached (file not openable, database server down or refusing); nothing was written."""


class DuplicateSubmission(StoreError):
    """The same file (same SHA-256) is already stored in an active submission; nothing was written.

    ``existing`` is that submission's :class:`SubmissionInfo`.
    """

    def __init__(self, message: str, existing: SubmissionInfo):
        super().__init__(message)
        self.existing = existing


@dataclass(frozen=True)
class SubmissionInfo:
    """One submission, for messages: "Lewisham Council's assets.csv, stored 2 December 2026, 12 rows".

    ``uploaded_at``/``withdrawn_at`` are ISO 8601 UTC timestamps; ``status`` is ``active`` or
    ``withdrawn``; ``replaced_by`` is the id of the submission that replaced it (withdrawn ones only).
    """

    id: int
    partner: str
    file_name: str
    uploaded_at: str
    rows_accepted: int
    rows_rejected: int
    status: str
    file_sha256: str = ""
    withdrawn_at: str | None = None
    replaced_by: int | None = None
    uploaded_by: str = ""

    @property
    def words(self) -> str:
        """The submission in words (no id): partner, file, date and rows."""
        from anchormap.words import date_words

        rows = f"{self.rows_accepted:,} row{'s' if self.rows_accepted != 1 else ''}"
        return f"{self.partner}'s {self.file_name}, stored {date_words(self.uploaded_at[:10])}, {rows}"


class LandStore(Protocol):
    """What AnchorMap needs from a store of uploaded registers, partners, members, audit and saved lists.

    Every write takes ``by`` (the acting :class:`anchormap.access.people.Person`), looks up their
    role in the store's own allow-list (:meth:`access_for`), refuses with
    :class:`anchormap.access.people.PermissionRefused` what the role does not allow (nothing
    written), and records itself in the audit trail in the same transaction. A store opened
    read-only (``ANCHORMAP_READ_ONLY=1``) refuses every write.
    """

    where: str
    """Where the store is, in words safe to show (a file path, or a URL without its password)."""

    # --- who may do what ---------------------------------------------------------------
    def access_for(self, person: Person) -> Access:
        """The person's role and partner: local user, steward, member, or viewer (not on the list)."""

    def partners(self) -> pd.DataFrame:
        """Registered partners: columns ``name``, ``code`` (GSS code or empty), ``added_at``; by name."""

    def add_partner(self, name: str, code: str = "", *, by: Person) -> None:
        """Register a partner (stewards and the local user). Refuses a name already there (any case)."""

    def members(self) -> pd.DataFrame:
        """The allow-list: columns ``email``, ``partner``, ``role``, ``granted_at``, ``granted_by``; by email."""

    def grant(self, email: str, partner: str, role: str, *, by: Person) -> None:
        """Put ``email`` on the allow-list as ``role`` (member or steward) of a registered ``partner``.

        Replaces any earlier grant of the same address (one partner per person). Stewards only.
        """

    def revoke(self, email: str, *, by: Person) -> None:
        """Take ``email`` off the allow-list (they become a viewer). Stewards only; refuses an unknown address."""

    # --- submissions ----------------------------------------------------------------------
    def add_submission(
        self,
        *,
        partner: str,
        file_name: str,
        assets: pd.DataFrame,
        rows_rejected: int,
        by: Person,
        report: pd.DataFrame | None = None,
        register_kind: str = "",
        file_sha256: str = "",
    ) -> int:
        """Store a submission and its assets in one transaction; return its id.

        ``assets`` are accepted rows in the land schema (BNG ``easting``/``northing``, EPSG:27700,
        metres; ``lat``/``lon``/``geometry`` are derived again on reading), with optional
        ``row_number``; ``asset_id`` must be unique. Members may add only for their own partner.

        Raises
        ------
        DuplicateSubmission
            When ``file_sha256`` is that of an active submission (the message points to it).
        PermissionRefused
            When ``by`` may not add for ``partner``.
        StoreError
            When ``assets`` is empty, asset ids repeat, or the store cannot be used. On any
            failure nothing is stored.
        """

    def replace_submission(
        self,
        submission_id: int,
        *,
        file_name: str,
        assets: pd.DataFrame,
        rows_rejected: int,
        by: Person,
        report: pd.DataFrame | None = None,
        register_kind: str = "",
        file_sha256: str = "",
    ) -> int:
        """Withdraw active ``submission_id`` and store the new version for the same partner, in one transaction.

        Returns the new submission's id; the old one is withdrawn with ``replaced_by`` set. On any
        failure neither happens.
        """

    def submission(self, submission_id: int) -> SubmissionInfo:
        """One submission; StoreError naming the ids there are when there is no such submission."""

    def submissions(self) -> pd.DataFrame:
        """Every submission, newest first: columns :data:`SUBMISSION_COLUMNS`. No rows for an empty or missing store."""

    def withdraw(self, submission_id: int, *, by: Person) -> SubmissionInfo:
        """Mark an active submission withdrawn (its assets no longer count); return it as it now is.

        Raises StoreError when there is no such submission or it is already withdrawn (also when
        someone else withdrew it a moment ago); PermissionRefused for another partner's, for a member.
        """

    def correct_asset(self, submission_id: int, asset_id: str, changes: dict, reason: str, *, by: Person) -> None:
        """Change fields of one stored row (land-schema field -> new value) with a reason; audited with old and new values.

        ``asset_id`` is the register's own id (as stored, without the ``upload:N:`` prefix).
        Values are checked as an upload's would be; a reason is required.
        """

    def remove_asset(self, submission_id: int, asset_id: str, reason: str, *, by: Person) -> None:
        """Take one stored row out of an active submission (it no longer counts), with a reason; audited."""

    def assets(self, include_withdrawn: bool = False):
        """Stored assets in the land schema (GeoDataFrame, EPSG:27700) with ``submission_id``.

        Removed rows are left out; withdrawn submissions' rows only with ``include_withdrawn``.
        """

    def report(self, submission_id: int) -> pd.DataFrame:
        """The validation report stored with a submission: ``row``, ``column``, ``problem``, ``action``, ``severity``."""

    # --- audit trail ------------------------------------------------------------------------
    def audit(self, *, by: Person, since: str | None = None) -> pd.DataFrame:
        """The audit trail, oldest first (stewards and the local user only).

        Columns :data:`AUDIT_COLUMNS`: ``at`` (ISO 8601 UTC), ``who``, ``via`` (page or cli),
        ``action`` (import, replace, correct, remove, withdraw, add partner, grant, revoke, save
        list, delete list), ``partner``, ``submission_id``, ``file_name``, ``file_sha256``,
        ``rows_stored``, ``rows_rejected``, ``detail`` (words). ``since`` is an ISO date: entries
        on or after it.
        """

    # --- saved network lists -------------------------------------------------------------
    def save_network(self, name: str, definition: dict, *, shared_with: str, by: Person) -> int:
        """Save a network list (``definition`` is JSON-able) under the member's partner; return its id.

        ``shared_with`` is ``"everyone"`` or ``"partner"``. Members, stewards and the local user.
        """

    def networks(self, person: Person) -> pd.DataFrame:
        """The saved lists ``person`` may open: columns ``id``, ``name``, ``partner``, ``shared_with``, ``saved_by``, ``saved_at``."""

    def network(self, list_id: int, person: Person) -> dict:
        """A saved list's ``definition``; StoreError when there is none ``person`` may open."""

    def delete_network(self, list_id: int, *, by: Person) -> None:
        """Delete a saved list (its partner's members, stewards, the local user)."""

    # --- change detection -----------------------------------------------------------------
    def stamp(self) -> str:
        """A token that changes whenever anything is written (for the app's caches)."""


def store_location() -> str:
    """Where the store is when none is given: ``ANCHORMAP_STORE``, the settings' ``store``, or the default file.

    Returns
    -------
    str
        A file path, ``sqlite:///path`` or a ``postgresql://`` URL (password included: not for showing).
    """
    env = os.environ.get(STORE_ENV, "").strip()
    if env:
        return env
    configured = str(config.settings().get("store", "") or "").strip()
    if configured:
        return configured
    return str(config.cache_dir() / "store" / "land.sqlite")


def default_store_path() -> Path:
    """The SQLite file of the store when none is given (:func:`store_location` without ``sqlite:///``).

    Returns
    -------
    pathlib.Path
        ``ANCHORMAP_STORE`` or the settings' ``store`` when set (a file path, or ``sqlite:///path``
        with the prefix removed), else ``store/land.sqlite`` under :func:`anchormap.config.cache_dir`.
        For a PostgreSQL store this is its URL as a path: use :func:`store_location` instead.
    """
    loc = store_location()
    if loc.startswith("sqlite:///"):
        loc = loc[len("sqlite:///") :]
    return Path(loc)


def open_store(location: str | Path | None = None, *, read_only: bool | None = None) -> LandStore:
    """The store at ``location`` (default :func:`store_location`), SQLite or PostgreSQL + PostGIS.

    Parameters
    ----------
    location : str or pathlib.Path, optional
        A SQLite file path (or ``sqlite:///path``) or a ``postgresql://user:password@host:port/db``
        URL. Nothing is opened, created or migrated until the store is used.
    read_only : bool, optional
        Refuse every write; None (default) means :func:`anchormap.config.read_only`.

    Returns
    -------
    LandStore
        An :class:`anchormap.land.store_sql.SqlLandStore`.
    """
    from anchormap.land.store_sql import SqlLandStore

    loc = str(location) if location is not None else store_location()
    return SqlLandStore(loc, read_only=config.read_only() if read_only is None else read_only)


def __getattr__(name: str):
    """``SQLiteLandStore`` (the SQLite store by its older name) without importing SQLAlchemy at import time."""
    if name == "SQLiteLandStore":
        from anchormap.land.store_sql import SQLiteLandStore

        return SQLiteLandStore
    raise AttributeError(name)
