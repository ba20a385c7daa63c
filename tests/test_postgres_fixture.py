"""The throwaway PostgreSQL fixture itself: a fresh PostGIS database per test, on loopback, trust only there."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg

from tests.postgres import store_fingerprint


def test_fresh_database_has_postgis_and_is_empty(postgres_url):
    with psycopg.connect(postgres_url, connect_timeout=10) as con:
        version = con.execute("SELECT postgis_version()").fetchone()[0]
        tables = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            " AND table_name <> 'spatial_ref_sys'"
        ).fetchone()[0]
        con.execute("CREATE TABLE mine (x int)")
    assert version.startswith("3")
    assert tables == 0


def test_each_test_gets_its_own_database(postgres_url, postgres_server_url):
    with psycopg.connect(postgres_url, connect_timeout=10) as con:
        name = con.execute("SELECT current_database()").fetchone()[0]
        tables = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'mine'").fetchone()[0]
    assert name.startswith("test_")
    assert tables == 0  # the table the previous test made is not here
    with psycopg.connect(postgres_server_url, connect_timeout=10) as con:
        listen = con.execute("SHOW listen_addresses").fetchone()[0]
        user = con.execute("SELECT usename FROM pg_user WHERE usesuper AND usename = 'postgres'").fetchone()
    assert listen == "127.0.0.1"
    assert user is not None


def test_store_location_runs_on_both(store_location, request):
    kind = request.node.callspec.params["store_location"]
    if kind == "sqlite":
        assert store_location.endswith("land.sqlite")
    else:
        assert store_location.startswith("postgresql://postgres@127.0.0.1:")


def test_store_fingerprint_changes_with_a_write_only(store_location):
    before = store_fingerprint(store_location)
    assert store_fingerprint(store_location) == before
    if store_location.startswith("postgresql://"):
        with psycopg.connect(store_location, connect_timeout=10) as con:
            con.execute("CREATE TABLE t (x int)")
        made = store_fingerprint(store_location)
        assert made != before  # a new table is a write
        with psycopg.connect(store_location, connect_timeout=10) as con:
            con.execute("SELECT count(*) FROM t")
        assert store_fingerprint(store_location) == made  # reading writes nothing
        with psycopg.connect(store_location, connect_timeout=10) as con:
            con.execute("INSERT INTO t VALUES (1)")
        assert store_fingerprint(store_location) != made
    else:
        Path(store_location).parent.mkdir(parents=True)
        with sqlite3.connect(store_location) as con:
            con.execute("CREATE TABLE t (x int)")
        con.close()
        assert store_fingerprint(store_location) != before
