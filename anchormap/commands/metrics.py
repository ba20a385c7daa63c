"""``anchormap metrics``: a network's shared metrics over time, kept in the store.

- ``anchormap metrics record --place PLACE --metric NAME --value V --date D [--target T] [--unit U]
  [--by NAME] [--store PATH]``: check everything (the place resolves, value and target are numbers,
  the date is YYYY-MM-DD and not in the future) and record one value; nothing is written on error.
- ``anchormap metrics list [--place PLACE] [--format table|csv] [--store PATH]``: the recorded series,
  one row per place, metric and date (the latest record for each), as a table in words or CSV.

The store is ``ANCHORMAP_STORE`` (default ``data/cache/store/land.sqlite``, the land store's file) or
``--store``.
"""

from __future__ import annotations

import sys

import pandas as pd

from anchormap import metric_series, record_metric
from anchormap.commands.options import add_group

LIST_HEADINGS = {
    "place_label": "Place",
    "metric": "Metric",
    "date": "Date",
    "value": "Value",
    "target": "Target",
    "unit": "Unit",
    "recorded_by": "Recorded by",
}
"""The columns ``metrics list`` prints as a table, with their headings in words."""


def register(sub) -> None:
    msub = add_group(sub, "metrics", "a network's shared metrics over time: record and list", dest="metrics_command")
    rec = msub.add_parser("record", help="record one value of a shared metric for a place")
    rec.add_argument(
        "--place", required=True, help="borough:E09..., ward:E05..., msoa:, lsoa:, file:PATH, joined with +"
    )
    rec.add_argument("--metric", required=True, metavar="NAME", help='the metric\'s name, e.g. "Local people hired"')
    rec.add_argument("--value", required=True, metavar="V", help="the value, a number")
    rec.add_argument(
        "--date", required=True, metavar="D", help="the day the value describes, YYYY-MM-DD (not in the future)"
    )
    rec.add_argument("--target", metavar="T", help="the target for that day, a number")
    rec.add_argument("--unit", metavar="U", help='the unit in words, e.g. "people" or "£m"')
    rec.add_argument("--by", metavar="NAME", help="who records it (default: the anchormap command line)")
    rec.add_argument("--store", metavar="PATH", help="the store (default: $ANCHORMAP_STORE or data/cache/store)")
    rec.set_defaults(func=cmd_record)

    ls = msub.add_parser("list", help="list the recorded metrics (one row per place, metric and date)")
    ls.add_argument("--place", help="only this place (default: every place)")
    ls.add_argument("--format", choices=("table", "csv"), default="table", help="table in words (default) or csv")
    ls.add_argument("--store", metavar="PATH", help="the store (default: $ANCHORMAP_STORE or data/cache/store)")
    ls.set_defaults(func=cmd_list)


def cmd_record(args) -> int:
    rec = record_metric(
        args.place,
        args.metric,
        args.value,
        args.date,
        target=args.target,
        unit=args.unit,
        recorded_by=args.by,
        store=args.store,
    )
    unit = f" {rec.unit}" if rec.unit else ""
    target = f" (target {rec.target:g}{unit})" if rec.target is not None else ""
    print(f"Recorded {rec.metric} for {rec.place_label} on {rec.date}: {rec.value:g}{unit}{target}.")
    return 0


def cmd_list(args) -> int:
    series = metric_series(args.place, store=args.store)
    if args.format == "csv":
        series.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    if series.empty:
        where = f" for {args.place}" if args.place else ""
        print(f"No metrics recorded{where} yet: add one with anchormap metrics record.")
        return 0
    table = series[list(LIST_HEADINGS)].rename(columns=LIST_HEADINGS)
    table["Target"] = table["Target"].map(lambda t: "" if pd.isna(t) else f"{t:g}")
    table["Value"] = table["Value"].map(lambda v: f"{v:g}")
    print(table.to_string(index=False))
    return 0
