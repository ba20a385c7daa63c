"""Place profile costs: a borough's profile and all London's (page computation, PDF, HTML, CSV).

Run: .venv/bin/python benchmarks/profile.py   (prints seconds; layers must be built)

"Page computation" is :func:`anchormap.analysis.profile.place_profile` with the anchors, land and
gap ranking already loaded (the page keeps them cached); the cold line includes preparing the
gap ranking's catchment index. All London is the 33 boroughs joined with ``+``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from anchormap.analysis.gaps import prepare
from anchormap.analysis.profile import place_profile
from anchormap.analysis.profile_outputs import write_profile
from anchormap.data.build import load_layer

LONDON = "+".join(f"borough:E090000{n:02d}" for n in range(1, 34))


def timed(label: str, fn, repeat: int = 1):
    t0 = time.perf_counter()
    for _ in range(repeat):
        out = fn()
    print(f"{label:<58} {(time.perf_counter() - t0) / repeat:8.2f} s")
    return out


def main() -> None:
    for name in ("lsoa_2011", "lsoa_2021", "lsoa11_lsoa21", "lsoa21_wards", "anchors", "land_builtin"):
        load_layer(name)
    anchors, land = load_layer("anchors"), load_layer("land_builtin")
    for edition in (2025, 2019):
        ctx = timed(f"{edition}: prepare the gap ranking (once per edition)", lambda e=edition: prepare(e, anchors))
        shared = {"anchors": anchors, "land": land, "gap_context": ctx}
        for label, place in (("Lewisham", "borough:E09000023"), ("all London", LONDON)):
            profile = timed(
                f"{edition}: {label}: page computation",
                lambda p=place, e=edition, s=shared: place_profile(p, edition=e, **s),
                3,
            )
            with tempfile.TemporaryDirectory() as tmp:
                for fmt in ("pdf", "html", "csv"):
                    timed(
                        f"{edition}: {label}: {fmt.upper()}",
                        lambda f=fmt, pr=profile, t=tmp: write_profile(pr, f, Path(t) / f"p.{f}"),
                    )
        timed(
            f"{edition}: Lewisham compared with Lambeth: page computation",
            lambda e=edition, s=shared: place_profile("borough:E09000023", "borough:E09000022", e, **s),
        )


if __name__ == "__main__":
    main()
