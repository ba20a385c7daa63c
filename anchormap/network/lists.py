""" "Our network": a network's own list of anchor sites, kept for the session.

A network comes from either

- its own CSV (:func:`read_network_csv`): a name plus a postcode or coordinates per row,
  optionally a category, organisation, sub-type and address; read, recognised, located and
  reported by the same stages as land registers (:mod:`anchormap.land.ingest`), or
- members picked from the built-in ``anchors`` layer by organisation
  (:func:`network_from_members`), possibly starting from the organisations named as
  London Anchor Institutions' Network members (:func:`lain_member_suggestions`).

Either way the result is a GeoDataFrame in the anchors schema
(:data:`anchormap.data.layers.anchors.ANCHOR_COLUMNS`, EPSG:27700) that every page reads from
the session under :data:`NETWORK_KEY`. Uploaded rows get ``source`` "network" and
``anchor_id`` "network:<row number in the file>" (as a spreadsheet numbers it); their ``category`` is "" when the file
gives none or an unknown one. Nothing here escapes text (escaping happens where text is
shown) and nothing from the file is ever evaluated.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from anchormap.categories import CATEGORIES, SECTOR_NOT_STATED
from anchormap.crs import BNG
from anchormap.data.attribution import attribution_lines
from anchormap.data.build import load_layer
from anchormap.data.layers.anchors import ANCHOR_COLUMNS, LONDON_TOLERANCE_M, assign_boroughs, complete_coordinates
from anchormap.data.layers.readers import read_table
from anchormap.data.sources import resolve
from anchormap.errors import AnchorMapError, unexpected_file_error
from anchormap.geo.coordinates import LondonArea
from anchormap.geo.postcodes import PostcodeIndex, postcode_index
from anchormap.land.ingest.headers import header_score, normalise_header, recognise_columns
from anchormap.land.ingest.locate import COORDINATE_PAIRS, POSTCODE_METHOD, Acceptance, locate_row, london_area
from anchormap.land.ingest.read import (
    MAX_UPLOAD_BYTES,
    Table,
    check_file_bytes,
    decode_upload,
    find_header,
    read_csv_records,
)
from anchormap.land.ingest.report import Issue, report_frame
from anchormap.names import COUNCIL_WORDS, clean_text, match_key

NETWORK_KEY = "network"
"""Session key of the network GeoDataFrame (every page reads it)."""
NETWORK_LABEL_KEY = "network_label"
"""Session key of a short description of where the network came from."""
NETWORK_SOURCE = "network"
MAX_ROWS = 10_000
MAX_CELL_CHARS = 300
"""Longest text kept from one cell of a network's list (names, addresses); longer text is cut and reported."""

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "sitename",
        "site",
        "anchorname",
        "anchor",
        "institution",
        "institutionname",
        "organisationname",
        "organizationname",
        "orgname",
        "membername",
    ),
    "organisation": (
        "organisation",
        "organization",
        "org",
        "parent",
        "parentorganisation",
        "parentorganization",
        "owner",
    ),
    "postcode": ("postcode", "postcodes", "postalcode", "pcd", "pcds"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "long", "longitude"),
    "easting": ("easting", "eastings", "bngx"),
    "northing": ("northing", "northings", "bngy"),
    "x": ("x",),
    "y": ("y",),
    "category": ("category", "anchorcategory", "categorykey"),
    "subtype": ("subtype", "sitetype"),
    "address": ("address", "address1", "addressline1", "streetaddress"),
}
"""Field -> accepted headers, compared through :func:`anchormap.land.ingest.headers.normalise_header`
(lower case, spaces and punctuation removed). X and Y hold either degrees or grid metres."""
SAVE_AS = "Save it as 'CSV UTF-8' and try again."
ACCEPT = Acceptance(district=False, keep_unplaced=False, reject_action="row skipped")
"""A network site needs its postcode's own point; a row that cannot be placed is skipped."""
_MARKUP = re.compile(r"[<>]")


@dataclass
class NetworkReport:
    """What :func:`read_network_csv` found: counts, the file's encoding, and one
    :class:`~anchormap.land.ingest.report.Issue` per finding (``row`` is the row number in the
    file; findings about the whole file show row 0 in :meth:`frame`)."""

    filename: str
    rows_read: int = 0
    kept: int = 0
    encoding: str = "utf-8"
    problems: list[Issue] = field(default_factory=list)

    def add(self, row: int, column: str, problem: str, action: str, severity: str = "warning") -> None:
        self.problems.append(Issue(row, column, problem, action, severity))

    def frame(self) -> pd.DataFrame:
        """The findings as a table: row, column, problem, action, severity."""
        return report_frame(self.problems, whole_file_row=0)

    def summary(self) -> str:
        skipped = self.rows_read - self.kept
        return (
            f"{self.filename}: {self.rows_read} rows read, {self.kept} kept, {skipped} skipped, "
            f"{len(self.problems)} finding(s)."
        )


def empty_network() -> gpd.GeoDataFrame:
    """A network with no sites (anchors schema, EPSG:27700)."""
    frame = pd.DataFrame(
        {
            c: pd.Series(dtype="float64" if c in ("lat", "lon", "easting", "northing") else object)
            for c in ANCHOR_COLUMNS
            if c != "geometry"
        }
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=BNG), crs=BNG)


# --- reading the file -----------------------------------------------------------------------


def _read_bytes(data: bytes | str | Path, filename: str) -> bytes:
    if isinstance(data, bytes | bytearray):
        raw = bytes(data)
    else:
        try:
            raw = Path(data).read_bytes()
        except OSError as exc:
            msg = f"The file {filename} cannot be read ({exc.strerror or exc})."
            raise AnchorMapError(msg) from None
    check_file_bytes(
        raw,
        f"The file {filename}",
        MAX_UPLOAD_BYTES,
        empty_advice="it needs a header row (e.g. name,postcode) and one row per site.",
    )
    return raw


def _header_score(cells: list) -> int:
    return header_score(cells, HEADER_ALIASES)


def _read_table(data: bytes | str | Path, filename: str, report: NetworkReport) -> Table:
    """The list as a table, through the same readers as land registers (CSV only)."""
    who = f"The file {filename}"
    decoded = decode_upload(
        _read_bytes(data, filename), who, report.problems, fallbacks=("cp1252",), advice=SAVE_AS, error=AnchorMapError
    )
    report.encoding = "utf-8" if decoded.encoding == "utf-8-sig" else decoded.encoding
    records = read_csv_records(decoded.text, who, AnchorMapError)
    table = find_header(records, who, report.problems, _header_score, AnchorMapError)
    if len(table.rows) > MAX_ROWS:
        msg = f"The file {filename} has more than {MAX_ROWS} rows; split it into smaller files."
        raise AnchorMapError(msg)
    return table


def match_columns(header: list[str]) -> dict[str, int]:
    """Field -> column index for the recognised headers (:data:`HEADER_ALIASES`, through
    :func:`anchormap.land.ingest.headers.normalise_header`; the first alias a column has wins)."""
    return {f: header.index(c) for f, c in recognise_columns(header, HEADER_ALIASES).items()}


def category_key(text: str) -> str | None:
    """Category key for a key or label in any case ("Libraries", "higher further education"), else None."""
    wanted = normalise_header(text)
    for key, cat in CATEGORIES.items():
        if wanted in (normalise_header(key), normalise_header(cat.label)):
            return key
    return None


def read_network_csv(
    data: bytes | str | Path, filename: str, postcodes_df: pd.DataFrame, boroughs: gpd.GeoDataFrame | None = None
) -> tuple[gpd.GeoDataFrame, NetworkReport]:
    """A network's own list of sites as an anchors-schema GeoDataFrame (EPSG:27700) and a report.

    Parameters
    ----------
    data : bytes, str or Path
        The file's bytes, or a path to it (at most :data:`MAX_UPLOAD_BYTES`).
    filename : str
        Shown in messages.
    postcodes_df : pandas.DataFrame
        The ``postcodes`` layer, looked up through :func:`anchormap.geo.postcodes.postcode_index`.
    boroughs : geopandas.GeoDataFrame, optional
        The ``boroughs`` layer (EPSG:27700; loaded when None).

    Returns
    -------
    (GeoDataFrame, NetworkReport)
        The kept sites (anchors schema, EPSG:27700) and one report line per finding.
        Coordinates win over a postcode when both are given and the coordinates lie in London;
        a site needs its postcode's own point (an outward code alone is not enough).

    Raises
    ------
    AnchorMapError
        For problems with the whole file (too big, empty, not text, no name column, no
        postcode or coordinate columns); :class:`~anchormap.errors.UnreadableFileError` naming
        the file for any unforeseen failure. Problems with single rows go into the report.
    """
    try:
        return _read_network_csv(data, filename, postcodes_df, boroughs)
    except AnchorMapError:
        raise
    except Exception as exc:
        raise unexpected_file_error(filename, exc) from exc


def _read_network_csv(
    data: bytes | str | Path, filename: str, postcodes_df: pd.DataFrame, boroughs: gpd.GeoDataFrame | None
) -> tuple[gpd.GeoDataFrame, NetworkReport]:
    boroughs = load_layer("boroughs") if boroughs is None else boroughs
    report = NetworkReport(filename)
    table = _read_table(data, filename, report)
    header = table.header
    cols = match_columns(header)
    if "name" not in cols:
        msg = (
            f"The file {filename} has no name column: its columns are {', '.join(repr(h) for h in header)}. "
            "Call one of them 'name'."
        )
        raise AnchorMapError(msg)
    has_coords = any({a, b} <= set(cols) for a, b in COORDINATE_PAIRS)
    if "postcode" not in cols and not has_coords:
        msg = (
            f"The file {filename} has no postcode column and no coordinate columns (latitude and "
            "longitude, or easting and northing): add one of them."
        )
        raise AnchorMapError(msg)
    lookup = postcode_index(postcodes_df)
    london = london_area(LONDON_TOLERANCE_M, boroughs)
    report.rows_read = len(table.rows)
    kept = [
        r
        for r in (
            _read_row(line, values, header, cols, lookup, london, report, filename) for line, values in table.rows
        )
        if r is not None
    ]
    if not kept:
        return empty_network(), report
    frame = complete_coordinates(pd.DataFrame(kept).assign(lat=np.nan, lon=np.nan, coords="bng"))
    points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["easting"], frame["northing"]), crs=BNG)
    points = assign_boroughs(points, boroughs)
    for line, name in points.loc[points["borough_code"] == "", ["_line", "name"]].itertuples(index=False):
        report.add(int(line), "postcode", f"the site '{name}' is outside Greater London", "row skipped", "error")
    points = points[points["borough_code"] != ""]
    report.kept = len(points)
    return gpd.GeoDataFrame(points[ANCHOR_COLUMNS], geometry="geometry", crs=BNG).reset_index(drop=True), report


def _read_row(
    line: int,
    values: list,
    header: list[str],
    cols: dict[str, int],
    lookup: PostcodeIndex,
    london: LondonArea,
    report: NetworkReport,
    filename: str,
) -> dict | None:
    def get(fieldname: str) -> str:
        i = cols.get(fieldname)
        text = clean_text(values[i]) if i is not None and i < len(values) else ""
        if len(text) > MAX_CELL_CHARS:
            if fieldname not in cut:
                cut.add(fieldname)
                report.add(line, col(fieldname), f"{len(text):,} characters long", f"cut to {MAX_CELL_CHARS}")
            text = text[:MAX_CELL_CHARS]
        return text

    cut: set[str] = set()

    def col(fieldname: str) -> str:
        return header[cols[fieldname]] if fieldname in cols else fieldname

    name = get("name")
    if not name:
        report.add(line, col("name"), "the name is empty", "row skipped", "error")
        return None
    if _MARKUP.search(name):
        report.add(
            line, col("name"), "the name contains < or > (markup)", "kept as plain text: it is shown escaped, never run"
        )
    category = ""
    if get("category"):
        category = category_key(get("category")) or ""
        if not category:
            report.add(
                line,
                col("category"),
                f"unknown category '{get('category')}'",
                f"category left empty (known: {', '.join(CATEGORIES)})",
            )
    where = locate_row(get, lambda fields: ", ".join(map(col, fields)) or None, line, london, lookup, ACCEPT)
    report.problems.extend(where.issues)
    if where.rejected or not where.placed:
        return None
    return {
        "_line": line,
        "anchor_id": f"{NETWORK_SOURCE}:{line}",
        "name": name,
        "category": category,
        "subtype": get("subtype") or "Network member",
        "organisation": get("organisation"),
        "address": get("address"),
        "postcode": where.postcode or get("postcode"),
        "status": "open",
        "easting": where.easting,
        "northing": where.northing,
        "source": NETWORK_SOURCE,
        "source_record_id": str(line),
        "licence": "supplied by the network",
        "provenance": f"uploaded in {filename}"
        + ("; located at its postcode (OS Code-Point Open)" if where.method == POSTCODE_METHOD else ""),
        # a network's own list: no sector field, no manifest edition (it carries no date of its own)
        "sector": SECTOR_NOT_STATED,
        "position_check": "",
        "position_moved_m": 0.0,
        "edition": "",
        "edition_date": "",
    }


# --- picking members from the built-in anchors ----------------------------------------------


def organisations(anchors: pd.DataFrame) -> list[str]:
    """Distinct non-empty organisations of the anchors, sorted case-insensitively."""
    values = {v for v in anchors["organisation"].dropna() if str(v).strip()}
    return sorted(values, key=str.casefold)


def network_from_members(
    anchors: gpd.GeoDataFrame, organisation_names: list[str], include_closed: bool = False
) -> gpd.GeoDataFrame:
    """The anchors whose organisation is one of ``organisation_names`` (open ones unless
    ``include_closed``). Raises AnchorMapError naming organisations the layer does not have."""
    wanted = list(dict.fromkeys(organisation_names))
    known = set(anchors["organisation"])
    unknown = [o for o in wanted if o not in known]
    if unknown:
        msg = f"No anchor sites have the organisation(s) {', '.join(repr(u) for u in unknown)}."
        raise AnchorMapError(msg)
    rows = anchors[anchors["organisation"].isin(wanted)]
    if not include_closed:
        rows = rows[rows["status"] == "open"]
    return gpd.GeoDataFrame(rows[ANCHOR_COLUMNS].copy(), geometry="geometry", crs=anchors.crs).reset_index(drop=True)


def network_from_anchor_ids(anchors: gpd.GeoDataFrame, anchor_ids: list[str]) -> gpd.GeoDataFrame:
    """The anchors with the given ids (unknown ids are ignored)."""
    rows = anchors[anchors["anchor_id"].isin(anchor_ids)]
    return gpd.GeoDataFrame(rows[ANCHOR_COLUMNS].copy(), geometry="geometry", crs=anchors.crs).reset_index(drop=True)


def read_lain_names(path: Path | None = None) -> list[str]:
    """Organisations named as LAIN members (dataset ``lain_members``; names only, no places)."""
    path = path or resolve("lain_members").path
    table = read_table(path, dataset="lain_members", required=["organisation"], dtype=str)
    return [clean_text(v) for v in table["organisation"] if clean_text(v)]


NAME_MATCH_CATEGORIES = ("health", "higher_further_education", "culture", "emergency_services", "council_civic")
"""Categories whose site names may stand for an organisation (a church or school named
"St George's" is not St George's, University of London)."""


def lain_member_suggestions(
    anchors: pd.DataFrame, lain_names: list[str] | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Built-in open anchors that LAIN member names match, and the names nothing matched.

    A LAIN name matches an organisation when both have the same significant words
    (:func:`anchormap.names.match_key`, ignoring council words: "Camden Council" matches
    "Camden (local authority)"); it matches a site name the same way, for sites without an
    organisation in :data:`NAME_MATCH_CATEGORIES`. Suggestions only: people confirm them.
    Returns (table: lain_name, matched_on, matched, anchor_ids, sites; unmatched LAIN names).
    """
    names = read_lain_names() if lain_names is None else lain_names
    open_anchors = anchors[anchors["status"] == "open"]
    org_keys: dict[frozenset[str], list[str]] = {}
    for org in organisations(open_anchors):
        org_keys.setdefault(match_key(org, COUNCIL_WORDS), []).append(org)
    by_name = open_anchors[(open_anchors["organisation"] == "") & open_anchors["category"].isin(NAME_MATCH_CATEGORIES)]
    name_keys: dict[frozenset[str], list[tuple[str, str]]] = {}
    for anchor_id, name in zip(by_name["anchor_id"], by_name["name"], strict=True):
        name_keys.setdefault(match_key(name, COUNCIL_WORDS), []).append((anchor_id, name))
    rows, unmatched = [], []
    for lain in names:
        key = match_key(lain, COUNCIL_WORDS)
        orgs = org_keys.get(key, []) if key else []
        for org in orgs:
            ids = open_anchors.loc[open_anchors["organisation"] == org, "anchor_id"].tolist()
            rows.append(
                {"lain_name": lain, "matched_on": "organisation", "matched": org, "anchor_ids": ids, "sites": len(ids)}
            )
        sites = name_keys.get(key, []) if key else []
        for anchor_id, name in sites:
            rows.append(
                {"lain_name": lain, "matched_on": "name", "matched": name, "anchor_ids": [anchor_id], "sites": 1}
            )
        if not orgs and not sites:
            unmatched.append(lain)
    table = pd.DataFrame(rows, columns=["lain_name", "matched_on", "matched", "anchor_ids", "sites"])
    return table, unmatched


# --- the session ----------------------------------------------------------------------------


def store_network(state: MutableMapping, network: gpd.GeoDataFrame, label: str) -> None:
    """Keep ``network`` as the session's network (``state`` is e.g. ``st.session_state``)."""
    state[NETWORK_KEY] = network
    state[NETWORK_LABEL_KEY] = label


def current_network(state: MutableMapping) -> gpd.GeoDataFrame | None:
    """The session's network, or None when none has been chosen."""
    return state.get(NETWORK_KEY)


def clear_network(state: MutableMapping) -> None:
    state.pop(NETWORK_KEY, None)
    state.pop(NETWORK_LABEL_KEY, None)


def attributions(network: pd.DataFrame, extra: tuple[str, ...] = ()) -> list[str]:
    """Attribution lines of every dataset the network's rows (and ``extra`` dataset ids) come from,
    in the order of their ids (:func:`anchormap.data.attribution.attribution_lines`)."""
    ids = sorted(set(network["source"]) | set(extra)) if len(network) else sorted(extra)
    return attribution_lines(ids)
