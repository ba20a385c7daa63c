"""The heap alive after the first page run is frozen once per process (anchormap.ui.heap)."""

from __future__ import annotations

import subprocess
import sys


def test_freeze_once_freezes_the_first_time_only():
    code = (
        "import gc\n"
        "from anchormap.data.build import load_layer\n"
        "from anchormap.ui import heap\n"
        "layer = load_layer('anchors')\n"
        "before = gc.get_freeze_count()\n"
        "print(heap.freeze_once(), heap.freeze_once(), before, gc.get_freeze_count() > before + 10000)\n"
        "print(gc.collect() >= 0, len(layer))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[:4] == ["True", "False", "0", "True"]  # the layer's objects among those frozen
    assert out[4] == "True" and int(out[5]) > 9000  # the collector still runs; the layer is intact


def test_the_app_freezes_after_its_first_run(open_page):
    import gc

    import anchormap.ui.heap as heap

    heap._frozen = False
    at = open_page("app.py")
    assert not at.exception
    assert heap._frozen and gc.get_freeze_count() > 0
    gc.unfreeze()  # the rest of the test session collects as usual
