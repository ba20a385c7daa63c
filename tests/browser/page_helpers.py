"""What a person does on a Streamlit page, for the browser tests: wait for a rerun to finish,
read a table, move a slider, type, download a file.

Streamlit draws ``st.dataframe`` on a canvas; it also keeps an accessible table of the rows in
view (``table[role=grid]``), which is what :func:`grid` reads (the first rows of a long table).
"""

from __future__ import annotations

import time
from pathlib import Path


def wait_idle(page, timeout_s: float = 90) -> None:
    """Wait until the app has finished its rerun (no running indicator)."""
    page.wait_for_timeout(300)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.locator("[data-testid='stStatusWidget']").count() == 0:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"the app was still running after {timeout_s} s")


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
        table.page.wait_for_timeout(200)


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
    deadline = time.monotonic() + 30
    while slider_value(page, label) == before and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    wait_idle(page)


def download(page, button: str, timeout_ms: int = 120_000) -> tuple[str, bytes]:
    """Click the download button named ``button``; (suggested file name, the file's bytes)."""
    with page.expect_download(timeout=timeout_ms) as info:
        page.get_by_role("button", name=button).click()
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
    frame.page.wait_for_timeout(300)
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
        marker.hover()
        try:
            frame.locator(".leaflet-tooltip").filter(has_text=text).first.wait_for(timeout=1500)
        except PlaywrightTimeout:
            continue
        return marker
    raise AssertionError(f"no marker near {lat}, {lon} has the tooltip {text!r}")
