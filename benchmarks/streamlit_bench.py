"""Shared pieces of the browser and load benchmarks (``map_payload.py --browser``, ``crowd.py``).

Not a test and not part of the app: a Streamlit server started on 127.0.0.1 at a free port with a
timing line per script run (``timed_streamlit.py``), read back here; the server process's memory
and CPU from ``/proc``; the JavaScript that records, inside the page and the map's iframe, when each
step of drawing a map happens; and a visit by a new visitor in headless Chromium
(``/usr/bin/chromium``, as ``tests/browser/conftest.py`` starts it) that returns every figure.

Times from the browser are in seconds from the visit's navigation start (the page's
``performance.timeOrigin``); the server's are wall-clock seconds of its script runs.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
TIMED = Path(__file__).resolve().parent / "timed_streamlit.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1400, "height": 1100}
PREFIX = "AMBENCH "
CARD_MARK = 'aria-label="How this area is doing"'
"""What marks the area card's markdown (anchormap.ui.area_card_view.deprivation_html)."""


def is_loopback(url: str) -> bool:
    """True when ``url``'s host is on this machine (127.0.0.0/8, ::1 or localhost)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0-1) of ``values`` by linear interpolation (nan when empty)."""
    if not values:
        return float("nan")
    v = sorted(values)
    pos = (len(v) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# ---------------------------------------------------------------------------- the server


@dataclass
class Server:
    """A ``streamlit run`` (through ``timed_streamlit.py``) on 127.0.0.1 at a free port.

    Use as a context manager; ``url`` ends with a slash. ``events()`` are the timing lines
    written so far (dicts), ``runs(since)`` the finished runs after event number ``since``.
    """

    script: str
    cwd: Path
    env: dict = field(default_factory=dict)
    url: str = ""
    proc: subprocess.Popen | None = None
    log: Path | None = None

    def __enter__(self) -> Server:
        port = free_port()
        self._tmp = tempfile.TemporaryDirectory(prefix="ambench-")
        self.log = Path(self._tmp.name) / "server.log"
        env = {k: v for k, v in os.environ.items() if k != "ANCHORMAP_STATIC_DIR"}  # its own static folder
        env.update({"PYTHONUNBUFFERED": "1", **self.env})
        # the land store is opened (and created) at run time: never in a shared cache
        env.setdefault("ANCHORMAP_STORE", str(Path(self._tmp.name) / "land.sqlite"))
        cmd = [
            sys.executable,
            str(TIMED),
            "run",
            self.script,
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
        self._out = self.log.open("wb")
        self.proc = subprocess.Popen(cmd, cwd=self.cwd, env=env, stdout=self._out, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{port}/"
        self.started = time.perf_counter()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        self.healthy_s = time.perf_counter() - self.started
                        return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"streamlit did not answer in 120 s:\n{self.tail()}")

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._out.close()
        self._tmp.cleanup()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log and self.log.exists() else ""

    def events(self) -> list[dict]:
        out = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith(PREFIX):
                try:
                    out.append(json.loads(line[len(PREFIX) :]))
                except json.JSONDecodeError:
                    continue
        return out

    def runs(self, since: int = 0) -> list[dict]:
        """Finished runs among the events after the first ``since`` events."""
        return [e for e in self.events()[since:] if e.get("event") == "run"]

    def running(self, since: int = 0) -> int:
        """Runs started after event ``since`` and not yet finished."""
        ev = self.events()[since:]
        started = {e["seq"] for e in ev if e.get("event") == "start"}
        done = {e["seq"] for e in ev if e.get("event") == "run"}
        return len(started - done)

    def settle(self, since: int, quiet_s: float = 0.6, timeout_s: float = 30) -> list[dict]:
        """Wait until no run started after event ``since`` is going and none started for ``quiet_s``; those runs."""
        deadline = time.monotonic() + timeout_s
        count = len(self.events())
        quiet_from = time.monotonic()
        while time.monotonic() < deadline:
            now = len(self.events())
            if now != count:
                count, quiet_from = now, time.monotonic()
            elif self.running(since) == 0 and time.monotonic() - quiet_from >= quiet_s:
                break
            time.sleep(0.1)
        return self.runs(since)


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of process ``pid`` in kB, from /proc."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def proc_cpu_s(pid: int) -> float:
    """User + system CPU seconds used so far by process ``pid`` (all its threads), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------- the browser side

TIMING_JS = r"""(() => {
  if (window.__amt) return;
  const now = () => performance.timeOrigin + performance.now();
  const T = (window.__amt = {origin: performance.timeOrigin, marks: {}, decodeMs: 0, decodeCalls: 0,
    fetches: {}, updates: 0, u: null, now: now});
  const mark = (name) => { if (!(name in T.marks)) T.marks[name] = now(); };
  T.mark = mark;
  if (window === window.top) {
    // the page: when the map's iframe is attached, when the script ran, when the area card showed
    const look = () => {
      if (!T.marks.iframe && document.querySelector("iframe[title*='st_folium']")) mark("iframe");
      const app = document.querySelector('[data-testid="stApp"]');
      const state = app && app.getAttribute("data-test-script-state");
      if (state === "running") mark("script_running");
      if (state === "notRunning" && T.marks.script_running) mark("script_done");
      if (!T.marks.card && document.querySelector('section.am-card[aria-label="How this area is doing"]')) mark("card");
    };
    new MutationObserver(look).observe(document, {subtree: true, childList: true, attributes: true,
      attributeFilter: ["data-test-script-state"]});
    // a repaint being timed (streamlit_bench.repaint): the benchmark sets T.watch = {} just before
    // the change's click or key; the first pointerdown or keydown after that is the change, and the
    // map's frame (this one or a new one) fills in the rest (see the frame's update below)
    const input = () => { if (T.watch && !T.watch.input) T.watch.input = now(); };
    document.addEventListener("pointerdown", input, true);
    document.addEventListener("keydown", input, true);
    return;
  }
  // a frame: instrument AnchorMap (anchormap/maps/web/anchormap.js) before it is defined. It does
  // `window.AnchorMap = window.AnchorMap || {}` and then assigns its functions to that object.
  const AM = {};
  const wrappers = {
    decode: (f) => function () {
      const t0 = performance.now();
      try { return f.apply(this, arguments); } finally { T.decodeMs += performance.now() - t0; T.decodeCalls++; }
    },
    fetchJSON: (f) => function (url) {
      const key = new URL(String(url), location.href).href;
      const p = f.apply(this, arguments);
      if (!T.fetches[key]) {
        const rec = (T.fetches[key] = {start: now()});
        p.then((doc) => { rec.parsed = now(); rec.n = doc && doc.n; rec.decode0 = T.decodeMs; }, () => { rec.failed = now(); });
      }
      return p;
    },
    init: (f) => function (map, opts) {
      mark("init");
      T.areasUrl = opts && opts.areas_url ? new URL(opts.areas_url, location.href).href : null;
      T.outlinesUrl = opts && opts.outlines_url ? new URL(opts.outlines_url, location.href).href : null;
      const r = f.apply(this, arguments);
      AM.areasReady.then((g) => {
        mark("areas_added");
        if (g && g.amUrl) T.areasUrl = new URL(g.amUrl, location.href).href;  // the file the first update drew
        T.areasN = g ? g.getLayers().length : 0;
        const rec = T.fetches[T.areasUrl];
        T.areasDecodeMs = rec && rec.decode0 !== undefined ? T.decodeMs - rec.decode0 : null;
      });
      AM.outlinesReady.then((g) => { mark("outlines_added"); T.outlinesN = g ? g.getLayers().length : 0; });
      return r;
    },
    update: (f) => function (group, spec) {
      T.updates++;
      mark("update");
      const layers = (spec && spec.marker_layers) || [];
      const u = (T.u = {at: now(), want: layers.length, added: 0, pending: 0, styled: null, markersDone: null});
      T.markerLayers = [];
      const check = () => { if (u.markersDone === null && u.added === u.want && u.pending === 0) u.markersDone = now(); };
      const add = group.addLayer;
      group.addLayer = function (layer) {
        const cluster = window.L && L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup;
        if (cluster) {  // Leaflet.markercluster adds its markers in chunks: done when the last chunk is
          u.pending++;
          const prev = layer.options.chunkProgress;
          layer.options.chunkProgress = function (done, total) {
            if (prev) prev.apply(this, arguments);
            if (done === total) queueMicrotask(() => { u.pending--; check(); });
          };
        }
        const r = add.apply(this, arguments);
        u.added++;
        T.markerLayers.push(layer);
        check();
        return r;
      };
      const r = f.apply(this, arguments);
      check();
      AM.areasReady.then(() => { u.styled = now(); });
      watchRepaint();
      return r;
    },
  };
  // The repaint after a change (the page's T.watch, armed by the benchmark): from this update on,
  // every animation frame, is the last update styled, its markers added, no fetch pending and the
  // map still? Then two animation frames later it is painted.
  const watchRepaint = () => {
    let top = null;
    try { top = window.top.__amt; } catch (e) { return; }
    const w = top && top.watch;
    if (!w || !w.input) return;
    if (w.painted) { w.late = (w.late || 0) + 1; return; }
    w.updates = (w.updates || 0) + 1;
    w.update = T.u.at;
    if (w.firstUpdate === undefined) w.firstUpdate = T.u.at;
    w.newMap = !!(T.marks.init && T.marks.init > w.input);
    if (w.looping) return;
    w.looping = true;
    const tick = () => {
      const u = T.u, m = AM.map;
      const still = m && m._loaded && !m._animatingZoom && !(m._panAnim && m._panAnim._inProgress)
        && !m.getPane("mapPane").classList.contains("leaflet-cluster-anim");
      const fetched = Object.values(T.fetches).every((rec) => rec.parsed || rec.failed);
      if (u.styled && u.markersDone !== null && fetched && still && (!T.outlinesUrl || T.marks.outlines_added)) {
        w.ready = now(); w.styled = u.styled; w.markers = u.markersDone;
        requestAnimationFrame(() => requestAnimationFrame(() => { w.painted = now(); }));
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
  Object.keys(wrappers).forEach((name) => {
    let fn;
    Object.defineProperty(AM, name, {configurable: true, enumerable: true, get: () => fn,
      set: (v) => { fn = typeof v === "function" ? wrappers[name](v) : v; }});
  });
  window.AnchorMap = AM;
})();"""

APP_MAP_DRAWN_JS = r"""() => {
  const T = window.__amt, A = window.AnchorMap;
  if (!T || !T.u || !A || !A.map) return false;
  if (!T.painted) {
    const u = T.u, m = A.map;
    if (!u.styled || u.markersDone === null) return false;
    if (T.outlinesUrl && !T.marks.outlines_added) return false;
    if (!Object.values(T.fetches).every((r) => r.parsed || r.failed)) return false;
    if (!m._loaded || m._animatingZoom || (m._panAnim && m._panAnim._inProgress)
        || m.getPane("mapPane").classList.contains("leaflet-cluster-anim")) return false;
    if (!T.ready) {
      T.ready = T.now();
      requestAnimationFrame(() => requestAnimationFrame(() => { T.painted = T.now(); }));
    }
  }
  return !!T.painted;
}"""
"""In the map's frame: true once the areas are drawn and styled, the borough outlines drawn, every
marker layer of the last update added (clusters finished), no fetch pending, the map still, and
two animation frames have passed (so the browser painted it)."""

SELECTOR_DRAWN_JS = r"""([selector, n]) => {
  const T = window.__amt;
  if (!T) return false;
  if (!T.ready) {
    if (document.querySelectorAll(selector).length < n) return false;
    T.ready = T.now();
    requestAnimationFrame(() => requestAnimationFrame(() => { T.painted = T.now(); }));
  }
  return !!T.painted;
}"""
"""In the map's frame: true two animation frames after ``n`` elements match ``selector``."""

FRAME_REPORT_JS = r"""() => {
  const T = window.__amt || {};
  const res = performance.getEntriesByType("resource").map((e) => ({name: e.name, start: performance.timeOrigin + e.startTime,
    end: performance.timeOrigin + e.responseEnd, transfer: e.transferSize, body: e.encodedBodySize}));
  return {origin: performance.timeOrigin, marks: T.marks || {}, decodeMs: T.decodeMs || 0, decodeCalls: T.decodeCalls || 0,
    fetches: T.fetches || {}, updates: T.updates || 0, u: T.u || null, ready: T.ready || null, painted: T.painted || null,
    areasUrl: T.areasUrl || null, areasDecodeMs: T.areasDecodeMs === undefined ? null : T.areasDecodeMs, outlinesUrl: T.outlinesUrl || null, areasN: T.areasN, outlinesN: T.outlinesN,
    paths: document.querySelectorAll("path.am-area").length,
    renderer: window.AnchorMap && AnchorMap.drawn ? AnchorMap.drawn().renderer : null,
    areasOn: window.AnchorMap && AnchorMap.drawn ? AnchorMap.drawn().areas.filter((p) => p.on).length : 0,
    markerRecords: (T.markerLayers || []).reduce((n, l) => n + (l.getLayers ? l.getLayers().length : 1), 0),
    markers: document.querySelectorAll(".am-marker, .marker-cluster").length, resources: res};
}"""

PAGE_REPORT_JS = "() => ({origin: performance.timeOrigin, marks: (window.__amt || {}).marks || {}})"


def classify(url: str) -> str:
    """What a fetched URL is: 'data' (our published JSON), 'map code' (Leaflet and our script and
    styles), 'component' (streamlit-folium's bundle), 'streamlit' (its frontend) or 'other'."""
    path = urlsplit(url).path
    if "/app/static/anchormap/data/" in path:
        return "data"
    if path.startswith("/app/static/"):
        return "map code"
    if path.startswith("/component/"):
        return "component"
    if urlsplit(url).scheme in ("http", "https") and is_loopback(url):
        return "streamlit"
    return "other"


def forward_msg_bytes(frames: list[bytes]) -> dict[str, int]:
    """Bytes of the websocket's ForwardMsgs by what they carry: 'map' (the streamlit-folium
    component's message: map script and overlay) and 'other'."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    out = {"map": 0, "other": 0}
    for data in frames:
        msg = ForwardMsg()
        try:
            msg.ParseFromString(data)
        except Exception:
            out["other"] += len(data)
            continue
        kind = "other"
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            if el.WhichOneof("type") == "component_instance" and "folium" in el.component_instance.component_name:
                kind = "map"
        out[kind] += len(data)
    return out


OFFLINE_ARG = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
"""Every host but this machine fails to resolve at once (map tiles): the figures do not depend on the network."""


def launch_chromium(pw):
    """Debian's headless Chromium through Playwright (never a downloaded browser), offline."""
    return pw.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, OFFLINE_ARG], headless=True)


def visit(
    browser,
    url: str,
    drawn: str,
    drawn_arg=None,
    timeout_s: float = 180,
    viewport: dict = DESKTOP,
    renderer: str | None = None,
    then=None,
) -> dict:
    """Open ``url`` as a new visitor (a fresh browser context: empty cache) and wait until the map
    in its streamlit-folium iframe is drawn (``drawn``: APP_MAP_DRAWN_JS or SELECTOR_DRAWN_JS with
    ``drawn_arg``); every figure of the visit.

    Returns
    -------
    dict
        ``seconds`` (Python clock, navigation to painted), ``ws_bytes``, ``ws`` (by kind),
        ``bytes`` (fetched, by :func:`classify`), ``t`` (browser marks, seconds from navigation
        start), ``geometry`` (the areas file: bytes, fetch, parse, decode and build times), ``areas``,
        ``paths``, ``markers``, ``error`` (None or what went wrong). ``renderer`` ("canvas" or
        "svg") makes the map draw its areas that way (``window.ANCHORMAP_RENDERER``, read by
        anchormap.js); ``then(page, out)``, if given, is called once the map is drawn (e.g. to time
        repaints, :func:`repaint`) and may add to ``out``.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport=viewport)
    context.add_init_script(TIMING_JS)
    if renderer is not None:
        context.add_init_script(f"window.ANCHORMAP_RENDERER = {json.dumps(renderer)};")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e.get("encodedDataLength", 0)))
    received: list[bytes] = []
    sent: list[int] = []

    def on_ws(ws):
        ws.on("framereceived", lambda p: received.append(p if isinstance(p, bytes) else p.encode()))
        ws.on("framesent", lambda p: sent.append(len(p)))

    page.on("websocket", on_ws)
    out: dict = {"error": None}
    t0 = time.perf_counter()
    try:
        page.goto(url, timeout=timeout_s * 1000)
        page.wait_for_selector("iframe[title*='st_folium']", timeout=timeout_s * 1000)
        frame = page.query_selector("iframe[title*='st_folium']").content_frame()
        frame.wait_for_function(drawn, arg=drawn_arg, polling="raf", timeout=timeout_s * 1000)
        out["seconds"] = time.perf_counter() - t0
        page.wait_for_timeout(300)  # late websocket messages (the run's end) counted too
        top, fr = page.evaluate(PAGE_REPORT_JS), frame.evaluate(FRAME_REPORT_JS)
    except PlaywrightTimeout as err:
        out["error"] = f"not drawn in {timeout_s:g} s ({err.message.splitlines()[0]})"
        context.close()
        return out
    by_kind: dict[str, int] = {}
    for rid, size in sizes.items():
        kind = classify(urls.get(rid, ""))
        by_kind[kind] = by_kind.get(kind, 0) + size
    ws = forward_msg_bytes(received)
    origin = top["origin"]

    def s(ms):
        return None if ms is None else (ms - origin) / 1000

    t = {f"page {k}": s(v) for k, v in top["marks"].items()}
    t.update({k: s(v) for k, v in fr["marks"].items()})
    u = fr["u"] or {}
    t["styled"] = s(u.get("styled"))
    t["markers"] = s(u.get("markersDone"))
    t["ready"] = s(fr["ready"])
    t["painted"] = s(fr["painted"])
    geometry = None
    if fr["areasUrl"]:
        rec = fr["fetches"].get(fr["areasUrl"], {})
        entry = next((r for r in fr["resources"] if r["name"] == fr["areasUrl"]), None)
        geometry = {
            "bytes": entry["transfer"] if entry else None,
            "requested": s(rec.get("start")),
            "fetch_s": (entry["end"] - entry["start"]) / 1000 if entry else None,
            "parse_s": (rec["parsed"] - entry["end"]) / 1000 if entry and rec.get("parsed") else None,
            "decode_s": None if fr["areasDecodeMs"] is None else fr["areasDecodeMs"] / 1000,
            "decode_all_s": fr["decodeMs"] / 1000,
            "decode_calls": fr["decodeCalls"],
            "build_s": (fr["marks"]["areas_added"] - rec["parsed"] - fr["areasDecodeMs"]) / 1000
            if rec.get("parsed") and "areas_added" in fr["marks"] and fr["areasDecodeMs"] is not None
            else None,
            "n": rec.get("n"),
        }
    scripts = [r for r in fr["resources"] if classify(r["name"]) == "map code" and r["name"].endswith(".js")]
    t["map code loaded"] = s(max(r["end"] for r in scripts)) if scripts else None
    out.update(
        ws_bytes=sum(len(p) for p in received),
        ws_sent=sum(sent),
        ws=ws,
        bytes=by_kind,
        t=t,
        geometry=geometry,
        areas=fr.get("areasN"),
        paths=fr["paths"],
        renderer=fr["renderer"],
        areas_on=fr["areasOn"],
        markers=fr["markers"],
        marker_records=fr["markerRecords"],
        updates=fr["updates"],
    )
    if then is not None:
        try:
            then(page, out)
        except PlaywrightTimeout as err:
            out["error"] = f"after drawing: {err.message.splitlines()[0]}"
    context.close()
    return out


def app_idle(page, timeout_s: float = 60) -> None:
    """Wait until the page's script is not running and the map in its frame(s) is drawn and still
    (no sleeping on a clock: Streamlit's script state and Leaflet's own flags)."""
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
        return !!app && app.getAttribute("data-test-script-state") === "notRunning"
          && app.getAttribute("data-test-connection-state") === "CONNECTED"; }""",
        timeout=timeout_s * 1000,
    )
    for handle in page.query_selector_all("iframe[title*='st_folium']"):
        handle.content_frame().wait_for_function(
            """() => { const m = window.AnchorMap && AnchorMap.map, T = window.__amt;
            return !!(m && m._loaded && T && T.u && T.u.styled && T.u.markersDone !== null) && !m._animatingZoom
              && !(m._panAnim && m._panAnim._inProgress) && !m.getPane("mapPane").classList.contains("leaflet-cluster-anim"); }""",
            polling="raf",
            timeout=timeout_s * 1000,
        )


def repaint(page, act, timeout_s: float = 60) -> dict:
    """Time one change on a page whose map is drawn: arm the watch, ``act(page)`` (its last
    click or key press is the change), then wait until the map, in its frame or a new one, is
    restyled, its markers added, still, and two animation frames painted.

    Returns
    -------
    dict
        Seconds from the change's pointerdown/keydown: ``update`` (the first AnchorMap.update of
        the change in the map's frame), ``styled`` (the last update's areas restyled),
        ``markers`` (its marker layers added), ``still`` (all that, and the map still: no zoom,
        pan or cluster animation), ``painted``, and ``in_frame`` (seconds from the last update to
        painted: the browser's part); ``updates`` (how many updates it
        took), ``new_map`` (True when a new map was made: a new iframe), ``late_updates``
        (updates that came after the map was painted).
    """
    page.evaluate("() => { window.__amt.watch = {}; }")
    act(page)
    page.wait_for_function("() => !!(window.__amt.watch && window.__amt.watch.painted)", timeout=timeout_s * 1000)
    app_idle(page, timeout_s)
    w = page.evaluate("() => Object.assign({}, window.__amt.watch)")

    def s(key):
        return None if w.get(key) is None else (w[key] - w["input"]) / 1000

    return {
        "update": s("firstUpdate"),
        "styled": s("styled"),
        "markers": s("markers"),
        "still": s("ready"),
        "painted": s("painted"),
        "in_frame": None if w.get("painted") is None else (w["painted"] - w["update"]) / 1000,
        "updates": w.get("updates", 0),
        "new_map": bool(w.get("newMap")),
        "late_updates": w.get("late", 0),
    }
