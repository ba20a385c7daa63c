"""Land and property assets on the shared web map (:mod:`anchormap.maps.overlay`).

One marker layer per status, each with its own colour (Okabe-Ito, colour-blind safe) and
shape, so colour is never the only cue. Pop-ups show the asset's text fields, then its extra
attributes (the register's columns no field took) under their original headers; everything is
escaped by the map script (text goes in with ``textContent``), so HTML in a partner's
register, in a value or a header, is shown as text.
"""

from __future__ import annotations

import pandas as pd

from anchormap.land.filters import OWNER_TYPE_LABELS, STATUS_LABELS
from anchormap.land.overview import duplicate_names
from anchormap.land.schema import EXTRA_COLUMN, extra_attributes
from anchormap.words import placed_by, sources_and_dates

STATUS_STYLE: dict[str, tuple[str, str]] = {
    "vacant": ("square", "#D55E00"),
    "surplus": ("diamond", "#E69F00"),
    "under_used": ("triangle", "#CC79A7"),
    "brownfield_available": ("hexagon", "#009E73"),
    "closed_building": ("cross", "#0072B2"),
    "occupied": ("circle", "#555555"),
    "unknown": ("ring", "#000000"),
}
POPUP_COLUMNS = [
    "name",
    "address",
    "postcode",
    "owner_organisation",
    "owner_type",
    "tenure",
    "holding_use",
    "status_label",
    "site_area_ha",
    "floor_area_m2",
    "empty_floor_area_m2",
    "under_used_floor_area_m2",
    "land_not_delivering_services_ha",
    "partner",
    "source_words",
    "placed_by",
    "duplicate_names",
    "lat",
    "lon",
]
POPUP_LABELS = {
    "owner_organisation": "Owner",
    "owner_type": "Owner type",
    "holding_use": "Holding or use",
    "status_label": "Status",
    "site_area_ha": "Site area (ha)",
    "floor_area_m2": "Floor area (m²)",
    "empty_floor_area_m2": "Empty floor area (m²)",
    "under_used_floor_area_m2": "Under-used floor area (m²)",
    "land_not_delivering_services_ha": "Land not delivering services (ha)",
    "source_words": "Source and date",
    "placed_by": "Placed by",
    "duplicate_names": "Possibly the same place as",
}
"""Pop-up row names for the columns of :data:`POPUP_COLUMNS` (units in brackets, as in the schema)."""
EXTRA_PREFIX = "extra:"
"""Marker columns ``extra:<header>`` carry an extra attribute; the pop-up names the row by the header."""


def marker_frame(assets: pd.DataFrame) -> pd.DataFrame:
    """The on-map assets with the columns a pop-up shows (lat/lon in WGS84 degrees).

    The source is named with its date (:func:`anchormap.words.source_and_date`), how the
    point was found in words (:func:`anchormap.words.placed_by`) and possible duplicates by
    name; ids are left out. Each extra attribute (:data:`~anchormap.land.schema.EXTRA_COLUMN`)
    becomes a column ``extra:<original header>`` (empty for assets without it), in the order first met.
    """
    dupes = duplicate_names(assets)
    on = assets[assets["on_map"].astype(bool) & assets["lat"].notna()].copy()
    on["status_label"] = on["status"].map(STATUS_LABELS)
    if "owner_type" in on.columns:
        on["owner_type"] = on["owner_type"].map(lambda k: OWNER_TYPE_LABELS.get(k, k))
    on["source_words"] = sources_and_dates(on["source"], on.get("source_date"), on["partner"])
    if "location_method" in on.columns:
        on["placed_by"] = on["location_method"].map(placed_by)
    on["duplicate_names"] = dupes.reindex(on.index).fillna("")
    cols = [c for c in POPUP_COLUMNS if c in on.columns]
    frame = pd.DataFrame(on[[*cols, "status"]])
    if EXTRA_COLUMN in on.columns:
        extras = pd.DataFrame(
            [{f"{EXTRA_PREFIX}{k}": v for k, v in extra_attributes(x).items()} for x in on[EXTRA_COLUMN]],
            index=on.index,
        )
        if len(extras.columns):
            frame = pd.concat([frame, extras.astype(object).where(extras.notna(), None)], axis=1)
    return frame


def popup_labels(frame: pd.DataFrame) -> dict[str, str]:
    """Pop-up row names for a :func:`marker_frame`: :data:`POPUP_LABELS` and each extra attribute's header."""
    extra = {c: c[len(EXTRA_PREFIX) :] for c in frame.columns if c.startswith(EXTRA_PREFIX)}
    return {**POPUP_LABELS, **extra}


def add_land_markers(overlay, assets: pd.DataFrame):
    """Add one marker layer per status present in ``assets`` to a :class:`anchormap.maps.overlay.Overlay`."""
    frame = marker_frame(assets)
    labels = popup_labels(frame)
    for status, (shape, colour) in STATUS_STYLE.items():
        rows = frame[frame["status"] == status].drop(columns="status")
        if len(rows):
            overlay.anchors(
                rows,
                layer_id=f"land_{status}",
                label=STATUS_LABELS[status],
                shape=shape,
                colour=colour,
                cluster=True,
                labels=labels,
            )
    return overlay
