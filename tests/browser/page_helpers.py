"""What a person does on a Streamlit page, for the browser tests: wait for a rerun to finish,
read a table, move a slider, type, download a file.

Streamlit draws ``st.dataframe`` on a canvas; it also keeps an accessible table of the rows in
view (``table[role=grid]``), which is what :func:`grid` reads (the first rows of a long table).
"""

from __future__ import annotations

import time
from pathlib import Path

# Added to every browser context (tests/browser/conftest.py ``new_page``), so it runs in the page and
# in every frame (the map's component iframe) before their own scripts. In the page it records,
# on one counter, when a rerun was last asked for (a BackMsg.rerun_script, field 11, sent on the
# websocket: its first byte is 0x5A) and when Streamlit's script state last became "notRunning";
# in every frame it keeps the URLs of fetches not yet read to the end and handled.
RUN_WATCH_JS = """(() => {
  if (window.__am) return;
  const am = (window.__am = {seq: 0, asked: 0, askedAt: 0, finished: 0, state: null, pending: new Map(), fetches: 0});
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data)
      : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
    if (bytes && bytes.length && bytes[0] === 0x5a) { am.asked = ++am.seq; am.askedAt = performance.now(); }
    return send.apply(this, arguments);
  };
  const fetch0 = window.fetch;
  window.fetch = function (resource) {
    const id = ++am.fetches, done = () => setTimeout(() => am.pending.delete(id), 0);
    am.pending.set(id, String(resource && resource.url ? resource.url : resource));
    return fetch0.apply(this, arguments).then((r) => {
      if (!r.ok) { done(); return r; }
      for (const m of ["json", "text", "arrayBuffer", "blob"]) {
        const read = r[m].bind(r);
        r[m] = () => { const p = read(); p.finally(done).catch(() => {}); return p; };
      }
      return r;
    }, (err) => { done(); throw err; });
  };
  new MutationObserver(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute("data-test-script-state");
    if (state !== am.state) {
      am.state = state;
      if (state === "notRunning") am.finished = ++am.seq;
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-test-script-state"]});
})();"""

# The app is idle: connected, its script not running, and it finished after the last rerun asked for
# (or stayed not running well after it: Streamlit may fold a request into the run already going).
_APP_IDLE = """() => {
  const am = window.__am, app = document.querySelector('[data-testid="stApp"]');
  if (!am) throw new Error("no run watcher in this page: open it with the new_page/browser_page fixture");
  return !!app && app.getAttribute("data-test-connection-state") === "CONNECTED"
    && app.getAttribute("data-test-script-state") === "notRunning"
    // finished after the last rerun asked for; or, when Streamlit folded that request into the run
    // already going (no new running state is ever shown), still not running 1.5 s after it
    && (am.finished > am.asked || performance.now() - am.askedAt > 1500)
    && !document.querySelector("[data-testid='stStatusWidget']");
}"""
# A map is idle: Leaflet's map made and loaded, not zooming or panning, its marker clusters not
# animating (Leaflet.markercluster marks the map pane "leaflet-cluster-anim" meanwhile), no fetch of
# its layers pending.
_MAP_IDLE = """() => { const m = window.AnchorMap && AnchorMap.map;
  return !!(m && m._loaded) && !m._animatingZoom && !(m._panAnim && m._panAnim._inProgress)
    && !m.getPane("mapPane").classList.contains("leaflet-cluster-anim") && window.__am.pending.size === 0; }"""
# A pop-up is open and shown in full (Leaflet fades it in).
_POPUP_SHOWN = """() => { const p = document.querySelector(".leaflet-popup");
  return !!p && getComputedStyle(p).opacity === "1"; }"""
_STATE = """() => { const am = window.__am || {}, app = document.querySelector('[data-testid="stApp"]');
  return {script: app && app.getAttribute("data-test-script-state"), connection: app && app.getAttribute(
    "data-test-connection-state"), asked: am.asked, finished: am.finished, fetching: [...(am.pending || new Map()).values()],
    leaflet: !!(window.AnchorMap && AnchorMap.map && AnchorMap.map._loaded)}; }"""
_NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))"


def _wait_for(where, condition: str, deadline: float, what: str) -> None:
    """Wait until ``condition`` (JS) holds in ``where`` (a page or frame), or fail by ``deadline``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        where.wait_for_function(condition, timeout=max(1.0, deadline - time.monotonic()) * 1000)
    except PlaywrightTimeout:
        raise AssertionError(f"{what}; its state: {where.evaluate(_STATE)}") from None


def _map_drawn(frame, deadline: float, timeout_s: float) -> None:
    _wait_for(frame, _MAP_IDLE, deadline, f"the map had not finished drawing after {timeout_s} s")
    frame.evaluate(_NEXT_FRAMES)


def wait_map(frame, timeout_s: float = 90) -> None:
    """Wait until the map in ``frame`` (the component iframe) has its Leaflet map, is still (no zoom
    or pan animation) and has drawn every layer it fetched (then two animation frames, so Leaflet
    has painted them)."""
    _map_drawn(frame, time.monotonic() + timeout_s, timeout_s)


def wait_popup(frame, timeout_s: float = 10) -> None:
    """Wait until the map's pop-up in ``frame`` has faded in completely and the map, panned to
    show it, stands still."""
    deadline = time.monotonic() + timeout_s
    _wait_for(frame, _POPUP_SHOWN, deadline, f"no pop-up shown in full after {timeout_s} s")
    _map_drawn(frame, deadline, timeout_s)


def wait_idle(page, timeout_s: float = 90) -> None:
    """Wait until the app has finished the rerun asked for last (Streamlit's script state
    ``notRunning``, after the last rerun request the page sent) and every map on the page has
    drawn (:func:`wait_map`); fail with the app's and the map's state after ``timeout_s``.

    The one way the browser tests wait for the app: call it after anything that reruns the page.
    """
    deadline = time.monotonic() + timeout_s
    _wait_for(page, _APP_IDLE, deadline, f"the app was still running after {timeout_s} s")
    for handle in page.query_selector_all("iframe[title*='st_folium']"):
        _map_drawn(handle.content_frame(), deadline, timeout_s)
    page.evaluate(_NEXT_FRAMES)


def grid(table, until=None, timeout_s: float = 30) -> list[dict[str, str]]:
    """The rows in view of an ``st.dataframe`` (a Playwright locator of ``[data-testid=stDataFrame]``)
    as {column header: cell text}.

    The grid redraws its accessible table a frame or two after new data arrive: with ``until``
    (a function of the rows), read again until it returns True or ``timeout_s`` passes, then
    return the last rows read (the caller's assertion shows what was there).
    """
    table.locator("table[role='grid'] td").first.wait_for(state="attached", timeout=60_000)
    deadline = time.monotonic() + timeout_s
    while True:
        rows = table.evaluate("""e => {
            const t = e.querySelector("table[role='grid']");
            const heads = [...t.querySelectorAll('thead th')].map(th => th.textContent.trim());
            return [...t.querySelectorAll('tbody tr')].map(tr => {
                const row = {};
                tr.querySelectorAll('td').forEach((td, i) => { row[heads[i] ?? i] = td.textContent.trim(); });
                return row;
            });
        }""")
        if until is None or until(rows) or time.monotonic() > deadline:
            return rows
        table.page.evaluate(_NEXT_FRAMES)  # the grid redraws on animation frames


def grid_rows(table) -> int:
    """The number of data rows of an ``st.dataframe`` (from the grid's aria-rowcount)."""
    table.locator("table[role='grid']").wait_for(state="attached", timeout=60_000)
    return int(table.locator("table[role='grid']").get_attribute("aria-rowcount")) - 1


def metric(page, label: str) -> str:
    """The value shown by the ``st.metric`` labelled ``label``."""
    box = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']").get_by_text(label, exact=True)
    )
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def slider_value(page, label: str) -> str:
    return page.get_by_role("slider", name=label).input_value()


def press_slider(page, label: str, key: str, times: int = 1) -> None:
    """Move the slider labelled ``label`` from the keyboard (``key`` e.g. ArrowRight, End) and
    wait for the app to rerun with the new value."""
    before = slider_value(page, label)
    thumb = page.get_by_role("slider", name=label)
    thumb.focus()
    for _ in range(times):
        page.keyboard.press(key)
    thumb.blur()
    from playwright.sync_api import expect

    expect(thumb).not_to_have_value(before, timeout=30_000)
    wait_idle(page)


def download(page, button: str, timeout_ms: int = 120_000) -> tuple[str, bytes]:
    """Click the download button named ``button``; (suggested file name, the file's bytes)."""
    with page.expect_download(timeout=timeout_ms) as info:
        page.get_by_role("button", name=button, exact=True).click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def leaflet(frame, script: str):
    """Evaluate ``script`` (a JS function of the Leaflet map) inside the map's frame."""
    return frame.evaluate(f"() => ({script})(AnchorMap.map)")


def marker_named(frame, lat: float, lon: float, text: str, selector: str = ".am-marker"):
    """Zoom the map in on (lat, lon) (WGS84 degrees) and hover the markers there (``selector``), nearest
    to the middle first, until one's tooltip shows ``text``; that marker."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # (braces: return nothing, or Playwright spends half a minute serialising the Leaflet map)
    frame.evaluate(f"() => {{ AnchorMap.map.setView([{lat}, {lon}], 17, {{animate: false}}); }}")
    frame.locator(selector).first.wait_for(timeout=30_000)
    wait_map(frame)
    # the markers a person can point at (not under the key), nearest to the middle first
    order = frame.evaluate(
        """SELECTOR => {
        const box = AnchorMap.map.getContainer().getBoundingClientRect();
        const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
        return [...document.querySelectorAll(SELECTOR)].map((m, i) => {
            const r = m.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
            const top = document.elementFromPoint(x, y);
            return {i, d: Math.hypot(x - cx, y - cy), free: !!top && m.contains(top)};
        }).filter(m => m.free).sort((a, b) => a.d - b.d).map(m => m.i);
    }""",
        selector,
    )
    markers = frame.locator(selector)
    for i in order[:25]:
        marker = markers.nth(i)
        try:  # a marker another one has come to cover since the list was made is not one a person can point at
            marker.hover(timeout=3000)
            frame.locator(".leaflet-tooltip").filter(has_text=text).first.wait_for(timeout=1500)
        except PlaywrightTimeout:
            continue
        return marker
    raise AssertionError(f"no marker near {lat}, {lon} has the tooltip {text!r}")


# Whatever the renderer (canvas draws no element per area), what AnchorMap has drawn: its own
# read-only account (anchormap/maps/web/anchormap.js AnchorMap.drawn()).
_DRAWN = "() => window.AnchorMap && AnchorMap.drawn ? AnchorMap.drawn() : {renderer: null, areas: [], outlines: []}"
_AREAS_ADDED = """() => !!(window.AnchorMap && AnchorMap.drawn && AnchorMap.areas
    && AnchorMap.areas.getLayers().length > 0 && AnchorMap.map.hasLayer(AnchorMap.areas))"""
_OUTLINES_ADDED = """() => !!(window.AnchorMap && AnchorMap.drawn && AnchorMap.outlines
    && AnchorMap.outlines.getLayers().length > 0 && AnchorMap.map.hasLayer(AnchorMap.outlines))"""


def drawn(frame) -> dict:
    """What the map in ``frame`` draws: ``renderer`` ("canvas" or "svg") and, for ``areas`` and
    ``outlines``, one dict per polygon: ``c`` (its LSOA or borough code), ``on`` (on the map),
    ``renderer``, ``fill`` (colour, None when unfilled), ``fillOpacity``, ``weight``, ``color``."""
    return frame.evaluate(_DRAWN)


def drawn_on_map(frame, what: str = "areas") -> list[dict]:
    """The ``what`` ("areas" or "outlines") polygons of :func:`drawn` that are on the map."""
    return [p for p in drawn(frame)[what] if p["on"]]


def wait_areas(frame, timeout_ms: int = 60_000, outlines: bool = False) -> None:
    """Wait until the map in ``frame`` has added its areas (or, with ``outlines``, its borough outlines)."""
    frame.wait_for_function(_OUTLINES_ADDED if outlines else _AREAS_ADDED, timeout=timeout_ms)
