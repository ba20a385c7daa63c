"""Benchmark: catchments and the gap ranking (prints figures; not a test).

    python benchmarks/catchment.py

1. London, real data: every LSOA 2021 (4,994) against every open anchor in the anchors layer.
   "prepare" builds the catchment index once (cold); a "slider move" is one call of
   ``rank_gaps`` with new parameters on the prepared index (warm). Target: < 0.1 s warm.
   Also one "what if" (a proposed site added, before and after).
2. England scale, GENERATED points (benchmark only): 33,755 origins and 20,000 sites
   scattered uniformly over England's extent in British National Grid, index up to 5 km,
   then counts, nearest per category and E2SFCA. Target: < 2 s for index + recompute.
   A denser variant puts the same points in London's extent (index up to 2 km).
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pandas as pd

from anchormap.analysis import catchment as cm
from anchormap.analysis import gaps
from anchormap.categories import CATEGORIES
from anchormap.data.build import load_layer


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def london() -> None:
    anchors = load_layer("anchors")
    load_layer("lsoa_2021")
    ctx, cold = timed(gaps.prepare, 2025, anchors)
    print(
        f"London: {ctx.index.n_origins:,} LSOAs x {len(ctx.index.sites):,} open anchors; "
        f"{len(ctx.index.pair_m):,} pairs within {ctx.index.max_radius_m:,.0f} m"
    )
    print(f"  prepare (index build, cold):            {cold * 1000:8.1f} ms")
    moves = []
    for radius in (400, 800, 1200, 2000, 3000, 5000):
        moves.append(gaps.GapParams(within_m=radius))
        moves.append(gaps.GapParams(within_m=radius, categories=None))
    for minutes in (5, 10, 15, 20, 30):
        moves.append(gaps.GapParams(walk_minutes=minutes, deciles=(1, 2, 3)))
    for cat in CATEGORIES:
        if cat in ctx.index.categories:
            moves.append(gaps.GapParams(within_m=1500, categories=(cat,)))
    for radius in (800, 2000, 5000):
        moves.append(gaps.GapParams(within_m=radius, scarcity="access", categories=None))
        moves.append(gaps.GapParams(within_m=radius, scarcity="access", decay="step", weights={"health": 3}))
    gaps.rank_gaps(ctx, moves[0])  # first call warms numpy/pandas code paths
    times = [min(timed(gaps.rank_gaps, ctx, p)[1] for _ in range(3)) for p in moves]  # best of 3: the machine is shared
    print(
        f"  slider move (rank_gaps, warm, best of 3, {len(times)} settings): median {statistics.median(times) * 1000:6.1f} ms, "
        f"max {max(times) * 1000:6.1f} ms  (target < 100 ms)"
    )
    worst = moves[int(np.argmax(times))]
    print(
        f"    slowest setting: catchment {worst.radius_m:,.0f} m, categories {worst.categories or 'all'}, "
        f"scarcity {worst.scarcity}"
    )
    site = gaps.locate_postcode("SE6 4RU")
    change, t = timed(gaps.what_if, ctx, gaps.GapParams(within_m=1000), site["x"], site["y"], "libraries")
    print(f"  what if (one proposed site, before/after): {t * 1000:8.1f} ms  ({len(change)} LSOAs change)")
    rollups = [timed(gaps.rollup, gaps.rank_gaps(ctx, moves[0]), by)[1] for by in ("borough", "ward", "msoa")]
    print(f"  roll-ups borough/ward/MSOA:               {sum(rollups) * 1000:8.1f} ms together")


def generated(
    n_origins: int, n_sites: int, extent: tuple[float, float, float, float], radius: float, label: str, seed: int = 2025
) -> None:
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = extent
    origins = pd.DataFrame(
        {
            "lsoa_code": [f"O{i}" for i in range(n_origins)],
            "x": rng.uniform(x0, x1, n_origins),
            "y": rng.uniform(y0, y1, n_origins),
            "population": rng.integers(1000, 3000, n_origins).astype(float),
        }
    )
    cats = np.array(list(CATEGORIES))
    sites = pd.DataFrame(
        {
            "site_id": np.arange(n_sites).astype(str),
            "name": "generated",
            "category": cats[rng.integers(0, len(cats), n_sites)],
            "x": rng.uniform(x0, x1, n_sites),
            "y": rng.uniform(y0, y1, n_sites),
        }
    )
    index, t_build = timed(cm.build_index, origins, sites, radius)
    cm.catchment_table(index, radius / 2)  # warm
    _, t_table = timed(cm.catchment_table, index, radius / 2)
    _, t_full = timed(cm.catchment_table, index, radius)
    total = t_build + t_full
    print(f"{label}: {n_origins:,} origins x {n_sites:,} sites, {len(index.pair_m):,} pairs within {radius:,.0f} m")
    print(
        f"  index build {t_build * 1000:7.1f} ms; recompute (counts, nearest, E2SFCA) at {radius / 2:,.0f} m "
        f"{t_table * 1000:6.1f} ms, at {radius:,.0f} m {t_full * 1000:6.1f} ms; "
        f"build + recompute {total:5.2f} s (target < 2 s)"
    )


def main() -> None:
    london()
    generated(
        33755, 20000, (134000, 11000, 656000, 658000), 5000, "England scale (generated, uniform over England's extent)"
    )
    generated(33755, 20000, (503000, 155000, 562000, 201000), 2000, "Dense (generated, same points in London's extent)")


if __name__ == "__main__":
    main()
