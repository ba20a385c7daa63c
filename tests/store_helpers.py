"""Real registers and real processes for the store's concurrency and fault tests.

- :data:`GLA_2017` and :data:`LEWISHAM_2019`: two partners' real registers from the mirror (the
  GLA London Brownfield Register 2017 as published, Windows-1252, 1,079 rows; Lewisham's
  brownfield register 2019 extract, 168 rows).
- :func:`many_copies` makes a large real register (the GLA one repeated, ids suffixed) whose
  import runs long enough to be interrupted part-way.
- :func:`anchormap_command` is ``python -m anchormap ...`` as a list for :mod:`subprocess`.
- :func:`import_in_process` is a :mod:`multiprocessing` (spawn) target: read a register, wait at
  a barrier with the others, store it, report the outcome on a queue.
- :class:`WriteWatch` tells whether a process is inside a write transaction that has started to
  write rows: on SQLite the rollback journal beside the file exists; on PostgreSQL a backend of the
  database has a transaction id (``pg_stat_activity.backend_xid``, given on the first write).
- :func:`stop_inside_transaction` pauses a process (SIGSTOP) once it is inside such a
  transaction and checks that it still is, so what the test does next (SIGKILL, dropping its
  connection) lands mid-transaction, never after the commit.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from anchormap.access.people import Person
from anchormap.data.sources import resolve

GLA = "Greater London Authority"
LEWISHAM = "London Borough of Lewisham"
POLL_S = 0.002
"""How often a watch looks (seconds); only a pause between looks, never a limit on a test."""


def gla_2017() -> Path:
    """The GLA London Brownfield Register 2017 as published (Windows-1252, 1,079 rows)."""
    return resolve("brownfield_london_2017_raw").path


def lewisham_2019() -> Path:
    """Lewisham's brownfield register 2019 extract (UTF-8, 168 rows)."""
    return resolve("brownfield_lewisham_2019").path


def data_rows(path: Path) -> int:
    """The number of data rows of a CSV register (records after the header; blank lines not counted)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    records = [r for r in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in r)]
    return len(records) - 1


def many_copies(copies: int, tag: str) -> bytes:
    """The GLA 2017 register ``copies`` times over, ``SiteReference`` suffixed ``-<tag>-<n>`` (still Windows-1252).

    A different ``tag`` gives a different file (another SHA-256), so one store takes several.
    """
    records = list(csv.reader(io.StringIO(gla_2017().read_bytes().decode("cp1252"), newline="")))
    ref = records[0].index("SiteReference")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(records[0])
    for copy in range(copies):
        for rec in records[1:]:
            writer.writerow([*rec[:ref], f"{rec[ref]}-{tag}-{copy}", *rec[ref + 1 :]])
    return out.getvalue().encode("cp1252")


def anchormap_command(*args: str) -> list[str]:
    """``python -m anchormap ARGS`` with this interpreter."""
    return [sys.executable, "-m", "anchormap", *args]


def child_env() -> dict[str, str]:
    """The environment for a child process: this one, with the repository importable."""
    from anchormap import config

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(config.REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    env.pop("ANCHORMAP_STORE", None)  # the tests say --store; the environment must not decide
    return env


def read_register(path: Path, partner: str):
    """:func:`anchormap.land.ingest.read_upload` of a register file, as the CLI reads it."""
    from anchormap.land.ingest import read_upload

    return read_upload(path.read_bytes(), path.name, partner)


def store_register(store, result, *, by: Person | None = None) -> int:
    """Store a checked register's valid rows as the CLI does (the local user by default); return the id."""
    return store.add_submission(
        partner=result.partner,
        file_name=result.file_name,
        assets=result.assets,
        rows_rejected=result.rows_rejected,
        report=result.report(),
        register_kind=result.register_kind,
        file_sha256=result.sha256,
        by=by or Person.local_user("cli"),
    )


def import_in_process(location: str, path: str, partner: str, barrier, results) -> None:
    """Spawned process: read the register, wait for the others at ``barrier``, store it; report on ``results``.

    Puts ``(partner, "ok", submission id)`` or ``(partner, error class name, message)`` on the queue.
    """
    from anchormap.land.store import open_store

    try:
        result = read_register(Path(path), partner)
        store = open_store(location)
        barrier.wait(timeout=600)  # a bound so a sibling that died cannot hang this one
        sid = store_register(store, result)
        results.put((partner, "ok", sid))
    except BaseException as exc:  # reported to the test, which fails with it
        results.put((partner, type(exc).__name__, str(exc)))


def add_in_process(location: str, path: str, partner: str, results) -> None:
    """Spawned process: read and store one register; report ``(error class names along the MRO, message)`` or ``ok``."""
    from anchormap.land.store import open_store

    try:
        result = read_register(Path(path), partner)
        sid = store_register(open_store(location), result)
        results.put(("ok", [], str(sid)))
    except BaseException as exc:
        results.put(("error", [c.__name__ for c in type(exc).__mro__], str(exc)))


@dataclass
class WriteWatch:
    """Whether someone is inside a write transaction on a store that has started to write rows.

    ``location`` is the store (a SQLite path or a ``postgresql://`` URL); for PostgreSQL,
    ``server_url`` is the cluster's maintenance database, from which ``pg_stat_activity`` is read.
    """

    location: str
    server_url: str | None = None

    @property
    def postgres(self) -> bool:
        return self.location.startswith("postgresql://")

    @property
    def journal(self) -> Path:
        """SQLite's rollback journal: it exists from a transaction's first written page until its commit."""
        return Path(self.location + "-journal")

    @property
    def database(self) -> str:
        return self.location.rsplit("/", 1)[-1].split("?", 1)[0]

    def writers(self) -> list[tuple[int, str | None]]:
        """PostgreSQL: ``(pid, wait_event)`` of the database's backends with a transaction id (they have written)."""
        import psycopg

        with psycopg.connect(self.server_url, connect_timeout=10, autocommit=True) as con:
            rows = con.execute(
                "SELECT pid, wait_event FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL"
                " AND pid <> pg_backend_pid()",
                (self.database,),
            ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def backends(self) -> list[int]:
        """PostgreSQL: pids of every client backend connected to the database."""
        import psycopg

        with psycopg.connect(self.server_url, connect_timeout=10, autocommit=True) as con:
            rows = con.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.database,),
            ).fetchall()
        return [r[0] for r in rows]

    def writing(self) -> bool:
        """True while a write transaction with rows written is open."""
        return bool(self.writers()) if self.postgres else self.journal.exists()

    def held_open(self) -> bool | None:
        """For a writer that has just been paused: is its transaction open and waiting for it?

        True when it is (SQLite: the journal is still there, so the commit, which deletes it, has
        not happened; PostgreSQL: the backend still has its transaction id and waits to read from
        the paused client, so it is not committing). False when it has committed meanwhile. None
        while a PostgreSQL backend is still busy with the last statement the client sent: look again.
        """
        if not self.postgres:
            return self.journal.exists()
        writers = self.writers()
        if not writers:
            return False
        return True if all(event == "ClientRead" for _pid, event in writers) else None

    def wait_gone(self, pids: list[int]) -> None:
        """PostgreSQL: wait until none of these backends is there any more (a dropped client's backend ends)."""
        while set(pids) & set(self.backends()):
            time.sleep(0.05)


def stop_inside_transaction(pid: int, is_running, watch: WriteWatch) -> list[int] | None:
    """Pause process ``pid`` (SIGSTOP) while it is inside a write transaction that has written rows.

    Looks every :data:`POLL_S` seconds while ``is_running()``; once :meth:`WriteWatch.writing`,
    stops the process and asks :meth:`WriteWatch.held_open`: when the transaction is open and
    waiting for the paused process, it stays stopped and the answer is True (the caller now kills
    it, or drops its connection, then continues it). Had it committed in between, it is continued
    and the watch goes on.

    Returns
    -------
    list of int or None
        None when the process ended first; else the writing PostgreSQL backends' pids (empty
        for SQLite).
    """
    while is_running():
        if watch.writing():
            os.kill(pid, signal.SIGSTOP)
            held = watch.held_open()
            while held is None:
                time.sleep(POLL_S)
                held = watch.held_open()
            if held:
                return [p for p, _event in watch.writers()] if watch.postgres else []
            os.kill(pid, signal.SIGCONT)
        time.sleep(POLL_S)
    return None
