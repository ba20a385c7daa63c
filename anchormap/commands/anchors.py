"""``anchormap anchors report`` and ``anchormap export anchors`` (also ``anchormap anchors export``).

``register`` adds the ``anchors`` command family; ``register_anchors`` adds the ``anchors``
sub-command to ``anchormap export`` (called from :mod:`anchormap.commands.export`).
"""

from __future__ import annotations

from pathlib import Path

from anchormap import (
    DEFAULT_EDITION,
    FORMATS,
    anchors_report,
    attribution_lines,
    load_layer,
    parse_categories,
    select_anchors,
    write_table,
    written_text,
)
from anchormap.commands.options import add_group, add_place_option, place_from_args
from anchormap.geo.places import Place, place_metadata, sites_in_place


def register(sub) -> None:
    asub = add_group(sub, "anchors", "the anchors layer: build report, export", dest="anchors_command")
    report = asub.add_parser(
        "report",
        help="rows read, kept and dropped per source; sites per category; sites more than 1 km from their "
        "postcode (position check) and hospitals whose sector differs from the file's Sector field",
    )
    report.set_defaults(func=cmd_anchors_report)
    _export_options(asub.add_parser("export", help="anchor sites, as anchormap export anchors"))


def register_anchors(esub) -> None:
    """Add ``anchors`` to the ``anchormap export`` sub-commands."""
    _export_options(esub.add_parser("anchors", help="anchor sites (open only unless --include-closed)"))


def _export_options(exp) -> None:
    """The options of ``anchormap export anchors`` (also ``anchormap anchors export``)."""
    exp.add_argument(
        "--format",
        choices=FORMATS,
        default="csv",
        help="csv (with its CSVW metadata sidecar), xlsx, geojson (EPSG:4326) or gpkg (EPSG:27700, "
        "layer 'anchors'); default csv",
    )
    exp.add_argument("--out", required=True, metavar="PATH")
    exp.add_argument(
        "--categories",
        metavar="CAT,CAT",
        default=None,
        help="comma-separated category keys (default: all), e.g. health,libraries",
    )
    exp.add_argument("--include-closed", action="store_true", help="also write closed sites")
    add_place_option(exp, "only the sites inside the place's boundary are written")
    exp.set_defaults(func=cmd_export_anchors)


def export_anchors(
    fmt: str,
    out: str | Path,
    categories: str | list[str] | None = None,
    include_closed: bool = False,
    place: Place | None = None,
) -> int:
    """Write the anchors layer (optionally some categories, closed sites too). Returns rows written.

    The file carries the attribution of every dataset it contains (in a CSV's CSVW sidecar, a
    workbook's "About" sheet, a GeoPackage layer's metadata or the GeoJSON ``anchormap`` member),
    as their licences require. Formats: see :func:`anchormap.data.exports.write_table`. With a
    ``place`` only the sites inside its boundary (EPSG:27700) are written, and the file names it.
    """
    keys = parse_categories(categories)
    rows = sites_in_place(select_anchors(load_layer("anchors"), keys, include_closed=include_closed), place)
    sources = sorted(set(rows["source"]))
    metadata = {
        "title": "AnchorMap anchor institutions' sites",
        "layer": "anchors",
        "categories": ",".join(keys),
        "include_closed": str(include_closed).lower(),
        "crs": "EPSG:27700 easting/northing; EPSG:4326 lat/lon",
        **place_metadata(place),
        "attribution": attribution_lines(sources, with_editions=True),
    }
    return write_table(rows, fmt, out, metadata=metadata, layer="anchors", datasets=sources)


def cmd_export_anchors(args) -> int:
    place = place_from_args(args, DEFAULT_EDITION)
    n = export_anchors(args.format, args.out, args.categories, args.include_closed, place)
    where = f" in {place.label}" if place is not None else ""
    print(f"Wrote {n} anchor sites{where} to {written_text(args.format, args.out)}")
    return 0


def cmd_anchors_report(args) -> int:
    print(anchors_report().text())
    return 0
