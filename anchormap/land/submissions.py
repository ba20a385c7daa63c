"""A partner's register from upload to store: check, map the columns, confirm.

The Shared land page (and anything else that takes registers) goes through three steps:
:func:`check_register` reads and validates the file (nothing is stored; it may ask which
column holds what), :func:`check_register` again with the ``mapping`` chosen (the page's form
starts from :func:`column_choices`, every column's best guess, and turns a person's choices
back into a mapping with :func:`mapping_from_columns`) and, when status values were not
understood, with a ``status_map`` (:func:`status_choices`), then :func:`store_checked` stores
the valid rows of a checked file. :func:`store_stamp` says when
the store changed, so cached tables built from it are rebuilt (``anchormap.ui.cached``), and
:func:`land_totals` sums the space of the assets shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from anchormap.access.people import Person
from anchormap.errors import AnchorMapError
from anchormap.land.ingest import FIELD_LABELS, read_upload
from anchormap.land.ingest.headers import suggest_field
from anchormap.land.schema import OWNER_TYPES, STATUSES
from anchormap.land.store import LandStore, open_store

INFER_OWNER = "infer"
"""The owner-type choice meaning "work it out from the names"."""

OWNER_CHOICES = (INFER_OWNER, *OWNER_TYPES)
"""Owner types offered for a register that does not say (the first: infer it)."""

NO_COLUMN = "(none)"
"""The column choice meaning "the register has no such column"."""

EXTRA_CHOICE = "extra"
"""The field choice for a column meaning "no field: keep it as an extra attribute"."""

FIELD_CHOICES = (EXTRA_CHOICE, *FIELD_LABELS)
"""What a column can hold, for the page's column form (the first: no field, keep it as an extra)."""


def field_choice_label(choice: str) -> str:
    """A :data:`FIELD_CHOICES` value in words.

    >>> field_choice_label("extra"), field_choice_label("site_area_ha")
    ('No field: keep it as an extra attribute', 'Site area (ha)')
    """
    return "No field: keep it as an extra attribute" if choice == EXTRA_CHOICE else FIELD_LABELS[choice]


@dataclass(frozen=True)
class ColumnChoice:
    """One column of a checked register, for the page's column form.

    Attributes
    ----------
    column : str
        The column as the file names it.
    guess : str
        A value of :data:`FIELD_CHOICES`: the field recognised or guessed, or :data:`EXTRA_CHOICE`.
    recognised : bool
        True when the header named the field (or a person chose it); False for a guess or no field,
        the columns the form asks about.
    """

    column: str
    guess: str
    recognised: bool


def column_choices(check) -> list[ColumnChoice]:
    """Every column of a checked register with its best guess, in the file's order.

    A column the check used keeps its field (recognised); for the others, a guess from
    :func:`anchormap.land.ingest.headers.suggest_field` among the fields no column has yet
    (each field guessed once), else :data:`EXTRA_CHOICE`.

    Parameters
    ----------
    check : anchormap.land.ingest.UploadResult
        :func:`check_register`'s result.

    Returns
    -------
    list of ColumnChoice
    """
    by_column = {}
    for fld, col in check.mapping.items():
        by_column.setdefault(col, fld)
    taken = set(check.mapping)
    out = []
    for col in check.columns:
        if col in by_column:
            out.append(ColumnChoice(col, by_column[col], True))
            continue
        guess = suggest_field(col, taken)
        if guess is not None:
            taken.add(guess)
        out.append(ColumnChoice(col, guess or EXTRA_CHOICE, False))
    return out


def mapping_from_columns(choice: Mapping[str, str]) -> dict[str, str]:
    """Field -> column from a person's column -> field choices (:data:`EXTRA_CHOICE` dropped).

    Parameters
    ----------
    choice : mapping of str to str
        Column -> a value of :data:`FIELD_CHOICES`.

    Returns
    -------
    dict of str to str

    Raises
    ------
    AnchorMapError
        When two columns are given one field (the message names both and the field).

    Examples
    --------
    >>> mapping_from_columns({"Site": "name", "PC": "postcode", "Notes": "extra"})
    {'name': 'Site', 'postcode': 'PC'}
    """
    out: dict[str, str] = {}
    for column, fld in choice.items():
        if fld == EXTRA_CHOICE:
            continue
        if fld in out:
            msg = (
                f"The columns '{out[fld]}' and '{column}' are both chosen for {FIELD_LABELS[fld]}: "
                "choose one of them, and keep the other as an extra attribute."
            )
            raise AnchorMapError(msg)
        out[fld] = column
    return out


def status_choices(check) -> list[tuple[str, int]]:
    """The status values a checked register uses that were not understood, with how many rows use each.

    Parameters
    ----------
    check : anchormap.land.ingest.UploadResult

    Returns
    -------
    list of (str, int)
        (value as the file writes it, rows), in the order first seen.
    """
    return list(check.unknown_values.items())


STATUS_CHOICES = STATUSES
"""The statuses a person can give a value (``unknown`` keeps it unknown)."""


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
    *,
    status_map: Mapping[str, str] | None = None,
    keep_recognised: bool = True,
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
        Field -> column, when the register's columns are not recognised; it adds to the
        columns recognised unless ``keep_recognised`` is False.
    sheet : str, optional
        The sheet, layer or shapefile that holds the register, when the file has several
        that could (:class:`anchormap.land.ingest.ChoiceNeeded`).
    status_map : mapping, optional
        Status value as written in the file -> a status of :data:`STATUS_CHOICES`.
    keep_recognised : bool
        False when ``mapping`` is a whole mapping (the column form's): it is used alone.

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
        status_map=dict(status_map) if status_map else None,
        keep_recognised=keep_recognised,
    )


def store_checked(check, store: LandStore | None = None, *, by: Person) -> int:
    """Store the valid rows of a checked register with its report, as ``by``.

    Parameters
    ----------
    check : anchormap.land.ingest.UploadResult
        :func:`check_register`, ready (not needing a mapping).
    store : LandStore, optional
        Default: :func:`anchormap.land.store.open_store`.
    by : anchormap.access.people.Person
        Who stores it (the store checks their role and records them in the audit trail).

    Returns
    -------
    int
        The submission's id.

    Raises
    ------
    AnchorMapError
        When the store refuses it (e.g. no valid row, the same file already stored, or a role
        that may not add for this partner: :class:`anchormap.access.people.PermissionRefused`).
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
        by=by,
    )


def store_stamp(store: LandStore | None = None) -> tuple[str, str]:
    """Where the land store is and a token of its last change.

    Parameters
    ----------
    store : LandStore, optional
        Default: :func:`anchormap.land.store.open_store`.

    Returns
    -------
    (str, str)
        The store in words safe to show (:attr:`LandStore.where`) and :meth:`LandStore.stamp`,
        which changes on every write (``"0:0"`` before anything is stored).
    """
    store = store if store is not None else open_store()
    return store.where, store.stamp()


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
