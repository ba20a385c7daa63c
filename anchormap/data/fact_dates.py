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
