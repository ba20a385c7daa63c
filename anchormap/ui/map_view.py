"""Showing a folium map in Streamlit (streamlit-folium), checked to need nothing from the internet."""

from __future__ import annotations

import folium
from streamlit_folium import st_folium

from anchormap import (
    Overlay,
    check_offline,
)
from anchormap.ui.styles import apply_map_height


def show_map(
    m: folium.Map,
    overlay: Overlay | None = None,
    *,
    key: str = "map",
    height: int = 640,
    returned_objects: list[str] | None = None,
):
    """Draw ``m`` (from :func:`anchormap.maps.overlay.base_map`) with ``overlay`` via streamlit-folium.

    The map keeps its streamlit-folium identity while only the overlay changes, so the browser
    restyles the existing map instead of rebuilding it.

    Parameters
    ----------
    m : folium.Map
        The base map; refused (AnchorMapError) if it would load anything from the internet
        other than map tiles (:func:`anchormap.maps.overlay.check_offline`).
    overlay : Overlay, optional
        The layers drawn on it (checked the same way).
    key : str
        The Streamlit widget key.
    height : int
        Height in CSS pixels.
    returned_objects : list of str, optional
        What the browser sends back (e.g. ``["last_clicked"]``); none by default, so panning
        never reruns the script.

    Returns
    -------
    dict
        What streamlit-folium returns: only the ``returned_objects`` asked for.
    """
    check_offline(m)
    apply_map_height()
    if overlay is not None:
        check_offline(overlay)
    m.options["attributionControl"] = True
    return st_folium(
        m,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=returned_objects or [],
        feature_group_to_add=overlay,
    )
