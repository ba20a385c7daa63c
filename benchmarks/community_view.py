"""Community page costs: place search (cold name index, warm), area card, PNG and PDF export.

Run: /work/venv/bin/python benchmarks/community_view.py   (prints seconds; layers must be built)
"""

from __future__ import annotations

import time

from anchormap.analysis.area_card import card_for_place
from anchormap.data.build import load_layer
from anchormap.geo.place_search import search_place
from anchormap.maps.take_home import draw_view, export_view


def timed(label: str, fn, repeat: int = 1):
    t0 = time.perf_counter()
    for _ in range(repeat):
        out = fn()
    print(f"{label:<48} {(time.perf_counter() - t0) / repeat * 1000:8.1f} ms")
    return out


def main() -> None:
    for name in (
        "lsoa_2021",
        "lsoa_2011",
        "boroughs",
        "wards_2022",
        "wards_2025",
        "postcodes",
        "anchors",
        "land_builtin",
    ):
        load_layer(name)
    timed("first postcode search (postcode table)", lambda: search_place("SE6 4RU"))
    timed("first name search (builds the name index)", lambda: search_place("Catford South"))
    timed("postcode search, warm", lambda: search_place("se64ru"), 50)
    timed("borough search, warm", lambda: search_place("Lewisham"), 20)
    timed("near miss with suggestions, warm", lambda: search_place("Lewishm"), 20)
    timed("junk (1,000 characters)", lambda: search_place("x" * 1000), 50)
    place = search_place("SE6 4RU")
    lsoas, anchors, land = load_layer("lsoa_2021"), load_layer("anchors"), load_layer("land_builtin")
    timed(
        "area card (anchors + land within 15 min)", lambda: card_for_place(place, lsoas, anchors=anchors, land=land), 10
    )
    card = card_for_place(place, lsoas, anchors=anchors, land=land)
    fig = timed(
        "static map figure", lambda: draw_view(place, lsoas, load_layer("boroughs"), anchors=anchors, land=land), 3
    )
    png = timed("PNG at 150 dpi", lambda: export_view(fig, "png"), 3)
    pdf = timed("PDF with the card", lambda: export_view(fig, "pdf", card=card), 3)
    print(f"PNG {len(png) / 1024:.0f} KiB, PDF {len(pdf) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
