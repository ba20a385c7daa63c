"""Benchmark: cold build time and warm load time per layer (prints figures; not a test).

    python benchmarks/build_layers.py

Cold: every layer built from the mirror into an empty temporary cache.
Warm: the built layer read back from the cache by a new process-local reader, best of 5.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from anchormap.data import build
from anchormap.data.layers import LAYERS


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        print(f"{'layer':20} {'rows':>8} {'cold build s':>13} {'warm load ms':>13} {'parquet KB':>11}")
        total_cold = 0.0
        for name in LAYERS:
            t0 = time.perf_counter()
            (result,) = build.build_layers([name], cache=cache)
            cold = time.perf_counter() - t0
            total_cold += cold
            path = build.layers_dir(cache) / f"{name}.parquet"
            warm = []
            for _ in range(5):
                build._MEMORY.clear()  # measure the read from disk, not the in-process memo
                t0 = time.perf_counter()
                build.load_layer(name, cache=cache)
                warm.append(time.perf_counter() - t0)
            print(
                f"{name:20} {result.rows:>8} {cold:>13.2f} {min(warm) * 1000:>13.1f} {path.stat().st_size / 1024:>11.0f}"
            )
        t0 = time.perf_counter()
        results = build.build_layers(cache=cache)
        noop = time.perf_counter() - t0
        assert not any(r.built for r in results)
        print(f"\ncold build, all layers: {total_cold:.2f} s; second build (nothing to do): {noop:.2f} s")


if __name__ == "__main__":
    main()
