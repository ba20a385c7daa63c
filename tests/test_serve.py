"""``python -m anchormap.ui.serve`` (what ``bash dev app`` runs): the server is prepared before it
opens, then serves the app like ``streamlit run app.py``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from anchormap.ui import serve


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_prepare_server_leaves_the_first_visitor_nothing_to_import_or_read():
    code = (
        "import sys\n"
        "from anchormap.ui.serve import PAGE_MODULES, PAGE_LAYERS, prepare_server\n"
        "prepare_server()\n"
        "from anchormap.data import build\n"
        "from anchormap.maps import geometry, overlay\n"
        "print(all(m in sys.modules for m in PAGE_MODULES))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('anchormap.ui', 'streamlit_folium'))))\n"
        "print(sorted(k.rsplit('/', 1)[-1] for k in build._MEMORY))\n"
        "print(geometry._areas_file.cache_info().currsize, len(overlay._PUBLIC))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "True"
    # nothing bound to Streamlit's runtime before it exists (a component declared then is lost)
    assert out[1] == "['anchormap.ui', 'anchormap.ui.serve']"
    for name in [*serve.PAGE_LAYERS, "lsoa_2011", "lsoa_2021", "lsoa_2011_display", "lsoa_2021_display"]:
        assert f"{name}.parquet" in out[2]
    assert out[3] == "2 1"  # both editions' areas published, the public anchor lists too


def test_the_server_opens_after_it_is_prepared_and_serves_the_app(tmp_path):
    port = _free_port()
    env = {**os.environ, "ANCHORMAP_STORE": str(tmp_path / "land.sqlite")}
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "anchormap.ui.serve",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 120
        healthy = False
        while time.monotonic() < deadline and proc.poll() is None and not healthy:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    healthy = r.status == 200
            except OSError:
                time.sleep(0.3)
        text = (tmp_path / "server.log").read_text(errors="replace")
        assert healthy, text[-2000:]
        assert "are ready" in text.split("You can now view")[0]  # prepared before Streamlit opened
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/Community", timeout=10) as r:
            assert r.status == 200 and b'<div id="root">' in r.read()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
