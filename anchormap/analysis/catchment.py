"""Catchments around anchor sites, measured from every LSOA in British National Grid metres.

Everything here works in EPSG:27700 (metres). Distances are straight lines between points, except
where the walking model (below) makes a walk go round the Thames or along streets.

**Origins.** Each LSOA is represented by one point *inside* its polygon
(``shapely`` ``representative_point()``), so the point never falls outside an oddly shaped
area the way a centroid can. A population-weighted centroid would be better, but the data
in the mirror has no population below LSOA level (no output-area or address-point counts),
so one cannot be derived here.

**Walking time.** Minutes of walking are turned into a straight-line radius with

    radius (m) = minutes x walking speed (m per minute) / detour factor

where the detour factor (default 1.3) is how much longer a walk along streets is than the
straight line, and the walking speed defaults to 4.8 km/h (80 m a minute). 15 minutes at
the defaults is 15 x 80 / 1.3 = 923 m in a straight line. It is a screening measure, not a
routing engine: rail lines and most of the street network are left out, but not the Thames.

**The Thames** (``walking="river"``, what :func:`anchormap.analysis.gaps.prepare` uses by
default). A straight line that crosses the river is not a walk: between an LSOA and a site on
opposite banks the distance is |origin→c| + |c→site| for the crossing c open on foot (bridge,
foot tunnel, the Woolwich Ferry) that makes it shortest, straight lines on each side
(:mod:`anchormap.analysis.river`); on the same bank it is the straight line. Every distance
below (pairs, counts within a catchment, the nearest anchor of each kind, E2SFCA, what-ifs) is
that distance, and the detour factor applies on top of it as before. The index first finds the
pairs within its largest radius in a straight line, then drops those the river makes farther.
``walking="straight"`` keeps straight lines everywhere (the model before the Thames was added).

**Streets** (``walking="streets"``, optional). Where a street network is supplied
(:mod:`anchormap.analysis.streets`: the mirror's central-London OpenStreetMap layer), pairs
whose LSOA point and site both lie inside the area it covers are measured along the streets
instead (the network's shortest path plus the straight steps to the nearest street node at
each end). A street walk has its own detours, so it is stored divided by the detour factor
the index was built with: a catchment's radius and its minutes then mean the same in both
models (15 minutes at 4.8 km/h is 1,200 m of streets, stored as 923 m).

**E2SFCA accessibility** (enhanced two-step floating catchment area; Luo & Qi 2009,
Dai 2010), for a catchment radius d0 and a distance decay W(d) that is 1 at d = 0 and 0
beyond d0:

1. for every anchor site j, a supply-to-demand ratio
   R_j = S_j / sum over LSOAs i within d0 of j of (P_i x W(d_ij)),
   where S_j is the site's weight (by category, default 1) and P_i the LSOA's population;
   a site with no one within d0 gets R_j = 0;
2. for every LSOA i, A_i = sum over sites j within d0 of i of (R_j x W(d_ij)).

A_i is reported per 1,000 residents: "anchor sites (weighted) per 1,000 people who could
use them". Two decays are offered: ``"gaussian"`` (Dai 2010), in its usual normalised form
W(d) = (exp(-0.5 (d/d0)^2) - exp(-0.5)) / (1 - exp(-0.5)) for d <= d0, and ``"step"``
(Luo & Qi 2009): weight 1 in the inner third of the catchment, 0.68 in the middle third and
0.22 in the outer third. Only anchors and people inside London are in the data, so areas
at the edge of London look less served (and less crowded) than they are.

pysal's ``access`` package was considered; this direct scipy implementation shares its
(LSOA, site) pairs with the counts, so a change of catchment or categories is a filter, not a
new model. The work is done once by :func:`build_index`: a sparse table of every (LSOA, site) pair
within a maximum radius, sorted by distance, plus each LSOA's nearest site of every
category. Counting within a smaller radius, changing categories or recomputing E2SFCA is
then a cheap filter over those arrays (no loops over pairs).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from anchormap.analysis import river as rv
from anchormap.categories import parse_categories
from anchormap.errors import AnchorMapError

DETOUR_FACTOR = 1.3
"""Default ratio of a walk along streets to the straight-line distance."""
WALK_KMH = 4.8
"""Default walking speed in km/h (80 m a minute)."""
DEFAULT_MAX_RADIUS_M = 5000.0
"""Default largest catchment (metres) the index is built for."""
STEP_WEIGHTS = (1.0, 0.68, 0.22)
"""Stepped decay: weights in the inner, middle and outer thirds of the catchment."""
DECAYS = ("gaussian", "step")
UNCATEGORISED = ""
"""The category of a site whose kind is not known (a network's own list may leave it out):
such sites count whatever categories are chosen."""


def check_distance(metres: float, what: str = "catchment distance") -> float:
    """``metres`` as a float, or AnchorMapError when it is not a positive finite number.

    Parameters
    ----------
    metres : float
        A distance in metres (anything ``float()`` accepts, e.g. ``"800"``).
    what : str, optional
        What the distance is, for the message (default ``"catchment distance"``).

    Returns
    -------
    float
        ``metres`` as a float.

    Raises
    ------
    AnchorMapError
        When ``metres`` is not a number, or is 0, negative, infinite or NaN.

    Examples
    --------
    >>> check_distance("800")
    800.0
    >>> check_distance(0)
    Traceback (most recent call last):
    ...
    anchormap.errors.AnchorMapError: The catchment distance must be more than 0 metres (got 0).
    """
    try:
        value = float(metres)
    except (TypeError, ValueError):
        msg = f"The {what} must be a number of metres, not {metres!r}."
        raise AnchorMapError(msg) from None
    if not np.isfinite(value) or value <= 0:
        msg = f"The {what} must be more than 0 metres (got {metres!r})."
        raise AnchorMapError(msg)
    return value


def walk_radius_m(minutes: float, detour: float = DETOUR_FACTOR, walk_kmh: float = WALK_KMH) -> float:
    """Straight-line radius (m) reachable in ``minutes`` of walking at ``walk_kmh`` with ``detour``.

    radius (m) = minutes x walking speed (m per minute) / detour factor (see the module
    docstring).

    Parameters
    ----------
    minutes : float
        Walking time in minutes; more than 0.
    detour : float, optional
        Ratio of a walk along streets to the straight line; 1 or more (default
        :data:`DETOUR_FACTOR`, 1.3).
    walk_kmh : float, optional
        Walking speed in km/h; more than 0 (default :data:`WALK_KMH`, 4.8, i.e. 80 m a
        minute).

    Returns
    -------
    float
        Straight-line radius in metres (a distance in British National Grid, EPSG:27700).

    Raises
    ------
    AnchorMapError
        When an argument is not a number, ``minutes`` or ``walk_kmh`` is not more than 0,
        ``detour`` is less than 1, or any is infinite or NaN.

    See Also
    --------
    walk_minutes : the inverse.

    Examples
    --------
    15 minutes at the defaults is 15 x 80 / 1.3 m in a straight line:

    >>> round(walk_radius_m(15), 2)
    923.08
    >>> walk_radius_m(10, detour=1.0)
    800.0
    >>> walk_radius_m(15, detour=0.9)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    anchormap.errors.AnchorMapError: The detour factor must be 1 or more (a walk is never shorter ...; got 0.9.
    """
    try:
        mins, det, kmh = float(minutes), float(detour), float(walk_kmh)
    except (TypeError, ValueError):
        msg = f"Walking time, detour factor and speed must be numbers (got {minutes!r}, {detour!r}, {walk_kmh!r})."
        raise AnchorMapError(msg) from None
    if not np.isfinite(mins) or mins <= 0:
        msg = f"The walking time must be more than 0 minutes (got {minutes!r})."
        raise AnchorMapError(msg)
    if not np.isfinite(det) or det < 1:
        msg = f"The detour factor must be 1 or more (a walk is never shorter than the straight line); got {detour!r}."
        raise AnchorMapError(msg)
    if not np.isfinite(kmh) or kmh <= 0:
        msg = f"The walking speed must be more than 0 km/h (got {walk_kmh!r})."
        raise AnchorMapError(msg)
    return mins * kmh * 1000.0 / 60.0 / det


def walk_minutes(distance_m, detour: float = DETOUR_FACTOR, walk_kmh: float = WALK_KMH):
    """Walking minutes for a straight-line distance (m): distance x detour / speed.

    The inverse of :func:`walk_radius_m`. Arguments are not validated.

    Parameters
    ----------
    distance_m : float or array-like
        Straight-line distances in metres (British National Grid, EPSG:27700).
    detour : float, optional
        Ratio of a walk along streets to the straight line (default
        :data:`DETOUR_FACTOR`, 1.3).
    walk_kmh : float, optional
        Walking speed in km/h (default :data:`WALK_KMH`, 4.8).

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Minutes of walking, of the same shape as ``distance_m``.

    Examples
    --------
    >>> round(float(walk_minutes(walk_radius_m(15))), 6)
    15.0
    >>> round(float(walk_minutes(1000)), 2)
    16.25
    >>> walk_minutes([80, 800], detour=1.0).tolist()
    [1.0, 10.0]
    """
    return np.asarray(distance_m, dtype=float) * detour / (walk_kmh * 1000.0 / 60.0)


def lsoa_origins(lsoas: pd.DataFrame) -> pd.DataFrame:
    """One origin point per LSOA: ``lsoa_code``, ``x``, ``y`` (BNG m, inside the polygon), ``population``.

    Parameters
    ----------
    lsoas : geopandas.GeoDataFrame
        An LSOA layer in British National Grid (EPSG:27700) such as
        ``load_layer("lsoa_2021")``, with an ``lsoa_code`` column and optionally
        ``population``.

    Returns
    -------
    pandas.DataFrame
        One row per LSOA, in the layer's order: ``lsoa_code``; ``x``, ``y``, the polygon's
        ``representative_point()`` (always inside it) in BNG metres; ``population`` as float,
        0 where it is missing or not a number (and everywhere when the layer has no
        ``population`` column).

    Raises
    ------
    AnchorMapError
        When ``lsoas`` has no CRS or its CRS is not EPSG:27700.
    """
    if getattr(lsoas, "crs", None) is None or lsoas.crs.to_epsg() != 27700:
        msg = "LSOA origins need a layer in British National Grid (EPSG:27700)."
        raise AnchorMapError(msg)
    pts = lsoas.geometry.representative_point()
    pop = lsoas["population"] if "population" in lsoas else pd.Series(np.nan, index=lsoas.index)
    return pd.DataFrame(
        {
            "lsoa_code": lsoas["lsoa_code"].to_numpy(),
            "x": pts.x.to_numpy(),
            "y": pts.y.to_numpy(),
            "population": pd.to_numeric(pop, errors="coerce").fillna(0).to_numpy(dtype=float),
        }
    )


def anchor_sites(anchors: pd.DataFrame, label: str = "the anchors layer") -> pd.DataFrame:
    """Anchor sites ready for catchments: ``site_id``, ``name``, ``category``, ``x``, ``y`` (BNG m).

    Parameters
    ----------
    anchors : pandas.DataFrame or geopandas.GeoDataFrame
        Sites with a ``category`` column and either ``easting``/``northing`` columns
        (British National Grid metres) or, failing those, point geometry in EPSG:27700.
        Optional: ``status`` (rows whose status is "closed", any case, are left out),
        ``anchor_id`` (becomes ``site_id``; else the row number) and ``name`` (else the id).
    label : str, optional
        Names the set in messages ("the anchors layer", "our network").

    Returns
    -------
    pandas.DataFrame
        ``site_id`` (str), ``name`` (str), ``category`` (str, stripped; a missing category
        becomes :data:`UNCATEGORISED`, counted whatever categories are chosen), ``x``, ``y``
        (float, BNG metres), re-indexed from 0. Sites without finite coordinates are left
        out.

    Raises
    ------
    AnchorMapError
        When ``anchors`` is None or empty, has no ``category`` column, has neither
        ``easting``/``northing`` nor EPSG:27700 geometry, or no site is left (all closed
        or without coordinates).
    """
    if anchors is None or len(anchors) == 0:
        msg = f"{label[:1].upper()}{label[1:]} is empty: there are no anchor sites to measure catchments from."
        raise AnchorMapError(msg)
    if "category" not in anchors:
        msg = f"{label[:1].upper()}{label[1:]} has no 'category' column."
        raise AnchorMapError(msg)
    df = anchors
    if "status" in df:
        df = df[df["status"].astype(str).str.lower() != "closed"]
    if {"easting", "northing"} <= set(df.columns):
        x = pd.to_numeric(df["easting"], errors="coerce").to_numpy(dtype=float)
        y = pd.to_numeric(df["northing"], errors="coerce").to_numpy(dtype=float)
    elif getattr(df, "crs", None) is not None and df.crs.to_epsg() == 27700:
        x, y = df.geometry.x.to_numpy(), df.geometry.y.to_numpy()
    else:
        msg = f"{label[:1].upper()}{label[1:]} needs 'easting' and 'northing' columns (British National Grid metres)."
        raise AnchorMapError(msg)
    ids = df["anchor_id"].astype(str).to_numpy() if "anchor_id" in df else np.arange(len(df)).astype(str)
    names = df["name"].astype(str).to_numpy() if "name" in df else ids
    kinds = df["category"].fillna(UNCATEGORISED).astype(str).str.strip().to_numpy()
    out = pd.DataFrame({"site_id": ids, "name": names, "category": kinds, "x": x, "y": y})
    out = out[np.isfinite(out["x"]) & np.isfinite(out["y"])].reset_index(drop=True)
    if out.empty:
        msg = f"No site in {label} is open and has coordinates, so there is nothing to measure from."
        raise AnchorMapError(msg)
    return out


@dataclass(frozen=True)
class CatchmentIndex:
    """Pre-computed distances between LSOA origins and anchor sites (BNG metres).

    Built by :func:`build_index`; all distances are in British National Grid (EPSG:27700)
    metres, measured with the index's walking model (:attr:`walking`).

    Attributes
    ----------
    origins : pandas.DataFrame
        The origins (:func:`lsoa_origins`), re-indexed from 0; row i is origin i.
    sites : pandas.DataFrame
        The sites (:func:`anchor_sites`), re-indexed from 0; row j is site j.
    categories : tuple of str
        Categories present among the sites, in order of first appearance; a category's
        code is its position here.
    site_cat : numpy.ndarray
        Category code of every site, shape (n_sites,).
    max_radius_m : float
        Largest catchment (metres) the index holds pairs for.
    pair_origin, pair_site, pair_m, pair_cat : numpy.ndarray
        Every (origin, site) pair closer than ``max_radius_m``: origin row, site row,
        distance in metres and the site's category code, all of shape (n_pairs,), sorted by
        distance.
    nearest_m, nearest_site : numpy.ndarray
        Shape (n_origins, n_categories): ``nearest_m[i, c]`` / ``nearest_site[i, c]`` are
        origin i's nearest site of category ``categories[c]`` (metres / site row; ``inf`` /
        -1 when there is none). Not limited to ``max_radius_m``.
    walking : str
        The walking model the distances follow (:data:`anchormap.analysis.river.WALKING_MODELS`):
        ``"straight"``, ``"river"`` or ``"streets"``.
    river : anchormap.analysis.river.River or None
        The banks and crossings (``"river"`` and ``"streets"`` models).
    origin_bank, site_bank : numpy.ndarray or None
        Bank of every origin / site (0 north, 1 south), with a river.
    origin_legs : numpy.ndarray or None
        Metres from every origin to every crossing, shape (n_origins, n_crossings), with a river.
    pair_via : numpy.ndarray or None
        The crossing each pair's walk uses (a row of ``river.crossings``; -1 on the same bank;
        -2 along the streets), with a river.
    streets : anchormap.analysis.streets.StreetRouting or None
        The street routing of the origins inside the network's area (``"streets"`` model).
    detour : float
        The detour factor street walks were divided by (``"streets"`` model).

    Distances are BNG metres: straight lines; with a river, the two straight legs via a
    crossing for pairs on opposite banks; with streets, the street walk divided by ``detour``.
    """

    origins: pd.DataFrame

    sites: pd.DataFrame
    categories: tuple[str, ...]
    site_cat: np.ndarray
    max_radius_m: float
    pair_origin: np.ndarray
    pair_site: np.ndarray
    pair_m: np.ndarray
    pair_cat: np.ndarray
    nearest_m: np.ndarray
    nearest_site: np.ndarray
    walking: str = "straight"
    river: rv.River | None = None
    origin_bank: np.ndarray | None = None
    site_bank: np.ndarray | None = None
    origin_legs: np.ndarray | None = None
    pair_via: np.ndarray | None = None
    streets: object | None = None
    detour: float = DETOUR_FACTOR

    @property
    def n_origins(self) -> int:
        """Number of origins (LSOAs) in the index.

        Returns
        -------
        int
            ``len(origins)``: the length of every per-origin array.
        """
        return len(self.origins)

    def category_codes(self, categories) -> np.ndarray:
        """Integer codes of the chosen categories present among the sites (validated names).

        Sites without a category (rows of a network's own list that gave none) are always
        included: a category filter can only leave out sites whose kind it knows.

        Parameters
        ----------
        categories : str or list of str or None
            Category keys as :func:`anchormap.categories.parse_categories` reads them;
            None means all.

        Returns
        -------
        numpy.ndarray of int
            Positions in :attr:`categories` of the chosen keys that are present (plus
            :data:`UNCATEGORISED` when present); chosen keys with no site are skipped, so
            the array may be empty.

        Raises
        ------
        AnchorMapError
            When a category key is unknown.
        """
        keys = parse_categories(categories)
        if UNCATEGORISED in self.categories:
            keys = [*keys, UNCATEGORISED]
        return np.array([self.categories.index(k) for k in keys if k in self.categories], dtype=int)

    def _check_radius(self, radius_m: float) -> float:
        r = check_distance(radius_m)
        if r > self.max_radius_m * (1 + 1e-9):
            msg = (
                f"A catchment of {r:,.0f} m is larger than the {self.max_radius_m:,.0f} m this index was built "
                f"for; build it with max_radius_m of at least {r:,.0f}."
            )
            raise AnchorMapError(msg)
        return r

    def pairs_within(self, radius_m: float, categories=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(origin, site, metres) of every pair within ``radius_m`` whose site is in ``categories``.

        Parameters
        ----------
        radius_m : float
            Catchment radius in metres, more than 0 and at most :attr:`max_radius_m`; a pair
            exactly at the radius is included.
        categories : str or list of str or None, optional
            Category keys (None: all). Uncategorised sites are always included.

        Returns
        -------
        origin, site, metres : numpy.ndarray
            Origin rows, site rows and distances in BNG metres (the index's walking model) of the pairs,
            of equal length, sorted by distance.

        Raises
        ------
        AnchorMapError
            When ``radius_m`` is not a positive number, is larger than the index was built
            for, or a category is unknown.
        """
        r = self._check_radius(radius_m)
        end = int(np.searchsorted(self.pair_m, r, side="right"))
        o, s, d = self.pair_origin[:end], self.pair_site[:end], self.pair_m[:end]
        codes = self.category_codes(categories)
        if codes.size < len(self.categories):
            chosen = np.zeros(len(self.categories), dtype=bool)
            chosen[codes] = True
            keep = chosen[self.pair_cat[:end]]
            o, s, d = o[keep], s[keep], d[keep]
        return o, s, d

    def counts_within(self, radius_m: float, categories=None) -> np.ndarray:
        """Number of anchor sites within ``radius_m`` metres of each origin (int array).

        Parameters
        ----------
        radius_m : float
            Catchment radius in metres (at most :attr:`max_radius_m`).
        categories : str or list of str or None, optional
            Category keys to count (None: all).

        Returns
        -------
        numpy.ndarray of int
            Shape (n_origins,), in the order of :attr:`origins`.

        Raises
        ------
        AnchorMapError
            As :meth:`pairs_within`.
        """
        o, _s, _d = self.pairs_within(radius_m, categories)
        return np.bincount(o, minlength=self.n_origins)

    def counts_within_walk(
        self, minutes: float, categories=None, detour: float = DETOUR_FACTOR, walk_kmh: float = WALK_KMH
    ) -> np.ndarray:
        """Number of anchor sites within ``minutes`` of walking (see module docstring).

        The walk is turned into a straight-line radius by :func:`walk_radius_m` (15 minutes
        at the defaults is 923 m).

        Parameters
        ----------
        minutes : float
            Walking time in minutes.
        categories : str or list of str or None, optional
            Category keys to count (None: all).
        detour : float, optional
            Ratio of a street walk to the straight line (default 1.3).
        walk_kmh : float, optional
            Walking speed in km/h (default 4.8).

        Returns
        -------
        numpy.ndarray of int
            Shape (n_origins,), in the order of :attr:`origins`.

        Raises
        ------
        AnchorMapError
            As :func:`walk_radius_m` and :meth:`pairs_within` (the radius must not exceed
            :attr:`max_radius_m`).
        """
        return self.counts_within(walk_radius_m(minutes, detour, walk_kmh), categories)

    def nearest(self, categories=None) -> tuple[np.ndarray, np.ndarray]:
        """(metres, site row) of each origin's nearest site among ``categories`` (inf / -1 if none).

        Not limited to :attr:`max_radius_m`.

        Parameters
        ----------
        categories : str or list of str or None, optional
            Category keys (None: all). Uncategorised sites are always included.

        Returns
        -------
        metres, site : numpy.ndarray
            Shape (n_origins,) each: distance in BNG metres (walking model) to the nearest
            site (``inf`` when there is none) and its row in :attr:`sites` (-1 when none).

        Raises
        ------
        AnchorMapError
            When a category key is unknown.
        """
        codes = self.category_codes(categories)
        if codes.size == 0:
            return np.full(self.n_origins, np.inf), np.full(self.n_origins, -1)
        sub = self.nearest_m[:, codes]
        best = np.argmin(sub, axis=1)
        rows = np.arange(self.n_origins)
        return sub[rows, best], self.nearest_site[:, codes][rows, best]

    def nearest_by_category(self) -> pd.DataFrame:
        """Distance (m) from each origin to its nearest site of every category present.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``lsoa_code``, one column ``nearest_<category>_m`` per category in
            :attr:`categories` (``nearest_uncategorised_m`` for :data:`UNCATEGORISED`):
            BNG metres (the index's walking model), ``inf`` when no site of the category exists.
        """
        return pd.DataFrame(
            self.nearest_m,
            columns=[f"nearest_{c or 'uncategorised'}_m" for c in self.categories],
            index=self.origins["lsoa_code"].to_numpy(),
        )

    def with_site(
        self, x: float, y: float, category: str, name: str = "Proposed site", site_id: str = "proposed"
    ) -> CatchmentIndex:
        """A copy with one more site at (x, y) BNG metres; the original is unchanged.

        The new site's pairs within :attr:`max_radius_m` are inserted in distance order and
        the nearest-site tables updated, without rebuilding the index.

        Parameters
        ----------
        x, y : float
            Easting and northing of the site in British National Grid (EPSG:27700) metres.
        category : str
            The site's category key (a key of :data:`anchormap.categories.CATEGORIES`).
        name : str, optional
            The site's name (default ``"Proposed site"``).
        site_id : str, optional
            The site's id (default ``"proposed"``).

        Returns
        -------
        CatchmentIndex
            A new index whose last site row is the proposed site.

        Raises
        ------
        AnchorMapError
            When ``category`` is unknown or ``x``/``y`` are not finite.
        """
        parse_categories([category])
        x, y = float(x), float(y)
        if not (np.isfinite(x) and np.isfinite(y)):
            msg = "A proposed site needs a finite easting and northing (BNG metres)."
            raise AnchorMapError(msg)
        sites = pd.concat(
            [self.sites, pd.DataFrame([{"site_id": site_id, "name": name, "category": category, "x": x, "y": y}])],
            ignore_index=True,
        )
        categories = self.categories if category in self.categories else (*self.categories, category)
        code = categories.index(category)
        new_row = len(sites) - 1
        d, via, extra = self._distances_to(x, y)
        near = np.flatnonzero(d <= self.max_radius_m)
        near = near[np.argsort(d[near], kind="stable")]
        at = np.searchsorted(self.pair_m, d[near], side="right")  # keep the pairs sorted by distance
        if self.pair_via is not None:
            extra["pair_via"] = np.insert(self.pair_via, at, via[near])
        nearest_m, nearest_site = self.nearest_m, self.nearest_site
        if code == nearest_m.shape[1]:
            nearest_m = np.column_stack([nearest_m, np.full(self.n_origins, np.inf)])
            nearest_site = np.column_stack([nearest_site, np.full(self.n_origins, -1)])
        else:
            nearest_m, nearest_site = nearest_m.copy(), nearest_site.copy()
        closer = d < nearest_m[:, code]
        nearest_m[closer, code] = d[closer]
        nearest_site[closer, code] = new_row
        return replace(
            self,
            sites=sites,
            categories=categories,
            site_cat=np.append(self.site_cat, code),
            pair_origin=np.insert(self.pair_origin, at, near.astype(self.pair_origin.dtype)),
            pair_site=np.insert(self.pair_site, at, new_row),
            pair_m=np.insert(self.pair_m, at, d[near]),
            pair_cat=np.insert(self.pair_cat, at, code),
            nearest_m=nearest_m,
            nearest_site=nearest_site,
            **extra,
        )

    def _distances_to(self, x: float, y: float) -> tuple[np.ndarray, np.ndarray | None, dict]:
        """Distance (BNG m, this index's walking model) from every origin to the point (x, y),
        the crossing used (-1 same bank, -2 streets; None without a river) and the new site's
        per-site fields for :meth:`with_site`."""
        d = np.hypot(self.origins["x"].to_numpy() - x, self.origins["y"].to_numpy() - y)
        if self.river is None:
            return d, None, {}
        via = np.full(self.n_origins, -1, dtype=np.int16)
        bank = int(self.river.bank_of([x], [y])[0])
        cross = np.flatnonzero(self.origin_bank != bank)
        if cross.size:
            legs = self.river.legs([x], [y])
            m, best = rv.best_crossing(self.origin_legs, legs, cross, np.zeros(cross.size, dtype=np.int64))
            d[cross], via[cross] = m, best
        if self.streets is not None and bool(self.streets.covers(np.array([[x, y]], dtype=float))[0]):
            # a site on the streets: covered origins are measured along them only, as in build_index
            # (those the street search does not reach within its limit are out of reach)
            d[self.streets.origin_mask] = np.inf
            via[self.streets.origin_mask] = -2
            rows, street_m = self.streets.to_point(x, y)
            d[rows] = street_m / self.detour
        return d, via, {"site_bank": np.append(self.site_bank, bank).astype(np.int8)}

    def via_crossing(self, origin: int, site: int) -> str:
        """Name of the crossing the walk from origin row ``origin`` to site row ``site`` uses
        ("" on the same bank or without a river; "the streets" along a street network)."""
        if self.river is None:
            return ""
        d, via, _ = self._distances_to(float(self.sites["x"].iloc[site]), float(self.sites["y"].iloc[site]))
        k = int(via[origin])
        return "the streets" if k == -2 else ("" if k < 0 else str(self.river.crossings["name"].iloc[k]))


def build_index(
    origins: pd.DataFrame,
    sites: pd.DataFrame,
    max_radius_m: float = DEFAULT_MAX_RADIUS_M,
    *,
    walking: str = "straight",
    river: rv.River | None = None,
    streets=None,
    detour: float = DETOUR_FACTOR,
) -> CatchmentIndex:
    """Pre-compute distances from ``origins`` (:func:`lsoa_origins`) to ``sites`` (:func:`anchor_sites`).

    Pairs closer than ``max_radius_m`` metres in a straight line are found with scipy
    ``cKDTree.sparse_distance_matrix``; with a river, pairs on opposite banks are then measured
    via the best crossing and dropped when that makes them farther than ``max_radius_m``; with
    streets, pairs inside the network's area are measured along it. Nearest sites per category
    come from one ``cKDTree`` per category (and bank), exact under every model.

    Parameters
    ----------
    origins : pandas.DataFrame
        Origins with ``x``, ``y`` in British National Grid (EPSG:27700) metres, as
        :func:`lsoa_origins` gives.
    sites : pandas.DataFrame
        Sites with ``x``, ``y`` (BNG metres) and ``category``, as :func:`anchor_sites`
        gives.
    max_radius_m : float, optional
        Largest catchment in metres that the index will answer for (default
        :data:`DEFAULT_MAX_RADIUS_M`, 5,000 m).
    walking : {"straight", "river", "streets"}, optional
        The walking model (module docstring; default ``"straight"`` here, while
        :func:`anchormap.analysis.gaps.prepare` defaults to ``"river"``).
    river : anchormap.analysis.river.River, optional
        Banks and crossings for ``"river"`` and ``"streets"`` (default: the built ``river``
        layer, :func:`anchormap.analysis.river.load_river`).
    streets : anchormap.analysis.streets.StreetNetwork, optional
        The street network for ``"streets"`` (default: the central-London layer,
        :func:`anchormap.analysis.streets.load_streets`).
    detour : float, optional
        The detour factor street walks are divided by (``"streets"``; default 1.3).

    Returns
    -------
    CatchmentIndex
        The pairs, sorted by distance, and the nearest site of every category for every
        origin.

    Raises
    ------
    AnchorMapError
        When ``max_radius_m`` is not a positive number, there are no sites, or the walking
        model is unknown.
    """
    from scipy.spatial import cKDTree

    r = check_distance(max_radius_m, "largest catchment distance")
    rv.check_walking(walking)
    if len(sites) == 0:
        msg = "There are no anchor sites to measure catchments from."
        raise AnchorMapError(msg)
    oxy = origins[["x", "y"]].to_numpy(dtype=float)
    sxy = sites[["x", "y"]].to_numpy(dtype=float)
    categories = tuple(dict.fromkeys(sites["category"]))
    site_cat = pd.Categorical(sites["category"], categories=categories).codes.astype(np.int16)
    otree = cKDTree(oxy)
    pairs = otree.sparse_distance_matrix(cKDTree(sxy), r, output_type="ndarray")
    i, j, d = pairs["i"].astype(np.int64), pairs["j"].astype(np.int64), pairs["v"].astype(float)
    extra: dict = {"walking": walking}
    if walking == "straight":
        nearest_m, nearest_site = _nearest_straight(oxy, sxy, site_cat, len(categories))
        via = None
    else:
        river = river if river is not None else rv.load_river()
        obank, sbank = river.bank_of(oxy[:, 0], oxy[:, 1]), river.bank_of(sxy[:, 0], sxy[:, 1])
        olegs = river.legs(oxy[:, 0], oxy[:, 1])
        via = np.full(len(d), -1, dtype=np.int16)
        cross = np.flatnonzero(obank[i] != sbank[j])
        if cross.size:
            m, best = rv.best_crossing(olegs, river.legs(sxy[:, 0], sxy[:, 1]), i[cross], j[cross])
            d[cross], via[cross] = m, best
        keep = d <= r
        i, j, d, via = i[keep], j[keep], d[keep], via[keep]
        use = np.ones(len(sxy), dtype=bool)
        routing = None
        if walking == "streets":
            from anchormap.analysis import streets as st

            network = streets if streets is not None else st.load_streets()
            routing = network.routing(oxy, r * float(detour))
            on_streets = routing.covers(sxy)
            both = routing.origin_mask[i] & on_streets[j]
            i, j, d, via = i[~both], j[~both], d[~both], via[~both]
            si, sj, sm = street_pairs = routing.to_points(sxy, on_streets)
            close = sm / detour <= r
            i, j = np.concatenate([i, si[close]]), np.concatenate([j, sj[close]])
            d = np.concatenate([d, sm[close] / detour])
            via = np.concatenate([via, np.full(int(close.sum()), -2, dtype=np.int16)])
            use = ~on_streets
        every = np.ones(len(sxy), dtype=bool)
        nearest_m, nearest_site = _nearest_river(oxy, obank, olegs, sxy, sbank, site_cat, len(categories), river, every)
        if routing is not None:  # origins on the streets: sites off them by the river model, the rest by street
            off_m, off_site = _nearest_river(oxy, obank, olegs, sxy, sbank, site_cat, len(categories), river, use)
            covered = routing.origin_mask
            far_m, far_site = nearest_m.copy(), nearest_site.copy()
            nearest_m[covered], nearest_site[covered] = off_m[covered], off_site[covered]
            _nearest_streets(nearest_m, nearest_site, street_pairs, site_cat, detour)
            beyond = ~np.isfinite(nearest_m)  # no site of the kind within the street search: as the river model
            nearest_m[beyond], nearest_site[beyond] = far_m[beyond], far_site[beyond]
        extra.update(river=river, origin_bank=obank, site_bank=sbank, origin_legs=olegs, streets=routing)
        extra["detour"] = float(detour)
    order = np.argsort(d, kind="stable")
    if via is not None:
        extra["pair_via"] = via[order]
    return CatchmentIndex(
        origins=origins.reset_index(drop=True),
        sites=sites.reset_index(drop=True),
        categories=categories,
        site_cat=site_cat,
        max_radius_m=r,
        pair_origin=i[order].astype(np.int32),
        pair_site=j[order].astype(np.int32),
        pair_m=d[order],
        pair_cat=site_cat[j[order]],
        nearest_m=nearest_m,
        nearest_site=nearest_site,
        **extra,
    )


def _nearest_straight(oxy, sxy, site_cat, n_cat):
    from scipy.spatial import cKDTree

    nearest_m = np.full((len(oxy), n_cat), np.inf)
    nearest_site = np.full((len(oxy), n_cat), -1, dtype=np.int64)
    for c in range(n_cat):  # one tree per category, not a loop over pairs
        rows = np.flatnonzero(site_cat == c)
        dist, idx = cKDTree(sxy[rows]).query(oxy, k=1)
        nearest_m[:, c] = dist
        nearest_site[:, c] = rows[idx]
    return nearest_m, nearest_site


def _nearest_river(oxy, obank, olegs, sxy, sbank, site_cat, n_cat, river, use):
    """Exact nearest site per category with the river: per bank, the nearest same-bank site by a
    straight line, or min over crossings c of |origin→c| + (c's nearest site on the other bank)."""
    from scipy.spatial import cKDTree

    nearest_m = np.full((len(oxy), n_cat), np.inf)
    nearest_site = np.full((len(oxy), n_cat), -1, dtype=np.int64)
    cxy = river.cxy
    for c in range(n_cat):
        for bank in (rv.NORTH, rv.SOUTH):
            rows = np.flatnonzero((site_cat == c) & (sbank == bank) & use)
            if not rows.size:
                continue
            tree = cKDTree(sxy[rows])
            same = np.flatnonzero(obank == bank)
            dist, idx = tree.query(oxy[same], k=1)
            better = dist < nearest_m[same, c]
            nearest_m[same[better], c] = dist[better]
            nearest_site[same[better], c] = rows[idx[better]]
            other = np.flatnonzero(obank != bank)
            if other.size:
                from_crossing, at = tree.query(cxy, k=1)
                total = olegs[other] + from_crossing[None, :]
                k = np.argmin(total, axis=1)
                dist = total[np.arange(len(k)), k]
                better = dist < nearest_m[other, c]
                nearest_m[other[better], c] = dist[better]
                nearest_site[other[better], c] = rows[at[k[better]]]
    return nearest_m, nearest_site


def _nearest_streets(nearest_m, nearest_site, street_pairs, site_cat, detour):
    """Lower ``nearest_m``/``nearest_site`` (in place) where a site on the streets is nearer."""
    si, sj, sm = street_pairs
    if not si.size:
        return
    eff = sm / detour
    for c in np.unique(site_cat[sj]):
        mine = site_cat[sj] == c
        frame = pd.DataFrame({"o": si[mine], "s": sj[mine], "m": eff[mine]})
        best = frame.loc[frame.groupby("o")["m"].idxmin()]
        o, srow, m = best["o"].to_numpy(), best["s"].to_numpy(), best["m"].to_numpy()
        better = m < nearest_m[o, c]
        nearest_m[o[better], c] = m[better]
        nearest_site[o[better], c] = srow[better]


def decay_weights(distance_m: np.ndarray, radius_m: float, decay: str = "gaussian") -> np.ndarray:
    """Distance-decay weight W(d) in [0, 1] for distances within ``radius_m`` (0 beyond it).

    ``"gaussian"``: (exp(-0.5 (d/d0)^2) - exp(-0.5)) / (1 - exp(-0.5)) (1 at 0, 0 at d0).
    ``"step"``: 1, 0.68, 0.22 in the inner, middle and outer thirds of the catchment
    (:data:`STEP_WEIGHTS`).

    Parameters
    ----------
    distance_m : numpy.ndarray
        Straight-line distances in metres (British National Grid, EPSG:27700); any shape.
    radius_m : float
        Catchment radius d0 in metres; more than 0.
    decay : {"gaussian", "step"}, optional
        The decay (see :data:`DECAYS`); default ``"gaussian"``.

    Returns
    -------
    numpy.ndarray
        Weights of the same shape as ``distance_m``, 0 for distances beyond ``radius_m``.
        A distance exactly at ``radius_m`` weighs 0 with the Gaussian decay but 0.22 with
        the stepped one (it is in the outer third, not beyond).

    Raises
    ------
    AnchorMapError
        When ``radius_m`` is not a positive number or ``decay`` is unknown.

    Examples
    --------
    Stepped: thirds of a 900 m catchment end at 300 m and 600 m:

    >>> decay_weights(np.array([0, 299, 300, 599, 600, 900, 901]), 900, "step").tolist()
    [1.0, 1.0, 0.68, 0.68, 0.22, 0.22, 0.0]

    Gaussian, at quarters of a 1,000 m catchment and beyond it:

    >>> np.round(decay_weights(np.array([0, 250, 500, 750, 1000, 1200]), 1000), 4).tolist()
    [1.0, 0.9218, 0.7014, 0.3769, 0.0, 0.0]
    """
    d = np.asarray(distance_m, dtype=float)
    d0 = check_distance(radius_m)
    if decay == "gaussian":
        floor = np.exp(-0.5)
        w = d * (1.0 / d0)  # computed in place: this runs on millions of pairs per slider move
        np.square(w, out=w)
        w *= -0.5
        np.exp(w, out=w)
        w -= floor
        w *= 1.0 / (1.0 - floor)
        np.clip(w, 0.0, 1.0, out=w)
    elif decay == "step":
        band = np.minimum((d * (3.0 / d0)).astype(np.int64), 2)
        w = np.asarray(STEP_WEIGHTS)[band]
    else:
        msg = f"Unknown distance decay '{decay}': choose {' or '.join(DECAYS)}."
        raise AnchorMapError(msg)
    beyond = d > d0
    if beyond.any():
        w[beyond] = 0.0
    return w


def site_weights(index: CatchmentIndex, weights: dict[str, float] | None = None) -> np.ndarray:
    """Supply S_j of every site: its category's weight from ``weights`` (default 1 each).

    Parameters
    ----------
    index : CatchmentIndex
        The index whose sites are weighed.
    weights : dict of str to float, optional
        Weight (0 or more) by category key; categories left out, and uncategorised sites,
        weigh 1. Keys of categories absent from the index are checked but have no effect.

    Returns
    -------
    numpy.ndarray of float
        Shape (n_sites,), in the order of ``index.sites``.

    Raises
    ------
    AnchorMapError
        When a key is not a known category or a weight is not a finite number of 0 or more.
    """
    weights = dict(weights or {})
    parse_categories(list(weights) or None)
    per_cat = np.ones(len(index.categories))
    for key, value in weights.items():
        try:
            v = float(value)
        except (TypeError, ValueError):
            v = float("nan")
        if not np.isfinite(v) or v < 0:
            msg = f"The weight of '{key}' must be a number of 0 or more (got {value!r})."
            raise AnchorMapError(msg)
        if key in index.categories:
            per_cat[index.categories.index(key)] = v
    return per_cat[index.site_cat]


def e2sfca(
    index: CatchmentIndex,
    radius_m: float,
    categories=None,
    weights: dict[str, float] | None = None,
    decay: str = "gaussian",
    per: float = 1000.0,
) -> np.ndarray:
    """E2SFCA accessibility of every origin (weighted sites per ``per`` residents; formula above).

    Parameters
    ----------
    index : CatchmentIndex
        Origins (with ``population``), sites and their pairs.
    radius_m : float
        Catchment radius d0 in metres (at most ``index.max_radius_m``).
    categories : str or list of str or None, optional
        Category keys of the sites that supply (None: all; uncategorised sites always).
    weights : dict of str to float, optional
        Supply S_j by category (see :func:`site_weights`; default 1 each).
    decay : {"gaussian", "step"}, optional
        Distance decay W(d) (see :func:`decay_weights`).
    per : float, optional
        Residents the result is expressed per (default 1,000).

    Returns
    -------
    numpy.ndarray of float
        A_i x ``per`` for every origin, shape (n_origins,): 0 for an origin with no site
        within ``radius_m``; a site with no population within ``radius_m`` supplies
        nothing.

    Raises
    ------
    AnchorMapError
        As :meth:`CatchmentIndex.pairs_within`, :func:`decay_weights` and
        :func:`site_weights`.
    """
    return _e2sfca_of_pairs(index, index.pairs_within(radius_m, categories), radius_m, weights, decay, per)


def _e2sfca_of_pairs(index, pairs, radius_m, weights, decay, per) -> np.ndarray:
    o, s, d = pairs
    w = decay_weights(d, radius_m, decay)
    pop = index.origins["population"].to_numpy(dtype=float)
    demand = np.bincount(s, weights=pop[o] * w, minlength=len(index.sites))
    supply = site_weights(index, weights)
    ratio = np.divide(supply, demand, out=np.zeros_like(demand), where=demand > 0)
    return np.bincount(o, weights=ratio[s] * w, minlength=index.n_origins) * per


def catchment_table(
    index: CatchmentIndex,
    radius_m: float,
    categories=None,
    weights=None,
    decay: str = "gaussian",
    accessibility: bool = True,
) -> pd.DataFrame:
    """Per LSOA: anchors in the catchment, the nearest anchor and, optionally, E2SFCA accessibility.

    Parameters
    ----------
    index : CatchmentIndex
        Origins, sites and their pairs.
    radius_m : float
        Catchment radius in metres (at most ``index.max_radius_m``).
    categories : str or list of str or None, optional
        Category keys of the sites counted (None: all; uncategorised sites always).
    weights : dict of str to float, optional
        Supply by category for the accessibility (see :func:`site_weights`).
    decay : {"gaussian", "step"}, optional
        Distance decay for the accessibility (see :func:`decay_weights`).
    accessibility : bool, optional
        Whether to add the ``accessibility`` column (default True).

    Returns
    -------
    pandas.DataFrame
        One row per origin, in the order of ``index.origins``: ``lsoa_code``,
        ``anchors_in_catchment`` (int), ``nearest_anchor_m`` (BNG metres with the index's walking model,
        not limited to the radius; NaN when there is no site), ``nearest_anchor_name`` and
        ``nearest_anchor_category`` (None when there is no site) and, with
        ``accessibility``, ``accessibility`` (E2SFCA per 1,000 residents).

    Raises
    ------
    AnchorMapError
        As :meth:`CatchmentIndex.pairs_within`, :func:`decay_weights` and
        :func:`site_weights`.
    """
    pairs = index.pairs_within(radius_m, categories)
    counts = np.bincount(pairs[0], minlength=index.n_origins)
    near_m, near_row = index.nearest(categories)
    found = near_row >= 0
    names = np.where(found, index.sites["name"].to_numpy()[np.maximum(near_row, 0)], None)
    cats = np.where(found, index.sites["category"].to_numpy()[np.maximum(near_row, 0)], None)
    out = pd.DataFrame(
        {
            "lsoa_code": index.origins["lsoa_code"].to_numpy(),
            "anchors_in_catchment": counts,
            "nearest_anchor_m": np.where(found, near_m, np.nan),
            "nearest_anchor_name": names,
            "nearest_anchor_category": cats,
        }
    )
    if accessibility:
        out["accessibility"] = _e2sfca_of_pairs(index, pairs, radius_m, weights, decay, 1000.0)
    return out
