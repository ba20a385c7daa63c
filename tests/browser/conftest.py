"""Browser-test fixtures: a real ``streamlit run`` server and Debian's Chromium via Playwright.

Reusable for any page. In a test module::

    import pytest

    pytestmark = pytest.mark.browser

    @pytest.mark.parametrize("streamlit_server", ["app.py"], indirect=True)
    def test_my_page(streamlit_server, browser_page):
        page, requests = browser_page
        page.goto(streamlit_server.url + "Shared_land")   # pages/2_Shared_land.py
        frame = wait_for_map(page)                         # the Leaflet map inside the component
        assert_offline(requests)

``streamlit_server`` starts ``streamlit run <script> --server.headless true`` on 127.0.0.1 at
a free port from the repository root (so ``.streamlit/config.toml`` applies) and stops it at
the end of the module. Parametrise it (``indirect=True``) with the main script path relative to
the repository root, or with ``(script, {"ENV_VAR": "value"})``; the default is ``app.py``.
Multipage apps: every page is served by the one server started for ``app.py``; open
``streamlit_server.url + "<page url name>"``.

``browser_page`` is ``(page, requests)``: a fresh Playwright page, in a browser context of its
own, in the one headless Chromium of the session (``/usr/bin/chromium``, never a downloaded
browser), and the list of every URL it requested. It also records JavaScript dialogs
(``page.dialogs``) and console errors (``page.console_errors``) and dismisses any dialog, so a
test can assert that none fired. ``new_page(viewport, **context options)`` opens more, at other
sizes (phone, projector). Wait for the app with ``page_helpers.wait_idle``, never a fixed sleep.

Tests are skipped when Chromium or Playwright is missing (install ``chromium`` with apt).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.page_helpers import RUN_WATCH_JS, wait_map

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "artifacts"
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
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
DESKTOP = {"width": 1400, "height": 1100}


@dataclass
class StreamlitServer:
    url: str  # http://127.0.0.1:<port>/ (ends with a slash)
    process: subprocess.Popen
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            try:  # not listening yet: wait on the process (a return means it exited)
                proc.wait(timeout=0.3)
            except subprocess.TimeoutExpired:
                pass
    pytest.fail(f"streamlit did not become healthy in {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def streamlit_server(request, tmp_path_factory):
    """A running ``streamlit run`` of a script (default ``app.py``; ``"anchormap.ui.serve"`` for the
    app started as ``bash dev app`` starts it) on 127.0.0.1."""
    param = getattr(request, "param", "app.py")
    script, extra_env = (param, {}) if isinstance(param, str) else param
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, **extra_env, "PYTHONUNBUFFERED": "1"}
    # "anchormap.ui.serve": the server as ``bash dev app`` starts it (prepared, then streamlit run app.py)
    start = ["-m", "anchormap.ui.serve"] if script == "anchormap.ui.serve" else ["-m", "streamlit", "run", str(script)]
    cmd = [
        sys.executable,
        *start,
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_healthy(url, proc, log)
        yield StreamlitServer(url, proc, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def playwright_api():
    """Playwright's sync API for the whole session (skips when Chromium or Playwright is missing)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium chromium-driver)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def chromium_browser(playwright_api):
    """One headless Debian Chromium for the session; each test gets its own context (see new_page)."""
    browser = playwright_api.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def new_page(chromium_browser):
    """``new_page(viewport=DESKTOP, **context options) -> (page, requested URLs)``.

    Each call opens a fresh browser context (its own cookies, storage and cache), closed at the
    end of the test. The context carries :data:`tests.browser.page_helpers.RUN_WATCH_JS`, which
    :func:`~tests.browser.page_helpers.wait_idle` reads. ``page.dialogs`` records the messages of
    JavaScript dialogs (each dismissed), ``page.console_errors`` the console's errors.
    """
    contexts = []

    def make(viewport: dict = DESKTOP, **options):
        context = chromium_browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        context.add_init_script(RUN_WATCH_JS)
        page = context.new_page()
        requests: list[str] = []
        page.dialogs = []
        page.console_errors = []
        context.on("request", lambda r: requests.append(r.url))

        def on_dialog(dialog):
            page.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
        return page, requests

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def browser_page(new_page):
    """(page, requested URLs) in a fresh 1400x1100 context (see new_page)."""
    return new_page()


def external_requests(requests: list[str], allowed_hosts: tuple[str, ...] = ()) -> list[str]:
    """Requested URLs that left the machine, other than to hosts ending with ``allowed_hosts``."""
    out = []
    for url in requests:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
            continue
        host = parts.hostname or ""
        if host in LOCAL_HOSTS or any(host == h or host.endswith("." + h) for h in allowed_hosts):
            continue
        out.append(url)
    return out


def map_frame(page, timeout_ms: int = 60_000):
    """The streamlit-folium iframe once its Leaflet map has drawn (waits up to ``timeout_ms``)."""
    page.wait_for_selector("iframe[title*='st_folium']", timeout=timeout_ms)
    handle = page.query_selector("iframe[title*='st_folium']")
    frame = handle.content_frame()
    frame.wait_for_selector(".leaflet-container", timeout=timeout_ms)
    wait_map(frame, timeout_s=timeout_ms / 1000)
    # Bring the whole map into view: a click on a half-hidden iframe scrolls the page between
    # mouse-down and mouse-up, and Leaflet then sees no click on the marker.
    handle.evaluate("el => el.scrollIntoView({block: 'center'})")
    return frame


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot to artifacts/<name>.png and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
