"""Benchmark: the land store on SQLite and on PostGIS (prints figures; not a test).

    python benchmarks/store.py [--repeat 3] [--only import|concurrent|filter]

On each store:

1. importing the largest built-in register, the GLA London Brownfield Register 2017 as published
   (1,079 rows, 978 valid): validating it (``read_upload``, the same on both stores), storing
   its valid rows in one transaction (``add_submission``), and the whole ``anchormap land
   import`` command as a person runs it (a new process: start-up, validation, store);
2. 8 imports at once from 8 processes (8 partners, each the GLA register with its ids suffixed
   so each file is its own): every process validates its file, then all store together,
   released by a barrier; the wall time from the release until the last commit;
3. filtering 50,000 stored assets: 50,000 rows in one submission (the GLA register's valid rows
   repeated, ids suffixed), then reading them back (``assets()``), adding each asset's IMD decile
   and nearest anchor as the Shared land page does, and a typical filter (unused space only, in
   the most deprived 30% of LSOAs, within 600 m of an anchor) with its summary table.

The PostGIS store is a fresh database on a throwaway PostgreSQL 15 cluster started like the
tests' (tests/postgres.py: ``initdb`` in a temporary directory, 127.0.0.1, ``fsync=off``,
stopped and deleted at the end); SQLite is a fresh file in a temporary directory (its default
settings: rollback journal, synchronous FULL). Times are wall-clock seconds or milliseconds, best (min) of ``--repeat`` runs where
a step is repeated, on the machine printed first.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

CONCURRENT = 8
FILTER_ROWS = 50_000


def machine() -> str:
    """CPU model, cores this process may use, RAM, OS and Python, in one line each."""
    model = platform.processor() or "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as fh:
        mem_kb = next(int(line.split()[1]) for line in fh if line.startswith("MemTotal"))
    cores = len(os.sched_getaffinity(0))
    pg = subprocess.run(["/usr/lib/postgresql/15/bin/postgres", "--version"], capture_output=True, text=True)
    import sqlite3

    return "\n".join(
        [
            f"CPU: {model}",
            f"cores: {cores} usable ({os.cpu_count()} in the machine); load average {os.getloadavg()[0]:.1f}",
            f"RAM: {mem_kb / 1024 / 1024:.1f} GiB",
            f"OS: {platform.platform()}; Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; "
            f"{pg.stdout.strip() or 'PostgreSQL not found'}",
        ]
    )


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def figure(times: list[float]) -> str:
    """min (median) in milliseconds."""
    if len(times) == 1:
        return f"{times[0] * 1000:8.0f} ms"
    return f"{min(times) * 1000:8.0f} ms (median {statistics.median(times) * 1000:.0f} ms of {len(times)})"


# --------------------------------------------------------------------------- the stores
class Stores:
    """Fresh, empty stores of each kind on demand: a SQLite file, or a new database on a throwaway PostgreSQL cluster."""

    def __init__(self):
        from tests.postgres import PostgresCluster, missing_postgres

        why = missing_postgres()
        if why:
            raise SystemExit(why)
        self.tmp = Path(tempfile.mkdtemp(prefix="anchormap-store-bench-"))
        self.count = 0
        self.cluster = PostgresCluster(Path(tempfile.mkdtemp(prefix="anchormap-pg-bench-")))
        self.cluster.start()

    def fresh(self, kind: str) -> str:
        self.count += 1
        if kind == "sqlite":
            return str(self.tmp / f"land_{self.count}.sqlite")
        return self.cluster.url(self.cluster.new_database())

    def close(self) -> None:
        import shutil

        self.cluster.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def ready(location: str, partners: list[str]):
    """The store opened, its schema made (the first write runs the migrations), the partners registered."""
    from anchormap.access.people import Person
    from anchormap.land.store import open_store

    store = open_store(location)
    known = set(store.partners()["name"])
    for name in partners:
        if name not in known:
            store.add_partner(name, by=Person.local_user("cli"))
    return store


def store_result(store, result, by=None) -> int:
    from anchormap.access.people import Person

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


def suffixed_register(tag: str) -> bytes:
    """The GLA 2017 register as published, ``SiteReference`` suffixed with ``tag`` (another file, same rows)."""
    from tests.store_helpers import many_copies

    return many_copies(1, tag)


# --------------------------------------------------------------------------- 1. one import
def bench_import(stores: Stores, kinds: list[str], repeat: int) -> None:
    from anchormap.land.ingest import read_upload
    from tests.store_helpers import GLA, anchormap_command, child_env, gla_2017

    path = gla_2017()
    raw = path.read_bytes()
    times, result = [], None
    for _ in range(repeat):
        secs, result = timed(lambda: read_upload(raw, path.name, GLA))
        times.append(secs)
    print(
        f"\n1. The largest built-in register, {path.name} ({len(raw) / 1e6:.2f} MB, "
        f"{result.rows_read:,} rows: {result.rows_accepted:,} valid, {result.rows_rejected:,} rejected)"
    )
    print(f"   validate (read_upload, either store)   {figure(times)}")
    for kind in kinds:
        store_times, cli_times = [], []
        for _ in range(repeat):
            store = ready(stores.fresh(kind), [GLA])
            secs, _sid = timed(lambda store=store: store_result(store, result))
            store_times.append(secs)
        for _ in range(repeat):
            location = stores.fresh(kind)
            ready(location, [GLA])
            cmd = anchormap_command("land", "import", str(path), "--partner", GLA, "--store", location)
            secs, out = timed(lambda cmd=cmd: subprocess.run(cmd, env=child_env(), capture_output=True, text=True))
            if out.returncode != 0:
                print(f"   {kind}: anchormap land import failed: {out.stderr.strip()}")
                break
            cli_times.append(secs)
        print(f"   {kind:7} store {result.rows_accepted:,} rows (one transaction) {figure(store_times)}")
        if cli_times:
            print(f"   {kind:7} anchormap land import (new process) {figure(cli_times)}")


# --------------------------------------------------------------------------- 2. 8 at once
def _concurrent_worker(location: str, data: bytes, name: str, partner: str, barrier, results) -> None:
    """Spawned: validate, wait for the others, store; report (partner, start, end, rows) in epoch seconds."""
    try:
        from anchormap.land.ingest import read_upload
        from anchormap.land.store import open_store

        result = read_upload(data, name, partner)
        store = open_store(location)
        store.partners()  # connect before the start signal, as a running app would be
        barrier.wait(timeout=600)
        start = time.time()
        store_result(store, result)
        results.put((partner, start, time.time(), result.rows_accepted, ""))
    except BaseException as exc:
        results.put((partner, 0.0, 0.0, 0, f"{type(exc).__name__}: {exc}"))


def bench_concurrent(stores: Stores, kinds: list[str]) -> None:
    partners = [f"Benchmark partner {i + 1}" for i in range(CONCURRENT)]
    files = {p: suffixed_register(f"c{i}") for i, p in enumerate(partners)}
    print(f"\n2. {CONCURRENT} imports at once from {CONCURRENT} processes (each the GLA register, 978 valid rows)")
    ctx = multiprocessing.get_context("spawn")
    for kind in kinds:
        location = stores.fresh(kind)
        store = ready(location, partners)
        barrier, results = ctx.Barrier(CONCURRENT), ctx.Queue()
        procs = [
            ctx.Process(target=_concurrent_worker, args=(location, files[p], f"register_{i}.csv", p, barrier, results))
            for i, p in enumerate(partners)
        ]
        for proc in procs:
            proc.start()
        outcomes = [results.get() for _ in procs]
        for proc in procs:
            proc.join()
        failed = [o for o in outcomes if o[4]]
        if failed:
            print(f"   {kind}: {len(failed)} of {CONCURRENT} failed: {failed[0][4]}")
            continue
        start, end = min(o[1] for o in outcomes), max(o[2] for o in outcomes)
        each = sorted(o[2] - o[1] for o in outcomes)
        rows = sum(o[3] for o in outcomes)
        subs = store.submissions()
        stored = store.assets()["submission_id"].value_counts()
        complete = all(stored.get(s.id, 0) == s.rows_accepted for s in subs.itertuples()) and len(subs) == CONCURRENT
        print(
            f"   {kind:7} all {CONCURRENT} stored in {(end - start) * 1000:6.0f} ms wall "
            f"({rows / (end - start):,.0f} rows/s); each import {each[0] * 1000:.0f}-{each[-1] * 1000:.0f} ms "
            f"from the start signal; {len(subs)} submissions, {'all complete' if complete else 'NOT ALL COMPLETE'}"
        )


# --------------------------------------------------------------------------- 3. filter 50,000
def fifty_thousand():
    """50,000 valid assets: the GLA register's valid rows repeated, ids suffixed, as one checked register."""
    import pandas as pd

    from anchormap.land.ingest import read_upload
    from tests.store_helpers import GLA, gla_2017

    path = gla_2017()
    result = read_upload(path.read_bytes(), path.name, GLA)
    copies = -(-FILTER_ROWS // result.rows_accepted)
    parts = []
    for n in range(copies):
        part = result.assets.copy()
        part["asset_id"] = part["asset_id"].astype(str) + f"-{n}"
        parts.append(part)
    assets = pd.concat(parts, ignore_index=True).iloc[:FILTER_ROWS].copy()
    if "row_number" in assets.columns:
        assets["row_number"] = range(1, len(assets) + 1)
    return result, assets


def bench_filter(stores: Stores, kinds: list[str], repeat: int) -> None:
    from anchormap.access.people import Person
    from anchormap.data.build import load_layer
    from anchormap.land.filters import LandFilter, add_deprivation, add_nearest_anchor, apply_filter, summarise
    from tests.store_helpers import GLA

    result, assets = fifty_thousand()
    lsoas, anchors = load_layer("lsoa_2021"), load_layer("anchors")
    f = LandFilter(unused_only=True, imd_decile_max=3, catchment="inside", catchment_m=600)
    print(
        f"\n3. Filtering {len(assets):,} stored assets ({f.catchment} {f.catchment_m:.0f} m of an anchor, unused space,"
    )
    print("   IMD decile 3 or more deprived), as the Shared land page does")
    for kind in kinds:
        store = ready(stores.fresh(kind), [GLA])
        secs, _sid = timed(
            lambda store=store, kind=kind: store.add_submission(
                partner=GLA,
                file_name="fifty_thousand.csv",
                assets=assets,
                rows_rejected=0,
                file_sha256=f"bench-{kind}-50000",
                by=Person.local_user("cli"),
            )
        )
        print(f"   {kind:7} store {len(assets):,} rows (one transaction)   {secs * 1000:8.0f} ms")
        read_t, enrich_t, filter_t, total_t = [], [], [], []
        shown = 0
        for _ in range(repeat):
            t_read, stored = timed(store.assets)
            t_enrich, enriched = timed(
                lambda stored=stored: add_nearest_anchor(add_deprivation(stored, lsoas), anchors)
            )
            t_filter, table = timed(lambda enriched=enriched: summarise(apply_filter(enriched, f)))
            shown = int(table["assets"].iloc[-1]) if len(table) else 0
            read_t.append(t_read)
            enrich_t.append(t_enrich)
            filter_t.append(t_filter)
            total_t.append(t_read + t_enrich + t_filter)
        print(f"   {kind:7} assets() read back {len(stored):,} rows    {figure(read_t)}")
        print(f"   {kind:7} + IMD decile and nearest anchor     {figure(enrich_t)}")
        print(f"   {kind:7} + apply_filter and summary          {figure(filter_t)}  ({shown:,} shown)")
        print(f"   {kind:7} total                                {figure(total_t)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each repeated step (default 3)")
    parser.add_argument("--only", choices=["import", "concurrent", "filter"], action="append")
    args = parser.parse_args(argv)
    print(machine())
    from anchormap.data.build import load_layer

    load_layer("postcodes"), load_layer("boroughs")  # warm the layers the validator uses
    stores = Stores()
    kinds = ["sqlite", "postgis"]
    try:
        only = set(args.only or ["import", "concurrent", "filter"])
        if "import" in only:
            bench_import(stores, kinds, args.repeat)
        if "concurrent" in only:
            bench_concurrent(stores, kinds)
        if "filter" in only:
            bench_filter(stores, kinds, args.repeat)
    finally:
        stores.close()


if __name__ == "__main__":
    main()
