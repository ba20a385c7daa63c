"""Shared land and property: the built-in registers, in one schema.

Layer ``land_builtin`` (EPSG:27700 points; 1,468 rows from the mirror: 1,079 London
brownfield 2017 + 168 Lewisham brownfield 2019 + 172 NHS ERIC 2016/17 site rows + 39 closed
libraries + 10 closed fire stations). Uploaded registers (:mod:`anchormap.land.ingest`) and the
store (:mod:`anchormap.land.store`) use the same schema, defined in :mod:`anchormap.land.schema`:

=================================  ==========================================================
``asset_id``                       unique id: ``<source>:<record id in the source>``
``name``, ``address``              as published (text; HTML is never interpreted)
``postcode``                       canonical form ("SE6 4RU") when known
``uprn``                           Unique Property Reference Number when known
``owner_organisation``             who owns it, when the source says
``owner_type``                     council, nhs, gla_group, central_government, other_public,
                                   private, unknown
``tenure``                         freehold/leasehold or the register's ownership wording
``holding_use``                    what the land or building is / is used for
``site_area_ha``                   site (land) area, hectares
``floor_area_m2``                  gross internal floor area, square metres
``status``                         occupied, vacant, surplus, under_used,
                                   brownfield_available, closed_building, unknown
``empty_floor_area_m2``            empty floor area, m² (ERIC: GIFA × empty %)
``under_used_floor_area_m2``       under-used floor area, m² (ERIC: GIFA × under-used %)
``land_not_delivering_services_ha`` land not delivering services, hectares (ERIC)
``source``                         dataset id (``brownfield_london_2017`` …) or
                                   ``upload:<submission id>``
``source_date``                    date of the record (ISO ``YYYY-MM-DD`` or the year label)
``partner``                        the organisation that supplied the record
``easting``, ``northing``          EPSG:27700, metres (blank when not on the map)
``lat``, ``lon``                   EPSG:4326, degrees (for the map only)
``location_method``                how the point was found (source coordinates, postcode …)
``borough_code``                   ONS code of the London borough containing the point
``on_map``                         False when the asset cannot be placed
``not_on_map_reason``              why not, in words
``edition``                        the dataset's date in words from the manifest (``as_of``:
                                   "2016/17"); "" for uploaded registers (see ``source_date``)
``edition_date``                   that edition's date as ISO text "YYYY-MM-DD"; "" for uploads
``geometry``                       EPSG:27700 point; None when not on the map
=================================  ==========================================================

``edition``/``edition_date`` come after the schema columns (:func:`add_editions`): the store
keeps uploaded registers without them, and an upload's own date stays in ``source_date``.

Quirks handled (see each dataset's SOURCE.md):

- London brownfield 2017: the published coordinates mix WGS84, BNG and geocentric ECEF; the
  mirror's clean file carries normalised ``easting_bng``/``northing_bng``, used here, and
  ``ownership_norm`` for the 15 spellings of ownership.
- Lewisham brownfield 2019: GeoY is latitude, GeoX longitude. Rows whose point falls outside
  Lewisham, or that share the exact point of a much smaller, differently named site, have
  wrong coordinates in the source: they are kept in the table, not placed on the map, and the
  reason says what is wrong. Nothing is moved. Rows with an ``EndDate`` (site completed) are
  ``occupied``, the rest ``brownfield_available``.
- NHS ERIC 2016/17 has no coordinates: each site is placed through its ODS site code when the
  NHS website hospital list (``hospitals``) has that code; otherwise it is listed as not on
  the map. ``AGGRE`` rows (a trust's small sites added together) are not places.
- Closed libraries: ``operation_23 == "Closed"`` in the Arts Council 2023 dataset.
- Closed fire stations: the ten stations closed in January 2014 (the last ten rows of the LFB
  list, named in :data:`CLOSED_FIRE_STATIONS`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from anchormap.crs import wgs84_to_bng
from anchormap.data.layers.readers import read_table
from anchormap.errors import DataSourceError
from anchormap.geo.postcode_text import format_postcode, is_full_postcode
from anchormap.land.schema import brownfield_ownership, finalise

LEWISHAM = "E09000023"
CLOSED_FIRE_STATIONS = (
    "Belsize",
    "Bow",
    "Clerkenwell",
    "Downham",
    "Kingsland",
    "Knightsbridge",
    "Silvertown",
    "Southwark",
    "Westminster",
    "Woolwich",
)
#: Two differently named sites sharing one exact point: the larger is misplaced when it is at
#: least this many times the area of the smaller (a big site cannot sit on a small one's point).
SHARED_POINT_AREA_RATIO = 10.0


def iso_date(text: object) -> str | None:
    """``DD/MM/YYYY`` (UK registers) or ISO text as ``YYYY-MM-DD``; None when blank or unreadable.

    Parameters
    ----------
    text : object
        A date as text. Only its first 10 characters are read, as ``DD/MM/YYYY``,
        ``YYYY-MM-DD``, ``DD-MM-YYYY``, ``YYYY/MM/DD`` or ``DD/MM/YY`` (day first, never
        month first).

    Returns
    -------
    str or None
        The ISO date, or None for None, NaN and text in none of those forms.

    Examples
    --------
    >>> iso_date("09/01/2014")
    '2014-01-09'
    >>> iso_date("2014-01-09T10:30:00")
    '2014-01-09'
    >>> iso_date("Jan 2014") is None
    True
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    s = str(text).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%Y/%m/%d", "%d/%m/%y"):
        try:
            return datetime.strptime(s[:10], fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _postcode(value: object) -> str | None:
    return format_postcode(value) if is_full_postcode(value) else None


def build_brownfield_london_2017(path: Path) -> pd.DataFrame:
    """The GLA combined London Brownfield Register 2017 (1,079 rows) in the land schema.

    Parameters
    ----------
    path : pathlib.Path
        The mirror's clean CSV (dataset ``brownfield_london_2017``), with the normalised
        ``easting_bng``/``northing_bng`` and ``ownership_norm`` columns.

    Returns
    -------
    pandas.DataFrame
        Land-schema columns, not yet through :func:`anchormap.land.schema.finalise`
        (missing columns are added there): one row per site, status
        ``brownfield_available``, ``site_area_ha`` in hectares, ``easting``/``northing``
        in British National Grid (EPSG:27700) metres from the normalised columns, owner
        from :func:`anchormap.land.schema.brownfield_ownership`.

    Raises
    ------
    DataSourceError
        When the file cannot be read or lacks a published column.
    """
    cols = [
        "OrganisationLabel",
        "SiteReference",
        "SiteNameAddress",
        "Hectares",
        "OwnershipStatus",
        "PlanningStatus",
        "Deliverable",
        "FirstAddedDate",
        "LastUpdatedDate",
        "easting_bng",
        "northing_bng",
        "ownership_norm",
        "coord_source_kind",
    ]
    df = read_table(path, dataset="brownfield_london_2017", required=cols, dtype={"SiteReference": str})
    owner = df["ownership_norm"].map(brownfield_ownership)
    planning = df["PlanningStatus"].fillna("").str.strip().str.lower()
    out = pd.DataFrame(
        {
            "asset_id": "brownfield_london_2017:" + df["SiteReference"].str.strip(),
            "name": df["SiteNameAddress"].str.strip().str.strip('"'),
            "address": df["SiteNameAddress"].str.strip().str.strip('"'),
            "owner_organisation": owner.map(lambda t: t[1]),
            "owner_type": owner.map(lambda t: t[0]),
            "tenure": df["ownership_norm"],
            "holding_use": "brownfield land" + np.where(planning != "", " (planning: " + planning + ")", ""),
            "site_area_ha": df["Hectares"],
            "status": "brownfield_available",
            "source": "brownfield_london_2017",
            "source_date": df["LastUpdatedDate"].map(iso_date).fillna(df["FirstAddedDate"].map(iso_date)),
            "partner": df["OrganisationLabel"].str.strip(),
            "easting": df["easting_bng"],
            "northing": df["northing_bng"],
            "location_method": "source coordinates (" + df["coord_source_kind"].fillna("unknown") + ", normalised)",
        }
    )
    return out


def build_brownfield_lewisham_2019(path: Path, boroughs: gpd.GeoDataFrame) -> pd.DataFrame:
    """Lewisham's Brownfield Land Register, 2019 update (168 rows) in the land schema.

    Wrong source coordinates are detected, not corrected: see the module docstring.

    Parameters
    ----------
    path : pathlib.Path
        The register CSV (dataset ``brownfield_lewisham_2019``): ``GeoY`` latitude and
        ``GeoX`` longitude in WGS84 (EPSG:4326) degrees.
    boroughs : geopandas.GeoDataFrame
        The ``boroughs`` layer (polygons, EPSG:27700), to find points outside Lewisham.

    Returns
    -------
    pandas.DataFrame
        Land-schema columns, not yet through :func:`anchormap.land.schema.finalise`
        (missing columns are added there): one row per site;
        ``easting``/``northing`` converted to British National Grid (EPSG:27700) metres,
        rounded to 0.1 m. Rows whose point falls outside Lewisham, or that share the exact
        point of a site at least :data:`SHARED_POINT_AREA_RATIO` times smaller with a
        different name, get ``on_map`` False, no coordinates and a
        ``not_on_map_reason``. Status ``occupied`` when the row has an ``EndDate``, else
        ``brownfield_available``.

    Raises
    ------
    DataSourceError
        When the file cannot be read or lacks a published column.
    """
    cols = [
        "SiteReference",
        "SiteNameAddress",
        "GeoY",
        "GeoX",
        "Hectares",
        "OwnershipStatus",
        "PlanningStatus",
        "FirstAddedDate",
        "LastUpdatedDate",
        "EndDate",
        "PA1Status",
    ]
    df = read_table(path, dataset="brownfield_lewisham_2019", required=cols, dtype={"SiteReference": str})
    lat, lon = df["GeoY"].astype(float), df["GeoX"].astype(float)
    e, n = wgs84_to_bng(lon, lat)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(e, n), crs=27700)
    where = gpd.sjoin(pts, boroughs[["borough_code", "borough_name", "geometry"]], how="left", predicate="within")
    where = where[~where.index.duplicated()]
    reasons: list[str | None] = [None] * len(df)
    for i, (code, bname) in enumerate(zip(where["borough_code"], where["borough_name"])):
        if code != LEWISHAM:
            place = f"in {bname}" if isinstance(bname, str) else "outside London"
            reasons[i] = (
                f"source coordinates (lat {lat[i]}, lon {lon[i]}) fall {place}, outside Lewisham, "
                "whose register this is: wrong in the source, so not placed"
            )
    names = df["SiteNameAddress"].str.strip().str.lower()
    area = df["Hectares"].astype(float)
    for _, grp in df.groupby([lat.round(6), lon.round(6)]).groups.items():
        idx = list(grp)
        for i in idx:
            for j in idx:
                if i != j and names[i] != names[j] and area[i] >= SHARED_POINT_AREA_RATIO * area[j] > 0:
                    reasons[i] = reasons[i] or (
                        f"source coordinates (lat {lat[i]}, lon {lon[i]}) are exactly those of "
                        f"{df['SiteReference'][j]} '{df['SiteNameAddress'][j]}', a site of {area[j]} ha; "
                        f"this {area[i]} ha site cannot share its point: wrong in the source, so not placed"
                    )
    bad = pd.Series([r is not None for r in reasons])
    ended = df["EndDate"].notna()
    owner = df["OwnershipStatus"].map(brownfield_ownership)
    pa1 = df["PA1Status"].fillna("").str.strip()
    return pd.DataFrame(
        {
            "asset_id": "brownfield_lewisham_2019:" + df["SiteReference"].str.strip(),
            "name": df["SiteNameAddress"].str.strip(),
            "address": df["SiteNameAddress"].str.strip(),
            "owner_organisation": owner.map(lambda t: t[1]),
            "owner_type": owner.map(lambda t: t[0]),
            "tenure": df["OwnershipStatus"].str.strip(),
            "holding_use": "brownfield land" + np.where(pa1 != "", " (" + pa1 + ")", ""),
            "site_area_ha": area,
            "status": np.where(ended, "occupied", "brownfield_available"),
            "source": "brownfield_lewisham_2019",
            "source_date": df["LastUpdatedDate"].map(iso_date).fillna(df["FirstAddedDate"].map(iso_date)),
            "partner": "London Borough of Lewisham",
            "easting": np.where(bad, np.nan, np.round(e, 1)),
            "northing": np.where(bad, np.nan, np.round(n, 1)),
            "location_method": np.where(bad, None, "source coordinates (WGS84)"),
            "borough_code": np.where(bad, None, LEWISHAM),
            "on_map": ~bad,
            "not_on_map_reason": reasons,
        }
    )


def build_eric_sites(eric_path: Path, hospitals_path: Path) -> pd.DataFrame:
    """NHS ERIC 2016/17 London site rows (172) placed through ODS site codes where possible.

    Parameters
    ----------
    eric_path : pathlib.Path
        The ERIC site CSV (dataset ``eric_sites``), with the derived empty and under-used
        floor areas (m²).
    hospitals_path : pathlib.Path
        The NHS website hospital list (dataset ``hospitals``), ``Latitude``/``Longitude``
        in WGS84 (EPSG:4326) degrees.

    Returns
    -------
    pandas.DataFrame
        Land-schema columns, not yet through :func:`anchormap.land.schema.finalise`
        (missing columns are added there): one row per site row,
        ``owner_type`` ``nhs``; ``floor_area_m2``, ``empty_floor_area_m2`` and
        ``under_used_floor_area_m2`` in square metres, ``site_area_ha`` and
        ``land_not_delivering_services_ha`` in hectares; status ``under_used`` when any
        of the unused measures is above 0, else ``occupied``. Sites whose ODS code is in
        the hospital list get ``easting``/``northing`` in British National Grid
        (EPSG:27700) metres, rounded to 0.1 m, plus its address and postcode; the rest,
        and every ``AGGRE`` row, are off the map with a reason.

    Raises
    ------
    DataSourceError
        When the file cannot be read or lacks a published column.
    """
    num = {
        "gifa": "Gross internal floor area (m²)",
        "land": "Land area owned (Hectares)",
        "lnds": "Land area not delivering services (Hectares)",
        "empty": "empty_floor_area_m2 (derived)",
        "under": "under_used_floor_area_m2 (derived)",
    }
    cols = ["Organisation Code", "Organisation Name", "Site Code", "Site Name", "Site Type", *num.values()]
    df = read_table(eric_path, dataset="eric_sites", required=cols, dtype={"Site Code": str, "Organisation Code": str})
    hosp = read_table(
        hospitals_path,
        dataset="hospitals",
        required=["OrganisationCode", "OrganisationName", "Postcode", "Latitude", "Longitude"],
        dtype={"OrganisationCode": str},
    )
    hosp = (
        hosp.dropna(subset=["Latitude", "Longitude"]).drop_duplicates("OrganisationCode").set_index("OrganisationCode")
    )
    site = df["Site Code"].str.strip().str.upper()
    aggregate = site == "AGGRE"
    match = hosp.reindex(site.where(~aggregate))
    located = match["Latitude"].notna().to_numpy() & ~aggregate.to_numpy()
    e, n = wgs84_to_bng(match["Longitude"].fillna(0), match["Latitude"].fillna(0))
    addr_cols = [c for c in ("Address1", "Address2", "Address3", "City") if c in match.columns]
    address = (
        match[addr_cols].apply(
            lambda r: ", ".join(str(v).strip() for v in r if isinstance(v, str) and v.strip()), axis=1
        )
        if addr_cols
        else None
    )
    reason = np.where(
        aggregate,
        "aggregate of the trust's small sites below the ERIC reporting threshold: not one place",
        "ERIC has no coordinates and ODS site code " + site + " is not in the NHS website hospital list "
        "(c. 2022) used to place sites",
    )
    values = {k: pd.to_numeric(df[v], errors="coerce") for k, v in num.items()}
    unused = (values["empty"].fillna(0) > 0) | (values["under"].fillna(0) > 0) | (values["lnds"].fillna(0) > 0)
    asset_id = np.where(
        aggregate, "eric_2016_17:" + df["Organisation Code"].str.strip() + ":AGGRE", "eric_2016_17:" + site
    )
    return pd.DataFrame(
        {
            "asset_id": asset_id,
            "name": df["Site Name"].str.strip(),
            "address": np.where(located, address, None) if address is not None else None,
            "postcode": np.where(located, match["Postcode"].map(_postcode), None),
            "owner_organisation": df["Organisation Name"].str.strip(),
            "owner_type": "nhs",
            "holding_use": df["Site Type"].str.strip().str.replace(r"^\d+\.\s*", "", regex=True),
            "site_area_ha": values["land"],
            "floor_area_m2": values["gifa"],
            "status": np.where(unused, "under_used", "occupied"),
            "empty_floor_area_m2": values["empty"],
            "under_used_floor_area_m2": values["under"],
            "land_not_delivering_services_ha": values["lnds"],
            "source": "eric_sites",
            "source_date": "2016/17",
            "partner": df["Organisation Name"].str.strip(),
            "easting": np.where(located, np.round(e, 1), np.nan),
            "northing": np.where(located, np.round(n, 1), np.nan),
            "location_method": np.where(located, "ODS site code matched in the NHS website hospital list", None),
            "on_map": located,
            "not_on_map_reason": np.where(located, None, reason),
        }
    )


def build_closed_libraries(path: Path) -> pd.DataFrame:
    """Libraries closed by 2023 (Arts Council England basic dataset): closed public buildings.

    Parameters
    ----------
    path : pathlib.Path
        The Arts Council libraries CSV (dataset ``libraries``); rows with
        ``operation_23 == "Closed"`` are kept.

    Returns
    -------
    pandas.DataFrame
        Land-schema columns, not yet through :func:`anchormap.land.schema.finalise`
        (missing columns are added there): one row per closed
        library, ``owner_type`` ``council``, status ``closed_building``,
        ``easting``/``northing`` as published (British National Grid, EPSG:27700,
        metres), ``asset_id`` from the UPRN or, without one, the library service and name.

    Raises
    ------
    DataSourceError
        When the file cannot be read or lacks a published column.
    """
    cols = [
        "reporting",
        "name",
        "address1",
        "postcode",
        "uprn",
        "type",
        "operation_23",
        "closed",
        "easting",
        "northing",
        "lad_code",
        "geocode",
    ]
    df = read_table(path, dataset="libraries", required=cols, dtype={"uprn": str, "postcode": str})
    df = df[df["operation_23"].fillna("").str.strip() == "Closed"].reset_index(drop=True)
    addr = df[["address1", "address2", "address3"]].apply(
        lambda r: ", ".join(str(v).strip() for v in r if isinstance(v, str) and v.strip()), axis=1
    )
    year = df["closed"].map(lambda y: f", closed {int(y)}" if pd.notna(y) else "")
    key = df["uprn"].where(df["uprn"].notna(), df["reporting"] + "/" + df["name"])
    return pd.DataFrame(
        {
            "asset_id": "libraries:" + key.astype(str).str.strip(),
            "name": df["name"].str.strip(),
            "address": addr,
            "postcode": df["postcode"].map(_postcode),
            "uprn": df["uprn"],
            "owner_organisation": df["reporting"].str.strip() + " library service",
            "owner_type": "council",
            "holding_use": "former library (" + df["type"].fillna("library").str.strip() + year + ")",
            "status": "closed_building",
            "source": "libraries",
            "source_date": "2023",
            "partner": df["reporting"].str.strip() + " library service",
            "easting": df["easting"],
            "northing": df["northing"],
            "location_method": df["geocode"].str.replace("_", " "),
            "borough_code": df["lad_code"],
        }
    )


def build_closed_fire_stations(path: Path) -> pd.DataFrame:
    """The ten London fire stations closed in January 2014: closed public buildings.

    Parameters
    ----------
    path : pathlib.Path
        The London Fire Brigade station list (dataset ``fire_stations``), with
        ``X (easting)``/``Y (northing)`` in British National Grid metres.

    Returns
    -------
    pandas.DataFrame
        Land-schema columns, not yet through :func:`anchormap.land.schema.finalise`
        (missing columns are added there): ten rows (the
        stations of :data:`CLOSED_FIRE_STATIONS`), ``owner_type`` ``gla_group``, status
        ``closed_building``, ``easting``/``northing`` in EPSG:27700 metres.

    Raises
    ------
    DataSourceError
        When the file cannot be read or lacks a published column, or does not list exactly the ten closed stations.
    """
    cols = ["Station_Name", "Postcode", "X (easting)", "Y (northing)"]
    df = read_table(path, dataset="fire_stations", required=cols)
    df = df[df["Station_Name"].str.strip().isin(CLOSED_FIRE_STATIONS)].reset_index(drop=True)
    if len(df) != len(CLOSED_FIRE_STATIONS):
        msg = (
            f"Dataset 'fire_stations': the file {path} should list the {len(CLOSED_FIRE_STATIONS)} stations "
            f"closed in 2014 ({', '.join(CLOSED_FIRE_STATIONS)}) but {len(df)} were found."
        )
        raise DataSourceError(msg)
    return pd.DataFrame(
        {
            "asset_id": "fire_stations:" + df["Station_Name"].str.strip(),
            "name": df["Station_Name"].str.strip() + " fire station (closed)",
            "postcode": df["Postcode"].map(_postcode),
            "owner_organisation": "London Fire Brigade",
            "owner_type": "gla_group",
            "holding_use": "former fire station (closed January 2014; may since have been sold)",
            "status": "closed_building",
            "source": "fire_stations",
            "source_date": "2014-01-09",
            "partner": "London Fire Brigade",
            "easting": df["X (easting)"].astype(float),
            "northing": df["Y (northing)"].astype(float),
            "location_method": "source coordinates (BNG)",
        }
    )


def add_editions(assets: pd.DataFrame, manifest: dict | None = None) -> pd.DataFrame:
    """``assets`` with ``edition`` and ``edition_date`` from the manifest, by ``source``.

    Parameters
    ----------
    assets : pandas.DataFrame
        Land-schema rows with ``source`` (a dataset id, or ``upload:<id>`` for uploads).
    manifest : dict of str to Dataset, optional
        Default :func:`anchormap.data.sources.load_manifest`.

    Returns
    -------
    pandas.DataFrame
        A copy with ``edition`` (the dataset's ``as_of`` words) and ``edition_date`` (ISO
        text "YYYY-MM-DD"); both "" for a source the manifest does not list (an uploaded
        register keeps its own date in ``source_date``; none is invented).
    """
    from anchormap.data.sources import load_manifest

    manifest = manifest if manifest is not None else load_manifest()
    out = assets.copy()
    sources = out["source"].fillna("").astype(str)
    out["edition"] = sources.map(lambda ds: manifest[ds].as_of if ds in manifest else "")
    out["edition_date"] = sources.map(
        lambda ds: manifest[ds].edition_date.isoformat() if ds in manifest and manifest[ds].edition_date else ""
    )
    return out


def build_land_builtin(paths: dict[str, Path], derived: dict[str, pd.DataFrame]) -> gpd.GeoDataFrame:
    """Every built-in land and property register in one EPSG:27700 table (schema above).

    Parameters
    ----------
    paths : dict of str to Path
        Input files: ``brownfield_london_2017``, ``brownfield_lewisham_2019``, ``eric_sites``,
        ``hospitals``, ``libraries``, ``fire_stations``, ``boroughs``.
    derived : dict of str to DataFrame
        The built ``boroughs`` layer (polygons, EPSG:27700), handed over by the runner.

    Returns
    -------
    GeoDataFrame
        One row per asset, points in EPSG:27700, columns of :data:`anchormap.land.schema.LAND_COLUMNS`
        then ``edition`` and ``edition_date`` (:func:`add_editions`)
        (``lat``/``lon`` in WGS84 degrees; a missing ``borough_code`` is filled from the
        borough containing the point).

    Raises
    ------
    DataSourceError
        When an input file cannot be read, lacks a column or has not the expected rows,
        or asset ids are not unique.
    """
    boroughs = derived["boroughs"]
    parts = [
        build_brownfield_london_2017(paths["brownfield_london_2017"]),
        build_brownfield_lewisham_2019(paths["brownfield_lewisham_2019"], boroughs),
        build_eric_sites(paths["eric_sites"], paths["hospitals"]),
        build_closed_libraries(paths["libraries"]),
        build_closed_fire_stations(paths["fire_stations"]),
    ]
    df = pd.concat([p.astype(object) for p in parts], ignore_index=True)
    out = add_editions(finalise(df, boroughs))
    dup = out["asset_id"][out["asset_id"].duplicated()]
    if len(dup):
        msg = f"Built-in land layer: asset ids are not unique ({', '.join(dup.head(5))})."
        raise DataSourceError(msg)
    return out
