"""The plain-English area card for one neighbourhood (LSOA), for community sessions.

Pure data in, text out: every function takes tables (an LSOA row, the anchors layer, a land
table) and returns sentences or small tables; nothing here reads files or imports
Streamlit. The text is plain (no HTML, no Markdown): names come from data files, so whoever
shows it must escape it (:mod:`anchormap.ui.area_card_view` does).

Deprivation: one sentence per measure published in the edition, e.g. "This neighbourhood is
among the 20% most deprived areas in England for income." (decile 1 = most deprived 10%,
via :func:`anchormap.measures.decile_in_words`), each with a one-line explanation of what
the measure covers.

Nearby anchors and land: distances are in British National Grid metres (EPSG:27700), straight
lines on the same side of the Thames and, to the other side, the straight lines to and from the
best crossing open on foot (:mod:`anchormap.analysis.river`); walking distance and minutes use :mod:`anchormap.analysis.catchment`'s assumptions
(straight line x 1.3 for the street network, at 4.8 km/h). Land is listed when its status
is one of :data:`anchormap.land.schema.UNUSED_STATUSES` and, by default, a public body owns
it (:data:`PUBLIC_OWNER_TYPES`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from anchormap.analysis.catchment import DETOUR_FACTOR, WALK_KMH, walk_minutes, walk_radius_m
from anchormap.analysis.river import River, load_river
from anchormap.categories import CATEGORIES
from anchormap.data.fact_dates import fact_source_words
from anchormap.editions import DEFAULT_EDITION, EDITIONS, edition_info
from anchormap.errors import AnchorMapError
from anchormap.land.schema import UNUSED_STATUSES
from anchormap.measures import decile_in_words, get_measure, measures_for
from anchormap.names import tidy_name

DEFAULT_WALK_MINUTES = 15.0
"""Anchors and land are listed within this many minutes' walk."""
PER_CATEGORY = 3
"""At most this many anchors of each category are listed."""
FALLBACK_WALK_MINUTES = 60.0
"""When no site of a category is within the walk, the nearest one within this many minutes is named."""
MAX_LAND = 5

PUBLIC_OWNER_TYPES = ("council", "nhs", "gla_group", "central_government", "other_public")

MEASURE_HELP = {
    "imd": "all the topics below taken together",
    "income": "people on low incomes, including people out of work or on low pay",
    "employment": "people of working age who want to work but cannot, because of unemployment, illness, disability or caring",
    "education": "lack of qualifications and skills, for children and for adults",
    "health": "the risk of dying early or of a poor quality of life through ill health or disability",
    "crime": "the risk of being a victim of crime against people or property",
    "housing": "how hard it is to afford a decent home and to reach services such as a GP, a school or a shop",
    "environment": "the quality of homes and of the air, and road traffic accidents",
    "idaci": "children under 16 living in families on low incomes",
    "idaopi": "people aged 60 and over living on low incomes",
}

STATUS_WORDS = {
    "vacant": "empty",
    "surplus": "no longer needed by its owner (surplus)",
    "under_used": "partly unused (under-used)",
    "brownfield_available": "previously built-on land that could be used again (brownfield)",
    "closed_building": "a closed building",
}
OWNER_WORDS = {
    "council": "the council",
    "nhs": "the NHS",
    "gla_group": "the Mayor of London's organisations (GLA group)",
    "central_government": "central government",
    "other_public": "a public body",
    "private": "a private owner",
    "unknown": "an owner the register does not name",
}

GLOSSARY = (
    "Neighbourhood (LSOA, “lower layer super output area”): a small area of about 1,500 people "
    "(between 1,000 and 3,000) that official statistics use.",
    "Deprived: lacking things most people have, such as enough money, a job, good health, skills, "
    "a decent home or a safe, pleasant place to live. It is about the area, not about any one person.",
    "“Among the 10% most deprived”: every neighbourhood in England is put in order from most to "
    "least deprived and the list is cut into ten equal parts.",
    f"Walking times are estimates: the straight-line distance plus {round((DETOUR_FACTOR - 1) * 100)}% "
    f"for the streets, at an easy pace of {WALK_KMH:g} km/h. A walk to the other side of the Thames goes by "
    "the nearest bridge, foot tunnel or ferry open on foot. Railways and parks can make a walk longer.",
)


@dataclass(frozen=True)
class MeasureLine:
    """One deprivation measure in words."""

    key: str
    label: str
    decile: int | None
    sentence: str
    explanation: str


@dataclass(frozen=True)
class AreaCard:
    """Everything the card says, as plain text (escape before showing as HTML)."""

    title: str
    subtitle: str
    about: str
    edition_note: str
    overall: MeasureLine
    domains: tuple[MeasureLine, ...]
    area_summary: str
    anchors: pd.DataFrame = field(repr=False)
    anchor_lines: tuple[str, ...]
    anchor_note: str
    land: pd.DataFrame = field(repr=False)
    land_lines: tuple[str, ...]
    land_note: str
    glossary: tuple[str, ...] = GLOSSARY


# --- deprivation -----------------------------------------------------------------------------


def _decile(value: object) -> int | None:
    try:
        d = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(d) or not 1 <= d <= 10:
        return None
    return int(d)


def measure_sentence(key: str, decile: object) -> str:
    """ "This neighbourhood is among the 20% most deprived areas in England for income." """
    m = get_measure(key)
    d = _decile(decile)
    if d is None:
        return f"There is no figure for {m.plain} for this neighbourhood."
    if key == "imd":
        return f"Overall, this neighbourhood is {decile_in_words(d)}."
    return f"This neighbourhood is {decile_in_words(d)} for {m.plain}."


def deprivation_lines(lsoa: Mapping, edition: int) -> list[MeasureLine]:
    """One :class:`MeasureLine` per measure the edition publishes, overall IMD first."""
    lines = []
    for m in measures_for(edition):
        d = _decile(lsoa.get(f"{m.key}_decile"))
        lines.append(MeasureLine(m.key, m.label, d, measure_sentence(m.key, d), MEASURE_HELP[m.key]))
    return lines


def edition_note(edition: int) -> str:
    """Where the card's figures come from, in one sentence.

    Parameters
    ----------
    edition : int
        An IoD edition year (see :mod:`anchormap.editions`).

    Returns
    -------
    str
        The sentence, naming the edition, the number of LSOAs in England and their boundaries.

    >>> "all 32,844 neighbourhoods in England (2011 boundaries). Data:" in edition_note(2019)
    True
    """
    e = edition_info(edition)
    dated = "; ".join(w for w in (fact_source_words(ds) for ds in e.datasets if ds.startswith("imd")) if w)
    return (
        f"Figures from the English Indices of Deprivation {e.year} (Ministry of Housing, Communities and "
        f"Local Government), which compare all {e.lsoas_in_england:,} neighbourhoods in England "
        f"({e.boundaries} boundaries)." + (f" Data: {dated}." if dated else "")
    )


def area_summary(lsoas: pd.DataFrame, area_name: str, measure: str = "imd", worst_deciles: int = 2) -> str:
    """How many of an area's neighbourhoods are among the ``worst_deciles`` x 10% most deprived.

    "Of the 175 neighbourhoods in Lewisham, 40 (23%) are among the 20% most deprived in England overall."
    """
    m = get_measure(measure)
    col = f"{measure}_decile"
    if lsoas is None or len(lsoas) == 0 or col not in lsoas:
        return ""
    deciles = pd.to_numeric(lsoas[col], errors="coerce")
    n = int(deciles.notna().sum())
    if n == 0:
        return ""
    k = int((deciles <= worst_deciles).sum())
    what = "overall" if measure == "imd" else f"for {m.plain}"
    noun = "neighbourhood" if n == 1 else "neighbourhoods"
    verb = "is" if k == 1 else "are"
    return (
        f"Of the {n:,} {noun} in {area_name}, {k:,} ({k / n:.0%}) {verb} among the "
        f"{worst_deciles * 10}% most deprived in England {what}."
    )


# --- distances -------------------------------------------------------------------------------


def walk_words(distance_m: float, via: str = "") -> str:
    """ "about 650 m, 8 minutes' walk" for a distance in metres (BNG) before the detour factor.

    ``distance_m`` is what :func:`nearby_anchors` gives: the straight line, or for a site across
    the Thames the straight lines to and from the crossing (:mod:`anchormap.analysis.river`).
    The walking distance is that x the detour factor, rounded to 50 m (or to 0.1 km from
    1 km); minutes are rounded, at least 1. With ``via`` (a crossing's name) the words say
    which way the walk crosses the river.

    Examples
    --------
    >>> walk_words(500)
    "about 650 m, 8 minutes' walk"
    >>> walk_words(4000, via="Greenwich Foot Tunnel")
    "about 5.2 km, 65 minutes' walk by the Greenwich Foot Tunnel"
    """
    walked = float(distance_m) * DETOUR_FACTOR
    minutes = max(1, int(round(float(walk_minutes(distance_m)))))
    if walked < 1000:
        dist = f"about {max(50, int(round(walked / 50.0)) * 50)} m"
    else:
        dist = f"about {walked / 1000:.1f} km"
    unit = "minute's" if minutes == 1 else "minutes'"
    by = f" by the {via[4:] if via.lower().startswith('the ') else via}" if via else ""
    return f"{dist}, {minutes} {unit} walk{by}"


def _xy(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if {"easting", "northing"} <= set(df.columns):
        return (
            pd.to_numeric(df["easting"], errors="coerce").to_numpy(dtype=float),
            pd.to_numeric(df["northing"], errors="coerce").to_numpy(dtype=float),
        )
    geom = df.geometry
    ok = geom.notna() & ~geom.is_empty
    x = np.full(len(df), np.nan)
    y = np.full(len(df), np.nan)
    x[ok.to_numpy()] = geom[ok].x.to_numpy()
    y[ok.to_numpy()] = geom[ok].y.to_numpy()
    return x, y


def nearby_anchors(
    anchors: pd.DataFrame,
    easting: float,
    northing: float,
    *,
    minutes: float = DEFAULT_WALK_MINUTES,
    per_category: int = PER_CATEGORY,
    categories: Iterable[str] | None = None,
    fallback_minutes: float = FALLBACK_WALK_MINUTES,
    walking: str = "river",
    river=None,
) -> pd.DataFrame:
    """The nearest open anchor sites of each category around a BNG point (metres).

    Up to ``per_category`` sites per category within ``minutes`` of walking; when a category
    has none that close, its single nearest site within ``fallback_minutes`` (``within_walk``
    False). With ``walking="river"`` (default) a site across the Thames is as far as the walk
    by the best crossing open on foot (:mod:`anchormap.analysis.river`; ``river`` defaults to
    the built ``river`` layer); ``walking="straight"`` ignores the river.

    Columns: name, category, category_label, subtype, organisation, provenance,
    distance_m (metres before the detour factor: the straight line, or via the crossing),
    straight_m (the straight line), via (the crossing's name; "" on the same bank), walk_m,
    walk_minutes, within_walk; sorted by category order then distance.
    """
    cols = [
        "name",
        "category",
        "category_label",
        "subtype",
        "organisation",
        "provenance",
        "distance_m",
        "straight_m",
        "via",
        "walk_m",
        "walk_minutes",
        "within_walk",
    ]
    if anchors is None or len(anchors) == 0:
        return pd.DataFrame(columns=cols)
    keys = list(CATEGORIES) if categories is None else [c for c in CATEGORIES if c in set(categories)]
    near = walk_radius_m(minutes)
    far = walk_radius_m(max(fallback_minutes, minutes))
    # the sites within reach in a straight line first (numbers only), then the rest on those few rows
    x_all, y_all = _xy(anchors)
    with np.errstate(invalid="ignore"):
        df = anchors.iloc[np.flatnonzero(np.hypot(x_all - float(easting), y_all - float(northing)) <= far)]
    if "status" in df:
        df = df[df["status"].astype(str).str.lower() != "closed"]
    df = df[df["category"].isin(keys)]
    x, y = _xy(df)
    straight = np.hypot(x - float(easting), y - float(northing))
    d, via = straight.copy(), np.full(len(df), -1)
    names = None
    if walking != "straight":
        river = river if river is not None else load_river()
        names = river.crossings["name"].to_numpy()
        ok = np.flatnonzero(np.isfinite(straight) & (straight <= far))  # the river only makes walks longer
        n = len(ok)
        d[ok], via[ok] = river.walk_m(np.full(n, float(easting)), np.full(n, float(northing)), x[ok], y[ok])
    within_far = np.flatnonzero(np.isfinite(d) & (d <= far))
    by_distance = within_far[np.argsort(d[within_far], kind="stable")]
    category = df["category"].to_numpy()
    picked: list[int] = []
    for key in keys:
        mine = by_distance[category[by_distance] == key]
        inside = mine[d[mine] <= near][:per_category]
        picked.extend(int(pos) for pos in (inside if len(inside) else mine[:1]))
    text_cols = [c for c in ("name", "subtype", "organisation", "provenance") if c in df.columns]
    facts = pd.DataFrame(df.iloc[picked][text_cols]).to_dict("records")  # only the rows and columns used
    rows = []
    for pos, rec in zip(picked, facts, strict=True):
        dist, k = float(d[pos]), int(via[pos])
        rows.append(
            {
                "name": tidy_name(rec.get("name")) or "Unnamed site",
                "category": str(category[pos]),
                "category_label": CATEGORIES[str(category[pos])].label,
                "subtype": str(rec.get("subtype", "") or ""),
                "organisation": tidy_name(rec.get("organisation")),
                "provenance": str(rec.get("provenance", "") or ""),
                "distance_m": dist,
                "straight_m": float(straight[pos]),
                "via": str(names[k]) if names is not None and k >= 0 else "",
                "walk_m": dist * DETOUR_FACTOR,
                "walk_minutes": float(walk_minutes(dist)),
                "within_walk": bool(dist <= near),
            }
        )
    return pd.DataFrame(rows, columns=cols)


def anchor_sentence(site: Mapping) -> str:
    """ "Lewisham Library (Library): about 650 m, 8 minutes' walk — Public libraries (Arts Council England), 2023."

    With caveats (unchecked or approximate location, moved by the position check) and, when
    the site has a ``source``, that dataset's name and date, old data marked
    (:func:`anchormap.data.fact_dates.fact_source_words`).
    """
    what = str(site.get("subtype") or "").strip() or CATEGORIES[site["category"]].label
    text = f"{site['name']} ({what.lower() if what.isupper() else what}): {walk_words(site['distance_m'], str(site.get('via') or ''))}"
    prov = str(site.get("provenance") or "")
    if "unverified" in prov:
        text += " (this location has not been checked)"
    elif "fallback" in prov or "approximate" in prov:
        text += " (location approximate)"
    if str(site.get("position_check") or "").startswith("Placed at its postcode"):
        text += " (placed at its postcode: its published map point was more than 1 km away)"
    if not site.get("within_walk", True):
        text = "Nearest: " + text
    return _with_source(text, site) + "."


def _with_source(text: str, site: Mapping) -> str:
    """``text`` — the source and date of the site's facts (nothing added without a ``source``)."""
    words = fact_source_words(str(site.get("source") or ""), site.get("source_date"))
    return f"{text} — {words}" if words else text


def nearby_unused_land(
    land: pd.DataFrame,
    easting: float,
    northing: float,
    *,
    minutes: float = DEFAULT_WALK_MINUTES,
    limit: int = MAX_LAND,
    public_only: bool = True,
    walking: str = "river",
    river: River | None = None,
) -> pd.DataFrame:
    """Land or buildings marked unused around a BNG point (metres), nearest first.

    Keeps rows whose ``status`` is in :data:`UNUSED_STATUSES`, that are on the map, within
    ``minutes`` of walking and (``public_only``) owned by a public body. As in
    :func:`nearby_anchors`, a site across the Thames is as far as the walk by the best crossing
    (``walking="straight"`` ignores the river). Columns: name, address, status, status_words,
    owner_type, owner_words, owner_organisation, site_area_ha, source, distance_m (metres before
    the detour factor), via (the crossing's name; "" on the same bank), walk_minutes, lat, lon
    (WGS84 degrees, for the map).
    """
    cols = [
        "name",
        "address",
        "status",
        "status_words",
        "owner_type",
        "owner_words",
        "owner_organisation",
        "site_area_ha",
        "source",
        "distance_m",
        "via",
        "walk_minutes",
        "lat",
        "lon",
    ]
    if land is None or len(land) == 0 or "status" not in land:
        return pd.DataFrame(columns=cols)
    df = land[land["status"].isin(UNUSED_STATUSES)]
    if public_only and "owner_type" in df:
        df = df[df["owner_type"].isin(PUBLIC_OWNER_TYPES)]
    if "on_map" in df:
        df = df[df["on_map"].fillna(False).astype(bool)]
    x, y = _xy(df)
    d = np.hypot(x - float(easting), y - float(northing))
    keep = np.isfinite(d) & (d <= walk_radius_m(minutes))
    df, d = df[keep], d[keep]
    via = np.full(len(df), -1)
    names = None
    if walking != "straight" and len(df):
        river = river if river is not None else load_river()
        names = river.crossings["name"].to_numpy()
        d, via = river.walk_m(np.full(len(df), float(easting)), np.full(len(df), float(northing)), x[keep], y[keep])
        keep = d <= walk_radius_m(minutes)
        df, d, via = df[keep], d[keep], via[keep]
    order = np.argsort(d, kind="stable")[:limit]
    out = []
    for i in order:
        rec = df.iloc[int(i)]
        owner = str(rec.get("owner_type") or "unknown")
        area = pd.to_numeric(pd.Series([rec.get("site_area_ha")]), errors="coerce").iloc[0]
        out.append(
            {
                "name": tidy_name(rec.get("name")) or "Unnamed site",
                "address": str(rec.get("address") or ""),
                "status": rec["status"],
                "status_words": STATUS_WORDS.get(rec["status"], str(rec["status"])),
                "owner_type": owner,
                "owner_words": OWNER_WORDS.get(owner, "a public body"),
                "owner_organisation": tidy_name(rec.get("owner_organisation")),
                "site_area_ha": float(area) if pd.notna(area) else float("nan"),
                "source": str(rec.get("source") or ""),
                "distance_m": float(d[i]),
                "via": str(names[int(via[i])]) if names is not None and via[i] >= 0 else "",
                "walk_minutes": float(walk_minutes(d[i])),
                "lat": pd.to_numeric(rec.get("lat"), errors="coerce"),
                "lon": pd.to_numeric(rec.get("lon"), errors="coerce"),
            }
        )
    return pd.DataFrame(out, columns=cols)


def land_sentence(site: Mapping) -> str:
    """ "Former depot: previously built-on land ... owned by the council, 1.2 hectares; about 400 m, 5 minutes' walk." """
    owner = site.get("owner_organisation") or site.get("owner_words") or "a public body"
    text = f"{site['name']}: {site['status_words']}, owned by {owner}"
    area = site.get("site_area_ha")
    if area is not None and area == area and float(area) > 0:
        text += f", {float(area):.1f} hectares" if float(area) >= 0.1 else ", under 0.1 hectares"
    return _with_source(f"{text}; {walk_words(site['distance_m'], str(site.get('via') or ''))}", site) + "."


def _anchor_facts(near: pd.DataFrame, anchors: pd.DataFrame | None, easting: float, northing: float) -> pd.DataFrame:
    """``near`` with each site's ``source`` and ``position_check`` from ``anchors``.

    The rows of :func:`nearby_anchors` carry no id: each is matched to the open anchor of the
    same category and (tidied) name nearest the searched point (BNG metres).
    """
    out = near.copy()
    out["source"], out["position_check"] = "", ""
    if anchors is None or not len(near) or "source" not in anchors:
        return out
    # each site of ``near`` is in ``anchors`` at its straight_m: its best match is no farther away
    x, y = _xy(anchors)
    with np.errstate(invalid="ignore"):
        d = np.hypot(x - float(easting), y - float(northing))
        close = np.flatnonzero(d <= float(near["straight_m"].max()) + 1.0)
    cols = [c for c in ("category", "name", "status", "source", "position_check") if c in anchors.columns]
    pool = pd.DataFrame(anchors.iloc[close][cols]).assign(_d=d[close])
    pool = pool[pool["category"].isin(set(near["category"]))]
    if "status" in pool:
        pool = pool[pool["status"].astype(str).str.lower() != "closed"]
    best: dict[tuple[str, str], dict] = {}
    for rec in pool.sort_values("_d", kind="stable").to_dict("records"):  # the nearest of each name first
        best.setdefault((rec["category"], tidy_name(rec["name"])), rec)
    found = [best.get((cat, name)) for cat, name in zip(out["category"], out["name"], strict=True)]
    out["source"] = [str(rec.get("source") or "") if rec else "" for rec in found]
    out["position_check"] = [str(rec.get("position_check") or "") if rec else "" for rec in found]
    return out


def _land_facts(plots: pd.DataFrame, land: pd.DataFrame | None) -> pd.DataFrame:
    """``plots`` with each site's own ``source_date`` (an upload's date) from ``land``, matched
    on source and WGS84 point (degrees, 6 decimals)."""
    out = plots.copy()
    out["source_date"] = None
    if land is None or not len(plots) or "source_date" not in land:
        return out
    key = land[["source", "lat", "lon", "source_date"]].copy()
    key["lat"], key["lon"] = (
        pd.to_numeric(key["lat"], errors="coerce").round(6),
        pd.to_numeric(key["lon"], errors="coerce").round(6),
    )
    dates = key.drop_duplicates(["source", "lat", "lon"]).set_index(["source", "lat", "lon"])["source_date"]
    for i, (src, lat, lon) in enumerate(zip(out["source"], out["lat"], out["lon"], strict=True)):
        k = (src, round(float(lat), 6), round(float(lon), 6)) if lat == lat and lon == lon else None
        if k is not None and k in dates.index:
            out.iloc[i, out.columns.get_loc("source_date")] = dates.loc[k]
    return out


# --- the card --------------------------------------------------------------------------------


def build_area_card(
    lsoa: Mapping,
    edition: int,
    easting: float,
    northing: float,
    *,
    anchors: pd.DataFrame | None = None,
    land: pd.DataFrame | None = None,
    searched: str = "",
    area_lsoas: pd.DataFrame | None = None,
    area_name: str = "",
    minutes: float = DEFAULT_WALK_MINUTES,
    categories: Iterable[str] | None = None,
) -> AreaCard:
    """The card for the LSOA row ``lsoa`` (a row of the ``edition``'s LSOA layer).

    ``easting``/``northing`` (BNG metres) is the searched point anchors and land are measured
    from. ``area_lsoas`` (the LSOA rows of a searched ward or borough, named ``area_name``)
    adds a summary sentence for the whole area.
    """
    if edition not in EDITIONS:
        edition = DEFAULT_EDITION
    lines = deprivation_lines(lsoa, edition)
    name = str(lsoa.get("lsoa_name", "") or lsoa.get("lsoa_code", ""))
    borough = str(lsoa.get("borough_name", "") or "")
    ward = next((str(lsoa.get(c) or "") for c in edition_info(edition).ward_columns[1:] if c in lsoa), "")
    where = ", ".join(p for p in [f"{ward} ward" if ward else "", borough] if p)
    title = searched or name
    subtitle = f"Neighbourhood {name}" + (f", in {where}." if where else ".")
    about = "A neighbourhood here is an “LSOA”: a small area of about 1,500 people that official statistics use."
    if area_name:
        about = (
            f"{area_name[:1].upper()}{area_name[1:]} is a large area with many neighbourhoods. The figures below are for {name}, "
            f"the neighbourhood near its middle: search for a postcode to see your own street. " + about
        )

    near = nearby_anchors(anchors, easting, northing, minutes=minutes, categories=categories)
    anchor_lines = tuple(anchor_sentence(r) for r in _anchor_facts(near, anchors, easting, northing).to_dict("records"))
    within = int(near["within_walk"].sum()) if len(near) else 0
    mins = f"{minutes:g} minutes' walk"
    if anchors is None:
        anchor_note = ""
    elif within:
        anchor_note = f"Anchor institutions (hospitals, colleges, libraries and other big local organisations) within {mins}, nearest first in each group:"
    elif len(near):
        anchor_note = f"No anchor institution of the chosen kinds is within {mins}. The nearest ones:"
    else:
        anchor_note = f"No anchor institution of the chosen kinds is within {FALLBACK_WALK_MINUTES:g} minutes' walk."

    plots = nearby_unused_land(land, easting, northing, minutes=minutes)
    land_lines = tuple(land_sentence(r) for r in _land_facts(plots, land).to_dict("records"))
    if land is None:
        land_note = ""
    elif len(plots):
        land_note = (
            f"Public land and buildings within {mins} that registers mark as empty, surplus, "
            "under-used or available to build on:"
        )
    else:
        land_note = (
            f"No public land or building within {mins} is marked as empty, surplus or under-used "
            "in the registers AnchorMap holds (they do not cover every borough)."
        )

    summary = area_summary(area_lsoas, area_name) if area_lsoas is not None and area_name else ""
    return AreaCard(
        title=title,
        subtitle=subtitle,
        about=about,
        edition_note=edition_note(edition),
        overall=lines[0],
        domains=tuple(lines[1:]),
        area_summary=summary,
        anchors=near,
        anchor_lines=anchor_lines,
        anchor_note=anchor_note,
        land=plots,
        land_lines=land_lines,
        land_note=land_note,
    )


def card_to_text(card: AreaCard) -> str:
    """The whole card as plain text (for downloads, tests and screen readers)."""
    parts = [card.title, card.subtitle, card.about, ""]
    if card.area_summary:
        parts += [card.area_summary, ""]
    parts += [card.overall.sentence]
    parts += [f"- {m.sentence} ({m.label}: {m.explanation}.)" for m in card.domains]
    parts += ["", card.edition_note]
    if card.anchor_note:
        parts += ["", card.anchor_note, *[f"- {s}" for s in card.anchor_lines]]
    if card.land_note:
        parts += ["", card.land_note, *[f"- {s}" for s in card.land_lines]]
    parts += ["", "What the words mean:", *[f"- {g}" for g in card.glossary]]
    return "\n".join(p for p in parts if p is not None).strip() + "\n"


def card_for_place(
    place,
    lsoa_layer: pd.DataFrame,
    *,
    anchors: pd.DataFrame | None = None,
    land: pd.DataFrame | None = None,
    minutes: float = DEFAULT_WALK_MINUTES,
    categories: Iterable[str] | None = None,
) -> AreaCard:
    """The card for a :class:`anchormap.geo.place_search.Place`, given the edition's LSOA layer.

    For a ward, borough or postcode district the card also summarises all its neighbourhoods.
    """
    rows = lsoa_layer[lsoa_layer["lsoa_code"] == place.lsoa_code]
    if rows.empty:
        msg = f"The neighbourhood {place.lsoa_code} is not in the {place.edition} LSOA layer."
        raise AnchorMapError(msg)
    lsoa = rows.iloc[0].to_dict()
    area = None
    area_name = ""
    if place.kind in ("ward", "borough", "postcode_district") and place.area_lsoa_codes:
        area = lsoa_layer[lsoa_layer["lsoa_code"].isin(place.area_lsoa_codes)]
        area_name = f"the {place.label}" if place.kind == "postcode_district" else place.label
    return build_area_card(
        lsoa,
        place.edition,
        place.easting,
        place.northing,
        anchors=anchors,
        land=land,
        searched=place.label,
        area_lsoas=area,
        area_name=area_name,
        minutes=minutes,
        categories=categories,
    )
