"""``anchormap profile``: a place's profile as PDF, HTML, CSV or Excel.

::

    anchormap profile --place borough:E09000023 --format pdf --out lewisham.pdf
    anchormap profile --place borough:E09000023 --compare borough:E09000028 --edition 2019 --format csv --out p.csv
    anchormap profile --place ward:E05013915+ward:E05013916 --compare rest --format html --out wards.html

``--place`` and ``--compare`` are read by :func:`anchormap.geo.places.resolve_place`
(``borough:``, ``ward:``, ``msoa:``, ``lsoa:``, ``file:PATH``, joined with ``+``); ``--compare rest``
is the rest of the place's borough. The figures are those of the Place profile page
(:func:`anchormap.analysis.profile.place_profile`).
"""

from __future__ import annotations

from anchormap.analysis.profile import REST, place_profile
from anchormap.analysis.profile_outputs import PROFILE_FORMATS, write_profile
from anchormap.commands.options import add_place_option, place_from_args, read_network_file
from anchormap.editions import DEFAULT_EDITION, parse_edition
from anchormap.geo.place_text import PlaceError


def register(sub) -> None:
    p = sub.add_parser(
        "profile",
        help="a place's profile: population, deprivation (IMD, domains, IDACI/IDAOPI), anchors, gaps, unused land",
        description="A place's profile (the Place profile page) as a file.",
    )
    add_place_option(p, "the place profiled (required); with --network its members in the place are listed")
    p.add_argument(
        "--compare",
        metavar="PLACE",
        default=None,
        help=f"a second place side by side, or '{REST}' for the rest of the place's borough",
    )
    p.add_argument(
        "--edition",
        default=str(DEFAULT_EDITION),
        choices=("2019", "2025"),
        help=f"edition of the Indices of Deprivation (default {DEFAULT_EDITION})",
    )
    p.add_argument("--format", required=True, choices=PROFILE_FORMATS, help="pdf (A4), html, csv or xlsx")
    p.add_argument("--out", required=True, metavar="PATH")
    p.set_defaults(func=cmd_profile)


def cmd_profile(args) -> int:
    edition = parse_edition(args.edition)
    if not args.place:
        raise PlaceError("anchormap profile needs --place (e.g. --place borough:E09000023).")
    place = place_from_args(args, edition)  # a PlaceError (AnchorMapError) is a message, exit 2
    network = read_network_file(args.network) if args.network else None
    profile = place_profile(place, compare=args.compare, edition=edition, network=network)
    n = write_profile(profile, args.format, args.out)
    what = {"pdf": "pages", "html": "tables", "csv": "indicator rows", "xlsx": "indicator rows"}[args.format]
    print(f"Wrote the profile of {profile.label} ({n} {what}) to {args.out}")
    return 0
