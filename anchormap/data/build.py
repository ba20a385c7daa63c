"""Building layers into the cache, skipping those whose sources have not changed.

Built layers live in ``<cache>/layers/<name>.parquet`` (GeoParquet for geometry layers).
``<cache>/layers/build-manifest.json`` records, per layer, the fingerprint of what it was
built from: the layer's schema version and, for each input dataset, the file it resolved
to with its size, modification time and SHA-256. A layer is rebuilt only when that
fingerprint changes (a checksum is recomputed only when size or time moved).
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

import anchormap.config as config
from anchormap.atomic import atomic_path, write_text
from anchormap.data.layers import LAYERS, LayerSpec
from anchormap.data.sources import Progress, Resolved, resolve, sha256_of
from anchormap.errors import DataSourceError

_LOCK = threading.RLock()


def layers_dir(cache: Path | None = None) -> Path:
    """Where built layers are kept: ``<cache>/layers``.

    Parameters
    ----------
    cache : pathlib.Path, optional
        The cache directory (default :func:`anchormap.config.cache_dir`).

    Returns
    -------
    pathlib.Path
        ``<cache>/layers`` (not created here).
    """
    return (cache or config.cache_dir()) / "layers"


def _manifest_file(cache: Path | None = None) -> Path:
    return layers_dir(cache) / "build-manifest.json"


def read_build_manifest(cache: Path | None = None) -> dict:
    """The build manifest, or an empty one when absent or unreadable.

    Parameters
    ----------
    cache : pathlib.Path, optional
        The cache directory (default :func:`anchormap.config.cache_dir`).

    Returns
    -------
    dict
        ``<cache>/layers/build-manifest.json`` parsed: per layer name, its
        :func:`fingerprint` plus ``rows``, ``seconds`` and ``built_at``. ``{}`` when the file
        is missing or not valid JSON.
    """
    try:
        return json.loads(_manifest_file(cache).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def get_spec(name: str) -> LayerSpec:
    """The specification of the layer ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`anchormap.data.layers.LAYERS`.

    Returns
    -------
    LayerSpec

    Raises
    ------
    DataSourceError
        When the layer is unknown (the message lists the known ones).
    """
    try:
        return LAYERS[name]
    except KeyError:
        msg = f"Unknown layer '{name}'. Known layers: {', '.join(LAYERS)}."
        raise DataSourceError(msg) from None


def _file_record(path: Path) -> dict:
    st = path.stat()
    return {"path": str(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _version_of(spec: LayerSpec) -> list[int]:
    return [spec.version] + [v for d in spec.derived_from for v in _version_of(LAYERS[d])]


def fingerprint(spec: LayerSpec, resolved: dict[str, Resolved], previous: dict | None = None) -> dict:
    """What a layer is built from. Reuses the previous checksum when size and mtime match.

    Parameters
    ----------
    spec : LayerSpec
        The layer.
    resolved : dict of str to Resolved
        Its input datasets, resolved to local files.
    previous : dict, optional
        The layer's entry in the build manifest, if any.

    Returns
    -------
    dict
        ``{"version": [...], "inputs": {dataset id: {"path", "size", "mtime_ns",
        "sha256"}}}``: ``version`` is the layer's schema version followed by those of the
        layers it is derived from (recursively); ``size`` is in bytes and ``mtime_ns`` the
        modification time in nanoseconds. A checksum is recomputed only when the path,
        size or modification time moved.
    """
    prev_inputs = (previous or {}).get("inputs", {})
    inputs = {}
    for ds_id, res in resolved.items():
        rec = _file_record(res.path)
        old = prev_inputs.get(ds_id, {})
        if all(old.get(k) == rec[k] for k in ("path", "size", "mtime_ns")) and old.get("sha256"):
            rec["sha256"] = old["sha256"]
        else:
            rec["sha256"] = sha256_of(res.path)
        inputs[ds_id] = rec
    return {"version": _version_of(spec), "inputs": inputs}


def _same_sources(a: dict, b: dict) -> bool:
    if a.get("version") != b.get("version"):
        return False
    ai, bi = a.get("inputs", {}), b.get("inputs", {})
    return set(ai) == set(bi) and all(ai[k].get("sha256") == bi[k].get("sha256") for k in ai)


@dataclass
class BuildResult:
    """What :func:`build_layers` did with one layer.

    Attributes
    ----------
    name : str
        The layer.
    built : bool
        True when it was (re)built, False when it was up to date.
    seconds : float
        Build time in seconds (0.0 when not built).
    rows : int
        Rows in the layer.
    reason : str
        ``"forced"``, ``"first build"``, ``"sources changed"`` or ``"sources unchanged"``.
    """

    name: str
    built: bool
    seconds: float
    rows: int
    reason: str


def build_layers(
    names: list[str] | None = None,
    *,
    force: bool = False,
    cache: Path | None = None,
    mirror: Path | None = None,
    progress: Progress | None = None,
    report: Callable[[str], None] | None = None,
) -> list[BuildResult]:
    """Build the named layers (default: all), skipping any whose sources are unchanged.

    A layer is skipped when its file exists and its :func:`fingerprint` (schema versions
    and input checksums) matches the build manifest's. Builds are serialised by a lock
    within the process; each layer file is written atomically.

    Parameters
    ----------
    names : list of str, optional
        Layer names, built in this order (default: every layer of
        :data:`anchormap.data.layers.LAYERS`).
    force : bool, optional
        Rebuild even when the sources are unchanged.
    cache : pathlib.Path, optional
        The cache directory (default :func:`anchormap.config.cache_dir`).
    mirror : pathlib.Path, optional
        The mirror directory (default :func:`anchormap.config.mirror_dir`).
    progress : Progress, optional
        Download progress callback (label, bytes so far, total bytes or None).
    report : callable, optional
        Called with one line of text per step ("boroughs: built 33 rows in 0.1 s").

    Returns
    -------
    list of BuildResult
        One per name, in order.

    Raises
    ------
    DataSourceError
        When a layer name is unknown or one of its input datasets cannot be resolved (see
        :func:`anchormap.data.sources.resolve`).
    """
    names = list(names or LAYERS)
    results = []
    with _LOCK:
        for name in names:
            results.append(
                _build_one(get_spec(name), force=force, cache=cache, mirror=mirror, progress=progress, report=report)
            )
    return results


def _build_one(spec, *, force, cache, mirror, progress, report) -> BuildResult:
    say = report or (lambda _msg: None)
    manifest = read_build_manifest(cache)
    previous = manifest.get(spec.name)
    resolved = {ds: resolve(ds, mirror=mirror, cache=cache, progress=progress) for ds in spec.inputs}
    fp = fingerprint(spec, resolved, previous)
    target = layers_dir(cache) / f"{spec.name}.parquet"
    if not force and previous and target.is_file() and _same_sources(previous, fp):
        if fp != {k: previous.get(k) for k in fp}:  # same content, new mtimes: remember them
            manifest[spec.name] = {**previous, **fp}
            write_text(_manifest_file(cache), json.dumps(manifest, indent=2, sort_keys=True))
        say(f"{spec.name}: up to date ({previous.get('rows')} rows), not rebuilt")
        return BuildResult(spec.name, False, 0.0, int(previous.get("rows", 0)), "sources unchanged")

    reason = "forced" if force else ("first build" if not previous or not target.is_file() else "sources changed")
    say(f"{spec.name}: building ({reason}) from {', '.join(f'{r.dataset.id} [{r.origin}]' for r in resolved.values())}")
    t0 = time.perf_counter()
    paths = {ds: r.path for ds, r in resolved.items()}
    if spec.derived_from:
        derived = {name: load_layer(name, cache=cache, mirror=mirror) for name in spec.derived_from}
        table = spec.build(paths, derived)
    else:
        table = spec.build(paths)
    with atomic_path(target) as tmp:
        table.to_parquet(tmp, index=False)
    seconds = time.perf_counter() - t0
    manifest = read_build_manifest(cache)  # re-read: derived layers may have written it meanwhile
    manifest[spec.name] = {
        **fp,
        "rows": len(table),
        "seconds": round(seconds, 3),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    write_text(_manifest_file(cache), json.dumps(manifest, indent=2, sort_keys=True))
    _MEMORY.pop((str(target)), None)
    say(f"{spec.name}: built {len(table)} rows in {seconds:.1f} s")
    for line in spec.notes(table) if spec.notes else []:
        say(f"{spec.name}: {line}")
    return BuildResult(spec.name, True, seconds, len(table), reason)


_MEMORY: dict[str, tuple[int, pd.DataFrame]] = {}


def load_layer(name: str, *, cache: Path | None = None, mirror: Path | None = None) -> pd.DataFrame:
    """The built layer ``name`` (a GeoDataFrame when it has geometry), building it if needed.

    Warm loads read the cached Parquet file without hashing the sources again (run
    ``anchormap data build`` to pick up changed source files); a layer built by an older
    version of its builder is rebuilt. Callers must not modify the result in place: it
    may be shared.

    Parameters
    ----------
    name : str
        A key of :data:`anchormap.data.layers.LAYERS`.
    cache : pathlib.Path, optional
        The cache directory (default :func:`anchormap.config.cache_dir`).
    mirror : pathlib.Path, optional
        The mirror directory, used only when the layer must be built.

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        The layer, kept in memory while its file's modification time stays the same.
        Geometry layers are in British National Grid (EPSG:27700, metres), except the
        ``*_display`` map copies, which are in WGS84 (EPSG:4326, degrees).

    Raises
    ------
    DataSourceError
        When a layer name is unknown or one of its input datasets cannot be resolved (see
        :func:`anchormap.data.sources.resolve`).
    """
    spec = get_spec(name)
    target = layers_dir(cache) / f"{spec.name}.parquet"
    recorded = read_build_manifest(cache).get(spec.name)
    if not target.is_file() or not recorded or recorded.get("version") != _version_of(spec):
        build_layers([spec.name], cache=cache, mirror=mirror)
    return _read_parquet(target)


def layer_stamp(name: str, *, cache: Path | None = None) -> int:
    """The modification time (ns) of layer ``name``'s built file, 0 before its first build.

    Caches of data read from a layer key on it, so a rebuild on a running server is picked up.

    Parameters
    ----------
    name : str
        A layer of :data:`anchormap.data.layers.LAYERS`.
    cache : Path, optional
        The build cache (default: the configured one).

    Returns
    -------
    int

    Raises
    ------
    DataSourceError
        For an unknown layer; the message lists the known ones.
    """
    path = layers_dir(cache) / f"{get_spec(name).name}.parquet"
    return path.stat().st_mtime_ns if path.is_file() else 0


def cached_on_layers(*names: str, maxsize: int = 4) -> Callable:
    """Memoise a function computed from built layers, recomputing it when any of them is rebuilt.

    A bare :func:`functools.lru_cache` on such a function would keep serving the old result to
    a running server after ``anchormap data build``; this one keys every entry on
    :func:`layer_stamp` of each of ``names``. The wrapped function's arguments must be hashable.

    Parameters
    ----------
    *names : str
        The layers the function reads.
    maxsize : int
        How many results to keep (the least recently used is dropped first).

    Returns
    -------
    callable
        A decorator. The function it gives has the wrapped one's name and docstring and a
        ``cache_clear()`` method.
    """

    def wrap(fn: Callable) -> Callable:
        @functools.lru_cache(maxsize=maxsize)
        def keyed(_stamp, *args, **kwargs):
            return fn(*args, **kwargs)

        @functools.wraps(fn)
        def call(*args, **kwargs):
            for name in names:
                if not layer_stamp(name):  # not built yet: build it first, so the key is its file's
                    load_layer(name)
            return keyed(tuple(layer_stamp(name) for name in names), *args, **kwargs)

        call.cache_clear = keyed.cache_clear  # type: ignore[attr-defined]
        return call

    return wrap


def _read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    key = str(path)
    mtime = path.stat().st_mtime_ns
    hit = _MEMORY.get(key)
    if hit and hit[0] == mtime:
        return hit[1]
    meta = pq.read_schema(path).metadata or {}
    table = gpd.read_parquet(path) if b"geo" in meta else pd.read_parquet(path)
    _MEMORY[key] = (mtime, table)
    return table
