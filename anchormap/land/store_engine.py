"""Database engines for the land store: a SQLite file (the default) or a PostgreSQL + PostGIS server.

One :class:`StoreLocation` says where the store is and how to connect:

- **SQLite**: a file path (or ``sqlite:///path``). The engine uses no pool (``NullPool``: each
  use opens and closes the file), a rollback journal (``PRAGMA journal_mode=DELETE``, so a failed
  write leaves the file byte-for-byte as it was and nothing beside it), foreign keys on, a
  30-second wait for a busy file, and ``BEGIN IMMEDIATE`` for writes (SQLAlchemy's documented
  pysqlite recipe: the driver's own transaction handling is switched off and the ``begin`` event
  emits the statement), so two writers queue instead of failing half-way.
- **PostgreSQL**: a ``postgresql://`` (or ``postgres://``) URL, driven by psycopg 3, with a
  10-second connect timeout and a pre-ping so a dropped connection is noticed before use.

:func:`translate_errors` turns every driver or operating-system error into
:class:`anchormap.land.store.StoreUnavailable` (cannot be reached or opened) or
:class:`anchormap.land.store.StoreError` (reached but cannot be used), with a plain message
naming the store and never its password.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool

SQLITE_TIMEOUT_S = 30
"""How long a write waits for another process's write to finish on a SQLite file (seconds)."""
PG_CONNECT_TIMEOUT_S = 10
"""How long connecting to a PostgreSQL server may take before the store is unavailable (seconds)."""
IMMEDIATE = "anchormap_immediate"
"""Execution option: begin the SQLite transaction with ``BEGIN IMMEDIATE`` (a write)."""


def is_postgres(location: str | Path) -> bool:
    """True for a ``postgresql://``/``postgres://`` URL (with or without a ``+driver``)."""
    text = str(location).strip()
    return text.startswith(("postgresql://", "postgres://", "postgresql+"))


@dataclass(frozen=True)
class StoreLocation:
    """Where a store is.

    Attributes
    ----------
    url : str
        The SQLAlchemy URL (``sqlite:///...`` or ``postgresql+psycopg://...``), password included.
    where : str
        The same in words safe to show: the file path, or the URL with its password hidden.
    path : pathlib.Path or None
        The SQLite file (None for PostgreSQL).
    """

    url: str
    where: str
    path: Path | None

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return "sqlite" if self.path is not None else "postgresql"

    @property
    def password(self) -> str | None:
        """The URL's password (for removing it from driver messages), or None."""
        return None if self.path is not None else make_url(self.url).password


def locate(location: str | Path) -> StoreLocation:
    """A :class:`StoreLocation` from a file path, ``sqlite:///path`` or a PostgreSQL URL.

    >>> locate("/tmp/x/land.sqlite").where
    '/tmp/x/land.sqlite'
    >>> locate("postgresql://gis:secret@db.example:5432/anchormap").where
    'postgresql://gis:***@db.example:5432/anchormap'
    """
    text = str(location).strip()
    if is_postgres(text):
        url = make_url(text.replace("postgres://", "postgresql://", 1))
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        shown = url.set(drivername="postgresql").render_as_string(hide_password=True)
        return StoreLocation(url.render_as_string(hide_password=False), shown, None)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    path = Path(text)
    return StoreLocation(f"sqlite:///{path}", str(path), path)


def make_engine(loc: StoreLocation) -> Engine:
    """An engine for ``loc`` set up as the module describes (nothing is connected yet)."""
    if loc.path is not None:
        engine = sa.create_engine(loc.url, poolclass=NullPool, connect_args={"timeout": SQLITE_TIMEOUT_S})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # let the begin event below start transactions
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA journal_mode=DELETE")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            immediate = conn.get_execution_options().get(IMMEDIATE, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return sa.create_engine(
        loc.url,
        pool_pre_ping=True,
        pool_size=2,
        max_overflow=4,
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S, "application_name": "anchormap"},
    )


def _reason(exc: BaseException, loc: StoreLocation) -> str:
    """The driver's own words, first line only, without the password."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    pw = loc.password
    if pw:
        text = text.replace(pw, "***")
    return text.rstrip(".")


def _sqlite_unreachable(reason: str) -> bool:
    words = reason.lower()
    return any(w in words for w in ("unable to open", "locked", "readonly", "read-only", "disk i/o", "busy"))


@contextlib.contextmanager
def translate_errors(loc: StoreLocation) -> Iterator[None]:
    """Turn driver and operating-system errors inside the block into the store's own errors.

    Raises
    ------
    anchormap.land.store.StoreUnavailable
        The store cannot be reached: the file cannot be opened or created, is locked past the
        timeout, or the server refuses or drops the connection.
    anchormap.land.store.StoreError
        The store was reached but cannot be used (not an AnchorMap store, a statement failed).
    """
    from anchormap.land.store import StoreError, StoreUnavailable

    kind = "land store" if loc.path is not None else "land store database"
    try:
        yield
    except StoreError:
        raise
    except sa.exc.DBAPIError as exc:
        reason = _reason(exc, loc)
        if loc.path is not None:
            if _sqlite_unreachable(reason):
                msg = f"The {kind} {loc.where} cannot be opened ({reason})."
                raise StoreUnavailable(msg) from None
            msg = f"The {kind} {loc.where} cannot be used ({reason}). Is it an AnchorMap store?"
            raise StoreError(msg) from None
        if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError) or exc.connection_invalidated:
            msg = (
                f"The {kind} {loc.where} cannot be reached ({reason}). Nothing was written; "
                "check that the server is running and the address is right, then try again."
            )
            raise StoreUnavailable(msg) from None
        msg = f"The {kind} {loc.where} cannot be used ({reason})."
        raise StoreError(msg) from None
    except sa.exc.SQLAlchemyError as exc:
        msg = f"The {kind} {loc.where} cannot be used ({_reason(exc, loc)})."
        raise StoreError(msg) from None
    except OSError as exc:
        msg = f"The {kind} {loc.where} cannot be opened ({exc.strerror or exc})."
        raise StoreUnavailable(msg) from None
