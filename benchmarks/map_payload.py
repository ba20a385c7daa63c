"""Benchmark: what the home map sends, against a naive folium choropleth (prints figures; not a test).

    python benchmarks/map_payload.py [--edition 2019|2025] [--tolerances 3,5,8,12]

For the same LSOAs (every London LSOA of the edition) and the same measure (IMD decile):

* naive: ``folium.Choropleth`` of the unsimplified boundaries (layer ``lsoa_2011`` /
  ``lsoa_2021`` reprojected to WGS84, full coordinate precision); bytes = the rendered map
  HTML, which is what streamlit-folium would put in its message;
* app: :func:`anchormap.maps.overlay.base_map` + :class:`anchormap.maps.overlay.Overlay` as the home
  page draws it; bytes = the rendered map HTML (script, overlay with the classes and legend)
  + the geometry files the browser fetches once (LSOAs and borough outlines).
  "Per measure change" is what a rerun sends after that: the overlay only.

Build time: cold = first map in a fresh process-local cache and an empty static folder
(geometry encoded and published); warm = a later rerun. Displacement: the Hausdorff distance
(metres, EPSG:27700) between each full LSOA polygon and what the browser draws (display
geometry with coordinates rounded to 5 decimals, projected back to BNG), max / 99th
percentile / median over LSOAs, also in screen pixels at zoom 10 and 14. ``--tolerances``
also prints vertex counts and displacement for other coverage-simplification tolerances.

``--browser`` also runs both as real Streamlit pages in headless Chromium (``/usr/bin/chromium``)
and prints, per page, the bytes received over the websocket, the bytes of files fetched from
the app (geometry), and the seconds from navigation until every LSOA polygon is drawn. The
naive page is given the same locally served Leaflet (without that it stays blank offline) and
no legend (folium's legend needs d3 from a CDN).
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

    from anchormap.data.build import load_layer
    from anchormap.editions import edition_info

    t0 = time.perf_counter()
    full = load_layer(edition_info(edition).lsoa_layer)
    geo = full[["lsoa_code", "geometry"]].to_crs(4326)
    m = folium.Map(location=[51.4975, -0.1357], zoom_start=10)
    folium.Choropleth(
        geo_data=geo.to_json(),
        data=full[["lsoa_code", "imd_decile"]],
        columns=["lsoa_code", "imd_decile"],
        key_on="feature.properties.lsoa_code",
        fill_color="YlGnBu",
        bins=10,
    ).add_to(m)
    html = m.get_root().render()
    return len(html.encode("utf-8")), time.perf_counter() - t0


def app_map(edition: int) -> dict:
    from anchormap.maps import assets as map_assets
    from anchormap.maps import geometry
    from anchormap.maps import overlay as mapping

    def build() -> tuple[str, mapping.Overlay]:
        m = mapping.base_map(edition)
        ov = mapping.Overlay().choropleth(edition, "imd", "decile").zoom_to_borough(None)
        return mapping.map_html(m, ov), ov

    geometry._areas_file.cache_clear()
    geometry._outlines_file.cache_clear()
    t0 = time.perf_counter()
    html, _ov = build()
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        html, ov = build()
        warm.append(time.perf_counter() - t0)
    areas, outlines = geometry.areas_file(edition), geometry.outlines_file()
    geometry = map_assets.published_path(areas.url).stat().st_size
    borders = map_assets.published_path(outlines.url).stat().st_size
    return {
        "html": len(html.encode("utf-8")),
        "geometry": geometry,
        "outlines": borders,
        "overlay": len(ov.spec_json().encode("utf-8")),
        "cold": cold,
        "warm": min(warm),
    }


NAIVE_PAGE = """
import folium
import streamlit as st
from streamlit_folium import st_folium

from anchormap.maps import assets as map_assets
from anchormap.data.build import load_layer

st.set_page_config(layout="wide")
full = load_layer("lsoa_{edition}")
m = folium.Map(location=[51.4975, -0.1357], zoom_start=10, tiles=None)
m.default_js = [map_assets.js_links()[0]]
m.default_css = [map_assets.css_links()[0]]
choropleth = folium.Choropleth(
    geo_data=full[["lsoa_code", "geometry"]].to_crs(4326).to_json(), data=full[["lsoa_code", "imd_decile"]],
    columns=["lsoa_code", "imd_decile"], key_on="feature.properties.lsoa_code", fill_color="YlGnBu", bins=10,
    legend=False,
).add_to(m)
for key, child in list(choropleth._children.items()):  # its colour scale makes streamlit-folium load d3 from a CDN
    if type(child).__name__.endswith("Colormap"):
        del choropleth._children[key]
st_folium(m, returned_objects=[], height=640, use_container_width=True)
"""


def browser_figures(script: str, cwd: str, n: int, selector: str) -> dict:
    """Run ``streamlit run script`` and load it in headless Chromium; bytes and time to draw."""
    import socket
    import subprocess
    import sys
    import urllib.request

    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.enableStaticServing",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        args = [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            out = {}
            for run in ("first", "second"):  # the first visit also builds server-side caches
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                ws_bytes, fetched = [], []
                page.on("websocket", lambda ws, acc=ws_bytes: ws.on("framereceived", lambda p: acc.append(len(p))))
                page.on("requestfinished", lambda r, acc=fetched: acc.append(r) if ".json" in r.url else None)
                t0 = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("iframe[title*='st_folium']", timeout=120_000)
                frame = page.query_selector("iframe[title*='st_folium']").content_frame()
                frame.wait_for_function(f"() => document.querySelectorAll({selector!r}).length >= {n}", timeout=120_000)
                seconds = time.perf_counter() - t0
                page.wait_for_timeout(500)
                files = sum(r.sizes()["responseBodySize"] for r in fetched)
                out[run] = {"ws": sum(ws_bytes), "files": files, "seconds": seconds}
                page.close()
            browser.close()
        return out["second"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def browser_table(edition: int, n: int) -> None:
    from pathlib import Path

    from anchormap.editions import edition_info
    from anchormap.maps import assets as map_assets

    repo = str(Path(__file__).resolve().parents[1])
    with tempfile.TemporaryDirectory() as tmp:
        naive_script = Path(tmp) / "naive_page.py"
        naive_script.write_text(NAIVE_PAGE.replace("{edition}", edition_info(edition).boundaries))
        map_assets.install_assets(Path(tmp) / "static")
        naive = browser_figures(str(naive_script), tmp, n, "path.leaflet-interactive")
    app = browser_figures("app.py", repo, n, "path.am-area")
    print(f"\nIn headless Chromium (second visit; {edition} LSOAs, IMD decile; app page also draws anchors)")
    print(f"{'':34} {'websocket B':>12} {'files B':>10} {'map drawn s':>12}")
    for name, r in (("naive streamlit-folium page", naive), ("app home page", app)):
        print(f"{name:34} {r['ws']:>12,} {r['files']:>10,} {r['seconds']:>12.2f}")
    print("(files: transferred bytes of JSON fetched from the app; browsers cache them across visits)")


def metres_per_pixel(zoom: int, lat: float = 51.5) -> float:
    return 40075016.686 * math.cos(math.radians(lat)) / (256 * 2**zoom)


def displacement(edition: int) -> tuple[np.ndarray, np.ndarray]:
    """Per LSOA: Hausdorff distance (m, BNG) between the full polygon and its drawn (simplified,
    rounded) shape, and the area (m2) that the simplification alone added or removed."""
    import shapely

    from anchormap.data.build import load_layer
    from anchormap.editions import edition_info
    from anchormap.maps.geometry import COORD_PRECISION

    full = load_layer(edition_info(edition).lsoa_layer).set_index("lsoa_code")
    shown = load_layer(edition_info(edition).display_layer).set_index("lsoa_code")
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

    from anchormap.data.build import load_layer
    from anchormap.editions import edition_info

    geoms = load_layer(edition_info(edition).lsoa_layer).geometry.values
    print(
        f"\ncoverage_simplify tolerance (m) vs vertices and displacement, {edition} edition "
        f"(full: {int(shapely.get_num_coordinates(geoms).sum()):,} vertices)"
    )
    print(f"{'tolerance':>10} {'vertices':>10} {'max m':>8} {'p99 m':>8} {'median m':>9}")
    for tol in tolerances:
        s = shapely.coverage_simplify(geoms, tol)
        h = shapely.hausdorff_distance(geoms, s, densify=0.25)
        print(
            f"{tol:>10g} {int(shapely.get_num_coordinates(s).sum()):>10,} {h.max():>8.1f} "
            f"{np.percentile(h, 99):>8.1f} {np.median(h):>9.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edition", type=int, default=2019, choices=(2019, 2025))
    parser.add_argument("--tolerances", default="", help="comma-separated tolerances (m) to compare")
    parser.add_argument("--browser", action="store_true", help="also measure both pages in headless Chromium")
    args = parser.parse_args()

    from anchormap.data.build import load_layer
    from anchormap.data.layers.display import DISPLAY_TOLERANCE_M
    from anchormap.editions import edition_info

    n = len(load_layer(edition_info(args.edition).display_layer))
    with tempfile.TemporaryDirectory() as static:
        os.environ["ANCHORMAP_STATIC_DIR"] = static
        naive_bytes, naive_s = naive_map(args.edition)
        app = app_map(args.edition)
    app_bytes = app["html"] + app["geometry"] + app["outlines"]
    print(
        f"Map payload, {args.edition} edition, {n:,} LSOAs, IMD decile "
        f"(display tolerance {DISPLAY_TOLERANCE_M:g} m, coordinates 5 decimals, encoded polylines)"
    )
    print(f"{'':34} {'bytes':>12} {'build s':>9}")
    print(f"{'naive folium.Choropleth, full res':34} {naive_bytes:>12,} {naive_s:>9.2f}")
    print(
        f"{'app map, first load (total)':34} {app_bytes:>12,} {app['cold']:>9.2f}  (cold: encodes and publishes geometry)"
    )
    print(f"{'  map script + overlay':34} {app['html']:>12,} {app['warm']:>9.2f}  (warm rerun)")
    print(f"{'  LSOA geometry file (cached)':34} {app['geometry']:>12,}")
    print(f"{'  borough outlines file (cached)':34} {app['outlines']:>12,}")
    print(f"{'app, per measure change (overlay)':34} {app['overlay']:>12,}")
    print(
        f"ratio naive / app first load: {naive_bytes / app_bytes:.1f}x (target >= 8x); "
        f"naive / per change: {naive_bytes / app['overlay']:.0f}x"
    )

    h, moved = displacement(args.edition)
    print(
        f"\nDisplacement drawn vs full boundaries (Hausdorff, metres, BNG) over {len(h):,} LSOAs: "
        f"max {h.max():.1f}, p99 {np.percentile(h, 99):.1f}, median {np.median(h):.2f}"
    )
    for z in (10, 12, 14):
        mpp = metres_per_pixel(z)
        print(
            f"  zoom {z}: {mpp:.1f} m per pixel -> max {h.max() / mpp:.2f} px, p99 {np.percentile(h, 99) / mpp:.2f} px"
        )
    worst = int(np.argmax(h))
    px14 = metres_per_pixel(14) ** 2
    print(
        f"  area added or removed by the simplification, per LSOA: max {moved.max():.1f} m2, median "
        f"{np.median(moved):.1f} m2; at the LSOA with the largest displacement {moved[worst]:.1f} m2 over "
        f"{h[worst]:.0f} m (mean width {moved[worst] / max(h[worst], 1e-9):.2f} m) "
        f"(one pixel at zoom 14 is {px14:.0f} m2)"
    )
    if args.browser:
        browser_table(args.edition, n)
    if args.tolerances:
        tolerance_table(args.edition, [float(t) for t in args.tolerances.split(",") if t.strip()])


if __name__ == "__main__":
    main()
