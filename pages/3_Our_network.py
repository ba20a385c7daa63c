"""Our network: pick member organisations from the built-in anchors, or upload our own list.

The chosen sites are kept for the session (anchormap.network.lists.NETWORK_KEY) and every page
shows them. A network chosen by organisation is kept in the address bar (``orgs``, ``closed``):
opening the link uses the same network. Members, stewards and the local user can save the
network in the store as a named list (shared with everyone or with their partner); anyone can
open the lists they may see, and a saved list is kept in the address bar (``list``), which
opens it on any page (anchormap.ui.saved_list). Read-only deployments show no save control.
This page only arranges widgets; the work is done in anchormap.network.lists and
anchormap.network.saved_lists.
"""

from __future__ import annotations

import streamlit as st

from anchormap import (
    CATEGORIES,
    NETWORK_LABEL_KEY,
    AnchorMapError,
    anchor_table,
    clear_network,
    current_network,
    escape_markdown,
    lain_organisations,
    network_attributions,
    network_from_members,
    organisations,
    read_network_csv,
    report_for_people,
    store_network,
)
from anchormap.config import read_only
from anchormap.land.store import open_store
from anchormap.network.saved_lists import (
    SHARED_WITH,
    definition_from_organisations,
    definition_from_sites,
    may_delete,
    saved_list_words,
)
from anchormap.ui import cached
from anchormap.ui.entry import run_through_entry_point
from anchormap.ui.query_state import Param, QueryState
from anchormap.ui.saved_list import (
    LINK_PARAM,
    acting_access,
    forget_definition,
    keep_definition,
    open_list,
    opened_list,
)

run_through_entry_point()  # a link opened first after a restart still goes through app.py
st.set_page_config(page_title="AnchorMap: our network", page_icon=":round_pushpin:", layout="wide")


@st.cache_data(show_spinner=False)
def lain_suggestions():
    return lain_organisations(cached.anchors())


def suggest_lain() -> None:
    st.session_state["network_orgs"] = lain_suggestions()[0]


LINKED_KEY = "network_linked"  # (organisations, include closed) of a network chosen by organisation
LINK_READ_KEY = "network_link_read"


def link_state(organisations: list[str]) -> QueryState:
    return QueryState(
        [
            Param("orgs", (), many=True, choices=tuple(organisations), widget="network_orgs"),
            Param("closed", False, widget="network_include_closed"),
        ],
        page="Our_network",
    )


def use_organisations(anchors, chosen: list[str], include_closed: bool, label: str) -> None:
    try:
        chosen_net = network_from_members(anchors, chosen, include_closed=include_closed)
    except AnchorMapError as exc:
        st.error(str(exc))
    else:
        store_network(st.session_state, chosen_net, label)
        keep_definition(st.session_state, definition_from_organisations(chosen, include_closed))
        st.session_state[LINKED_KEY] = (tuple(chosen), bool(include_closed))
        st.session_state.pop("network_report", None)


SHOWN = {
    "name": "Name",
    "category_label": "Kind",
    "subtype": "Type",
    "organisation": "Organisation",
    "postcode": "Postcode",
    "borough_name": "Borough",
    "status": "Status",
    "provenance": "Note",
    "source_words": "Source and date",
}

st.title("Our network")
st.markdown(
    "Tell AnchorMap which sites belong to **your network**: choose member organisations from the "
    "built-in list of anchor institutions, or upload your own list. Every page then shows your network."
)

anchors = cached.anchors()
STATE = link_state(organisations(anchors))
values = STATE.restore()
if not st.session_state.get(LINK_READ_KEY):
    st.session_state[LINK_READ_KEY] = True
    if values["orgs"] and current_network(st.session_state) is None:
        use_organisations(
            anchors, list(values["orgs"]), values["closed"], f"{len(values['orgs'])} organisation(s) from a shared link"
        )
pick, upload = st.tabs(["Choose organisations", "Upload our own list"])

with pick:
    st.button(
        "Suggest London Anchor Institutions' Network members",
        key="suggest_lain",
        on_click=suggest_lain,
        help="Organisations named as LAIN members on public pages that match built-in anchors",
    )
    if "network_orgs" in st.session_state and st.session_state.get("suggest_lain"):
        unmatched = lain_suggestions()[1]
        if unmatched:
            st.caption("Named LAIN members with no matching sites here: " + "; ".join(unmatched))
    chosen = st.multiselect(
        "Member organisations",
        organisations(anchors),
        key="network_orgs",
        placeholder="Type to search: a trust, university, council...",
    )
    include_closed = st.checkbox("Include closed sites", key="network_include_closed")
    if st.button("Use these organisations", key="use_orgs", disabled=not chosen):
        use_organisations(anchors, chosen, include_closed, f"{len(chosen)} organisation(s) from the built-in anchors")

with upload:
    st.markdown(
        "A CSV file with a **name** column and either a **postcode** or coordinates (latitude and longitude, "
        "or easting and northing). Optional columns: **category** ("
        + ", ".join(c.label for c in CATEGORIES.values())
        + "), **organisation**, **address**."
    )
    file = st.file_uploader("Our list of sites (CSV)", type=["csv"], key="network_csv")
    if file is not None and st.button("Use this file", key="use_file"):
        try:
            uploaded, report = read_network_csv(
                file.getvalue(), file.name, cached.layer("postcodes"), cached.layer("boroughs")
            )
        except AnchorMapError as exc:
            st.error(escape_markdown(str(exc)))
        else:
            store_network(st.session_state, uploaded, f"uploaded file {file.name}")
            keep_definition(st.session_state, definition_from_sites(uploaded, file.name) if len(uploaded) else None)
            st.session_state["network_report"] = report
            st.session_state.pop(LINKED_KEY, None)
    report = st.session_state.get("network_report")
    if report is not None:
        (st.warning if report.problems else st.success)(escape_markdown(report.summary()))
        if report.problems:
            st.dataframe(report_for_people(report.frame()), hide_index=True, width="stretch")

current = current_network(st.session_state)
st.subheader("Our network now")
if current is None:
    st.info("No network chosen yet.")
else:
    st.write(f"{len(current)} site(s): {escape_markdown(st.session_state.get(NETWORK_LABEL_KEY, ''))}.")
    st.dataframe(anchor_table(current, SHOWN), hide_index=True, width="stretch")
    if st.button("Clear our network", key="clear_network"):
        clear_network(st.session_state)
        forget_definition(st.session_state)
        st.session_state.pop("network_report", None)
        st.session_state.pop(LINKED_KEY, None)
        st.rerun()
    lines = network_attributions(current, extra=("postcodes",) if (current["source"] == "network").any() else ())
    if lines:
        st.caption("Data: " + " ".join(lines))
    if opened_list(st.session_state):
        st.caption(
            "This network is a saved list: to share it, copy the address from your browser's address bar "
            "(it opens the list on any page for those who may see it)."
        )
    elif st.session_state.get(LINKED_KEY):
        st.caption(
            "To share this network, copy the address from your browser's address bar: the link names its organisations."
        )
    else:
        st.caption(
            "An uploaded list stays in this browser session only unless it is saved: it is not put in the page's link."
        )


def saved_lists_section(store, access) -> None:
    """Open a saved list; save the current network (members, stewards, the local user; not read-only)."""
    st.subheader("Saved network lists")
    lists = store.networks(access.person)
    if len(lists) == 0:
        st.info("No saved network lists that you can open yet.")
    else:
        words = {int(r["id"]): saved_list_words(r) for _, r in lists.iterrows()}
        chosen_id = st.selectbox("Saved lists you can open", list(words), format_func=words.get, key="saved_list")
        if st.button("Open this list", key="open_saved_list"):
            try:
                name = open_list(store, chosen_id, anchors, st.session_state)
            except AnchorMapError as exc:
                st.error(escape_markdown(str(exc)))
            else:
                st.session_state.pop(LINKED_KEY, None)
                st.session_state.pop("network_report", None)
                st.session_state["saved_list_message"] = f"Opened the saved list \u201c{name}\u201d."
                st.rerun()
        chosen = lists[lists["id"] == chosen_id].iloc[0]
        if not read_only() and may_delete(access, chosen["partner"]):
            sure = st.checkbox(
                f"Yes, delete \u201c{escape_markdown(chosen['name'])}\u201d for everyone",
                key=f"delete_sure_{chosen_id}",
            )
            if st.button("Delete this list", key="delete_saved_list", disabled=not sure):
                try:
                    store.delete_network(chosen_id, by=access.person)
                except AnchorMapError as exc:
                    st.error(escape_markdown(str(exc)))
                else:
                    if (opened_list(st.session_state) or (None,))[0] == chosen_id:
                        keep_definition(st.session_state, st.session_state.get("network_definition"))
                    st.session_state["saved_list_message"] = (
                        f"Deleted the saved list \u201c{chosen['name']}\u201d: its link no longer opens it. "
                        "The network shown here stays for this session."
                    )
                    st.rerun()
    message = st.session_state.pop("saved_list_message", None)
    if message:
        st.success(escape_markdown(message))
    if read_only() or not access.may_write:
        return
    definition = st.session_state.get("network_definition") if current_network(st.session_state) is not None else None
    if definition is None:
        st.caption("Choose or upload a network above to save it as a list.")
        return
    with st.form("save_network_form"):
        name = st.text_input("Name of the list", max_chars=100, key="save_list_name")
        choices = ["everyone", "partner"] if access.partner else ["everyone"]
        shared_with = st.radio(
            "Shared with",
            choices,
            format_func=lambda c: escape_markdown(f"{access.partner} only") if c == "partner" else SHARED_WITH[c],
            key="save_list_shared",
            horizontal=True,
        )
        save = st.form_submit_button("Save this network")
    if save:
        if not name.strip():
            st.error("Give the list a name before saving it.")
            return
        try:
            list_id = store.save_network(name.strip(), definition, shared_with=shared_with, by=access.person)
        except AnchorMapError as exc:
            st.error(escape_markdown(str(exc)))
        else:
            keep_definition(st.session_state, definition, (list_id, name.strip()))
            st.session_state["saved_list_message"] = (
                f"Saved the network as \u201c{name.strip()}\u201d, shared with "
                + (f"{access.partner} only" if shared_with == "partner" else "everyone")
                + ". Its link is now in the address bar."
            )
            st.rerun()


try:
    STORE = open_store()
    ACCESS = acting_access(STORE)
    saved_lists_section(STORE, ACCESS)
except AnchorMapError as exc:  # an unreachable store: the network still works for this session
    st.warning(escape_markdown(f"Saved network lists are not available just now: {exc}"))

linked = st.session_state.get(LINKED_KEY) if current is not None else None
orgs, closed = linked or ((), False)
STATE.publish({"orgs": orgs, "closed": closed})
opened = opened_list(st.session_state) if current is not None else None
if opened is not None:
    if st.query_params.get(LINK_PARAM) != str(opened[0]):
        st.query_params[LINK_PARAM] = str(opened[0])
elif LINK_PARAM in st.query_params:
    del st.query_params[LINK_PARAM]
