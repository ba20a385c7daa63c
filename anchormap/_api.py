"""The public API of AnchorMap: what the pages (``app.py``, ``pages/``), ``anchormap.ui`` and the
command line use, in one list (as osmnx's ``_api.py``). Everything else inside a subpackage is
that subpackage's own business and may change without notice.

Modules are grouped by stage of the data flow: vocabularies, data, geography, analysis, land,
network, maps. ``anchormap.ui`` (the only code that imports Streamlit) is not re-exported here.
"""

from __future__ import annotations

from anchormap.analysis.area_card import DEFAULT_WALK_MINUTES, AreaCard, MeasureLine, card_for_place
from anchormap.analysis.catchment import DECAYS, DETOUR_FACTOR, WALK_KMH, walk_radius_m
from anchormap.analysis.gap_tables import AREA_TABS, gap_scores, ranking_table, rollup_table, without_anchor
from anchormap.analysis.gaps import (
    DEFAULT_CATEGORIES,
    DEFAULT_DECILES,
    DEFAULT_WITHIN_M,
    GapContext,
    GapParams,
    default_rollup_level,
    explain,
    export_gaps,
    prepare,
    rank_gaps,
    what_if,
    what_if_summary,
)
from anchormap.analysis.gaps import export_bytes as gap_export_bytes
from anchormap.analysis.what_if import (
    DEFAULT_SITE_NAME,
    before_after_tables,
    frame_fingerprint,
    linked_site_kind,
    site_from_click,
    site_from_postcode,
    site_heading,
)
from anchormap.categories import CATEGORIES, parse_categories
from anchormap.data.attribution import attribution_lines
from anchormap.data.build import build_layers, layer_stamp, load_layer, read_build_manifest
from anchormap.data.csvw import read_sidecar, sidecar_parameters
from anchormap.data.exports import (
    DOWNLOADS,
    FILE_TYPES,
    FORMATS,
    download_name,
    export_lsoa,
    write_table,
    written_text,
)
from anchormap.data.layers.anchors import anchors_report, select_anchors
from anchormap.data.sources import load_manifest, resolve
from anchormap.editions import DEFAULT_EDITION, EDITIONS, YEARS, edition_info, edition_label
from anchormap.errors import AnchorMapError, DataSourceError
from anchormap.geo.place_search import NotFound, search_place
from anchormap.land.assets import all_assets, export_assets, export_bytes, land_attribution_lines
from anchormap.land.duplicates import find_duplicates
from anchormap.land.filters import (
    CATCHMENT_SOURCES,
    OWNER_TYPE_LABELS,
    STATUS_LABELS,
    LandFilter,
    add_deprivation,
    add_nearest_anchor,
    apply_filter,
    describe_filter,
    summarise,
)
from anchormap.land.ingest import (
    ALIASES,
    FIELD_LABELS,
    MAX_PARTNER_CHARS,
    UploadError,
    check_register_size,
    parse_mapping,
    read_upload,
)
from anchormap.land.overview import land_totals, off_map
from anchormap.land.schema import OWNER_TYPES, STATUSES, UNUSED_STATUSES
from anchormap.land.store import LandStore, open_store
from anchormap.land.submissions import (
    INFER_OWNER,
    NO_COLUMN,
    OWNER_CHOICES,
    active_submissions,
    check_register,
    chosen_mapping,
    store_checked,
    store_stamp,
)
from anchormap.maps.gap_map import add_catchments, add_proposed_site, add_top_areas
from anchormap.maps.geometry import areas_file, borough_names, outlines_file
from anchormap.maps.land_map import add_land_markers
from anchormap.maps.overlay import Overlay, attributions, base_map, check_offline, need_summary
from anchormap.maps.palettes import DECILE_COLOURS
from anchormap.maps.take_home import draw_view, export_view
from anchormap.maps.views import (
    AnchorKind,
    anchor_kinds,
    file_stem,
    searched_point,
    unused_land_points,
    view_dataset_ids,
    view_title,
    zoom_to_place,
)
from anchormap.measures import MEASURES, decile_in_words, measures_for
from anchormap.network.lists import (
    NETWORK_LABEL_KEY,
    clear_network,
    current_network,
    network_from_members,
    organisations,
    read_network_csv,
    store_network,
)
from anchormap.network.lists import attributions as network_attributions
from anchormap.network.suggestions import lain_organisations

__all__ = [
    "ALIASES",
    "AREA_TABS",
    "AnchorKind",
    "AnchorMapError",
    "AreaCard",
    "CATCHMENT_SOURCES",
    "CATEGORIES",
    "DECAYS",
    "DECILE_COLOURS",
    "DEFAULT_CATEGORIES",
    "DEFAULT_DECILES",
    "DEFAULT_EDITION",
    "DEFAULT_SITE_NAME",
    "DEFAULT_WALK_MINUTES",
    "DEFAULT_WITHIN_M",
    "DETOUR_FACTOR",
    "DOWNLOADS",
    "DataSourceError",
    "EDITIONS",
    "FILE_TYPES",
    "FORMATS",
    "FIELD_LABELS",
    "GapContext",
    "GapParams",
    "INFER_OWNER",
    "LandFilter",
    "LandStore",
    "MAX_PARTNER_CHARS",
    "MEASURES",
    "MeasureLine",
    "NETWORK_LABEL_KEY",
    "NO_COLUMN",
    "NotFound",
    "OWNER_CHOICES",
    "OWNER_TYPES",
    "OWNER_TYPE_LABELS",
    "Overlay",
    "STATUSES",
    "STATUS_LABELS",
    "UNUSED_STATUSES",
    "UploadError",
    "WALK_KMH",
    "YEARS",
    "active_submissions",
    "add_catchments",
    "add_deprivation",
    "add_land_markers",
    "add_nearest_anchor",
    "add_proposed_site",
    "add_top_areas",
    "all_assets",
    "anchor_kinds",
    "anchors_report",
    "apply_filter",
    "areas_file",
    "attribution_lines",
    "attributions",
    "base_map",
    "before_after_tables",
    "borough_names",
    "build_layers",
    "card_for_place",
    "check_offline",
    "check_register",
    "check_register_size",
    "chosen_mapping",
    "clear_network",
    "current_network",
    "decile_in_words",
    "default_rollup_level",
    "describe_filter",
    "download_name",
    "draw_view",
    "edition_info",
    "edition_label",
    "explain",
    "export_assets",
    "export_bytes",
    "export_gaps",
    "export_lsoa",
    "export_view",
    "file_stem",
    "find_duplicates",
    "frame_fingerprint",
    "gap_export_bytes",
    "gap_scores",
    "lain_organisations",
    "land_attribution_lines",
    "land_totals",
    "layer_stamp",
    "linked_site_kind",
    "load_layer",
    "load_manifest",
    "measures_for",
    "need_summary",
    "network_attributions",
    "network_from_members",
    "off_map",
    "open_store",
    "organisations",
    "outlines_file",
    "parse_categories",
    "parse_mapping",
    "prepare",
    "rank_gaps",
    "ranking_table",
    "read_build_manifest",
    "read_network_csv",
    "read_sidecar",
    "read_upload",
    "resolve",
    "rollup_table",
    "search_place",
    "searched_point",
    "select_anchors",
    "site_from_click",
    "site_from_postcode",
    "sidecar_parameters",
    "site_heading",
    "store_checked",
    "store_network",
    "store_stamp",
    "summarise",
    "unused_land_points",
    "view_dataset_ids",
    "view_title",
    "walk_radius_m",
    "what_if",
    "what_if_summary",
    "without_anchor",
    "write_table",
    "written_text",
    "zoom_to_place",
]
