"""Attribution of the datasets a map, picture or file shows: one function, from the manifest.

Every dataset in ``data/sources.toml`` carries the attribution its licence asks for. Maps,
take-home pictures, page captions and exported files all credit what they show through
:func:`attribution_lines`, so the wording, the order and the removal of repeats are the same
everywhere. Registers uploaded by partners have no manifest entry: their ids start with
:data:`UPLOADS` and are credited with one line, :data:`UPLOADS_LINE`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from anchormap.data.sources import Dataset, load_manifest

UPLOADS = "upload:"
"""Prefix of the ``source`` of rows uploaded by partners (``upload:<submission id>``)."""

UPLOADS_LINE = "Includes land and property records uploaded by network partners."
"""The one line that credits every uploaded register."""


def attribution_lines(
    dataset_ids: Iterable[str], *, with_editions: bool = False, manifest: Mapping[str, Dataset] | None = None
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
    manifest : mapping of str to Dataset, optional
        The manifest to read (default: :func:`anchormap.data.sources.load_manifest`).

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
    lines = [
        f"{text} ({'; '.join(f'{d.id}: {d.edition}' for d in entries)})" if with_editions else text
        for text, entries in credited.items()
    ]
    return [*lines, UPLOADS_LINE] if uploads else lines
