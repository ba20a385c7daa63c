"""``python -m anchormap.ui.serve`` (what ``bash dev app`` runs) prepares the server before it opens;
a real server started this way is checked in tests/browser/test_serve_browser.py."""

from __future__ import annotations

import subprocess
import sys

from anchormap.ui import serve


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
