"""A throwaway PostgreSQL 15 + PostGIS cluster for the tests, and fixtures that run a test on both stores.

Fixtures (wired into every test by ``tests/conftest.py``):

``postgres_cluster`` (session)
    A :class:`PostgresCluster` started once per test session: ``initdb`` in a fresh temporary
    directory, run as the unprivileged ``postgres`` system user when the tests run as root (as CI
    does), listening on 127.0.0.1 on a free port and on a Unix socket in that directory, trust
    authentication for loopback and the socket only, PostGIS ready in a template database.
    Stopped (``pg_ctl stop -m immediate``) and its directory deleted at the end of the session,
    also when tests fail or the run is interrupted.
``postgres_server_url`` (session)
    The cluster's maintenance database, ``postgresql://postgres@127.0.0.1:PORT/postgres``: for
    tests that look at the server itself (``pg_stat_activity``, ``pg_terminate_backend``).
``postgres_url`` (function)
    A fresh, empty database for this test, ``postgresql://postgres@127.0.0.1:PORT/test_N``, made
    with ``CREATE DATABASE ... TEMPLATE`` from a template in which ``CREATE EXTENSION postgis``
    has already run (the store's own migration may run it again: ``IF NOT EXISTS``). Dropped after
    the test (``WITH (FORCE)``, so a connection the test left open does not keep it).
``store_location`` (function, parametrised ``sqlite`` / ``postgis``)
    Where a store is, as :func:`anchormap.land.store.open_store` takes it: the path of a SQLite
    file under ``tmp_path`` (not created yet), or a fresh PostGIS database's URL. A test that asks
    for it runs twice, ``test_x[sqlite]`` and ``test_x[postgis]``.
``store_env`` (function, parametrised through ``store_location``)
    The same location, also set as ``ANCHORMAP_STORE`` for the test (for the CLI run in a
    subprocess, and for pages under AppTest): returns the location.
``any_store`` (function, parametrised through ``store_location``)
    ``open_store(store_location)``: a :class:`anchormap.land.store.LandStore` on each store.

:func:`store_fingerprint` (a function, not a fixture) says whether anything at all was written
to a store: the SQLite file's bytes (and any journal beside it), or PostgreSQL's whole data as
``pg_dump --data-only`` prints it; "nothing written" is the same fingerprint before and after.

When PostgreSQL or PostGIS is not installed, every ``postgis`` case FAILS (never skips) with a
message saying what to install: Debian's ``postgresql`` and ``postgis`` packages, which
``bash dev test`` (and so CI) installs.

Nothing here is timed: start-up waits on ``pg_ctl start -w`` (the server's own readiness check).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PG_MAJOR = "15"
PG_BIN_ENV = "ANCHORMAP_PG_BIN"
"""Directory of ``initdb``/``pg_ctl``/``postgres``; default Debian's ``/usr/lib/postgresql/15/bin``."""
SYSTEM_USER = "postgres"
"""The unprivileged system user the server runs as when the tests run as root (Debian's package makes it)."""
TEMPLATE_DB = "anchormap_template"
INSTALL_HINT = (
    "PostgreSQL 15 with PostGIS is needed for the PostGIS store tests: install Debian's packages "
    "'postgresql' and 'postgis' (sudo apt-get install postgresql postgis; 'bash dev test' does it), "
    f"or point {PG_BIN_ENV} at a directory holding initdb and pg_ctl."
)


def pg_bin_dir() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl`` (``ANCHORMAP_PG_BIN`` or Debian's PostgreSQL 15)."""
    env = os.environ.get(PG_BIN_ENV, "").strip()
    return Path(env) if env else Path(f"/usr/lib/postgresql/{PG_MAJOR}/bin")


def missing_postgres() -> str | None:
    """Why a cluster cannot be started here (what to install), or None when it can."""
    bin_dir = pg_bin_dir()
    for tool in ("initdb", "pg_ctl", "postgres", "psql"):
        if not (bin_dir / tool).is_file():
            return f"{bin_dir / tool} is missing. {INSTALL_HINT}"
    share = _share_dir(bin_dir)
    if share is None or not (share / "extension" / "postgis.control").is_file():
        return f"PostGIS is missing (no postgis.control beside PostgreSQL in {bin_dir}). {INSTALL_HINT}"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            return (
                f"There is no '{SYSTEM_USER}' system user to run the server as (the tests run as root). {INSTALL_HINT}"
            )
    return None


def _share_dir(bin_dir: Path) -> Path | None:
    pg_config = bin_dir / "pg_config"
    if pg_config.is_file():
        out = subprocess.run([str(pg_config), "--sharedir"], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout.strip():
            return Path(out.stdout.strip())
    fallback = Path(f"/usr/share/postgresql/{PG_MAJOR}")
    return fallback if fallback.is_dir() else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresCluster:
    """A PostgreSQL cluster in a temporary directory, owned by an unprivileged user.

    ``root`` is the temporary directory (data in ``root/data``, the Unix socket in ``root``, the
    server log in ``root/server.log``); ``port`` the TCP port on 127.0.0.1.
    """

    root: Path
    port: int = 0
    bin_dir: Path = field(default_factory=pg_bin_dir)
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    _running: bool = False

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str = "postgres") -> str:
        """``postgresql://postgres@127.0.0.1:PORT/<database>`` (trust authentication, no password)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    # --- running the server's tools as the unprivileged user -------------------------------
    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            cmd = ["runuser", "-u", SYSTEM_USER, "--", *cmd]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=self.root, stdin=subprocess.DEVNULL)
        if check and out.returncode != 0:
            log = self.log_file.read_text(errors="replace")[-3000:] if self.log_file.is_file() else ""
            msg = f"{' '.join(args[:2])} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}\n{log}"
            raise RuntimeError(msg)
        return out

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL with ``psql`` over the Unix socket; return its unaligned output (tuples only)."""
        out = self._run(
            "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-h", str(self.root), "-p", str(self.port),
            "-U", "postgres", "-d", database, "-c", sql,
        )  # fmt: skip
        return out.stdout

    # --- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """``initdb``, loopback-only trust authentication, ``pg_ctl start -w``, then the PostGIS template."""
        if os.geteuid() == 0:
            shutil.chown(self.root, user=SYSTEM_USER)
        self.root.chmod(0o700)
        self._run("initdb", "-D", str(self.data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        (self.data_dir / "pg_hba.conf").write_text(
            "# throwaway test cluster: trust, for the socket in its own directory and loopback only\n"
            "local all all trust\n"
            "host all all 127.0.0.1/32 trust\n",
            encoding="utf-8",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        for _attempt in range(5):  # the free port may be taken between choosing and binding it
            self.port = free_port()
            out = self._run(
                "pg_ctl", "start", "-w", "-t", "120", "-D", str(self.data_dir), "-l", str(self.log_file),
                "-o", f"{options} -p {self.port}", check=False,
            )  # fmt: skip
            if out.returncode == 0:
                self._running = True
                break
        else:
            log = self.log_file.read_text(errors="replace")[-3000:] if self.log_file.is_file() else ""
            msg = f"The test PostgreSQL server did not start:\n{out.stdout}\n{out.stderr}\n{log}"
            raise RuntimeError(msg)
        self.psql(f"CREATE DATABASE {TEMPLATE_DB}")
        self.psql("CREATE EXTENSION IF NOT EXISTS postgis", database=TEMPLATE_DB)
        self.psql(f"ALTER DATABASE {TEMPLATE_DB} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")

    def stop(self) -> None:
        """``pg_ctl stop -m immediate`` and delete the directory; safe to call twice."""
        if self._running:
            self._running = False
            self._run("pg_ctl", "stop", "-m", "immediate", "-D", str(self.data_dir), check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def new_database(self) -> str:
        """A fresh database copied from the PostGIS template; returns its name (``test_N``)."""
        name = f"test_{next(self._counter)}"
        self.psql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB}")
        return name

    def drop_database(self, name: str) -> None:
        """Drop a test's database, ending any connection still open to it."""
        self.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL 15 + PostGIS cluster for the whole session (see the module docstring).

    Fails (never skips) with what to install when PostgreSQL or PostGIS is missing.
    """
    why = missing_postgres()
    if why:
        pytest.fail(why, pytrace=False)
    cluster = PostgresCluster(Path(tempfile.mkdtemp(prefix="anchormap-pg-")))
    atexit.register(cluster.stop)  # also when the session is interrupted before fixtures finalise
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_server_url(postgres_cluster) -> str:
    """The test cluster's maintenance database ``postgres`` (for looking at the server itself)."""
    return postgres_cluster.url()


@pytest.fixture
def postgres_url(postgres_cluster) -> str:
    """A fresh PostGIS database for this test: ``postgresql://postgres@127.0.0.1:PORT/test_N``; dropped afterwards."""
    name = postgres_cluster.new_database()
    yield postgres_cluster.url(name)
    with contextlib.suppress(RuntimeError):
        postgres_cluster.drop_database(name)


def store_fingerprint(location: str) -> str:
    """A digest of everything stored at ``location``: equal before and after means nothing was written.

    SQLite: the file's bytes and whether a rollback journal is beside it ("no file" when there is
    none). PostgreSQL: ``pg_dump --data-only`` of the database (every table's rows and every
    sequence's position), with the server's own ``pg_dump``, less its random ``\\restrict`` key lines.
    """
    import hashlib

    if location.startswith(("postgresql://", "postgres://")):
        out = subprocess.run(
            [str(pg_bin_dir() / "pg_dump"), "--data-only", "--no-owner", "--dbname", location],
            capture_output=True,
            check=True,
            stdin=subprocess.DEVNULL,
        )
        # recent pg_dump brackets its output with \restrict/\unrestrict and a random key: not data
        lines = [line for line in out.stdout.splitlines() if not line.startswith((b"\\restrict", b"\\unrestrict"))]
        return hashlib.sha256(b"\n".join(lines)).hexdigest()
    path = Path(location.removeprefix("sqlite:///"))
    journal = Path(str(path) + "-journal").exists()
    if not path.is_file():
        return f"no file (journal: {journal})"
    return f"{hashlib.sha256(path.read_bytes()).hexdigest()} (journal: {journal})"


STORE_KINDS = ["sqlite", "postgis"]


@pytest.fixture(params=STORE_KINDS)
def store_location(request, tmp_path) -> str:
    """A store's location, once per kind: a SQLite file path under ``tmp_path``, or a fresh PostGIS database URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store" / "land.sqlite")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store_env(store_location, monkeypatch) -> str:
    """``store_location``, also set as ``ANCHORMAP_STORE`` for this test (CLI subprocesses, AppTest pages)."""
    monkeypatch.setenv("ANCHORMAP_STORE", store_location)
    return store_location


@pytest.fixture
def any_store(store_location):
    """``anchormap.land.store.open_store(store_location)``: a LandStore on each kind of store."""
    from anchormap.land.store import open_store

    return open_store(store_location)
