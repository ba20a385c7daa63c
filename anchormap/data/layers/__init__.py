"""Layer builders: each turns published files into one tidy table with a documented schema.

:data:`LAYERS` names every layer AnchorMap builds, the datasets it reads and the function
that builds it; :mod:`anchormap.data.build` runs them and caches the results as (Geo)Parquet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from anchormap.data.layers import anchors, boundaries, deprivation, display, land, postcodes, river, streets


@dataclass(frozen=True)
class LayerSpec:
    """A layer: its name, the datasets it reads, how to build it, and a schema version.

    Bump ``version`` whenever the builder's output changes, so caches are rebuilt.
    ``build`` takes the resolved input files (dataset id -> path). ``derived_from`` names
    layers whose built output the builder reads instead of raw files: the runner
    (:mod:`anchormap.data.build`) loads them and hands them to ``build`` as a second
    argument (layer name -> table), so no builder imports the runner.

    Attributes
    ----------
    name : str
        The layer's name (its cache file is ``<cache>/layers/<name>.parquet``).
    inputs : tuple of str
        Dataset ids in the manifest (``data/sources.toml``) the layer is built from.
    build : callable
        ``build(paths)`` or, with ``derived_from``, ``build(paths, derived)``, returning the
        layer as a DataFrame or GeoDataFrame.
    description : str
        One line for ``anchormap data`` listings, with the CRS (EPSG:27700 metres for
        analysis layers, EPSG:4326 degrees for display copies) or "(table)".
    version : int
        Schema version of the builder's output.
    derived_from : tuple of str
        Names of built layers handed to ``build`` as its second argument.
    notes : callable, optional
        ``notes(table)`` -> lines the build report prints after building the layer (what
        its checks found, e.g. the anchors' position check), or None.
    """

    name: str
    inputs: tuple[str, ...]
    build: Callable[..., pd.DataFrame]
    description: str
    version: int = 1
    derived_from: tuple[str, ...] = ()
    notes: Callable[[pd.DataFrame], list[str]] | None = None


def _display_of(layer: str, keep: list[str]) -> Callable[[dict[str, Path], dict[str, pd.DataFrame]], pd.DataFrame]:
    def build(_paths: dict[str, Path], derived: dict[str, pd.DataFrame]) -> pd.DataFrame:
        return display.display_layer(derived[layer], keep)

    build.__doc__ = f"Simplified WGS84 display geometry of ``{layer}`` (columns {keep})."
    return build


_LSOA2021_INPUTS = ("lsoa2021", "imd2025", "imd2025_subdomains", "lsoa21_wards", "lsoa11_lsoa21", "imd2019")

LAYERS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in [
        LayerSpec(
            "lsoa_2011",
            ("lsoa2011", "imd2019"),
            deprivation.build_lsoa_2011,
            "LSOA 2011 polygons with IoD2019 (EPSG:27700)",
        ),
        LayerSpec(
            "lsoa_2021",
            _LSOA2021_INPUTS,
            deprivation.build_lsoa_2021,
            "LSOA 2021 polygons with IoD2025 and best-fit wards (EPSG:27700)",
        ),
        LayerSpec("boroughs", ("boroughs",), boundaries.build_boroughs, "London boroughs (EPSG:27700)"),
        LayerSpec("wards_2022", ("wards2022",), boundaries.build_wards_2022, "Wards, December 2022 (EPSG:27700)"),
        LayerSpec("wards_2025", ("wards2025",), boundaries.build_wards_2025, "Wards, May 2025 (EPSG:27700)"),
        LayerSpec(
            "lsoa11_lsoa21", ("lsoa11_lsoa21",), boundaries.build_lsoa11_lsoa21, "LSOA 2011 to 2021 lookup (table)"
        ),
        LayerSpec(
            "lsoa21_wards", ("lsoa21_wards",), boundaries.build_lsoa21_wards, "LSOA 2021 to ward best fit (table)"
        ),
        LayerSpec(
            "postcodes",
            ("postcodes",),
            postcodes.build_postcodes,
            "Code-Point Open postcodes with BNG and WGS84 (table)",
        ),
        LayerSpec(
            "lsoa_2011_display",
            ("lsoa2011", "imd2019"),
            _display_of("lsoa_2011", ["lsoa_code"]),
            "LSOA 2011, simplified for the map (EPSG:4326)",
            derived_from=("lsoa_2011",),
            version=2,
        ),
        LayerSpec(
            "lsoa_2021_display",
            _LSOA2021_INPUTS,
            _display_of("lsoa_2021", ["lsoa_code"]),
            "LSOA 2021, simplified for the map (EPSG:4326)",
            derived_from=("lsoa_2021",),
            version=2,
        ),
        LayerSpec(
            "land_builtin",
            (
                "brownfield_london_2017",
                "brownfield_lewisham_2019",
                "eric_sites",
                "hospitals",
                "libraries",
                "fire_stations",
                "boroughs",
            ),
            land.build_land_builtin,
            "Built-in land and property registers in one schema (EPSG:27700 points)",
            derived_from=("boroughs",),
            version=2,
        ),
        LayerSpec(
            "boroughs_display",
            ("boroughs",),
            _display_of("boroughs", ["borough_code", "borough_name"]),
            "Boroughs, simplified for the map (EPSG:4326)",
            derived_from=("boroughs",),
            version=2,
        ),
        LayerSpec(
            "anchors",
            anchors.LAYER_INPUTS,
            anchors.build_anchors,
            "Anchor institution sites from every anchor dataset (EPSG:27700)",
            version=5,
            notes=anchors.build_notes,
        ),
        LayerSpec(
            "river",
            (*_LSOA2021_INPUTS, "thames_foot_crossings"),
            river.build_river,
            "The Thames for walking: foot crossings, the north and south banks (EPSG:27700)",
            derived_from=("lsoa_2021",),
        ),
        LayerSpec(
            "streets_central",
            ("osm_central_streets",),
            streets.build_streets_central,
            "Central-London OpenStreetMap street edges, largest connected part (table, EPSG:27700 metres)",
        ),
    ]
}
