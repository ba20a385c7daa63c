"""A partner's register from upload to store: check, map the columns, confirm.

The Shared land page (and anything else that takes registers) goes through three steps:
:func:`check_register` reads and validates the file (nothing is stored; it may ask which
column holds what), :func:`check_register` again with the ``mapping`` chosen, then
:func:`store_checked` stores the valid rows of a checked file. :func:`store_stamp` says when
the store changed, so cached tables built from it are rebuilt (``anchormap.ui.cached``), and
:func:`land_totals` sums the space of the assets shown.
"""

from __future__ import annotations

from collections.abc import Mapping

from anchormap.land.ingest import read_upload
from anchormap.land.schema import OWNER_TYPES
from anchormap.land.store import LandStore, open_store

INFER_OWNER = "infer"
"""The owner-type choice meaning "work it out from the names"."""

OWNER_CHOICES = (INFER_OWNER, *OWNER_TYPES)
"""Owner types offered for a register that does not say (the first: infer it)."""

NO_COLUMN = "(none)"
"""The column choice meaning "the register has no such column"."""


def owner_type_from_choice(choice: str) -> str | None:
    """The ``owner_type`` for :func:`anchormap.land.ingest.read_upload`: None to infer it.

    Parameters
    ----------
    choice : str
        One of :data:`OWNER_CHOICES`.

    Returns
    -------
    str or None

    >>> owner_type_from_choice("infer") is None, owner_type_from_choice("nhs")
    (True, 'nhs')
    """
    return None if choice == INFER_OWNER else choice


def chosen_mapping(choice: Mapping[str, str]) -> dict[str, str]:
    """Field -> register column from the page's column choosers (:data:`NO_COLUMN` dropped).

    Parameters
    ----------
    choice : mapping of str to str
        Field of :data:`anchormap.land.ingest.ALIASES` -> the column chosen.

    Returns
    -------
    dict of str to str

    >>> chosen_mapping({"name": "Site", "uprn": "(none)"})
    {'name': 'Site'}
    """
    return {field: column for field, column in choice.items() if column != NO_COLUMN}


def check_register(
    data: bytes,
    file_name: str,
    partner: str,
    owner_choice: str = INFER_OWNER,
    mapping: Mapping[str, str] | None = None,
    sheet: str | None = None,
):
    """Read and validate an uploaded register; nothing is stored.

    Parameters
    ----------
    data : bytes
        The file (CSV, XLSX, ODS, XLS, GeoJSON, GeoPackage or zipped shapefile).
    file_name : str
        Its name as uploaded (named in messages).
    partner : str
        The organisation the register belongs to.
    owner_choice : str
        One of :data:`OWNER_CHOICES`.
    mapping : mapping, optional
        Field -> column, when the register's columns are not recognised.
    sheet : str, optional
        The sheet, layer or shapefile that holds the register, when the file has several
        that could (:class:`anchormap.land.ingest.ChoiceNeeded`).

    Returns
    -------
    anchormap.land.ingest.UploadResult
        Its ``status`` is ``"needs_mapping"`` when the columns must be chosen.

    Raises
    ------
    AnchorMapError
        When the file cannot be read; the message names the file and what to do.
    """
    return read_upload(
        data,
        file_name,
        partner,
        mapping=dict(mapping) if mapping else None,
        owner_type=owner_type_from_choice(owner_choice),
        sheet=sheet,
    )


def store_checked(check, store: LandStore | None = None) -> int:
    """Store the valid rows of a checked register with its report.

    Parameters
    ----------
    check : anchormap.land.ingest.UploadResult
        :func:`check_register`, ready (not needing a mapping).
    store : LandStore, optional
        Default: :func:`anchormap.land.store.open_store`.

    Returns
    -------
    int
        The submission's id.

    Raises
    ------
    AnchorMapError
        When the store refuses it (e.g. no valid row, or the same file already stored).
    """
    store = store if store is not None else open_store()
    return store.add_submission(
        partner=check.partner,
        file_name=check.file_name,
        assets=check.assets,
        rows_rejected=check.rows_rejected,
        report=check.report(),
        register_kind=check.register_kind,
        file_sha256=check.sha256,
    )


def store_stamp(store: LandStore | None = None) -> tuple[str, int]:
    """Where the land store is and when it last changed.

    Parameters
    ----------
    store : LandStore, optional
        Default: :func:`anchormap.land.store.open_store`.

    Returns
    -------
    (str, int)
        The file's path and modification time in ns (0 before anything is stored).
    """
    path = (store if store is not None else open_store()).path
    return str(path), (path.stat().st_mtime_ns if path.is_file() else 0)


def active_submissions(store: LandStore) -> list[int]:
    """The ids of the store's submissions still active (those that can be withdrawn).

    Parameters
    ----------
    store : LandStore

    Returns
    -------
    list of int
    """
    subs = store.submissions()
    return [int(i) for i in subs.loc[subs["status"] == "active", "id"]]
