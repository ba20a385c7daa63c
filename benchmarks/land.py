"""Benchmark: shared land — validating a real register, importing it, combining and filtering (prints figures).

    python benchmarks/land.py

Uses the GLA London Brownfield Register 2017 original bytes (1,079 rows, Windows-1252, mixed
coordinate systems) as the upload, repeated to make a 10,000-row register too. The store is a
temporary SQLite file.
"""

from __future__ import annotations

import csv
import io
import tempfile
import time
from pathlib import Path

from anchormap.access.people import Person
from anchormap.data.build import load_layer
from anchormap.data.sources import resolve
from anchormap.land.assets import all_assets
from anchormap.land.filters import LandFilter, add_deprivation, add_nearest_anchor, apply_filter, summarise
from anchormap.land.ingest import read_upload
from anchormap.land.store import open_store


def best(fn, n: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def ten_copies(raw: bytes) -> bytes:
    """The register ten times over, SiteReference suffixed so ids stay unique (still Windows-1252)."""
    records = list(csv.reader(io.StringIO(raw.decode("cp1252"), newline="")))
    ref = records[0].index("SiteReference")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(records[0])
    for copy in range(10):
        for rec in records[1:]:
            writer.writerow([*rec[:ref], f"{rec[ref]}-{copy}", *rec[ref + 1 :]])
    return out.getvalue().encode("cp1252")


def main() -> None:
    raw = resolve("brownfield_london_2017_raw").path.read_bytes()
    big = ten_copies(raw)
    load_layer("postcodes"), load_layer("boroughs")  # warm the layers the validator uses
    read_upload(raw, "warm.csv", "GLA")
    for label, data in (("1,079 rows", raw), ("10,790 rows", big)):
        secs, r = best(lambda data=data: read_upload(data, "register.csv", "Greater London Authority"))
        print(
            f"validate {label:12} {secs * 1000:8.0f} ms  ({r.rows_accepted} valid, {r.rows_rejected} rejected, "
            f"{len(data) / 1e6:.1f} MB)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "land.sqlite")
        r = read_upload(big, "register.csv", "Greater London Authority")
        t0 = time.perf_counter()
        store.add_submission(
            partner=r.partner,
            file_name=r.file_name,
            assets=r.assets,
            rows_rejected=r.rows_rejected,
            report=r.report(),
            by=Person.local_user("cli"),
        )
        print(f"store {r.rows_accepted:,} assets in one transaction: {(time.perf_counter() - t0) * 1000:.0f} ms")
        secs, everything = best(lambda: all_assets(store))
        print(f"all assets (built-in + store, duplicate flags): {len(everything):,} rows in {secs * 1000:.0f} ms")
        secs, enriched = best(
            lambda: add_nearest_anchor(add_deprivation(everything, load_layer("lsoa_2021")), load_layer("anchors"))
        )
        print(f"IMD decile join + nearest anchor: {secs * 1000:.0f} ms")
        f = LandFilter(unused_only=True, imd_decile_max=3, catchment="inside", catchment_m=600)
        secs, shown = best(lambda: summarise(apply_filter(enriched, f)), n=5)
        print(f"filter + summary: {secs * 1000:.1f} ms ({int(shown['assets'].iloc[-1]):,} assets shown)")


if __name__ == "__main__":
    main()
