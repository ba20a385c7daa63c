"""How old a fact is, in words people read beside it ("NHS estates return, 2016/17").

Every dataset in the manifest states when its facts describe: ``as_of`` in words and
``edition_date`` as a date (see :class:`anchormap.data.sources.Dataset`). A fact is *old*
when that date is more than :data:`OLD_AFTER_YEARS` years before today; pages, pop-ups,
tables and printed maps say so beside it.
"""

from __future__ import annotations

import datetime

from anchormap.data.sources import Dataset, load_manifest

OLD_AFTER_YEARS = 5
"""A fact whose edition date is more than this many years ago is marked as old."""
OLD_WORDS = "more than five years old"


def _today(today: datetime.date | None) -> datetime.date:
    return today or datetime.date.today()


def age_years(edition_date: datetime.date | None, today: datetime.date | None = None) -> float | None:
    """Years (365.25 days) from ``edition_date`` to ``today``; None when the date is unknown."""
    if edition_date is None:
        return None
    return (_today(today) - edition_date).days / 365.25


def is_old(edition_date: datetime.date | None, today: datetime.date | None = None) -> bool:
    """True when ``edition_date`` is more than :data:`OLD_AFTER_YEARS` years before ``today``.

    Examples
    --------
    >>> is_old(datetime.date(2017, 3, 31), today=datetime.date(2026, 12, 2))
    True
    >>> is_old(datetime.date(2025, 10, 30), today=datetime.date(2026, 12, 2))
    False
    >>> is_old(None)
    False
    """
    age = age_years(edition_date, today)
    return age is not None and age > OLD_AFTER_YEARS


def dated_words(dataset: Dataset, today: datetime.date | None = None) -> str:
    """The dataset's short name and date, marked when old.

    Examples
    --------
    >>> ds = Dataset("eric_sites", "ERIC", "NHS", "2016/17", "OGL-3.0", "NHS", "e.csv", "csv",
    ...              name="NHS estates return", as_of="2016/17",
    ...              edition_date=datetime.date(2017, 3, 31))
    >>> dated_words(ds, today=datetime.date(2026, 12, 2))
    'NHS estates return, 2016/17 (more than five years old)'
    """
    text = f"{dataset.name}, {dataset.as_of}"
    if is_old(dataset.edition_date, today):
        text += f" ({OLD_WORDS})"
    return text


def source_words(
    dataset_id: str, today: datetime.date | None = None, manifest: dict[str, Dataset] | None = None
) -> str:
    """:func:`dated_words` for a dataset id of the manifest; "" for an id it does not list
    (a partner's own upload, which carries its own date)."""
    manifest = manifest if manifest is not None else load_manifest()
    dataset = manifest.get(dataset_id)
    return dated_words(dataset, today) if dataset is not None else ""


def fact_source_words(
    dataset_id: str,
    source_date: object = None,
    today: datetime.date | None = None,
    manifest: dict[str, Dataset] | None = None,
) -> str:
    """Where one fact comes from and how old it is, for the end of a sentence people read.

    Parameters
    ----------
    dataset_id : str
        The row's ``source``: a manifest id, or ``upload:<id>`` for a partner's register.
    source_date : object, optional
        The row's own date (the land schema's ``source_date``: ISO "YYYY-MM-DD" or a year),
        used only when the manifest does not list the source; never invented.
    today : datetime.date, optional
        The day that decides what is old (default: today).
    manifest : dict of str to Dataset, optional
        Default :func:`anchormap.data.sources.load_manifest`.

    Returns
    -------
    str
        "NHS estates return, 2016/17, more than five years old"; "a partner's register,
        dated 2024-05-01" for an upload with a date; "a partner's register" without one;
        "" for an empty id.

    Examples
    --------
    >>> fact_source_words("eric_sites", today=datetime.date(2026, 12, 2))
    'NHS estates return, 2016/17, more than five years old'
    >>> fact_source_words("upload:4", "2019-05-01", today=datetime.date(2026, 12, 2))
    "a partner's register, dated 2019-05-01, more than five years old"
    >>> fact_source_words("upload:4", None)
    "a partner's register"
    """
    manifest = manifest if manifest is not None else load_manifest()
    ds = str(dataset_id or "")
    if not ds:
        return ""
    if ds in manifest:
        dataset = manifest[ds]
        text = f"{dataset.name}, {dataset.as_of}"
        return text + (f", {OLD_WORDS}" if is_old(dataset.edition_date, today) else "")
    text = "a partner's register"
    date = _date_of(source_date)
    if date is None:
        return text
    return f"{text}, dated {str(source_date).strip()}" + (f", {OLD_WORDS}" if is_old(date, today) else "")


def _date_of(value: object) -> datetime.date | None:
    """An ISO date or a year ("2019", "2016/17": its first year, at its end) as a date; None otherwise."""
    text = str(value).strip() if value is not None else ""
    if not text or text.lower() in ("nan", "none"):
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        pass
    if text[:4].isdigit():
        return datetime.date(int(text[:4]), 12, 31)
    return None
