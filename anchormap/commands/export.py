"""``anchormap export lsoa``: write an LSOA layer with every IMD column."""

from __future__ import annotations

from anchormap.commands.anchors import register_anchors
from anchormap.data.exports import export_lsoa


def register(sub) -> None:
    export = sub.add_parser("export", help="write layers to CSV or GeoJSON")
    esub = export.add_subparsers(dest="export_what", metavar="LAYER")
    esub.required = True

    lsoa = esub.add_parser("lsoa", help="LSOAs with codes, names, borough and every IMD column")
    lsoa.add_argument(
        "--edition",
        type=int,
        choices=[2019, 2025],
        default=2025,
        help="2019 (LSOA 2011) or 2025 (LSOA 2021); default 2025",
    )
    lsoa.add_argument("--format", choices=["csv", "geojson"], default="csv")
    lsoa.add_argument("--out", required=True, metavar="PATH")
    lsoa.set_defaults(func=cmd_export_lsoa)

    register_anchors(esub)


def cmd_export_lsoa(args) -> int:
    n = export_lsoa(args.edition, args.format, args.out)
    print(f"Wrote {n} LSOAs ({args.edition} edition) to {args.out}")
    return 0
