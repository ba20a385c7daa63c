"""Shareable links: keep a page's choices in the address bar (``st.query_params``).

A page lists its choices once as :class:`Param` specs, restores them from the link before
drawing its widgets, and writes them back after::

    from anchormap.ui.query_state import Param, QueryState

    STATE = QueryState([
        Param("postcode", ""),                                  # free text, length-capped
        Param("edition", 2025, choices=(2019, 2025)),           # int, validated
        Param("measure", "imd", choices=tuple(MEASURES)),
        Param("boroughs", (), many=True, choices=borough_codes),  # comma-separated list
        Param("zoom", 11, lo=8, hi=18),                          # number within a range
        Param("labels", True),                                   # bool: "1"/"0"
        Param("within", 1000, lo=200, hi=5000, widget="gaps_within"),  # link name != widget key
    ])
    STATE.restore()                  # 1. before the widgets: link -> st.session_state
    st.selectbox("Edition", (2019, 2025), key="edition")     # 2. widgets keyed by param name
    ...
    STATE.publish()                  # 3. after the widgets: st.session_state -> link

The widget key is the parameter name (or ``widget=`` when a page's widget keys carry a
prefix), so the widget starts with the value from the link. Widgets whose value the state
manages take no ``index=``/``value=``/``default=`` (Streamlit warns when a value is set twice).
When a widget's options depend on another choice (a measure on the edition), call
:meth:`QueryState.keep_valid` just before drawing it.
Values in a link are untrusted: each is parsed by type (from the default's type) and checked
against ``choices`` or ``lo``/``hi``; anything invalid falls back to the default (and is
reported by :meth:`QueryState.problems`). With ``choices`` a value is matched by its link text,
so choices may mix types (``("any", 1, 2, ...)``). In lists, a comma or ``%`` inside an item is
written as ``%2C``/``%25``. Defaults are left out of the link to keep it short.
:meth:`QueryState.restore` only fills keys not yet in ``st.session_state``, so a widget the
person has changed keeps its value when the page reruns. Parameters of other pages are left
alone.

Choices common to several pages (edition, measure, the place, categories, walking minutes) survive
moving between pages (the place, ``area``, is kept by :mod:`anchormap.ui.place_picker`): a :class:`Param` with ``shared="<name>"`` is also kept in
``st.session_state`` under :func:`shared_key` (a key no widget uses: Streamlit drops the state
of widgets not drawn on the current page). :meth:`QueryState.restore` takes such a value from
the link first, then from the session (when this page accepts it), then the default (a page
names itself with ``QueryState(params, page="...")`` so that entering it is noticed);
:meth:`QueryState.publish` writes it back to both. A shared value is only created once it
differs from the page's default, so pages nobody has touched keep their own defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode

import streamlit as st

MAX_TEXT = 100
"""Longest text value read from a link (characters)."""
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Param:
    """One choice kept in the link. The type comes from ``default`` (str, int, float, bool)
    or, with ``many=True``, from the first choice (a list kept as comma-separated text).
    ``widget`` is the ``st.session_state`` key of the widget holding it (default: ``key``);
    ``shared`` names the choice when other pages share it (see the module doc)."""

    key: str
    default: Any
    choices: tuple | None = None
    lo: float | None = None
    hi: float | None = None
    many: bool = False
    max_len: int = MAX_TEXT
    widget: str | None = None
    shared: str | None = None
    kind: type = field(init=False)

    def __post_init__(self):
        if self.many:
            sample = (self.choices or self.default or ("",))[0]
            kind = type(sample)
        else:
            kind = type(self.default)
        object.__setattr__(self, "kind", kind)
        if self.choices is not None:
            object.__setattr__(self, "choices", tuple(self.choices))
        if self.many:
            object.__setattr__(self, "default", tuple(self.default or ()))

    @property
    def state_key(self) -> str:
        """The ``st.session_state`` key (the widget's key)."""
        return self.widget or self.key

    # -- parsing -----------------------------------------------------------------------------
    def _one(self, text: str) -> Any:
        """One value from link text, or raise ValueError."""
        text = text.strip()
        if self.choices is not None and self.kind is not bool:
            for choice in self.choices:
                if self.format_one(choice) == text:
                    return choice
            raise ValueError(text)
        if self.kind is bool:
            low = text.lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise ValueError(text)
        if self.kind is int:
            value: Any = int(text)
        elif self.kind is float:
            value = float(text)
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError(text)
        else:
            if len(text) > self.max_len:
                raise ValueError(text)
            value = text
        if self.choices is not None and value not in self.choices:
            raise ValueError(text)
        if self.lo is not None and value < self.lo:
            raise ValueError(text)
        if self.hi is not None and value > self.hi:
            raise ValueError(text)
        return value

    def parse(self, raw: str | list[str] | None) -> tuple[Any, bool]:
        """(value, ok) for the link's raw value; the default and False when it is invalid."""
        if raw is None:
            return self.default, True
        if isinstance(raw, list):
            raw = raw[-1] if raw else ""
        if len(raw) > self.max_len * (50 if self.many else 1):
            return self.default, False
        try:
            if self.many:
                parts = [unquote(p) for p in raw.split(",") if p.strip()]
                return tuple(dict.fromkeys(self._one(p) for p in parts)), True
            return self._one(raw), True
        except (TypeError, ValueError):
            return self.default, False

    def format(self, value: Any) -> str:
        """Link text for a value."""
        if self.many:
            return ",".join(self.format_one(v).replace("%", "%25").replace(",", "%2C") for v in (value or ()))
        return self.format_one(value)

    @staticmethod
    def format_one(value: Any) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float):
            value = round(value, 6)  # 1.3000000000000003 from a stepped widget -> "1.3"
            return str(int(value)) if value.is_integer() else str(value)
        return str(value)

    def accept(self, value: Any) -> tuple[Any, bool]:
        """A value from another page, checked as if read from a link.

        Parameters
        ----------
        value : object
            The shared value (a tuple for a list parameter).

        Returns
        -------
        (object, bool)
            The value (a list keeps the items this parameter accepts) and True; the
            default and False when nothing fits.
        """
        if self.many:
            kept = []
            for item in value or ():
                try:
                    kept.append(self._one(self.format_one(item)))
                except (TypeError, ValueError):
                    continue
            return (tuple(dict.fromkeys(kept)), True) if kept or not value else (self.default, False)
        try:
            return self._one(self.format_one(value)), True
        except (TypeError, ValueError):
            return self.default, False

    def normalise(self, value: Any) -> Any:
        """A widget's value in this parameter's shape (lists become tuples)."""
        if self.many:
            return tuple(value or ())
        return value


PAGE_KEY = "query_state_page"
"""``st.session_state`` key of the page whose choices were restored last."""


def shared_key(name: str) -> str:
    """The ``st.session_state`` key of the choice ``name`` shared across pages.

    Parameters
    ----------
    name : str
        ``"edition"``, ``"measure"``, ``"area"`` (the place), ``"categories"``, ``"walk_minutes"``.

    Returns
    -------
    str

    >>> shared_key("edition")
    'shared_edition'
    """
    return f"shared_{name}"


def shared_choice(name: str) -> Any:
    """The shared choice ``name`` kept by another page.

    Parameters
    ----------
    name : str

    Returns
    -------
    object or None
        None when no page has set it.
    """
    return st.session_state.get(shared_key(name))


def keep_shared(name: str, value: Any, default: Any) -> None:
    """Keep ``value`` as the shared choice ``name`` (created only once it differs from ``default``).

    Parameters
    ----------
    name : str
    value : object
        The page's value now.
    default : object
        The page's default for it.
    """
    if value != default or shared_key(name) in st.session_state:
        st.session_state[shared_key(name)] = value


class QueryState:
    """The link state of one page: restore before the widgets, publish after them."""

    def __init__(self, params: Iterable[Param], page: str | None = None):
        self.params: dict[str, Param] = {p.key: p for p in params}
        self.page = page
        self.entered = False
        self._problems: list[str] = []
        self._linked: set[str] = set()

    def read(self, query: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Validated values from ``query`` (default: ``st.query_params``); invalid -> default."""
        source = st.query_params if query is None else query
        values, problems, linked = {}, [], set()
        for key, p in self.params.items():
            raw = source.get_all(key) if hasattr(source, "get_all") else source.get(key)
            if isinstance(raw, list) and not raw:
                raw = None
            value, ok = p.parse(raw)
            if not ok:
                problems.append(key)
            elif raw is not None:
                linked.add(key)
            values[key] = value
        self._problems, self._linked = problems, linked
        return values

    def problems(self) -> list[str]:
        """Names of the link's parameters that were invalid at the last :meth:`restore`/:meth:`read`."""
        return list(self._problems)

    def restore(self) -> dict[str, Any]:
        """Put the link's values into ``st.session_state`` for keys not already there; a shared
        choice missing from the link comes from the session (another page) when it fits here.
        On entering a page named ``page`` from another one (:attr:`entered`), every key is set
        so: two pages may use the same widget key ("edition") for different widgets, and the
        value left by the other page's widget must not stand for this page's.

        Returns the values now in effect (session state wins over the link).
        """
        values = self.read()
        self.entered = self.page is not None and st.session_state.get(PAGE_KEY) != self.page
        if self.page is not None:
            st.session_state[PAGE_KEY] = self.page
        for key, value in values.items():
            p = self.params[key]
            if p.state_key in st.session_state and not self.entered:
                continue
            if p.shared and key not in self._linked and shared_key(p.shared) in st.session_state:
                held, ok = p.accept(st.session_state[shared_key(p.shared)])
                value = held if ok else value
            st.session_state[p.state_key] = list(value) if p.many else value
        return {k: p.normalise(st.session_state[p.state_key]) for k, p in self.params.items()}

    def keep_valid(self, key: str, options: Iterable[Any], fallback: Any = None) -> None:
        """Before drawing a widget whose ``options`` depend on other choices: drop a value
        (or, for lists, the items) no longer among them; a single value becomes ``fallback``
        (default: the parameter's default if it is an option, else the first option)."""
        p = self.params[key]
        options = list(options)
        if p.state_key not in st.session_state:
            return
        value = st.session_state[p.state_key]
        if p.many:
            kept = [v for v in (value or ()) if v in options]
            if kept != list(value or ()):
                st.session_state[p.state_key] = kept
        elif value not in options:
            if fallback is None:
                fallback = p.default if p.default in options else (options[0] if options else p.default)
            st.session_state[p.state_key] = fallback

    def current(self) -> dict[str, Any]:
        """The values now in ``st.session_state`` (defaults for keys not set)."""
        return {k: p.normalise(st.session_state.get(p.state_key, p.default)) for k, p in self.params.items()}

    def publish(self, values: Mapping[str, Any] | None = None) -> None:
        """Write ``values`` (default: :meth:`current`) to the link; defaults are removed from it.

        Only changed entries are touched, so an unchanged page does not rewrite the address.
        """
        values = self.current() if values is None else {**self.current(), **values}
        for key, p in self.params.items():
            value = p.normalise(values.get(key, p.default))
            if p.shared:
                keep_shared(p.shared, value, p.default)
            text = p.format(value)
            present = st.query_params.get(key)
            if value == p.default or text == "":
                if key in st.query_params:
                    del st.query_params[key]
            elif present != text:
                st.query_params[key] = text

    def link(self, base: str, values: Mapping[str, Any] | None = None) -> str:
        """``base`` + ``?`` + the query string for ``values`` (default: :meth:`current`)."""
        values = self.current() if values is None else {**self.current(), **values}
        pairs = [
            (k, p.format(p.normalise(values[k])))
            for k, p in self.params.items()
            if p.normalise(values[k]) != p.default and p.format(p.normalise(values[k]))
        ]
        return f"{base}?{urlencode(pairs)}" if pairs else base
