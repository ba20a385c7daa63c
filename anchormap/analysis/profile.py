"""A place's profile: the fact base a local anchor network starts from.

:func:`place_profile` gathers, for one place (:class:`anchormap.geo.places.Place`) and one
edition of the English Indices of Deprivation (IoD):

- its population (2019: by age band, from IoD2019's mid-2015 denominators; 2025: the same
  mid-2015 denominators apportioned to the 2021 neighbourhoods by area, the only population
  the layers hold), its number of neighbourhoods (LSOAs) and its area (km², measured on the
  LSOA polygons in British National Grid, EPSG:27700);
- for the IMD, each domain and (2019) IDACI and IDAOPI: the number of its LSOAs in each
  national decile (1 = the most deprived 10% in England), the share of its LSOAs in England's
  most deprived 10% and 20% beside London's (computed from the layer) and England's (10% and
  20% by definition of national deciles), and the population-weighted average score
  (MHCLG's method for its local-authority summaries: the average of LSOA scores weighted by
  population; Employment by the working-age population, IDACI by children aged 0-15, IDAOPI
  by people aged 60 and over, everything else by total population);
- the disparities inside it: its most and least deprived neighbourhoods and the spread (the
  highest minus the lowest score, and the range of deciles);
- anchors by kind per 1,000 residents beside London's rate, our network's members in it, its
  biggest gaps (:func:`anchormap.analysis.gaps.rank_gaps` restricted to its LSOAs, top 10) and
  the unused public land and buildings in it by owner type and status;
- the source, edition, date and licence of every figure.

With ``compare`` it also holds the profile of a second place (two boroughs; or a network's
wards against :data:`REST` — the rest of its borough). :mod:`anchormap.analysis.profile_outputs`
writes it as CSV, Excel, HTML and PDF.

Every figure is one :class:`Indicator`; :meth:`Profile.indicator_table` is one row per
indicator with the columns of :data:`CSV_COLUMNS`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from anchormap.categories import CATEGORIES
from anchormap.crs import BNG
from anchormap.data.layers import LAYERS
from anchormap.data.sources import load_manifest
from anchormap.editions import DEFAULT_EDITION, check_edition, edition_info
from anchormap.errors import AnchorMapError
from anchormap.geo.places import Place, PlaceError, lsoa21_codes, resolve_place
from anchormap.land.filters import OWNER_TYPE_LABELS, STATUS_LABELS, LandFilter, apply_filter, summarise
from anchormap.measures import Measure, measures_for

CSV_COLUMNS = ("place", "indicator", "edition", "value", "unit", "london", "england", "source")
"""The columns of the profile's CSV, in order: one row per indicator."""

REST = "rest"
"""The compare choice "the rest of its borough": the LSOAs of the place's borough(s) outside it."""

WEIGHTS = {"employment": "population_working_age", "idaci": "population_0_15", "idaopi": "population_60_plus"}
"""MHCLG's population weights for the average score, where they are not the total population."""

WEIGHT_WORDS = {
    "population": "total population",
    "population_working_age": "working-age population (18 to 59/64)",
    "population_0_15": "children aged 0 to 15",
    "population_60_plus": "people aged 60 and over",
}

AGE_BANDS = {
    "population_0_15": "Children aged 0 to 15",
    "population_16_59": "People aged 16 to 59",
    "population_60_plus": "People aged 60 and over",
    "population_working_age": "Working-age people (18 to 59/64)",
}
"""Age bands of the 2019 layer (IoD2019's mid-2015 denominators), as people read them."""

PUBLIC_OWNERS = tuple(k for k in OWNER_TYPE_LABELS if k != "private")
"""Owner types counted as public land (unknown owners are kept and shown as "Unknown")."""

GAP_TOP = 10
"""How many of the place's biggest gaps the profile lists."""

LayerLoader = Callable[[str], pd.DataFrame]


def _default_loader(name: str) -> pd.DataFrame:
    from anchormap.data.build import load_layer

    return load_layer(name)


@dataclass(frozen=True)
class Indicator:
    """One figure of a profile.

    Attributes
    ----------
    key : str
        Its code (``imd_share_10``): for programs, never shown.
    section : str
        The heading it is shown under, in words ("People and area", "Index of Multiple Deprivation (overall)").
    indicator : str
        What it is, in words.
    value : float or None
        The place's value (None when the place has no data for it).
    unit : str
        "people", "neighbourhoods", "km²", "%", "score", "sites", "sites per 1,000 residents", "decile".
    london : float or None
        The same figure for London (None when it does not apply).
    england : float or None
        The same figure for England (None when the layers cannot give it).
    source : str
        The datasets it comes from, with their dates and licences, in words.
    """

    key: str
    section: str
    indicator: str
    value: float | None
    unit: str
    london: float | None
    england: float | None
    source: str


@dataclass(frozen=True)
class Profile:
    """The profile of one place for one IoD edition (see the module doc).

    Attributes
    ----------
    place : Place
        The place (its LSOAs of ``edition``'s vintage; boundary in EPSG:27700).
    edition : int
        2019 or 2025.
    indicators : tuple of Indicator
        Every figure.
    deciles : DataFrame
        One row per measure (``measure``, ``label``, ``decile_1`` ... ``decile_10``: LSOAs in each
        national decile).
    extremes : DataFrame
        The most and least deprived neighbourhoods on the IMD (``which``, ``lsoa_code``,
        ``lsoa_name``, ``imd_score``, ``imd_decile``), most deprived first.
    anchors : DataFrame
        ``category``, ``label``, ``sites``, ``per_1000``, ``london_per_1000``.
    network : DataFrame or None
        Our network's sites in the place (``name``, ``organisation``, ``category``), None without a network.
    gaps : DataFrame or None
        The place's biggest gaps (``gap_rank`` in London, ``lsoa_name``, ``imd_decile``,
        ``anchors_in_catchment``, ``nearest_anchor_name``, ``nearest_anchor_m``, ``gap_score``);
        None when no ranking was given.
    land : DataFrame
        :func:`anchormap.land.filters.summarise` of the unused land and buildings in the place.
    lsoas : GeoDataFrame
        The place's LSOAs (``lsoa_code``, ``lsoa_name``, ``imd_decile``, geometry EPSG:27700), for the map.
    notes : tuple of str
        How the figures are worked out, in words.
    datasets : tuple of str
        Manifest ids of every dataset the profile uses (for attribution).
    change : DataFrame or None
        The 2019 to 2025 change of the place's neighbourhoods, when :mod:`anchormap.analysis.change` exists.
    metrics : DataFrame or None
        The network's shared metrics of the place, when :mod:`anchormap.progress.metrics` exists.
    compare : Profile or None
        The profile of the place it is compared with.
    """

    place: Place
    edition: int
    indicators: tuple[Indicator, ...]
    deciles: pd.DataFrame
    extremes: pd.DataFrame
    anchors: pd.DataFrame
    network: pd.DataFrame | None
    gaps: pd.DataFrame | None
    land: pd.DataFrame
    lsoas: gpd.GeoDataFrame = field(repr=False)
    notes: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    change: pd.DataFrame | None = None
    metrics: pd.DataFrame | None = None
    compare: Profile | None = None

    @property
    def label(self) -> str:
        """The place's name for people."""
        return self.place.label

    def places(self) -> list[Profile]:
        """This profile and, when comparing, the other one."""
        return [self] if self.compare is None else [self, self.compare]

    def indicator_table(self) -> pd.DataFrame:
        """One row per indicator (of both places when comparing), columns :data:`CSV_COLUMNS`."""
        rows = [
            {
                "place": p.label,
                "indicator": f"{i.section}: {i.indicator}",
                "edition": p.edition,
                "value": i.value,
                "unit": i.unit,
                "london": i.london,
                "england": i.england,
                "source": i.source,
            }
            for p in self.places()
            for i in p.indicators
        ]
        return pd.DataFrame(rows, columns=list(CSV_COLUMNS))

    def section(self, name: str) -> list[Indicator]:
        """The indicators under the heading ``name``."""
        return [i for i in self.indicators if i.section == name]

    def sections(self) -> list[str]:
        """The headings of the indicators, in order."""
        return list(dict.fromkeys(i.section for i in self.indicators))


# --------------------------------------------------------------------------- sources in words
def source_text(dataset_ids, manifest=None) -> str:
    """The datasets of a figure in words: name, date and licence of each, "; "-separated.

    >>> source_text(["imd2019"])
    'Indices of Deprivation 2019, September 2019 (OGL-3.0)'
    """
    manifest = manifest if manifest is not None else load_manifest()
    parts = []
    for ds in dict.fromkeys(dataset_ids):
        d = manifest.get(ds)
        if d is not None:
            parts.append(f"{d.name}, {d.as_of} ({d.licence})")
    return "; ".join(parts)


def anchor_datasets() -> list[str]:
    """Manifest ids of the anchors layer's sources (the boroughs only name each site's borough)."""
    return [d for d in LAYERS["anchors"].inputs if d not in ("boroughs", "postcodes", "ncdr_locations")]


def land_datasets() -> list[str]:
    """Manifest ids of the built-in land registers."""
    return [d for d in LAYERS["land_builtin"].inputs if d != "boroughs"]


# --------------------------------------------------------------------------- the figures
def weighted_score(frame: pd.DataFrame, measure: str) -> tuple[float | None, str]:
    """The population-weighted average ``<measure>_score`` of ``frame`` (MHCLG's method) and its weight column.

    Parameters
    ----------
    frame : DataFrame
        LSOAs with ``<measure>_score`` and the population columns of the edition's layer.
    measure : str
        A measure key.

    Returns
    -------
    (float or None, str)
        The average (None for no population) and the column used as weights (the 2025 layer has
        only ``population``).

    Examples
    --------
    >>> t = pd.DataFrame({"imd_score": [10.0, 40.0], "population": [3000, 1000]})
    >>> weighted_score(t, "imd")
    (17.5, 'population')
    """
    weight = WEIGHTS.get(measure, "population")
    if weight not in frame.columns:
        weight = "population"
    w = pd.to_numeric(frame[weight], errors="coerce").fillna(0).to_numpy(float)
    s = pd.to_numeric(frame[f"{measure}_score"], errors="coerce").to_numpy(float)
    ok = np.isfinite(s) & (w > 0)
    if not ok.any():
        return None, weight
    return float(np.average(s[ok], weights=w[ok])), weight


def _share(deciles: pd.Series, top: int) -> float | None:
    d = pd.to_numeric(deciles, errors="coerce").dropna()
    return float((d <= top).mean() * 100.0) if len(d) else None


def rest_of_borough(place: Place, edition: int, load: LayerLoader | None = None) -> Place:
    """The LSOAs of ``place``'s borough(s) outside it, as a place ("the rest of Lewisham").

    Raises
    ------
    PlaceError
        When the place is its whole borough (nothing is left to compare with).
    """
    load = load or _default_loader
    lsoas = load(edition_info(edition).lsoa_layer)
    rows = lsoas[lsoas["borough_code"].isin(place.borough_codes) & ~lsoas["lsoa_code"].isin(place.lsoa_codes)]
    names = sorted(set(lsoas.loc[lsoas["borough_code"].isin(place.borough_codes), "borough_name"]))
    if rows.empty:
        msg = f"{place.label} is the whole of {' and '.join(names)}: there is no rest of the borough to compare with."
        raise PlaceError(msg)
    return Place(
        text=REST,
        label=f"the rest of {' and '.join(names)}",
        edition=edition,
        lsoa_codes=frozenset(rows["lsoa_code"]),
        borough_codes=frozenset(rows["borough_code"]),
        boundary=gpd.GeoSeries(rows.geometry, crs=BNG).union_all(),
    )


def resolve_compare(text: str, place: Place, edition: int, **kwargs) -> Place:
    """The compare place from its text: :data:`REST` for the rest of the place's borough, else a place text."""
    if str(text).strip().lower() == REST:
        return rest_of_borough(place, edition, kwargs.get("load"))
    return resolve_place(text, edition, **kwargs)


def _inside(boundary, x, y) -> np.ndarray:
    x = pd.to_numeric(pd.Series(x), errors="coerce").to_numpy(float)
    y = pd.to_numeric(pd.Series(y), errors="coerce").to_numpy(float)
    ok = np.isfinite(x) & np.isfinite(y)
    out = np.zeros(len(x), dtype=bool)
    if boundary is not None and ok.any():
        shapely.prepare(boundary)
        out[ok] = shapely.contains_xy(boundary, x[ok], y[ok])
    return out


def open_anchors(anchors: pd.DataFrame) -> pd.DataFrame:
    """The anchors that are open (a ``status`` of "closed" is left out)."""
    return anchors[anchors["status"].fillna("") != "closed"] if "status" in anchors.columns else anchors


def place_profile(
    place: Place | str,
    compare: Place | str | None = None,
    edition: int = DEFAULT_EDITION,
    *,
    anchors: pd.DataFrame | None = None,
    land: pd.DataFrame | None = None,
    network: pd.DataFrame | None = None,
    gap_context=None,
    gap_params=None,
    load: LayerLoader | None = None,
    network_lsoas=None,
) -> Profile:
    """The profile of ``place`` (and of ``compare``, side by side) for ``edition``.

    Parameters
    ----------
    place : Place or str
        The place, or its text (``borough:E09000023``) resolved with
        :func:`anchormap.geo.places.resolve_place`.
    compare : Place or str, optional
        A second place, or its text, or :data:`REST` for the rest of the first place's borough.
    edition : int
        2019 or 2025 (the IoD edition; the place is resolved to its LSOAs).
    anchors : DataFrame, optional
        The anchors layer (default: loaded); ``easting``/``northing`` in EPSG:27700 metres.
    land : DataFrame, optional
        Land assets (default :func:`anchormap.land.assets.all_assets`: built-in registers and the
        store's submissions), land schema, ``easting``/``northing`` in EPSG:27700 metres.
    network : DataFrame, optional
        Our network's sites (anchors schema); its members in the place are listed.
    gap_context : anchormap.analysis.gaps.GapContext, optional
        The gap ranking's prepared index (default: prepared here from ``anchors``, ~2 s).
    gap_params : anchormap.analysis.gaps.GapParams, optional
        The ranking's parameters (default: the Underserved page's defaults for ``edition``).
    load : callable, optional
        Layer loader (default :func:`anchormap.data.build.load_layer`).
    network_lsoas : callable, optional
        Passed to :func:`anchormap.geo.places.resolve_place` for a ``network`` place.

    Returns
    -------
    Profile

    Raises
    ------
    PlaceError
        When a place cannot be read or covers no neighbourhood.
    AnchorMapError
        On an unknown edition.
    """
    check_edition(edition)
    load = load or _default_loader
    if isinstance(place, str):
        place = resolve_place(place, edition, network_lsoas=network_lsoas, load=load)
    elif place.edition != edition:
        place = resolve_place(place.parts or place.text, edition, network_lsoas=network_lsoas, load=load)
    anchors = anchors if anchors is not None else load("anchors")
    if land is None:
        from anchormap.land.assets import all_assets

        land = all_assets(flag_possible_duplicates=False)
    if gap_context is None:
        from anchormap.analysis.gaps import prepare

        gap_context = prepare(edition, anchors, "the anchors layer")
    shared = {
        "anchors": anchors,
        "land": land,
        "network": network,
        "gap_context": gap_context,
        "gap_params": gap_params,
    }
    other = None
    if compare is not None and str(getattr(compare, "text", compare)).strip():
        if isinstance(compare, str):
            compare = resolve_compare(compare, place, edition, network_lsoas=network_lsoas, load=load)
        other = _profile_of(compare, edition, load, **shared)
    return _profile_of(place, edition, load, compare=other, **shared)


LONDON_LABEL = "all London (the 33 boroughs)"
"""How a place covering every London neighbourhood is named."""


def _named(place: Place, london: pd.DataFrame) -> Place:
    """``place``, named "all London" when it covers every neighbourhood of London."""
    if place.lsoa_codes == frozenset(london["lsoa_code"]):
        return dataclasses.replace(place, label=LONDON_LABEL)
    return place


def _profile_of(
    place: Place,
    edition: int,
    load: LayerLoader,
    *,
    anchors: pd.DataFrame,
    land: pd.DataFrame,
    network: pd.DataFrame | None,
    gap_context,
    gap_params,
    compare: Profile | None = None,
) -> Profile:
    info = edition_info(edition)
    manifest = load_manifest()
    london = load(info.lsoa_layer)
    place = _named(place, london)
    mine = place.select(london)
    if mine.empty:
        raise PlaceError(f"{place.label} covers no neighbourhood of the {edition} edition.")
    imd_ids = list(info.datasets)
    pop_ids = ["imd2019", *(["lsoa11_lsoa21"] if edition != 2019 else [])]
    src_imd = source_text(imd_ids, manifest)
    src_pop = source_text(pop_ids, manifest)
    src_area = source_text([info.datasets[0]], manifest)
    ind: list[Indicator] = []

    def add(key, section, text, value, unit, london_value=None, england=None, source=src_imd):
        def num(v):
            return None if v is None or (isinstance(v, float) and not np.isfinite(v)) else float(v)

        ind.append(Indicator(key, section, text, num(value), unit, num(london_value), num(england), source))

    people = "People and area"
    year_words = (
        "mid-2015 estimate (IoD2019's population denominators)"
        if edition == 2019
        else "mid-2015 estimate (IoD2019's denominators) shared out to the 2021 neighbourhoods by area"
    )
    add(
        "population",
        people,
        f"Residents, {year_words}",
        mine["population"].sum(),
        "people",
        london["population"].sum(),
        source=src_pop,
    )
    for col, words in AGE_BANDS.items():
        if col in mine.columns:
            add(
                col, people, f"{words}, mid-2015 estimate", mine[col].sum(), "people", london[col].sum(), source=src_pop
            )
    add(
        "lsoas",
        people,
        f"Neighbourhoods (LSOAs of {info.boundaries})",
        len(mine),
        "neighbourhoods",
        len(london),
        info.lsoas_in_england,
        src_area,
    )
    area_km2 = float(gpd.GeoSeries(mine.geometry, crs=BNG).area.sum() / 1e6)
    add(
        "area_km2",
        people,
        "Area (land to the Thames' high-water mark)",
        round(area_km2, 2),
        "km²",
        round(float(london.geometry.area.sum() / 1e6), 2),
        source=src_area,
    )

    rows = []
    for m in measures_for(edition):
        rows.append(_measure_indicators(m, mine, london, add))
    deciles = pd.DataFrame(rows)

    imd = mine.sort_values(["imd_rank", "lsoa_code"])
    pick = ["lsoa_code", "lsoa_name", "imd_score", "imd_decile"]
    n = min(3, len(imd))
    extremes = pd.concat(
        [imd.head(n)[pick].assign(which="Most deprived"), imd.tail(n)[pick].iloc[::-1].assign(which="Least deprived")]
    )
    extremes = pd.DataFrame(extremes[["which", *pick]]).reset_index(drop=True)

    anchor_table = _anchor_rates(place, anchors, mine, london, add, manifest)
    members = None
    if network is not None and len(network):
        inside = _inside(place.boundary, network["easting"], network["northing"])
        members = pd.DataFrame(network.loc[inside, [c for c in ("name", "organisation", "category") if c in network]])
        members = members.reset_index(drop=True)
        add(
            "network_sites",
            "Anchors",
            "Our network's sites in the place",
            len(members),
            "sites",
            len(network),
            source="Our network's own list",
        )

    gaps = _gaps(place, gap_context, gap_params, edition, add, manifest)
    land_table = _land(place, land, add, manifest)

    change = metrics = None
    from anchormap.analysis.change import lsoa_change
    from anchormap.progress.metrics import metric_series

    try:  # the change table is London-wide, worked out once per process
        table = lsoa_change()
        change = table[table["lsoa21_code"].isin(lsoa21_codes(place, load))].reset_index(drop=True)
    except AnchorMapError:
        change = None
    try:
        metrics = metric_series(place.text)
    except AnchorMapError:
        metrics = None

    notes = (
        "Deciles: 1 is the most deprived 10% of neighbourhoods in England, 10 the least deprived.",
        "England's shares in its most deprived 10% and 20% are 10% and 20% by definition: national deciles "
        f"split England's {info.lsoas_in_england:,} neighbourhoods into ten equal groups. London's are worked out "
        "from London's neighbourhoods in the same edition.",
        "Average score: MHCLG's method for its local-authority summaries, the average of the neighbourhoods' "
        "scores weighted by their population (Employment by the working-age population, IDACI by children aged "
        "0 to 15, IDAOPI by people aged 60 and over, the others by total population)."
        + (
            " For 2025 the weights are the mid-2015 populations of IoD2019 shared out to the 2021 neighbourhoods "
            "(the only population the data holds), not MHCLG's own 2025 denominators, so the averages can differ "
            "slightly from MHCLG's published 2025 summaries."
            if edition != 2019
            else " The weights are IoD2019's own mid-2015 denominators, as MHCLG used."
        ),
        "The indices rank neighbourhoods against each other: they do not measure absolute change.",
    )
    datasets = (*imd_ids, *pop_ids, *anchor_datasets(), *land_datasets())
    return Profile(
        place=place,
        edition=edition,
        indicators=tuple(ind),
        deciles=deciles,
        extremes=extremes,
        anchors=anchor_table,
        network=members,
        gaps=gaps,
        land=land_table,
        lsoas=gpd.GeoDataFrame(mine[["lsoa_code", "lsoa_name", "imd_decile", "geometry"]], crs=BNG),
        notes=notes,
        datasets=tuple(dict.fromkeys(datasets)),
        change=change,
        metrics=metrics,
        compare=compare,
    )


def _measure_indicators(m: Measure, mine: pd.DataFrame, london: pd.DataFrame, add) -> dict:
    sec = m.label
    d = pd.to_numeric(mine[f"{m.key}_decile"], errors="coerce")
    dl = pd.to_numeric(london[f"{m.key}_decile"], errors="coerce")
    counts = {f"decile_{k}": int((d == k).sum()) for k in range(1, 11)}
    for k in range(1, 11):
        add(
            f"{m.key}_decile_{k}",
            sec,
            f"Neighbourhoods in national decile {k}",
            counts[f"decile_{k}"],
            "neighbourhoods",
            int((dl == k).sum()),
        )
    add(
        f"{m.key}_share_10",
        sec,
        "Share of neighbourhoods in England's most deprived 10%",
        _share(d, 1),
        "%",
        _share(dl, 1),
        10.0,
    )
    add(
        f"{m.key}_share_20",
        sec,
        "Share of neighbourhoods in England's most deprived 20%",
        _share(d, 2),
        "%",
        _share(dl, 2),
        20.0,
    )
    avg, weight = weighted_score(mine, m.key)
    avg_london, _ = weighted_score(london, m.key)
    add(f"{m.key}_average_score", sec, f"Average score, weighted by {WEIGHT_WORDS[weight]}", avg, "score", avg_london)
    s = pd.to_numeric(mine[f"{m.key}_score"], errors="coerce")
    add(
        f"{m.key}_highest_score",
        sec,
        "Highest neighbourhood score (the most deprived)",
        s.max(),
        "score",
        london[f"{m.key}_score"].max(),
    )
    add(
        f"{m.key}_lowest_score",
        sec,
        "Lowest neighbourhood score (the least deprived)",
        s.min(),
        "score",
        london[f"{m.key}_score"].min(),
    )
    add(
        f"{m.key}_spread",
        sec,
        "Spread of scores (highest minus lowest)",
        s.max() - s.min(),
        "score",
        london[f"{m.key}_score"].max() - london[f"{m.key}_score"].min(),
    )
    add(f"{m.key}_most_deprived_decile", sec, "Most deprived decile found", d.min(), "decile", dl.min())
    add(f"{m.key}_least_deprived_decile", sec, "Least deprived decile found", d.max(), "decile", dl.max())
    return {"measure": m.key, "label": m.label, **counts}


def _anchor_rates(place, anchors, mine, london, add, manifest) -> pd.DataFrame:
    sites = open_anchors(anchors)
    inside = _inside(place.boundary, sites["easting"], sites["northing"])
    pop = float(mine["population"].sum())
    pop_london = float(london["population"].sum())
    rows = []
    for key, cat in CATEGORIES.items():
        all_of = sites["category"] == key
        n = int((all_of.to_numpy() & inside).sum())
        n_london = int(all_of.sum())
        ids = sorted(set(sites.loc[all_of, "source"])) if n_london else []
        src = source_text(ids, manifest) or "No dataset of these sites yet"
        rate = n / pop * 1000 if pop > 0 else None
        rate_london = n_london / pop_london * 1000 if pop_london > 0 else None
        add(f"anchors_{key}", "Anchors", f"{cat.label}: open sites", n, "sites", n_london, source=src)
        add(
            f"anchors_{key}_per_1000",
            "Anchors",
            f"{cat.label}: per 1,000 residents",
            rate,
            "sites per 1,000 residents",
            rate_london,
            source=src,
        )
        rows.append({"category": key, "label": cat.label, "sites": n, "per_1000": rate, "london_per_1000": rate_london})
    return pd.DataFrame(rows)


def _gaps(place, ctx, params, edition, add, manifest) -> pd.DataFrame | None:
    from anchormap.analysis.gaps import GapParams, gap_datasets, rank_gaps

    params = params if params is not None else GapParams(edition=edition)
    ranked = rank_gaps(ctx, params)
    m = params.measure
    mine = ranked[ranked["lsoa_code"].isin(place.lsoa_codes)]
    src = source_text(gap_datasets(params), manifest)
    add(
        "gaps_ranked",
        "Gaps",
        "Neighbourhoods in the gap ranking (the Underserved areas page's defaults)",
        len(mine),
        "neighbourhoods",
        len(ranked),
        source=src,
    )
    add(
        "gaps_no_anchor",
        "Gaps",
        "Ranked neighbourhoods with no anchor within reach",
        int((mine["anchors_in_catchment"] == 0).sum()),
        "neighbourhoods",
        int((ranked["anchors_in_catchment"] == 0).sum()),
        source=src,
    )
    cols = [
        "gap_rank",
        "lsoa_code",
        "lsoa_name",
        f"{m}_decile",
        "anchors_in_catchment",
        "nearest_anchor_name",
        "nearest_anchor_m",
        "gap_score",
    ]
    return pd.DataFrame(mine.head(GAP_TOP)[cols]).reset_index(drop=True)


def _land(place, land, add, manifest) -> pd.DataFrame:
    unused = apply_filter(land, LandFilter(unused_only=True, owner_types=PUBLIC_OWNERS))
    inside = _inside(place.boundary, unused["easting"], unused["northing"]) & unused["on_map"].astype(bool).to_numpy()
    mine = unused[inside]
    ids = [*land_datasets(), *(["upload:"] if land["source"].astype(str).str.startswith("upload:").any() else [])]
    src = source_text(ids, manifest) + ("; partners' uploaded registers" if "upload:" in ids else "")
    add(
        "land_unused",
        "Unused public land and buildings",
        "Sites marked unused (public and unknown owners)",
        len(mine),
        "sites",
        len(unused),
        source=src,
    )
    for key, words in OWNER_TYPE_LABELS.items():
        n = int((mine["owner_type"] == key).sum())
        if n or (unused["owner_type"] == key).any():
            add(
                f"land_owner_{key}",
                "Unused public land and buildings",
                f"Owner: {words}",
                n,
                "sites",
                int((unused["owner_type"] == key).sum()),
                source=src,
            )
    for key, words in STATUS_LABELS.items():
        n = int((mine["status"] == key).sum())
        if n or (unused["status"] == key).any():
            add(
                f"land_status_{key}",
                "Unused public land and buildings",
                f"Status: {words}",
                n,
                "sites",
                int((unused["status"] == key).sum()),
                source=src,
            )
    return summarise(mine)


def profile_datasets(profile: Profile) -> list[str]:
    """Every dataset of the profile and of the place it is compared with (for attribution)."""
    return list(dict.fromkeys(d for p in profile.places() for d in p.datasets))


def indicator_values(profile: Profile) -> Mapping[str, float | None]:
    """``{key: value}`` of the profile's own indicators (for scripts and tests)."""
    return {i.key: i.value for i in profile.indicators}
