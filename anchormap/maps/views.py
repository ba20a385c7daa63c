"""What the map pages show, worked out from the data: the pages only draw it.

The home page lists each anchor category present with its count and sub-types
(:func:`anchor_kinds`) and titles the map (:func:`view_title`); the Community page marks the
searched place and the unused public land near it (:func:`searched_point`,
:func:`unused_land_points`), fits the map to the place (:func:`zoom_to_place`), names its
downloads (:func:`file_stem`) and lists the datasets behind the view (:func:`view_dataset_ids`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from anchormap.categories import CATEGORIES
from anchormap.editions import edition_info
from anchormap.geo.place_search import Place
from anchormap.maps.overlay import Overlay
from anchormap.maps.take_home import shown_dataset_ids


@dataclass(frozen=True)
class AnchorKind:
    """One anchor category present in a layer: its key, number of sites and sub-types (sorted)."""

    key: str
    count: int
    subtypes: tuple[str, ...]


def anchor_kinds(anchors: pd.DataFrame | None) -> dict[str, AnchorKind]:
    """Every category of :data:`anchormap.categories.CATEGORIES` with sites in ``anchors``, in
    that order (empty for None: the layer could not be loaded).

    Parameters
    ----------
    anchors : DataFrame or None
        Rows with ``category`` and ``subtype`` (the anchors layer).

    Returns
    -------
    dict of str to AnchorKind
    """
    if anchors is None:
        return {}
    counts = anchors["category"].value_counts()
    return {
        key: AnchorKind(
            key,
            int(counts[key]),
            tuple(sorted(anchors.loc[anchors["category"] == key, "subtype"].dropna().unique())),
        )
        for key in CATEGORIES
        if int(counts.get(key, 0))
    }


def view_title(measure_label: str, edition: int, borough_name: str | None) -> str:
    """The map's heading.

    Parameters
    ----------
    measure_label : str
        The measure's label.
    edition : int
        The IoD edition.
    borough_name : str or None
        None: all of London.

    Returns
    -------
    str

    >>> view_title("Income", 2025, None)
    'Income, 2025: London'
    >>> view_title("Income", 2019, "Hackney")
    'Income, 2019: Hackney'
    """
    return f"{measure_label}, {edition}: {borough_name or 'London'}"


def searched_point(place: Place) -> pd.DataFrame:
    """The searched place as one marker row.

    Parameters
    ----------
    place : Place

    Returns
    -------
    DataFrame
        ``name``, ``lat``/``lon`` in degrees (EPSG:4326).
    """
    return pd.DataFrame([{"name": f"You searched: {place.label}", "lat": place.lat, "lon": place.lon}])


def unused_land_points(land: pd.DataFrame) -> pd.DataFrame:
    """Marker rows for the land of an area card.

    Parameters
    ----------
    land : DataFrame
        :attr:`anchormap.analysis.area_card.AreaCard.land`.

    Returns
    -------
    DataFrame
        ``name``, ``land_status`` (in words), ``owner`` (the organisation, else the owner type
        in words), ``lat``/``lon`` in degrees (EPSG:4326).
    """
    named = land["owner_organisation"] != ""
    return pd.DataFrame(
        {
            "name": land["name"],
            "land_status": land["status_words"],
            "owner": land["owner_organisation"].where(named, land["owner_words"]),
            "lat": land["lat"],
            "lon": land["lon"],
        }
    )


def zoom_to_place(overlay: Overlay, place: Place) -> Overlay:
    """Fit the map to ``place`` once per place and edition (later reruns keep the person's view).

    Parameters
    ----------
    overlay : Overlay
    place : Place
        Its ``bounds_wgs84`` (degrees, EPSG:4326) are fitted.

    Returns
    -------
    Overlay
        ``overlay`` itself.
    """
    w, s, e, n = place.bounds_wgs84
    return overlay.zoom_to_bounds((s, w, n, e), key=f"{place.query}|{place.edition}")


def file_stem(query: str) -> str:
    """A download's file name stem for a searched place.

    Parameters
    ----------
    query : str
        The text that finds the place again (:attr:`Place.query`).

    Returns
    -------
    str

    >>> file_stem("SE6 4RU")
    'anchormap-se6-4ru'
    """
    return "anchormap-" + "".join(ch if ch.isalnum() else "-" for ch in query).strip("-").lower()


def view_dataset_ids(
    place: Place | None,
    edition: int,
    anchors: pd.DataFrame,
    categories: Sequence[str],
    land: pd.DataFrame | None = None,
) -> list[str]:
    """The manifest ids of the datasets behind a Community view, for its attribution.

    Parameters
    ----------
    place : Place or None
        The place searched (None: all of London).
    edition : int
        The IoD edition shown.
    anchors : DataFrame
        The anchors layer; only the ``categories`` shown count.
    land : DataFrame, optional
        The land listed on the card.

    Returns
    -------
    list of str
    """
    shown = anchors[anchors["category"].isin(categories)]
    if place is not None:
        return shown_dataset_ids(place, anchors=shown, land=land)
    return [*edition_info(edition).datasets, "boroughs", *sorted(set(shown["source"]))]


def in_borough(anchors: pd.DataFrame, borough_code: str | None, borough_name: str | None):
    """``count_in`` for :meth:`anchormap.maps.overlay.Overlay.anchors`: the key counts the sites
    of a borough chosen (None when all of London is shown).

    Parameters
    ----------
    anchors : DataFrame
        Rows with ``borough_code``.
    borough_code, borough_name : str or None

    Returns
    -------
    (str, Series) or None
    """
    if not borough_code:
        return None
    return (borough_name or borough_code, anchors["borough_code"] == borough_code)


def in_place(anchors: pd.DataFrame, place: Place):
    """``count_in`` for :meth:`anchormap.maps.overlay.Overlay.anchors`: the key counts the sites
    inside the view fitted to a searched place (its ``bounds_bng``, EPSG:27700 metres, which the
    map fits; a ward or borough counts its own sites).

    Parameters
    ----------
    anchors : DataFrame
        Rows with ``easting``/``northing`` (EPSG:27700) and ``borough_code``.
    place : Place

    Returns
    -------
    (str, Series)
    """
    if place.kind == "borough" and place.area_code:
        return (place.label, anchors["borough_code"] == place.area_code)
    x0, y0, x1, y1 = place.bounds_bng
    x, y = anchors["easting"], anchors["northing"]
    return (f"this view of {place.label}", (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
