"""Faults, on both stores (SQLite and PostGIS), with real processes and a real server.

- A process killed with SIGKILL mid-import leaves no partial submission: the kill lands inside
  the import's transaction (seen from outside: SQLite's rollback journal, PostgreSQL's
  ``pg_stat_activity``), and afterwards the store opens and holds only complete submissions.
- A dropped connection (``pg_terminate_backend`` of the writing connection, mid-import) is a
  message, not a traceback, and writes nothing half.
- An unreachable store at start-up (a closed port; a SQLite path that cannot be opened) is one
  clear line from the CLI and an error message on the Shared land page.

Nothing is timed: each test waits on what it can see (a journal file, a backend, a process's end).
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from anchormap.access.people import Person
from anchormap.land.store import open_store
from tests.postgres import free_port
from tests.store_helpers import (
    GLA,
    LEWISHAM,
    WriteWatch,
    anchormap_command,
    child_env,
    data_rows,
    lewisham_2019,
    many_copies,
    read_register,
    stop_inside_transaction,
    store_register,
)

COPIES = 10  # 10,790 rows: the write takes long enough to be caught part-way, on any machine
LOCAL = Person.local_user("cli")


def _watch(location: str, request) -> WriteWatch:
    server = request.getfixturevalue("postgres_server_url") if location.startswith("postgresql://") else None
    return WriteWatch(location, server)


def _seed(location: str) -> tuple[int, int]:
    """One complete submission (Lewisham's real register) before the fault; returns (id, rows)."""
    store = open_store(location)
    for partner in (LEWISHAM, GLA):
        store.add_partner(partner, by=LOCAL)
    result = read_register(lewisham_2019(), LEWISHAM)
    return store_register(store, result), result.rows_accepted


def _assert_only_complete_submissions(location: str) -> None:
    """Every stored submission has exactly the rows it says it accepted."""
    store = open_store(location)
    subs = store.submissions()
    stored = store.assets(include_withdrawn=True)["submission_id"].value_counts()
    for sub in subs.itertuples(index=False):
        assert stored.get(sub.id, 0) == sub.rows_accepted, f"submission {sub.id} ({sub.file_name}) is partial"
    assert stored.index.isin(subs["id"]).all(), "rows stored without their submission"


def test_sigkill_mid_import_leaves_no_partial_submission(store_location, tmp_path, request):
    watch = _watch(store_location, request)
    seed_id, seed_rows = _seed(store_location)
    caught = None
    for attempt in range(3):  # the import may finish between two looks; another file then
        big = tmp_path / f"gla_x{COPIES}_{attempt}.csv"
        big.write_bytes(many_copies(COPIES, f"k{attempt}"))
        proc = subprocess.Popen(
            anchormap_command("land", "import", str(big), "--partner", GLA, "--store", store_location),
            env=child_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        writers = stop_inside_transaction(proc.pid, lambda proc=proc: proc.poll() is None, watch)
        if writers is not None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        if writers is not None:
            caught = big
            assert proc.returncode == -signal.SIGKILL
            break
        assert proc.returncode == 0, f"the import ended by itself with {proc.returncode}"
    assert caught is not None, "three imports ended before the kill could land inside their transaction"
    if watch.postgres:
        watch.wait_gone(writers)  # the killed client's backend notices and rolls back
    else:
        assert watch.journal.exists()  # the kill left a hot journal: SQLite rolls it back on the next open

    _assert_only_complete_submissions(store_location)
    subs = open_store(store_location).submissions()
    assert caught.name not in set(subs["file_name"])
    seed = subs[subs["id"] == seed_id]
    assert len(seed) == 1 and seed["status"].iloc[0] == "active" and seed["rows_accepted"].iloc[0] == seed_rows

    # the store takes the same file again, whole
    again = read_register(caught, GLA)
    sid = store_register(open_store(store_location), again)
    _assert_only_complete_submissions(store_location)
    assert open_store(store_location).submission(sid).rows_accepted == again.rows_accepted
    assert again.rows_accepted + again.rows_rejected == data_rows(caught)
    if not watch.postgres:
        assert not watch.journal.exists()  # the next write rolled the dead one's journal back or reused it


def _terminate_when_writing(pid: int, is_running, watch: WriteWatch) -> bool:
    """Pause the writer inside its transaction, end its backend (``pg_terminate_backend``), let it go on."""
    import psycopg

    writers = stop_inside_transaction(pid, is_running, watch)
    if writers is None:
        return False
    with psycopg.connect(watch.server_url, connect_timeout=10, autocommit=True) as con:
        for backend in writers:
            con.execute("SELECT pg_terminate_backend(%s)", (backend,))
    watch.wait_gone(writers)
    os.kill(pid, signal.SIGCONT)
    return True


def test_dropped_connection_mid_import_is_a_message_and_writes_nothing(postgres_url, postgres_server_url, tmp_path):
    watch = WriteWatch(postgres_url, postgres_server_url)
    seed_id, _rows = _seed(postgres_url)
    dropped = None
    for attempt in range(3):
        big = tmp_path / f"gla_x{COPIES}_{attempt}.csv"
        big.write_bytes(many_copies(COPIES, f"d{attempt}"))
        err_file = tmp_path / f"stderr_{attempt}.txt"
        with err_file.open("wb") as err_out:  # files, not pipes: a paused reader would block the report it prints
            proc = subprocess.Popen(
                anchormap_command("land", "import", str(big), "--partner", GLA, "--store", postgres_url),
                env=child_env(),
                stdout=subprocess.DEVNULL,
                stderr=err_out,
            )
            hit = _terminate_when_writing(proc.pid, lambda proc=proc: proc.poll() is None, watch)
            proc.wait()
        err = err_file.read_text()
        if hit:
            dropped = big
            break
    assert dropped is not None, "three imports ended before their connection could be dropped mid-transaction"
    assert proc.returncode not in (0, -signal.SIGKILL), err
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("anchormap: error: "), err
    assert "127.0.0.1" in lines[0] and watch.database in lines[0], err  # says where

    _assert_only_complete_submissions(postgres_url)
    subs = open_store(postgres_url).submissions()
    assert dropped.name not in set(subs["file_name"]) and list(subs["id"]) == [seed_id]


# --------------------------------------------------------------------------- unreachable at start-up
def _unreachable(kind: str, tmp_path: Path) -> tuple[str, str]:
    """(store location, the part of it the message must name)."""
    if kind == "postgresql_closed_port":
        port = free_port()  # nothing listens there
        return f"postgresql://postgres@127.0.0.1:{port}/anchormap", f"127.0.0.1:{port}"
    if kind == "sqlite_under_a_file":
        blocker = tmp_path / "not_a_folder"
        blocker.write_text("a file where the store's folder should be\n")
        path = blocker / "land.sqlite"
        return str(path), str(path)
    path = tmp_path / "a_folder.sqlite"
    path.mkdir()
    return str(path), str(path)


UNREACHABLE = ["postgresql_closed_port", "sqlite_under_a_file", "sqlite_path_is_a_folder"]


@pytest.mark.parametrize("kind", UNREACHABLE)
def test_unreachable_store_is_one_clear_line_from_the_cli(kind, tmp_path):
    location, where = _unreachable(kind, tmp_path)
    out = subprocess.run(
        anchormap_command("land", "list", "--store", location),
        env=child_env(),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode != 0, out.stdout
    assert "Traceback" not in out.stderr, out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, out.stderr
    assert where in lines[0] and ("cannot be reached" in lines[0] or "cannot be opened" in lines[0]), lines[0]


@pytest.mark.parametrize("kind", UNREACHABLE)
def test_unreachable_store_is_an_error_on_the_shared_land_page(kind, tmp_path, open_page, monkeypatch):
    location, where = _unreachable(kind, tmp_path)
    monkeypatch.setenv("ANCHORMAP_STORE", location)
    at = open_page("pages/2_Shared_land.py")  # fails on any exception
    errors = [e.value for e in at.error]
    assert any(where in e and ("cannot be reached" in e or "cannot be opened" in e) for e in errors), errors
    assert not any("Traceback" in e or "psycopg" in e or "sqlite3." in e for e in errors), errors
