"""The land store's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Times are ISO 8601 UTC text to the second (``2026-12-02T18:30:00+00:00``), so both databases
store and return them alike. Coordinates are British National Grid ``easting``/``northing``
(EPSG:27700, metres); on PostgreSQL the migrations add ``assets.geom`` (a PostGIS point in
EPSG:27700 generated from them) with a GiST index, and the view ``active_assets``
(:mod:`anchormap.land.store_migrations`).

========================  ======================================================================
table                     holds
========================  ======================================================================
``schema_version``        one row per migration applied (version, when, what)
``submissions``           one row per imported file (partner, file, SHA-256, rows, status)
``assets``                the accepted rows of each submission, in the land schema
``issues``                each submission's validation report
``asset_removals``        rows a member took out of a submission, with who, when and why
``partners``              the registered partners (name, GSS code)
``members``               the allow-list: address -> partner and role (member or steward)
``audit``                 the audit trail: one row per write, in the write's own transaction
``networks``              saved network lists (JSON definition, partner, shared with whom)
``metrics``               a network's shared metrics over time (:mod:`anchormap.progress.metrics`)
========================  ======================================================================
"""

from __future__ import annotations

import sqlalchemy as sa

from anchormap.land.schema import EXTRA_COLUMN, LAND_COLUMNS, NUMBER_COLUMNS

STORED_COLUMNS = [*(c for c in LAND_COLUMNS if c not in ("lat", "lon")), EXTRA_COLUMN]
"""The assets table's columns after ``submission_id`` and ``row_number`` (``lat``/``lon`` are derived on reading)."""


def column_type(column: str) -> sa.types.TypeEngine:
    """The SQL type of a stored land-schema column: numbers as floats, ``on_map`` as 0/1, the rest text."""
    return sa.Float() if column in NUMBER_COLUMNS else sa.Integer() if column == "on_map" else sa.Text()


metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
)

submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("partner", sa.Text, nullable=False),
    sa.Column("uploaded_at", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("file_sha256", sa.Text),
    sa.Column("register_kind", sa.Text),
    sa.Column("rows_accepted", sa.Integer, nullable=False),
    sa.Column("rows_rejected", sa.Integer, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("withdrawn_at", sa.Text),
    sa.Column("replaced_by", sa.Integer),
    sa.Column("uploaded_by", sa.Text),
    sa.CheckConstraint("status IN ('active', 'withdrawn')", name="submissions_status"),
    sqlite_autoincrement=True,
)

ACTIVE_SHA_INDEX = "submissions_active_sha256"
"""The partial unique index: one active submission per file SHA-256 (two racing imports cannot both land)."""

assets = sa.Table(
    "assets",
    metadata,
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False, primary_key=True),
    sa.Column("row_number", sa.Integer),
    *(sa.Column(c, column_type(c), primary_key=c == "asset_id") for c in STORED_COLUMNS),
)
sa.Index("assets_uprn", assets.c.uprn)

issues = sa.Table(
    "issues",
    metadata,
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("row", sa.Integer),
    sa.Column("column_name", sa.Text),
    sa.Column("problem", sa.Text),
    sa.Column("action", sa.Text),
    sa.Column("severity", sa.Text),
    sa.Column("position", sa.Integer),
)
sa.Index("issues_submission", issues.c.submission_id, issues.c.position)

asset_removals = sa.Table(
    "asset_removals",
    metadata,
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), primary_key=True),
    sa.Column("asset_id", sa.Text, primary_key=True),
    sa.Column("removed_at", sa.Text, nullable=False),
    sa.Column("removed_by", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

partners = sa.Table(
    "partners",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("name_key", sa.Text, nullable=False, unique=True),
    sa.Column("code", sa.Text, nullable=False, server_default=""),
    sa.Column("added_at", sa.Text, nullable=False),
    sa.Column("added_by", sa.Text, nullable=False),
)

members = sa.Table(
    "members",
    metadata,
    sa.Column("email", sa.Text, primary_key=True),
    sa.Column("partner", sa.Text, sa.ForeignKey("partners.name"), nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("granted_at", sa.Text, nullable=False),
    sa.Column("granted_by", sa.Text, nullable=False),
    sa.CheckConstraint("role IN ('member', 'steward')", name="members_role"),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("who_email", sa.Text, nullable=False, server_default=""),
    sa.Column("via", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("partner", sa.Text),
    sa.Column("submission_id", sa.Integer),
    sa.Column("file_name", sa.Text),
    sa.Column("file_sha256", sa.Text),
    sa.Column("rows_stored", sa.Integer),
    sa.Column("rows_rejected", sa.Integer),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sqlite_autoincrement=True,
)
sa.Index("audit_at", audit.c.at)

networks = sa.Table(
    "networks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("partner", sa.Text, nullable=False),
    sa.Column("shared_with", sa.Text, nullable=False),
    sa.Column("definition", sa.Text, nullable=False),
    sa.Column("saved_by", sa.Text, nullable=False),
    sa.Column("saved_at", sa.Text, nullable=False),
    sa.CheckConstraint("shared_with IN ('everyone', 'partner')", name="networks_shared_with"),
    sqlite_autoincrement=True,
)

metrics = sa.Table(
    "metrics",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("place_text", sa.Text, nullable=False),
    sa.Column("place_label", sa.Text, nullable=False),
    sa.Column("metric", sa.Text, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("unit", sa.Text),
    sa.Column("date", sa.Text, nullable=False),
    sa.Column("target", sa.Float),
    sa.Column("recorded_at", sa.Text, nullable=False),
    sa.Column("recorded_by", sa.Text, nullable=False),
    sqlite_autoincrement=True,
)

LAND_TABLES = (submissions, assets, issues)
"""The tables today's (pre-migration) SQLite stores already have."""
NEW_TABLES = (asset_removals, partners, members, audit, networks, metrics)
"""The tables migration 2 adds (``metrics`` may exist already: the metrics module made it itself)."""
