"""``anchormap export lsoa``: write an LSOA layer with every IMD column."""

from __future__ import annotations

from anchormap import (
    FORMATS,
    export_lsoa,
    written_text,
)
from anchormap.commands.anchors import register_anchors
from anchormap.commands.options import add_edition_option, add_group, add_place_option, place_from_args
from anchormap.geo.places import place_metadata


def register(sub) -> None:
    esub = add_group(
        sub, "export", "write layers to CSV, Excel, GeoJSON or GeoPackage", dest="export_what", metavar="LAYER"
    )
    lsoa = esub.add_parser("lsoa", help="LSOAs with codes, names, borough and every IMD column")
    add_edition_option(lsoa)
    add_place_option(lsoa, "only the place's LSOAs are written")
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
    register_change(esub)


def cmd_export_lsoa(args) -> int:
    place = place_from_args(args, args.edition)
    codes = None if place is None else place.lsoa_codes
    n = export_lsoa(args.edition, args.format, args.out, lsoa_codes=codes, extra_metadata=place_metadata(place))
    where = f" in {place.label}" if place is not None else ""
    print(f"Wrote {n} LSOAs{where} ({args.edition} edition) to {written_text(args.format, args.out)}")
    return 0


# ---- export change: the 2019 -> 2025 change table (anchormap.analysis.change)
def register_change(esub) -> None:
    """Add ``anchormap export change --format csv|geojson --out PATH [--measure KEY]``."""
    from anchormap import CHANGE_FORMATS, change_measures

    change = esub.add_parser(
        "change",
        help="how each London LSOA 2021 moved in England's ranking between IoD2019 and IoD2025 (one row each)",
    )
    change.add_argument(
        "--format",
        choices=CHANGE_FORMATS,
        default="csv",
        help="csv (with its CSVW metadata sidecar NAME.csv-metadata.json) or geojson (EPSG:4326, LSOA 2021 "
        "polygons); default csv",
    )
    change.add_argument("--out", required=True, metavar="PATH")
    change.add_argument(
        "--measure",
        choices=change_measures(),
        default="imd",
        help="the IMD or a domain published in both editions; default imd",
    )
    change.add_argument(
        "--place", help="only this place's LSOAs of 2021 (borough:E09..., ward:E05..., joined with +); default London"
    )
    change.set_defaults(func=cmd_export_change)


def cmd_export_change(args) -> int:
    from anchormap import CHANGE_WARNING, export_change

    n = export_change(args.format, args.out, args.measure, args.place)
    print(f"Wrote {n} LSOAs (change from the 2019 to the 2025 edition) to {written_text(args.format, args.out)}")
    print(CHANGE_WARNING)
    return 0
