"""Catchments around anchor sites, measured from every LSOA in British National Grid metres.

Everything here works in EPSG:27700 (metres). Distances are straight lines between points.

**Origins.** Each LSOA is represented by one point *inside* its polygon
(``shapely`` ``representative_point()``), so the point never falls outside an oddly shaped
area the way a centroid can. A population-weighted centroid would be better, but the data
in the mirror has no population below LSOA level (no output-area or address-point counts),
so one cannot be derived here.

**Walking time.** Minutes of walking are turned into a straight-line radius with

    radius (m) = minutes x walking speed (m per minute) / detour factor

where the detour factor (default 1.3) is how much longer a walk along streets is than the
straight line, and the walking speed defaults to 4.8 km/h (80 m a minute). 15 minutes at
the defaults is 15 x 80 / 1.3 = 923 m in a straight line. This ignores rivers, rail lines
and the real street network; it is a screening measure, not a routing engine.

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
from scipy.spatial import cKDTree

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
    """``metres`` as a float, or AnchorMapError when it is not a positive finite number."""
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
    """Straight-line radius (m) reachable in ``minutes`` of walking at ``walk_kmh`` with ``detour``."""
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
    """Walking minutes for a straight-line distance (m): distance x detour / speed."""
    return np.asarray(distance_m, dtype=float) * detour / (walk_kmh * 1000.0 / 60.0)


def lsoa_origins(lsoas: pd.DataFrame) -> pd.DataFrame:
    """One origin point per LSOA: ``lsoa_code``, ``x``, ``y`` (BNG m, inside the polygon), ``population``.

    ``lsoas`` is an LSOA layer (EPSG:27700) such as ``load_layer("lsoa_2021")``.
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

    Reads ``easting``/``northing`` (or the point geometry of a EPSG:27700 GeoDataFrame),
    leaves out sites whose ``status`` is "closed" and sites without coordinates. A missing
    category becomes :data:`UNCATEGORISED` (counted whatever categories are chosen). ``label``
    names the set in messages ("the anchors layer", "our network"). An empty result raises
    AnchorMapError.
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

    ``pair_*`` arrays hold every (origin, site) pair closer than ``max_radius_m``, sorted by
    distance, with the site's category code in ``pair_cat``. ``nearest_m[i, c]`` / ``nearest_site[i, c]`` are origin i's nearest site of
    category ``categories[c]`` (``inf`` / -1 when there is none).
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

    @property
    def n_origins(self) -> int:
        return len(self.origins)

    def category_codes(self, categories) -> np.ndarray:
        """Integer codes of the chosen categories present among the sites (validated names).

        Sites without a category (rows of a network's own list that gave none) are always
        included: a category filter can only leave out sites whose kind it knows.
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
        """(origin, site, metres) of every pair within ``radius_m`` whose site is in ``categories``."""
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
        """Number of anchor sites within ``radius_m`` metres of each origin (int array)."""
        o, _s, _d = self.pairs_within(radius_m, categories)
        return np.bincount(o, minlength=self.n_origins)

    def counts_within_walk(
        self, minutes: float, categories=None, detour: float = DETOUR_FACTOR, walk_kmh: float = WALK_KMH
    ) -> np.ndarray:
        """Number of anchor sites within ``minutes`` of walking (see module docstring)."""
        return self.counts_within(walk_radius_m(minutes, detour, walk_kmh), categories)

    def nearest(self, categories=None) -> tuple[np.ndarray, np.ndarray]:
        """(metres, site row) of each origin's nearest site among ``categories`` (inf / -1 if none)."""
        codes = self.category_codes(categories)
        if codes.size == 0:
            return np.full(self.n_origins, np.inf), np.full(self.n_origins, -1)
        sub = self.nearest_m[:, codes]
        best = np.argmin(sub, axis=1)
        rows = np.arange(self.n_origins)
        return sub[rows, best], self.nearest_site[:, codes][rows, best]

    def nearest_by_category(self) -> pd.DataFrame:
        """Distance (m) from each origin to its nearest site of every category present."""
        return pd.DataFrame(
            self.nearest_m,
            columns=[f"nearest_{c or 'uncategorised'}_m" for c in self.categories],
            index=self.origins["lsoa_code"].to_numpy(),
        )

    def with_site(
        self, x: float, y: float, category: str, name: str = "Proposed site", site_id: str = "proposed"
    ) -> CatchmentIndex:
        """A copy with one more site at (x, y) BNG metres; the original is unchanged."""
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
        d = np.hypot(self.origins["x"].to_numpy() - x, self.origins["y"].to_numpy() - y)
        near = np.flatnonzero(d <= self.max_radius_m)
        near = near[np.argsort(d[near], kind="stable")]
        at = np.searchsorted(self.pair_m, d[near], side="right")  # keep the pairs sorted by distance
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
        )


def build_index(
    origins: pd.DataFrame, sites: pd.DataFrame, max_radius_m: float = DEFAULT_MAX_RADIUS_M
) -> CatchmentIndex:
    """Pre-compute distances from ``origins`` (:func:`lsoa_origins`) to ``sites`` (:func:`anchor_sites`).

    Pairs closer than ``max_radius_m`` metres are kept (scipy ``cKDTree.sparse_distance_matrix``);
    nearest sites per category come from one ``cKDTree`` query per category.
    """
    r = check_distance(max_radius_m, "largest catchment distance")
    if len(sites) == 0:
        msg = "There are no anchor sites to measure catchments from."
        raise AnchorMapError(msg)
    oxy = origins[["x", "y"]].to_numpy(dtype=float)
    sxy = sites[["x", "y"]].to_numpy(dtype=float)
    categories = tuple(dict.fromkeys(sites["category"]))
    site_cat = pd.Categorical(sites["category"], categories=categories).codes.astype(np.int16)
    otree = cKDTree(oxy)
    pairs = otree.sparse_distance_matrix(cKDTree(sxy), r, output_type="ndarray")
    order = np.argsort(pairs["v"], kind="stable")
    nearest_m = np.full((len(oxy), len(categories)), np.inf)
    nearest_site = np.full((len(oxy), len(categories)), -1, dtype=np.int64)
    for c in range(len(categories)):  # one tree per category, not a loop over pairs
        rows = np.flatnonzero(site_cat == c)
        dist, idx = cKDTree(sxy[rows]).query(oxy, k=1)
        nearest_m[:, c] = dist
        nearest_site[:, c] = rows[idx]
    return CatchmentIndex(
        origins=origins.reset_index(drop=True),
        sites=sites.reset_index(drop=True),
        categories=categories,
        site_cat=site_cat,
        max_radius_m=r,
        pair_origin=pairs["i"][order].astype(np.int32),
        pair_site=pairs["j"][order].astype(np.int32),
        pair_m=pairs["v"][order].astype(float),
        pair_cat=site_cat[pairs["j"][order]],
        nearest_m=nearest_m,
        nearest_site=nearest_site,
    )


def decay_weights(distance_m: np.ndarray, radius_m: float, decay: str = "gaussian") -> np.ndarray:
    """Distance-decay weight W(d) in [0, 1] for distances within ``radius_m`` (0 beyond it).

    ``"gaussian"``: (exp(-0.5 (d/d0)^2) - exp(-0.5)) / (1 - exp(-0.5)) (1 at 0, 0 at d0).
    ``"step"``: 1, 0.68, 0.22 in the inner, middle and outer thirds of the catchment.
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
    """Supply S_j of every site: its category's weight from ``weights`` (default 1 each)."""
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
    """E2SFCA accessibility of every origin (weighted sites per ``per`` residents; formula above)."""
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
    """Per LSOA: ``anchors_in_catchment``, ``nearest_anchor_m``, ``nearest_anchor_name``,
    ``nearest_anchor_category`` and, with ``accessibility``, ``accessibility`` (E2SFCA per
    1,000 residents)."""
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
