"""``anchormap audit list [--since DATE] [--format text|csv]``: the store's audit trail.

Every import, replace, correction, removal, withdrawal, partner added, grant, revoke and saved
or deleted network list, oldest first: when (UTC), who, from where (the app or the command
line), what, the partner, the submission, the file (name and SHA-256) and the rows stored and
rejected. ``--format csv`` writes the same to standard output with headings in words (cells a
spreadsheet would run as formulas are neutralised). Stewards and the local user only: ``--as``
someone else is refused by the store.
"""

from __future__ import annotations

import argparse
import datetime
import sys

import pandas as pd

from anchormap.access.people import VIA_WORDS
from anchormap.commands.options import add_group, add_store_options, person_from_args, store_from_args
from anchormap.data.formulas import csv_text
from anchormap.land.store import AUDIT_COLUMNS

AUDIT_HEADINGS = {
    "at": "When (UTC)",
    "who": "Who",
    "via": "From",
    "action": "What",
    "partner": "Partner",
    "submission_id": "Submission",
    "file_name": "File",
    "file_sha256": "File SHA-256",
    "rows_stored": "Rows stored",
    "rows_rejected": "Rows rejected",
    "detail": "Details",
}
"""Audit column -> heading in words (the CSV's header row)."""


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        msg = f"{text!r} is not a date: write it as YEAR-MONTH-DAY, e.g. 2026-12-01."
        raise argparse.ArgumentTypeError(msg) from None


def register(sub) -> None:
    asub = add_group(
        sub, "audit", "the audit trail: who changed what in the store, when and from where", dest="audit_command"
    )
    ls = asub.add_parser("list", help="the audit trail, oldest first (stewards and the local user)")
    ls.add_argument(
        "--since", type=_date, default=None, metavar="DATE", help="only entries on or after DATE (YYYY-MM-DD)"
    )
    ls.add_argument(
        "--format",
        choices=("text", "csv"),
        default="text",
        help="text: one line per entry (default); csv: a table with headings in words, to standard output",
    )
    add_store_options(ls)
    ls.set_defaults(func=cmd_list)


def audit_table(audit: pd.DataFrame) -> pd.DataFrame:
    """The audit trail for people: ``via`` in words, empty cells empty, headings in words.

    Parameters
    ----------
    audit : pandas.DataFrame
        Columns :data:`anchormap.land.store.AUDIT_COLUMNS`, as :meth:`LandStore.audit` returns them.

    Returns
    -------
    pandas.DataFrame
        The same rows, columns renamed by :data:`AUDIT_HEADINGS`; ``at`` as ``2026-12-02 14:05:09``.
    """
    table = audit[AUDIT_COLUMNS].astype(object).where(audit[AUDIT_COLUMNS].notna(), "")
    table["at"] = table["at"].map(lambda v: str(v).replace("T", " ").removesuffix("+00:00"))
    table["via"] = table["via"].map(lambda v: VIA_WORDS.get(v, v))
    for col in ("submission_id", "rows_stored", "rows_rejected"):
        table[col] = table[col].map(lambda v: int(v) if v != "" else "")
    return table.rename(columns=AUDIT_HEADINGS)


def entry_line(row: pd.Series) -> str:
    """One audit entry as a line of words (a row of :func:`audit_table`)."""
    what = [f"{row['When (UTC)']} UTC: {row['Who']} ({row['From']}): {row['What']}"]
    if row["Partner"] != "":
        what.append(str(row["Partner"]))
    if row["Submission"] != "":
        what.append(f"submission {row['Submission']}")
    if row["File"] != "":
        sha = f" (SHA-256 {str(row['File SHA-256'])[:12]}…)" if row["File SHA-256"] else ""
        what.append(f"file {row['File']}{sha}")
    if row["Rows stored"] != "" or row["Rows rejected"] != "":
        what.append(f"{row['Rows stored'] or 0} row(s) stored, {row['Rows rejected'] or 0} rejected")
    line = ", ".join(what)
    detail = str(row["Details"])
    return f"{line}. {detail[:1].upper()}{detail[1:]}" if detail else line + "."


def cmd_list(args) -> int:
    store = store_from_args(args)
    by = person_from_args(args)
    since = args.since.isoformat() if args.since else None
    audit = store.audit(by=by, since=since)
    table = audit_table(audit)
    if args.format == "csv":
        table.map(csv_text).to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    after = f" since {args.since:%-d %B %Y}" if args.since else ""
    if table.empty:
        print(f"Nothing in the audit trail of {store.where}{after}.")
        return 0
    print(f"{len(table)} entr{'ies' if len(table) != 1 else 'y'} in the audit trail of {store.where}{after}:")
    for _, row in table.iterrows():
        print(entry_line(row))
    return 0
