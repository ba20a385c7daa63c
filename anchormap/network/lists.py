""" "Our network": a network's own list of anchor sites, kept for the session.

A network comes from either

- its own CSV (:func:`read_network_csv`): a name plus a postcode or coordinates per row,
  optionally a category, organisation, sub-type and address; geocoded with the
  ``postcodes`` layer and checked row by row, or
- members picked from the built-in ``anchors`` layer by organisation
  (:func:`network_from_members`), possibly starting from the organisations named as
  London Anchor Institutions' Network members (:func:`lain_member_suggestions`).

Either way the result is a GeoDataFrame in the anchors schema
(:data:`anchormap.data.layers.anchors.ANCHOR_COLUMNS`, EPSG:27700) that every page reads from
the session under :data:`NETWORK_KEY`. Uploaded rows get ``source`` "network" and
``anchor_id`` "network:<line number in the file>"; their ``category`` is "" when the file
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

from anchormap.categories import CATEGORIES
from anchormap.crs import BNG
from anchormap.data.attribution import attribution_lines
from anchormap.data.layers.anchors import ANCHOR_COLUMNS, LONDON_TOLERANCE_M, assign_boroughs, complete_coordinates
from anchormap.data.layers.postcodes import format_postcode, is_full_postcode, is_outward_code, postcode_key
from anchormap.errors import AnchorMapError, unexpected_file_error
from anchormap.geo.coordinates import LondonArea, read_pair
from anchormap.land.tables import (
    UTF16_BOMS,
    CsvSyntaxError,
    check_file_bytes,
    csv_rows,
    decode_text,
    is_blank_row,
    looks_binary,
)
from anchormap.names import COUNCIL_WORDS, clean_text, match_key

NETWORK_KEY = "network"
"""Session key of the network GeoDataFrame (every page reads it)."""
NETWORK_LABEL_KEY = "network_label"
"""Session key of a short description of where the network came from."""
NETWORK_SOURCE = "network"
MAX_BYTES = 5_000_000
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
    "easting": ("easting", "eastings", "x", "bngx"),
    "northing": ("northing", "northings", "y", "bngy"),
    "category": ("category", "anchorcategory", "categorykey"),
    "subtype": ("subtype", "sitetype"),
    "address": ("address", "address1", "addressline1", "streetaddress"),
}
"""Field -> accepted headers, compared in lower case with spaces and punctuation removed."""

_HEADER_NORM = re.compile(r"[^a-z0-9]")
_MARKUP = re.compile(r"[<>]")


@dataclass
class RowProblem:
    """One finding about the file: ``row`` is the line number in the file (0: the whole file)."""

    row: int
    column: str
    problem: str
    action: str


@dataclass
class NetworkReport:
    filename: str
    rows_read: int = 0
    kept: int = 0
    encoding: str = "utf-8"
    problems: list[RowProblem] = field(default_factory=list)

    def add(self, row: int, column: str, problem: str, action: str) -> None:
        self.problems.append(RowProblem(row, column, problem, action))

    def frame(self) -> pd.DataFrame:
        """The findings as a table: row, column, problem, action."""
        return pd.DataFrame([vars(p) for p in self.problems], columns=["row", "column", "problem", "action"])

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
        MAX_BYTES,
        empty_advice="it needs a header row (e.g. name,postcode) and one row per site.",
    )
    return raw


def _decode(raw: bytes, filename: str, report: NetworkReport) -> str:
    if not raw.startswith(UTF16_BOMS) and looks_binary(raw):
        msg = (
            f"The file {filename} is not a text CSV file (it contains binary data, e.g. an Excel workbook). "
            "Save it as 'CSV UTF-8' and try again."
        )
        raise AnchorMapError(msg)
    try:
        decoded = decode_text(raw, fallbacks=("cp1252",), utf16=True)
    except UnicodeDecodeError as exc:
        msg = (
            f"The file {filename} is neither UTF-8 nor Windows-1252 text (byte {exc.start}). "
            "Save it as 'CSV UTF-8' and try again."
        )
        raise AnchorMapError(msg) from None
    if decoded.encoding == "utf-16":
        report.encoding = "utf-16"
        report.add(0, "", "the file is UTF-16 text", "read it as UTF-16")
    if decoded.encoding == "cp1252":
        report.encoding = "cp1252"
        report.add(0, "", "the file is not UTF-8", "read it as Windows-1252 (cp1252); check accented letters")
    return decoded.text


def _records(text: str, filename: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, values) of every non-blank row."""
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for record in csv_rows(text):
            if is_blank_row(record.cells):
                continue
            if header is None:
                header = record.cells
            else:
                rows.append((record.line, record.cells))
                if len(rows) > MAX_ROWS:
                    msg = f"The file {filename} has more than {MAX_ROWS} rows; split it into smaller files."
                    raise AnchorMapError(msg)
    except CsvSyntaxError as exc:
        msg = f"The file {filename} is not valid CSV near line {exc.line}: {exc.reason}."
        raise AnchorMapError(msg) from None
    if header is None:
        msg = f"The file {filename} has no header row."
        raise AnchorMapError(msg)
    return header, rows


def match_columns(header: list[str]) -> dict[str, int]:
    """Field -> column index for the recognised headers (first match wins)."""
    norm = [_HEADER_NORM.sub("", h.lower()) for h in header]
    found: dict[str, int] = {}
    for fieldname, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            if alias in norm and norm.index(alias) not in found.values():
                found[fieldname] = norm.index(alias)
                break
    return found


def category_key(text: str) -> str | None:
    """Category key for a key or label in any case ("Libraries", "higher further education"), else None."""
    wanted = _HEADER_NORM.sub("", text.lower())
    for key, cat in CATEGORIES.items():
        if wanted in (_HEADER_NORM.sub("", key.lower()), _HEADER_NORM.sub("", cat.label.lower())):
            return key
    return None


# --- locating a row -------------------------------------------------------------------------


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _locate_by_coordinates(x: float, y: float, london: LondonArea) -> tuple[float, float, str] | None:
    """(easting, northing, note) for a coordinate pair (x: longitude or easting), in either order.

    Degrees or metres, and the order, are told by range (:func:`anchormap.geo.coordinates.read_pair`).
    None when the pair does not fall in Greater London.
    """
    try:
        pair = read_pair(x, y)
    except ValueError:
        return None
    if not london.contains(pair.easting, pair.northing):
        return None
    if not pair.swapped:
        return pair.easting, pair.northing, ""
    what = "latitude and longitude" if pair.system == "wgs84" else "easting and northing"
    return pair.easting, pair.northing, f"{what} look swapped"


def read_network_csv(
    data: bytes | str | Path, filename: str, postcodes_df: pd.DataFrame, boroughs: gpd.GeoDataFrame | None = None
) -> tuple[gpd.GeoDataFrame, NetworkReport]:
    """A network's own list of sites as an anchors-schema GeoDataFrame (EPSG:27700) and a report.

    ``data``: the file's bytes or a path; ``filename``: shown in messages; ``postcodes_df``:
    the ``postcodes`` layer; ``boroughs``: the ``boroughs`` layer (loaded when None).
    Coordinates win over a postcode when both are given and the coordinates lie in London.
    Raises AnchorMapError for problems with the whole file (empty, not text, no name column,
    no postcode or coordinate columns), :class:`~anchormap.errors.UnreadableFileError` naming the
    file for any unforeseen failure; problems with single rows go into the report.
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
    if boroughs is None:
        from anchormap.data.build import load_layer

        boroughs = load_layer("boroughs")
    report = NetworkReport(filename)
    text = _decode(_read_bytes(data, filename), filename, report)
    header, rows = _records(text, filename)
    cols = match_columns(header)
    if "name" not in cols:
        msg = (
            f"The file {filename} has no name column: its columns are {', '.join(repr(h) for h in header)}. "
            "Call one of them 'name'."
        )
        raise AnchorMapError(msg)
    has_coords = ("lat" in cols and "lon" in cols) or ("easting" in cols and "northing" in cols)
    if "postcode" not in cols and not has_coords:
        msg = (
            f"The file {filename} has no postcode column and no coordinate columns (latitude and "
            "longitude, or easting and northing): add one of them."
        )
        raise AnchorMapError(msg)
    lookup = postcodes_df.set_index("postcode_key")[["easting", "northing"]]
    london = LondonArea(boroughs, LONDON_TOLERANCE_M)
    report.rows_read = len(rows)
    kept = [
        r
        for r in (_read_row(line, values, header, cols, lookup, london, report, filename) for line, values in rows)
        if r is not None
    ]
    if not kept:
        return empty_network(), report
    frame = complete_coordinates(pd.DataFrame(kept).assign(lat=np.nan, lon=np.nan, coords="bng"))
    points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["easting"], frame["northing"]), crs=BNG)
    points = assign_boroughs(points, boroughs)
    for line, name in points.loc[points["borough_code"] == "", ["_line", "name"]].itertuples(index=False):
        report.add(int(line), "postcode", f"the site '{name}' is outside Greater London", "row skipped")
    points = points[points["borough_code"] != ""]
    report.kept = len(points)
    return gpd.GeoDataFrame(points[ANCHOR_COLUMNS], geometry="geometry", crs=BNG).reset_index(drop=True), report


def _read_row(
    line: int,
    values: list[str],
    header: list[str],
    cols: dict[str, int],
    lookup: pd.DataFrame,
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
        report.add(line, col("name"), "the name is empty", "row skipped")
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
    located = _locate(line, get, col, lookup, london, report)
    if located is None:
        return None
    e, n, provenance = located
    postcode_text = get("postcode")
    return {
        "_line": line,
        "anchor_id": f"{NETWORK_SOURCE}:{line}",
        "name": name,
        "category": category,
        "subtype": get("subtype") or "Network member",
        "organisation": get("organisation"),
        "address": get("address"),
        "postcode": format_postcode(postcode_text) if is_full_postcode(postcode_text) else postcode_text,
        "status": "open",
        "easting": e,
        "northing": n,
        "source": NETWORK_SOURCE,
        "source_record_id": str(line),
        "licence": "supplied by the network",
        "provenance": f"uploaded in {filename}" + (f"; {provenance}" if provenance else ""),
    }


def _locate(line, get, col, lookup, london, report) -> tuple[float, float, str] | None:
    """(easting, northing, provenance note) of a row from its coordinates, else its postcode."""
    coord_problem = None
    for y_field, x_field in (("lat", "lon"), ("northing", "easting")):
        ytext, xtext = get(y_field), get(x_field)
        if not ytext and not xtext:
            continue
        where = f"{col(y_field)}, {col(x_field)}"
        y, x = _number(ytext), _number(xtext)
        if y is None or x is None:
            coord_problem = (where, f"coordinates '{ytext}', '{xtext}' are not two numbers")
            break
        found = _locate_by_coordinates(x, y, london)
        if found is None:
            coord_problem = (where, f"coordinates {ytext}, {xtext} are outside Greater London")
            break
        e, n, note = found
        if note:
            report.add(line, where, note, "swapped them")
        return e, n, ""
    postcode_text = get("postcode")
    fallback = "used the postcode instead" if postcode_text else "row skipped"
    if coord_problem:
        report.add(line, coord_problem[0], coord_problem[1], fallback)
    if not postcode_text:
        if not coord_problem:
            report.add(line, col("postcode"), "no postcode and no coordinates", "row skipped")
        return None
    key = postcode_key(postcode_text)
    if not is_full_postcode(postcode_text):
        problem = (
            f"'{postcode_text}' is only an outward code, not a full postcode"
            if is_outward_code(postcode_text)
            else f"'{postcode_text}' is not a valid UK postcode"
        )
        report.add(line, col("postcode"), problem, "row skipped")
        return None
    if key not in lookup.index:
        report.add(
            line,
            col("postcode"),
            f"postcode {format_postcode(key)} is not in the Greater London postcode list (OS Code-Point Open)",
            "row skipped",
        )
        return None
    if postcode_text != format_postcode(key):
        report.add(line, col("postcode"), f"postcode written as '{postcode_text}'", f"read as {format_postcode(key)}")
    e, n = lookup.loc[key, ["easting", "northing"]]
    return float(e), float(n), "located at its postcode (OS Code-Point Open)"


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
    from anchormap.data.layers.readers import read_table
    from anchormap.data.sources import resolve

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
