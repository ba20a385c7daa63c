"""A network's shared metrics over time, in the land store's own database (SQLite file or PostgreSQL).

A local anchor network agrees a few shared metrics for its place ("local people hired by members",
"spend with local suppliers, £m") and records a value for each at regular dates, with a target
where it has one. Each record is a row of the table ``metrics`` of the land store
(:func:`anchormap.land.store.store_location`, ``ANCHORMAP_STORE`` or ``--store``; the table is made by
the store's migrations, :mod:`anchormap.land.store_migrations`), through the store's own engine:

============  ========================================================================
column        holds
============  ========================================================================
id            the record's number
place_text    the place as written in links and on the command line (``borough:E09000023``)
place_label   its name in words ("Lewisham")
metric        the metric's name, as the network writes it
value         the value (a number, in ``unit``)
unit          the unit in words ("people", "£m"), or empty
date          the date the value describes (ISO 8601, YYYY-MM-DD; never in the future)
target        the target for that date, or empty
recorded_at   when it was recorded (ISO 8601, UTC)
recorded_by   who recorded it
============  ========================================================================

Everything is checked before the store is opened (the place must resolve to London
neighbourhoods, value and target must be numbers, the date a real past or present day), and a
record is written in one transaction: on any failure nothing is written, and a SQLite store
file that did not exist is not left behind. A correction is a new record
for the same place, metric and date: :func:`metric_series` gives the latest one recorded.

>>> parse_number("1250", "value"), parse_number(" 3.5 ", "target")
(1250.0, 3.5)
>>> parse_metric_date("2025-03-31", today=datetime.date(2025, 4, 1))
datetime.date(2025, 3, 31)
"""

from __future__ import annotations

import contextlib
import datetime
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from anchormap.errors import AnchorMapError
from anchormap.land.store_schema import metrics as metrics_table

MAX_NAME = 100
"""Longest metric name (characters)."""
MAX_UNIT = 40
"""Longest unit (characters)."""
DEFAULT_RECORDER = "the anchormap command line"
"""Who recorded a metric when nobody is named (before sign-in exists)."""

SERIES_COLUMNS = ["place", "metric", "date", "value", "target", "unit", "place_label", "recorded_at", "recorded_by"]
"""The columns of :func:`metric_series`."""

_ROW_FIELDS = ("place_text", "place_label", "metric", "value", "unit", "date", "target", "recorded_at", "recorded_by")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class MetricError(AnchorMapError):
    """A metric that cannot be recorded or read: the message names the option and why."""


@dataclass(frozen=True)
class MetricRecord:
    """One recorded value of a metric (a row of the ``metrics`` table; see the module's table)."""

    id: int
    place_text: str
    place_label: str
    metric: str
    value: float
    unit: str
    date: str
    target: float | None
    recorded_at: str
    recorded_by: str


def parse_number(text: object, option: str) -> float:
    """A finite number from ``text`` (an int, a float or text such as ``"12.5"``), or a MetricError naming ``option``."""
    if isinstance(text, bool):
        text = str(text)
    try:
        number = float(str(text).strip()) if not isinstance(text, int | float) else float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        msg = f"The {option} {str(text)!r} is not a number: write it with digits and a decimal point, e.g. 1250 or 3.5."
        raise MetricError(msg)
    return number


def parse_metric_date(text: object, today: datetime.date | None = None) -> datetime.date:
    """The date a value describes, from ISO 8601 text ``YYYY-MM-DD``; never after ``today``.

    Parameters
    ----------
    text : object
        What was typed (a :class:`datetime.date` is taken as it is).
    today : datetime.date, optional
        Today's date (default: today, UTC).

    Returns
    -------
    datetime.date

    Raises
    ------
    MetricError
        For text that is not a real day written YYYY-MM-DD, or a day in the future.
    """
    today = today or datetime.datetime.now(datetime.UTC).date()
    if isinstance(text, datetime.date) and not isinstance(text, datetime.datetime):
        day = text
    else:
        raw = str(text).strip()
        day = None
        if _ISO_DATE.match(raw):
            with contextlib.suppress(ValueError):
                day = datetime.date.fromisoformat(raw)
        if day is None:
            msg = f"The date {raw!r} is not a day written YYYY-MM-DD (e.g. 2025-03-31)."
            raise MetricError(msg)
    if day > today:
        msg = f"The date {day.isoformat()} is in the future: record a value once the day it describes has come."
        raise MetricError(msg)
    return day


def _text(value: object, option: str, longest: int, *, required: bool) -> str:
    text = "" if value is None else " ".join(str(value).split())
    if required and not text:
        msg = f'The {option} is empty: give it a name, e.g. --metric "Local people hired".'
        raise MetricError(msg)
    if len(text) > longest:
        msg = f"The {option} is {len(text)} characters long: keep it to {longest}."
        raise MetricError(msg)
    if _CONTROL.search(text):
        msg = f"The {option} holds control characters: write it as plain text."
        raise MetricError(msg)
    return text


def _store(store: str | Path | None):
    """The land store metrics are kept in: ``store`` (a SQLite file or a PostgreSQL URL), or the default one."""
    from anchormap.land.store import store_location
    from anchormap.land.store_sql import SqlLandStore

    return SqlLandStore(str(store) if store is not None else store_location())


def record_metric(
    place: str,
    metric: str,
    value: object,
    date: object,
    *,
    target: object = None,
    unit: str | None = None,
    recorded_by: str | None = None,
    store: str | Path | None = None,
    today: datetime.date | None = None,
) -> MetricRecord:
    """Record one value of a shared metric for a place, in one transaction.

    Parameters
    ----------
    place : str
        The place as text (:func:`anchormap.geo.place_text.parse_place`): it must resolve to
        London neighbourhoods of the latest edition (:func:`anchormap.geo.places.resolve_place`).
        It is stored as its normal text with its name in words.
    metric : str
        The metric's name (at most :data:`MAX_NAME` characters; spaces tidied).
    value : number or str
        The value, a finite number in ``unit``.
    date : str or datetime.date
        The day the value describes, ``YYYY-MM-DD``, not in the future.
    target : number or str, optional
        The target for that day, a finite number in ``unit``.
    unit : str, optional
        The unit in words ("people", "£m"), at most :data:`MAX_UNIT` characters.
    recorded_by : str, optional
        Who records it (default :data:`DEFAULT_RECORDER`).
    store : str or pathlib.Path, optional
        The store: a SQLite file or a PostgreSQL URL (default: the land store's).
    today : datetime.date, optional
        Today's date, for the check on ``date`` (default: today, UTC).

    Returns
    -------
    MetricRecord
        What was stored, with its id.

    Raises
    ------
    AnchorMapError
        :class:`MetricError` or :class:`anchormap.geo.place_text.PlaceError`, naming what is wrong;
        nothing is written.
    """
    from anchormap.geo.places import resolve_place

    name = _text(metric, "metric name", MAX_NAME, required=True)
    number = parse_number(value, "value")
    goal = (
        None if target is None or (isinstance(target, str) and not target.strip()) else parse_number(target, "target")
    )
    day = parse_metric_date(date, today)
    unit_text = _text(unit, "unit", MAX_UNIT, required=False)
    who = _text(recorded_by, "name of who records it", MAX_NAME, required=False) or DEFAULT_RECORDER
    resolved = resolve_place(place)
    recorded_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    row = (
        normal_place_text(resolved.text),
        resolved.label,
        name,
        number,
        unit_text,
        day.isoformat(),
        goal,
        recorded_at,
        who,
    )

    with _store(store).writing() as con:
        new_id = int(
            con.execute(
                sa.insert(metrics_table).values(dict(zip(_ROW_FIELDS, row, strict=True))).returning(metrics_table.c.id)
            ).scalar_one()
        )
    return MetricRecord(new_id, *row[:4], unit_text, row[5], goal, recorded_at, who)


def normal_place_text(place: str) -> str:
    """A place's text written the one way it is stored: codes in capitals, parts in one order
    (kind, then code), so the same wards picked in another order are the same place.

    >>> normal_place_text("ward:E05013915 + borough:e09000023")
    'borough:E09000023+ward:E05013915'
    >>> normal_place_text("ward:E05013715+ward:E05013714") == normal_place_text("ward:E05013714+ward:E05013715")
    True
    """
    from anchormap.geo.place_text import KINDS, parse_place, place_text

    return place_text(tuple(sorted(parse_place(place), key=lambda p: (KINDS.index(p.kind), p.value))))


def metric_series(place_text: str | None = None, store: str | Path | None = None) -> pd.DataFrame:
    """Every metric recorded for a place (or for every place), one row per metric and date.

    Parameters
    ----------
    place_text : str, optional
        The place as text (matched in its normal spelling, :func:`normal_place_text`); None for
        every place.
    store : str or pathlib.Path, optional
        The store: a SQLite file or a PostgreSQL URL (default: the land store's).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SERIES_COLUMNS`: ``place`` (its text), ``metric``, ``date`` (YYYY-MM-DD),
        ``value`` and ``target`` (floats; target NaN when none), ``unit``, ``place_label``,
        ``recorded_at`` and ``recorded_by``; sorted by place, metric and date. When a value was
        recorded again for the same place, metric and date, the latest record counts. No rows
        for a store with no metrics yet (or no file).

    Raises
    ------
    AnchorMapError
        For a place that cannot be read, or a file that is not a store.
    """
    wanted = normal_place_text(place_text) if place_text is not None else None
    empty = pd.DataFrame({c: pd.Series(dtype=float if c in ("value", "target") else object) for c in SERIES_COLUMNS})
    m = metrics_table.c
    query = sa.select(
        m.id,
        m.place_text.label("place"),
        m.metric,
        m.date,
        m.value,
        m.target,
        m.unit,
        m.place_label,
        m.recorded_at,
        m.recorded_by,
    )
    if wanted is not None:
        query = query.where(m.place_text == wanted)
    with _store(store).reading() as con:
        if con is None:
            return empty
        found = con.execute(query).all()
    if not found:
        return empty
    rows = pd.DataFrame.from_records([tuple(r) for r in found], columns=["id", *SERIES_COLUMNS])
    rows = rows.sort_values("id").drop_duplicates(["place", "metric", "date"], keep="last")
    rows["target"] = pd.to_numeric(rows["target"], errors="coerce").astype(float)
    rows["value"] = rows["value"].astype(float)
    rows["unit"] = rows["unit"].fillna("")
    return rows.sort_values(["place", "metric", "date"])[SERIES_COLUMNS].reset_index(drop=True)
