"""Versioned migrations of the land store, run by the store itself when it is first used.

Each migration is a numbered step recorded in the ``schema_version`` table when applied; a
store is brought up to :data:`LATEST` in one transaction (SQLite and PostgreSQL both roll DDL
back), so a step either applies fully or not at all. Nobody runs anything by hand: the app
and the command line open the store and it upgrades itself. Stores made before migrations
existed (today's SQLite files, with ``submissions``, ``assets``, maybe without ``extra``, and
``issues``) are upgraded in place with their data.

1. The land tables (``submissions``, ``assets``, ``issues``) where they are not there yet; on
   PostgreSQL first ``CREATE EXTENSION IF NOT EXISTS postgis``.
2. Issue 10: the columns old stores lack (``submissions.replaced_by``/``uploaded_by``,
   ``assets.extra``, ``issues.position``), the tables ``partners``, ``members``, ``audit``,
   ``networks``, ``asset_removals`` and ``metrics``, and the partial unique index of one active
   submission per SHA-256. An old store holding the same file twice as active (the double count
   of issue 10) keeps the first and withdraws the later copies, each with an audit row saying so.
3. PostgreSQL only: ``assets.geom`` (``geometry(Point, 27700)`` generated from easting/northing)
   with a GiST index, and the view ``active_assets`` (active submissions' rows not removed, with
   partner and file), which QGIS opens directly as a point layer in EPSG:27700. (Nothing on
   SQLite: a view there would only pin the assets' columns.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from anchormap.land import store_schema as t

SYSTEM = "the store's upgrade"
"""Who the audit trail names for what a migration itself writes."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _columns(con: Connection, table: str) -> list[str]:
    return [c["name"] for c in sa.inspect(con).get_columns(table)]


def _add_lacking_columns(con: Connection, table: sa.Table) -> None:
    """``ALTER TABLE ... ADD COLUMN`` for every column of ``table`` the database's table lacks (empty for old rows)."""
    have = set(_columns(con, table.name))
    for col in table.columns:
        if col.name not in have:
            kind = col.type.compile(dialect=con.dialect)
            con.exec_driver_sql(f'ALTER TABLE {table.name} ADD COLUMN "{col.name}" {kind}')


def _v1_land_tables(con: Connection) -> None:
    if con.dialect.name == "postgresql":
        con.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
    t.metadata.create_all(con, tables=list(t.LAND_TABLES), checkfirst=True)


def _v2_people_audit_lists(con: Connection) -> None:
    for table in t.LAND_TABLES:
        _add_lacking_columns(con, table)
    t.metadata.create_all(con, tables=list(t.NEW_TABLES), checkfirst=True)
    _withdraw_repeated_files(con)
    con.exec_driver_sql(
        f"CREATE UNIQUE INDEX IF NOT EXISTS {t.ACTIVE_SHA_INDEX} ON submissions (file_sha256) "
        "WHERE status = 'active' AND file_sha256 IS NOT NULL AND file_sha256 <> ''"
    )


def _withdraw_repeated_files(con: Connection) -> None:
    """Withdraw later active copies of the same file (same SHA-256) an old store holds, auditing each."""
    sub = t.submissions
    rows = con.execute(
        sa.select(sub.c.id, sub.c.partner, sub.c.file_name, sub.c.file_sha256, sub.c.rows_accepted)
        .where(sub.c.status == "active", sub.c.file_sha256.is_not(None), sub.c.file_sha256 != "")
        .order_by(sub.c.id)
    ).all()
    first: dict[str, int] = {}
    for sid, partner, file_name, sha, n in rows:
        if sha not in first:
            first[sha] = sid
            continue
        now = _now()
        con.execute(sa.update(sub).where(sub.c.id == sid).values(status="withdrawn", withdrawn_at=now))
        con.execute(
            sa.insert(t.audit).values(
                at=now,
                who=SYSTEM,
                who_email="",
                via="upgrade",
                action="withdraw",
                partner=partner,
                submission_id=sid,
                file_name=file_name,
                file_sha256=sha,
                rows_stored=n,
                rows_rejected=None,
                detail=f"Withdrawn when the store was upgraded: the same file as submission {first[sha]}, "
                "so its rows were counted twice.",
            )
        )


_ACTIVE_VIEW_COLUMNS = ", ".join(f'a."{c}"' for c in ["submission_id", "row_number", *t.STORED_COLUMNS])


def _v3_active_view(con: Connection) -> None:
    if con.dialect.name != "postgresql":
        return  # a view is for GIS clients of a shared server; on SQLite it would only pin the assets' columns
    if "geom" not in _columns(con, "assets"):
        con.exec_driver_sql(
            "ALTER TABLE assets ADD COLUMN geom geometry(Point, 27700) GENERATED ALWAYS AS ("
            "CASE WHEN easting IS NULL OR northing IS NULL THEN NULL "
            "ELSE ST_SetSRID(ST_MakePoint(easting, northing), 27700) END) STORED"
        )
    con.exec_driver_sql("CREATE INDEX IF NOT EXISTS assets_geom ON assets USING GIST (geom)")
    con.exec_driver_sql("DROP VIEW IF EXISTS active_assets")
    con.exec_driver_sql(
        f"CREATE VIEW active_assets AS SELECT {_ACTIVE_VIEW_COLUMNS}, s.partner AS submitted_by_partner, "
        "s.file_name AS file_name, s.uploaded_at AS uploaded_at, a.geom "
        "FROM assets a JOIN submissions s ON s.id = a.submission_id "
        "WHERE s.status = 'active' AND NOT EXISTS (SELECT 1 FROM asset_removals r "
        "WHERE r.submission_id = a.submission_id AND r.asset_id = a.asset_id)"
    )


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "land tables", _v1_land_tables),
    (
        2,
        "partners, members, audit trail, saved lists, removals, metrics; one active submission per file",
        _v2_people_audit_lists,
    ),
    (3, "active_assets view (PostGIS geometry and spatial index on PostgreSQL)", _v3_active_view),
]
LATEST = MIGRATIONS[-1][0]
"""The schema version this code writes and reads."""


def current_version(con: Connection) -> int:
    """The store's schema version: 0 for an empty database or a store from before migrations."""
    names = set(sa.inspect(con).get_table_names())
    if "schema_version" not in names:
        return 0
    return int(con.execute(sa.select(sa.func.max(t.schema_version.c.version))).scalar() or 0)


def migrate(con: Connection) -> int:
    """Apply the migrations ``con``'s store lacks, inside the caller's transaction; return the version reached.

    Also adds any land-schema column the ``assets`` table lacks even at the latest version (a
    column dropped by hand), so reading never fails on it.
    """
    version = current_version(con)
    if version == 0:
        t.metadata.create_all(con, tables=[t.schema_version], checkfirst=True)
    for number, description, step in MIGRATIONS:
        if number > version:
            step(con)
            con.execute(sa.insert(t.schema_version).values(version=number, applied_at=_now(), description=description))
    if version >= LATEST:
        _add_lacking_columns(con, t.assets)
    return LATEST
