"""``anchormap land``: import partners' registers into the store, list, withdraw, export.

- ``anchormap land import FILE --partner NAME [--dry-run] [--map FIELD=COLUMN ...]
  [--status-map VALUE=STATUS ...] [--sheet NAME]``: validate, print the report, store the valid
  rows (no prompt). FILE is a CSV, an Excel (.xlsx, .xls) or OpenDocument (.ods) spreadsheet,
  GeoJSON, a GeoPackage (.gpkg) or a zipped shapefile (.zip); ``--sheet`` names the sheet, layer
  or shapefile that holds the register when there are several that could. ``--map`` adds to the
  columns recognised by their headers (a field or column it names is the person's choice);
  ``--status-map`` says which status a value of the file's status column means. Exit status 1
  when no row could be stored (or, with ``--dry-run``, none would be).
  A file identical to an active submission (same SHA-256) is refused with the store's message,
  which names that submission.
- ``anchormap land replace ID FILE [same options as import]``: check FILE as ``import`` does and put it
  in place of submission ID (same partner) in one transaction.
- ``anchormap land correct ID ASSET_ID --set FIELD=VALUE ... --reason TEXT``: change fields of one stored
  row (ASSET_ID is the register's own id, as ``land list`` and exports show it after ``upload:ID:``).
- ``anchormap land remove ID ASSET_ID --reason TEXT``: one stored row no longer counts.
- ``anchormap land list``: the submissions in the store.
- ``anchormap land withdraw ID``: withdraw a submission; says which (partner, file, date, rows) and what happened.
- ``anchormap land export --format csv|xlsx|geojson|gpkg --out PATH [--place PLACE]``: every asset, built-in
  and stored (or those inside a place).
- ``anchormap land template --format csv|xlsx --out PATH``: the register template (Transparency
  Code headers and a notes row the importer skips).

The store is ``--store PATH_OR_URL``, else ``ANCHORMAP_STORE`` (default ``data/cache/store/land.sqlite``).
Commands that change the store act as ``--as EMAIL`` (or ``ANCHORMAP_USER``), with that person's role
from the store's list of members, or else as the local user, who may make every change (whoever can
run the command holds the store's credentials). A refusal is one line and exit status 2; nothing is written.
"""

from __future__ import annotations

import argparse
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
    UploadError,
    all_assets,
    check_register_size,
    export_assets,
    parse_mapping,
    parse_status_map,
    read_upload,
    store_checked,
    template_bytes,
    written_text,
)
from anchormap.atomic import atomic_path
from anchormap.commands.options import (
    add_group,
    add_place_option,
    add_store_options,
    person_from_args,
    place_from_args,
    store_from_args,
)
from anchormap.geo.places import place_metadata, sites_in_place
from anchormap.land.schema import LAND_COLUMNS
from anchormap.land.store import DuplicateSubmission


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
    add_register_options(imp)
    add_store_options(imp)
    imp.set_defaults(func=cmd_import)

    rep = lsub.add_parser(
        "replace",
        help="check a new version of a submission's register and put it in the submission's place (one transaction)",
    )
    rep.add_argument("id", type=int, metavar="ID", help="the submission to replace (anchormap land list)")
    rep.add_argument("file", metavar="FILE", help="the new version of the register (same formats as import)")
    rep.add_argument("--dry-run", action="store_true", help="only validate and print the report")
    add_register_options(rep)
    add_store_options(rep)
    rep.set_defaults(func=cmd_replace)

    cor = lsub.add_parser("correct", help="change fields of one stored row, with a reason (audited)")
    cor.add_argument("id", type=int, metavar="ID", help="the submission")
    cor.add_argument("asset_id", metavar="ASSET_ID", help="the register's own id of the row (e.g. LBL-0002)")
    cor.add_argument(
        "--set",
        dest="changes",
        action="append",
        required=True,
        type=_field_value,
        metavar="FIELD=VALUE",
        help=f"the new value of a field (repeatable), e.g. --set status=vacant; fields: {', '.join(EDITABLE_FIELDS)}",
    )
    cor.add_argument("--reason", required=True, metavar="TEXT", help="why (kept in the audit trail)")
    add_store_options(cor)
    cor.set_defaults(func=cmd_correct)

    rm = lsub.add_parser("remove", help="take one stored row out of a submission, with a reason (audited)")
    rm.add_argument("id", type=int, metavar="ID", help="the submission")
    rm.add_argument("asset_id", metavar="ASSET_ID", help="the register's own id of the row")
    rm.add_argument("--reason", required=True, metavar="TEXT", help="why (kept in the audit trail)")
    add_store_options(rm)
    rm.set_defaults(func=cmd_remove)

    ls = lsub.add_parser("list", help="list the submissions in the store")
    add_store_options(ls, acting=False)
    ls.set_defaults(func=cmd_list)

    wd = lsub.add_parser("withdraw", help="withdraw a submission (its assets stop counting)")
    wd.add_argument("id", type=int, metavar="ID")
    add_store_options(wd)
    wd.set_defaults(func=cmd_withdraw)

    ex = lsub.add_parser("export", help="write every asset (built-in registers and stored submissions)")
    ex.add_argument(
        "--format",
        choices=FORMATS,
        required=True,
        help="csv (with its CSVW metadata sidecar), xlsx, geojson (EPSG:4326) or gpkg (EPSG:27700, layer 'land')",
    )
    ex.add_argument("--out", required=True, metavar="PATH")
    add_store_options(ex, acting=False)
    add_place_option(ex, "only the assets inside the place's boundary are written")
    ex.set_defaults(func=cmd_export)

    tp = lsub.add_parser("template", help="write the register template (Transparency Code headers and a notes row)")
    tp.add_argument("--format", choices=TEMPLATE_FORMATS, required=True)
    tp.add_argument("--out", required=True, metavar="PATH")
    tp.set_defaults(func=cmd_template)


EDITABLE_FIELDS = tuple(
    c
    for c in LAND_COLUMNS
    if c not in ("asset_id", "source", "partner", "lat", "lon", "borough_code", "on_map", "not_on_map_reason")
)
"""Fields ``land correct --set`` may change (the store checks the values as an upload's would be)."""


def add_register_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``import`` and ``replace`` that say how to read the register."""
    parser.add_argument(
        "--owner-type",
        choices=OWNER_TYPES,
        help="owner type when the rows do not say (default: inferred from the owner or partner name)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="say which column holds a field; adds to the columns recognised by their headers (your choice wins "
        f"for the fields and columns you name); fields: {', '.join(ALIASES)}",
    )
    parser.add_argument(
        "--status-map",
        action="append",
        default=[],
        metavar="VALUE=STATUS",
        help='say which status a value of the status column means, e.g. --status-map "Mothballed=closed_building" '
        f"(repeatable); statuses: {', '.join(STATUSES)}",
    )
    parser.add_argument(
        "--sheet",
        metavar="NAME",
        help="the sheet of a workbook, layer of a GeoPackage or shapefile in a zip that holds the register "
        "(default: the one whose column names are recognised best)",
    )


def _field_value(text: str) -> tuple[str, str]:
    field, sep, value = text.partition("=")
    field = field.strip()
    if not sep or not field:
        msg = f"{text!r} should be FIELD=VALUE, e.g. status=vacant."
        raise argparse.ArgumentTypeError(msg)
    if field not in EDITABLE_FIELDS:
        msg = f"{field!r} is not a field that can be corrected; fields: {', '.join(EDITABLE_FIELDS)}."
        raise argparse.ArgumentTypeError(msg)
    return field, value.strip()


def format_report(report: pd.DataFrame) -> list[str]:
    """The validation report as lines: 'row 4, column "Hectares": problem -> action'."""
    lines = []
    for r in report.itertuples(index=False):
        where = "file" if pd.isna(r.row) else f"row {int(r.row)}"
        if isinstance(r.column, str):
            where += f', column "{r.column}"'
        lines.append(f"  [{r.severity}] {where}: {r.problem} -> {r.action}")
    return lines


def _check_file(args, partner: str):
    """Read and check ``args.file`` for ``partner``, printing the report; the result, or an exit status."""
    path = Path(args.file)
    if not path.is_file():
        msg = f"{path} does not exist or is not a file."
        raise UploadError(msg)
    check_register_size(path.stat().st_size, path.name)
    try:
        result = read_upload(
            path.read_bytes(),
            path.name,
            partner,
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
    return result


def cmd_import(args) -> int:
    result = _check_file(args, args.partner)
    if isinstance(result, int):
        return result
    store = store_from_args(args)
    try:
        sid = store_checked(result, store, by=person_from_args(args))
    except DuplicateSubmission as dup:
        msg = f"{dup} On the command line: anchormap land replace {dup.existing.id} FILE"
        raise DuplicateSubmission(msg, dup.existing) from None
    print(f"Stored submission {sid}: {result.rows_accepted} asset(s) from {result.partner} in {store.where}.")
    return 0


def cmd_replace(args) -> int:
    store = store_from_args(args)
    old = store.submission(args.id)
    print(f"Replacing submission {old.id}: {old.words}.")
    result = _check_file(args, old.partner)
    if isinstance(result, int):
        return result
    new_id = store.replace_submission(
        old.id,
        file_name=result.file_name,
        assets=result.assets,
        rows_rejected=result.rows_rejected,
        by=person_from_args(args),
        report=result.report(),
        register_kind=result.register_kind,
        file_sha256=result.sha256,
    )
    print(
        f"Replaced submission {old.id} with submission {new_id}: {result.rows_accepted} asset(s) from "
        f"{result.file_name} now count for {old.partner}; the {old.rows_accepted} of {old.file_name} no longer do."
    )
    return 0


def cmd_correct(args) -> int:
    store = store_from_args(args)
    changes = dict(args.changes)
    store.correct_asset(args.id, args.asset_id, changes, args.reason, by=person_from_args(args))
    said = ", ".join(f"{k} to {v!r}" for k, v in changes.items())
    print(f"Corrected row {args.asset_id} of submission {args.id}: set {said} (reason: {args.reason}).")
    return 0


def cmd_remove(args) -> int:
    store = store_from_args(args)
    store.remove_asset(args.id, args.asset_id, args.reason, by=person_from_args(args))
    print(
        f"Removed row {args.asset_id} from submission {args.id} (reason: {args.reason}): "
        "it no longer appears on the map or in exports."
    )
    return 0


def cmd_list(args) -> int:
    store = store_from_args(args)
    subs = store.submissions()
    if subs.empty:
        print(f"No submissions in {store.where}.")
        return 0
    cols = ["id", "partner", "uploaded_at", "file_name", "rows_accepted", "rows_rejected", "status"]
    print(subs[cols].to_string(index=False))
    return 0


def cmd_withdraw(args) -> int:
    store = store_from_args(args)
    info = store.withdraw(args.id, by=person_from_args(args))
    n = info.rows_accepted
    print(
        f"Withdrew submission {info.id}: {info.words}. Its {n:,} asset{'s' if n != 1 else ''} no longer "
        "appear on the map or in exports (the rows stay in the store, and the audit trail records it)."
    )
    return 0


def cmd_export(args) -> int:
    place = place_from_args(args, DEFAULT_EDITION)
    store = store_from_args(args)
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
