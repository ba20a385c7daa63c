"""What people read in pop-ups and tables: words, never column names, ids or "None".

Pages and map layers pass their rows through these functions before showing them:

* :func:`source_and_date` names a row's source and how old it is ("NHS estates return, 2016/17
  (more than five years old)", from :func:`anchormap.data.fact_dates.source_words`);
* :func:`placed_by` says how a point was found, without the coordinate system's code name;
* :func:`readable_table` gives a table human headings (:func:`anchormap.data.columns.column_info`
  unless a page names them), turns snake_case values and True/False into words and leaves a
  missing value empty (Streamlit shows a missing value as "None").

Everything here returns plain text; the map script and Streamlit escape it when they show it.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from anchormap.data.columns import column_info
from anchormap.data.fact_dates import OLD_WORDS, is_old, source_words

SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")
"""A value that reads as a code (``brownfield_available``): shown as words instead."""

STATUS_WORDS = {"open": "Open", "closed": "Closed"}
"""An anchor's ``status`` in words."""

CAVEAT_WORDS = {
    "postcode-sector fallback geocode": "placed at the middle of its postcode sector (no exact position)",
    "unverified provenance": "where this record comes from has not been verified",
    "approximate position from the building's published coordinates": (
        "placed approximately, from coordinates published for the building (its postcode is not a current one)"
    ),
    "postcode corrected from a typing error in the source": "its postcode was mistyped in the source and corrected",
}
"""Each caveat the anchors layer's ``provenance`` may hold, in words
(:mod:`anchormap.data.layers.anchor_sources` writes them)."""

PROVENANCE_WORDS = {
    **CAVEAT_WORDS,
    **{f"{a}; {b}": f"{wa}; {wb}" for a, wa in CAVEAT_WORDS.items() for b, wb in CAVEAT_WORDS.items() if a != b},
}
"""The anchors layer's ``provenance`` values in words: each caveat, and two joined with "; "."""


def provenance_words(value: object) -> str:
    """An anchors layer ``provenance`` value (caveats joined with "; ") in words.

    >>> provenance_words("unverified provenance; postcode-sector fallback geocode")
    'where this record comes from has not been verified; placed at the middle of its postcode sector (no exact position)'
    >>> provenance_words(""), provenance_words(None)
    ('', '')
    """
    parts = [p.strip() for p in value_words(value).split(";") if p.strip()]
    return "; ".join(CAVEAT_WORDS.get(p, value_words(p)) for p in parts)


def value_words(value: object) -> str:
    """One value as text people read: "" for a missing value, "Yes"/"No" for True/False, a
    snake_case code as words.

    >>> value_words(None), value_words(float("nan")), value_words(True), value_words("closed_building")
    ('', '', 'Yes', 'Closed building')
    >>> value_words("Brent 021B"), value_words(3)
    ('Brent 021B', '3')
    """
    if _missing_as_none(value) is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "Yes" if value else "No"
    text = str(value).strip()
    if text.lower() in ("none", "nan", "nat"):
        return ""
    if SNAKE.match(text):
        text = text.replace("_", " ")
        return text[:1].upper() + text[1:]
    return text


def date_words(value: object) -> str:
    """A date as people write it ("24 November 2017"); other text (such as "2016/17") as it is.

    >>> date_words("2017-11-24"), date_words("2016/17"), date_words(None)
    ('24 November 2017', '2016/17', '')
    """
    text = value_words(value)
    try:
        day = datetime.date.fromisoformat(text[:10])
    except ValueError:
        return text
    return f"{day.day} {day:%B %Y}"


def source_and_date(source: object, source_date: object = None, partner: object = None) -> str:
    """Where a row comes from and how old it is, in words (worked out once per value, manifest and day).

    Parameters
    ----------
    source : str
        The row's ``source``: a manifest dataset id, or a partner upload's own source.
    source_date : str or date, optional
        The row's own date (land registers give one per row), shown after the dataset's name
        when it is more precise than the dataset's date.
    partner : str, optional
        The organisation that supplied the row, named when the source is not in the manifest.

    Returns
    -------
    str
        For example "NHS estates return, 2016/17 (more than five years old)", or
        "LB Lewisham's register, 3 March 2024" for an upload.

    >>> source_and_date("eric_sites", "2016/17")
    'NHS estates return, 2016/17 (more than five years old)'
    >>> source_and_date("brownfield_london_2017", "2017-11-24")
    'London brownfield register, 2017 (more than five years old): this record 24 November 2017'
    >>> source_and_date("upload:3", "2099-01-31", partner="LB Lewisham")
    "LB Lewisham's register, 31 January 2099"
    >>> source_and_date("network")
    "Our network's own list"
    """
    from anchormap.data.sources import manifest_version

    values = (_missing_as_none(source), _missing_as_none(source_date), _missing_as_none(partner))
    try:  # a map's pop-ups and a register's table ask for the same few sources thousands of times
        return _remembered_source_and_date(
            manifest_version(), datetime.date.today(), tuple(type(v) for v in values), *values
        )
    except TypeError:  # a value that cannot be a key
        return _source_and_date(source, source_date, partner)


def sources_and_dates(sources: Iterable, dates: Iterable | None = None, partners: Iterable | None = None) -> list[str]:
    """:func:`source_and_date` of every row of a table (the three columns side by side), each
    different (source, date, partner) worked out once: thousands of rows have a few sources.

    Parameters
    ----------
    sources : iterable
        The rows' ``source``.
    dates, partners : iterable, optional
        The rows' own date and supplier (as long as ``sources``); missing for every row when None.

    Returns
    -------
    list of str
        One text per row.
    """
    sources = list(sources)
    dates = [None] * len(sources) if dates is None else list(dates)
    partners = [None] * len(sources) if partners is None else list(partners)
    said: dict[tuple[str, str, str], str] = {}
    out = []
    for src, when, who in zip(sources, dates, partners, strict=True):
        key = (repr(src), repr(when), repr(who))  # one repr per value: NaN, None and dates keep apart
        if key not in said:
            said[key] = source_and_date(src, when, who)
        out.append(said[key])
    return out


def _missing_as_none(value: object) -> object:
    """None for every kind of missing value (so that they share one cache entry), else ``value``."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    return value


@functools.lru_cache(maxsize=8192)
def _remembered_source_and_date(
    _manifest: tuple, _today: datetime.date, _types: tuple, source: object, source_date: object, partner: object
) -> str:
    """:func:`_source_and_date`, remembered. The manifest's version, the day and the values' types
    (``1`` and ``1.0`` are equal keys, but read differently) only key the cache."""
    return _source_and_date(source, source_date, partner)


def _source_and_date(source: object, source_date: object = None, partner: object = None) -> str:
    words = source_words(str(source)) if value_words(source) else ""
    when = date_words(source_date)
    if words:
        if when and when not in words and not _is_edition_date(str(source), source_date):
            words = f"{words}: this record {when}"
        return words
    who = value_words(partner)
    if str(source) == "network" and not who:  # anchormap.network.lists.NETWORK_SOURCE
        base = "Our network's own list"
    else:
        base = f"{who}'s register" if who else "Uploaded register"
    if not when:
        return base
    text = f"{base}, {when}"
    try:
        if is_old(datetime.date.fromisoformat(str(source_date)[:10])):
            text += f" ({OLD_WORDS})"
    except ValueError:
        pass
    return text


def _is_edition_date(dataset_id: str, source_date: object) -> bool:
    """True when ``source_date`` is just the dataset's own edition date (already in its words)."""
    from anchormap.data.sources import load_manifest

    dataset = load_manifest().get(dataset_id)
    edition = getattr(dataset, "edition_date", None)
    return edition is not None and value_words(source_date)[:10] == edition.isoformat()


def placed_by(method: object) -> str:
    """How a point was found, in words (no coordinate-system code names).

    >>> placed_by("source coordinates (ecef_xy_etrs89, normalised)")
    "the source's own coordinates"
    >>> placed_by("postcode exact")
    "the postcode's point (OS Code-Point Open)"
    >>> placed_by("postcode sector centroid")
    'the middle of the postcode sector (no exact position)'
    """
    text = value_words(method)
    low = text.lower()
    if not low:
        return ""
    if low.startswith("source coordinates"):
        return "the source's own coordinates"
    if low.startswith("postcode exact") or low == "postcode":
        return "the postcode's point (OS Code-Point Open)"
    if "sector" in low:
        return "the middle of the postcode sector (no exact position)"
    if "district" in low:
        return "the middle of the postcode district (no exact position)"
    return re.sub(r"\(([^)]*_[^)]*)\)", "", text).replace("_", " ").strip()


def readable_table(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    *,
    keep_numbers: Sequence[str] = (),
) -> pd.DataFrame:
    """A table as a page shows it: human headings, words in every cell, nothing shown as "None".

    Parameters
    ----------
    frame : DataFrame
        Any table with code-style column names.
    columns : sequence of str, optional
        The columns shown, in order (those absent from ``frame`` are left out); all by default
        (a ``geometry`` column is always left out).
    labels : mapping of str to str, optional
        Headings for some columns; the others get :func:`anchormap.data.columns.column_info`'s title.
    keep_numbers : sequence of str
        Numeric columns kept as numbers even when some values are missing (they sort as numbers;
        Streamlit leaves their empty cells blank only when they have none missing).

    Returns
    -------
    DataFrame
        Text columns as words (:func:`value_words`); a numeric column with missing values becomes
        text with the missing cells empty; numeric columns without missing values stay numbers.

    >>> t = pd.DataFrame({"owner_type": ["nhs", None], "site_area_ha": [1.5, float("nan")], "on_map": [True, False]})
    >>> readable_table(t, labels={"owner_type": "Owner"}).to_dict("records")
    [{'Owner': 'nhs', 'Site area (ha)': '1.5', 'On the map': 'Yes'}, {'Owner': '', 'Site area (ha)': '', 'On the map': 'No'}]
    """
    labels = dict(labels or {})
    cols = [c for c in (columns if columns is not None else frame.columns) if c in frame.columns and c != "geometry"]
    out = pd.DataFrame(index=frame.index)
    for c in cols:
        s = frame[c]
        if pd.api.types.is_bool_dtype(s):
            out[c] = s.map(value_words)
        elif pd.api.types.is_numeric_dtype(s):
            if s.isna().any() and c not in keep_numbers:
                out[c] = s.map(_number_text)
            else:
                out[c] = s
        else:
            out[c] = s.map(value_words)
    return out.rename(columns={c: labels.get(c) or heading(c) for c in cols}).reset_index(drop=True)


def heading(column: str) -> str:
    """A column's heading in words (the exports' column titles, never snake_case).

    >>> heading("empty_floor_area_m2"), heading("nearest_anchor_m")
    ('Empty floor area (m²)', 'Nearest anchor (m)')
    """
    info = column_info(column)
    title = info.title.replace("_", " ")
    if info.unit == "metres" and "(" not in title:
        title += " (m)"
    return title


def _number_text(x: object) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)) or x is pd.NA:
        return ""
    x = float(x)
    if x.is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def anchor_table(anchors: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """Sites in the anchors schema (the anchors layer, our network) as a page lists them.

    Adds ``category_label`` (the category's label), ``source_words``
    (:func:`source_and_date` of ``source`` and ``edition_date`` when present), and shows
    ``status`` and ``provenance`` in words, then :func:`readable_table`.

    Parameters
    ----------
    anchors : DataFrame
        Rows in the anchors schema.
    columns : mapping of str to str
        Column -> heading, in the order shown (absent columns are left out).

    Returns
    -------
    DataFrame
    """
    from anchormap.categories import CATEGORIES

    out = pd.DataFrame(anchors.drop(columns="geometry", errors="ignore")).copy()
    if "category" in out.columns:
        out["category_label"] = out["category"].map(lambda k: CATEGORIES[k].label if k in CATEGORIES else k)
    if "status" in out.columns:
        out["status"] = out["status"].map(lambda v: STATUS_WORDS.get(v, value_words(v)))
    if "provenance" in out.columns:
        out["provenance"] = out["provenance"].map(provenance_words)
    if "source" in out.columns:
        out["source_words"] = sources_and_dates(out["source"], out.get("edition_date"))
    return readable_table(out, list(columns), columns)


def cells_in_words(frame: pd.DataFrame, *, keep_numbers: Sequence[str] = ()) -> pd.DataFrame:
    """A table whose headings are already words, with its cells in words (:func:`readable_table`
    keeping the headings as they are).

    >>> cells_in_words(pd.DataFrame({"Nearest anchor": ["Catford Library", None]}))["Nearest anchor"].tolist()
    ['Catford Library', '']
    """
    return readable_table(frame, list(frame.columns), {c: c for c in frame.columns}, keep_numbers=keep_numbers)
