"""``anchormap data status`` and ``anchormap data build``."""

from __future__ import annotations

import sys
import time

from anchormap import (
    DataSourceError,
    build_layers,
    config,
    load_manifest,
    read_build_manifest,
    resolve,
)
from anchormap.commands.options import add_group


def register(sub) -> None:
    dsub = add_group(sub, "data", "inspect and build the data layers", dest="data_command")

    status = dsub.add_parser("status", help="where every dataset resolves from, its size, date and licence")
    status.add_argument(
        "--no-download", action="store_true", help="report missing datasets instead of downloading them"
    )
    status.set_defaults(func=cmd_status)

    build = dsub.add_parser("build", help="build the analysis-ready layers into the cache")
    build.add_argument("layers", nargs="*", metavar="LAYER", help="layers to build (default: all)")
    build.add_argument("--force", action="store_true", help="rebuild even when the sources are unchanged")
    build.set_defaults(func=cmd_build)


def _human(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def cmd_status(args) -> int:
    manifest = load_manifest()
    print(f"mirror: {config.mirror_dir() or '(none)'}")
    print(f"cache:  {config.cache_dir()}")
    missing = optional = 0
    for ds in manifest.values():
        try:  # an optional dataset (a large daily extract) is never downloaded just to report on it
            res = resolve(ds, allow_download=not args.no_download and not ds.optional)
            st = res.path.stat()
            when = time.strftime("%Y-%m-%d", time.localtime(st.st_mtime))
            print(f"{ds.id:24} {res.origin:8} {_human(st.st_size):>9}  {when}  {ds.licence:10}  {ds.edition}")
            print(f"{'':24} {res.path}")
        except DataSourceError as exc:
            if ds.optional:
                optional += 1
                print(f"{ds.id:24} optional, not supplied: {ds.title}")
                print(f"{'':24} download {ds.download_url} to {ds.path} under the mirror to use it")
                continue
            missing += 1
            print(f"{ds.id:24} MISSING   {ds.licence}")
            print(f"{'':24} {exc}")
    built = read_build_manifest()
    extra = f" ({optional} optional not supplied)" if optional else ""
    print(
        f"\n{len(manifest) - missing - optional} of {len(manifest)} datasets available{extra}; {len(built)} layers built."
    )
    return 1 if missing else 0


def cmd_build(args) -> int:
    def progress(label: str, done: int, total: int | None) -> None:
        pct = f"{done / total:.0%}" if total else _human(done)
        print(f"\r  downloading {label}: {pct}", end="", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    results = build_layers(
        args.layers or None, force=args.force, progress=progress, report=lambda msg: print(msg, flush=True)
    )
    built = [r for r in results if r.built]
    if not built:
        print(f"Nothing to rebuild: all {len(results)} layers are up to date.")
    else:
        print(f"Built {len(built)} of {len(results)} layers in {time.perf_counter() - t0:.1f} s.")
    if not args.layers:  # the map's files, so that a server's first visitor does not wait for them
        from anchormap.maps.prepared import prepare_map_files

        prepare_map_files(report=lambda msg: print(msg, flush=True))
    return 0
