"""The store of partners' uploaded land and property registers (SQLite, stdlib ``sqlite3``).

Each import is one *submission* (partner, uploaded at, file name, rows accepted and
rejected, status ``active`` or ``withdrawn``) with its assets in the land schema
(:mod:`anchormap.land.schema`; coordinates as BNG ``easting``/``northing``, EPSG:27700, metres)
and its validation report. One import is one transaction: it either stores everything or,
on any failure part-way, nothing; the database file is then byte-for-byte as it was (SQLite
rollback journal, not WAL, so nothing lingers beside it).

Where: ``ANCHORMAP_STORE`` (a file path, or ``sqlite:///path``), default
``<cache>/store/land.sqlite`` under the git-ignored cache directory. Code talks to the
:class:`LandStore` protocol, so a shared server (e.g. PostGIS) can replace SQLite later by
implementing the same five methods; :func:`open_store` picks the implementation.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

import anchormap.config as config
from anchormap.access.people import Access, Person
from anchormap.errors import AnchorMapError
from anchormap.land.schema import EXTRA_COLUMN, LAND_COLUMNS, NUMBER_COLUMNS, finalise

STORE_ENV = "ANCHORMAP_STORE"
_STORED_COLUMNS = [*(c for c in LAND_COLUMNS if c not in ("lat", "lon")), EXTRA_COLUMN]
"""The assets table's columns after ``submission_id`` and ``row_number``; a store made before a column
was added gets it (empty for the rows already there) the first time it is opened."""
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


def default_store_path() -> Path:
    """``ANCHORMAP_STORE`` or ``<cache>/store/land.sqlite``.

    Returns
    -------
    pathlib.Path
        ``ANCHORMAP_STORE`` when set (a file path, or ``sqlite:///path`` with the prefix
        removed), else ``store/land.sqlite`` under :func:`anchormap.config.cache_dir`.
    """
    env = os.environ.get(STORE_ENV, "").strip()
    if env:
        if env.startswith("sqlite:///"):
            env = env[len("sqlite:///") :]
        return Path(env)
    return config.cache_dir() / "store" / "land.sqlite"


def open_store(location: str | Path | None = None) -> LandStore:
    """The store at ``location`` (default :func:`default_store_path`).

    Parameters
    ----------
    location : str or pathlib.Path, optional
        Path of the SQLite file; None means ``ANCHORMAP_STORE`` or the default path. The
        file is not opened or created until it is used.

    Returns
    -------
    LandStore
        A :class:`SQLiteLandStore`.

    Raises
    ------
    StoreError
        When the location (or ``ANCHORMAP_STORE``) is a ``postgresql://`` or
        ``postgres://`` URL: a PostGIS store is not implemented yet.
    """
    loc = str(location) if location is not None else os.environ.get(STORE_ENV, "").strip()
    if loc.startswith(("postgresql://", "postgres://")):
        msg = (
            "A PostGIS store is not implemented yet: set ANCHORMAP_STORE to a file path "
            "(SQLite) for now. The LandStore protocol in anchormap/store.py is what it must provide."
        )
        raise StoreError(msg)
    return SQLiteLandStore(Path(location) if location is not None else default_store_path())


def _column_type(column: str) -> str:
    return "REAL" if column in NUMBER_COLUMNS else "INTEGER" if column == "on_map" else "TEXT"


_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partner TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT,
    register_kind TEXT,
    rows_accepted INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'withdrawn')),
    withdrawn_at TEXT
);
CREATE TABLE IF NOT EXISTS assets (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    row_number INTEGER,
    {", ".join(f"{c} {_column_type(c)}" for c in _STORED_COLUMNS)},
    PRIMARY KEY (submission_id, asset_id)
);
CREATE TABLE IF NOT EXISTS issues (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    row INTEGER, column_name TEXT, problem TEXT, action TEXT, severity TEXT
);
CREATE INDEX IF NOT EXISTS assets_uprn ON assets(uprn);
"""


def _asset_record(submission_id: int, row: dict) -> tuple:
    """One asset as a tuple for INSERT (in :data:`_STORED_COLUMNS` order)."""
    vals = []
    for c in _STORED_COLUMNS:
        v = row.get(c)
        if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
            vals.append(None)
        elif c == "on_map":
            vals.append(int(bool(v)))
        elif c in NUMBER_COLUMNS:
            vals.append(float(v))
        else:
            vals.append(str(v))
    rn = row.get("row_number")
    return (submission_id, None if rn is None or rn is pd.NA or rn != rn else int(rn), *vals)


class SQLiteLandStore:
    """:class:`LandStore` in one SQLite file (created on first write).

    Parameters
    ----------
    path : pathlib.Path or str
        The SQLite file. Reading a store whose file does not exist gives empty tables;
        the first write creates it (and its directory).
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"SQLiteLandStore({str(self.path)!r})"

    @contextlib.contextmanager
    def _connect(self, write: bool) -> Iterator[sqlite3.Connection]:
        if not write and not self.path.is_file():
            yield None  # type: ignore[misc]
            return
        try:
            if write:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        except (sqlite3.Error, OSError) as exc:
            msg = f"The land store {self.path} cannot be opened ({exc})."
            raise StoreError(msg) from None
        try:
            con.execute("PRAGMA journal_mode=DELETE")
            con.execute("PRAGMA foreign_keys=ON")
            try:
                _upgrade(con)
            except sqlite3.OperationalError:
                if write:
                    raise
                # a store that cannot be written (read-only file) is still read, the new columns empty
            yield con
        except sqlite3.DatabaseError as exc:
            msg = f"The land store {self.path} cannot be used ({exc}). Is it an AnchorMap store?"
            raise StoreError(msg) from None
        finally:
            con.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        existed = self.path.is_file()
        with self._connect(write=True) as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                # executescript() would COMMIT first: create the tables one statement at a time
                for stmt in filter(str.strip, _SCHEMA.split(";")):
                    con.execute(stmt)
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                if not existed:
                    con.close()
                    self.path.unlink(missing_ok=True)
                raise

    def add_submission(
        self,
        *,
        partner: str,
        file_name: str,
        assets: pd.DataFrame,
        rows_rejected: int,
        report: pd.DataFrame | None = None,
        register_kind: str = "",
        file_sha256: str = "",
    ) -> int:
        """Store a submission and its assets in one transaction; return its id.

        Parameters, return value and errors as :meth:`LandStore.add_submission`. The database
        file is left byte-for-byte as it was on any failure (and removed again if this write
        created it).
        """
        if len(assets) == 0:
            msg = f"{file_name}: no valid rows to store."
            raise StoreError(msg)
        dup = assets["asset_id"][assets["asset_id"].duplicated()]
        if len(dup):
            msg = f"{file_name}: asset ids repeat ({', '.join(map(str, dup.head(5)))}); nothing stored."
            raise StoreError(msg)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        cols = ", ".join(["submission_id", "row_number", *_STORED_COLUMNS])
        marks = ", ".join("?" * (len(_STORED_COLUMNS) + 2))
        with self._transaction() as con:
            cur = con.execute(
                "INSERT INTO submissions (partner, uploaded_at, file_name, file_sha256, register_kind, rows_accepted,"
                " rows_rejected, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'active')",
                (partner, now, file_name, file_sha256, register_kind, len(assets), int(rows_rejected)),
            )
            sid = int(cur.lastrowid)
            table = pd.DataFrame(assets.drop(columns="geometry", errors="ignore")).astype(object)
            for row in table.to_dict("records"):
                con.execute(f"INSERT INTO assets ({cols}) VALUES ({marks})", _asset_record(sid, row))
            if report is not None and len(report):
                con.executemany(
                    "INSERT INTO issues (submission_id, row, column_name, problem, action, severity)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (
                            sid,
                            None if pd.isna(r["row"]) else int(r["row"]),
                            None if pd.isna(r["column"]) else str(r["column"]),
                            r["problem"],
                            r["action"],
                            r["severity"],
                        )
                        for r in report.to_dict("records")
                    ],
                )
        return sid

    def submissions(self) -> pd.DataFrame:
        """Every submission (columns :data:`SUBMISSION_COLUMNS`), newest first.

        Returns
        -------
        pandas.DataFrame
            One row per submission, by descending id; ``uploaded_at`` and
            ``withdrawn_at`` are ISO 8601 UTC timestamps to the second (``withdrawn_at``
            None while active). No rows when the file or its tables do not exist yet.

        Raises
        ------
        StoreError
            When the file cannot be opened or is not an AnchorMap store.
        """
        with self._connect(write=False) as con:
            if con is None or not _has_tables(con):
                return pd.DataFrame(columns=SUBMISSION_COLUMNS)
            return pd.read_sql_query(f"SELECT {', '.join(SUBMISSION_COLUMNS)} FROM submissions ORDER BY id DESC", con)

    def withdraw(self, submission_id: int) -> None:
        """Mark a submission withdrawn: its assets no longer count.

        Its rows stay in the store (``include_withdrawn`` in :meth:`assets` still shows
        them); ``withdrawn_at`` records when, in UTC.

        Parameters
        ----------
        submission_id : int
            Id of an active submission.

        Returns
        -------
        None

        Raises
        ------
        StoreError
            When there is no such submission (the message lists the ids there are), it was
            already withdrawn, someone else withdrew it a moment ago, or the store cannot be
            opened or used.
        """
        subs = self.submissions()
        hit = subs[subs["id"] == int(submission_id)]
        if hit.empty:
            known = ", ".join(map(str, sorted(subs["id"]))) or "none"
            msg = f"There is no submission {submission_id} in the land store {self.path} (submissions: {known})."
            raise StoreError(msg)
        if hit["status"].iloc[0] == "withdrawn":
            msg = f"Submission {submission_id} was already withdrawn on {hit['withdrawn_at'].iloc[0]}."
            raise StoreError(msg)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction() as con:
            cur = con.execute(
                "UPDATE submissions SET status = 'withdrawn', withdrawn_at = ? WHERE id = ? AND status = 'active'",
                (now, int(submission_id)),
            )
            if cur.rowcount != 1:  # withdrawn by someone else since it was read above
                msg = f"Submission {submission_id} was withdrawn by someone else a moment ago."
                raise StoreError(msg)

    def assets(self, include_withdrawn: bool = False):
        """Stored assets in the land schema (GeoDataFrame, EPSG:27700) with ``submission_id``.

        Parameters
        ----------
        include_withdrawn : bool, optional
            Also return assets of withdrawn submissions (default False).

        Returns
        -------
        geopandas.GeoDataFrame
            Assets ordered by submission and row, through
            :func:`anchormap.land.schema.finalise`: British National Grid (EPSG:27700)
            points, ``lon``/``lat`` in WGS84 degrees derived again from
            ``easting``/``northing``. ``source`` is ``upload:<submission id>`` and
            ``asset_id`` is prefixed with it (``upload:3:A12``) so ids are unique across
            submissions. Extra columns: ``extra`` (the register's columns no field took, as
            JSON text; see :func:`anchormap.land.schema.extra_attributes`), ``submission_id``,
            ``row_number`` and ``submission_status``. No rows when the store is empty or missing.

        Raises
        ------
        StoreError
            When the file cannot be opened or is not an AnchorMap store.
        """
        with self._connect(write=False) as con:
            if con is None or not _has_tables(con):
                df = pd.DataFrame(columns=["submission_id", "row_number", *_STORED_COLUMNS])
            else:
                where = "" if include_withdrawn else "WHERE s.status = 'active'"
                df = pd.read_sql_query(
                    f"SELECT a.*, s.status AS submission_status FROM assets a JOIN submissions s "
                    f"ON s.id = a.submission_id {where} ORDER BY a.submission_id, a.row_number",
                    con,
                )
        if EXTRA_COLUMN not in df.columns:
            df[EXTRA_COLUMN] = None
        df["on_map"] = df["on_map"].map(lambda v: bool(v) if v is not None and v == v else False)
        df["source"] = "upload:" + df["submission_id"].astype(str)
        df["asset_id"] = df["source"] + ":" + df["asset_id"].astype(str)
        return finalise(df)

    def report(self, submission_id: int) -> pd.DataFrame:
        """The validation report stored with a submission.

        Parameters
        ----------
        submission_id : int
            The submission's id.

        Returns
        -------
        pandas.DataFrame
            Columns ``row``, ``column``, ``problem``, ``action``, ``severity``, in the order
            stored; no rows when the submission has none, does not exist, or the store is
            empty.

        Raises
        ------
        StoreError
            When the file cannot be opened or is not an AnchorMap store.
        """
        with self._connect(write=False) as con:
            if con is None or not _has_tables(con):
                return pd.DataFrame(columns=["row", "column", "problem", "action", "severity"])
            return pd.read_sql_query(
                "SELECT row, column_name AS column, problem, action, severity FROM issues "
                "WHERE submission_id = ? ORDER BY rowid",
                con,
                params=(int(submission_id),),
            )


def _upgrade(con: sqlite3.Connection) -> None:
    """Add the asset columns an older store lacks (e.g. ``extra``), in place: its rows stay as they were.

    One transaction; nothing is written when the store is already current or has no tables yet.
    """
    have = {r[1] for r in con.execute("PRAGMA table_info(assets)")}
    if not have:
        return
    lacking = [c for c in _STORED_COLUMNS if c not in have]
    if not lacking:
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        have = {r[1] for r in con.execute("PRAGMA table_info(assets)")}  # someone may have upgraded it meanwhile
        for c in lacking:
            if c not in have:
                con.execute(f"ALTER TABLE assets ADD COLUMN {c} {_column_type(c)}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _has_tables(con: sqlite3.Connection) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE name = 'submissions'").fetchone() is not None
