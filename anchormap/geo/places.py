"""Places turned into the neighbourhoods (LSOAs) of an IoD edition they cover; their text is read
by :mod:`anchormap.geo.place_text`.

A place is resolved against one edition because the editions rank different neighbourhoods:
IoD2019 the LSOAs of 2011, IoD2025 those of 2021 (see :mod:`anchormap.editions`). Boroughs,
MSOAs and LSOAs of the edition's own vintage are taken as they are; wards (2022 or 2025, whose
LSOAs are the 2021 ones, matched best-fit by ONS) and codes of the other vintage go through
ONS's LSOA 2011 -> 2021 lookup; a boundary file takes the LSOAs whose representative point lies
inside it. All geometry is British National Grid (EPSG:27700).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from anchormap.crs import BNG, geometry_to_wgs84
from anchormap.editions import DEFAULT_EDITION, EDITIONS, edition_info
from anchormap.geo.place_text import KIND_WORDS, KINDS, PlaceError, PlacePart, parse_place, place_text

__all__ = [
    "KINDS",
    "Place",
    "PlaceError",
    "PlacePart",
    "join_words",
    "lsoa21_codes",
    "parse_place",
    "place_metadata",
    "place_text",
    "resolve_place",
    "showing_words",
    "sites_in_place",
]

LayerLoader = Callable[[str], pd.DataFrame]


def _default_loader(name: str) -> pd.DataFrame:
    from anchormap.data.build import load_layer

    return load_layer(name)


@dataclass(frozen=True)
class Place:
    """A resolved place: its text, its name in words and its neighbourhoods for one edition.

    Attributes
    ----------
    text : str
        The place as written in links and on the command line (``borough:E09000023``).
    label : str
        Its name for people ("Lewisham", "Catford South and Rushey Green").
    edition : int
        The IoD edition whose LSOAs it was resolved to.
    lsoa_codes : frozenset of str
        The LSOA codes (of the edition's vintage) it covers.
    borough_codes : frozenset of str
        The boroughs those LSOAs are in.
    boundary : shapely geometry
        The union of those LSOAs (EPSG:27700, metres).
    parts : tuple of PlacePart
        The parts it was made of.
    """

    text: str
    label: str
    edition: int
    lsoa_codes: frozenset[str]
    borough_codes: frozenset[str]
    boundary: BaseGeometry = field(repr=False)
    parts: tuple[PlacePart, ...] = ()

    def select(self, lsoas: pd.DataFrame, column: str = "lsoa_code") -> pd.DataFrame:
        """The rows of ``lsoas`` (any frame with an LSOA code column) inside the place."""
        return lsoas[lsoas[column].isin(self.lsoa_codes)]

    @property
    def bounds_wgs84(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the boundary in degrees (EPSG:4326), for fitting a map."""
        w, s, e, n = geometry_to_wgs84(self.boundary).bounds
        return float(w), float(s), float(e), float(n)


def sites_in_place(sites: pd.DataFrame, place: Place | None) -> pd.DataFrame:
    """The rows of ``sites`` whose point lies inside the place's boundary (all rows for None).

    Parameters
    ----------
    sites : DataFrame
        Anchors (``easting``/``northing``, EPSG:27700 metres) or land assets (a point
        ``geometry`` in EPSG:27700; rows with no point are dropped).
    place : Place or None

    Returns
    -------
    DataFrame
        The rows inside (on the boundary counts as inside), in their order.
    """
    if place is None:
        return sites
    if {"easting", "northing"} <= set(sites.columns):
        x = pd.to_numeric(sites["easting"], errors="coerce").to_numpy(dtype=float)
        y = pd.to_numeric(sites["northing"], errors="coerce").to_numpy(dtype=float)
    else:
        points = np.asarray(gpd.GeoSeries(sites.geometry).representative_point().array, dtype=object)
        x, y = shapely.get_x(points), shapely.get_y(points)
    area = place.boundary
    shapely.prepare(area)
    ok = ~(np.isnan(x) | np.isnan(y))
    inside = np.zeros(len(sites), dtype=bool)
    inside[ok] = shapely.intersects_xy(area, x[ok], y[ok])
    return sites[inside]


def place_metadata(place: Place | None) -> dict[str, str]:
    """What an export says about the place it was narrowed to (nothing for all of London).

    Parameters
    ----------
    place : Place or None

    Returns
    -------
    dict
        ``place`` (its name in words) and ``place_text`` (as written on the command line and in links).
    """
    if place is None:
        return {}
    return {"place": place.label, "place_text": place.text}


def showing_words(place: Place | None, count: int | None = None, what: str = "neighbourhoods") -> str:
    """The sentence a page shows about the place it shows.

    >>> showing_words(None)
    'Showing all of London.'
    """
    name = "all of London" if place is None else place.label
    if count is None:
        return f"Showing {name}."
    return f"Showing {name}: {count:,} {what}."


def join_words(names: Sequence[str]) -> str:
    """Names joined as people write them.

    >>> join_words(["Lewisham"]), join_words(["Lewisham", "Southwark"]), join_words(["A", "B", "C"])
    ('Lewisham', 'Lewisham and Southwark', 'A, B and C')
    >>> join_words([f"W{i}" for i in range(6)])
    'W0, W1, W2 and 3 more'
    """
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) <= 1:
        return "".join(names)
    if len(names) > 4:
        return f"{', '.join(names[:3])} and {len(names) - 3} more"
    return f"{', '.join(names[:-1])} and {names[-1]}"


def resolve_place(
    text: str | Sequence[PlacePart],
    edition: int = DEFAULT_EDITION,
    *,
    network_lsoas: Callable[[int], frozenset[str]] | None = None,
    load: LayerLoader | None = None,
) -> Place:
    """Resolve a place's text to the LSOAs of ``edition``.

    Parameters
    ----------
    text : str or sequence of PlacePart
        See :func:`anchormap.geo.place_text.parse_place`.
    edition : int
        2019 (LSOA 2011) or 2025 (LSOA 2021).
    network_lsoas : callable, optional
        For a ``network`` part: given the edition, the LSOA codes in the walking catchment of
        our network's sites (the page or command that has a network supplies it).
    load : callable, optional
        Layer loader (default :func:`anchormap.data.build.load_layer`).

    Returns
    -------
    Place

    Raises
    ------
    PlaceError
        When a part names a code London does not have, a file that cannot be read, or a
        network catchment with no network; or the place covers no neighbourhood.
    """
    parts = parse_place(text) if isinstance(text, str) else tuple(text)
    load = load or _default_loader
    info = edition_info(edition)
    lsoas = load(info.lsoa_layer)
    codes: set[str] = set()
    names: list[str] = []
    for part in parts:
        found, name = _resolve_part(part, edition, lsoas, load, network_lsoas)
        if not found:
            msg = (
                f"The {KIND_WORDS[part.kind]} '{part.text()}' covers no London neighbourhood of the {edition} edition."
            )
            raise PlaceError(msg)
        codes |= found
        names.append(name)
    chosen = lsoas[lsoas["lsoa_code"].isin(codes)]
    boundary = gpd.GeoSeries(chosen.geometry, crs=BNG).union_all() if len(chosen) else None
    return Place(
        text=place_text(parts),
        label=join_words(names),
        edition=edition,
        lsoa_codes=frozenset(chosen["lsoa_code"]),
        borough_codes=frozenset(chosen["borough_code"]),
        boundary=boundary,
        parts=parts,
    )


def _other_vintage(codes: set[str], edition: int, load: LayerLoader) -> set[str]:
    """LSOA codes of the other census vintage mapped to ``edition``'s vintage through the lookup."""
    lookup = load("lsoa11_lsoa21")
    if edition_info(edition).boundaries == "2021":
        return set(lookup.loc[lookup["lsoa11_code"].isin(codes), "lsoa21_code"])
    return set(lookup.loc[lookup["lsoa21_code"].isin(codes), "lsoa11_code"])


def _resolve_part(
    part: PlacePart,
    edition: int,
    lsoas: pd.DataFrame,
    load: LayerLoader,
    network_lsoas: Callable[[int], frozenset[str]] | None,
) -> tuple[set[str], str]:
    vintage_2021 = edition_info(edition).boundaries == "2021"
    if part.kind == "borough":
        rows = lsoas[lsoas["borough_code"] == part.value]
        if rows.empty:
            raise PlaceError(f"'{part.value}' is not one of London's 33 boroughs (codes E09000001 to E09000033).")
        return set(rows["lsoa_code"]), str(rows["borough_name"].iloc[0])
    if part.kind == "lsoa":
        rows = lsoas[lsoas["lsoa_code"] == part.value]
        if len(rows):
            return {part.value}, str(rows["lsoa_name"].iloc[0])
        mapped = _other_vintage({part.value}, edition, load) & set(lsoas["lsoa_code"])
        if not mapped:
            raise PlaceError(f"'{part.value}' is not a London LSOA of 2011 or 2021.")
        other = load("lsoa_2011" if vintage_2021 else "lsoa_2021")
        named = other.loc[other["lsoa_code"] == part.value, "lsoa_name"]
        return mapped, str(named.iloc[0]) if len(named) else part.value
    if part.kind == "msoa":
        rows = lsoas[lsoas["msoa_code"] == part.value]
        if len(rows):
            return set(rows["lsoa_code"]), str(rows["msoa_name"].iloc[0])
        other = load("lsoa_2011" if vintage_2021 else "lsoa_2021")
        theirs = other[other["msoa_code"] == part.value]
        if theirs.empty:
            raise PlaceError(f"'{part.value}' is not a London MSOA of 2011 or 2021.")
        return _other_vintage(set(theirs["lsoa_code"]), edition, load) & set(lsoas["lsoa_code"]), str(
            theirs["msoa_name"].iloc[0]
        )
    if part.kind == "ward":
        wards = load("lsoa21_wards")
        for year in ("2025", "2022"):
            rows = wards[wards[f"ward_{year}_code"] == part.value]
            if len(rows):
                found = set(rows["lsoa_code"])
                if not vintage_2021:
                    found = _other_vintage(found, edition, load)
                return found & set(lsoas["lsoa_code"]), str(rows[f"ward_{year}_name"].iloc[0])
        # a ward no LSOA is best-fitted to (the City of London's 25 wards share 6 LSOAs): the
        # LSOAs whose inside point lies in its boundary, or failing that those it overlaps most
        for layer in ("wards_2025", "wards_2022"):
            shapes = load(layer)
            ward = shapes[shapes["ward_code"] == part.value]
            if len(ward):
                return _lsoas_in_shape(ward.geometry.union_all(), lsoas), str(ward["ward_name"].iloc[0])
        raise PlaceError(f"'{part.value}' is not a London ward of 2022 or 2025.")
    if part.kind == "file":
        return _lsoas_in_file(Path(part.value), lsoas), Path(part.value).stem.replace("_", " ")
    if part.kind == "network":
        if network_lsoas is None:
            raise PlaceError("The place 'network' needs our network's list: open or upload it on Our network first.")
        return set(network_lsoas(edition)), "our network's walking catchment"
    raise PlaceError(f"Unknown kind of place '{part.kind}'.")  # parse_place already refuses it


def _lsoas_in_shape(shape: BaseGeometry, lsoas: pd.DataFrame) -> set[str]:
    """LSOAs whose representative point lies in ``shape`` (EPSG:27700); when none does (a shape
    smaller than any LSOA), the one LSOA it overlaps most."""
    geoms = gpd.GeoSeries(lsoas.geometry.to_numpy(), crs=BNG)
    inside = geoms.representative_point().within(shape).to_numpy()
    if inside.any():
        return set(lsoas["lsoa_code"].to_numpy()[inside])
    overlap = geoms.intersection(shape).area.to_numpy()
    return {str(lsoas["lsoa_code"].to_numpy()[overlap.argmax()])} if overlap.max() > 0 else set()


def _lsoas_in_file(path: Path, lsoas: pd.DataFrame) -> set[str]:
    """LSOAs whose representative point lies inside the boundary file's shapes."""
    from anchormap.geo.boundary_file import read_boundary

    area = read_boundary(path)
    points = gpd.GeoDataFrame(
        {"lsoa_code": lsoas["lsoa_code"].to_numpy()},
        geometry=gpd.GeoSeries(lsoas.geometry, crs=BNG).representative_point().to_numpy(),
        crs=BNG,
    )
    inside = gpd.sjoin(points, gpd.GeoDataFrame(geometry=[area], crs=BNG), predicate="within", how="inner")
    return set(inside["lsoa_code"])


CHOOSER_KINDS = {
    "borough": "Boroughs",
    "ward_2025": "Wards (2025)",
    "ward_2022": "Wards (2022)",
    "msoa": "Middle-layer areas (MSOA)",
}
"""The lists a place chooser offers, and how each is named."""


def place_options(edition: int = DEFAULT_EDITION, load: LayerLoader | None = None) -> dict[str, dict[str, str]]:
    """What a place chooser lists: for each of :data:`CHOOSER_KINDS`, code -> name in words.

    Wards are named "Ward name (Borough)" and MSOAs "MSOA name (Borough)"; MSOAs are those of
    ``edition``'s LSOA vintage. Each list is sorted by its names.

    Parameters
    ----------
    edition : int
        The IoD edition (2019: MSOA 2011; 2025: MSOA 2021).
    load : callable, optional
        Layer loader (default :func:`anchormap.data.build.load_layer`).

    Returns
    -------
    dict of str to dict of str to str
    """
    load = load or _default_loader
    out: dict[str, dict[str, str]] = {}
    boroughs = load("boroughs")
    out["borough"] = dict(sorted(zip(boroughs["borough_code"], boroughs["borough_name"], strict=True), key=_by_name))
    for year in ("2025", "2022"):
        wards = load(f"wards_{year}")
        named = (f"{w} ({b})" for w, b in zip(wards["ward_name"], wards["borough_name"], strict=True))
        out[f"ward_{year}"] = dict(sorted(zip(wards["ward_code"], named, strict=True), key=_by_name))
    lsoas = load(edition_info(edition).lsoa_layer)
    msoas = lsoas.drop_duplicates("msoa_code")
    named = (f"{m} ({b})" for m, b in zip(msoas["msoa_name"], msoas["borough_name"], strict=True))
    out["msoa"] = dict(sorted(zip(msoas["msoa_code"], named, strict=True), key=_by_name))
    return out


def _by_name(item: tuple[str, str]) -> str:
    return str(item[1]).casefold()


def chooser_kind(parts: Sequence[PlacePart]) -> str:
    """Which of a chooser's lists shows ``parts``: a :data:`CHOOSER_KINDS` key, ``"network"``,
    ``"file"``, ``"mixed"`` (several kinds, or LSOAs) or ``"london"`` (no part).

    A ward is shown in the 2025 list (a code of an unchanged ward is in both).

    >>> chooser_kind(parse_place("borough:E09000023+borough:E09000022"))
    'borough'
    >>> chooser_kind(parse_place("borough:E09000023+ward:E05013915")), chooser_kind(())
    ('mixed', 'london')
    """
    kinds = {p.kind for p in parts}
    if not kinds:
        return "london"
    if len(kinds) > 1 or kinds == {"lsoa"}:
        return "mixed"
    (kind,) = kinds
    return "ward_2025" if kind == "ward" else kind


def lsoa21_codes(place: Place, load: LayerLoader | None = None) -> frozenset[str]:
    """The place's LSOAs of 2021: its own codes when it was resolved to a 2021 edition, else the
    2021 LSOAs ONS's lookup links to its 2011 ones (for the 2019 -> 2025 change)."""
    if edition_info(place.edition).boundaries == "2021":
        return place.lsoa_codes
    if place.parts and all(p.kind in ("borough", "ward", "msoa", "lsoa") for p in place.parts):
        # the place's own 2021 LSOAs: going through its 2011 ones would add their 2021 children in
        # other wards
        edition_2021 = next(e.year for e in EDITIONS.values() if e.boundaries == "2021")
        return resolve_place(place.parts, edition_2021, load=load).lsoa_codes
    lookup = (load or _default_loader)("lsoa11_lsoa21")
    return frozenset(lookup.loc[lookup["lsoa11_code"].isin(place.lsoa_codes), "lsoa21_code"])
