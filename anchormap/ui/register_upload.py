"""The Shared land page's registers: upload, check, map the columns, confirm; withdraw, replace, correct; audit.

Widgets only, over :mod:`anchormap.land.submissions` and :mod:`anchormap.land.changes`; every
function takes the acting person's :class:`~anchormap.access.people.Access` and shows only what
it allows (the store refuses the rest anyway). A member's partner is fixed, a steward chooses
among the registered partners, the local user types it. The checked file waits in
``st.session_state["land_check"]`` until it is stored or replaced; the widget keys are the
page's (``land_file``, ``land_partner_name``, ``land_owner_type``, ``land_check_button``,
``land_col_<file>_<n>`` for the n-th column's field, ``land_mapping_submit``,
``land_status_<file>_<n>`` for the n-th status value not understood, ``land_status_submit``,
``land_confirm``, ``land_partner_choice`` (a steward's partner), ``land_upload_kind`` and
``land_replace_id`` (a new version of a submission), ``land_withdraw_id``, ``land_withdraw``,
``land_withdraw_yes``/``land_withdraw_no`` (the confirmation), ``land_fix_sub``, ``land_fix_row``,
``land_fix_action``, ``land_fix_field``, ``land_fix_value`` (or ``land_fix_status``/``land_fix_owner_type``
for a value from a list), ``land_fix_reason``, ``land_fix_button``
(correct or remove a row), ``land_audit_csv``, ``land_sheet``, ``land_sheet_button``,
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
    check_register,
    column_choices,
    escape_markdown,
    field_choice_label,
    mapping_from_columns,
    report_for_people,
    status_choices,
    template_bytes,
)
from anchormap.access.people import LOCAL, MEMBER, Access
from anchormap.land.changes import (
    CORRECTABLE_FIELDS,
    FIELD_VALUE_WORDS,
    audit_csv,
    audit_table,
    changeable,
    field_label,
    replace_with_checked,
    store_checked_as,
    stored_rows,
    stored_words,
    submissions_in_words,
    withdraw_question,
    withdrawn_words,
)

CHECK_KEY = "land_check"
TARGET_KEY = "land_check_replaces"
ASK_KEY = "land_withdraw_asked"
DONE_KEY = "land_done"
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


def _confirm(check, store: LandStore, access: Access, file, partner: str, owner_choice: str) -> None:
    """The check's report, its status values and columns to correct, and the button that stores its valid rows.

    The file is stored as a new submission, or swaps the submission chosen when it was checked
    (``st.session_state[TARGET_KEY]``) in one transaction.
    """
    (st.success if check.rows_rejected == 0 else st.warning)(escape_markdown(check.summary()))
    st.dataframe(report_for_people(check.report()), hide_index=True, width="stretch")
    _status_form(check, file, partner, owner_choice)
    with st.expander("Which column holds what (change and check again)"):
        _column_form(check, file, partner, owner_choice, in_expander=True)
    target = st.session_state.get(TARGET_KEY)
    old = None
    if target is not None:
        try:
            old = store.submission(int(target))
        except AnchorMapError as err:
            st.error(escape_markdown(str(err)))
            return
        st.info(escape_markdown(f"This file will replace {old.words}."))
    label = f"Replace it with the {check.rows_accepted} valid row(s)" if old else None
    if check.rows_accepted and st.button(
        label or f"Store the {check.rows_accepted} valid row(s)", key="land_confirm", type="primary"
    ):
        try:
            if old is not None:
                info = replace_with_checked(check, store, old.id, access.person)
            else:
                info = store_checked_as(check, store, access.person)
        except AnchorMapError as err:  # a duplicate file names the submission it is already in
            st.error(escape_markdown(str(err)))
        else:
            st.session_state.pop(CHECK_KEY, None)
            st.session_state.pop(TARGET_KEY, None)
            st.session_state[STORED_KEY] = stored_words(info, old)
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


def _check(file, partner: str, owner_choice: str, sheet: str | None, replaces: int | None = None) -> None:
    """Check the file (with the sheet chosen) and keep the result, or the question which sheet.

    ``replaces``: the submission the file is a new version of (None: a new submission).
    """
    st.session_state.pop(CHOICE_KEY, None)
    st.session_state[TARGET_KEY] = replaces
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
        _check(file, partner, owner_choice, sheet, st.session_state.get(TARGET_KEY))
        st.rerun()


def _partner_field(store: LandStore, access: Access, replacing) -> str | None:
    """Whose register it is: the replaced submission's partner, a member's own (shown), a steward's choice
    among the registered partners, or typed by the local user. None when there is no partner to choose."""
    if replacing is not None:
        st.markdown(escape_markdown(f"Partner: {replacing.partner} (the partner of the submission it replaces)"))
        return replacing.partner
    if access.role == LOCAL:
        return st.text_input(
            "Partner (the organisation the register belongs to)", key="land_partner_name", max_chars=MAX_PARTNER_CHARS
        )
    if access.role == MEMBER:
        st.markdown(escape_markdown(f"Partner: {access.partner} (you are a member of it)"))
        return access.partner
    names = list(store.partners()["name"])
    if not names:
        st.info("No partners are registered yet: add one first (on the command line: anchormap partners add NAME).")
        return None
    return st.selectbox("Partner (the organisation the register belongs to)", names, key="land_partner_choice")


def _replace_choice(store: LandStore, access: Access):
    """A new register, or a new version of one of the submissions the person may change (their words)."""
    subs = {info.id: info for info in changeable(store, access)}
    if not subs:
        return None
    kind = st.radio(
        "This file is",
        ["new", "replace"],
        format_func={"new": "A new register", "replace": "A new version of a submission in the store"}.get,
        horizontal=True,
        key="land_upload_kind",
    )
    if kind != "replace":
        return None
    sid = st.selectbox(
        "The submission it replaces", list(subs), format_func=lambda i: subs[i].words, key="land_replace_id"
    )
    return subs[sid]


def register_upload(store: LandStore, access: Access) -> None:
    """Upload a register, check every row, map unknown columns, and store it (or a new version) once confirmed.

    Shown only to people who may write (members, stewards, the local user).

    Parameters
    ----------
    store : LandStore
        Where confirmed registers go.
    access : Access
        The acting person's access (:func:`anchormap.ui.signin.current_access`).
    """
    if not access.may_write:
        return
    template_downloads()
    replacing = _replace_choice(store, access)
    file = st.file_uploader("Register file", type=list(UPLOAD_SUFFIXES), key="land_file", help=UPLOAD_HELP)
    partner = _partner_field(store, access, replacing)
    owner_choice = st.selectbox(
        "Owner type when the register does not say",
        OWNER_CHOICES,
        key="land_owner_type",
        format_func=lambda k: "Work it out from the names" if k == INFER_OWNER else OWNER_TYPE_LABELS[k],
    )
    if st.button("Check the file", key="land_check_button", disabled=file is None or partner is None):
        _check(file, partner, owner_choice, _chosen_sheet(file), None if replacing is None else replacing.id)

    question = st.session_state.get(CHOICE_KEY)
    if question is not None:
        _sheet_choice(question, file, partner, owner_choice)
    check = st.session_state.get(CHECK_KEY)
    if check is not None and check.status == "needs_mapping":
        _column_mapping(check, file, partner, owner_choice)
    elif check is not None:
        _confirm(check, store, access, file, partner, owner_choice)
    if STORED_KEY in st.session_state:
        st.success(escape_markdown(st.session_state.pop(STORED_KEY)))


def submissions_list(store: LandStore, access: Access) -> None:
    """The store's submissions, and withdrawing one the person may change (asked to confirm, then told).

    Parameters
    ----------
    store : LandStore
    access : Access
    """
    subs = store.submissions()
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        st.success(escape_markdown(done))
    asked = st.session_state.get(ASK_KEY)
    # keyed, its open state kept by the server: a rerun that adds or drops a message above it leaves it open
    with st.expander(f"Submissions in the store ({len(subs)})", key="land_submissions", on_change="rerun"):
        st.dataframe(submissions_in_words(subs), hide_index=True, width="stretch")
        mine = {info.id: info for info in changeable(store, access)}
        if not mine:
            return
        wid = st.selectbox(
            "Submission to withdraw", list(mine), format_func=lambda i: mine[i].words, key="land_withdraw_id"
        )
        if st.button("Withdraw it", key="land_withdraw"):
            st.session_state[ASK_KEY] = asked = wid
        if asked is None:
            return
        if asked not in mine:  # withdrawn meanwhile, or no longer this person's to change
            st.session_state.pop(ASK_KEY, None)
            return
        st.warning(escape_markdown(withdraw_question(mine[asked])))
        yes, no = st.columns(2)
        if yes.button("Yes, withdraw it", key="land_withdraw_yes", type="primary"):
            st.session_state.pop(ASK_KEY, None)
            try:
                info = store.withdraw(int(asked), by=access.person)
            except AnchorMapError as err:
                st.error(escape_markdown(str(err)))
            else:
                st.session_state[DONE_KEY] = withdrawn_words(info)
                st.rerun()
        if no.button("No, keep it", key="land_withdraw_no"):
            st.session_state.pop(ASK_KEY, None)
            st.rerun()


def correct_rows(store: LandStore, access: Access) -> None:
    """Correct one field of a stored row, or remove the row, with a reason (audited).

    Offered for the submissions the person may change; nothing is shown to viewers.
    """
    mine = {info.id: info for info in changeable(store, access)}
    if not mine:
        return
    done = st.session_state.pop("land_fix_done", None)
    with st.expander("Correct or remove a row", key="land_fix", on_change="rerun"):
        if done:
            st.success(escape_markdown(done))
        sid = st.selectbox("Submission", list(mine), format_func=lambda i: mine[i].words, key="land_fix_sub")
        rows = dict(stored_rows(store, sid))
        if not rows:
            st.caption("Every row of this submission has been removed.")
            return
        aid = st.selectbox("Row", list(rows), format_func=rows.get, key="land_fix_row")
        action = st.radio(
            "Change",
            ["correct", "remove"],
            format_func={"correct": "Correct a field", "remove": "Remove the row"}.get,
            horizontal=True,
            key="land_fix_action",
        )
        if action == "correct":
            field = st.selectbox("Field", CORRECTABLE_FIELDS, format_func=field_label, key="land_fix_field")
            listed = FIELD_VALUE_WORDS.get(field)
            if listed:
                value = st.selectbox("New value", list(listed), format_func=listed.get, key=f"land_fix_{field}")
            else:
                value = st.text_input("New value", key="land_fix_value")
        reason = st.text_input("Reason (required; kept in the audit trail)", key="land_fix_reason")
        if not st.button("Correct the row" if action == "correct" else "Remove the row", key="land_fix_button"):
            return
        if not reason.strip():
            st.error("Give a reason for the change: it is kept in the audit trail.")
            return
        try:
            if action == "correct":
                store.correct_asset(sid, aid, {field: value}, reason.strip(), by=access.person)
                shown = listed[value] if listed else value
                msg = f"Corrected {field_label(field)} of {rows[aid]} in {mine[sid].words}: now “{shown}”."
            else:
                store.remove_asset(sid, aid, reason.strip(), by=access.person)
                msg = f"Removed {rows[aid]} from {mine[sid].words}: it no longer appears on the map or in the tables."
        except AnchorMapError as err:
            st.error(escape_markdown(str(err)))
        else:
            st.session_state["land_fix_done"] = msg
            st.rerun()


def audit_trail(store: LandStore, access: Access) -> None:
    """The audit trail as a table and a CSV download, for stewards and the local user."""
    if not access.may_steward:
        return
    with st.expander("Audit trail: who changed what, and when", key="land_audit", on_change="rerun"):
        try:
            audit = store.audit(by=access.person)
        except AnchorMapError as err:
            st.error(escape_markdown(str(err)))
            return
        st.dataframe(audit_table(audit), hide_index=True, width="stretch")
        st.download_button(
            "Download the audit trail (CSV)",
            data=audit_csv(audit),
            file_name="anchormap_audit_trail.csv",
            mime="text/csv",
            key="land_audit_csv",
        )
