"""The Shared land page's "Add a partner's register": upload, check, map the columns, confirm.

Widgets only, over :mod:`anchormap.land.submissions`. The checked file waits in
``st.session_state["land_check"]`` until it is stored or replaced; the widget keys are the
page's (``land_file``, ``land_partner_name``, ``land_owner_type``, ``land_check_button``,
``land_col_<file>_<n>`` for the n-th column's field, ``land_mapping_submit``,
``land_status_<file>_<n>`` for the n-th status value not understood, ``land_status_submit``,
``land_confirm``, ``land_withdraw_id``, ``land_withdraw``, ``land_sheet``, ``land_sheet_button``,
``land_template_csv``, ``land_template_xlsx``). When a file holds several sheets (layers,
shapefiles) that could be the register, the question waits in ``st.session_state["land_choice"]``
and the sheet chosen in ``["land_sheet_chosen"]``.
"""

from __future__ import annotations

import streamlit as st

from anchormap import (
    FIELD_CHOICES,
    INFER_OWNER,
    MAX_PARTNER_CHARS,
    OWNER_CHOICES,
    OWNER_TYPE_LABELS,
    STATUS_CHOICES,
    STATUS_LABELS,
    TEMPLATE_FORMATS,
    TEMPLATE_MIME_TYPES,
    TEMPLATE_NAMES,
    UPLOAD_SUFFIXES,
    AnchorMapError,
    ChoiceNeeded,
    LandStore,
    Person,
    active_submissions,
    check_register,
    column_choices,
    escape_markdown,
    field_choice_label,
    mapping_from_columns,
    report_for_people,
    status_choices,
    store_checked,
    submissions_table,
    template_bytes,
)

CHECK_KEY = "land_check"
STORED_KEY = "land_stored"
CHOICE_KEY = "land_choice"
SHEET_KEY = "land_sheet_chosen"
TEMPLATE_LABELS = {"csv": "Register template (CSV)", "xlsx": "Register template (Excel)"}
UPLOAD_HELP = (
    "CSV, Excel (.xlsx, .xls), OpenDocument (.ods), GeoJSON, GeoPackage (.gpkg) or a zipped shapefile "
    "(.zip with the .shp, .shx, .dbf and .prj files). A workbook's register sheet, or a GeoPackage's "
    "register layer, is found by its column names; you are asked when two could be it."
)


def _column_mapping(check, file, partner: str, owner_choice: str) -> None:
    """Ask which column holds what, then check the file again with those columns."""
    st.warning(escape_markdown(check.summary()))  # file names, headers and values are the file's
    _column_form(check, file, partner, owner_choice)


def _recheck(check, file, partner: str, owner_choice: str, **choices) -> None:
    """Check the same file again with the person's choices (columns or status values), then rerun."""
    try:
        if file is None:
            msg = f"Choose the file {check.file_name} again above, then check it with these choices."
            raise AnchorMapError(msg)
        st.session_state[CHECK_KEY] = check_register(
            file.getvalue(), file.name, partner, owner_choice, sheet=_chosen_sheet(file), **choices
        )
    except AnchorMapError as err:
        st.error(escape_markdown(str(err)))  # shown: no rerun, which would clear it
    else:
        st.rerun()


def _column_form(check, file, partner: str, owner_choice: str, *, in_expander: bool = False) -> None:
    """Every column with its best guess: the ones not recognised asked first, the recognised ones to change.

    ``in_expander``: the form is already inside an expander (expanders do not nest), so the
    recognised columns follow the others under a heading instead of in their own expander.
    """
    choices = column_choices(check)
    tag = check.sha256[:12]
    with st.form("land_mapping"):
        picked: dict[str, str] = {}

        def ask(n: int, choice) -> None:
            picked[choice.column] = st.selectbox(
                escape_markdown(f"Column “{choice.column}”"),
                FIELD_CHOICES,
                index=FIELD_CHOICES.index(choice.guess),
                format_func=field_choice_label,
                key=f"land_col_{tag}_{n}",
            )

        asked = [(n, c) for n, c in enumerate(choices) if not c.recognised]
        known = [(n, c) for n, c in enumerate(choices) if c.recognised]
        if asked:
            st.markdown(f"**{len(asked)} column(s) not recognised**: what does each hold? (our best guess is chosen)")
            for n, c in asked:
                ask(n, c)
        if known:
            title = f"{len(known)} column(s) recognised by their headers (change any that are wrong)"
            if in_expander:
                st.markdown(f"**{title}**")
                for n, c in known:
                    ask(n, c)
            else:
                with st.expander(title):
                    for n, c in known:
                        ask(n, c)
        if st.form_submit_button("Check again with these columns", key="land_mapping_submit"):
            try:
                mapping = mapping_from_columns(picked)
            except AnchorMapError as err:
                st.error(escape_markdown(str(err)))
                return
            _recheck(
                check, file, partner, owner_choice, mapping=mapping, keep_recognised=False, status_map=check.status_map
            )


def _status_form(check, file, partner: str, owner_choice: str) -> None:
    """Status values not understood: a person says which status each means, then the file is checked again."""
    values = status_choices(check)
    if not values:
        return
    tag = check.sha256[:12]
    with st.form("land_status_values"):
        st.markdown(f"**{len(values)} status value(s) not understood**: which status does each mean?")
        chosen = {
            value: st.selectbox(
                escape_markdown(f"“{value}” ({rows} row{'s' if rows != 1 else ''})"),
                STATUS_CHOICES,
                index=STATUS_CHOICES.index("unknown"),
                format_func=lambda k: STATUS_LABELS[k],
                key=f"land_status_{tag}_{n}",
            )
            for n, (value, rows) in enumerate(values)
        }
        if st.form_submit_button("Check again with these statuses", key="land_status_submit"):
            _recheck(
                check,
                file,
                partner,
                owner_choice,
                mapping=check.mapping,
                keep_recognised=False,
                # a value left at "Unknown" (the default) stays not understood, so it is still reported
                status_map={**check.status_map, **{v: k for v, k in chosen.items() if k != "unknown"}},
            )


def _confirm(check, store: LandStore, file, partner: str, owner_choice: str) -> None:
    """The check's report, its status values and columns to correct, and the button that stores its valid rows."""
    (st.success if check.rows_rejected == 0 else st.warning)(escape_markdown(check.summary()))
    st.dataframe(report_for_people(check.report()), hide_index=True, width="stretch")
    _status_form(check, file, partner, owner_choice)
    with st.expander("Which column holds what (change and check again)"):
        _column_form(check, file, partner, owner_choice, in_expander=True)
    if check.rows_accepted and st.button(
        f"Store the {check.rows_accepted} valid row(s)", key="land_confirm", type="primary"
    ):
        try:
            sid = store_checked(check, store, by=Person.local_user("page"))  # sign-in comes with engineer 3
        except AnchorMapError as err:
            st.error(escape_markdown(str(err)))
        else:
            st.session_state.pop(CHECK_KEY, None)
            st.session_state[STORED_KEY] = f"Stored submission {sid} from {check.partner}."
            st.rerun()


def template_downloads() -> None:
    """Download buttons for the register template, one per kind (CSV, Excel), side by side."""
    st.caption(
        "Starting a register? The template has the Transparency Code columns and a notes row "
        "saying what each holds (the notes row is skipped when the file is checked)."
    )
    for col, fmt in zip(st.columns(len(TEMPLATE_FORMATS)), TEMPLATE_FORMATS):
        col.download_button(
            TEMPLATE_LABELS[fmt],
            data=template_bytes(fmt),
            file_name=TEMPLATE_NAMES[fmt],
            mime=TEMPLATE_MIME_TYPES[fmt],
            key=f"land_template_{fmt}",
        )


def _chosen_sheet(file) -> str | None:
    """The sheet chosen for this file, if one was (a new file forgets it)."""
    chosen = st.session_state.get(SHEET_KEY)
    return chosen[1] if chosen and file is not None and chosen[0] == file.name else None


def _check(file, partner: str, owner_choice: str, sheet: str | None) -> None:
    """Check the file (with the sheet chosen) and keep the result, or the question which sheet."""
    st.session_state.pop(CHOICE_KEY, None)
    try:
        st.session_state[CHECK_KEY] = check_register(file.getvalue(), file.name, partner, owner_choice, sheet=sheet)
    except ChoiceNeeded as question:
        st.session_state.pop(CHECK_KEY, None)
        st.session_state[CHOICE_KEY] = question
    except AnchorMapError as err:
        st.session_state.pop(CHECK_KEY, None)
        st.error(escape_markdown(str(err)))
    else:
        if sheet is not None:
            st.session_state[SHEET_KEY] = (file.name, sheet)


def _sheet_choice(question: ChoiceNeeded, file, partner: str, owner_choice: str) -> None:
    """Ask which sheet (layer, shapefile) holds the register, then check the file with it."""
    st.info(escape_markdown(str(question).replace("(on the command line: --sheet NAME)", "below")))
    sheet = st.selectbox(f"Which {question.part_word} holds the register?", question.choices, key="land_sheet")
    if st.button(f"Check this {question.part_word}", key="land_sheet_button"):
        if file is None or file.name != question.file_name:
            st.error(
                escape_markdown(
                    f"Choose the file {question.file_name} again above, then say which {question.part_word}."
                )
            )
            return
        _check(file, partner, owner_choice, sheet)
        st.rerun()


def register_upload(store: LandStore) -> None:
    """Upload a register, check every row, map unknown columns, and store it once confirmed.

    Parameters
    ----------
    store : LandStore
        Where confirmed registers go.
    """
    template_downloads()
    file = st.file_uploader("Register file", type=list(UPLOAD_SUFFIXES), key="land_file", help=UPLOAD_HELP)
    partner = st.text_input(
        "Partner (the organisation the register belongs to)", key="land_partner_name", max_chars=MAX_PARTNER_CHARS
    )
    owner_choice = st.selectbox(
        "Owner type when the register does not say",
        OWNER_CHOICES,
        key="land_owner_type",
        format_func=lambda k: "Work it out from the names" if k == INFER_OWNER else OWNER_TYPE_LABELS[k],
    )
    if st.button("Check the file", key="land_check_button", disabled=file is None):
        _check(file, partner, owner_choice, _chosen_sheet(file))

    question = st.session_state.get(CHOICE_KEY)
    if question is not None:
        _sheet_choice(question, file, partner, owner_choice)
    check = st.session_state.get(CHECK_KEY)
    if check is not None and check.status == "needs_mapping":
        _column_mapping(check, file, partner, owner_choice)
    elif check is not None:
        _confirm(check, store, file, partner, owner_choice)
    if STORED_KEY in st.session_state:
        st.success(escape_markdown(st.session_state.pop(STORED_KEY)))


def submissions_list(store: LandStore) -> None:
    """The store's submissions, and withdrawing an active one.

    Parameters
    ----------
    store : LandStore
    """
    subs = store.submissions()
    with st.expander(f"Submissions in the store ({len(subs)})"):
        st.dataframe(submissions_table(subs), hide_index=True, width="stretch")
        active = active_submissions(store)
        if active:
            wid = st.selectbox("Submission to withdraw", active, key="land_withdraw_id")
            if st.button("Withdraw it", key="land_withdraw"):
                try:
                    store.withdraw(int(wid), by=Person.local_user("page"))
                except AnchorMapError as err:
                    st.error(escape_markdown(str(err)))
                else:
                    st.rerun()
