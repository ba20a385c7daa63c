"""Costs of the 2019 -> 2025 change: the table (cold, per measure, warm), its exports and the home map's layer.

Run: /work/main/.venv/bin/python benchmarks/change.py   (prints milliseconds and bytes; layers must be built)
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from anchormap.analysis.change import change_measures, compare_editions, export_change, lsoa_change
from anchormap.data.build import load_layer
from anchormap.maps.change_map import add_change_layer
from anchormap.maps.overlay import Overlay


def timed(label: str, fn, repeat: int = 1):
    t0 = time.perf_counter()
    for _ in range(repeat):
        out = fn()
    print(f"{label:<52} {(time.perf_counter() - t0) / repeat * 1000:8.1f} ms")
    return out


def main() -> None:
    lsoa11, lsoa21, lookup = (load_layer(n) for n in ("lsoa_2011", "lsoa_2021", "lsoa11_lsoa21"))
    for m in change_measures():
        timed(f"change table, {m} (computed)", lambda m=m: compare_editions(lsoa11, lsoa21, lookup, m))
    timed("change table, imd (first call, cached after)", lambda: lsoa_change("imd"))
    timed("change table, imd (warm)", lambda: lsoa_change("imd"), 100)
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("csv", "geojson"):
            out = Path(tmp) / f"change.{fmt}"
            timed(f"export change --format {fmt}", lambda fmt=fmt, out=out: export_change(fmt, out))
            print(f"{'   ' + out.name + ' size':<52} {out.stat().st_size:>8,} bytes")
    overlay = Overlay()
    timed("home map change layer, first (4,994 areas, tooltips, key)", lambda: add_change_layer(Overlay()))
    timed("home map change layer, a rerun", lambda: add_change_layer(Overlay()), 10)
    add_change_layer(overlay)
    print(f"{'   overlay sent to the browser':<52} {len(json.dumps(overlay.spec_json())):>8,} bytes")


if __name__ == "__main__":
    main()
