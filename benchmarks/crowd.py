"""Benchmark: a crowd opening "Your area" links on one server at once (prints figures; not a test).

    python benchmarks/crowd.py [--sessions 1,10,30,50] [--browsers 2] [--timeout 300] [--concurrent-runs 0,2]
                               [--url URL --pid PID]

A community session: N people open a "Your area" link (``Community?postcode=...``) at the same
moment. For each N this starts N visitors together against one server (started here on
127.0.0.1 at a free port through ``benchmarks/timed_streamlit.py``, or the one at ``--url``,
which must be on this machine) and reports:

* the median and 95th percentile of the time until a visitor's area card is shown, from the
  moment the visitor opens the link (connects); for the protocol sessions "shown" is the arrival
  of the card's markdown delta (the browser draws each delta as it arrives; the session then
  waits for the script_finished message that ends the run), for the Chromium pages the card
  drawn; the protocol sessions' median and the slowest Chromium page's card and map drawn apart;
* errors: a session that could not connect, saw an exception or an error message, finished its
  run without a card, or had no card within ``--timeout`` seconds;
* the server process's peak memory during the round (VmRSS sampled every 0.1 s from /proc, and
  VmHWM, the peak since the server started) and the CPU it used (user + system seconds, and
  that divided by the round's length: how many of the machine's cores it kept busy);
* from the server's timing lines: the median wall and CPU time of the script runs of the round
  (the difference is mostly time a run waited for the interpreter lock or a core).

Most visitors are Python clients speaking Streamlit's own websocket protocol (``/_stcore/stream``:
a ``BackMsg`` with ``rerun_script`` carrying the page name and the link's query string, then
``ForwardMsg`` deltas until ``script_finished``), the way Streamlit's browser client does; up to
``--browsers`` of them (never the only visitor) are headless Chromium pages (``/usr/bin/chromium``),
which also report when the card was visible and the map drawn (all areas coloured, every
marker layer added). Each visitor asks for a different real London postcode (the postcodes layer,
positional quality 10, spread over the boroughs; a fixed seed), never one an earlier round asked
for. Connections stay open until the round ends (people stay on the page), then close.

``--concurrent-runs 0,1,2`` repeats everything against a fresh server for each setting of
``ANCHORMAP_CONCURRENT_RUNS`` (how many page runs may work at once, :mod:`anchormap.ui.run_gate`;
0 is no limit), so the settings are compared on the same machine in one go.

Bounded: at most 100 visitors a round, every visitor gives up after ``--timeout`` seconds, and
the server is only ever on the loopback address.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import streamlit_bench as sb

MAX_SESSIONS = 100


def postcodes(count: int, seed: int = 13) -> list[str]:
    """``count`` different London postcodes (quality 10), round-robin over the boroughs."""
    import numpy as np

    from anchormap.data.build import load_layer

    pc = load_layer("postcodes")
    pc = pc[pc["quality"] == 10]
    rng = np.random.default_rng(seed)
    groups = [
        g.sample(frac=1.0, random_state=int(rng.integers(1 << 30)))["postcode"].tolist()
        for _, g in pc.groupby("borough_code")
    ]
    out: list[str] = []
    i = 0
    while len(out) < count:
        for g in groups:
            if i < len(g) and len(out) < count:
                out.append(g[i])
        i += 1
    return out


def query_for(postcode: str) -> str:
    return "postcode=" + quote(postcode)


class Round:
    """What the visitors of a round share: each says once when it has seen its card (or failed),
    then stays connected until everyone has (``release``)."""

    def __init__(self, n: int) -> None:
        self.n, self.seen = n, 0
        self.everyone = asyncio.Event()
        self.release = asyncio.Event()

    def arrived(self) -> None:
        self.seen += 1
        if self.seen >= self.n:
            self.everyone.set()

    async def stay(self, until: float) -> None:
        """Stay on the page until the round is released or ``until`` (loop time) passes."""
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(self.release.wait(), max(0.0, until - loop.time()))
        except TimeoutError:
            pass


# ---------------------------------------------------------------------------- one protocol session


def back_msg(page: str, query: str, url: str) -> bytes:
    """The BackMsg a browser sends when it opens ``url`` (page ``page``, query string ``query``)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    rs = msg.rerun_script
    rs.query_string = query
    rs.page_name = page
    rs.page_script_hash = ""
    rs.context_info.timezone = "Europe/London"
    rs.context_info.timezone_offset = 0
    rs.context_info.locale = "en-GB"
    rs.context_info.url = url
    return msg.SerializeToString()


def problem(msg) -> str | None:
    """What went wrong, if this ForwardMsg says something did (an exception or an error message)."""
    if msg.WhichOneof("type") == "page_not_found":
        return "page not found"
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    el = msg.delta.new_element
    kind = el.WhichOneof("type")
    if kind == "exception":
        return f"exception: {el.exception.type}: {el.exception.message[:120]}"
    if kind == "alert" and el.alert.format == el.alert.ERROR:
        return f"error shown: {el.alert.body[:120]}"
    return None


async def protocol_visit(base: str, postcode: str, t0: float, timeout: float, rnd: Round) -> dict:
    """One visitor through Streamlit's websocket protocol; times in seconds from ``t0``."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    query = query_for(postcode)
    parts = urlsplit(base)
    ws_url = f"ws://{parts.netloc}{parts.path}_stcore/stream"
    rec = {
        "kind": "protocol",
        "postcode": postcode,
        "connected": None,
        "card": None,
        "done": None,
        "error": None,
        "bytes": 0,
    }
    loop = asyncio.get_running_loop()
    deadline = t0 + timeout
    arrived = False
    try:
        async with asyncio.timeout(max(0.1, deadline - loop.time())):
            async with connect(ws_url, subprotocols=["streamlit"], max_size=None, ping_interval=None) as ws:
                rec["connected"] = loop.time() - t0
                await ws.send(back_msg("Community", query, f"{base}Community?{query}"))
                async for data in ws:
                    rec["bytes"] += len(data)
                    msg = ForwardMsg()
                    msg.ParseFromString(data)
                    kind = msg.WhichOneof("type")
                    trouble = problem(msg)
                    if trouble and not rec["error"]:
                        rec["error"] = trouble
                    if kind == "delta" and rec["card"] is None:
                        el = msg.delta.new_element
                        if el.WhichOneof("type") == "markdown" and sb.CARD_MARK in el.markdown.body:
                            rec["card"] = loop.time() - t0
                    elif kind == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                        rec["done"] = loop.time() - t0
                        break
                if rec["card"] is None and not rec["error"]:
                    rec["error"] = "the run finished without an area card"
                rnd.arrived()
                arrived = True
                await rnd.stay(deadline)  # stay on the page until the round ends
    except TimeoutError:
        if rec["card"] is None and not rec["error"]:
            rec["error"] = f"no area card within {timeout:g} s"
    except Exception as err:  # a refused or dropped connection is an error of the round, not of this script
        if not rec["error"]:
            rec["error"] = f"{type(err).__name__}: {err}"[:160]
    finally:
        if not arrived:
            rnd.arrived()
    return rec


# ---------------------------------------------------------------------------- one browser visitor


async def browser_visit(browser, base: str, postcode: str, t0: float, timeout: float, rnd: Round) -> dict:
    """One visitor in headless Chromium: card visible and map drawn, in seconds from ``t0``."""
    loop = asyncio.get_running_loop()
    rec = {"kind": "browser", "postcode": postcode, "card": None, "map": None, "error": None}
    context = await browser.new_context(viewport=sb.DESKTOP)
    await context.add_init_script(sb.TIMING_JS)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)[:160]))
    arrived = False
    try:
        await page.goto(f"{base}Community?{query_for(postcode)}", timeout=timeout * 1000)
        await page.wait_for_function(
            "() => !!(window.__amt && window.__amt.marks.card)", polling="raf", timeout=timeout * 1000
        )
        rec["card"] = loop.time() - t0
        handle = await page.wait_for_selector("iframe[title*='st_folium']", timeout=timeout * 1000)
        frame = await handle.content_frame()
        await frame.wait_for_function(
            sb.APP_MAP_DRAWN_JS, polling="raf", timeout=max(1.0, t0 + timeout - loop.time()) * 1000
        )
        rec["map"] = loop.time() - t0
        shown = await page.evaluate(
            "() => [...document.querySelectorAll('[data-testid=stException], [data-testid=stAlertContentError]')].length"
        )
        if shown:
            rec["error"] = f"{shown} error box(es) on the page"
        elif errors:
            rec["error"] = f"page error: {errors[0]}"
        rnd.arrived()
        arrived = True
        await rnd.stay(t0 + timeout)
    except Exception as err:
        rec["error"] = f"{type(err).__name__}: {str(err).splitlines()[0]}"[:160]
    finally:
        if not arrived:
            rnd.arrived()
        await context.close()
    return rec


# ---------------------------------------------------------------------------- a round


async def sample_memory(pid: int | None, stop: asyncio.Event, out: dict) -> None:
    while pid and not stop.is_set():
        rss = sb.proc_status(pid).get("VmRSS")
        if rss:
            out["peak_kb"] = max(out.get("peak_kb", 0), rss)
        try:
            await asyncio.wait_for(stop.wait(), 0.1)
        except TimeoutError:
            pass


async def one_round(base: str, n: int, browsers: int, codes: list[str], timeout: float, pid: int | None, pw) -> dict:
    """N visitors at once; their records and the server's memory and CPU over the round."""
    stop = asyncio.Event()
    before_kb = sb.proc_status(pid).get("VmRSS", 0) if pid else 0
    mem: dict = {"peak_kb": before_kb}
    cpu0 = sb.proc_cpu_s(pid) if pid else float("nan")
    b = min(browsers, n - 1) if n > 1 else 0
    browser = (
        await pw.chromium.launch(executable_path=sb.CHROMIUM, args=[*sb.CHROMIUM_ARGS, sb.OFFLINE_ARG]) if b else None
    )
    sampler = asyncio.create_task(sample_memory(pid, stop, mem))
    rnd = Round(n)
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    tasks = [asyncio.create_task(browser_visit(browser, base, codes[i], t0, timeout, rnd)) for i in range(b)]
    tasks += [asyncio.create_task(protocol_visit(base, codes[i], t0, timeout, rnd)) for i in range(b, n)]
    try:
        await asyncio.wait_for(rnd.everyone.wait(), timeout + 5)
    except TimeoutError:
        pass
    seen_at = loop.time() - t0
    cpu = sb.proc_cpu_s(pid) - cpu0 if pid else float("nan")
    rnd.release.set()
    records = await asyncio.gather(*tasks)
    stop.set()
    await sampler
    if browser:
        await browser.close()
    return {
        "records": records,
        "wall": seen_at,
        "cpu": cpu,
        "before_kb": before_kb,
        "peak_kb": mem["peak_kb"],
        "hwm_kb": sb.proc_status(pid).get("VmHWM", 0) if pid else 0,
    }


def report_row(n: int, result: dict, runs: list[dict]) -> list[str]:
    recs = result["records"]
    ok = [r for r in recs if not r["error"] and r["card"] is not None]
    cards = [r["card"] for r in ok]
    protocol = [r["card"] for r in ok if r["kind"] == "protocol"]
    shown = [r for r in ok if r["kind"] == "browser"]
    errors = [r for r in recs if r["error"]]
    cores = result["cpu"] / result["wall"] if result["wall"] else float("nan")
    nan = float("nan")
    return [
        f"{n}",
        f"{sum(r['kind'] == 'browser' for r in recs)}",
        f"{sb.median(cards):.2f}",
        f"{sb.quantile(cards, 0.95):.2f}",
        f"{max(cards) if cards else nan:.2f}",
        f"{sb.median(protocol):.2f}",
        f"{max((r['card'] for r in shown), default=nan):.2f}",
        f"{max((r['map'] for r in shown), default=nan):.2f}",
        f"{len(errors)}",
        f"{result['before_kb'] / 1024:,.0f}",
        f"{result['peak_kb'] / 1024:,.0f}",
        f"{result['cpu']:.1f}",
        f"{cores:.2f}",
        f"{len(runs)}",
        f"{sb.median([r['wall_s'] for r in runs]):.2f}",
        f"{sb.median([r['cpu_s'] for r in runs]):.2f}",
    ]


HEADER = [
    "N",
    "browsers",
    "card med s",
    "card p95 s",
    "card max s",
    "protocol med s",
    "browser card s",
    "browser map s",
    "errors",
    "RSS before MB",
    "RSS peak MB",
    "server CPU s",
    "cores busy",
    "runs",
    "run wall med s",
    "run CPU med s",
]


async def crowd(
    base: str, sizes: list[int], browsers: int, timeout: float, server=None, pid: int | None = None
) -> None:
    """Every round, one after another, against the server at ``base``; prints the table.

    ``server`` is the :class:`streamlit_bench.Server` started here (its timing lines are read), or
    None for a server given by ``--url`` (``pid``: its process, for memory and CPU, if known).
    """
    from playwright.async_api import async_playwright

    if server is not None:
        pid = server.pid
    codes = postcodes(sum(sizes) + 1)
    warm, codes = codes[0], codes[1:]
    async with async_playwright() as pw:
        # the first visitor after the start fills the server's caches: measured, then not counted
        since = len(server.events()) if server else 0
        first = await one_round(base, 1, 0, [warm], max(timeout, 180), pid, pw)
        rec = first["records"][0]
        runs = server.settle(since) if server else []
        print(
            f"first visitor after the server start ({warm}): card {rec['card'] or float('nan'):.2f} s, "
            f"run done {rec['done'] or float('nan'):.2f} s"
            + (
                f", server script {sum(r['wall_s'] for r in runs):.2f} s wall, {sum(r['cpu_s'] for r in runs):.2f} s CPU"
                if runs
                else ""
            )
            + (f", error: {rec['error']}" if rec["error"] else "")
            + (f"; RSS {first['peak_kb'] / 1024:,.0f} MB" if pid else "")
        )
        rows = []
        for n in sizes:
            await asyncio.sleep(2)  # let the previous round's connections close
            since = len(server.events()) if server else 0
            result = await one_round(base, n, browsers, codes[:n], timeout, pid, pw)
            codes = codes[n:]
            runs = server.settle(since, timeout_s=timeout) if server else []
            rows.append(report_row(n, result, runs))
            print(f"  N={n}: done in {result['wall']:.1f} s", flush=True)
            for r in result["records"]:
                if r["error"]:
                    print(f"    error ({r['kind']}, {r['postcode']}): {r['error']}")
            shown = [r for r in result["records"] if r["kind"] == "browser"]
            for r in shown:
                if not r["error"]:
                    print(f"    browser {r['postcode']}: card visible {r['card']:.2f} s, map drawn {r['map']:.2f} s")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADER)]
    print()
    print("  ".join(h.rjust(w) for h, w in zip(HEADER, widths, strict=True)))
    for r in rows:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))
    if pid:
        print(f"server VmHWM (peak resident since start): {sb.proc_status(pid).get('VmHWM', 0) / 1024:,.0f} MB")
    print(
        "(card: from opening the link to the area card's message (protocol sessions) or the card drawn "
        "(browsers), over every visitor without an error; protocol med: the protocol sessions alone; "
        "browser card / map: the slowest Chromium page's card drawn and map drawn; memory and CPU: the "
        "server process, /proc; cores busy: its CPU seconds over the round's length; runs: script runs on "
        "the server in the round and their median wall and CPU time, timed_streamlit.py)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,10,30,50", help="comma-separated numbers of visitors per round")
    parser.add_argument("--browsers", type=int, default=2, help="headless Chromium pages among the visitors of a round")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a visitor waits for its card")
    parser.add_argument("--url", default="", help="an already running server on this machine (default: start one)")
    parser.add_argument("--pid", type=int, default=0, help="with --url: the server's process id, for its memory")
    parser.add_argument(
        "--concurrent-runs",
        default="",
        help="comma-separated ANCHORMAP_CONCURRENT_RUNS values to compare, a server each (0: no limit; default: the app's)",
    )
    args = parser.parse_args()

    try:
        sizes = [int(x) for x in args.sessions.split(",") if x.strip()]
    except ValueError:
        parser.error(f"--sessions takes whole numbers separated by commas, not {args.sessions!r}")
    if not sizes or any(n < 1 or n > MAX_SESSIONS for n in sizes):
        parser.error(f"--sessions: each round has 1 to {MAX_SESSIONS} visitors")
    if not 0 < args.timeout <= 600:
        parser.error("--timeout: more than 0 and at most 600 seconds")
    browsers = max(0, min(args.browsers, 5))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"machine: {os.cpu_count()} cores, load average {load}; rounds of {', '.join(map(str, sizes))} "
        f"visitors, up to {browsers} of them in Chromium"
    )
    if args.url:
        base = args.url if args.url.endswith("/") else args.url + "/"
        if not sb.is_loopback(base):
            parser.error("--url must be on this machine (127.0.0.1, localhost or ::1)")
        asyncio.run(crowd(base, sizes, browsers, args.timeout, pid=args.pid or None))
        return
    try:
        gates = [int(x) for x in args.concurrent_runs.split(",") if x.strip()] if args.concurrent_runs else [None]
    except ValueError:
        parser.error(f"--concurrent-runs takes whole numbers separated by commas, not {args.concurrent_runs!r}")
    for gate in gates:  # one server per setting, each started afresh
        env = {} if gate is None else {"ANCHORMAP_CONCURRENT_RUNS": str(gate)}
        with sb.Server("app.py", sb.REPO, env=env) as server:
            said = "the app's default" if gate is None else (f"{gate}" if gate else "0 (no limit)")
            print(
                f"\nserver: {server.url} (pid {server.pid}), healthy after {server.healthy_s:.1f} s; runs at once: {said}"
            )
            asyncio.run(crowd(server.url, sizes, browsers, args.timeout, server))


if __name__ == "__main__":
    main()
