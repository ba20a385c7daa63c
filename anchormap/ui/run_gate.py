"""A few page runs at a time on one server; the others wait their turn, first come first served.

Streamlit runs every visitor's script in its own thread of one Python process. Page scripts are
mostly Python (pandas, folium), so N runs at once share one interpreter lock: each takes about N
times as long, and the server's event loop, which sends every message and serves the app's files,
gets only a 1/(N + 1) share of it. When 30 people open a link at a community session within a few
seconds, everyone would then wait for the whole crowd. Behind the gate at most
:func:`concurrent_runs` scripts work at once (a waiting thread holds no lock), so the first visitors
get their page at once, the event loop keeps up, and the last wait no longer than before
(``benchmarks/crowd.py`` measures it).

Set the number with ``ANCHORMAP_CONCURRENT_RUNS`` or ``concurrent_runs`` in ``anchormap.toml``;
0 turns the gate off.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from anchormap.config import settings
from anchormap.errors import AnchorMapError

DEFAULT_CONCURRENT_RUNS = 2
"""Runs at once by default: one per core of a small server (more only share the same lock)."""

_lock = threading.Lock()
_gate: tuple[int, threading.Semaphore | None] | None = None


def concurrent_runs() -> int:
    """How many page runs may work at once (0: no limit).

    Returns
    -------
    int
        ``ANCHORMAP_CONCURRENT_RUNS`` when set, else ``concurrent_runs`` of the settings file
        (:func:`anchormap.config.settings`), else :data:`DEFAULT_CONCURRENT_RUNS`.

    Raises
    ------
    AnchorMapError
        When the value is not a whole number of 0 or more (the message says where it was set).
    """
    env = os.environ.get("ANCHORMAP_CONCURRENT_RUNS", "").strip()
    where, value = ("ANCHORMAP_CONCURRENT_RUNS", env) if env else ("concurrent_runs in the settings file", None)
    if value is None:
        value = settings().get("concurrent_runs", DEFAULT_CONCURRENT_RUNS)
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = -1
    if n < 0 or isinstance(value, bool):
        msg = f"{where} must be a whole number of 0 or more (0 for no limit), not {value!r}."
        raise AnchorMapError(msg)
    return n


def _semaphore() -> threading.Semaphore | None:
    global _gate
    with _lock:
        n = concurrent_runs()
        if _gate is None or _gate[0] != n:
            _gate = (n, threading.Semaphore(n) if n else None)
        return _gate[1]


@contextmanager
def turn() -> Iterator[None]:
    """Wait for a free place (at most :func:`concurrent_runs` runs inside at once), then run the block.

    The place is given back however the block ends (a rerun or stop request included).
    """
    gate = _semaphore()
    if gate is None:
        yield
        return
    gate.acquire()
    try:
        yield
    finally:
        gate.release()
