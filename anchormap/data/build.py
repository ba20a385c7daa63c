"""Building layers into the cache, skipping those whose sources have not changed.

Built layers live in ``<cache>/layers/<name>.parquet`` (GeoParquet for geometry layers).
``<cache>/layers/build-manifest.json`` records, per layer, the fingerprint of what it was
built from: the layer's schema version and, for each input dataset, the file it resolved
to with its size, modification time and SHA-256. A layer is rebuilt only when that
fingerprint changes (a checksum is recomputed only when size or time moved).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from anchormap import config
from anchormap.atomic import atomic_path, write_text
from anchormap.data.layers import LAYERS, LayerSpec
from anchormap.data.sources import Progress, Resolved, resolve, sha256_of
from anchormap.errors import DataSourceError

_LOCK = threading.RLock()


def layers_dir(cache: Path | None = None) -> Path:
    return (cache or config.cache_dir()) / "layers"


def _manifest_file(cache: Path | None = None) -> Path:
    return layers_dir(cache) / "build-manifest.json"


def read_build_manifest(cache: Path | None = None) -> dict:
    """The build manifest, or an empty one when absent or unreadable."""
    try:
        return json.loads(_manifest_file(cache).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def get_spec(name: str) -> LayerSpec:
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
    """What a layer is built from. Reuses the previous checksum when size and mtime match."""
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
    """Build the named layers (default: all), skipping any whose sources are unchanged."""
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
    table = spec.build({ds: r.path for ds, r in resolved.items()})
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
    return BuildResult(spec.name, True, seconds, len(table), reason)


_MEMORY: dict[str, tuple[int, pd.DataFrame]] = {}


def load_layer(name: str, *, cache: Path | None = None, mirror: Path | None = None) -> pd.DataFrame:
    """The built layer ``name`` (a GeoDataFrame when it has geometry), building it if needed.

    Warm loads read the cached Parquet file without hashing the sources again (run
    ``anchormap data build`` to pick up changed source files); a layer built by an older
    version of its builder is rebuilt. Callers must not modify the result in place: it
    may be shared.
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
