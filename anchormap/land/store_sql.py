"""The :class:`anchormap.land.store.LandStore` protocol on SQLAlchemy Core: one implementation for SQLite and PostGIS.

:class:`SqlLandStore` keeps submissions, their assets and reports, partners, the allow-list of
members, the audit trail and saved network lists in the tables of
:mod:`anchormap.land.store_schema`, through an engine of :mod:`anchormap.land.store_engine`
(a SQLite file, the default, or a PostgreSQL + PostGIS server). The schema is brought up to
date by :mod:`anchormap.land.store_migrations` the first time the store is used.

Every write

1. is refused at once in a read-only store (``ANCHORMAP_READ_ONLY``, a community-session kiosk);
2. opens one transaction (SQLite ``BEGIN IMMEDIATE``, so writers queue);
3. looks the acting person up in the store's own allow-list (``members``) and calls
   :func:`anchormap.access.people.require`: a refusal raises
   :class:`anchormap.access.people.PermissionRefused` and nothing is written;
4. writes, then records itself in the ``audit`` table in the same transaction.

On any failure the transaction rolls back: a SQLite file is byte-for-byte as it was (and
removed again when that write created it). Coordinates are British National Grid
``easting``/``northing`` (EPSG:27700, metres) throughout.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from anchormap.access.people import GRANTABLE_ROLES, LOCAL, MEMBER, VIEWER, Access, PermissionRefused, Person, require
from anchormap.land import store_schema as t
from anchormap.land.schema import NUMBER_COLUMNS, OWNER_TYPES, STATUSES, finalise
from anchormap.land.store import (
    AUDIT_COLUMNS,
    SUBMISSION_COLUMNS,
    DuplicateSubmission,
    StoreError,
    StoreUnavailable,
    SubmissionInfo,
)
from anchormap.land.store_engine import IMMEDIATE, StoreLocation, locate, make_engine, translate_errors
from anchormap.land.store_migrations import LATEST, current_version, migrate, table_columns

_STORED_COLUMNS = t.STORED_COLUMNS
BATCH_ROWS = 1000
"""Assets inserted per statement."""
SHARED_WITH = ("everyone", "partner")
"""Who a saved network list is shown to: everyone, or its partner's members (and stewards)."""
CORRECTABLE = (
    "name",
    "address",
    "postcode",
    "uprn",
    "owner_organisation",
    "owner_type",
    "tenure",
    "holding_use",
    "status",
    "site_area_ha",
    "floor_area_m2",
    "empty_floor_area_m2",
    "under_used_floor_area_m2",
    "land_not_delivering_services_ha",
    "easting",
    "northing",
)
"""The land-schema fields :meth:`SqlLandStore.correct_asset` may change."""
MAX_NAME = 200
"""Longest partner or list name (characters)."""
_GSS = re.compile(r"^[ENSW]\d{8}$")
_ENGINES: dict[str, sa.engine.Engine] = {}
_READY: set[str] = set()
"""PostgreSQL stores this process has seen at the latest schema (a SQLite file is checked per store object)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _tidy(text: object) -> str:
    return " ".join(str(text or "").split())


def _key(name: str) -> str:
    return _tidy(name).casefold()


def _engine(loc: StoreLocation) -> sa.engine.Engine:
    """One engine per store URL in this process (a PostgreSQL pool is not rebuilt on every page run)."""
    engine = _ENGINES.get(loc.url)
    if engine is None:
        engine = _ENGINES[loc.url] = make_engine(loc)
    return engine


def dispose_engines() -> None:
    """Close every pooled connection this process holds and forget the engines (tests drop their databases)."""
    _READY.clear()
    while _ENGINES:
        _ENGINES.popitem()[1].dispose()


def _value(column: str, v):
    """A land-schema value as the database stores it (None for missing)."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if column == "on_map":
        return int(bool(v))
    if column in NUMBER_COLUMNS:
        return float(v)
    return str(v)


def _asset_record(submission_id: int, row: dict) -> dict:
    """One asset as a row of the ``assets`` table."""
    rn = row.get("row_number")
    record = {c: _value(c, row.get(c)) for c in _STORED_COLUMNS}
    record["submission_id"] = submission_id
    record["row_number"] = None if rn is None or rn is pd.NA or rn != rn else int(rn)
    return record


def _batches(records: Iterable[dict]) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for r in records:
        batch.append(r)
        if len(batch) >= BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def _info(row) -> SubmissionInfo:
    m = row._mapping
    return SubmissionInfo(
        id=int(m["id"]),
        partner=m["partner"],
        file_name=m["file_name"],
        uploaded_at=m["uploaded_at"],
        rows_accepted=int(m["rows_accepted"]),
        rows_rejected=int(m["rows_rejected"]),
        status=m["status"],
        file_sha256=m["file_sha256"] or "",
        withdrawn_at=m["withdrawn_at"],
        replaced_by=None if m["replaced_by"] is None else int(m["replaced_by"]),
        uploaded_by=m["uploaded_by"] or "",
    )


def _frame(result, columns: list[str]) -> pd.DataFrame:
    rows = result.all()
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame.from_records([tuple(r) for r in rows], columns=columns)


class _RacedDuplicate(StoreError):
    """Another process stored the same file between our check and our insert (the unique index said so)."""


class SqlLandStore:
    """:class:`anchormap.land.store.LandStore` in a SQLite file or a PostgreSQL + PostGIS database.

    Parameters
    ----------
    location : str or pathlib.Path
        A SQLite file path (or ``sqlite:///path``) or a ``postgresql://`` URL. A SQLite file that
        does not exist reads as an empty store and is created (with its folder) by the first write.
    read_only : bool, optional
        Refuse every write (a read-only deployment).
    """

    def __init__(self, location: str | Path, *, read_only: bool = False):
        self.loc = locate(location)
        self.where = self.loc.where
        self.path: Path | None = self.loc.path
        self.read_only = bool(read_only)
        self._ready = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.where!r}{', read_only=True' if self.read_only else ''})"

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.loc.dialect

    # --- connections ------------------------------------------------------------------------
    def _missing(self) -> bool:
        """True for a SQLite file not made yet (reads see an empty store); StoreUnavailable for a path that cannot be one."""
        if self.path is None or self.path.is_file():
            return False
        blocker = next((p for p in (self.path, *self.path.parents) if p.exists()), None)
        if blocker is not None and (blocker == self.path or not blocker.is_dir()):
            if blocker == self.path:
                what = "it is a folder, not a file" if blocker.is_dir() else "it is not a file"
            else:
                what = f"{blocker} is a file, not a folder"
            msg = f"The land store {self.where} cannot be opened ({what})."
            raise StoreUnavailable(msg)
        return True

    def _ensure_schema(self) -> None:
        """Bring an existing store up to :data:`LATEST` (once per store object); a current one is only read."""
        if self._ready or self.loc.url in _READY:
            self._ready = True
            return
        with _engine(self.loc).connect() as con, con.begin():
            behind = current_version(con) < LATEST or self._lacks_columns(con)
        if behind:
            with self.writing():
                pass
        self._mark_ready()

    def _mark_ready(self) -> None:
        self._ready = True
        if self.path is None:
            _READY.add(self.loc.url)

    @staticmethod
    def _lacks_columns(con: Connection) -> bool:
        have = set(table_columns(con, "assets"))
        return any(c not in have for c in ["submission_id", "row_number", *_STORED_COLUMNS])

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection | None]:
        """A connection in a read transaction, or None for a SQLite file that does not exist yet.

        For modules that keep their tables in the store's database (e.g. :mod:`anchormap.progress.metrics`).
        Errors come out as :class:`StoreError`/:class:`StoreUnavailable`.
        """
        if self._missing():
            yield None
            return
        with translate_errors(self.loc):
            self._ensure_schema()
            with _engine(self.loc).connect() as con, con.begin():
                yield con

    @contextlib.contextmanager
    def writing(self) -> Iterator[Connection]:
        """A connection in a write transaction on an up-to-date schema; committed at the end, rolled back on any error.

        A SQLite file this write creates is removed again when it fails. No role check: callers do theirs.
        """
        created = self._missing()
        try:
            with translate_errors(self.loc):
                if self.path is not None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                with _engine(self.loc).connect() as con:
                    con.execution_options(**{IMMEDIATE: True})
                    with con.begin():
                        if not (self._ready or self.loc.url in _READY):
                            if con.dialect.name == "postgresql":
                                con.exec_driver_sql("SELECT pg_advisory_xact_lock(727274010)")  # one migrator at a time
                            migrate(con)
                        yield con
            self._mark_ready()
        except BaseException:
            if created and self.path is not None:
                with contextlib.suppress(OSError):
                    self.path.unlink(missing_ok=True)
                self._ready = False
            raise

    def _writable(self, by: Person, what: str) -> None:
        if self.read_only:
            msg = (
                f"{by.words} cannot {what}: this deployment is read-only (a kiosk for browsing), "
                "so nothing can be changed here. Make changes where the network's register is kept up."
            )
            raise PermissionRefused(msg)

    # --- who may do what ---------------------------------------------------------------------
    @staticmethod
    def _access(con: Connection | None, person: Person) -> Access:
        if person.local:
            return Access(person, LOCAL)
        if not person.key or con is None:
            return Access(person, VIEWER)
        row = con.execute(
            sa.select(t.members.c.role, t.members.c.partner).where(t.members.c.email == person.key)
        ).first()
        return Access(person, row.role, row.partner) if row else Access(person, VIEWER)

    def access_for(self, person: Person) -> Access:
        """The person's role and partner: local user, steward, member, or viewer (not on the list)."""
        if person.local or not person.key:
            return self._access(None, person)
        with self.reading() as con:
            return self._access(con, person)

    @staticmethod
    def _registered(con: Connection, name: str) -> str | None:
        """The registered spelling of partner ``name`` (any case and spacing), or None."""
        return con.execute(sa.select(t.partners.c.name).where(t.partners.c.name_key == _key(name))).scalar()

    def partners(self) -> pd.DataFrame:
        """Registered partners: ``name``, ``code`` (GSS code or empty), ``added_at``; by name."""
        cols = ["name", "code", "added_at"]
        with self.reading() as con:
            if con is None:
                return pd.DataFrame(columns=cols)
            p = t.partners.c
            return _frame(con.execute(sa.select(p.name, p.code, p.added_at).order_by(p.name_key)), cols)

    def add_partner(self, name: str, code: str = "", *, by: Person) -> None:
        """Register a partner (stewards and the local user); refuses a name already there (any case) or a bad code."""
        name = _tidy(name)
        code = _tidy(code).upper()
        what = f"register the partner {name}"
        self._writable(by, what)
        if not name:
            raise StoreError("The partner's name is empty: give its name, e.g. London Borough of Lewisham.")
        if len(name) > MAX_NAME:
            msg = f"The partner's name is {len(name)} characters long: keep it to {MAX_NAME}."
            raise StoreError(msg)
        if code and not _GSS.match(code):
            msg = f"The code {code!r} is not a GSS code: a letter and eight digits, e.g. E09000023 for Lewisham."
            raise StoreError(msg)
        with self.writing() as con:
            require(self._access(con, by), what, steward=True)
            there = self._registered(con, name)
            if there is not None:
                msg = f"The partner {there} is already registered in the land store {self.where}."
                raise StoreError(msg)
            con.execute(
                sa.insert(t.partners).values(
                    name=name, name_key=_key(name), code=code, added_at=_now(), added_by=by.words
                )
            )
            _audit(con, by, "add partner", partner=name, detail=f"code {code}" if code else "")

    def members(self) -> pd.DataFrame:
        """The allow-list: ``email``, ``partner``, ``role``, ``granted_at``, ``granted_by``; by email."""
        cols = ["email", "partner", "role", "granted_at", "granted_by"]
        with self.reading() as con:
            if con is None:
                return pd.DataFrame(columns=cols)
            m = t.members.c
            return _frame(
                con.execute(sa.select(m.email, m.partner, m.role, m.granted_at, m.granted_by).order_by(m.email)), cols
            )

    def grant(self, email: str, partner: str, role: str, *, by: Person) -> None:
        """Put ``email`` on the allow-list as ``role`` (member or steward) of a registered ``partner``.

        Replaces any earlier grant of the same address (one partner per person). Stewards only.
        """
        address = _tidy(email).lower()
        what = f"give {address or 'an address'} the role {role}"
        self._writable(by, what)
        if "@" not in address or " " in address or len(address) > 254:
            msg = f"{email!r} is not an email address: give the address the person signs in with, e.g. jo@lewisham.gov.uk."
            raise StoreError(msg)
        if role not in GRANTABLE_ROLES:
            msg = f"The role {role!r} is not one a person can be given: choose {' or '.join(GRANTABLE_ROLES)}."
            raise StoreError(msg)
        with self.writing() as con:
            require(self._access(con, by), what, steward=True)
            name = self._registered(con, partner)
            if name is None:
                msg = (
                    f"The partner {_tidy(partner)} is not registered in the land store {self.where}: register it "
                    "first (anchormap partners add)."
                )
                raise StoreError(msg)
            m = t.members.c
            before = con.execute(sa.select(m.role, m.partner).where(m.email == address)).first()
            con.execute(sa.delete(t.members).where(m.email == address))
            con.execute(
                sa.insert(t.members).values(
                    email=address, partner=name, role=role, granted_at=_now(), granted_by=by.words
                )
            )
            detail = f"{address} as {role} of {name}"
            if before:
                detail += f" (was {before.role} of {before.partner})"
            _audit(con, by, "grant", partner=name, detail=detail)

    def revoke(self, email: str, *, by: Person) -> None:
        """Take ``email`` off the allow-list (they become a viewer). Stewards only; refuses an unknown address."""
        address = _tidy(email).lower()
        what = f"take {address} off the list of members"
        self._writable(by, what)
        with self.writing() as con:
            require(self._access(con, by), what, steward=True)
            m = t.members.c
            before = con.execute(sa.select(m.role, m.partner).where(m.email == address)).first()
            if before is None:
                msg = f"{address} is not on the list of members of the land store {self.where}: nothing to revoke."
                raise StoreError(msg)
            con.execute(sa.delete(t.members).where(m.email == address))
            _audit(con, by, "revoke", partner=before.partner, detail=f"{address} was {before.role} of {before.partner}")

    # --- submissions -------------------------------------------------------------------------
    @staticmethod
    def _check_assets(file_name: str, assets: pd.DataFrame) -> None:
        if len(assets) == 0:
            msg = f"{file_name}: no valid rows to store."
            raise StoreError(msg)
        dup = assets["asset_id"][assets["asset_id"].duplicated()]
        if len(dup):
            msg = f"{file_name}: asset ids repeat ({', '.join(map(str, dup.head(5)))}); nothing stored."
            raise StoreError(msg)

    def _active_with_sha(self, con: Connection, sha: str) -> SubmissionInfo | None:
        if not sha:
            return None
        s = t.submissions.c
        row = con.execute(sa.select(t.submissions).where(s.file_sha256 == sha, s.status == "active")).first()
        return _info(row) if row else None

    @staticmethod
    def _duplicate(existing: SubmissionInfo, file_name: str) -> DuplicateSubmission:
        msg = (
            f"{file_name} is the same file (same SHA-256) as {existing.words}, which is still active: "
            "nothing was stored. To load a new version, change the file or replace that submission."
        )
        return DuplicateSubmission(msg, existing)

    def _insert(
        self,
        con: Connection,
        *,
        partner: str,
        file_name: str,
        assets: pd.DataFrame,
        rows_rejected: int,
        by: Person,
        report: pd.DataFrame | None,
        register_kind: str,
        file_sha256: str,
    ) -> int:
        existing = self._active_with_sha(con, file_sha256)
        if existing is not None:
            raise self._duplicate(existing, file_name)
        try:
            sid = con.execute(
                sa.insert(t.submissions)
                .values(
                    partner=partner,
                    uploaded_at=_now(),
                    file_name=file_name,
                    file_sha256=file_sha256,
                    register_kind=register_kind,
                    rows_accepted=len(assets),
                    rows_rejected=int(rows_rejected),
                    status="active",
                    uploaded_by=by.words,
                )
                .returning(t.submissions.c.id)
            ).scalar_one()
        except sa.exc.IntegrityError as exc:
            if t.ACTIVE_SHA_INDEX in str(exc) or "file_sha256" in str(exc):
                raise _RacedDuplicate(file_sha256) from None
            raise
        sid = int(sid)
        table = pd.DataFrame(assets.drop(columns="geometry", errors="ignore")).astype(object)
        for batch in _batches(_asset_record(sid, row) for row in table.to_dict("records")):
            con.execute(sa.insert(t.assets), batch)
        if report is not None and len(report):
            con.execute(
                sa.insert(t.issues),
                [
                    {
                        "submission_id": sid,
                        "row": None if pd.isna(r["row"]) else int(r["row"]),
                        "column_name": None if pd.isna(r["column"]) else str(r["column"]),
                        "problem": _value("problem", r["problem"]),
                        "action": _value("action", r["action"]),
                        "severity": _value("severity", r["severity"]),
                        "position": i,
                    }
                    for i, r in enumerate(report.to_dict("records"))
                ],
            )
        return sid

    def _raced(self, sha: str, file_name: str) -> DuplicateSubmission:
        with self.reading() as con:
            existing = self._active_with_sha(con, sha)
        if existing is None:  # withdrawn again since: say so plainly
            msg = f"{file_name}: another upload of the same file was being stored at the same moment; try again."
            return StoreError(msg)  # type: ignore[return-value]
        return self._duplicate(existing, file_name)

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
        """Store a submission and its assets in one transaction; return its id (see :class:`LandStore`).

        Non-local people may add only for a registered partner (stored under its registered
        spelling); the local user may give any name.
        """
        partner = _tidy(partner)
        what = f"add {file_name} for {partner}"
        self._writable(by, what)
        self._check_assets(file_name, assets)
        try:
            with self.writing() as con:
                require(self._access(con, by), what, partner)
                name = self._registered(con, partner)
                if name is None and not by.local:
                    msg = (
                        f"{partner} is not a registered partner of this network: a steward registers partners "
                        "(anchormap partners add) before their registers are stored."
                    )
                    raise StoreError(msg)
                name = name or partner
                sid = self._insert(
                    con,
                    partner=name,
                    file_name=file_name,
                    assets=assets,
                    rows_rejected=rows_rejected,
                    by=by,
                    report=report,
                    register_kind=register_kind,
                    file_sha256=file_sha256,
                )
                _audit(
                    con,
                    by,
                    "import",
                    partner=name,
                    submission_id=sid,
                    file_name=file_name,
                    file_sha256=file_sha256,
                    rows_stored=len(assets),
                    rows_rejected=int(rows_rejected),
                )
        except _RacedDuplicate:
            raise self._raced(file_sha256, file_name) from None
        return sid

    def _submission_row(self, con: Connection | None, submission_id: int) -> SubmissionInfo:
        row = None
        if con is not None:
            row = con.execute(sa.select(t.submissions).where(t.submissions.c.id == int(submission_id))).first()
        if row is None:
            ids = (
                []
                if con is None
                else [int(i) for i in con.execute(sa.select(t.submissions.c.id).order_by("id")).scalars()]
            )
            known = ", ".join(map(str, ids)) or "none"
            msg = f"There is no submission {submission_id} in the land store {self.where} (submissions: {known})."
            raise StoreError(msg)
        return _info(row)

    def _withdraw_in(self, con: Connection, info: SubmissionInfo, when: str) -> None:
        s = t.submissions.c
        done = con.execute(
            sa.update(t.submissions)
            .where(s.id == info.id, s.status == "active")
            .values(status="withdrawn", withdrawn_at=when)
        )
        if done.rowcount != 1:
            msg = f"{info.words} was withdrawn by someone else a moment ago."
            raise StoreError(msg)

    @staticmethod
    def _refuse_withdrawn(info: SubmissionInfo, doing: str) -> None:
        if info.status != "active":
            from anchormap.words import date_words

            msg = f"{info.words} was already withdrawn on {date_words((info.withdrawn_at or '')[:10])}: cannot {doing}."
            raise StoreError(msg)

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
        """Withdraw active ``submission_id`` and store the new version for the same partner, in one transaction."""
        what = f"replace submission {submission_id} with {file_name}"
        self._writable(by, what)
        self._check_assets(file_name, assets)
        try:
            with self.writing() as con:
                old = self._submission_row(con, submission_id)
                what = f"replace {old.words} with {file_name}"
                require(self._access(con, by), what, old.partner)
                self._refuse_withdrawn(old, "replace it")
                if file_sha256 and file_sha256 == old.file_sha256:
                    raise self._duplicate(old, file_name)
                now = _now()
                self._withdraw_in(con, old, now)
                sid = self._insert(
                    con,
                    partner=old.partner,
                    file_name=file_name,
                    assets=assets,
                    rows_rejected=rows_rejected,
                    by=by,
                    report=report,
                    register_kind=register_kind,
                    file_sha256=file_sha256,
                )
                con.execute(sa.update(t.submissions).where(t.submissions.c.id == old.id).values(replaced_by=sid))
                _audit(
                    con,
                    by,
                    "replace",
                    partner=old.partner,
                    submission_id=sid,
                    file_name=file_name,
                    file_sha256=file_sha256,
                    rows_stored=len(assets),
                    rows_rejected=int(rows_rejected),
                    detail=f"replaces submission {old.id}: {old.words}",
                )
        except _RacedDuplicate:
            raise self._raced(file_sha256, file_name) from None
        return sid

    def submission(self, submission_id: int) -> SubmissionInfo:
        """One submission; StoreError naming the ids there are when there is no such submission."""
        with self.reading() as con:
            return self._submission_row(con, submission_id)

    def submissions(self) -> pd.DataFrame:
        """Every submission, newest first: columns :data:`SUBMISSION_COLUMNS`; no rows for an empty or missing store."""
        with self.reading() as con:
            if con is None:
                return pd.DataFrame(columns=SUBMISSION_COLUMNS)
            s = t.submissions.c
            q = sa.select(*(s[c] for c in SUBMISSION_COLUMNS)).order_by(s.id.desc())
            return _frame(con.execute(q), SUBMISSION_COLUMNS)

    def withdraw(self, submission_id: int, *, by: Person) -> SubmissionInfo:
        """Mark an active submission withdrawn (its assets no longer count); return it as it now is."""
        self._writable(by, f"withdraw submission {submission_id}")
        with self.writing() as con:
            info = self._submission_row(con, submission_id)
            require(self._access(con, by), f"withdraw {info.words}", info.partner)
            self._refuse_withdrawn(info, "withdraw it again")
            self._withdraw_in(con, info, _now())
            _audit(
                con,
                by,
                "withdraw",
                partner=info.partner,
                submission_id=info.id,
                file_name=info.file_name,
                file_sha256=info.file_sha256,
                rows_stored=info.rows_accepted,
                rows_rejected=info.rows_rejected,
                detail=f"withdrew {info.words}",
            )
            return self._submission_row(con, submission_id)

    # --- one stored row ----------------------------------------------------------------------
    @staticmethod
    def _own_id(submission_id: int, asset_id: str) -> str:
        text = str(asset_id).strip()
        prefix = f"upload:{int(submission_id)}:"
        return text[len(prefix) :] if text.startswith(prefix) else text

    @staticmethod
    def _reason(reason: str, what: str) -> str:
        text = _tidy(reason)
        if not text:
            msg = f"Give a reason to {what}: it is kept in the audit trail with the change."
            raise StoreError(msg)
        return text

    def _stored_row(self, con: Connection, info: SubmissionInfo, asset_id: str) -> dict:
        a = t.assets.c
        row = con.execute(sa.select(t.assets).where(a.submission_id == info.id, a.asset_id == asset_id)).first()
        gone = con.execute(
            sa.select(t.asset_removals.c.removed_at).where(
                t.asset_removals.c.submission_id == info.id, t.asset_removals.c.asset_id == asset_id
            )
        ).first()
        if row is None or gone is not None:
            msg = f"There is no row {asset_id!r} in {info.words}" + (" (it was removed)." if gone else ".")
            raise StoreError(msg)
        return dict(row._mapping)

    def correct_asset(self, submission_id: int, asset_id: str, changes: dict, reason: str, *, by: Person) -> None:
        """Change fields of one stored row with a reason; audited with old and new values.

        ``changes`` maps fields of :data:`CORRECTABLE` to new values, checked as an upload's are:
        numbers must be numbers (areas and coordinates not negative), ``status`` and ``owner_type``
        in their vocabularies (:mod:`anchormap.land.schema`); an empty value clears the field.
        """
        own = self._own_id(submission_id, asset_id)
        what = f"correct row {own} of submission {submission_id}"
        self._writable(by, what)
        why = self._reason(reason, what)
        values = _checked_changes(changes)
        with self.writing() as con:
            info = self._submission_row(con, submission_id)
            require(self._access(con, by), f"correct row {own} of {info.words}", info.partner)
            self._refuse_withdrawn(info, "correct its rows")
            old = self._stored_row(con, info, own)
            said = "; ".join(f"{f}: {_shown(old.get(f))} → {_shown(v)}" for f, v in values.items())
            values.update(_placed(old, values))
            a = t.assets.c
            con.execute(sa.update(t.assets).where(a.submission_id == info.id, a.asset_id == own).values(**values))
            _audit(
                con,
                by,
                "correct",
                partner=info.partner,
                submission_id=info.id,
                file_name=info.file_name,
                file_sha256=info.file_sha256,
                detail=f"row {own}: {said}. Reason: {why}",
            )

    def remove_asset(self, submission_id: int, asset_id: str, reason: str, *, by: Person) -> None:
        """Take one stored row out of an active submission (it no longer counts), with a reason; audited."""
        own = self._own_id(submission_id, asset_id)
        what = f"remove row {own} of submission {submission_id}"
        self._writable(by, what)
        why = self._reason(reason, what)
        with self.writing() as con:
            info = self._submission_row(con, submission_id)
            require(self._access(con, by), f"remove row {own} of {info.words}", info.partner)
            self._refuse_withdrawn(info, "remove its rows")
            old = self._stored_row(con, info, own)
            con.execute(
                sa.insert(t.asset_removals).values(
                    submission_id=info.id, asset_id=own, removed_at=_now(), removed_by=by.words, reason=why
                )
            )
            _audit(
                con,
                by,
                "remove",
                partner=info.partner,
                submission_id=info.id,
                file_name=info.file_name,
                file_sha256=info.file_sha256,
                detail=f"row {own} ({_shown(old.get('name'))}) removed. Reason: {why}",
            )

    def assets(self, include_withdrawn: bool = False):
        """Stored assets in the land schema (GeoDataFrame, EPSG:27700) with ``submission_id``.

        ``source`` is ``upload:<submission id>`` and ``asset_id`` is prefixed with it
        (``upload:3:A12``); extra columns ``extra``, ``submission_id``, ``row_number``,
        ``submission_status``. Removed rows are left out; withdrawn submissions' rows only with
        ``include_withdrawn``. No rows for an empty or missing store.
        """
        cols = ["submission_id", "row_number", *_STORED_COLUMNS, "submission_status"]
        with self.reading() as con:
            if con is None:
                df = pd.DataFrame(columns=cols)
            else:
                a, s, r = t.assets.c, t.submissions.c, t.asset_removals.c
                removed = sa.select(sa.literal(1)).where(r.submission_id == a.submission_id, r.asset_id == a.asset_id)
                q = (
                    sa.select(*(a[c] for c in cols[:-1]), s.status.label("submission_status"))
                    .join_from(t.assets, t.submissions, s.id == a.submission_id)
                    .where(~removed.exists())
                    .order_by(a.submission_id, a.row_number)
                )
                if not include_withdrawn:
                    q = q.where(s.status == "active")
                df = _frame(con.execute(q), cols)
        df["on_map"] = df["on_map"].map(lambda v: bool(v) if v is not None and v == v else False).astype(bool)
        df["source"] = "upload:" + df["submission_id"].astype(str)
        df["asset_id"] = df["source"] + ":" + df["asset_id"].astype(str)
        return finalise(df)

    def report(self, submission_id: int) -> pd.DataFrame:
        """The validation report stored with a submission: ``row``, ``column``, ``problem``, ``action``, ``severity``."""
        cols = ["row", "column", "problem", "action", "severity"]
        with self.reading() as con:
            if con is None:
                return pd.DataFrame(columns=cols)
            i = t.issues.c
            order = [i.position] + ([sa.literal_column("issues.rowid")] if con.dialect.name == "sqlite" else [])
            q = sa.select(i.row, i.column_name, i.problem, i.action, i.severity).where(
                i.submission_id == int(submission_id)
            )
            return _frame(con.execute(q.order_by(*order)), cols)

    # --- audit trail -------------------------------------------------------------------------
    def audit(self, *, by: Person, since: str | None = None) -> pd.DataFrame:
        """The audit trail, oldest first (stewards and the local user only); ``since`` an ISO date (on or after)."""
        if since is not None:
            since = str(since).strip()
            try:
                datetime.strptime(since, "%Y-%m-%d")
            except ValueError:
                msg = f"The date {since!r} is not a day written YYYY-MM-DD (e.g. 2026-12-01)."
                raise StoreError(msg) from None
        with self.reading() as con:
            require(self._access(con, by), "read the audit trail", steward=True)
            if con is None:
                return pd.DataFrame(columns=AUDIT_COLUMNS)
            c = t.audit.c
            q = sa.select(*(c[n] for n in AUDIT_COLUMNS)).order_by(c.id)
            if since:
                q = q.where(c.at >= since)
            return _frame(con.execute(q), AUDIT_COLUMNS)

    # --- saved network lists -----------------------------------------------------------------
    @staticmethod
    def _may_see(access: Access, partner: str, shared_with: str) -> bool:
        return (
            shared_with == "everyone" or access.may_steward or (access.role == MEMBER and access.may_write_for(partner))
        )

    def save_network(self, name: str, definition: dict, *, shared_with: str, by: Person) -> int:
        """Save a network list under the person's partner (again under the same name: it is updated); return its id."""
        name = _tidy(name)
        what = f"save the network list {name or '(no name)'}"
        self._writable(by, what)
        if not name:
            raise StoreError("The list has no name: give it one, e.g. Our network in Lewisham.")
        if len(name) > MAX_NAME:
            msg = f"The list's name is {len(name)} characters long: keep it to {MAX_NAME}."
            raise StoreError(msg)
        if shared_with not in SHARED_WITH:
            msg = f"A list is shared with {' or '.join(SHARED_WITH)}, not {shared_with!r}."
            raise StoreError(msg)
        try:
            text = json.dumps(definition, ensure_ascii=False, sort_keys=True, allow_nan=False)
        except (TypeError, ValueError) as exc:
            msg = f"The list {name} cannot be saved: its contents are not plain data ({exc})."
            raise StoreError(msg) from None
        with self.writing() as con:
            access = self._access(con, by)
            require(access, what)
            partner = access.partner or ""
            n = t.networks.c
            now = _now()
            there = con.execute(sa.select(n.id).where(n.partner == partner, n.name == name)).scalar()
            values = {"shared_with": shared_with, "definition": text, "saved_by": by.words, "saved_at": now}
            if there is not None:
                con.execute(sa.update(t.networks).where(n.id == there).values(**values))
                list_id = int(there)
            else:
                list_id = int(
                    con.execute(
                        sa.insert(t.networks).values(name=name, partner=partner, **values).returning(n.id)
                    ).scalar_one()
                )
            _audit(
                con,
                by,
                "save list",
                partner=partner or None,
                detail=f"list {name} ({list_id}), shared with {shared_with}",
            )
        return list_id

    def networks(self, person: Person) -> pd.DataFrame:
        """The saved lists ``person`` may open: ``id``, ``name``, ``partner``, ``shared_with``, ``saved_by``, ``saved_at``."""
        cols = ["id", "name", "partner", "shared_with", "saved_by", "saved_at"]
        with self.reading() as con:
            if con is None:
                return pd.DataFrame(columns=cols)
            access = self._access(con, person)
            n = t.networks.c
            rows = con.execute(sa.select(*(n[c] for c in cols)).order_by(n.name, n.id)).all()
        seen = [tuple(r) for r in rows if self._may_see(access, r.partner, r.shared_with)]
        return pd.DataFrame.from_records(seen, columns=cols) if seen else pd.DataFrame(columns=cols)

    def _list_row(self, con: Connection | None, list_id: int, access: Access):
        row = None
        if con is not None:
            row = con.execute(sa.select(t.networks).where(t.networks.c.id == int(list_id))).first()
        if row is None or not self._may_see(access, row.partner, row.shared_with):
            msg = f"There is no saved network list {list_id} that {access.person.words} can open."
            raise StoreError(msg)
        return row

    def network(self, list_id: int, person: Person) -> dict:
        """A saved list's ``definition``; StoreError when there is none ``person`` may open."""
        with self.reading() as con:
            row = self._list_row(con, list_id, self._access(con, person))
        return json.loads(row.definition)

    def delete_network(self, list_id: int, *, by: Person) -> None:
        """Delete a saved list (its partner's members, stewards, the local user)."""
        self._writable(by, f"delete the network list {list_id}")
        with self.writing() as con:
            access = self._access(con, by)
            row = self._list_row(con, list_id, access)
            require(access, f"delete the network list {row.name}", row.partner)
            con.execute(sa.delete(t.networks).where(t.networks.c.id == row.id))
            _audit(con, by, "delete list", partner=row.partner or None, detail=f"list {row.name} ({row.id})")

    # --- change detection --------------------------------------------------------------------
    def stamp(self) -> str:
        """``"<last audit id>:<audit rows>"``: changes on every write (``"0:0"`` for an empty or missing store)."""
        with self.reading() as con:
            if con is None:
                return "0:0"
            c = t.audit.c
            last, count = con.execute(sa.select(sa.func.max(c.id), sa.func.count())).one()
        return f"{last or 0}:{count}"


def _audit(
    con: Connection,
    by: Person,
    action: str,
    *,
    partner: str | None = None,
    submission_id: int | None = None,
    file_name: str | None = None,
    file_sha256: str | None = None,
    rows_stored: int | None = None,
    rows_rejected: int | None = None,
    detail: str = "",
) -> None:
    """One row of the audit trail, in the caller's transaction."""
    con.execute(
        sa.insert(t.audit).values(
            at=_now(),
            who=by.words,
            who_email=by.key,
            via=by.via,
            action=action,
            partner=partner,
            submission_id=submission_id,
            file_name=file_name,
            file_sha256=file_sha256 or None,
            rows_stored=rows_stored,
            rows_rejected=rows_rejected,
            detail=detail,
        )
    )


def _shown(v) -> str:
    return (
        "(empty)"
        if v is None or (isinstance(v, float) and v != v)
        else repr(v)
        if isinstance(v, str)
        else f"{v:g}"
        if isinstance(v, float)
        else str(v)
    )


BNG_BOUNDS = (0.0, 0.0, 700_000.0, 1_300_000.0)
"""The British National Grid's extent (EPSG:27700, metres): min easting, min northing, max easting, max northing."""


def _placed(old: dict, values: dict) -> dict:
    """``on_map`` and its reason after a correction of ``easting``/``northing`` (nothing when neither changes).

    Both coordinates present: on the map. Either missing: off it, saying why.
    """
    if "easting" not in values and "northing" not in values:
        return {}
    east = values.get("easting", old.get("easting"))
    north = values.get("northing", old.get("northing"))
    if east is None or north is None:
        return {"on_map": 0, "not_on_map_reason": "coordinates cleared by a correction"}
    if not (BNG_BOUNDS[0] <= east <= BNG_BOUNDS[2] and BNG_BOUNDS[1] <= north <= BNG_BOUNDS[3]):
        msg = (
            f"The easting and northing {east:g}, {north:g} are outside Great Britain's National Grid "
            "(EPSG:27700, metres): check the figures, e.g. 537684, 173666 for Catford."
        )
        raise StoreError(msg)
    return {"on_map": 1, "not_on_map_reason": None, "location_method": "easting and northing corrected by hand"}


def _checked_changes(changes: dict) -> dict:
    """Field -> value as stored, for :meth:`SqlLandStore.correct_asset`; StoreError naming the field when not valid."""
    from anchormap.land.ingest import FIELD_LABELS

    if not changes:
        raise StoreError("Nothing to correct: give at least one field and its new value.")
    out = {}
    for field, value in changes.items():
        label = FIELD_LABELS.get(field, field)
        if field not in CORRECTABLE:
            msg = f"{label} cannot be corrected here: the fields that can are {', '.join(FIELD_LABELS.get(f, f) for f in CORRECTABLE)}."
            raise StoreError(msg)
        blank = (
            value is None
            or (isinstance(value, str) and not value.strip())
            or (isinstance(value, float) and value != value)
        )
        if blank:
            out[field] = None
        elif field in NUMBER_COLUMNS:
            try:
                number = (
                    float(str(value).strip().replace(",", "")) if not isinstance(value, int | float) else float(value)
                )
            except ValueError:
                number = math.nan
            if isinstance(value, bool) or not math.isfinite(number) or number < 0:
                msg = f"{label}: {str(value)!r} is not a number of zero or more; write it with digits, e.g. 0.25."
                raise StoreError(msg)
            out[field] = number
        elif field == "status" and str(value).strip() not in STATUSES:
            msg = f"{label}: {str(value)!r} is not a status; use one of {', '.join(STATUSES)}."
            raise StoreError(msg)
        elif field == "owner_type" and str(value).strip() not in OWNER_TYPES:
            msg = f"{label}: {str(value)!r} is not an owner type; use one of {', '.join(OWNER_TYPES)}."
            raise StoreError(msg)
        else:
            out[field] = _tidy(value)
    return out


class SQLiteLandStore(SqlLandStore):
    """The store in one SQLite file (its older name): ``SQLiteLandStore(path)``."""

    def __init__(self, path: Path | str, *, read_only: bool = False):
        super().__init__(Path(path), read_only=read_only)
