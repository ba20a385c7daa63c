"""Changing the shared register as a person: store, replace, withdraw, correct, and the audit trail in words.

What the Shared land page (and any other caller) needs around the store's writes
(:class:`anchormap.land.store.LandStore`), which check the acting person's role themselves:

- :func:`changeable` — the active submissions a person may change (members: their partner's);
- :func:`store_checked_as` / :func:`replace_with_checked` — a checked file stored, or swapped
  for an existing submission, as the acting person;
- :func:`stored_words`, :func:`withdrawn_words`, :func:`withdraw_question` — what happened, in words;
- :func:`stored_rows`, :data:`CORRECTABLE_FIELDS` — one stored row chosen by name, and the fields
  a person may correct;
- :func:`audit_table`, :func:`audit_csv` — the audit trail with headings and dates in words.
"""

from __future__ import annotations

import pandas as pd

from anchormap.access.people import VIA_WORDS, Access, Person
from anchormap.data.formulas import csv_safe
from anchormap.land.filters import OWNER_TYPE_LABELS, STATUS_LABELS
from anchormap.land.ingest import FIELD_LABELS
from anchormap.land.store import AUDIT_COLUMNS, LandStore, SubmissionInfo
from anchormap.land.store_sql import CORRECTABLE
from anchormap.words import date_words

CORRECTABLE_FIELDS = CORRECTABLE
"""Land-schema fields of a stored row a person may correct (the id, partner and derived fields are not)."""

FIELD_VALUE_WORDS = {"status": STATUS_LABELS, "owner_type": OWNER_TYPE_LABELS}
"""Fields whose new value is chosen from a list: the stored value -> its words."""

AUDIT_HEADINGS = {
    "at": "When (UTC)",
    "who": "Who",
    "via": "From",
    "action": "What",
    "partner": "Partner",
    "file_name": "File",
    "file_sha256": "File checksum (SHA-256)",
    "rows_stored": "Rows stored",
    "rows_rejected": "Rows rejected",
    "detail": "Details",
}
"""The audit trail's columns as the page shows them (the submission number is in the details' words)."""


SUBMISSION_WORDS = ("Partner", "File", "Stored (UTC)", "Rows stored", "Rows rejected", "Status", "Stored by", "Number")
"""The columns of :func:`submissions_in_words`."""


def submissions_in_words(subs: pd.DataFrame) -> pd.DataFrame:
    """The store's submissions (:meth:`LandStore.submissions`) as the page lists them: dates, status and rows in words.

    The number (for the command line: ``anchormap land withdraw N``) comes last.

    >>> t = pd.DataFrame([{"id": 2, "partner": "Lewisham", "file_name": "a.csv", "uploaded_at": "2026-12-02T10:05:09+00:00",
    ...   "rows_accepted": 1200, "rows_rejected": 3, "status": "withdrawn", "withdrawn_at": "2026-12-03T09:00:00+00:00",
    ...   "replaced_by": 5, "uploaded_by": "jo@x"}])
    >>> row = submissions_in_words(t).iloc[0]
    >>> row["Stored (UTC)"], row["Rows stored"], row["Status"]
    ('2 December 2026 10:05', '1,200', 'replaced by a new version on 3 December 2026')
    """
    rows = []
    for info in map(info_from_row, subs.to_dict("records")):
        if info.status == "active":
            status = "active"
        elif info.replaced_by is not None:
            status = f"replaced by a new version on {date_words((info.withdrawn_at or '')[:10])}".strip()
        else:
            status = f"withdrawn on {date_words((info.withdrawn_at or '')[:10])}".strip()
        rows.append(
            (
                info.partner,
                info.file_name,
                _when(info.uploaded_at),
                f"{info.rows_accepted:,}",
                f"{info.rows_rejected:,}",
                status,
                info.uploaded_by,
                str(info.id),
            )
        )
    return pd.DataFrame(rows, columns=list(SUBMISSION_WORDS))


def field_label(field: str) -> str:
    """A land-schema field in words.

    >>> field_label("floor_area_m2"), field_label("easting")
    ('Floor area (m²)', 'Easting (BNG)')
    """
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def info_from_row(row: dict) -> SubmissionInfo:
    """A :class:`SubmissionInfo` from one row of :meth:`LandStore.submissions`."""

    def text(key: str) -> str:
        value = row.get(key)
        return "" if value is None or (isinstance(value, float) and value != value) else str(value)

    replaced = row.get("replaced_by")
    return SubmissionInfo(
        id=int(row["id"]),
        partner=text("partner"),
        file_name=text("file_name"),
        uploaded_at=text("uploaded_at"),
        rows_accepted=int(row.get("rows_accepted") or 0),
        rows_rejected=int(row.get("rows_rejected") or 0),
        status=text("status"),
        file_sha256=text("file_sha256"),
        withdrawn_at=text("withdrawn_at") or None,
        replaced_by=None if replaced is None or pd.isna(replaced) else int(replaced),
        uploaded_by=text("uploaded_by"),
    )


def changeable(store: LandStore, access: Access) -> list[SubmissionInfo]:
    """The active submissions ``access`` may change (withdraw, replace, correct), newest first.

    Parameters
    ----------
    store : LandStore
    access : Access
        Members get their own partner's; stewards and the local user every partner's; viewers none.

    Returns
    -------
    list of SubmissionInfo
    """
    if not access.may_write:
        return []
    subs = store.submissions()
    rows = subs[subs["status"] == "active"].to_dict("records")
    return [info for info in map(info_from_row, rows) if access.may_write_for(info.partner)]


def store_checked_as(check, store: LandStore, by: Person) -> SubmissionInfo:
    """Store the valid rows of a checked register (:func:`anchormap.land.submissions.check_register`) as ``by``.

    Returns
    -------
    SubmissionInfo
        The submission stored.

    Raises
    ------
    anchormap.land.store.DuplicateSubmission
        The same file is an active submission already (its message points to it).
    anchormap.access.people.PermissionRefused
        ``by`` may not add for the check's partner. Nothing is stored on any error.
    """
    sid = store.add_submission(
        partner=check.partner,
        file_name=check.file_name,
        assets=check.assets,
        rows_rejected=check.rows_rejected,
        by=by,
        report=check.report(),
        register_kind=check.register_kind,
        file_sha256=check.sha256,
    )
    return store.submission(sid)


def replace_with_checked(check, store: LandStore, submission_id: int, by: Person) -> SubmissionInfo:
    """Swap active ``submission_id`` for the checked file's valid rows in one transaction, as ``by``.

    Returns
    -------
    SubmissionInfo
        The new version (the old one is withdrawn, replaced by it).
    """
    sid = store.replace_submission(
        submission_id,
        file_name=check.file_name,
        assets=check.assets,
        rows_rejected=check.rows_rejected,
        by=by,
        report=check.report(),
        register_kind=check.register_kind,
        file_sha256=check.sha256,
    )
    return store.submission(sid)


def _assets_words(n: int) -> str:
    return f"{n:,} asset{'s' if n != 1 else ''}"


def stored_words(info: SubmissionInfo, replaced: SubmissionInfo | None = None) -> str:
    """What storing did, in words.

    >>> i = SubmissionInfo(4, "Lewisham Council", "assets.csv", "2026-12-02T10:00:00+00:00", 12, 1, "active")
    >>> stored_words(i)
    "Stored: Lewisham Council's assets.csv, stored 2 December 2026, 12 rows. Its 12 assets are now on the map and in the tables."
    """
    head = f"Stored: {info.words}."
    if replaced is not None:
        head = f"Replaced {replaced.words} with {info.words}."
    return f"{head} Its {_assets_words(info.rows_accepted)} are now on the map and in the tables."


def withdraw_question(info: SubmissionInfo) -> str:
    """The confirmation asked before withdrawing, naming the submission.

    >>> i = SubmissionInfo(4, "Lewisham Council", "assets.csv", "2026-12-02T10:00:00+00:00", 12, 1, "active")
    >>> withdraw_question(i)
    "Withdraw Lewisham Council's assets.csv, stored 2 December 2026, 12 rows? Its 12 assets will no longer appear on the map, in the tables or in downloads. The audit trail keeps a record of it."
    """
    return (
        f"Withdraw {info.words}? Its {_assets_words(info.rows_accepted)} will no longer appear on the map, "
        "in the tables or in downloads. The audit trail keeps a record of it."
    )


def withdrawn_words(info: SubmissionInfo) -> str:
    """What withdrawing did, in words.

    >>> i = SubmissionInfo(4, "Lewisham Council", "assets.csv", "2026-12-02T10:00:00+00:00", 12, 1, "withdrawn")
    >>> withdrawn_words(i)
    "Withdrawn: Lewisham Council's assets.csv, stored 2 December 2026, 12 rows. Its 12 assets no longer appear on the map, in the tables or in downloads."
    """
    return (
        f"Withdrawn: {info.words}. Its {_assets_words(info.rows_accepted)} no longer appear on the map, "
        "in the tables or in downloads."
    )


def stored_rows(store: LandStore, submission_id: int) -> list[tuple[str, str]]:
    """The rows still counted of one submission, to choose one by name: (register's own asset id, words).

    Parameters
    ----------
    store : LandStore
    submission_id : int

    Returns
    -------
    list of (str, str)
        The asset id as the register gives it (without the store's ``upload:N:`` prefix) and
        "Name, postcode (row 7)", by name.
    """
    assets = store.assets()
    mine = assets[assets["submission_id"].astype("Int64") == int(submission_id)]
    prefix = f"upload:{int(submission_id)}:"
    out = []
    for row in mine.to_dict("records"):
        aid = str(row["asset_id"])
        aid = aid[len(prefix) :] if aid.startswith(prefix) else aid
        bits = [str(row.get(c)) for c in ("name", "postcode") if isinstance(row.get(c), str) and row.get(c)]
        words = ", ".join(bits) or f"asset {aid}"
        rn = row.get("row_number")
        if rn is not None and not pd.isna(rn):
            words += f" (row {int(rn)})"
        out.append((aid, words))
    return sorted(out, key=lambda p: p[1].casefold())


def audit_table(audit: pd.DataFrame) -> pd.DataFrame:
    """The audit trail (:meth:`LandStore.audit`) with headings in words, dates and times readable, newest first.

    >>> t = pd.DataFrame([{"at": "2026-12-02T10:05:00+00:00", "who": "jo@x", "via": "page", "action": "import",
    ...   "partner": "Lewisham", "submission_id": 3, "file_name": "a.csv", "file_sha256": "ab", "rows_stored": 5,
    ...   "rows_rejected": 0, "detail": "stored"}])
    >>> audit_table(t).iloc[0].to_dict()["When (UTC)"], audit_table(t).iloc[0].to_dict()["From"]
    ('2 December 2026 10:05', 'the app')
    """
    out = pd.DataFrame({label: audit[col] if col in audit else "" for col, label in AUDIT_HEADINGS.items()})
    out[AUDIT_HEADINGS["at"]] = [_when(v) for v in audit["at"]] if "at" in audit else []
    out[AUDIT_HEADINGS["via"]] = [VIA_WORDS.get(str(v), str(v)) for v in audit.get("via", [])]
    for col in ("rows_stored", "rows_rejected"):
        label = AUDIT_HEADINGS[col]
        out[label] = ["" if v is None or pd.isna(v) else f"{int(v):,}" for v in out[label]]
    out = out.fillna("").astype(str).replace({"None": "", "nan": ""})
    return out.iloc[::-1].reset_index(drop=True)


def _when(value: object) -> str:
    text = "" if value is None else str(value)
    day = date_words(text[:10])
    return f"{day} {text[11:16]}".strip() if len(text) >= 16 else day


def audit_csv(audit: pd.DataFrame) -> bytes:
    """The audit trail as CSV (UTF-8, one row per entry, oldest first, the store's own columns and ISO times).

    Text a spreadsheet would run as a formula (a file named ``=HYPERLINK(...)``) is kept text
    (:func:`anchormap.data.formulas.csv_safe`).
    """
    cols = [c for c in AUDIT_COLUMNS if c in audit.columns]
    return csv_safe(audit[cols]).to_csv(index=False).encode("utf-8")
