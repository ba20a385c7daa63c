"""Benchmark: what the home map sends, against a naive folium choropleth (prints figures; not a test).

    python benchmarks/map_payload.py [--edition 2019|2025] [--tolerances 3,5,8,12] [--browser [--repeats 3]
        [--renderer svg,canvas]] [--browser-only] [--profile]

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

``--browser`` also measures, in one run, in headless Chromium (``/usr/bin/chromium``) for new
visitors (a fresh browser context each: empty cache) to a warm server, the median of
``--repeats`` visits of:

* the floor: a Streamlit page holding only an empty folium map, Leaflet served locally;
* the naive page: the folium choropleth above as a Streamlit page, given the same locally served
  Leaflet (without that it stays blank offline) and no legend (folium's needs d3 from a CDN);
* each AnchorMap page with a Leaflet map: home, Underserved areas, Shared land and Your area
  (``Community?postcode=SE6%204RU``); Place profile draws a picture, not a Leaflet map;
* and the first visitor after a server start, on the home page: "home cold" for ``streamlit run
  app.py``, "home cold, prepared" for a server started as ``bash dev app`` starts it
  (``python -m anchormap.ui.serve``: the pages' modules, layers and map files prepared before the
  server opens).

For each it prints the server's script time per visit (wall and CPU of every run the visit caused,
logged by ``benchmarks/timed_streamlit.py``), the bytes received on the websocket (and the map
component's message among them), the bytes fetched from the app's static files (map code, data
files) and of Streamlit's and streamlit-folium's bundles (Chrome DevTools), and the moments from
navigation start: the map's iframe attached, the map code loaded, the map made
(``AnchorMap.init``), the geometry requested, fetched, parsed as JSON, decoded (polylines) and
made into polygons, the areas coloured, every marker layer added (clusters finished), and the map
drawn: all of it in place, the map still and two animation frames painted. The ratio to the floor
is of that last moment. Map tiles are refused (the browser resolves no host but this machine).

``--renderer svg,canvas`` visits each AnchorMap page once per renderer in every round (the page
sets ``window.ANCHORMAP_RENDERER``, which ``anchormap.js`` obeys), so both are measured against
each other in the same run; without it the pages draw as shipped (``base_map``'s renderer).
"home cold" is always as shipped.

Then, on the home page (a visit of its own per renderer and round, once its first map is drawn
and the other edition's areas prefetched), it times three changes made as a person makes them:
another measure ("Measure of need": Income), a borough in the place chooser (Hackney) and the
other edition, each from the click (pointerdown) to the map restyled, its markers added, still
and painted (two animation frames), with the moment the map's frame received the update (what
comes before is the server's rerun) and whether a new map (iframe) was made.

``--profile`` instead profiles each page's warm server run with cProfile (the script thread only)
and prints the functions of AnchorMap, the pages, folium and streamlit-folium with the most
cumulative time: where the server's script time goes (profiling slows it: compare within a page).
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


FLOOR_PAGE = """
import folium
import streamlit as st
from streamlit_folium import st_folium

from anchormap.maps import assets as map_assets

st.set_page_config(layout="wide")
m = folium.Map(location=[51.4975, -0.1357], zoom_start=10, tiles=None)
m.default_js = [map_assets.js_links()[0]]
m.default_css = [map_assets.css_links()[0]]
st_folium(m, returned_objects=[], height=640, use_container_width=True)
"""
"""The floor: a Streamlit page holding only an empty folium map, Leaflet served locally."""

APP_PAGES = (
    ("home", ""),
    ("underserved", "Underserved_areas"),
    ("shared land", "Shared_land"),
    ("your area", "Community?postcode=SE6%204RU"),
)
"""AnchorMap's pages with a Leaflet map (Place profile draws a picture, not a Leaflet map)."""


def _with_edition(path: str, edition: int) -> str:
    from anchormap.editions import DEFAULT_EDITION

    if edition == DEFAULT_EDITION:
        return path
    return f"{path}{'&' if '?' in path else '?'}edition={edition}"


def _measured(server, browser, path: str, drawn: str, arg=None, renderer=None, then=None) -> dict:
    """One new visitor's visit to ``server.url + path`` with the server's script runs it caused."""
    import streamlit_bench as sb

    since = len(server.events())
    out = sb.visit(browser, server.url + path, drawn, arg, renderer=renderer, then=then)
    out["runs"] = server.settle(since)
    return out


def _server_visits(script: str, cwd, pages, repeats: int, browser, cold=None) -> dict[str, list[dict]]:
    """Start one server for ``script``; visit each of ``pages`` (name, path, drawn, arg[, renderer,
    then]): optionally ``cold`` (such a page) first, as the first visitor after the start ("<name>
    cold"), then every page once to warm the server (not counted), then ``repeats`` rounds of new
    visitors."""
    import streamlit_bench as sb

    pages = [(*p, None, None)[:6] for p in pages]
    out: dict[str, list[dict]] = {}
    with sb.Server(script, cwd) as server:
        if cold:
            name, path, drawn, arg, renderer, _then = (*cold, None, None)[:6]
            out[f"{name} cold"] = [_measured(server, browser, path, drawn, arg, renderer)]
            out[f"{name} cold"][0]["server_up_s"] = server.healthy_s
        for _name, path, drawn, arg, renderer, _then in pages:
            _measured(server, browser, path, drawn, arg, renderer)  # warm-up
        for _ in range(repeats):
            for name, path, drawn, arg, renderer, then in pages:
                out.setdefault(name, []).append(_measured(server, browser, path, drawn, arg, renderer, then))
    return out


def _pick(page, label: str, option: str, typed: str | None = None):
    """Open the Streamlit selectbox ``label`` and type to show ``option``; the click that picks it
    (the change, timed by streamlit_bench.repaint)."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(typed or option)  # the list is virtualised: filter it so the option is drawn
    option_el = page.get_by_role("option", name=option, exact=True).first
    option_el.wait_for(timeout=30_000)
    return lambda p: option_el.click()


def home_changes(edition: int):
    """The home page's changes timed after its first map is drawn: another measure, a borough in
    the place chooser, the other edition; a ``then`` for streamlit_bench.visit."""
    import streamlit_bench as sb

    from anchormap.editions import YEARS, edition_label

    other = next(y for y in YEARS if y != edition)

    def then(page, out):
        # as a visitor who looks at the map a moment before changing it: the other edition's areas
        # are fetched and built in the background (anchormap.js AnchorMap.prefetched) first
        frame = page.query_selector("iframe[title*='st_folium']").content_frame()
        frame.wait_for_function(
            "() => !!(window.AnchorMap && (AnchorMap.prefetched || !AnchorMap.prefetchAreas))", timeout=60_000
        )
        frame.evaluate("() => Promise.resolve(AnchorMap.prefetched).then(() => true)")  # (none before it existed)
        sb.app_idle(page)
        times = {}
        times["measure"] = sb.repaint(page, _pick(page, "Measure of need", "Income"))
        click = _pick(page, "Area shown", "Boroughs")
        click(page)
        sb.app_idle(page)
        times["borough"] = sb.repaint(page, _pick(page, "Boroughs", "Hackney", "Hackn"))
        page.keyboard.press("Escape")
        sb.app_idle(page)
        edition_choice = page.get_by_role("radiogroup", name="Edition").get_by_text(edition_label(other))
        times["edition"] = sb.repaint(page, lambda p: edition_choice.click())
        out["repaint"] = times

    return then


REPAINT_ROWS = (
    ("map updated in its frame", "update"),
    ("areas restyled", "styled"),
    ("markers added", "markers"),
    ("map still (no zoom/cluster animation)", "still"),
    ("REPAINTED (painted)", "painted"),
    ("  of it in the map's frame (update->painted)", "in_frame"),
)


def repaint_table(results: dict[str, list[dict]], renderers: list[str]) -> None:
    changes = ("measure", "borough", "edition")
    cols = [(change, r) for change in changes for r in renderers]
    print(
        "\nRepaint on the home page after a change, seconds from the click (median of the visits; "
        "'measure': Income chosen in 'Measure of need'; 'borough': Hackney in the place chooser; "
        "'edition': the other edition):"
    )
    width = 16
    print(f"{'':46}" + "".join(f"{c + ' ' + r:>{width}}" for c, r in cols))
    for label, key in REPAINT_ROWS:
        cells = []
        for change, r in cols:
            visits = [v for v in results.get(f"home repaint {r}", []) if not v.get("error") and "repaint" in v]
            cells.append(_fmt(_med(visits, lambda v, c=change, k=key: v["repaint"][c][k]), "s"))
        print(f"{label:46}" + "".join(f"{c:>{width}}" for c in cells))
    for extra, kind in (("new_map", "a new map (iframe) made"), ("updates", "updates per change")):
        cells = []
        for change, r in cols:
            visits = [v for v in results.get(f"home repaint {r}", []) if not v.get("error") and "repaint" in v]
            vals = [v["repaint"][change][extra] for v in visits]
            cells.append(",".join(str(int(x)) for x in vals) or "-")
        print(f"{kind:46}" + "".join(f"{c:>{width}}" for c in cells))
    for r in renderers:
        for v in results.get(f"home repaint {r}", []):
            if v.get("error"):
                print(f"  home repaint {r}: error {v['error']}")
        each = [
            "/".join(f"{v['repaint'][c]['painted']:.2f}" for c in changes)
            for v in results.get(f"home repaint {r}", [])
            if "repaint" in v
        ]
        print(f"  {r}: each visit's repaint (measure/borough/edition) s: {', '.join(each)}")


def _med(visits: list[dict], get) -> float | None:
    values = []
    for v in visits:
        try:
            x = get(v)
        except (KeyError, TypeError):
            x = None
        if x is not None:
            values.append(x)
    return float(np.median(values)) if values else None


def _fmt(x, kind: str) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if kind == "B":
        return f"{x:,.0f}"
    if kind == "x":
        return f"{x:.2f}x"
    if kind == "n":
        return f"{x:,.0f}"
    return f"{x:.2f}"


ROWS = (
    ("server: script runs per visit", "n", lambda v: len(v["runs"])),
    ("server: script wall s (all runs)", "s", lambda v: sum(r["wall_s"] for r in v["runs"])),
    ("server: script CPU s", "s", lambda v: sum(r["cpu_s"] for r in v["runs"])),
    ("server: end-of-run clean-up s", "s", lambda v: sum(r["finish_s"] for r in v["runs"])),
    ("websocket received B", "B", lambda v: v["ws_bytes"]),
    ("  of it the map's message B", "B", lambda v: v["ws"]["map"]),
    ("app static: map code B", "B", lambda v: v["bytes"].get("map code", 0)),
    ("app static: data files B", "B", lambda v: v["bytes"].get("data", 0)),
    ("component bundle B", "B", lambda v: v["bytes"].get("component", 0)),
    ("streamlit frontend B", "B", lambda v: v["bytes"].get("streamlit", 0)),
    ("page script done s (browser)", "s", lambda v: v["t"].get("page script_done")),
    ("map iframe attached s", "s", lambda v: v["t"]["page iframe"]),
    ("map code loaded s", "s", lambda v: v["t"]["map code loaded"]),
    ("map made (AnchorMap.init) s", "s", lambda v: v["t"]["init"]),
    ("geometry requested s", "s", lambda v: v["geometry"]["requested"]),
    ("geometry file B", "B", lambda v: v["geometry"]["bytes"]),
    ("geometry fetch s", "s", lambda v: v["geometry"]["fetch_s"]),
    ("geometry JSON parse s", "s", lambda v: v["geometry"]["parse_s"]),
    ("geometry decode s", "s", lambda v: v["geometry"]["decode_s"]),
    ("polygons made and added s", "s", lambda v: v["geometry"]["build_s"]),
    ("areas added at s", "s", lambda v: v["t"]["areas_added"]),
    ("areas coloured at s", "s", lambda v: v["t"]["styled"]),
    ("markers added at s", "s", lambda v: v["t"]["markers"]),
    ("MAP DRAWN (painted) s", "s", lambda v: v["t"]["painted"]),
    ("  Python clock, navigation to drawn s", "s", lambda v: v["seconds"]),
    ("areas on the map (AnchorMap.drawn)", "n", lambda v: v["areas_on"] or None),
    ("  of them SVG paths in the page", "n", lambda v: v["paths"] or None),
    ("marker sites / markers and clusters shown", "n", lambda v: v["marker_records"]),
    ("  (DOM markers and clusters)", "n", lambda v: v["markers"]),
)


def browser_table(edition: int, n: int, repeats: int, renderers: list[str] | None = None) -> None:
    """Floor, naive and each AnchorMap page with a map, for new visitors to a warm server (median
    of ``repeats`` visits each), and the first visitor after a server start (home page); with
    ``renderers`` (e.g. ["svg", "canvas"]) each AnchorMap page is visited with each (the page's
    default otherwise), and the home page's repaints after a change are timed with each."""
    import sys
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import streamlit_bench as sb

    from anchormap.editions import edition_info
    from anchormap.maps import assets as map_assets

    os.environ.pop("ANCHORMAP_STATIC_DIR", None)  # the servers serve their own static folders
    results: dict[str, list[dict]] = {}
    with sync_playwright() as pw:
        browser = sb.launch_chromium(pw)
        with tempfile.TemporaryDirectory() as tmp:
            floor_script = Path(tmp) / "floor_page.py"
            floor_script.write_text(FLOOR_PAGE)
            naive_script = Path(tmp) / "naive_page.py"
            naive_script.write_text(NAIVE_PAGE.replace("{edition}", edition_info(edition).boundaries))
            map_assets.install_assets(Path(tmp) / "static")
            page = [("floor", "", sb.SELECTOR_DRAWN_JS, [".leaflet-container .leaflet-control-zoom", 1])]
            results.update(_server_visits(str(floor_script), tmp, page, repeats, browser))
            page = [("naive", "", sb.SELECTOR_DRAWN_JS, ["path.leaflet-interactive", n])]
            results.update(_server_visits(str(naive_script), tmp, page, repeats, browser))
        both = renderers or [None]
        label = (lambda name, r: f"{name} {r}") if renderers else (lambda name, r: name)
        cold = ("home", _with_edition("", edition), sb.APP_MAP_DRAWN_JS, None)  # the page's own renderer
        pages = [
            (label(name, r), _with_edition(path, edition), sb.APP_MAP_DRAWN_JS, None, r)
            for name, path in APP_PAGES
            for r in both
        ]
        pages += [
            (
                f"home repaint {r or 'default'}",
                _with_edition("", edition),
                sb.APP_MAP_DRAWN_JS,
                None,
                r,
                home_changes(edition),
            )
            for r in both
        ]
        results.update(_server_visits("app.py", sb.REPO, pages, repeats, browser, cold=cold))
        # the first visitor to a server started as ``bash dev app`` starts it (prepared before it opens)
        with sb.Server("app.py", sb.REPO, env={"AMBENCH_PREPARE": "1"}) as server:
            first = _measured(server, browser, cold[1], cold[2], cold[3], None)
            first["server_up_s"] = server.healthy_s
            results["home cold, prepared"] = [first]
        browser.close()

    order = [
        "floor",
        "naive",
        *[label(name, r) for name, _ in APP_PAGES for r in both],
        "home cold",
        "home cold, prepared",
    ]
    errors = {name: [v["error"] for v in results.get(name, []) if v.get("error")] for name in order}
    ok = {name: [v for v in results.get(name, []) if not v.get("error")] for name in order}
    floor = _med(ok["floor"], lambda v: v["t"]["painted"])
    print(
        f"\nIn headless Chromium, new visitors (fresh browser context each) to a warm server, median of "
        f"{repeats} visits; {edition} edition ({n:,} LSOAs); 'home cold' = the first visitor after a server start."
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Times are seconds from the visit's navigation start; map tiles are refused (offline). "
        f"{os.cpu_count()} cores, load average now {load}."
    )
    width = max(12, *(len(name) + 2 for name in order))
    print(f"{'':42}" + "".join(f"{name:>{width}}" for name in order))
    for label, kind, get in ROWS:
        print(f"{label:42}" + "".join(f"{_fmt(_med(ok[name], get), kind):>{width}}" for name in order))
    ratios = [_med(ok[name], lambda v: v["t"]["painted"]) for name in order]
    print(
        f"{'ratio to the floor (drawn)':42}"
        + "".join(f"{_fmt(r / floor if r and floor else None, 'x'):>{width}}" for r in ratios)
    )
    print("\nEach visit's drawn time (s):")
    for name in order:
        times = ", ".join(f"{v['t']['painted']:.2f}" for v in ok[name])
        print(f"  {name:20} {times}" + (f"   errors: {errors[name]}" if errors[name] else ""))
    for name in ("home cold", "home cold, prepared"):
        if ok[name]:
            print(f"  {name}: server answered its health check {ok[name][0]['server_up_s']:.1f} s after it was started")
    print(
        "(server: from benchmarks/timed_streamlit.py; bytes: encoded bytes received, from Chrome DevTools; "
        "'data files' are the geometry and anchor lists the map fetches; Place profile has no Leaflet map)"
    )
    repaint_table(results, [r or "default" for r in both])


def _print_profile(title: str, files: list, top: int) -> None:
    import pstats
    from pathlib import Path

    print(f"\n{title}; by cumulative time:")
    if not files:
        return
    stats = pstats.Stats(*map(str, files))
    rows = []
    for (file, line, func), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        if any(part in file for part in ("/anchormap/", "/pages/", "app.py", "streamlit_folium", "/folium/")):
            rows.append((ct, nc, f"{Path(file).parent.name}/{Path(file).name}:{line} {func}"))
    for ct, nc, where in sorted(rows, reverse=True)[:top]:
        print(f"  {ct:7.3f} s  {nc:>7,} calls  {where}")


def profile_table(edition: int, top: int = 14) -> None:
    """Where the server's script time goes: the first run after a start (home page) and each page's
    warm run, profiled (cProfile, script thread)."""
    import sys
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import streamlit_bench as sb

    os.environ.pop("ANCHORMAP_STATIC_DIR", None)
    pages = [(name, _with_edition(path, edition)) for name, path in APP_PAGES]
    with tempfile.TemporaryDirectory() as prof_dir, sync_playwright() as pw:
        browser = sb.launch_chromium(pw)
        with sb.Server("app.py", sb.REPO, env={"AMBENCH_PROFILE_DIR": prof_dir}) as server:
            for i, (_name, path) in enumerate(pages):  # warm-up; the first is the cold start
                before = set(Path(prof_dir).iterdir())
                visit = _measured(server, browser, path, sb.APP_MAP_DRAWN_JS)
                if i == 0:
                    files = sorted(set(Path(prof_dir).iterdir()) - before)
                    wall = sum(r["wall_s"] for r in visit["runs"])
                    _print_profile(
                        f"Server script of the first visit after a start, home (profiled: {wall:.2f} s wall)",
                        files,
                        top,
                    )
            for name, path in pages:
                before = set(Path(prof_dir).iterdir())
                visit = _measured(server, browser, path, sb.APP_MAP_DRAWN_JS)
                files = sorted(set(Path(prof_dir).iterdir()) - before)
                wall = sum(r["wall_s"] for r in visit["runs"])
                _print_profile(
                    f"Server script of '{name}' (warm, profiled: {wall:.2f} s wall over {len(files)} run(s))",
                    files,
                    top,
                )
        browser.close()


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
    parser.add_argument("--edition", type=int, default=2025, choices=(2019, 2025))
    parser.add_argument("--tolerances", default="", help="comma-separated tolerances (m) to compare")
    parser.add_argument("--browser", action="store_true", help="also measure the pages in headless Chromium")
    parser.add_argument("--repeats", type=int, default=3, help="visits per page in the browser (median shown)")
    parser.add_argument("--browser-only", action="store_true", help="only the browser figures (implies --browser)")
    parser.add_argument("--profile", action="store_true", help="only profile each page's warm server run (cProfile)")
    parser.add_argument(
        "--renderer",
        default="",
        help="comma-separated renderers to compare in the browser (svg,canvas); default: the page's own",
    )
    args = parser.parse_args()

    from anchormap.data.build import load_layer
    from anchormap.data.layers.display import DISPLAY_TOLERANCE_M
    from anchormap.editions import edition_info

    n = len(load_layer(edition_info(args.edition).display_layer))
    if args.profile:
        profile_table(args.edition)
        return
    renderers = [r.strip() for r in args.renderer.split(",") if r.strip()] or None
    for r in renderers or []:
        if r not in ("svg", "canvas"):
            parser.error(f"unknown renderer {r!r}: choose svg or canvas")
    if args.browser_only:
        browser_table(args.edition, n, max(1, min(args.repeats, 20)), renderers)
        return
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
        browser_table(args.edition, n, max(1, min(args.repeats, 20)), renderers)
    if args.tolerances:
        tolerance_table(args.edition, [float(t) for t in args.tolerances.split(",") if t.strip()])


if __name__ == "__main__":
    main()
