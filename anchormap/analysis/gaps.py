"""The gap ranking: neighbourhoods with high need and few anchors to partner with.

For every LSOA in the chosen deprivation deciles (decile 1 = the most deprived 10% in
England) the gap score is

    gap score = need x scarcity                      (0 to 1; higher = bigger gap)

- **need** = 1 - (national rank - 1) / (LSOAs in England) on the chosen measure: 1.00 for the
  most deprived neighbourhood in England, close to 0 for the least deprived;
- **scarcity**, with ``scarcity="count"`` (default) = 1 / (1 + anchors in the catchment):
  1 with no anchor within reach, 1/2 with one, 1/3 with two...; with ``scarcity="access"``
  = 1 / (1 + A / A_London), where A is the E2SFCA accessibility
  (:func:`anchormap.analysis.catchment.e2sfca`) and A_London the London average (the total site
  weight per 1,000 Londoners): 1 with no access, 1/2 at the London average, 1/3 at twice it.

LSOAs are ranked by gap score (ties: the one farther from its nearest anchor first, then
the more deprived). :func:`explain` writes the same in plain words for the page and the
exported files. All distances are metres in British National Grid (EPSG:27700) from a
point inside each LSOA, by default straight lines on each side of the Thames and, to the
other side, by the crossing open on foot that makes the walk shortest (``walking="river"``;
see :mod:`anchormap.analysis.catchment` for the three walking models).

Typical use: ``ctx = prepare(2025, anchors)`` once (the slow part, ~1.5-2.5 s), then
``rank_gaps(ctx, GapParams(...))`` for every change of a widget (a few milliseconds).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from anchormap.analysis import catchment as cm
from anchormap.analysis import river as rv
from anchormap.categories import CATEGORIES, parse_categories
from anchormap.crs import wgs84_to_bng
from anchormap.data.attribution import attribution_lines
from anchormap.data.exports import export_file_bytes, lsoa_layer, write_table
from anchormap.data.layers import LAYERS
from anchormap.editions import DEFAULT_EDITION, check_edition, edition_info
from anchormap.errors import AnchorMapError
from anchormap.geo import postcodes
from anchormap.measures import get_measure

SCARCITY_MODES = ("count", "access")
DEFAULT_DECILES = (1, 2)
DEFAULT_WITHIN_M = 1000.0
DEFAULT_CATEGORIES = tuple(k for k, c in CATEGORIES.items() if c.default_on)
"""Categories counted unless chosen otherwise: the anchor institutions proper (hospitals,
universities and colleges, libraries, culture, fire and police, civic sites), not the many
small sites (GP practices, schools, places of worship) that can be switched on."""
AREA_LEVELS = {
    "borough": ("borough_code", "borough_name"),
    "ward": edition_info(2025).ward_columns,
    "msoa": ("msoa_code", "msoa_name"),
}


@dataclass(frozen=True)
class GapParams:
    """The parts of the gap score, as chosen with the page's widgets or the CLI options.

    Exactly one of ``within_m`` (straight-line metres) and ``walk_minutes`` sets the
    catchment; with neither, 1,000 m is used. ``categories`` defaults to
    :data:`DEFAULT_CATEGORIES`; None means every category. The values are checked when the
    parameters are made, so the functions taking them never parse them again.
    """

    edition: int = DEFAULT_EDITION
    measure: str = "imd"
    deciles: tuple[int, ...] = DEFAULT_DECILES
    categories: tuple[str, ...] | None = DEFAULT_CATEGORIES
    within_m: float | None = None
    walk_minutes: float | None = None
    detour: float = cm.DETOUR_FACTOR
    walk_kmh: float = cm.WALK_KMH
    scarcity: str = "count"
    decay: str = "gaussian"
    weights: dict[str, float] = field(default_factory=dict)
    network_only: bool = False
    walking: str = rv.DEFAULT_WALKING

    def __post_init__(self):
        """Check and normalise every value once, where the parameters are made (CLI, link,
        widgets): deciles become a sorted tuple of ints, categories a tuple of category keys
        (None: all), distances and speeds floats; AnchorMapError with a clear message otherwise."""
        check_edition(self.edition)
        get_measure(self.measure, self.edition)
        if self.within_m is not None and self.walk_minutes is not None:
            msg = "Give the catchment either in metres or in walking minutes, not both."
            raise AnchorMapError(msg)
        if self.scarcity not in SCARCITY_MODES:
            msg = f"Unknown scarcity measure '{self.scarcity}': choose {' or '.join(SCARCITY_MODES)}."
            raise AnchorMapError(msg)
        rv.check_walking(self.walking)
        if self.decay not in cm.DECAYS:
            msg = f"Unknown distance decay '{self.decay}': choose {' or '.join(cm.DECAYS)}."
            raise AnchorMapError(msg)
        typed = {
            "deciles": parse_deciles(self.deciles),
            "categories": tuple(parse_categories(list(self.categories))) if self.categories is not None else None,
            "within_m": float(self.within_m) if self.within_m is not None else None,
            "detour": float(self.detour),
            "walk_kmh": float(self.walk_kmh),
            "weights": {str(k): float(w) for k, w in self.weights.items()},
            "network_only": bool(self.network_only),
        }
        for name, value in typed.items():
            object.__setattr__(self, name, value)
        self.radius_m  # noqa: B018 - validates distances, detour and speed

    @property
    def radius_m(self) -> float:
        """Catchment radius in straight-line metres."""
        if self.walk_minutes is not None:
            return cm.walk_radius_m(self.walk_minutes, self.detour, self.walk_kmh)
        return cm.check_distance(DEFAULT_WITHIN_M if self.within_m is None else self.within_m)

    def as_metadata(self) -> dict:
        """Parameters to write into exported files (plain values only)."""
        meta = {
            "edition": self.edition,
            "measure": self.measure,
            "deciles": ",".join(str(d) for d in self.deciles),
            "categories": ",".join(self.categories) if self.categories else "all",
            "catchment_m": round(self.radius_m, 1),
            "anchors": "our network only" if self.network_only else "all anchors",
            "scarcity": self.scarcity,
            "walking": rv.MODEL_SHORT[self.walking],
        }
        if self.walk_minutes is not None:
            meta.update(walk_minutes=self.walk_minutes, detour_factor=self.detour, walk_kmh=self.walk_kmh)
        if self.scarcity == "access":
            meta.update(decay=self.decay, weights=",".join(f"{k}={v}" for k, v in self.weights.items()) or "all 1")
        return meta


def parse_deciles(value) -> tuple[int, ...]:
    """Deciles from "1,2", "1-3" or a list of ints; each must be 1 to 10."""
    if value is None:
        return DEFAULT_DECILES
    items: list = []
    parts = value.split(",") if isinstance(value, str) else list(value)
    for part in parts:
        text = str(part).strip()
        if not text:
            continue
        try:
            if isinstance(part, str) and "-" in text[1:]:
                lo, hi = text.split("-", 1)
                items.extend(range(int(lo), int(hi) + 1))
            else:
                items.append(int(float(text)))
        except ValueError:
            msg = f"Deciles must be whole numbers from 1 to 10 such as '1,2' or '1-3' (got {value!r})."
            raise AnchorMapError(msg) from None
    if not items:
        msg = "Choose at least one decile (1 = the most deprived 10% of areas in England)."
        raise AnchorMapError(msg)
    bad = [d for d in items if not 1 <= d <= 10]
    if bad:
        msg = f"Deciles run from 1 (most deprived 10% in England) to 10; {bad} is not one of them."
        raise AnchorMapError(msg)
    return tuple(sorted(set(items)))


@dataclass(frozen=True)
class GapContext:
    """An edition's LSOAs (attributes, no geometry) and the catchment index of an anchor set."""

    edition: int
    lsoas: pd.DataFrame
    index: cm.CatchmentIndex
    source_label: str

    @property
    def walking(self) -> str:
        """The walking model of the index (:data:`anchormap.analysis.river.WALKING_MODELS`)."""
        return self.index.walking

    def with_site(self, x: float, y: float, category: str, name: str = "Proposed site") -> GapContext:
        """A copy with one proposed site added (BNG metres), measured with the index's walking model."""
        return GapContext(self.edition, self.lsoas, self.index.with_site(x, y, category, name), self.source_label)


def prepare(
    edition: int,
    anchors: pd.DataFrame,
    label: str = "the anchors layer",
    max_radius_m: float = cm.DEFAULT_MAX_RADIUS_M,
    lsoas: pd.DataFrame | None = None,
    walking: str = rv.DEFAULT_WALKING,
    detour: float = cm.DETOUR_FACTOR,
) -> GapContext:
    """Everything the ranking needs for ``edition`` and an anchor set (the slow, once-only part).

    ``anchors`` has the anchors-layer columns (``category``, ``easting``/``northing`` in
    BNG metres, ``name``, ``anchor_id``, ``status``). ``label`` names the set in messages
    ("the anchors layer", "our network"). ``lsoas`` defaults to the edition's LSOA layer.
    ``walking`` is the walking model (default ``"river"``: straight lines on each side of the
    Thames, crossing it where one can on foot; ``"straight"``; ``"streets"`` along the
    central-London street network where it covers both ends, which also takes the ``detour``
    factor street walks are compared with; see :mod:`anchormap.analysis.catchment`).
    """
    check_edition(edition)
    if lsoas is None:
        lsoas = lsoa_layer(edition)
    sites = cm.anchor_sites(anchors, label)
    index = cm.build_index(cm.lsoa_origins(lsoas), sites, max_radius_m, walking=walking, detour=detour)
    table = pd.DataFrame(lsoas.drop(columns="geometry")).reset_index(drop=True)
    return GapContext(edition, table, index, label)


def london_access_reference(ctx: GapContext, params: GapParams) -> float:
    """A_London: total site weight per 1,000 Londoners for the chosen categories (E2SFCA scale)."""
    supply = cm.site_weights(ctx.index, params.weights)
    chosen = np.isin(ctx.index.site_cat, ctx.index.category_codes(params.categories))
    population = float(ctx.index.origins["population"].sum())
    return float(supply[chosen].sum() / population * 1000.0) if population > 0 else 0.0


def rank_gaps(
    ctx: GapContext, params: GapParams, top: int | None = None, access_reference: float | None = None
) -> pd.DataFrame:
    """The ranked gap table for the LSOAs in ``params.deciles`` (one row per LSOA, best gap first).

    Columns: ``gap_rank``, ``lsoa_code``, ``lsoa_name``, ``borough_code``, ``borough_name``,
    ``ward_2025_code``/``ward_2025_name`` (2025 edition), ``msoa_code``/``msoa_name``, ``<measure>_decile``, ``<measure>_score``, ``<measure>_rank``,
    ``population``, ``anchors_in_catchment``, ``nearest_anchor_name``,
    ``nearest_anchor_category``, ``nearest_anchor_m`` (metres), ``nearest_<category>_m`` (metres to
    the nearest site of each counted category; NaN when it has none), ``accessibility`` (E2SFCA per
    1,000 residents; only with ``scarcity="access"``), ``need``, ``scarcity``, ``gap_score``. ``top`` keeps the first N.
    ``access_reference`` fixes A_London (used by :func:`what_if` so both sides share it).
    """
    if params.edition != ctx.edition:
        msg = f"The ranking was prepared for the {ctx.edition} edition, not {params.edition}."
        raise AnchorMapError(msg)
    check_model(ctx, params)
    if top is not None and (not isinstance(top, (int, np.integer)) or top < 1):
        msg = f"--top must be a whole number of 1 or more (got {top!r})."
        raise AnchorMapError(msg)
    codes = ctx.index.category_codes(params.categories)
    if codes.size == 0:
        chosen = ", ".join(params.categories or ())
        msg = f"No site in {ctx.source_label} is in the chosen categories ({chosen}); choose other categories."
        raise AnchorMapError(msg)
    radius = params.radius_m
    if radius > ctx.index.max_radius_m:
        msg = (
            f"A catchment of {radius:,.0f} m is larger than the {ctx.index.max_radius_m:,.0f} m supported "
            f"here; choose a smaller distance or walking time."
        )
        raise AnchorMapError(msg)
    cats = params.categories
    access = params.scarcity == "access"
    catch = cm.catchment_table(ctx.index, radius, cats, params.weights, params.decay, accessibility=access)
    m = params.measure
    lsoas = ctx.lsoas
    keep = lsoas[f"{m}_decile"].isin(params.deciles).to_numpy()
    area = [c for c in (*edition_info(params.edition).ward_columns, *AREA_LEVELS["msoa"]) if c in lsoas]
    cols = [
        "lsoa_code",
        "lsoa_name",
        "borough_code",
        "borough_name",
        *area,
        f"{m}_decile",
        f"{m}_score",
        f"{m}_rank",
        "population",
    ]
    out = lsoas.loc[keep, cols].reset_index(drop=True)
    catch = catch.loc[keep].reset_index(drop=True)
    for col in ("anchors_in_catchment", "nearest_anchor_name", "nearest_anchor_category", "nearest_anchor_m"):
        out[col] = catch[col].to_numpy()
    out["nearest_anchor_m"] = out["nearest_anchor_m"].round(0)
    for key, col in nearest_by_kind(ctx.index, cats).items():
        out[key] = np.round(col[keep], 0)
    if access:
        out["accessibility"] = catch["accessibility"].to_numpy().round(6)
    out["need"] = (1.0 - (out[f"{m}_rank"].astype(float) - 1.0) / edition_info(params.edition).lsoas_in_england).round(
        4
    )
    if params.scarcity == "count":
        out["scarcity"] = 1.0 / (1.0 + out["anchors_in_catchment"].astype(float))
    else:
        ref = london_access_reference(ctx, params) if access_reference is None else float(access_reference)
        out["scarcity"] = 1.0 / (1.0 + out["accessibility"] / ref) if ref > 0 else 1.0
        out.attrs["access_reference"] = ref
    out["gap_score"] = (out["need"] * out["scarcity"]).round(4)
    out = out.sort_values(
        ["gap_score", "nearest_anchor_m", f"{m}_rank"],
        ascending=[False, False, True],
        kind="mergesort",
        na_position="first",
    ).reset_index(drop=True)
    out.insert(0, "gap_rank", np.arange(1, len(out) + 1))
    return out.head(top) if top else out


def check_model(ctx: GapContext, params: GapParams) -> None:
    """AnchorMapError unless ``ctx`` was prepared with ``params``' walking model (and, for
    streets, its detour factor): the distances would otherwise not be the ones described."""
    if ctx.walking != params.walking:
        msg = (
            f"The ranking was prepared with {ctx.walking} walking, not {params.walking}: "
            f"prepare it again with walking='{params.walking}'."
        )
        raise AnchorMapError(msg)
    if ctx.walking == "streets" and abs(ctx.index.detour - params.detour) > 1e-9:
        msg = (
            f"The street walks were prepared with a detour factor of {ctx.index.detour:g}, not {params.detour:g}: "
            "prepare them again with that detour."
        )
        raise AnchorMapError(msg)


def nearest_by_kind(index: cm.CatchmentIndex, categories) -> dict[str, np.ndarray]:
    """``nearest_<category>_m`` -> metres (BNG, the index's walking model) from every origin to the nearest site
    of that category, for each of ``categories`` (None: all) that has sites; NaN where none."""
    keys = list(CATEGORIES) if categories is None else list(categories)
    if cm.UNCATEGORISED in index.categories:
        keys = [*keys, cm.UNCATEGORISED]
    out = {}
    for key in keys:
        if key in index.categories:
            metres = index.nearest_m[:, index.categories.index(key)]
            out[f"nearest_{key or 'uncategorised'}_m"] = np.where(np.isfinite(metres), metres, np.nan)
    return out


def _deciles_in_words(deciles: tuple[int, ...]) -> str:
    if deciles == tuple(range(1, len(deciles) + 1)):
        return (
            f"among the {len(deciles) * 10}% most deprived in England (decile{'s' if len(deciles) > 1 else ''} "
            f"{'1' if len(deciles) == 1 else f'1 to {len(deciles)}'})"
        )
    return (
        f"in decile{'s' if len(deciles) > 1 else ''} {', '.join(map(str, deciles))} "
        "(decile 1 = the most deprived 10% in England)"
    )


def _categories_in_words(categories) -> str:
    keys = list(categories) if categories else list(CATEGORIES)
    if len(keys) == len(CATEGORIES):
        return "anchors of every kind"
    return ", ".join(CATEGORIES[k].plain for k in keys)


def explain(params: GapParams, ctx: GapContext | None = None) -> str:
    """The gap score in plain words, with the chosen parameters filled in.

    With ``ctx``, sites of its anchor set that have no category (counted whatever the
    categories) are mentioned too.
    """
    measure = get_measure(params.measure)
    n = edition_info(params.edition).lsoas_in_england
    radius = params.radius_m
    # "in a straight line" only when it is one: otherwise a walk to the other bank goes by a
    # crossing (walking_words says so below)
    measured = " in a straight line" if params.walking == "straight" else ""
    if params.walk_minutes is not None:
        reach = (
            f"within a {params.walk_minutes:g}-minute walk (about {radius:,.0f} m{measured}, "
            f"walking at {params.walk_kmh:g} km/h on streets {params.detour:g} times longer than the straight line)"
        )
    else:
        reach = f"within {radius:,.0f} m{measured}"
    who = "our network's anchors" if params.network_only else "all anchors"
    text = (
        f"We look at every neighbourhood (LSOA) {_deciles_in_words(params.deciles)} for "
        f"{measure.plain} ({measure.label}, {params.edition} Indices of Deprivation) and give it a gap score = need × scarcity, "
        f"from 0 to 1; the highest score is the biggest gap. "
        f"Need is how deprived the neighbourhood is on {measure.plain} compared with all {n:,} in England: "
        f"1.00 for the most deprived, close to 0 for the least. "
    )
    if params.scarcity == "count":
        text += (
            f"Scarcity is 1 ÷ (1 + the number of anchors {reach} of a point inside the neighbourhood): "
            f"1 when there are none, 0.5 with one, 0.33 with two. "
        )
    else:
        decay = (
            "fading smoothly with distance"
            if params.decay == "gaussian"
            else "counting fully in the nearest third, 68% in the middle third and 22% in the outer third"
        )
        text += (
            f"Scarcity is 1 ÷ (1 + access ÷ the London average), where access counts the anchors {reach}, "
            f"{decay}, shared among the people living within reach of each anchor (the E2SFCA method): "
            f"1 with no access, 0.5 at the London average. "
        )
        weighted = {k: v for k, v in params.weights.items() if v != 1}
        if weighted:
            text += (
                "Weights: "
                + ", ".join(f"one {CATEGORIES[k].label.lower()} site counts {v:g}" for k, v in weighted.items())
                + " (other sites count 1). "
            )
    text += f"Anchors counted: {_categories_in_words(params.categories)}, from {who}. "
    text += walking_words(params)
    unknown = 0 if ctx is None else int((ctx.index.sites["category"] == cm.UNCATEGORISED).sum())
    if unknown:
        text += (
            f" Also counted: {unknown:,} site{'s' if unknown > 1 else ''} whose kind the list does not "
            "give, whatever kinds are chosen."
        )
    return text


WALKING_WORDS = {
    "straight": (
        "Distances are straight lines, which ignore the Thames: a place across the river with no "
        "crossing nearby can look close."
    ),
    "river": (
        "Distances respect the Thames: on the same side of the river they are straight lines; to the "
        "other side they go in straight lines to and from the crossing open on foot (a bridge, a foot "
        "tunnel or the Woolwich Ferry) that makes the walk shortest, so an anchor just across the water "
        "is only as close as the walk by that crossing. The Rotherhithe road tunnel and the cable car "
        "are not counted as crossings."
    ),
    "streets": (
        "Distances follow the streets where the central-London street network (OpenStreetMap, 2018) "
        "covers both the neighbourhood and the anchor, divided by the detour factor so that they compare "
        "with straight lines; elsewhere they respect the Thames: straight lines on the same side of the "
        "river, and to the other side the walk by the crossing open on foot that makes it shortest."
    ),
}


def walking_words(params: GapParams) -> str:
    """The walking model of ``params`` in one or two plain sentences (part of :func:`explain`)."""
    text = WALKING_WORDS[params.walking]
    if params.walking == "streets":
        from anchormap.analysis import streets

        if streets.street_source() == streets.GREATER_LONDON:
            text = text.replace(
                "the central-London street network (OpenStreetMap, 2018)",
                "the street network of OpenStreetMap's Greater London extract (Geofabrik)",
            )
    return text


def rollup(table: pd.DataFrame, by: str = "borough") -> pd.DataFrame:
    """Ranked LSOAs summed up by ``borough``, ``ward`` (2025 edition) or ``msoa``.

    Columns: the area code and name, ``lsoas`` (ranked LSOAs in it), ``population``,
    ``lsoas_without_anchor`` (no anchor in the catchment), ``mean_gap_score``,
    ``gap_score_sum`` (more and bigger gaps rank higher), ``best_gap_rank``. Sorted by
    ``gap_score_sum``, largest first.
    """
    if by not in AREA_LEVELS:
        msg = f"Unknown roll-up '{by}': choose {', '.join(AREA_LEVELS)}."
        raise AnchorMapError(msg)
    code, name = AREA_LEVELS[by]
    if code not in table:
        msg = (
            "Ward roll-ups need the 2025 edition (LSOA 2021 has ward lookups); use MSOA for 2019."
            if by == "ward"
            else f"The table has no '{code}' column to roll up by."
        )
        raise AnchorMapError(msg)
    counted = table.assign(_without_anchor=(table["anchors_in_catchment"] == 0).astype(int))
    grouped = counted.groupby([code, name], sort=False, dropna=False)
    out = grouped.agg(
        lsoas=("lsoa_code", "size"),
        population=("population", "sum"),
        lsoas_without_anchor=("_without_anchor", "sum"),
        mean_gap_score=("gap_score", "mean"),
        gap_score_sum=("gap_score", "sum"),
        best_gap_rank=("gap_rank", "min"),
    ).reset_index()
    out["mean_gap_score"] = out["mean_gap_score"].round(4)
    out["gap_score_sum"] = out["gap_score_sum"].round(4)
    return out.sort_values(["gap_score_sum", "best_gap_rank"], ascending=[False, True]).reset_index(drop=True)


def default_rollup_level(edition: int) -> str:
    """ "ward" for the 2025 edition (LSOA 2021 has ward lookups), "msoa" for 2019."""
    return "ward" if edition_info(edition).ward_columns else "msoa"


def what_if(
    ctx: GapContext, params: GapParams, x: float, y: float, category: str, name: str = "Proposed site"
) -> pd.DataFrame:
    """Before and after a proposed site at (x, y) BNG metres, for every ranked LSOA whose gap changes.

    Columns: ``lsoa_code``, ``lsoa_name``, ``borough_name``, ``<measure>_decile``,
    ``anchors_before``/``anchors_after``, ``nearest_m_before``/``nearest_m_after``,
    ``score_before``/``score_after``, ``gap_rank_before``/``gap_rank_after`` and
    ``gap_closed_by`` (score before minus after), largest closure first. "Before" is the
    ranking as chosen (:func:`rank_gaps` with ``params``), so the proposed site's category must
    be one of the categories counted: AnchorMapError otherwise (counting its category only for
    the what-if would also count every existing site of that kind and change "before").
    """
    parse_categories([category])
    if params.categories is not None and category not in params.categories:
        counted = ", ".join(params.categories)
        msg = (
            f"A proposed site of the kind '{category}' would not be counted: the ranking counts only "
            f"{counted}. Choose one of those kinds for the site, or count '{category}' too."
        )
        raise AnchorMapError(msg)
    before = rank_gaps(ctx, params)
    ref = before.attrs.get("access_reference")
    after = rank_gaps(ctx.with_site(x, y, category, name), params, access_reference=ref)
    m = params.measure
    keys = ["lsoa_code", "lsoa_name", "borough_name", f"{m}_decile"]
    pick = {
        "anchors_in_catchment": "anchors",
        "nearest_anchor_m": "nearest_m",
        "gap_score": "score",
        "gap_rank": "gap_rank",
    }
    b = before[keys + list(pick)].rename(columns={k: f"{v}_before" for k, v in pick.items()})
    a = after[["lsoa_code", *pick]].rename(columns={k: f"{v}_after" for k, v in pick.items()})
    both = b.merge(a, on="lsoa_code", validate="1:1")
    both["gap_closed_by"] = (both["score_before"] - both["score_after"]).round(4)
    same_nearest = np.isclose(
        both["nearest_m_before"].astype(float), both["nearest_m_after"].astype(float), rtol=0, atol=0.5, equal_nan=True
    )
    changed = (both["gap_closed_by"] != 0) | (both["anchors_before"] != both["anchors_after"]) | ~same_nearest
    cols = keys + [
        "anchors_before",
        "anchors_after",
        "nearest_m_before",
        "nearest_m_after",
        "score_before",
        "score_after",
        "gap_closed_by",
        "gap_rank_before",
        "gap_rank_after",
    ]
    return (
        both.loc[changed, cols].sort_values(["gap_closed_by", "score_before"], ascending=False).reset_index(drop=True)
    )


def what_if_summary(change: pd.DataFrame) -> str:
    """The outcome of :func:`what_if` in one sentence whose words match its numbers.

    A gap *closes* only where the gap score after the proposed site is 0; where the score only
    falls, the sentence says by how much (as a share of the score before: with the count of
    anchors, one more anchor in the catchment halves a score of need × 1, and takes a third off
    need × ½). Where only the nearest anchor comes closer (the site is outside the catchment),
    the score stays the same and the sentence says so.

    Parameters
    ----------
    change : DataFrame
        :func:`what_if`: ``score_before``, ``score_after`` and ``gap_closed_by`` per LSOA.

    Returns
    -------
    str
        A sentence starting in lower case (the page puts the site's name before it).

    Examples
    --------
    >>> t = pd.DataFrame({"score_before": [0.8, 0.4, 0.3], "score_after": [0.4, 0.0, 0.3],
    ...                   "gap_closed_by": [0.4, 0.4, 0.0]})
    >>> what_if_summary(t)  # doctest: +NORMALIZE_WHITESPACE
    'the gap closes in 1 of the ranked neighbourhoods; the gap score falls by half in 1 more;
    the nearest anchor comes closer in 1 ranked neighbourhood, but the gap score stays the same
    (the site is outside its catchment).'
    >>> what_if_summary(t.iloc[[0]])
    'no gap closes: the gap score falls by half in 1 of the ranked neighbourhoods.'
    >>> what_if_summary(pd.DataFrame({"score_before": [0.9, 0.6], "score_after": [0.45, 0.4],
    ...                               "gap_closed_by": [0.45, 0.2]}))
    'no gap closes: the gap score falls by a third to half in 2 of the ranked neighbourhoods.'
    """
    if not len(change):
        return "no ranked neighbourhood is within its catchment, so no gap changes."

    def by(share: float) -> str:  # a fall as a share of the score before: "half", "a third", "27%"
        for value, words in ((0.5, "half"), (1 / 3, "a third"), (0.25, "a quarter"), (2 / 3, "two thirds")):
            if abs(share - value) < 0.005:
                return words
        return f"{share:.0%}"

    before = pd.to_numeric(change["score_before"], errors="coerce").to_numpy(dtype=float)
    after = pd.to_numeric(change["score_after"], errors="coerce").to_numpy(dtype=float)
    fell = pd.to_numeric(change["gap_closed_by"], errors="coerce").to_numpy(dtype=float) > 0
    closed = fell & np.isclose(after, 0.0, atol=5e-5)
    lowered = fell & ~closed
    n_closed, n_lowered = int(closed.sum()), int(lowered.sum())
    nearer = len(change) - n_closed - n_lowered
    parts = []
    if n_closed:
        parts.append(f"the gap closes in {n_closed} of the ranked neighbourhoods")
    if n_lowered:
        share = 1.0 - after[lowered] / before[lowered]
        lo, hi = float(np.nanmin(share)), float(np.nanmax(share))
        how = f"by {by(lo)}" if by(lo) == by(hi) else f"by {by(lo)} to {by(hi)}"
        where = "more" if n_closed else "of the ranked neighbourhoods"
        parts.append(f"the gap score falls {how} in {n_lowered} {where}")
    if nearer:
        parts.append(
            f"the nearest anchor comes closer in {nearer} ranked neighbourhood{'s' if nearer != 1 else ''}, "
            "but the gap score stays the same (the site is outside its catchment)"
        )
    text = "; ".join(parts) + "."
    return text if n_closed else "no gap closes: " + text


def locate_postcode(text: str) -> dict:
    """A what-if site at a full London postcode (:func:`anchormap.geo.postcodes.locate`).

    Parameters
    ----------
    text : str
        A full postcode in any case or spacing ("se6 4ru"). An outward code alone is refused:
        a site needs a postcode's own point, not a district's mean.

    Returns
    -------
    dict
        ``postcode`` (canonical), ``x``/``y`` (EPSG:27700 metres), ``lat``/``lon`` (EPSG:4326 degrees).

    Raises
    ------
    AnchorMapError
        When ``text`` is not a full postcode, or not one in London's Code-Point Open.
    """
    match = postcodes.locate(text)
    if not match.is_full:
        msg = f"'{text}' is not a full postcode such as 'SE6 4RU'."
        raise AnchorMapError(msg)
    if match.precision != "postcode":
        msg = f"The postcode {match.postcode} is not a current Greater London postcode: {match.reason}."
        raise AnchorMapError(msg)
    return {"postcode": match.postcode, "x": match.easting, "y": match.northing, "lat": match.lat, "lon": match.lon}


def bng_from_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """(easting, northing) in EPSG:27700 metres for a WGS84 point (e.g. a map click)."""
    x, y = wgs84_to_bng(float(lon), float(lat))
    if not (np.isfinite(x) and np.isfinite(y)):
        msg = f"The point ({lat}, {lon}) cannot be placed on the British National Grid."
        raise AnchorMapError(msg)
    return float(x), float(y)


def anchors_near(ctx: GapContext, lsoa_codes, params: GapParams, reach_m: float | None = None) -> pd.DataFrame:
    """The anchor sites (chosen categories) near the given LSOAs, nearest first.

    "Near" is within ``reach_m`` metres of an LSOA's point (default: twice the catchment,
    at most the index's largest radius), and every LSOA's nearest anchor is always included,
    so the biggest gaps (which by definition have few anchors inside their catchment) still
    show the anchors just out of reach. Columns of :func:`anchormap.analysis.catchment.anchor_sites`
    (``x``/``y`` BNG m) and ``distance_m`` (to the nearest of those LSOAs' points).
    """
    reach = min(2 * params.radius_m, ctx.index.max_radius_m) if reach_m is None else cm.check_distance(reach_m)
    o, s, d = ctx.index.pairs_within(min(reach, ctx.index.max_radius_m), params.categories)
    rows = np.flatnonzero(ctx.index.origins["lsoa_code"].isin(list(lsoa_codes)).to_numpy())
    hit = np.isin(o, rows)
    near_m, near_site = ctx.index.nearest(params.categories)
    found = near_site[rows] >= 0
    sites = np.concatenate([s[hit], near_site[rows][found]])
    dists = np.concatenate([d[hit], near_m[rows][found]])
    nearest = pd.Series(dists).groupby(sites).min().sort_values(kind="mergesort")
    out = ctx.index.sites.iloc[nearest.index.to_numpy()].reset_index(drop=True)
    out["distance_m"] = nearest.to_numpy().round(0)
    return out


def ranked_geodataframe(table: pd.DataFrame, edition: int):
    """The ranked table with each LSOA's polygon (EPSG:27700), for GeoJSON and maps."""
    geo = lsoa_layer(edition)[["lsoa_code", "geometry"]]
    out = geo.merge(table, on="lsoa_code", how="inner", validate="1:1")
    return out.sort_values("gap_rank").reset_index(drop=True)


def gap_datasets(params: GapParams) -> list[str]:
    """Manifest ids of the datasets in a gap export: the edition's LSOAs and indices, the anchors."""
    anchors = [] if params.network_only else [d for d in LAYERS["anchors"].inputs if d != "boroughs"]
    if params.walking == "streets":
        from anchormap.analysis.streets import street_source

        walking = ["thames_foot_crossings", street_source()]
    else:
        walking = {"straight": [], "river": ["thames_foot_crossings"]}[params.walking]
    return [*edition_info(params.edition).datasets, *anchors, *walking]


def export_gaps(table: pd.DataFrame, params: GapParams, fmt: str, out, extra_metadata: dict | None = None) -> int:
    """Write the ranking with the parameters, the formula in words and the sources.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`rank_gaps` (distances in metres, EPSG:27700, with ``params.walking``).
    params : GapParams
        The parameters it was ranked with.
    fmt : {"csv", "xlsx", "geojson", "gpkg"}
        CSV (with its CSVW sidecar ``NAME.csv-metadata.json``), Excel, GeoJSON (EPSG:4326) or
        GeoPackage (layer ``gaps``, EPSG:27700); see :func:`anchormap.data.exports.write_table`.
    out : str or pathlib.Path
        The file to write.
    extra_metadata : dict, optional
        More items for the file's metadata (e.g. the place it was narrowed to).

    Returns
    -------
    int
        Rows written.
    """
    datasets = gap_datasets(params)
    meta = {
        "title": f"AnchorMap gap ranking: need and scarcity of anchors ({params.edition} edition)",
        **params.as_metadata(),
        "formula": explain(params),
        "rows": len(table),
        "distances": "metres, British National Grid (EPSG:27700), from a point inside each LSOA: "
        + rv.MODEL_WORDS[params.walking],
        **(extra_metadata or {}),
        "attribution": attribution_lines(datasets, with_editions=True),
    }
    data = table
    if fmt in ("geojson", "gpkg"):  # the same columns in the same order, with each LSOA's polygon
        data = ranked_geodataframe(table, params.edition)[[*table.columns, "geometry"]]
    return write_table(data, fmt, out, metadata=meta, layer="gaps", datasets=datasets)


def export_bytes(
    table: pd.DataFrame, params: GapParams, fmt: str, file_name: str = "gaps.csv", extra_metadata: dict | None = None
) -> bytes:
    """The file :func:`export_gaps` would write, as bytes (for download buttons).

    ``fmt`` may also be ``"csvw"``: the CSV's sidecar, whose ``url`` is ``file_name`` (pass the
    CSV's download name).
    """
    return export_file_bytes(lambda f, path: export_gaps(table, params, f, path, extra_metadata), fmt, file_name)
