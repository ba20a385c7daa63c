"""The Place profile page's widgets: the simple place chooser, the cached profile and its sections.

The chooser (a borough, or wards of it; compare with nothing, the rest of the borough or
another borough) stands in for the shared place picker until that is merged: it returns place
text, which is all the page keeps in the link (``area`` and ``compare``). The profile itself is
:func:`anchormap.analysis.profile.place_profile`; the tables are those of
:mod:`anchormap.analysis.profile_outputs`, so the downloads print what the page shows.
"""

from __future__ import annotations

import streamlit as st

from anchormap import attribution_lines, edition_info, escape_markdown, frame_fingerprint, layer_stamp, store_stamp
from anchormap.analysis.change import CHANGE_WARNING
from anchormap.analysis.profile import REST, place_profile, profile_datasets
from anchormap.analysis.profile_outputs import (
    EMPTY_WORDS,
    MIME_TYPES,
    PROFILE_FORMATS,
    all_tables,
    format_value,
    map_png,
    profile_bytes,
    title_line,
)
from anchormap.analysis.profile_places import Choice, choice_of, ward_table
from anchormap.geo.place_text import PlaceError, parse_place, place_text
from anchormap.ui import cached

COMPARE_KINDS = {
    "none": "Nothing: this place on its own",
    "rest": "The rest of its borough",
    "borough": "Another borough",
}
"""The compare choices, as the page names them."""

FORMAT_LABELS = {
    "pdf": "Printable report (PDF, A4)",
    "html": "Web page (HTML)",
    "csv": "Figures (CSV)",
    "xlsx": "Figures (Excel)",
}


def wards():
    """Every 2025 ward with its borough (cached with the layer)."""
    return _wards(layer_stamp("lsoa_2021"))


@st.cache_data(show_spinner=False, max_entries=2)
def _wards(stamp: int):
    return ward_table(cached.lsoas(2025))


def boroughs() -> dict[str, str]:
    """Borough code -> name, by name."""
    b = cached.layer("boroughs").sort_values("borough_name")
    return dict(zip(b["borough_code"], b["borough_name"], strict=True))


RESTORED_KEY = "profile_restored_from"
"""Session key of the (place, compare) texts the chooser shows now: a link or another page that
brings different ones sets the chooser again."""


def from_link(text: str) -> str:
    """A place text from the link, without boundary-file parts: a link must never make the server
    open a file (a boundary file is uploaded with the sidebar's place chooser instead)."""
    try:
        parts = parse_place(text) if text.strip() else ()
    except PlaceError:
        return text  # said as a message when the profile is made
    if any(p.kind == "file" for p in parts):
        st.warning("A boundary file cannot be opened from a link: upload it with the place chooser in the side panel.")
        return place_text(tuple(p for p in parts if p.kind != "file"))
    return text


def remember_choices(area: str, compare: str) -> None:
    """Note the texts the chooser shows after this run (see :func:`restore_choices`)."""
    st.session_state[RESTORED_KEY] = (area, compare)


def restore_choices(area: str, compare: str) -> None:
    """Fill the chooser's widgets from the link's place texts (on the first run, and whenever the
    link or another page brings a place other than the one the chooser shows)."""
    area, compare = from_link(area), from_link(compare)
    if "profile_borough" in st.session_state and st.session_state.get(RESTORED_KEY) in (None, (area, compare)):
        return
    st.session_state.pop(LINKED_KEY, None)
    w = wards()
    choice = choice_of(area, w)
    if choice is None and area.strip():  # an MSOA, LSOAs, several boroughs...: shown as the link says
        st.session_state[LINKED_KEY] = (area, compare)
    choice = choice or Choice(next(iter(boroughs())))
    st.session_state["profile_borough"] = choice.borough
    st.session_state["profile_wards"] = list(choice.wards)
    other = choice_of(compare, w) if compare and compare != REST else None
    if compare == REST:
        st.session_state["profile_compare_kind"] = "rest"
    elif other is not None and not other.wards:
        st.session_state["profile_compare_kind"] = "borough"
        st.session_state["profile_compare_borough"] = other.borough
    else:
        st.session_state["profile_compare_kind"] = "none"


LINKED_KEY = "profile_linked_place"
"""Session key of (place, compare) texts from a link the chooser cannot show, kept until it is used."""


def _choose_instead() -> None:
    st.session_state.pop(LINKED_KEY, None)


def place_chooser() -> tuple[str, str]:
    """Draw the chooser; returns (place text, compare text; "" for none).

    A link's place the chooser cannot show (an MSOA, LSOAs, several boroughs, a 2022 ward) is
    used as it is, with a button to choose a borough or wards instead.
    """
    linked = st.session_state.get(LINKED_KEY)
    if linked:
        st.info("This profile is of the place given in the link.")
        st.button("Choose a borough or wards instead", key="profile_choose_instead", on_click=_choose_instead)
        return linked
    names = boroughs()
    w = wards()
    c1, c2 = st.columns(2)
    borough = c1.selectbox("Borough", list(names), key="profile_borough", format_func=names.get)
    mine = w[w["borough_code"] == borough]
    ward_names = dict(zip(mine["ward_code"], mine["ward_name"], strict=True))
    st.session_state["profile_wards"] = [x for x in st.session_state.get("profile_wards", []) if x in ward_names]
    chosen = c2.multiselect(
        "Only these wards (2025 boundaries; leave empty for the whole borough)",
        list(ward_names),
        key="profile_wards",
        format_func=ward_names.get,
    )
    place = Choice(borough, tuple(chosen)).text()
    kinds = dict(COMPARE_KINDS)
    if not chosen:
        kinds.pop("rest")
        if st.session_state.get("profile_compare_kind") == "rest":
            st.session_state["profile_compare_kind"] = "none"
    k1, k2 = st.columns(2)
    kind = k1.radio("Compare with", list(kinds), key="profile_compare_kind", format_func=kinds.get)
    compare = ""
    if kind == "rest":
        compare = REST
    elif kind == "borough":
        others = [b for b in names if b != borough]
        if st.session_state.get("profile_compare_borough") not in others:
            st.session_state["profile_compare_borough"] = others[0]
        other = k2.selectbox("The other borough", others, key="profile_compare_borough", format_func=names.get)
        compare = f"borough:{other}"
    return place, compare


@st.cache_resource(show_spinner="Working out the profile...", max_entries=16)
def _profile(area: str, compare: str, edition: int, stamps: tuple, network_key: int, _network):
    return place_profile(
        area,
        compare=compare or None,
        edition=edition,
        anchors=cached.anchors(),
        land=cached.land_assets(),
        network=_network,
        gap_context=cached.anchor_context(edition),
    )


def profile_for(area: str, compare: str, edition: int, network=None):
    """The profile (cached per place, edition, build of the layers, land store and network)."""
    stamps = (
        layer_stamp(edition_info(edition).lsoa_layer),
        layer_stamp("anchors"),
        layer_stamp("land_builtin"),
        store_stamp(),
    )
    return _profile(area, compare, edition, stamps, frame_fingerprint(network), network)


def headline(profile) -> None:
    """The key figures of each place side by side, in big type."""
    cols = st.columns(len(profile.places()))
    for col, p in zip(cols, profile.places(), strict=True):
        v = {i.key: i for i in p.indicators}
        col.markdown(f"### {escape_markdown(p.label[:1].upper() + p.label[1:])}")
        a, b = col.columns(2)
        a.metric("Residents", format_value(v["population"].value, "people"), help=v["population"].indicator)
        b.metric("Neighbourhoods", format_value(v["lsoas"].value, "neighbourhoods"), help=v["lsoas"].indicator)
        a.metric(
            "In England's most deprived 10%",
            format_value(v["imd_share_10"].value, "%"),
            help=f"Share of its neighbourhoods (IMD); London {format_value(v['imd_share_10'].london, '%')}, England 10%",
        )
        b.metric(
            "Average IMD score",
            format_value(v["imd_average_score"].value, "score"),
            help=f"Weighted by population; London {format_value(v['imd_average_score'].london, 'score')}",
        )
        a.metric("Area", format_value(v["area_km2"].value, "km²"))
    first = {i.key: i for i in profile.indicators}
    st.caption(
        f"Residents: {first['population'].indicator.removeprefix('Residents, ')}; source: {first['population'].source}. "
        f"Deprivation: {first['imd_share_10'].source}. Area: measured on the neighbourhoods' boundaries "
        f"({first['area_km2'].source})."
    )


def sections(profile) -> None:
    """Every table of the profile under its heading, with its source line."""
    for heading, table, source in all_tables(profile):
        st.subheader(heading)
        if heading.startswith("Change"):
            st.markdown(CHANGE_WARNING)
        if len(table):
            st.dataframe(table, hide_index=True, width="stretch")
        else:
            st.markdown(EMPTY_WORDS)
        st.caption(f"Source: {source}")


def notes(profile) -> None:
    """How the figures are worked out, and the attribution of every dataset."""
    with st.expander("How the figures are worked out", expanded=False):
        for n in profile.notes:
            st.markdown(f"- {n}")
    st.subheader("Where the information comes from")
    for line in attribution_lines(profile_datasets(profile)):
        st.caption(line)


def downloads(area: str, compare: str, edition: int, network, stem: str) -> None:
    """One download button per format, each file made only when its button is clicked."""
    cols = st.columns(len(PROFILE_FORMATS))
    for col, fmt in zip(cols, PROFILE_FORMATS, strict=True):
        col.download_button(
            FORMAT_LABELS[fmt],
            lambda fmt=fmt: profile_bytes(profile_for(area, compare, edition, network), fmt, f"{stem}.{fmt}"),
            file_name=f"{stem}.{fmt}",
            mime=MIME_TYPES[fmt],
            key=f"profile_download_{fmt}",
            on_click="ignore",
        )


@st.cache_data(show_spinner="Drawing the map...", max_entries=16)
def _map_png(key: tuple, _profile) -> bytes:
    return map_png(_profile)


def show_map(profile) -> None:
    """The small map of where need concentrates (the same picture as the PDF's)."""
    key = tuple(p.place.text for p in profile.places()) + (profile.edition, tuple(sorted(profile.place.lsoa_codes))[:3])
    st.image(
        _map_png(key, profile),
        caption="Darker and hatched: more deprived (decile 1 = the most deprived 10% in England).",
    )


def file_stem(profile) -> str:
    """The downloads' file name without its extension."""
    import re

    words = re.sub(r"[^A-Za-z0-9]+", "-", title_line(profile).split(":")[0]).strip("-").lower()
    return f"anchormap-profile-{words[:60]}-{profile.edition}"
