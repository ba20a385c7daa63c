"""Benchmark: what the home map sends, against a naive folium choropleth (prints figures; not a test).

    python benchmarks/map_payload.py [--edition 2019|2025] [--tolerances 3,5,8,12]

For the same LSOAs (every London LSOA of the edition) and the same measure (IMD decile):

* naive: ``folium.Choropleth`` of the unsimplified boundaries (layer ``lsoa_2011`` /
  ``lsoa_2021`` reprojected to WGS84, full coordinate precision); bytes = the rendered map
  HTML, which is what streamlit-folium would put in its message;
* app: :func:`anchormap.mapping.base_map` + :class:`anchormap.mapping.Overlay` as the home
  page draws it; bytes = the rendered map HTML (script, overlay with the classes and legend)
  + the geometry files the browser fetches once (LSOAs and borough outlines).
  "Per measure change" is what a rerun sends after that: the overlay only.

Build time: cold = first map in a fresh process-local cache and an empty static folder
(geometry encoded and published); warm = a later rerun. Displacement: the Hausdorff distance
(metres, EPSG:27700) between each full LSOA polygon and what the browser draws (display
geometry with coordinates rounded to 5 decimals, projected back to BNG), max / 99th
percentile / median over LSOAs, also in screen pixels at zoom 10 and 14. ``--tolerances``
also prints vertex counts and displacement for other coverage-simplification tolerances.
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
import time

import numpy as np


def naive_map(edition: int) -> tuple[int, float]:
    import folium

    from anchormap.build import load_layer
    from anchormap.mapping import EDITION_LAYERS

    t0 = time.perf_counter()
    full = load_layer(EDITION_LAYERS[edition][0])
    geo = full[["lsoa_code", "geometry"]].to_crs(4326)
    m = folium.Map(location=[51.4975, -0.1357], zoom_start=10)
    folium.Choropleth(
        geo_data=geo.to_json(), data=full[["lsoa_code", "imd_decile"]], columns=["lsoa_code", "imd_decile"],
        key_on="feature.properties.lsoa_code", fill_color="YlGnBu", bins=10,
    ).add_to(m)
    html = m.get_root().render()
    return len(html.encode("utf-8")), time.perf_counter() - t0


def app_map(edition: int) -> dict:
    from anchormap import map_assets, mapping

    def build() -> tuple[str, mapping.Overlay]:
        m = mapping.base_map(edition)
        ov = mapping.Overlay().choropleth(edition, "imd", "decile").zoom_to_borough(None)
        return mapping.map_html(m, ov), ov

    mapping._areas_file.cache_clear()  # noqa: SLF001 - cold start on purpose
    mapping._outlines_file.cache_clear()  # noqa: SLF001
    t0 = time.perf_counter()
    html, _ov = build()
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        html, ov = build()
        warm.append(time.perf_counter() - t0)
    areas, outlines = mapping.areas_file(edition), mapping.outlines_file()
    geometry = map_assets.published_path(areas.url).stat().st_size
    borders = map_assets.published_path(outlines.url).stat().st_size
    return {
        "html": len(html.encode("utf-8")), "geometry": geometry, "outlines": borders,
        "overlay": len(ov.spec_json().encode("utf-8")), "cold": cold, "warm": min(warm),
    }


def metres_per_pixel(zoom: int, lat: float = 51.5) -> float:
    return 40075016.686 * math.cos(math.radians(lat)) / (256 * 2**zoom)


def displacement(edition: int) -> tuple[np.ndarray, np.ndarray]:
    """Per LSOA: Hausdorff distance (m, BNG) between the full polygon and its drawn (simplified,
    rounded) shape, and the area (m2) that the simplification alone added or removed."""
    import shapely

    from anchormap.build import load_layer
    from anchormap.mapping import COORD_PRECISION, EDITION_LAYERS

    full_name, display_name = EDITION_LAYERS[edition]
    full = load_layer(full_name).set_index("lsoa_code")
    shown = load_layer(display_name).set_index("lsoa_code")
    drawn = shapely.transform(shown.geometry.values, lambda xy: np.round(xy, COORD_PRECISION))
    drawn_bng = shown.geometry.set_crs(4326, allow_override=True).copy()
    drawn_bng[:] = drawn
    drawn_bng = drawn_bng.to_crs(27700)
    truth = full.geometry.reindex(shown.index).values
    hausdorff = shapely.hausdorff_distance(truth, drawn_bng.values, densify=0.25)
    simplified = shown.geometry.to_crs(27700).values  # before rounding: the simplification alone
    moved = shapely.area(shapely.symmetric_difference(shapely.make_valid(truth), shapely.make_valid(simplified)))
    return hausdorff, moved


def tolerance_table(edition: int, tolerances: list[float]) -> None:
    import shapely

    from anchormap.build import load_layer
    from anchormap.mapping import EDITION_LAYERS

    geoms = load_layer(EDITION_LAYERS[edition][0]).geometry.values
    print(f"\ncoverage_simplify tolerance (m) vs vertices and displacement, {edition} edition "
          f"(full: {int(shapely.get_num_coordinates(geoms).sum()):,} vertices)")
    print(f"{'tolerance':>10} {'vertices':>10} {'max m':>8} {'p99 m':>8} {'median m':>9}")
    for tol in tolerances:
        s = shapely.coverage_simplify(geoms, tol)
        h = shapely.hausdorff_distance(geoms, s, densify=0.25)
        print(f"{tol:>10g} {int(shapely.get_num_coordinates(s).sum()):>10,} {h.max():>8.1f} "
              f"{np.percentile(h, 99):>8.1f} {np.median(h):>9.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edition", type=int, default=2019, choices=(2019, 2025))
    parser.add_argument("--tolerances", default="", help="comma-separated tolerances (m) to compare")
    args = parser.parse_args()

    from anchormap.build import load_layer
    from anchormap.layers.display import DISPLAY_TOLERANCE_M
    from anchormap.mapping import EDITION_LAYERS

    n = len(load_layer(EDITION_LAYERS[args.edition][1]))
    with tempfile.TemporaryDirectory() as static:
        os.environ["ANCHORMAP_STATIC_DIR"] = static
        naive_bytes, naive_s = naive_map(args.edition)
        app = app_map(args.edition)
    app_bytes = app["html"] + app["geometry"] + app["outlines"]
    print(f"Map payload, {args.edition} edition, {n:,} LSOAs, IMD decile "
          f"(display tolerance {DISPLAY_TOLERANCE_M:g} m, coordinates 5 decimals, encoded polylines)")
    print(f"{'':34} {'bytes':>12} {'build s':>9}")
    print(f"{'naive folium.Choropleth, full res':34} {naive_bytes:>12,} {naive_s:>9.2f}")
    print(f"{'app map, first load (total)':34} {app_bytes:>12,} {app['cold']:>9.2f}  (cold: encodes and publishes geometry)")
    print(f"{'  map script + overlay':34} {app['html']:>12,} {app['warm']:>9.2f}  (warm rerun)")
    print(f"{'  LSOA geometry file (cached)':34} {app['geometry']:>12,}")
    print(f"{'  borough outlines file (cached)':34} {app['outlines']:>12,}")
    print(f"{'app, per measure change (overlay)':34} {app['overlay']:>12,}")
    print(f"ratio naive / app first load: {naive_bytes / app_bytes:.1f}x (target >= 8x); "
          f"naive / per change: {naive_bytes / app['overlay']:.0f}x")

    h, moved = displacement(args.edition)
    print(f"\nDisplacement drawn vs full boundaries (Hausdorff, metres, BNG) over {len(h):,} LSOAs: "
          f"max {h.max():.1f}, p99 {np.percentile(h, 99):.1f}, median {np.median(h):.2f}")
    for z in (10, 12, 14):
        mpp = metres_per_pixel(z)
        print(f"  zoom {z}: {mpp:.1f} m per pixel -> max {h.max() / mpp:.2f} px, p99 {np.percentile(h, 99) / mpp:.2f} px")
    worst = int(np.argmax(h))
    px14 = metres_per_pixel(14) ** 2
    print(f"  area added or removed by the simplification, per LSOA: max {moved.max():.1f} m2, median "
          f"{np.median(moved):.1f} m2; at the LSOA with the largest displacement {moved[worst]:.1f} m2 over "
          f"{h[worst]:.0f} m (mean width {moved[worst] / max(h[worst], 1e-9):.2f} m) "
          f"(one pixel at zoom 14 is {px14:.0f} m2)")
    if args.tolerances:
        tolerance_table(args.edition, [float(t) for t in args.tolerances.split(",") if t.strip()])


if __name__ == "__main__":
    main()
