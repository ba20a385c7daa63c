"""The Shared land page's "Add a partner's register": upload, check, map the columns, confirm.

Widgets only, over :mod:`anchormap.land.submissions`. The checked file waits in
``st.session_state["land_check"]`` until it is stored or replaced; the widget keys are the
page's (``land_file``, ``land_partner_name``, ``land_owner_type``, ``land_check_button``,
``land_map_<field>``, ``land_confirm``, ``land_withdraw_id``, ``land_withdraw``).
"""

from __future__ import annotations

import streamlit as st

from anchormap import (
    ALIASES,
    FIELD_LABELS,
    INFER_OWNER,
    MAX_PARTNER_CHARS,
    NO_COLUMN,
    OWNER_CHOICES,
    OWNER_TYPE_LABELS,
    AnchorMapError,
    LandStore,
    active_submissions,
    check_register,
    chosen_mapping,
    store_checked,
)

CHECK_KEY = "land_check"
STORED_KEY = "land_stored"


def _column_mapping(check, file, partner: str, owner_choice: str) -> None:
    """Ask which column holds what, then check the file again with those columns."""
    st.warning(check.summary())
    with st.form("land_mapping"):
        choice = {f: st.selectbox(FIELD_LABELS[f], [NO_COLUMN, *check.columns], key=f"land_map_{f}") for f in ALIASES}
        if st.form_submit_button("Check again with these columns"):
            try:
                if file is None:
                    msg = f"Choose the file {check.file_name} again above, then check it with these columns."
                    raise AnchorMapError(msg)
                st.session_state[CHECK_KEY] = check_register(
                    file.getvalue(), file.name, partner, owner_choice, chosen_mapping(choice)
                )
            except AnchorMapError as err:
                st.error(str(err))  # shown: no rerun, which would clear it
            else:
                st.rerun()


def _confirm(check, store: LandStore) -> None:
    """The check's report, and the button that stores its valid rows."""
    (st.success if check.rows_rejected == 0 else st.warning)(check.summary())
    st.dataframe(check.report(), hide_index=True, width="stretch")
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
        _confirm(check, store)
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
