"""The map's published files worked out at ``anchormap data build``, not on a server's first visit.

The display geometry (:func:`anchormap.maps.geometry.areas_file`, ``outlines_file``) and the
public anchor lists (:func:`anchormap.maps.overlay.public_anchor_urls`) take a second or two to
work out from the built layers. :func:`prepared` keeps each result in the build cache
(``<cache>/map_files/<name>.json``) under a key (the layers' stamps, the code that makes it, the
day when words about a date's age are in it), so a server started after a build only reads it;
:func:`prepare_map_files` makes them all, and ``anchormap data build`` calls it. A key that no
longer matches (a rebuilt layer, changed code, a new day) makes the result again and keeps it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anchormap.config as config
from anchormap.atomic import atomic_path

SUBDIR = "map_files"
"""Where in the build cache the prepared results are kept."""

_LOCK = threading.Lock()


def code_version(*modules: str) -> str:
    """A short hash of the source files of ``modules`` (dotted names): part of a result's key, so
    that changed code never serves a result made by the old code."""
    import importlib.util

    from anchormap import __version__

    h = hashlib.sha256(__version__.encode())
    for name in modules:
        spec = importlib.util.find_spec(name)
        try:
            h.update(Path(spec.origin).read_bytes() if spec is not None and spec.origin else name.encode())
        except OSError:  # no source file to read (a frozen or zipped install): the version stands for it
            h.update(name.encode())
    return h.hexdigest()[:16]


def prepared_dir() -> Path:
    """Where the prepared results are kept: ``<build cache>/map_files``."""
    return config.cache_dir() / SUBDIR


def prepared(name: str, key: dict[str, Any], make: Callable[[], Any], cache: Path | None = None) -> Any:
    """The result of ``make()`` (JSON-serialisable), kept in the build cache while ``key`` holds.

    Parameters
    ----------
    name : str
        The result's file name in ``<cache>/map_files`` (without ``.json``).
    key : dict
        What the result depends on (JSON-serialisable: layer stamps, :func:`code_version`, ...).
    make : callable
        Works the result out; called when there is no kept result for this key.
    cache : Path, optional
        The build cache (default :func:`anchormap.config.cache_dir`).

    Returns
    -------
    Any
        The kept result (as JSON gives it back: lists, not tuples) or the new one.
    """
    path = (cache / SUBDIR if cache is not None else prepared_dir()) / f"{name}.json"
    want = json.loads(json.dumps(key))
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept.get("key") == want:
            return kept["value"]
    except (OSError, ValueError, AttributeError):
        pass  # none yet, or unreadable: make it again
    value = json.loads(json.dumps(make()))
    try:
        with _LOCK, atomic_path(path) as tmp:
            Path(tmp).write_text(json.dumps({"key": want, "value": value}, ensure_ascii=False), encoding="utf-8")
    except OSError:  # a build cache this process may not write to: the result still serves this process
        pass
    return value


def prepare_map_files(report: Callable[[str], None] | None = None) -> None:
    """Work out every published map file (both editions' areas, the borough outlines, the public
    anchor lists), keep them in the build cache and publish them in the app's static folder.

    Parameters
    ----------
    report : callable, optional
        Called with a line of text saying what was prepared and how long it took.
    """
    import time

    from anchormap.data.build import load_layer
    from anchormap.editions import EDITIONS
    from anchormap.maps import geometry, overlay

    t0 = time.perf_counter()
    for year in EDITIONS:
        geometry.areas_file(year)
    geometry.outlines_file()
    overlay.public_anchor_urls(load_layer("anchors"))
    if report is not None:
        report(f"map files: prepared in {time.perf_counter() - t0:.1f} s")
