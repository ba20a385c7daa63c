"""Start the app's server ready for its first visitor: ``python -m anchormap.ui.serve [streamlit options]``.

``bash dev app`` starts the app this way. Before Streamlit's server opens, :func:`prepare_server`
does in this process what the first visitor would otherwise wait for: it imports the pages' modules
(folium, the map, the place chooser, the area card...), reads the layers every page draws into
memory (:func:`anchormap.data.build.load_layer` keeps them for the whole process, and the pages'
cached loaders then find them there) and publishes the map's files
(:func:`anchormap.maps.prepared.prepare_map_files`, read back from the build cache that
``anchormap data build`` filled). ``streamlit run app.py`` still works: the first visitor then
waits for all this (``benchmarks/map_payload.py --browser`` measures both).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"
"""The app's entry point (``app.py`` beside the package)."""

PAGE_MODULES = (
    "folium",
    "folium.plugins",
    "anchormap.maps.overlay",
    "anchormap.maps.views",
    "anchormap.analysis.area_card",
    "anchormap.geo.place_search",
    "anchormap.land.filters",
    "anchormap.access.signin",
)
"""The modules the pages import first (each page imports more of the package as it needs it).
None of them is a Streamlit module: a component declared (streamlit-folium's map) or a cache
made before Streamlit's runtime exists would not be the runtime's, so ``anchormap.ui`` and
streamlit-folium are left to the first run (they are quick once these are in)."""

PAGE_LAYERS = ("anchors", "boroughs", "boroughs_display", "postcodes", "land_builtin", "river")
"""Layers the pages read on a first visit, besides each edition's LSOA and display layers."""


def prepare_server(report: Callable[[str], None] | None = None) -> float:
    """Import the pages' modules, read their layers and publish the map's files; the seconds it took.

    Parameters
    ----------
    report : callable, optional
        Called with one line saying what was prepared.

    Returns
    -------
    float
        Wall-clock seconds.
    """
    import importlib

    from anchormap.data.build import load_layer
    from anchormap.editions import EDITIONS
    from anchormap.maps.prepared import prepare_map_files

    t0 = time.perf_counter()
    for name in PAGE_MODULES:
        importlib.import_module(name)
    for edition in EDITIONS.values():
        load_layer(edition.lsoa_layer)
        load_layer(edition.display_layer)
    for name in PAGE_LAYERS:
        load_layer(name)
    prepare_map_files()
    seconds = time.perf_counter() - t0
    if report is not None:
        report(f"AnchorMap: the pages' modules, layers and map files are ready ({seconds:.1f} s)")
    return seconds


def main(argv: list[str] | None = None) -> None:
    """Prepare, then hand over to ``streamlit run app.py`` with the given Streamlit options."""
    from anchormap.errors import AnchorMapError

    try:
        prepare_server(report=lambda line: print(line, file=sys.stderr, flush=True))
    except AnchorMapError as err:  # e.g. a dataset missing from the mirror: the page will say so too
        print(f"AnchorMap: could not prepare the pages ({err}); starting anyway.", file=sys.stderr, flush=True)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
