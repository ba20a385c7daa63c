"""``anchormap land``: import partners' registers into the store, list, withdraw, export.

- ``anchormap land import FILE --partner NAME [--dry-run] [--map FIELD=COLUMN ...]
  [--status-map VALUE=STATUS ...] [--sheet NAME]``: validate, print the report, store the valid
  rows (no prompt). FILE is a CSV, an Excel (.xlsx, .xls) or OpenDocument (.ods) spreadsheet,
  GeoJSON, a GeoPackage (.gpkg) or a zipped shapefile (.zip); ``--sheet`` names the sheet, layer
  or shapefile that holds the register when there are several that could. ``--map`` adds to the
  columns recognised by their headers (a field or column it names is the person's choice);
  ``--status-map`` says which status a value of the file's status column means. Exit status 1
  when no row could be stored (or, with ``--dry-run``, none would be).
- ``anchormap land list``: the submissions in the store.
- ``anchormap land withdraw ID``: withdraw a submission.
- ``anchormap land export --format csv|xlsx|geojson|gpkg --out PATH [--place PLACE]``: every asset, built-in
  and stored (or those inside a place).
- ``anchormap land template --format csv|xlsx --out PATH``: the register template (Transparency
  Code headers and a notes row the importer skips).

The store is ``ANCHORMAP_STORE`` (default ``data/cache/store/land.sqlite``) or ``--store``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from anchormap import (
    ALIASES,
    DEFAULT_EDITION,
    FORMATS,
    OWNER_TYPES,
    STATUSES,
    TEMPLATE_FORMATS,
    ChoiceNeeded,
    Person,
    UploadError,
    all_assets,
    check_register_size,
    export_assets,
    open_store,
    parse_mapping,
    parse_status_map,
    read_upload,
    store_checked,
    template_bytes,
    written_text,
)
from anchormap.atomic import atomic_path
from anchormap.commands.options import add_group, add_place_option, place_from_args
from anchormap.geo.places import place_metadata, sites_in_place


def register(sub) -> None:
    lsub = add_group(
        sub, "land", "shared land and property: import registers, list, withdraw, export", dest="land_command"
    )

    imp = lsub.add_parser(
        "import",
        help="validate a register (CSV, XLSX, XLS, ODS, GeoJSON, GeoPackage, zipped shapefile) and store its valid rows",
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--partner", required=True, metavar="NAME", help="the organisation the register belongs to")
    imp.add_argument("--dry-run", action="store_true", help="only validate and print the report")
    imp.add_argument(
        "--owner-type",
        choices=OWNER_TYPES,
        help="owner type when the rows do not say (default: inferred from the owner or partner name)",
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="say which column holds a field; adds to the columns recognised by their headers (your choice wins "
        f"for the fields and columns you name); fields: {', '.join(ALIASES)}",
    )
    imp.add_argument(
        "--status-map",
        action="append",
        default=[],
        metavar="VALUE=STATUS",
        help='say which status a value of the status column means, e.g. --status-map "Mothballed=closed_building" '
        f"(repeatable); statuses: {', '.join(STATUSES)}",
    )
    imp.add_argument(
        "--sheet",
        metavar="NAME",
        help="the sheet of a workbook, layer of a GeoPackage or shapefile in a zip that holds the register "
        "(default: the one whose column names are recognised best)",
    )
    imp.add_argument("--store", metavar="PATH", help="the land store (default: $ANCHORMAP_STORE or data/cache/store)")
    imp.set_defaults(func=cmd_import)

    ls = lsub.add_parser("list", help="list the submissions in the store")
    ls.add_argument("--store", metavar="PATH")
    ls.set_defaults(func=cmd_list)

    wd = lsub.add_parser("withdraw", help="withdraw a submission (its assets stop counting)")
    wd.add_argument("id", type=int, metavar="ID")
    wd.add_argument("--store", metavar="PATH")
    wd.set_defaults(func=cmd_withdraw)

    ex = lsub.add_parser("export", help="write every asset (built-in registers and stored submissions)")
    ex.add_argument(
        "--format",
        choices=FORMATS,
        required=True,
        help="csv (with its CSVW metadata sidecar), xlsx, geojson (EPSG:4326) or gpkg (EPSG:27700, layer 'land')",
    )
    ex.add_argument("--out", required=True, metavar="PATH")
    ex.add_argument("--store", metavar="PATH")
    add_place_option(ex, "only the assets inside the place's boundary are written")
    ex.set_defaults(func=cmd_export)

    tp = lsub.add_parser("template", help="write the register template (Transparency Code headers and a notes row)")
    tp.add_argument("--format", choices=TEMPLATE_FORMATS, required=True)
    tp.add_argument("--out", required=True, metavar="PATH")
    tp.set_defaults(func=cmd_template)


def _store(args):
    return open_store(args.store) if getattr(args, "store", None) else open_store()


def format_report(report: pd.DataFrame) -> list[str]:
    """The validation report as lines: 'row 4, column "Hectares": problem -> action'."""
    lines = []
    for r in report.itertuples(index=False):
        where = "file" if pd.isna(r.row) else f"row {int(r.row)}"
        if isinstance(r.column, str):
            where += f', column "{r.column}"'
        lines.append(f"  [{r.severity}] {where}: {r.problem} -> {r.action}")
    return lines


def cmd_import(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        msg = f"{path} does not exist or is not a file."
        raise UploadError(msg)
    check_register_size(path.stat().st_size, path.name)
    try:
        result = read_upload(
            path.read_bytes(),
            path.name,
            args.partner,
            mapping=parse_mapping(args.map) or None,
            owner_type=args.owner_type,
            sheet=args.sheet,
            status_map=parse_status_map(args.status_map),
        )
    except ChoiceNeeded as question:
        print(question)
        for name in question.choices:
            print(f'  --sheet "{name}"')
        return 1
    print(result.summary())
    if result.status == "needs_mapping":
        print('Map the columns with --map FIELD=COLUMN, e.g. --map name="Property" --map postcode="PC".')
        print(f"Fields: {', '.join(ALIASES)}")
        return 1
    for line in format_report(result.report()):
        print(line)
    if result.unknown_values:
        example = next(iter(result.unknown_values))
        print(
            f'Say what the status values not understood mean with --status-map, e.g. --status-map "{example}=vacant"'
            f" (statuses: {', '.join(STATUSES)})."
        )
    if result.rows_accepted == 0:
        print("No row can be stored: nothing was stored.")
        return 1
    if args.dry_run:
        print(f"Dry run: {result.rows_accepted} row(s) would be stored; nothing was stored.")
        return 0
    store = _store(args)
    sid = store_checked(result, store, by=Person.local_user("cli"))
    print(f"Stored submission {sid}: {result.rows_accepted} asset(s) from {result.partner} in {store.where}.")
    return 0


def cmd_list(args) -> int:
    store = _store(args)
    subs = store.submissions()
    if subs.empty:
        print(f"No submissions in {store.where}.")
        return 0
    cols = ["id", "partner", "uploaded_at", "file_name", "rows_accepted", "rows_rejected", "status"]
    print(subs[cols].to_string(index=False))
    return 0


def cmd_withdraw(args) -> int:
    store = _store(args)
    store.withdraw(args.id, by=Person.local_user("cli"))
    print(f"Withdrew submission {args.id}; its assets no longer appear on the map or in exports.")
    return 0


def cmd_export(args) -> int:
    place = place_from_args(args, DEFAULT_EDITION)
    store = _store(args)
    assets = None if place is None else sites_in_place(all_assets(store), place)
    n = export_assets(args.format, args.out, assets=assets, store=store, extra_metadata=place_metadata(place))
    where = f" in {place.label}" if place is not None else ""
    print(f"Wrote {n} land and property assets{where} to {written_text(args.format, args.out)}")
    return 0


def cmd_template(args) -> int:
    with atomic_path(args.out) as tmp:
        tmp.write_bytes(template_bytes(args.format))
    print(f"Wrote the register template ({args.format}) to {args.out}")
    return 0
