"""The pages' one set of cached loaders (shared by every session, read-only).

Every loader is keyed on the build: a layer is cached with the modification time of its
Parquet file (:func:`anchormap.data.build.layer_stamp`), the land store with its file's, so
``anchormap data build`` or a new submission on a running server is picked up at the next
rerun, never served stale. Callers must not change the frames in place (filters return copies). The stamps are plain
arguments of the cached functions: Streamlit leaves arguments named with a leading underscore
out of the cache key.
"""

from __future__ import annotations

import streamlit as st

from anchormap import (
    GapContext,
    add_deprivation,
    all_assets,
    areas_file,
    asset_table,
    cells_in_words,
    edition_info,
    frame_fingerprint,
    layer_stamp,
    load_layer,
    open_store,
    outlines_file,
    prepare,
    ranking_table,
    rollup_table,
    search_place,
    store_stamp,
)


@st.cache_resource(show_spinner="Loading the map data...", max_entries=32)
def _layer(name: str, stamp: int):
    return load_layer(name)


def layer(name: str):
    """The built layer ``name`` (reloaded when ``anchormap data build`` rewrites it).

    Parameters
    ----------
    name : str
        A layer of :data:`anchormap.data.layers.LAYERS`.

    Returns
    -------
    DataFrame or GeoDataFrame
        Shared: never change it in place.
    """
    return _layer(name, layer_stamp(name))


def anchors():
    """The built-in anchors layer (EPSG:27700 ``easting``/``northing`` and WGS84 ``lat``/``lon``)."""
    return layer("anchors")


def lsoas(edition: int):
    """The LSOA polygons (EPSG:27700) and indices of an IoD edition.

    Parameters
    ----------
    edition : int
        An edition of :data:`anchormap.editions.EDITIONS`.

    Returns
    -------
    GeoDataFrame
    """
    return layer(edition_info(edition).lsoa_layer)


@st.cache_resource(show_spinner="Preparing the map...", max_entries=8)
def _geometry(edition: int, stamp: int):
    return areas_file(edition), outlines_file()


def prepare_geometry(edition: int):
    """Publish the display geometry of ``edition`` and the borough outlines once per build.

    Parameters
    ----------
    edition : int

    Returns
    -------
    (AreasFile, AreasFile)
        :func:`anchormap.maps.overlay.areas_file` and :func:`anchormap.maps.overlay.outlines_file`.
    """
    return _geometry(edition, layer_stamp(edition_info(edition).display_layer))


@st.cache_resource(show_spinner="Measuring distances from every neighbourhood to every anchor...", max_entries=4)
def _anchor_context(edition: int, stamp: tuple[int, int]) -> GapContext:
    return prepare(edition, anchors(), "the anchors layer")


def anchor_context(edition: int) -> GapContext:
    """The gap ranking's catchment index of every built-in anchor for ``edition``.

    Parameters
    ----------
    edition : int

    Returns
    -------
    GapContext
        :func:`anchormap.analysis.gaps.prepare` of the anchors layer (distances in metres, EPSG:27700).
    """
    return _anchor_context(edition, (layer_stamp("anchors"), layer_stamp("river")))


def network_context(edition: int, network) -> GapContext:
    """The catchment index of our network, kept in this session until the network changes.

    Parameters
    ----------
    edition : int
    network : GeoDataFrame
        :func:`anchormap.network.lists.current_network` (not empty).

    Returns
    -------
    GapContext
    """
    stamp = (edition, frame_fingerprint(network), layer_stamp("river"))
    held = st.session_state.get("gaps_network_context")
    if held is None or held[0] != stamp:
        held = (stamp, prepare(edition, network, "our network"))
        st.session_state["gaps_network_context"] = held
    return held[1]


@st.cache_resource(show_spinner="Loading land and property assets...", max_entries=4)
def _land(store_where: str, stamp: str, builtin: int, edition: int | None):
    assets = all_assets(open_store())  # the default store, named by store_where (no password) in the cache key
    return assets if edition is None else add_deprivation(assets, lsoas(edition))


def land_assets(edition: int | None = None):
    """Built-in land and the store's active submissions (EPSG:27700).

    Reloaded when the store changes (its :meth:`~anchormap.land.store.LandStore.stamp`); at most four versions are kept, so a store that
    changes often does not fill the memory.

    Parameters
    ----------
    edition : int or None
        Add the IMD decile of each asset's LSOA in this edition (None: without it).

    Returns
    -------
    GeoDataFrame
    """
    where, stamp = store_stamp()
    return _land(where, stamp, layer_stamp("land_builtin"), edition)


@st.cache_data(show_spinner=False, max_entries=64)
def _find(text: str, edition: int, stamp: int):
    return search_place(text, edition)


def find_place(text: str, edition: int):
    """:func:`anchormap.geo.place_search.search_place`, cached per build of the postcode layer.

    Parameters
    ----------
    text : str
        What was typed.
    edition : int

    Returns
    -------
    Place or NotFound
    """
    return _find(text, edition, layer_stamp("postcodes"))


@st.cache_data(show_spinner=False, max_entries=32)
def gap_tables(table, measure: str, level: str, top: int):
    """The Underserved areas page's four tables in words, for a ranking ``table``
    (:func:`anchormap.analysis.gaps.rank_gaps`): the ``top`` biggest gaps, every ranked
    neighbourhood, and the roll-ups by borough and by ``level``. Shared by every visitor who asks
    for the same ranking (most ask for the default one), keyed on the table's content.

    Returns
    -------
    (DataFrame, DataFrame, DataFrame, DataFrame)
        Copies: change them freely.
    """
    return (
        cells_in_words(ranking_table(table.head(top), measure)),
        cells_in_words(ranking_table(table, measure, nearest_by_kind=True)),
        cells_in_words(rollup_table(table, "borough")),
        cells_in_words(rollup_table(table, level)),
    )


def asset_table_in_words(shown):
    """:func:`anchormap.land.overview.asset_table` of the assets ``shown``, shared by every visitor
    who asks for the same assets (keyed on their content, :func:`anchormap.frame_fingerprint`)."""
    return _asset_table(frame_fingerprint(shown), shown)


@st.cache_data(show_spinner=False, max_entries=16, ttl=6 * 3600)  # the words say how old a source is: a new day
def _asset_table(fingerprint: int, _shown):
    return asset_table(_shown)
