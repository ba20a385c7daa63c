"""The app's Streamlit configuration, read by Streamlit's own parser (a misspelt key is ignored silently)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _option(name: str) -> str:
    code = (
        "from streamlit import config; config.get_config_options(force_reparse=True); "
        f"print(config.get_option({name!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def test_browsers_never_get_a_traceback():
    # Unforeseen errors show their type only; the traceback goes to the server console.
    assert _option("client.showErrorDetails") == "type"


def test_the_map_assets_are_served_by_the_app():
    assert _option("server.enableStaticServing") == "True"


def test_the_uploader_refuses_what_the_readers_would_refuse():
    from anchormap.land.ingest import MAX_UPLOAD_BYTES

    assert int(_option("server.maxUploadSize")) * 1024 * 1024 == MAX_UPLOAD_BYTES


def test_the_public_sees_a_minimal_toolbar():
    # no Deploy button and no developer menu items for people at a public session
    assert _option("client.toolbarMode") == "minimal"
