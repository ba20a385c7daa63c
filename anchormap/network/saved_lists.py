"""Saved network lists: a network's definition as JSON-able data, and back to the network.

The store keeps a saved list's *definition* (:meth:`anchormap.land.store.LandStore.save_network`);
this module makes that definition from what the Our network page used and turns it back into
the network GeoDataFrame every page reads (:func:`anchormap.network.lists.store_network`).
Two kinds, each a plain dict with a ``version``:

- **by organisation**: ``{"kind": "organisations", "organisations": [...], "include_closed": bool}``;
  reopening picks the same organisations from today's built-in anchors
  (:func:`anchormap.network.lists.network_from_members`), so the sites follow later editions.
- **an uploaded list**: ``{"kind": "sites", "file_name": ..., "sites": [row, ...]}``, the placed
  rows of the file (anchors schema without the geometry: BNG ``easting``/``northing`` in metres,
  EPSG:27700, and WGS84 ``lat``/``lon``); reopening rebuilds the points from easting and northing,
  so no postcode is looked up again.

A definition read back from the store is checked as untrusted input (:class:`SavedListError`
names what is wrong); nothing in it is ever evaluated, and text is escaped where it is shown.
"""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pandas as pd

from anchormap.crs import BNG
from anchormap.data.layers.anchors import ANCHOR_COLUMNS
from anchormap.errors import AnchorMapError
from anchormap.network.lists import MAX_CELL_CHARS, MAX_ROWS, empty_network, network_from_members
from anchormap.words import date_words

VERSION = 1
"""The definition format written here; reading refuses a newer one with a message."""
BY_ORGANISATION = "organisations"
SITES = "sites"
SHARED_WITH = {"everyone": "everyone", "partner": "its partner only"}
"""``shared_with`` values the store takes -> words for the page."""
_NUMBERS = ("lat", "lon", "easting", "northing", "position_moved_m")
_TEXT = tuple(c for c in ANCHOR_COLUMNS if c not in (*_NUMBERS, "geometry"))


class SavedListError(AnchorMapError):
    """A saved list's definition cannot be turned back into a network."""


def definition_from_organisations(organisations: list[str], include_closed: bool = False) -> dict:
    """The definition of a network chosen by organisation from the built-in anchors.

    Parameters
    ----------
    organisations : list of str
        The organisations' names, as :func:`anchormap.network.lists.organisations` lists them.
    include_closed : bool, optional
        Closed sites count too.

    Returns
    -------
    dict
        JSON-able: ``version``, ``kind`` "organisations", ``organisations``, ``include_closed``.

    >>> definition_from_organisations(["Lewisham Council"])["kind"]
    'organisations'
    """
    names = list(dict.fromkeys(str(o) for o in organisations))
    if not names:
        raise SavedListError("Choose at least one organisation before saving the network.")
    return {"version": VERSION, "kind": BY_ORGANISATION, "organisations": names, "include_closed": bool(include_closed)}


def definition_from_sites(network: pd.DataFrame, file_name: str) -> dict:
    """The definition of a network uploaded as its own list: its placed rows.

    Parameters
    ----------
    network : pandas.DataFrame
        The sites as :func:`anchormap.network.lists.read_network_csv` returns them (anchors schema,
        EPSG:27700); the geometry is left out (rebuilt from ``easting``/``northing``).
    file_name : str
        The uploaded file's name (said when the list is reopened).

    Returns
    -------
    dict
        JSON-able: ``version``, ``kind`` "sites", ``file_name``, ``sites`` (one dict per row; missing
        numbers as None).
    """
    if len(network) == 0:
        raise SavedListError("This network has no sites: there is nothing to save.")
    if len(network) > MAX_ROWS:
        raise SavedListError(f"A saved list holds at most {MAX_ROWS:,} sites; this network has {len(network):,}.")
    table = pd.DataFrame(network).reindex(columns=[c for c in ANCHOR_COLUMNS if c != "geometry"])
    rows = json.loads(table.to_json(orient="records", force_ascii=False, date_format="iso"))
    return {"version": VERSION, "kind": SITES, "file_name": str(file_name), "sites": rows}


def definition_words(definition: dict) -> str:
    """What a definition holds, in words ("3 organisations from the built-in anchors", "an uploaded list ...")."""
    kind = definition.get("kind") if isinstance(definition, dict) else None
    if kind == BY_ORGANISATION:
        n = len(definition.get("organisations") or [])
        closed = ", closed sites included" if definition.get("include_closed") else ""
        return f"{n} organisation{'s' if n != 1 else ''} from the built-in anchors{closed}"
    if kind == SITES:
        n = len(definition.get("sites") or [])
        return f"{n} site{'s' if n != 1 else ''} uploaded in {definition.get('file_name') or 'a file'}"
    return "a list this version of AnchorMap cannot read"


def saved_list_words(row) -> str:
    """A saved list in words: name, partner, who may see it, who saved it and when.

    ``row`` is a row of :meth:`LandStore.networks` (``name``, ``partner``, ``shared_with``,
    ``saved_by``, ``saved_at`` as ISO 8601 UTC).

    >>> saved_list_words({"name": "Civic sites", "partner": "Lewisham Council", "shared_with": "partner",
    ...                   "saved_by": "jo@lewisham.gov.uk", "saved_at": "2026-12-02T10:00:00+00:00"})
    'Civic sites (Lewisham Council): shared with its partner only, saved by jo@lewisham.gov.uk on 2 December 2026'
    """
    partner = f" ({row['partner']})" if isinstance(row["partner"], str) and row["partner"] else ""
    shared = SHARED_WITH.get(row["shared_with"], row["shared_with"])
    return f"{row['name']}{partner}: shared with {shared}, saved by {row['saved_by']} on {date_words(row['saved_at'])}"


def may_delete(access, partner: object) -> bool:
    """Whether to offer ``access`` deleting a list of ``partner``: stewards and the local user any, members their partner's.

    The store checks it again when deleting (:meth:`LandStore.delete_network`).
    """
    if access.may_steward:
        return True
    return isinstance(partner, str) and bool(partner.strip()) and access.may_write_for(partner)


def network_from_definition(definition: dict, anchors: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The network a definition stands for (anchors schema, EPSG:27700).

    Parameters
    ----------
    definition : dict
        As :func:`definition_from_organisations` or :func:`definition_from_sites` made it (read
        back from the store: checked here).
    anchors : geopandas.GeoDataFrame
        The built-in ``anchors`` layer (used by a definition by organisation).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`anchormap.data.layers.anchors.ANCHOR_COLUMNS`, EPSG:27700 points.

    Raises
    ------
    SavedListError
        When the definition is not one this module wrote (wrong shape, a newer version, no
        organisation or site, coordinates that are not numbers), or names organisations the
        built-in anchors no longer have.
    """
    if not isinstance(definition, dict):
        raise SavedListError("This saved list cannot be opened: it is not a network definition.")
    version = definition.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise SavedListError(
            "This saved list was saved by a newer version of AnchorMap and cannot be opened here: update AnchorMap."
        )
    kind = definition.get("kind")
    if kind == BY_ORGANISATION:
        return _from_organisations(definition, anchors)
    if kind == SITES:
        return _from_sites(definition)
    raise SavedListError("This saved list cannot be opened: it is neither organisations nor an uploaded list.")


def _from_organisations(definition: dict, anchors: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    names = definition.get("organisations")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise SavedListError("This saved list cannot be opened: it names no organisation.")
    known = set(anchors["organisation"])
    gone = [n for n in names if n not in known]
    if gone:
        msg = (
            "This saved list names organisations the built-in anchors no longer have: "
            + ", ".join(f"'{n}'" for n in gone[:5])
            + (" and others" if len(gone) > 5 else "")
            + ". Choose the network's organisations again and save it anew."
        )
        raise SavedListError(msg)
    return network_from_members(anchors, names, include_closed=bool(definition.get("include_closed")))


def _from_sites(definition: dict) -> gpd.GeoDataFrame:
    rows = definition.get("sites")
    if not isinstance(rows, list) or not rows or len(rows) > MAX_ROWS or not all(isinstance(r, dict) for r in rows):
        raise SavedListError("This saved list cannot be opened: its sites are missing or not a list of rows.")
    table = pd.DataFrame.from_records(rows).reindex(columns=[c for c in ANCHOR_COLUMNS if c != "geometry"])
    for c in _NUMBERS:
        table[c] = pd.to_numeric(table[c], errors="coerce").astype("float64")
    bad = ~(table["easting"].map(math.isfinite) & table["northing"].map(math.isfinite))
    if bad.any():
        raise SavedListError(
            f"This saved list cannot be opened: {int(bad.sum())} of its sites have no easting and northing."
        )
    for c in _TEXT:
        table[c] = table[c].map(
            lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v)[:MAX_CELL_CHARS]
        )
    table["position_moved_m"] = table["position_moved_m"].fillna(0.0)
    if table.empty:
        return empty_network()
    points = gpd.points_from_xy(table["easting"], table["northing"], crs=BNG)
    return gpd.GeoDataFrame(table, geometry=points, crs=BNG)[ANCHOR_COLUMNS].reset_index(drop=True)
