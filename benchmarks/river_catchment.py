"""Benchmark: catchments with the three walking models (prints figures; not a test).

    python benchmarks/river_catchment.py

On the real data (every LSOA 2021 against every open anchor, index up to 5 km):

1. bank labelling of the LSOA points, the sites and every postcode;
2. for ``straight``, ``river`` (the default) and ``streets``: the index build (``prepare``, cold)
   and a slider move (``rank_gaps`` at another radius, walking time, kinds or E2SFCA, warm,
   best of 3), the same settings as ``benchmarks/catchment.py``, and one what-if;
3. the three models compared on central London, the street layer's covered area: for every
   (LSOA, site) pair with both ends on the streets and 300 m to 5 km apart in a straight line,
   street walk / straight line (the detour factor measured on real streets) and river-aware /
   straight line; and London-wide, river-aware / straight for the pairs on opposite banks.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from anchormap.analysis import gaps
from anchormap.analysis import river as rv
from anchormap.analysis import streets as st
from anchormap.categories import CATEGORIES
from anchormap.data.build import load_layer


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def best_of(n, fn, *args, **kwargs):
    return min(timed(fn, *args, **kwargs)[1] for _ in range(n))


def moves(walking: str, present) -> list[gaps.GapParams]:
    out = []
    for radius in (400, 800, 1200, 2000, 3000, 5000):
        out.append(gaps.GapParams(within_m=radius, walking=walking))
        out.append(gaps.GapParams(within_m=radius, categories=None, walking=walking))
    for minutes in (5, 10, 15, 20, 30):
        out.append(gaps.GapParams(walk_minutes=minutes, deciles=(1, 2, 3), walking=walking))
    for cat in (c for c in CATEGORIES if c in present):
        out.append(gaps.GapParams(within_m=1500, categories=(cat,), walking=walking))
    for radius in (800, 2000, 5000):
        out.append(gaps.GapParams(within_m=radius, scarcity="access", categories=None, walking=walking))
        out.append(
            gaps.GapParams(within_m=radius, scarcity="access", decay="step", weights={"health": 3}, walking=walking)
        )
    return out


def pct(values, q) -> float:
    return float(np.percentile(values, q))


def main() -> None:
    anchors = load_layer("anchors")
    lsoas = load_layer("lsoa_2021")
    postcodes = load_layer("postcodes")
    river = rv.load_river()
    st.load_streets()
    pts = lsoas.geometry.representative_point()
    print("Bank labelling (vectorised shapely point-in-polygon):")
    t = best_of(3, river.bank_of, pts.x.to_numpy(), pts.y.to_numpy())
    print(f"  {len(lsoas):,} LSOA points:     {t * 1000:7.1f} ms")
    t = best_of(3, river.bank_of, anchors["easting"].to_numpy(float), anchors["northing"].to_numpy(float))
    print(f"  {len(anchors):,} anchor sites:    {t * 1000:7.1f} ms")
    t = best_of(3, river.bank_of, postcodes["easting"].to_numpy(), postcodes["northing"].to_numpy())
    print(f"  {len(postcodes):,} postcodes:    {t * 1000:7.1f} ms")

    contexts = {}
    for walking in rv.WALKING_MODELS:
        ctx, cold = timed(gaps.prepare, 2025, anchors, walking=walking)
        contexts[walking] = ctx
        settings = moves(walking, ctx.index.categories)
        gaps.rank_gaps(ctx, settings[0])
        times = [best_of(3, gaps.rank_gaps, ctx, p) for p in settings]
        slowest = settings[int(np.argmax(times))]
        site = gaps.locate_postcode("E14 2DG")
        what_if = best_of(
            3, gaps.what_if, ctx, gaps.GapParams(walk_minutes=15, walking=walking), site["x"], site["y"], "libraries"
        )
        print(
            f"\n{walking}: {len(ctx.index.pair_m):,} pairs within {ctx.index.max_radius_m:,.0f} m\n"
            f"  prepare (index build, cold):     {cold * 1000:8.1f} ms\n"
            f"  slider move ({len(times)} settings, best of 3): median {statistics.median(times) * 1000:6.1f} ms, "
            f"max {max(times) * 1000:6.1f} ms (slowest: {slowest.radius_m:,.0f} m, {slowest.scarcity})\n"
            f"  what-if at E14 2DG (15 min):     {what_if * 1000:8.1f} ms"
        )

    idx = contexts["streets"].index
    street = idx.pair_via == -2
    o, s = idx.pair_origin[street], idx.pair_site[street]
    ox, oy = idx.origins["x"].to_numpy()[o], idx.origins["y"].to_numpy()[o]
    sx, sy = idx.sites["x"].to_numpy()[s], idx.sites["y"].to_numpy()[s]
    straight = np.hypot(ox - sx, oy - sy)
    walked = idx.pair_m[street] * idx.detour
    river_m, via = river.walk_m(ox, oy, sx, sy)
    keep = straight >= 300
    ratio = walked[keep] / straight[keep]
    rratio = river_m[keep] / straight[keep]
    cross = via[keep] >= 0
    print(
        f"\nCentral London (street layer's covered area, {idx.streets.rows.size} LSOAs): {keep.sum():,} pairs "
        f"at least 300 m apart in a straight line, street walk up to {idx.max_radius_m * idx.detour:,.0f} m"
    )
    print(
        f"  street walk / straight line:  median {np.median(ratio):.3f}, p90 {pct(ratio, 90):.3f} "
        f"(the detour factor on real streets; the model assumes {idx.detour:g})"
    )
    print(f"  river-aware / straight line: median {np.median(rratio):.3f}, p90 {pct(rratio, 90):.3f}")
    print(
        f"  pairs across the Thames ({cross.sum():,}): street / straight median {np.median(ratio[cross]):.3f}, "
        f"river-aware / straight median {np.median(rratio[cross]):.3f}, street / river-aware median "
        f"{np.median(walked[keep][cross] / river_m[keep][cross]):.3f}"
    )
    same = ~cross
    print(f"  pairs on one bank ({same.sum():,}): street / straight median {np.median(ratio[same]):.3f}")

    a, b = contexts["straight"].index, contexts["river"].index
    across = b.pair_via >= 0
    bo, bs = b.pair_origin[across], b.pair_site[across]
    st_m = np.hypot(
        b.origins["x"].to_numpy()[bo] - b.sites["x"].to_numpy()[bs],
        b.origins["y"].to_numpy()[bo] - b.sites["y"].to_numpy()[bs],
    )
    r = b.pair_m[across] / st_m
    print(
        f"\nLondon-wide, pairs on opposite banks kept within 5 km ({across.sum():,}; "
        f"{len(a.pair_m) - len(b.pair_m):,} straight-line pairs dropped as farther than 5 km by the river):"
    )
    print(f"  river-aware / straight line: median {np.median(r):.3f}, p90 {pct(r, 90):.3f}")
    before = a.counts_within_walk(15, None)
    after = b.counts_within_walk(15, None)
    print(
        f"  15-minute catchments: {int((after < before).sum()):,} LSOAs count fewer anchors "
        f"({int((before - after).sum()):,} site pairs across the water dropped)"
    )


if __name__ == "__main__":
    main()
