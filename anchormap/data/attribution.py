"""Attribution of the datasets a map, picture or file shows: one function, from the manifest.

Every dataset in ``data/sources.toml`` carries the attribution its licence asks for. Maps,
take-home pictures, page captions and exported files all credit what they show through
:func:`attribution_lines`, so the wording, the order and the removal of repeats are the same
everywhere. Registers uploaded by partners have no manifest entry: their ids start with
:data:`UPLOADS` and are credited with one line, :data:`UPLOADS_LINE`.

On pages and pictures each line also names its datasets with their dates, old ones marked
("Datasets and dates: NHS estates return, 2016/17 (more than five years old)."), from
:mod:`anchormap.data.fact_dates`; so every page that shows the attribution lists what it
shows and how old it is. Exported files keep the manifest's editions (``with_editions``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from anchormap.data.fact_dates import dated_words
from anchormap.data.sources import Dataset, load_manifest

UPLOADS = "upload:"
"""Prefix of the ``source`` of rows uploaded by partners (``upload:<submission id>``)."""

UPLOADS_LINE = "Includes land and property records uploaded by network partners."
"""The one line that credits every uploaded register."""


DATES_WORDS = "Datasets and dates:"
"""Begins the part of a line that names its datasets and their dates."""


def attribution_lines(
    dataset_ids: Iterable[str],
    *,
    with_editions: bool = False,
    with_dates: bool = True,
    manifest: Mapping[str, Dataset] | None = None,
    today: datetime.date | None = None,
) -> list[str]:
    """The attribution lines of the datasets ``dataset_ids``, each text once.

    Parameters
    ----------
    dataset_ids : iterable of str
        Manifest ids (a list, a tuple or a pandas Series), in the order they should be
        credited; repeats are fine. Ids starting with :data:`UPLOADS` stand for uploaded
        registers. Other ids the manifest does not know (such as the ``network`` source of a
        partner's own list) carry no attribution and are skipped.
    with_editions : bool
        Add to each line the edition (or date) of every dataset it credits, from the
        manifest, as ``(id: edition; ...)``: for files, which outlive the page they came from.
    with_dates : bool
        When not ``with_editions``: end each line with the short name and date of every
        dataset it credits, old ones marked (:func:`anchormap.data.fact_dates.dated_words`),
        after :data:`DATES_WORDS`. Default True (pages and pictures).
    manifest : mapping of str to Dataset, optional
        The manifest to read (default: :func:`anchormap.data.sources.load_manifest`).
    today : datetime.date, optional
        The day that decides which datasets are old (default: today).

    Returns
    -------
    list of str
        One line per distinct attribution text, in the order of the first id that needs it,
        then :data:`UPLOADS_LINE` when an uploaded register is among the ids.

    Examples
    --------
    The 2011 LSOA boundaries and the boroughs share one ONS text, credited once:

    >>> lines = attribution_lines(["lsoa2011", "imd2019", "boroughs", "lsoa2011", "upload:7"])
    >>> len(lines), lines[1].startswith("Contains public sector information"), lines[-1] == UPLOADS_LINE
    (3, True, True)
    >>> attribution_lines(["imd2019"], with_editions=True)[0][-47:]
    '(imd2019: IoD2019, published 26 September 2019)'
    >>> attribution_lines(["eric_sites"], today=datetime.date(2026, 12, 2))[0].split(DATES_WORDS)[1]
    ' NHS estates return, 2016/17 (more than five years old).'
    """
    manifest = manifest if manifest is not None else load_manifest()
    credited: dict[str, list[Dataset]] = {}
    uploads = False
    for ds_id in dict.fromkeys(str(d) for d in dataset_ids):
        if ds_id.startswith(UPLOADS):
            uploads = True
        elif ds_id in manifest:
            entry = manifest[ds_id]
            credited.setdefault(entry.attribution, []).append(entry)
    if with_editions:
        lines = [f"{text} ({'; '.join(f'{d.id}: {d.edition}' for d in entries)})" for text, entries in credited.items()]
    elif with_dates:
        lines = [
            f"{text.rstrip()} {DATES_WORDS} {'; '.join(dated_words(d, today) for d in entries)}."
            for text, entries in credited.items()
        ]
    else:
        lines = list(credited)
    return [*lines, UPLOADS_LINE] if uploads else lines
