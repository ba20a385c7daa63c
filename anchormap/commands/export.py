"""``anchormap export lsoa``: write an LSOA layer with every IMD column."""

from __future__ import annotations

from anchormap import (
    FORMATS,
    export_lsoa,
    written_text,
)
from anchormap.commands.anchors import register_anchors
from anchormap.commands.options import add_edition_option, add_group


def register(sub) -> None:
    esub = add_group(
        sub, "export", "write layers to CSV, Excel, GeoJSON or GeoPackage", dest="export_what", metavar="LAYER"
    )
    lsoa = esub.add_parser("lsoa", help="LSOAs with codes, names, borough and every IMD column")
    add_edition_option(lsoa)
    lsoa.add_argument(
        "--format",
        choices=FORMATS,
        default="csv",
        help="csv (UTF-8 with its CSVW metadata sidecar NAME.csv-metadata.json), xlsx, geojson (EPSG:4326) "
        "or gpkg (EPSG:27700, layer named after the LSOA layer); default csv",
    )
    lsoa.add_argument("--out", required=True, metavar="PATH")
    lsoa.set_defaults(func=cmd_export_lsoa)
    register_anchors(esub)


def cmd_export_lsoa(args) -> int:
    n = export_lsoa(args.edition, args.format, args.out)
    print(f"Wrote {n} LSOAs ({args.edition} edition) to {written_text(args.format, args.out)}")
    return 0
