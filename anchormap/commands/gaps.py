"""``anchormap gaps``: the need-vs-scarcity ranking of LSOAs, written to CSV, Excel, GeoJSON or GeoPackage."""

from __future__ import annotations

import argparse

from anchormap import (
    CATEGORIES,
    DECAYS,
    DEFAULT_CATEGORIES,
    DEFAULT_DECILES,
    DEFAULT_WITHIN_M,
    DETOUR_FACTOR,
    FORMATS,
    MEASURES,
    WALK_KMH,
    AnchorMapError,
    GapParams,
    explain,
    export_gaps,
    load_layer,
    parse_categories,
    prepare,
    rank_gaps,
    written_text,
)
from anchormap.analysis.gap_tables import narrow_to_place
from anchormap.analysis.river import DEFAULT_WALKING, WALKING_MODELS
from anchormap.commands.options import add_edition_option, add_place_option, place_from_args
from anchormap.geo.places import place_metadata


def register(sub) -> None:
    p = sub.add_parser(
        "gaps",
        help="rank deprived LSOAs with few anchors nearby (CSV, Excel, GeoJSON or GeoPackage)",
        description="Rank neighbourhoods (LSOAs) in the chosen deprivation deciles by gap score = need x "
        "scarcity: need from the LSOA's national rank on the measure, scarcity = 1 / (1 + anchors "
        "in the catchment). Distances are in British National Grid metres from a "
        "point inside each LSOA, straight lines on each side of the Thames (see --walking). The parameters and the formula are written with the file (a CSV's go into its CSVW "
        "sidecar NAME.csv-metadata.json, a workbook's into its About sheet).",
    )
    add_edition_option(p, "IoD edition: ")
    add_place_option(
        p,
        "only the place's LSOAs are ranked (numbered 1, 2, ... among them; their scores are those of the "
        "London-wide ranking), but every anchor whose catchment reaches them is counted, inside the place "
        "or not: an anchor just outside still serves it",
    )
    p.add_argument(
        "--measure",
        choices=list(MEASURES),
        default="imd",
        help="deprivation measure for need (idaci and idaopi: 2019 only); default imd",
    )
    p.add_argument(
        "--deciles",
        default=",".join(map(str, DEFAULT_DECILES)),
        metavar="D,D",
        help="deciles considered, e.g. 1,2 or 1-3 (1 = most deprived 10%% in England); "
        f"default {','.join(map(str, DEFAULT_DECILES))}",
    )
    size = p.add_mutually_exclusive_group()
    size.add_argument(
        "--within",
        type=float,
        metavar="METRES",
        help=f"catchment radius in metres, measured with --walking (default {DEFAULT_WITHIN_M:,.0f})",
    )
    size.add_argument(
        "--walk-minutes",
        type=float,
        metavar="N",
        help=f"catchment as minutes of walking (straight line x {DETOUR_FACTOR} detour at "
        f"{WALK_KMH} km/h unless --detour/--walk-kmh say otherwise)",
    )
    p.add_argument(
        "--detour",
        type=float,
        default=DETOUR_FACTOR,
        help=f"detour factor for --walk-minutes (default {DETOUR_FACTOR})",
    )
    p.add_argument(
        "--walking",
        choices=list(WALKING_MODELS),
        default=DEFAULT_WALKING,
        help="how distances are measured: river (default) = straight lines on each side of the Thames, a walk "
        "to the other bank going by the crossing open on foot that makes it shortest; straight = straight "
        "lines, ignoring the river; streets = shortest paths on the central-London OpenStreetMap street "
        "network where it covers both ends (street length / --detour), river elsewhere",
    )
    p.add_argument(
        "--walk-kmh", type=float, default=WALK_KMH, help=f"walking speed for --walk-minutes (default {WALK_KMH})"
    )
    p.add_argument(
        "--categories",
        metavar="CAT,CAT",
        help=f"anchor categories counted, or 'all' (default: {','.join(DEFAULT_CATEGORIES)}); "
        f"known: {', '.join(CATEGORIES)}",
    )
    p.add_argument(
        "--scarcity",
        choices=["count", "access"],
        default="count",
        help="count: 1/(1+anchors in catchment) (default); access: 1/(1+E2SFCA access/London average)",
    )
    p.add_argument(
        "--decay",
        choices=list(DECAYS),
        default="gaussian",
        help="distance decay for --scarcity access: gaussian (smooth, default) or step "
        "(1, 0.68, 0.22 in the inner, middle and outer thirds of the catchment)",
    )
    p.add_argument(
        "--weights",
        metavar="CAT=W,CAT=W",
        help="supply weight of each category for --scarcity access, e.g. health=2,libraries=0.5 (default 1 each)",
    )
    p.add_argument("--top", type=int, metavar="N", help="keep the N biggest gaps (default: every LSOA in the deciles)")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="csv",
        help="csv (with its CSVW metadata sidecar), xlsx, geojson (EPSG:4326) or gpkg (EPSG:27700, layer 'gaps'); "
        "default csv",
    )
    p.add_argument("--out", required=True, metavar="PATH")
    p.set_defaults(func=cmd_gaps)


def _categories(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return DEFAULT_CATEGORIES
    if text.strip().lower() == "all":
        return None
    return tuple(text.split(","))  # checked by GapParams


def parse_weights(text: str | None) -> dict[str, float]:
    """``"health=2,libraries=0.5"`` -> ``{"health": 2.0, "libraries": 0.5}`` (names and numbers checked)."""
    out: dict[str, float] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        try:
            weight = float(value) if sep else float("nan")
        except ValueError:
            weight = float("nan")
        if not sep or weight != weight or weight < 0 or weight == float("inf"):
            msg = f"--weights: '{part.strip()}' should be CATEGORY=WEIGHT with a weight of 0 or more, e.g. health=2."
            raise AnchorMapError(msg)
        out[parse_categories(key.strip())[0]] = weight
    return out


def cmd_gaps(args: argparse.Namespace) -> int:
    params = GapParams(
        edition=args.edition,
        measure=args.measure,
        deciles=args.deciles,  # "1,2" or "1-3": parsed by GapParams
        categories=_categories(args.categories),
        within_m=args.within,
        walk_minutes=args.walk_minutes,
        detour=args.detour,
        walk_kmh=args.walk_kmh,
        scarcity=args.scarcity,
        decay=args.decay,
        weights=parse_weights(args.weights),
        walking=args.walking,
    )
    if params.scarcity != "access" and (args.weights or args.decay != "gaussian"):
        msg = "--weights and --decay apply to --scarcity access only."
        raise AnchorMapError(msg)
    if args.top is not None and args.top < 1:
        msg = f"--top must be 1 or more (got {args.top})."
        raise AnchorMapError(msg)
    place = place_from_args(args, params.edition)
    ctx = prepare(
        params.edition,
        load_layer("anchors"),
        "the anchors layer",
        max_radius_m=max(params.radius_m, 5000.0),
        walking=params.walking,
        detour=params.detour,
    )
    table = rank_gaps(ctx, params)
    if place is not None:
        table = narrow_to_place(table, place.lsoa_codes)
    if args.top is not None:
        table = table.head(args.top)
    n = export_gaps(table, params, args.format, args.out, extra_metadata=place_metadata(place))
    where = f" in {place.label}" if place is not None else ""
    print(f"Wrote {n} LSOAs{where} to {written_text(args.format, args.out)}. {explain(params)}")
    return 0
