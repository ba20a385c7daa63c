"""Land markers' pop-ups name their rows for people (units in brackets, owner types in words)."""

from __future__ import annotations

import json

from anchormap.data.build import load_layer
from anchormap.land.filters import OWNER_TYPE_LABELS, STATUS_LABELS
from anchormap.maps import overlay as mapping
from anchormap.maps.land_map import POPUP_LABELS, add_land_markers


def test_land_popups_use_plain_labels_and_owner_types_in_words(mirror):
    builtin = load_layer("land_builtin")
    overlay = add_land_markers(mapping.Overlay(), builtin)
    spec = json.loads(overlay.spec_json())
    layers = spec["marker_layers"]
    assert len(layers) >= 4  # one per status on the map
    for layer in layers:
        labels = dict(layer["fields"])
        assert labels["status_label"] == "Status" and labels["site_area_ha"] == "Site area (ha)"
        assert labels["floor_area_m2"] == "Floor area (m²)"
        assert not any(label.endswith((" ha", " m2", " label")) for label in labels.values()), labels
        for rec in layer["records"]:
            assert rec.get("owner_type", "Unknown") in OWNER_TYPE_LABELS.values()
            assert rec["status_label"] in STATUS_LABELS.values()
    assert set(POPUP_LABELS) <= {c for layer in layers for c, _ in layer["fields"]}


def test_other_marker_layers_keep_their_labels(mirror):
    anchors = load_layer("anchors").head(20)
    spec = json.loads(mapping.Overlay().anchors(anchors, layer_id="a").spec_json())
    assert dict(spec["marker_layers"][0]["fields"])["source_words"] == "Source and date"


def test_marker_records_are_remembered_by_content_not_by_frame():
    """Every visitor of the Shared land page with the same markers shares one set of records; a
    changed value gives new ones."""
    from anchormap.data.build import load_layer
    from anchormap.maps import overlay

    land = load_layer("land_builtin")
    rows = land[land["lat"].notna()].head(50)
    first = overlay.anchor_records(rows.copy())
    assert overlay.anchor_records(rows.copy()) is first  # another frame, same content
    assert first == overlay.make_anchor_records(rows)
    changed = rows.copy()
    changed.iloc[0, changed.columns.get_loc("name")] = "A renamed site"
    again = overlay.anchor_records(changed)
    assert again is not first and again[0][0]["name"] == "A renamed site"
