"""The Shared land page's "Add a partner's register": upload, check, map the columns, confirm.

Widgets only, over :mod:`anchormap.land.submissions`. The checked file waits in
``st.session_state["land_check"]`` until it is stored or replaced; the widget keys are the
page's (``land_file``, ``land_partner_name``, ``land_owner_type``, ``land_check_button``,
``land_col_<file>_<n>`` for the n-th column's field, ``land_mapping_submit``,
``land_status_<file>_<n>`` for the n-th status value not understood, ``land_status_submit``,
``land_confirm``, ``land_withdraw_id``, ``land_withdraw``).
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
    AnchorMapError,
    LandStore,
    active_submissions,
    check_register,
    column_choices,
    escape_markdown,
    field_choice_label,
    mapping_from_columns,
    status_choices,
    store_checked,
)

CHECK_KEY = "land_check"
STORED_KEY = "land_stored"


def _column_mapping(check, file, partner: str, owner_choice: str) -> None:
    """Ask which column holds what, then check the file again with those columns."""
    st.warning(check.summary())
    _column_form(check, file, partner, owner_choice)


def _recheck(check, file, partner: str, owner_choice: str, **choices) -> None:
    """Check the same file again with the person's choices (columns or status values), then rerun."""
    try:
        if file is None:
            msg = f"Choose the file {check.file_name} again above, then check it with these choices."
            raise AnchorMapError(msg)
        st.session_state[CHECK_KEY] = check_register(file.getvalue(), file.name, partner, owner_choice, **choices)
    except AnchorMapError as err:
        st.error(str(err))  # shown: no rerun, which would clear it
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
                st.error(str(err))
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
                status_map={**check.status_map, **chosen},
            )


def _confirm(check, store: LandStore, file, partner: str, owner_choice: str) -> None:
    """The check's report, its status values and columns to correct, and the button that stores its valid rows."""
    (st.success if check.rows_rejected == 0 else st.warning)(check.summary())
    st.dataframe(check.report(), hide_index=True, width="stretch")
    _status_form(check, file, partner, owner_choice)
    with st.expander("Which column holds what (change and check again)"):
        _column_form(check, file, partner, owner_choice, in_expander=True)
    if check.rows_accepted and st.button(
        f"Store the {check.rows_accepted} valid row(s)", key="land_confirm", type="primary"
    ):
        try:
            sid = store_checked(check, store)
        except AnchorMapError as err:
            st.error(str(err))
        else:
            st.session_state.pop(CHECK_KEY, None)
            st.session_state[STORED_KEY] = f"Stored submission {sid} from {check.partner}."
            st.rerun()


def register_upload(store: LandStore) -> None:
    """Upload a register, check every row, map unknown columns, and store it once confirmed.

    Parameters
    ----------
    store : LandStore
        Where confirmed registers go.
    """
    file = st.file_uploader("Register file", type=["csv", "xlsx", "geojson", "json"], key="land_file")
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
        try:
            st.session_state[CHECK_KEY] = check_register(file.getvalue(), file.name, partner, owner_choice)
        except AnchorMapError as err:
            st.session_state.pop(CHECK_KEY, None)
            st.error(str(err))

    check = st.session_state.get(CHECK_KEY)
    if check is not None and check.status == "needs_mapping":
        _column_mapping(check, file, partner, owner_choice)
    elif check is not None:
        _confirm(check, store, file, partner, owner_choice)
    if STORED_KEY in st.session_state:
        st.success(st.session_state.pop(STORED_KEY))


def submissions_list(store: LandStore) -> None:
    """The store's submissions, and withdrawing an active one.

    Parameters
    ----------
    store : LandStore
    """
    subs = store.submissions()
    with st.expander(f"Submissions in the store ({len(subs)})"):
        st.dataframe(subs, hide_index=True, width="stretch")
        active = active_submissions(store)
        if active:
            wid = st.selectbox("Submission to withdraw", active, key="land_withdraw_id")
            if st.button("Withdraw it", key="land_withdraw"):
                try:
                    store.withdraw(int(wid))
                except AnchorMapError as err:
                    st.error(str(err))
                else:
                    st.rerun()
