"""The server's long-lived objects kept out of Python's garbage collector (``gc.freeze``).

After the first page run in a process the shared layers, the modules and the published map files
are in memory for the life of the server: millions of objects that every full collection would
walk again, holding the interpreter lock every visitor's run waits for. :func:`freeze_once`
moves everything alive at that moment to the collector's permanent generation, once per process;
objects made later (each visitor's session) are collected as before. (``runner.postScriptGC`` is
off in ``.streamlit/config.toml``: Streamlit would otherwise run a full collection after every run.)
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_once() -> bool:
    """Freeze the heap the first time it is called in this process; True when it did."""
    global _frozen
    with _lock:
        if _frozen:
            return False
        gc.collect()  # what is garbage now is not kept for ever
        gc.freeze()
        _frozen = True
        return True
