"""Layer ``anchors``: every anchor site from every anchor dataset, in one schema.

GeoDataFrame, EPSG:27700 (British National Grid, metres), Point geometry, one row per site:

==================  =====================================================================
anchor_id           "<source dataset id>:<source record id>", unique
name                site name as published (capitals tidied for NHS registers)
category            key of :data:`anchormap.categories.CATEGORIES`
subtype             e.g. "NHS hospital", "Sixth form college", "Library", "Fire station"
organisation        parent trust, company, governing body or local authority; may be ""
address             address lines joined with ", " (may be "")
postcode            canonical ("SE6 4RU"), may be ""
borough_code        E09 code of the London borough the point lies in (spatial join)
borough_name        its name
status              "open" or "closed"
lat, lon            WGS84 (EPSG:4326) degrees
easting, northing   British National Grid (EPSG:27700) metres
source              dataset id in data/sources.toml
source_record_id    the record's id in that dataset (ODS code, URN, museum id, OSM id...;
                    a name slug where the file has no id)
licence             the dataset's licence (from the manifest)
provenance          "" or caveats joined with "; ": "unverified provenance", "postcode-sector
                    fallback geocode", "approximate position from the building's published
                    coordinates", "postcode corrected from a typing error in the source"
                    (:mod:`anchormap.data.layers.anchor_sources`; in words:
                    :data:`anchormap.words.PROVENANCE_WORDS`)
sector              who runs the site, in words (:data:`anchormap.categories.SECTORS`: "NHS",
                    "Independent", "Local authority", "Academy trust"...), from the source's
                    own fields (see :mod:`anchormap.data.layers.anchor_sources`)
position_check      "" when the published point and the postcode agree, else what the check
                    found and did, in words ("Placed at its postcode E2 9RF: the published
                    map point is 4.3 km away, in the same borough; ...")
position_moved_m    metres the site was moved by the check (0.0 when not moved)
edition             the dataset's date in words, from the manifest (``as_of``: "2016/17")
edition_date        the dataset's edition date as ISO text "YYYY-MM-DD" ("" when unknown)
geometry            Point, EPSG:27700
==================  =====================================================================

Position check (every site with coordinates and a postcode OS Code-Point Open has): the
published point is compared with the postcode's Code-Point point, in British National Grid
metres. When they are more than :data:`POSITION_CHECK_M` (1 km) apart the site is flagged and
placed at the more trustworthy of the two, decided by evidence in the data, in this order:

1. a published point outside London (more than :data:`LONDON_TOLERANCE_M` outside every
   borough) loses to the postcode (Code-Point London postcodes are all in London);
2. the borough the source itself states (Mapping Museums' ``borough``, GIAS ``la_name``,
   the Arts Council's library service, a council headquarters' own authority): when exactly
   one of the two points lies in it, that point wins;
3. a published point that is itself a postcode-sector fallback geocode (``provenance``)
   loses to the full postcode;
4. otherwise the postcode wins: it is part of the address the source keeps, which is
   updated when a site moves (the Vagina Museum's record has its new Bethnal Green
   postcode and its old map point), and Code-Point places it among that postcode's
   delivery addresses.

The reason is in ``position_check``, the distance moved in ``position_moved_m``, and
``anchormap anchors report`` lists every flagged site. Postcodes Code-Point does not have
(retired or outside London) are not checked.

Coordinates: the file's own pair is kept ("bng" or "wgs84", see
:mod:`anchormap.data.layers.anchor_sources`) and the other pair is computed with pyproj.
Sites more than :data:`LONDON_TOLERANCE_M` metres outside every London borough are dropped
and counted; rows without usable coordinates are listed in the build report (the Harrow
Council Hub, whose source gives no postcode). Sites placed approximately (a provenance caveat
of :data:`anchormap.data.layers.anchor_sources.APPROXIMATE_NOTES`: a postcode-sector fallback
geocode, or coordinates published for the building where its postcode is not a live one) are
kept, and the report lists them with the reason in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

import anchormap.data.layers.anchor_sources as anchor_sources
from anchormap.categories import CATEGORIES
from anchormap.crs import BNG, bng_to_wgs84, wgs84_to_bng
from anchormap.data.layers.boundaries import build_boroughs
from anchormap.data.layers.postcodes import build_postcodes
from anchormap.data.sources import load_manifest, resolve

ANCHOR_COLUMNS = [
    "anchor_id",
    "name",
    "category",
    "subtype",
    "organisation",
    "address",
    "postcode",
    "borough_code",
    "borough_name",
    "status",
    "lat",
    "lon",
    "easting",
    "northing",
    "source",
    "source_record_id",
    "licence",
    "provenance",
    "sector",
    "position_check",
    "position_moved_m",
    "edition",
    "edition_date",
    "geometry",
]
ANCHOR_SOURCES: tuple[str, ...] = tuple(anchor_sources.READERS)
LAYER_INPUTS: tuple[str, ...] = (*ANCHOR_SOURCES, "boroughs", "postcodes", "ncdr_locations")
POSITION_CHECK_M = 1000.0
"""A published point farther than this (metres, EPSG:27700) from its postcode's point is flagged."""
LONDON_TOLERANCE_M = 50.0
"""Points up to this distance (metres) outside the borough polygons (riverside sites) are kept
and given the nearest borough."""
EMPTY_CATEGORY_NOTE = "{label}: no sites in the layer (no dataset of the mirror gives this category any)."
"""The build report's note for a category of :data:`anchormap.categories.CATEGORIES` with no sites."""


@dataclass
class SourceReport:
    """What happened to one dataset's rows. Lists hold (record id, name[, reason]).

    Attributes
    ----------
    source : str
        The dataset id.
    rows_read : int
        Rows its reader returned.
    kept : int
        Rows in the layer.
    outside_london : list of (str, str)
        Rows dropped for lying more than :data:`LONDON_TOLERANCE_M` metres outside every
        borough.
    no_coordinates : list of (str, str)
        Rows dropped for having no usable coordinates.
    duplicates : list of (str, str, str)
        Rows dropped as duplicates of another dataset's site, with the reason.
    position_flags : list of (str, str, str, float, str)
        Sites whose published point is more than :data:`POSITION_CHECK_M` metres from their
        postcode's point: (record id, name, kind, distance in metres, what was done and why).
    sector_overrides : list of (str, str, str, str)
        Sites whose sector differs from a field of the file that the layer does not follow:
        (record id, name, what that field says, why).
    approximate : list of (str, str, str)
        Sites in the layer whose point is approximate (a caveat of
        :data:`anchormap.data.layers.anchor_sources.APPROXIMATE_NOTES` in ``provenance``):
        (record id, name, the caveat in words).
    """

    source: str
    rows_read: int = 0
    kept: int = 0
    outside_london: list[tuple[str, str]] = field(default_factory=list)
    no_coordinates: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)
    position_flags: list[tuple[str, str, str, float, str]] = field(default_factory=list)
    sector_overrides: list[tuple[str, str, str, str]] = field(default_factory=list)
    approximate: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def accounted(self) -> int:
        """Rows kept or dropped for a listed reason (equals ``rows_read`` when none is lost).

        Returns
        -------
        int
            ``kept`` plus the rows outside London, without coordinates and duplicated.
        """
        return self.kept + len(self.outside_london) + len(self.no_coordinates) + len(self.duplicates)


@dataclass
class AnchorsReport:
    """The build report of the anchors layer: per source and per category.

    Attributes
    ----------
    sources : dict of str to SourceReport
        One report per anchor dataset.
    category_counts : dict of str to int
        Sites (open and closed) per key of :data:`anchormap.categories.CATEGORIES`, 0 for
        a category with none.
    notes : list of str
        Caveats, such as a category with no sites (:data:`EMPTY_CATEGORY_NOTE`).
    """

    sources: dict[str, SourceReport]
    category_counts: dict[str, int]
    notes: list[str]

    def summary(self) -> pd.DataFrame:
        """One row per source: rows read, kept, dropped outside London, without coordinates, duplicates.

        Returns
        -------
        pandas.DataFrame
            Columns ``source``, ``rows_read``, ``kept``, ``outside_london``,
            ``no_coordinates``, ``duplicates``, ``position_flagged``, ``approximate`` (counts of
            rows).
        """
        return pd.DataFrame(
            [
                {
                    "source": r.source,
                    "rows_read": r.rows_read,
                    "kept": r.kept,
                    "outside_london": len(r.outside_london),
                    "no_coordinates": len(r.no_coordinates),
                    "duplicates": len(r.duplicates),
                    "position_flagged": len(r.position_flags),
                    "approximate": len(r.approximate),
                }
                for r in self.sources.values()
            ]
        )

    def problems(self) -> pd.DataFrame:
        """Every row not in the layer: source, record id, name, problem, what was done.

        Returns
        -------
        pandas.DataFrame
            Columns ``source``, ``source_record_id``, ``name``, ``problem`` (e.g. "more than
            50 m outside Greater London") and ``action`` ("dropped" or "dropped as
            duplicate"); no rows when nothing was dropped.
        """
        rows = []
        for r in self.sources.values():
            rows += [
                {
                    "source": r.source,
                    "source_record_id": i,
                    "name": n,
                    "problem": f"more than {LONDON_TOLERANCE_M:.0f} m outside Greater London",
                    "action": "dropped",
                }
                for i, n in r.outside_london
            ]
            rows += [
                {
                    "source": r.source,
                    "source_record_id": i,
                    "name": n,
                    "problem": "no usable coordinates",
                    "action": "dropped",
                }
                for i, n in r.no_coordinates
            ]
            rows += [
                {"source": r.source, "source_record_id": i, "name": n, "problem": why, "action": "dropped as duplicate"}
                for i, n, why in r.duplicates
            ]
        return pd.DataFrame(rows, columns=["source", "source_record_id", "name", "problem", "action"])

    @property
    def position_flagged(self) -> int:
        """Sites flagged by the position check, all datasets together."""
        return sum(len(r.position_flags) for r in self.sources.values())

    def position_checks(self) -> pd.DataFrame:
        """Every site the position check flagged: name, kind, source, distance, reason.

        Returns
        -------
        pandas.DataFrame
            Columns ``source``, ``source_record_id``, ``name``, ``kind`` (the sub-type),
            ``distance_m`` (metres between the published point and the postcode's point,
            EPSG:27700) and ``reason`` (the layer's ``position_check`` text); no rows when
            no site was flagged.
        """
        rows = [
            {"source": r.source, "source_record_id": i, "name": n, "kind": k, "distance_m": round(d, 1), "reason": why}
            for r in self.sources.values()
            for i, n, k, d, why in r.position_flags
        ]
        return pd.DataFrame(rows, columns=["source", "source_record_id", "name", "kind", "distance_m", "reason"])

    def approximate_sites(self) -> pd.DataFrame:
        """Every site in the layer placed approximately: source, record id, name, reason.

        Returns
        -------
        pandas.DataFrame
            Columns ``source``, ``source_record_id``, ``name`` and ``reason`` (the provenance
            caveat in words, e.g. "placed at the middle of its postcode sector (no exact
            position)"); no rows when none is approximate.
        """
        rows = [
            {"source": r.source, "source_record_id": i, "name": n, "reason": why}
            for r in self.sources.values()
            for i, n, why in r.approximate
        ]
        return pd.DataFrame(rows, columns=["source", "source_record_id", "name", "reason"])

    def text(self) -> str:
        """The report as plain text for the command line.

        Returns
        -------
        str
            The summary table, sites per category, the rows not in the layer (when any) and
            the notes (when any), one item a line.
        """
        lines = [
            "Anchors layer build report",
            "",
            self.summary().to_string(index=False),
            "",
            "Sites per category (open and closed):",
        ]
        lines += [f"  {key:26} {self.category_counts.get(key, 0):6}" for key in CATEGORIES]
        problems = self.problems()
        if len(problems):
            lines += ["", f"Rows not in the layer ({len(problems)}):"]
            lines += ["  " + " | ".join(str(v) for v in row) for row in problems.itertuples(index=False)]
        checks = self.position_checks()
        lines += [
            "",
            f"Position check: {len(checks)} site(s) more than {POSITION_CHECK_M / 1000:.0f} km from their "
            "postcode's OS Code-Point Open point",
        ]
        if len(checks):
            per = checks.groupby("source").size()
            lines += [f"  {ds:26} {int(n):6}" for ds, n in per.items()]
            lines += [
                f"  {r.name} | {r.kind} | {r.source} | {r.distance_m / 1000:.1f} km | {r.reason}"
                for r in checks.itertuples(index=False)
            ]
        approx = self.approximate_sites()
        if len(approx):
            lines += ["", f"Placed approximately ({len(approx)} site(s) in the layer):"]
            lines += [f"  {ds:26} {int(n):6}" for ds, n in approx.groupby("source").size().items()]
            lines += [
                f"  placed approximately: {r.name} | {r.source} | {r.reason}" for r in approx.itertuples(index=False)
            ]
        overrides = [(r.source, *o) for r in self.sources.values() for o in r.sector_overrides]
        if overrides:
            lines += ["", f"Sector not taken from the file's own Sector field ({len(overrides)}):"]
            lines += [f"  {n} | {ds} | file says '{said}' | {why}" for ds, _i, n, said, why in overrides]
        if self.notes:
            lines += ["", "Notes:"] + [f"  {n}" for n in self.notes]
        return "\n".join(lines)


def complete_coordinates(df: pd.DataFrame) -> pd.DataFrame:
    """Fill easting/northing from lat/lon or the reverse, per row, from the file's own pair.

    ``coords`` names the file's own pair ("bng" or "wgs84"); when it is missing or not finite
    the other pair is used if present. Rows with neither keep NaN everywhere.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows with ``coords``, ``easting``/``northing`` (British National Grid, EPSG:27700,
        metres) and ``lat``/``lon`` (WGS84, EPSG:4326, degrees), as float.

    Returns
    -------
    pandas.DataFrame
        A copy with both pairs filled from the pair used (the pair used is kept as it
        was); NaN in all four for rows with no finite pair.

    Examples
    --------
    >>> df = pd.DataFrame({"coords": ["bng", "wgs84"], "easting": [530000.0, np.nan],
    ...                    "northing": [180000.0, np.nan], "lat": [np.nan, np.nan], "lon": [np.nan, np.nan]})
    >>> out = complete_coordinates(df)
    >>> out.loc[0, ["lon", "lat"]].astype(float).round(5).tolist()
    [-0.12835, 51.50399]
    >>> bool(out.loc[1, ["easting", "northing", "lat", "lon"]].isna().all())
    True
    """
    out = df.copy()
    bng_ok = np.isfinite(out["easting"]) & np.isfinite(out["northing"])
    wgs_ok = np.isfinite(out["lat"]) & np.isfinite(out["lon"])
    from_bng = bng_ok & ((out["coords"] == "bng") | ~wgs_ok)
    from_wgs = wgs_ok & ~from_bng
    if from_bng.any():
        lon, lat = bng_to_wgs84(out.loc[from_bng, "easting"], out.loc[from_bng, "northing"])
        out.loc[from_bng, "lon"], out.loc[from_bng, "lat"] = lon, lat
    if from_wgs.any():
        e, n = wgs84_to_bng(out.loc[from_wgs, "lon"], out.loc[from_wgs, "lat"])
        out.loc[from_wgs, "easting"], out.loc[from_wgs, "northing"] = e, n
    none = ~(from_bng | from_wgs)
    out.loc[none, ["easting", "northing", "lat", "lon"]] = np.nan
    return out


def _borough_codes(names: pd.Series, boroughs: gpd.GeoDataFrame) -> pd.Series:
    """E09 codes of borough names as sources write them (any case, "&" for "and") or of E09
    codes themselves; "" if none."""
    by_name = {n.casefold(): c for n, c in zip(boroughs["borough_name"], boroughs["borough_code"], strict=True)}
    by_name |= {c.casefold(): c for c in boroughs["borough_code"]}
    return names.fillna("").map(lambda n: by_name.get(str(n).strip().casefold().replace("&", "and"), ""))


def check_positions(
    frame: pd.DataFrame, postcodes, boroughs: gpd.GeoDataFrame, limit_m: float = POSITION_CHECK_M
) -> pd.DataFrame:
    """Compare each site's published point with its postcode's point and place it by the module's rule.

    Parameters
    ----------
    frame : pandas.DataFrame
        Reader rows after :func:`complete_coordinates`: ``postcode``, ``easting``/``northing``
        (British National Grid, EPSG:27700, metres), ``lat``/``lon`` (WGS84, degrees),
        ``provenance`` and ``stated_borough`` (the borough the source states, or "").
    postcodes : pandas.DataFrame or anchormap.geo.postcodes.PostcodeIndex
        The ``postcodes`` table (:func:`anchormap.data.layers.postcodes.build_postcodes`) or
        the one lookup built on it, :class:`anchormap.geo.postcodes.PostcodeIndex` (pass the
        index when checking several frames: it is built once).
    boroughs : geopandas.GeoDataFrame
        Borough polygons (EPSG:27700) with ``borough_code`` and ``borough_name``.
    limit_m : float, optional
        Distance in metres above which a site is flagged (default :data:`POSITION_CHECK_M`).

    Returns
    -------
    pandas.DataFrame
        A copy with ``position_check`` (reason in words, "" when not flagged),
        ``position_moved_m`` (metres, 0.0 when not moved) and ``position_distance_m``
        (metres between the two points, NaN when not compared); sites placed at their
        postcode have its easting/northing and lat/lon.
    """
    from anchormap.geo.postcodes import PostcodeIndex  # geo imports the build runner: import late

    out = frame.copy()
    out["position_check"] = ""
    out["position_moved_m"] = 0.0
    out["position_distance_m"] = np.nan
    index = postcodes if isinstance(postcodes, PostcodeIndex) else PostcodeIndex(postcodes, "")
    keys = out["postcode"].map(lambda p: p.replace(" ", "").upper() if isinstance(p, str) else "")
    pos = index.by_key.index.get_indexer(keys.to_numpy(dtype=object))  # -1: not in Code-Point
    has = pd.Series(pos >= 0, index=out.index) & out["easting"].notna()
    if not has.any():
        return out
    at = index.by_key.iloc[pos[has.to_numpy()]][["postcode", "easting", "northing", "lat", "lon", "borough_code"]]
    at.index = out.index[has]
    dist = np.hypot(out.loc[has, "easting"] - at["easting"], out.loc[has, "northing"] - at["northing"])
    out.loc[has, "position_distance_m"] = dist
    far = dist[dist > limit_m].index
    if not len(far):
        return out
    names = dict(zip(boroughs["borough_code"], boroughs["borough_name"], strict=True))
    published = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(out.loc[far, "easting"], out.loc[far, "northing"]), index=far, crs=BNG
    )
    pub_code = assign_boroughs(published, boroughs)["borough_code"]
    stated = _borough_codes(out.loc[far, "stated_borough"], boroughs)
    for i in far:
        pc, km, p_code, s_code = at.at[i, "postcode"], dist[i] / 1000, pub_code[i], stated[i]
        c_code = at.at[i, "borough_code"]
        if not p_code:
            where, use_postcode, why = "outside London", True, ""
        else:
            where = "in the same borough" if p_code == c_code else f"in another borough ({names.get(p_code, p_code)})"
            use_postcode, why = True, "the postcode is part of the address the source keeps"
            if s_code and (p_code == s_code) != (c_code == s_code):
                use_postcode = c_code == s_code
                why = f"the source gives {names.get(s_code, s_code)} as its borough"
            elif anchor_sources.SECTOR_FALLBACK_NOTE in str(out.at[i, "provenance"]):
                why = "the published point is only a postcode-sector fallback geocode"
        if use_postcode:
            text = f"Placed at its postcode {pc}: the published map point is {km:.1f} km away, {where}"
            out.loc[i, ["easting", "northing", "lat", "lon"]] = at.loc[
                i, ["easting", "northing", "lat", "lon"]
            ].to_numpy(dtype=float)
            out.at[i, "position_moved_m"] = round(float(dist[i]), 1)
        else:
            other = "the same borough" if p_code == c_code else names.get(c_code, c_code)
            text = f"Kept at the published map point: its postcode {pc} is {km:.1f} km away, in {other}"
        out.at[i, "position_check"] = text + (f"; {why}" if why else "")
    return out


def assign_boroughs(
    points: gpd.GeoDataFrame, boroughs: gpd.GeoDataFrame, tolerance_m: float = LONDON_TOLERANCE_M
) -> gpd.GeoDataFrame:
    """``points`` with borough_code/borough_name of the borough each lies in (EPSG:27700).

    A point within ``tolerance_m`` metres of a borough but inside none gets the nearest one;
    points farther out get empty strings (callers drop them as outside London).

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Points in British National Grid (EPSG:27700).
    boroughs : geopandas.GeoDataFrame
        Borough polygons in EPSG:27700 with ``borough_code`` and ``borough_name``.
    tolerance_m : float, optional
        Largest distance in metres outside every borough at which a point still gets the
        nearest one (default :data:`LONDON_TOLERANCE_M`, 50 m).

    Returns
    -------
    geopandas.GeoDataFrame
        ``points`` with ``borough_code`` and ``borough_name`` (``""`` when farther out),
        one row per point (the first borough on a tie).
    """
    joined = gpd.sjoin_nearest(
        points, boroughs[["borough_code", "borough_name", "geometry"]], how="left", max_distance=tolerance_m
    )
    joined = joined[~joined.index.duplicated(keep="first")].drop(columns="index_right")
    joined[["borough_code", "borough_name"]] = joined[["borough_code", "borough_name"]].fillna("")
    return joined


def build_anchors_with_report(paths: dict[str, Path]) -> tuple[gpd.GeoDataFrame, AnchorsReport]:
    """The anchors layer and its build report. ``paths``: dataset id -> file (see LAYER_INPUTS).

    Parameters
    ----------
    paths : dict of str to pathlib.Path
        Resolved files of every dataset in :data:`LAYER_INPUTS` (the anchor datasets and
        ``boroughs``). The manifest is read for each dataset's licence.

    Returns
    -------
    layer : geopandas.GeoDataFrame
        The ``anchors`` layer (columns :data:`ANCHOR_COLUMNS`, points in British National
        Grid, EPSG:27700), re-indexed from 0. Duplicates across datasets, rows without
        coordinates and sites more than :data:`LONDON_TOLERANCE_M` metres outside London
        are left out.
    report : AnchorsReport
        What happened to every dataset's rows.

    Raises
    ------
    DataSourceError
        When a file cannot be read or lacks a column, or the manifest cannot be read.
    """
    manifest = load_manifest()
    boroughs = build_boroughs({"boroughs": paths["boroughs"]}).to_crs(BNG)
    from anchormap.geo.postcodes import PostcodeIndex  # geo imports the build runner: import late

    postcodes = PostcodeIndex(build_postcodes({"postcodes": paths["postcodes"]}), "")
    frames = {ds: anchor_sources.READERS[ds](paths[ds]) for ds in ANCHOR_SOURCES}
    trusts = set(anchor_sources.read_trust_register(paths["ncdr_locations"])["code"])
    frames["hospitals"], sector_overrides = anchor_sources.hospital_sectors(
        frames["hospitals"], trusts, set(frames["nhs_trusts"]["source_record_id"].str.upper())
    )
    duplicate_masks = anchor_sources.he_duplicates(frames)
    reports: dict[str, SourceReport] = {}
    kept_frames = []
    for ds, frame in frames.items():
        report = reports[ds] = SourceReport(ds, rows_read=len(frame))
        if ds == "hospitals":
            report.sector_overrides = sector_overrides
        meta = manifest.get(ds)
        frame = frame.assign(
            source=ds,
            licence=meta.licence if meta else "",
            edition=meta.as_of if meta else "",
            edition_date=meta.edition_date.isoformat() if meta and meta.edition_date else "",
        )
        dup = duplicate_masks.get(ds, pd.Series(False, index=frame.index))
        report.duplicates = [(r.source_record_id, r.name, _duplicate_reason(ds)) for r in frame[dup].itertuples()]
        frame = complete_coordinates(frame[~dup])
        missing = frame["easting"].isna()
        report.no_coordinates = list(
            zip(frame.loc[missing, "source_record_id"], frame.loc[missing, "name"], strict=True)
        )
        frame = check_positions(frame[~missing], postcodes, boroughs)
        flagged = frame[frame["position_check"] != ""]
        report.position_flags = [
            (r.source_record_id, r.name, r.subtype, float(r.position_distance_m), r.position_check)
            for r in flagged.itertuples()
        ]
        points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["easting"], frame["northing"]), crs=BNG)
        points = assign_boroughs(points, boroughs)
        outside = points["borough_code"] == ""
        report.outside_london = list(
            zip(points.loc[outside, "source_record_id"], points.loc[outside, "name"], strict=True)
        )
        points = points[~outside]
        report.kept = len(points)
        report.approximate = [
            (r.source_record_id, r.name, provenance_in_words(r.provenance))
            for r in points[points["provenance"].map(is_approximate)].itertuples()
        ]
        kept_frames.append(points)
    layer = pd.concat(kept_frames, ignore_index=True)
    layer["organisation"] = canonical_local_authorities(layer["organisation"], boroughs["borough_name"])
    layer["anchor_id"] = layer["source"] + ":" + layer["source_record_id"]
    layer = gpd.GeoDataFrame(layer[ANCHOR_COLUMNS], geometry="geometry", crs=BNG)
    counts = layer["category"].value_counts().to_dict()
    notes = [EMPTY_CATEGORY_NOTE.format(label=c.label) for key, c in CATEGORIES.items() if counts.get(key, 0) == 0]
    return layer.reset_index(drop=True), AnchorsReport(reports, {k: int(counts.get(k, 0)) for k in CATEGORIES}, notes)


LOCAL_AUTHORITY_SUFFIX = " (local authority)"


def canonical_local_authorities(organisation: pd.Series, borough_names: pd.Series) -> pd.Series:
    """Spell "<borough> (local authority)" organisations as the boroughs layer does.

    Sources disagree on case ("Kingston Upon Thames"); one spelling keeps one organisation.

    Parameters
    ----------
    organisation : pandas.Series of str
        Organisation names; those not ending in " (local authority)" are left alone, and
        so are those whose place matches no borough (case-insensitively, "&" read as
        "and").
    borough_names : pandas.Series of str
        The boroughs layer's ``borough_name``.

    Returns
    -------
    pandas.Series of str
        The names, same index.

    Examples
    --------
    >>> orgs = pd.Series(["Kingston Upon Thames (local authority)", "Hammersmith & Fulham (local authority)"])
    >>> canonical_local_authorities(orgs, pd.Series(["Kingston upon Thames", "Hammersmith and Fulham"])).tolist()
    ['Kingston upon Thames (local authority)', 'Hammersmith and Fulham (local authority)']
    """
    canonical = {name.casefold(): name for name in borough_names}

    def fix(org: str) -> str:
        if not org.endswith(LOCAL_AUTHORITY_SUFFIX):
            return org
        place = org[: -len(LOCAL_AUTHORITY_SUFFIX)]
        return canonical.get(place.casefold().replace("&", "and"), place) + LOCAL_AUTHORITY_SUFFIX

    return organisation.map(fix)


def is_approximate(provenance: object) -> bool:
    """True when a ``provenance`` value holds a caveat meaning the point is approximate.

    >>> is_approximate("unverified provenance; postcode-sector fallback geocode"), is_approximate("")
    (True, False)
    """
    parts = {p.strip() for p in str(provenance or "").split(";")}
    return any(note in parts for note in anchor_sources.APPROXIMATE_NOTES)


def provenance_in_words(provenance: object) -> str:
    """A ``provenance`` value as people read it (:data:`anchormap.words.PROVENANCE_WORDS`).

    >>> provenance_in_words("postcode-sector fallback geocode")
    'placed at the middle of its postcode sector (no exact position)'
    """
    from anchormap.words import provenance_words  # words reads the manifest through data: import late

    return provenance_words(provenance)


def _duplicate_reason(ds: str) -> str:
    if ds == "schools":
        return "GIAS higher-education institution also listed by Discover Uni (he_providers)"
    return "same postcode as a GIAS further-education or sixth-form college (schools)"


def build_notes(layer: pd.DataFrame) -> list[str]:
    """The build report's lines on the anchors' checks (how many sites the position check flagged).

    Parameters
    ----------
    layer : pandas.DataFrame
        The built ``anchors`` layer.

    Returns
    -------
    list of str
        One line: sites flagged and moved by the position check, and where to read them.
    """
    flagged = layer["position_check"] != ""
    moved = layer["position_moved_m"] > 0
    return [
        f"position check flagged {int(flagged.sum())} site(s) more than {POSITION_CHECK_M / 1000:.0f} km from "
        f"their postcode ({int(moved.sum())} placed at the postcode); 'anchormap anchors report' lists them"
    ]


def build_anchors(paths: dict[str, Path]) -> gpd.GeoDataFrame:
    """Layer builder for :data:`anchormap.data.layers.LAYERS` (the layer without its report).

    Parameters
    ----------
    paths : dict of str to pathlib.Path
        As :func:`build_anchors_with_report`.

    Returns
    -------
    geopandas.GeoDataFrame
        The ``anchors`` layer (EPSG:27700 points).

    Raises
    ------
    DataSourceError
        As :func:`build_anchors_with_report`.
    """
    layer, _report = build_anchors_with_report(paths)
    return layer


def anchors_report() -> AnchorsReport:
    """Rebuild the layer from the current sources and return its report (a few seconds).

    The sources are resolved as :func:`anchormap.data.sources.resolve` does (cache, mirror,
    download); the built layer in the cache is not touched.

    Returns
    -------
    AnchorsReport

    Raises
    ------
    DataSourceError
        When a dataset cannot be resolved or read.
    """
    paths = {ds: resolve(ds).path for ds in LAYER_INPUTS}
    return build_anchors_with_report(paths)[1]


def select_anchors(
    anchors: gpd.GeoDataFrame,
    categories: list[str] | None = None,
    include_closed: bool = False,
    subtypes: list[str] | None = None,
) -> gpd.GeoDataFrame:
    """Rows of ``anchors`` in ``categories`` (None: all), open only unless ``include_closed``.

    Parameters
    ----------
    anchors : geopandas.GeoDataFrame
        The anchors layer (or a table with its ``category``, ``status`` and ``subtype``).
    categories : list of str, optional
        Category keys to keep; None means all (keys are not validated here).
    include_closed : bool, optional
        Keep sites whose ``status`` is not ``"open"`` too (default False).
    subtypes : list of str, optional
        Restrict to these subtypes when given.

    Returns
    -------
    geopandas.GeoDataFrame
        The matching rows, with their index and CRS (EPSG:27700).
    """
    keep = pd.Series(True, index=anchors.index)
    if categories is not None:
        keep &= anchors["category"].isin(categories)
    if not include_closed:
        keep &= anchors["status"] == "open"
    if subtypes is not None:
        keep &= anchors["subtype"].isin(subtypes)
    return anchors[keep]
