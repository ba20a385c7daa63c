"""Benchmark: what the anchors build's checks cost (prints figures; not a test).

    python benchmarks/anchor_checks.py

Times, best of 3: reading every anchor dataset; building the one postcode lookup
(:class:`anchormap.geo.postcodes.PostcodeIndex`); the position check of every dataset's rows
against their postcodes (:func:`anchormap.data.layers.anchors.check_positions`); the hospital
sector rule (:func:`anchormap.data.layers.anchor_sources.hospital_sectors`); the whole build.
"""

from __future__ import annotations

from land import best  # benchmarks/land.py: best of n runs (run as a script, the folder is on the path)

import anchormap.data.layers.anchor_sources as sources
from anchormap.crs import BNG
from anchormap.data.layers.anchors import (
    ANCHOR_SOURCES,
    LAYER_INPUTS,
    build_anchors_with_report,
    check_positions,
    complete_coordinates,
)
from anchormap.data.layers.boundaries import build_boroughs
from anchormap.data.layers.postcodes import build_postcodes
from anchormap.data.sources import resolve
from anchormap.geo.postcodes import PostcodeIndex


def main() -> None:
    paths = {ds: resolve(ds).path for ds in LAYER_INPUTS}
    boroughs = build_boroughs({"boroughs": paths["boroughs"]}).to_crs(BNG)
    t_read, frames = best(lambda: {ds: sources.READERS[ds](paths[ds]) for ds in ANCHOR_SOURCES})
    table = build_postcodes({"postcodes": paths["postcodes"]})
    t_index, index = best(lambda: PostcodeIndex(table, ""))
    done = {ds: complete_coordinates(f) for ds, f in frames.items()}
    done = {ds: f[f["easting"].notna()] for ds, f in done.items()}
    rows = sum(len(f) for f in done.values())
    t_check, checked = best(lambda: {ds: check_positions(f, index, boroughs) for ds, f in done.items()})
    flagged = sum(int((f["position_check"] != "").sum()) for f in checked.values())
    trusts = set(sources.read_trust_register(paths["ncdr_locations"])["code"])
    london = set(frames["nhs_trusts"]["source_record_id"])
    t_sector, _ = best(lambda: sources.hospital_sectors(frames["hospitals"], trusts, london))
    t_build, _ = best(lambda: build_anchors_with_report(paths), n=2)
    print(f"read every anchor dataset      {t_read:8.2f} s")
    print(f"postcode lookup (once)         {t_index:8.2f} s")
    print(f"position check, {rows:,} rows   {t_check:8.2f} s  ({flagged} flagged)")
    print(f"hospital sector rule           {t_sector * 1000:8.1f} ms")
    print(f"whole anchors build            {t_build:8.2f} s")


if __name__ == "__main__":
    main()
