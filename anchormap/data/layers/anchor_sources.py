"""One reader per anchor dataset: each turns a published file into anchor rows.

Every reader returns a DataFrame with the columns in :data:`SOURCE_COLUMNS`: the anchor
fields that come from the file (no borough, no geometry yet) plus the coordinates as the
file gives them. ``coords`` says which pair the file itself holds as its original
("bng": easting/northing in EPSG:27700 metres; "wgs84": lat/lon in EPSG:4326 degrees);
:mod:`anchormap.data.layers.anchors` computes the other pair from it.

Choices made here (see also each dataset's SOURCE.md in the mirror):

- hospitals: NHS ("NHS hospital") or independent ("Independent hospital") by the site's ODS
  parent code read with ODS's register of NHS trusts, not by the file's ``Sector`` field,
  which is wrong for many London sites (:func:`hospital_sectors` gives the rule);
  organisation is the parent trust or company (``ParentName``).
- nhs_trusts: trust headquarters ("NHS trust headquarters"); a close date means closed.
- gp_practices: rows with ``likely_gp_practice`` true are "GP practice"; the other active ODS
  prescribing settings (PCN hubs, out-of-hours, hospices, clinics) are kept as
  "Other NHS prescribing service" so they can be switched on and off by sub-type.
- he_providers: one point per provider at its registered address ("University or HE provider").
- schools (GIAS): "Further education" establishments go to higher and further education
  ("Sixth form college" when the name says so, otherwise "Further education college"), as do
  "Academy 16-19 converter" establishments (sixth-form colleges that became academies).
  GIAS "Higher education institutions" are dropped as duplicates when Discover Uni
  (he_providers) lists the same provider (same postcode or matching name) and kept as
  "University or HE provider" otherwise. Everything else is a school, with a sub-type from
  its phase and type.
- libraries: closed when the file gives a ``closed`` year or ``operation_23`` is "Closed" (two
  libraries, Wood End and Hayes, are marked Closed with no year); the same rule as the land layer's
  closed public buildings. Mobile, prison and archive services keep their type.
- museums: ``is_open`` false means closed; organisation is the governance in words.
- fire_stations: the last 10 rows of the file are the stations closed in January 2014.
- police_front_counters: provenance "unverified provenance" on every row.
- places_of_worship: OpenStreetMap, ODbL; sub-type "Place of worship: <religion>".
- council_civic_hq: the headquarters of the 33 London authorities ("Town hall / civic centre")
  and the Greater London Authority's City Hall ("Greater London Authority"), category
  ``council_civic``. A row whose ``note`` says ``GEOCODE FALLBACK`` (its postcode is not a live
  Code-Point postcode: Enfield, Haringey) keeps the building's published lat/lon as its own
  pair and is marked :data:`APPROXIMATE_NOTE`; a row without coordinates (Harrow) is kept by
  the reader for the build report to list.
- dwp_jobcentres_2016: Jobcentre Plus offices as DWP listed them in 2016, category
  ``jobcentres``; ``geocode`` ``sector_centroid`` is a postcode-sector fallback geocode, and a
  ``postcode_clean`` that differs from the published ``POSTCODE`` is noted
  (:data:`POSTCODE_CORRECTED_NOTE`).

Sector (:data:`anchormap.categories.SECTORS`), always from a field or the dataset itself,
never from words in a name: hospitals as above; NHS trusts and ODS prescribing settings
"NHS"; GIAS by establishment type (:func:`school_sector`); libraries by the Arts Council's
``operation_23`` code; museums by Mapping Museums' ``Governance`` (:func:`museum_sector`);
fire stations and the Met's front counters "Greater London Authority group" (the publisher's
own lists); places of worship "Faith group"; council headquarters by ``organisation_code``
("Local authority" for an E09 borough code, "Greater London Authority group" for the London
region code E12000007); jobcentres "Central government" (every office the DWP list holds is
the Department's own); Discover Uni has no such field ("Not stated in the source").
``stated_borough`` carries the borough a source itself gives (museums, schools, libraries by
name; council headquarters by the authority's E09 code) for the anchors build's position
check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from anchormap.categories import (
    SECTOR_ACADEMY_TRUST,
    SECTOR_CENTRAL_GOVERNMENT,
    SECTOR_CHARITY,
    SECTOR_COLLEGE,
    SECTOR_COMMUNITY,
    SECTOR_FAITH,
    SECTOR_GLA_GROUP,
    SECTOR_INDEPENDENT,
    SECTOR_LOCAL_AUTHORITY,
    SECTOR_NHS,
    SECTOR_NOT_FOR_PROFIT,
    SECTOR_NOT_STATED,
    SECTOR_OTHER_PUBLIC,
    SECTOR_UNIVERSITY,
)
from anchormap.data.layers.readers import read_table
from anchormap.geo.postcode_text import format_postcode
from anchormap.names import clean_text, names_match, tidy_name

SOURCE_COLUMNS = [
    "source_record_id",
    "name",
    "category",
    "subtype",
    "organisation",
    "address",
    "postcode",
    "status",
    "provenance",
    "sector",
    "stated_borough",
    "easting",
    "northing",
    "lat",
    "lon",
    "coords",
]
SECTOR_FALLBACK_NOTE = "postcode-sector fallback geocode"
UNVERIFIED_NOTE = "unverified provenance"
APPROXIMATE_NOTE = "approximate position from the building's published coordinates"
"""Provenance of a site placed from coordinates published for the building (not a live postcode)."""
POSTCODE_CORRECTED_NOTE = "postcode corrected from a typing error in the source"
"""Provenance of a site whose published postcode was mistyped and corrected (see its SOURCE.md)."""
APPROXIMATE_NOTES = (SECTOR_FALLBACK_NOTE, APPROXIMATE_NOTE)
"""Provenance caveats that mean a site's point is approximate (the build report lists these sites)."""
NHS_HOSPITAL = "NHS hospital"
INDEPENDENT_HOSPITAL = "Independent hospital"
FIRE_STATIONS_CLOSED_2014 = 10  # the last rows of fire_stations.csv (see its SOURCE.md)


def _text(series: pd.Series) -> pd.Series:
    return series.map(clean_text)


def _address(df: pd.DataFrame, columns: list[str]) -> pd.Series:
    parts = df[columns].map(clean_text)
    return parts.apply(lambda row: ", ".join(p for p in row if p), axis=1)


def _number(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype("float64")


def _frame(df: pd.DataFrame, coords: str, **columns) -> pd.DataFrame:
    """Assemble the standard columns; scalars are broadcast."""
    out = pd.DataFrame(index=df.index)
    for col in SOURCE_COLUMNS:
        value = columns.get(col, "" if col not in ("easting", "northing", "lat", "lon") else float("nan"))
        if col == "sector" and col not in columns:
            value = SECTOR_NOT_STATED
        out[col] = value
    out["coords"] = coords
    for col in ("easting", "northing", "lat", "lon"):
        out[col] = _number(out[col])
    out["postcode"] = out["postcode"].map(format_postcode)
    return out.reset_index(drop=True)


def _geocode_note(series: pd.Series) -> pd.Series:
    return series.map(lambda g: SECTOR_FALLBACK_NOTE if "sector" in clean_text(g) else "")


def read_hospitals(path: Path) -> pd.DataFrame:
    """Hospitals from the NHS website list, category ``health``.

    Parameters
    ----------
    path : pathlib.Path
        The ``hospitals`` file (CSV) from the mirror or the download cache.

    Returns
    -------
    pandas.DataFrame
        One row per record, columns :data:`SOURCE_COLUMNS`, re-indexed from 0;
        postcodes in canonical form. Organisation is ``ParentName``; all open. Sub-type
        and sector here follow the file's ``Sector`` field only ("NHS hospital" / "NHS"
        when it starts with "NHS", else "Independent hospital" / "Independent");
        :func:`hospital_sectors` then checks them against ODS's register of NHS trusts,
        as the anchors build does. Two extra columns, ``parent_code`` (``ParentODSCode``)
        and ``file_sector`` (``Sector`` as published), for that check.
        ``coords`` ``"wgs84"``: ``lat``/``lon`` (WGS84, EPSG:4326, degrees) are the
        file's own pair; ``easting``/``northing`` are NaN until
        :func:`anchormap.data.layers.anchors.complete_coordinates` fills them.

    Raises
    ------
    DataSourceError
        When the file cannot be read as CSV or lacks a required column.
    """
    df = read_table(
        path,
        dataset="hospitals",
        dtype=str,
        required=[
            "OrganisationCode",
            "OrganisationName",
            "Sector",
            "Postcode",
            "Latitude",
            "Longitude",
            "ParentODSCode",
            "ParentName",
        ],
    )
    file_sector = _text(df["Sector"])
    nhs = file_sector.str.lower().str.startswith("nhs")
    out = _frame(
        df,
        "wgs84",
        source_record_id=_text(df["OrganisationCode"]),
        name=_text(df["OrganisationName"]),
        category="health",
        subtype=nhs.map({True: NHS_HOSPITAL, False: INDEPENDENT_HOSPITAL}),
        organisation=_text(df["ParentName"]),
        address=_address(df, ["Address1", "Address2", "Address3", "City"]),
        postcode=df["Postcode"],
        status="open",
        sector=nhs.map({True: SECTOR_NHS, False: SECTOR_INDEPENDENT}),
        lat=df["Latitude"],
        lon=df["Longitude"],
    )
    out["parent_code"] = _text(df["ParentODSCode"]).str.upper().to_numpy()
    out["file_sector"] = file_sector.to_numpy()
    return out


def read_trust_register(path: Path) -> pd.DataFrame:
    """ODS's register of NHS trusts (dataset ``ncdr_locations``): code, name, status.

    Parameters
    ----------
    path : pathlib.Path
        The NCDR reference locations CSV: one row per NHS trust in England, active or
        not (``Role`` "NHS TRUST"), with its ODS code.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` (upper case), ``name`` (tidied from capitals) and ``status``
        ("Active"/"Inactive"), rows whose ``Role`` is "NHS TRUST" only.

    Raises
    ------
    DataSourceError
        When the file cannot be read as CSV or lacks a required column.
    """
    df = read_table(path, dataset="ncdr_locations", dtype=str, required=["ODS_Code", "Role", "Name", "Status"])
    df = df[_text(df["Role"]).str.upper() == "NHS TRUST"]
    return pd.DataFrame(
        {
            "code": _text(df["ODS_Code"]).str.upper(),
            "name": df["Name"].map(tidy_name),
            "status": _text(df["Status"]),
        }
    ).reset_index(drop=True)


def hospital_sectors(
    hospitals: pd.DataFrame, trust_codes: set[str], london_trust_codes: set[str]
) -> tuple[pd.DataFrame, list[tuple[str, str, str, str]]]:
    """Sector and sub-type of each hospital from its ODS codes, checked against the trust register.

    The NHS website file's own ``Sector`` field is unreliable: in London it calls sites run by
    companies "NHS Sector" (the HCA clinics on Harley Street, Nuffield Health's hospitals) and
    sites run by NHS trusts "Independent Sector" (Barnet Hospital, Northwick Park). The site's
    parent organisation code is the stronger evidence, read with ODS's register of NHS trusts
    (``ncdr_locations``, every trust in England):

    - a site is **NHS** when its parent (``ParentODSCode``) is an NHS trust in that register
      and at least one more field agrees: the site's own ODS code is one of that trust's
      site codes (it starts with the trust's code), or the file's ``Sector`` says NHS, or
      the trust has its headquarters in London (``nhs_trusts``, ODS);
    - every other site is **Independent** (its parent is a company, charity or other body
      that is not an NHS trust, or an NHS trust elsewhere in England that nothing else
      links to the site).

    Parameters
    ----------
    hospitals : pandas.DataFrame
        :func:`read_hospitals` output (with ``parent_code`` and ``file_sector``).
    trust_codes : set of str
        ODS codes of every NHS trust in England (:func:`read_trust_register`).
    london_trust_codes : set of str
        ODS codes of the trusts with London headquarters (``nhs_trusts``).

    Returns
    -------
    hospitals : pandas.DataFrame
        A copy with ``sector`` ("NHS" or "Independent") and ``subtype`` ("NHS hospital" or
        "Independent hospital") set by the rule above.
    disagreements : list of (str, str, str, str)
        (record id, name, the file's Sector, why the layer says otherwise), one per site
        where the rule overrides the file's ``Sector``.
    """
    out = hospitals.copy()
    parent = out["parent_code"]
    site = out["source_record_id"].str.upper()
    parent_is_trust = parent.isin(trust_codes)
    under_trust = pd.Series([bool(p) and s.startswith(p) for s, p in zip(site, parent, strict=True)], index=out.index)
    says_nhs = out["file_sector"].str.lower().str.startswith("nhs")
    london_trust = parent.isin(london_trust_codes)
    nhs = parent_is_trust & (under_trust | says_nhs | london_trust)
    out["sector"] = nhs.map({True: SECTOR_NHS, False: SECTOR_INDEPENDENT})
    out["subtype"] = nhs.map({True: NHS_HOSPITAL, False: INDEPENDENT_HOSPITAL})
    disagreements = []
    for i in out.index[nhs != says_nhs]:
        p = f"{parent[i]} ({out.at[i, 'organisation']})" if out.at[i, "organisation"] else parent[i]
        if nhs[i]:
            evidence = (
                "its own ODS code is one of the trust's sites" if under_trust[i] else "the trust is based in London"
            )
            why = f"its parent organisation {p} is an NHS trust in the ODS register and {evidence}"
        elif parent_is_trust[i]:
            why = (
                f"its parent {p} is an NHS trust outside London, its own ODS code is not one of that trust's sites "
                "and the file calls it independent"
            )
        else:
            why = f"its parent organisation {p or '(none given)'} is not an NHS trust in the ODS register"
        disagreements.append((out.at[i, "source_record_id"], out.at[i, "name"], out.at[i, "file_sector"], why))
    return out, disagreements


def read_nhs_trusts(path: Path) -> pd.DataFrame:
    """NHS trust headquarters from ODS, category ``health``.

    Parameters
    ----------
    path : pathlib.Path
        The ``nhs_trusts`` file (CSV) from the mirror or the download cache.

    Returns
    -------
    pandas.DataFrame
        One row per record, columns :data:`SOURCE_COLUMNS`, re-indexed from 0;
        postcodes in canonical form. Names and addresses tidied from capitals
        (:func:`anchormap.names.tidy_name`); the trust is its own organisation; closed
        when the row has a close date.
        ``coords`` ``"bng"``: ``easting``/``northing`` (British National Grid,
        EPSG:27700, metres) are the file's own pair; ``lat``/``lon`` (WGS84, EPSG:4326,
        degrees) as the file gives them, if at all.

    Raises
    ------
    DataSourceError
        When the file cannot be read as CSV or lacks a required column.
    """
    df = read_table(
        path,
        dataset="nhs_trusts",
        dtype=str,
        required=["org_code", "name", "postcode", "close_date", "easting", "northing", "lat", "lon"],
    )
    names = df["name"].map(tidy_name)
    closed = _text(df["close_date"]) != ""
    return _frame(
        df,
        "bng",
        source_record_id=_text(df["org_code"]),
        name=names,
        category="health",
        subtype="NHS trust headquarters",
        organisation=names,
        sector=SECTOR_NHS,
        address=_address(df, ["address1", "address2", "address3", "address4"]).map(tidy_name),
        postcode=df["postcode"],
        status=closed.map({True: "closed", False: "open"}),
        easting=df["easting"],
        northing=df["northing"],
        lat=df["lat"],
        lon=df["lon"],
    )


def read_gp_practices(path: Path) -> pd.DataFrame:
    """GP practices and other NHS prescribing settings from ODS, category ``primary_care``.

    Parameters
    ----------
    path : pathlib.Path
        The ``gp_practices`` file (CSV) from the mirror or the download cache.

    Returns
    -------
    pandas.DataFrame
        One row per record, columns :data:`SOURCE_COLUMNS`, re-indexed from 0;
        postcodes in canonical form. Sub-type "GP practice" where
        ``likely_gp_practice`` is true, else "Other NHS prescribing service"; names tidied
        from capitals; all open.
        ``coords`` ``"bng"``: ``easting``/``northing`` (British National Grid,
        EPSG:27700, metres) are the file's own pair; ``lat``/``lon`` (WGS84, EPSG:4326,
        degrees) as the file gives them, if at all.

    Raises
    ------
    DataSourceError
        When the file cannot be read as CSV or lacks a required column.
    """
    df = read_table(
        path,
        dataset="gp_practices",
        dtype=str,
        required=[
            "Organisation_Code",
            "Organisation_Name",
            "Postcode",
            "likely_gp_practice",
            "easting",
            "northing",
            "lat",
            "lon",
        ],
    )
    likely = _text(df["likely_gp_practice"]).str.lower() == "true"
    return _frame(
        df,
        "bng",
        source_record_id=_text(df["Organisation_Code"]),
        name=df["Organisation_Name"].map(tidy_name),
        category="primary_care",
        subtype=likely.map({True: "GP practice", False: "Other NHS prescribing service"}),
        sector=SECTOR_NHS,
        address=_address(df, ["Address_Line_1", "Address_Line_2", "Address_Line_3", "Address_Line_4"]).map(tidy_name),
        postcode=df["Postcode"],
        status="open",
        easting=df["easting"],
        northing=df["northing"],
        lat=df["lat"],
        lon=df["lon"],
    )


def read_he_providers(path: Path) -> pd.DataFrame:
    """Higher-education providers from Discover Uni, one point per provider.

    Parameters
    ----------
    path : pathlib.Path
        The ``he_providers`` file (CSV) from the mirror or the download cache.

    Returns
    -------
    pandas.DataFrame
        One row per record, columns :data:`SOURCE_COLUMNS`, re-indexed from 0;
        postcodes in canonical form. Category ``higher_further_education``, sub-type
        "University or HE provider"; name is the first trading name (else the legal
        name), organisation the legal name; provenance notes a postcode-sector fallback
        geocode; all open.
        ``coords`` ``"bng"``: ``easting``/``northing`` (British National Grid,
        EPSG:27700, metres) are the file's own pair; ``lat``/``lon`` (WGS84, EPSG:4326,
        degrees) as the file gives them, if at all.

    Raises
    ------
    DataSourceError
        When the file cannot be read as CSV or lacks a required column.
    """
    df = read_table(
        path,
        dataset="he_providers",
        dtype=str,
        required=[
            "PUBUKPRN",
            "LEGAL_NAME",
            "FIRST_TRADING_NAME",
            "PROVADDRESS",
            "postcode",
            "easting",
            "northing",
            "lat",
            "lon",
            "geocode",
        ],
    )
    legal = _text(df["LEGAL_NAME"])
    trading = _text(df["FIRST_TRADING_NAME"])
    return _frame(
        df,
        "bng",
        source_record_id=_text(df["PUBUKPRN"]),
        name=trading.where(trading != "", legal),
        category="higher_further_education",
        subtype="University or HE provider",
        organisation=legal,
        address=_text(df["PROVADDRESS"]),
        postcode=df["postcode"],
        status="open",
        provenance=_geocode_note(df["geocode"]),
        easting=df["easting"],
        northing=df["northing"],
        lat=df["lat"],
        lon=df["lon"],
    )


_PHASE_SUBTYPE = {
    "primary": "Primary school",
    "secondary": "Secondary school",
    "nursery": "Nursery school",
    "all-through": "All-through school",
    "16 plus": "Sixth form or post-16 school",
}
_LA_MAINTAINED = ("community", "voluntary", "foundation", "local authority nursery", "pupil referral")
_TRUST_RUN = ("academy", "free school", "studio school", "university technical college")


def school_sector(school_type: str) -> str:
    """Who runs a GIAS establishment, from its establishment type (never its name).

    >>> school_sector("Academy converter"), school_sector("Voluntary aided school")
    ('Academy trust', 'Local authority')
    >>> school_sector("Other independent school"), school_sector("Non-maintained special school")
    ('Independent', 'Charity')
    """
    t = clean_text(school_type).lower()
    if t.startswith(_TRUST_RUN):
        return SECTOR_ACADEMY_TRUST
    if t.startswith(_LA_MAINTAINED) or t == "community special school":
        return SECTOR_LOCAL_AUTHORITY
    if t == "non-maintained special school":  # run by charities, by the DfE's definition
        return SECTOR_CHARITY
    if t.startswith("other independent") or t in ("special post 16 institution", "city technology college"):
        return SECTOR_INDEPENDENT
    if t == "further education":
        return SECTOR_COLLEGE
    if t == "higher education institutions":
        return SECTOR_UNIVERSITY
    return SECTOR_NOT_STATED


def _school_subtype(school_type: str, phase: str, category: str, name: str) -> tuple[str, str]:
    """(anchor category, sub-type) of one GIAS establishment."""
    t = school_type.lower()
    if t == "further education":
        sub = "Sixth form college" if "sixth form" in name.lower() else "Further education college"
        return "higher_further_education", sub
    if t == "academy 16-19 converter":
        return "higher_further_education", "Sixth form college"
    if category == "he_institution":
        return "higher_further_education", "University or HE provider"
    if "alternative provision" in t or t == "pupil referral unit":
        return "schools", "Alternative provision"
    if category == "special_ap" or "special" in t:
        return "schools", "Independent special school" if "independent" in t else "Special school"
    if category == "independent":
        return "schools", "Independent school"
    if category == "post16_other":
        return "schools", "Sixth form or post-16 school"
    return "schools", _PHASE_SUBTYPE.get(phase.lower(), "Other school or education service")


def read_schools(path: Path) -> pd.DataFrame:
    """Schools and colleges from GIAS (see the module docstring for the categories).

    Parameters
    ----------
    path : pathlib.Path
        The ``schools`` file (CSV) from the mirror or the download cache.

    Returns
    -------
    pandas.DataFrame
        One row per record, columns :data:`SOURCE_COLUMNS`, re-indexed from 0;
        postcodes in canonical form. Category ``schools`` or
        ``higher_further_education`` and a sub-type from type and phase; organisation is
        the trust or, for local-authority-maintained schools, "<LA> (local authority)";
        all open. One extra column, ``gias_category``, for :func:`he_duplicates`.
        ``coords`` ``"bng"``: ``easting``/``northing`` (British National Grid,
        EPSG:27700, metres) are the file's own pair; ``lat``/``lon`` (WGS84, EPSG:4326,
        degrees) as the file gives them, if at all.

    Raises
    ------
    DataSourceError
        When the file cannot be read as CSV or lacks a required column.
    """
    df = read_table(
        path,
        dataset="schools",
        dtype=str,
        required=[
            "urn",
            "school_name",
            "la_name",
            "school_type",
            "phase",
            "postcode",
            "trust_name",
            "category",
            "easting",
            "northing",
            "lat",
            "lon",
        ],
    )
    names = _text(df["school_name"])
    kinds = [
        _school_subtype(clean_text(t), clean_text(p), clean_text(c), n)
        for t, p, c, n in zip(df["school_type"], df["phase"], df["category"], names, strict=True)
    ]
    trust = _text(df["trust_name"])
    maintained = _text(df["school_type"]).str.lower().str.startswith(_LA_MAINTAINED)
    la = _text(df["la_name"]) + " (local authority)"
    organisation = trust.where(trust != "", la.where(maintained, ""))
    out = _frame(
        df,
        "bng",
        source_record_id=_text(df["urn"]),
        name=names,
        category=[k[0] for k in kinds],
        subtype=[k[1] for k in kinds],
        organisation=organisation,
        sector=df["school_type"].map(school_sector),
        stated_borough=_text(df["la_name"]),
        address=_address(df, ["address_1", "address_2", "address_3", "town"]),
        postcode=df["postcode"],
        status="open",
        easting=df["easting"],
        northing=df["northing"],
        lat=df["lat"],
        lon=df["lon"],
    )
    out["gias_category"] = _text(df["category"]).to_numpy()
    return out


_LIBRARY_SECTOR = {
    "LA": SECTOR_LOCAL_AUTHORITY,  # council-run
    "LAU": SECTOR_LOCAL_AUTHORITY,  # council-run, unstaffed
    "C": SECTOR_LOCAL_AUTHORITY,  # commissioned by the council from another body
    "CR": SECTOR_COMMUNITY,  # community-run
    "ICL": SECTOR_COMMUNITY,  # independent community library
}
"""Arts Council England ``operation_23`` code -> sector; closed libraries keep "Not stated"."""

_LIBRARY_SUBTYPE = {
    "static library": "Library",
    "static local history library": "Local history library",
    "mobile library": "Mobile library",
    "prison library": "Prison library",
    "archive": "Archive",
}


def read_libraries(path: Path) -> pd.DataFrame:
    """Public libraries from the Arts Council England dataset, category ``libraries``.

    Parameters
    ----------
    path : pathlib.Path
        The ``libraries`` file (CSV) from the mirror or the download cache.

    Returns
    -------
    pandas.DataFrame
        One row per record, columns :data:`SOURCE_COLUMNS`, re-indexed from 0;
        postcodes in canonical form. Record ids are slugs of "<library service>/<name>";
        closed when the file gives a ``closed`` year or ``operation_23`` is "Closed";
        organisation "<service> (local authority)" for council-run libraries, else "";
        provenance notes a postcode-sector fallback geocode.
        ``coords`` ``"bng"``: ``easting``/``northing`` (British National Grid,
        EPSG:27700, metres) are the file's own pair; ``lat``/``lon`` (WGS84, EPSG:4326,
        degrees) as the file gives them, if at all.

    Raises
    ------
    DataSourceError
        When the file cannot be read as CSV or lacks a required column.
    """
    df = read_table(
        path,
        dataset="libraries",
        dtype=str,
        required=[
            "reporting",
            "name",
            "postcode",
            "type",
            "operation_23",
            "closed",
            "easting",
            "northing",
            "lat",
            "lon",
            "geocode",
        ],
    )
    reporting = _text(df["reporting"])
    names = _text(df["name"])
    closed = (_text(df["closed"]) != "") | (_text(df["operation_23"]).str.lower() == "closed")
    operation = _text(df["operation_23"]).str.upper()
    council_run = operation.isin(["LA", "LAU"])
    sector = operation.map(_LIBRARY_SECTOR).fillna(SECTOR_NOT_STATED)
    return _frame(
        df,
        "bng",
        source_record_id=_slug_ids(reporting + "/" + names),
        name=names,
        category="libraries",
        subtype=_text(df["type"]).str.lower().map(_LIBRARY_SUBTYPE).fillna("Library"),
        organisation=(reporting + " (local authority)").where(council_run, ""),
        sector=sector,
        stated_borough=reporting,
        address=_address(df, ["address1", "address2", "address3"]),
        postcode=df["postcode"],
        status=closed.map({True: "closed", False: "open"}),
        provenance=_geocode_note(df["geocode"]),
        easting=df["easting"],
        northing=df["northing"],
        lat=df["lat"],
        lon=df["lon"],
    )


_GOVERNANCE = {
    "government-local_authority": "Local authority",
    "government-national": "National (government)",
    "government-other": "Government, other",
    "university": "University",
    "independent-not_for_profit": "Independent, not for profit",
    "independent-private": "Independent, private",
    "independent-english_heritage": "English Heritage",
    "independent-national_trust": "National Trust",
    "independent-unknown": "Independent",
    "unknown": "",
}


_GOVERNANCE_SECTOR = {
    "government-local_authority": SECTOR_LOCAL_AUTHORITY,
    "government-national": SECTOR_CENTRAL_GOVERNMENT,
    "government-other": SECTOR_OTHER_PUBLIC,
    "university": SECTOR_UNIVERSITY,
    "independent-not_for_profit": SECTOR_NOT_FOR_PROFIT,
    "independent-private": SECTOR_INDEPENDENT,
    "independent-english_heritage": SECTOR_CHARITY,  # English Heritage Trust, a charity
    "independent-national_trust": SECTOR_CHARITY,  # the National Trust, a charity
    "independent-unknown": SECTOR_INDEPENDENT,
}
"""Mapping Museums ``Governance`` -> sector (``Unknown`` is "Not stated in the source")."""


def museum_sector(value: object) -> str:
    """Sector of a museum from its Mapping Museums ``Governance`` field.

    >>> museum_sector("Government-Local_Authority"), museum_sector("Unknown")
    ('Local authority', 'Not stated in the source')
    """
    return _GOVERNANCE_SECTOR.get(clean_text(value).lower(), SECTOR_NOT_STATED)


def _governance(value: object, borough: str) -> str:
    label = _GOVERNANCE.get(clean_text(value).lower(), clean_text(value).replace("_", " "))
    return f"{borough} (local authority)" if label == "Local authority" and borough else label


def read_museums(path: Path) -> pd.DataFrame:
    """Museums from the Mapping Museums dataset, category ``culture``.

    Parameters
    ----------
    path : pathlib.Path
        The ``museums`` file (CSV) from the mirror or the download cache.

    Returns
    -------
    pandas.DataFrame
        One row per record, columns :data:`SOURCE_COLUMNS`, re-indexed from 0;
        postcodes in canonical form. Organisation is the governance in words ("<borough>
        (local authority)" for council museums); closed where ``is_open`` is not true.
        ``coords`` ``"wgs84"``: ``lat``/``lon`` (WGS84, EPSG:4326, degrees) are the
        file's own pair; ``easting``/``northing`` are NaN until
        :func:`anchormap.data.layers.anchors.complete_coordinates` fills them.

    Raises
    ------
    DataSourceError
        When the file cannot be read as CSV or lacks a required column.
    """
    df = read_table(
        path,
        dataset="museums",
        dtype=str,
        required=[
            "museum_id",
            "Name_of_museum",
            "Postcode",
            "Latitude",
            "Longitude",
            "Governance",
            "borough",
            "is_open",
        ],
    )
    is_open = _text(df["is_open"]).str.lower() == "true"
    borough = _text(df["borough"])
    return _frame(
        df,
        "wgs84",
        source_record_id=_text(df["museum_id"]),
        name=_text(df["Name_of_museum"]),
        category="culture",
        subtype="Museum",
        organisation=[_governance(g, b) for g, b in zip(df["Governance"], borough, strict=True)],
        sector=df["Governance"].map(museum_sector),
        stated_borough=borough,
        address=_address(df, ["Address_line_1", "Village,_Town_or_City"]),
        postcode=df["Postcode"],
        status=is_open.map({True: "open", False: "closed"}),
        lat=df["Latitude"],
        lon=df["Longitude"],
    )


def read_fire_stations(path: Path) -> pd.DataFrame:
    """London Fire Brigade stations, category ``emergency_services``.

    Parameters
    ----------
    path : pathlib.Path
        The ``fire_stations`` file (CSV) from the mirror or the download cache.

    Returns
    -------
    pandas.DataFrame
        One row per record, columns :data:`SOURCE_COLUMNS`, re-indexed from 0;
        postcodes in canonical form. Record ids are slugs of the station names; the
        last :data:`FIRE_STATIONS_CLOSED_2014` rows (closed January 2014) are closed, the
        rest open.
        ``coords`` ``"bng"``: ``easting``/``northing`` (British National Grid,
        EPSG:27700, metres) are the file's own pair; ``lat``/``lon`` (WGS84, EPSG:4326,
        degrees) as the file gives them, if at all.

    Raises
    ------
    DataSourceError
        When the file cannot be read as CSV or lacks a required column.
    """
    df = read_table(
        path,
        dataset="fire_stations",
        dtype=str,
        required=["Station_Name", "Postcode", "X (easting)", "Y (northing)", "Latitude", "Longitude"],
    )
    names = _text(df["Station_Name"])
    closed = pd.Series(False, index=df.index)
    closed.iloc[-FIRE_STATIONS_CLOSED_2014:] = True
    return _frame(
        df,
        "bng",
        source_record_id=_slug_ids(names),
        name=names + " Fire Station",
        category="emergency_services",
        subtype="Fire station",
        organisation="London Fire Brigade",
        sector=SECTOR_GLA_GROUP,
        postcode=df["Postcode"],
        status=closed.map({True: "closed", False: "open"}),
        easting=df["X (easting)"],
        northing=df["Y (northing)"],
        lat=df["Latitude"],
        lon=df["Longitude"],
    )


def read_police_front_counters(path: Path) -> pd.DataFrame:
    """Metropolitan Police front counters, category ``emergency_services``.

    Parameters
    ----------
    path : pathlib.Path
        The ``police_front_counters`` file (CSV) from the mirror or the download cache.

    Returns
    -------
    pandas.DataFrame
        One row per record, columns :data:`SOURCE_COLUMNS`, re-indexed from 0;
        postcodes in canonical form. Record ids are slugs of the station names;
        provenance "unverified provenance" on every row (plus any postcode-sector
        fallback geocode note); all open.
        ``coords`` ``"bng"``: ``easting``/``northing`` (British National Grid,
        EPSG:27700, metres) are the file's own pair; ``lat``/``lon`` (WGS84, EPSG:4326,
        degrees) as the file gives them, if at all.

    Raises
    ------
    DataSourceError
        When the file cannot be read as CSV or lacks a required column.
    """
    df = read_table(
        path,
        dataset="police_front_counters",
        dtype=str,
        required=["station", "postcode", "easting", "northing", "lat", "lon", "geocode"],
    )
    names = _text(df["station"])
    note = _geocode_note(df["geocode"]).map(lambda n: f"{UNVERIFIED_NOTE}; {n}" if n else UNVERIFIED_NOTE)
    return _frame(
        df,
        "bng",
        source_record_id=_slug_ids(names),
        name=names,
        category="emergency_services",
        subtype="Police front counter",
        organisation="Metropolitan Police Service",
        sector=SECTOR_GLA_GROUP,
        postcode=df["postcode"],
        status="open",
        provenance=note,
        easting=df["easting"],
        northing=df["northing"],
        lat=df["lat"],
        lon=df["lon"],
    )


def read_places_of_worship(path: Path) -> pd.DataFrame:
    """Places of worship from OpenStreetMap (ODbL), category ``faith``.

    Parameters
    ----------
    path : pathlib.Path
        The ``places_of_worship`` file (CSV) from the mirror or the download cache.

    Returns
    -------
    pandas.DataFrame
        One row per record, columns :data:`SOURCE_COLUMNS`, re-indexed from 0;
        postcodes in canonical form. Sub-type "Place of worship: <religion>"
        ("unknown" when untagged); unnamed ones are called "Unnamed place of worship
        (<religion>)"; all open.
        ``coords`` ``"wgs84"``: ``lat``/``lon`` (WGS84, EPSG:4326, degrees) are the
        file's own pair; ``easting``/``northing`` are NaN until
        :func:`anchormap.data.layers.anchors.complete_coordinates` fills them.

    Raises
    ------
    DataSourceError
        When the file cannot be read as CSV or lacks a required column.
    """
    df = read_table(path, dataset="places_of_worship", dtype=str, required=["osm_id", "religion", "name", "lon", "lat"])
    religion = _text(df["religion"]).str.lower()
    religion = religion.where(religion != "", "unknown")
    names = _text(df["name"])
    unnamed = "Unnamed place of worship (" + religion + ")"
    return _frame(
        df,
        "wgs84",
        source_record_id=_text(df["osm_id"]),
        name=names.where(names != "", unnamed),
        category="faith",
        subtype="Place of worship: " + religion,
        sector=SECTOR_FAITH,
        status="open",
        lat=df["lat"],
        lon=df["lon"],
    )


GLA_CODE = "E12000007"
"""``organisation_code`` of the Greater London Authority in ``council_civic_hq`` (the London region)."""
COUNCIL_HQ = "Town hall / civic centre"
GLA_HQ = "Greater London Authority"
_AUTHORITY_WORDS = re.compile(r"^(?:London Borough of|Royal Borough of)\s+|\s+(?:City Council|Corporation)$")


def authority_place(organisation: object) -> str:
    """The place of a London authority's name, as the boroughs layer spells boroughs.

    >>> authority_place("London Borough of Barking and Dagenham"), authority_place("Royal Borough of Greenwich")
    ('Barking and Dagenham', 'Greenwich')
    >>> authority_place("Westminster City Council"), authority_place("City of London Corporation")
    ('Westminster', 'City of London')
    """
    return _AUTHORITY_WORDS.sub("", clean_text(organisation))


def read_council_headquarters(path: Path) -> pd.DataFrame:
    """Headquarters of the 33 London authorities and the GLA's City Hall, category ``council_civic``.

    Parameters
    ----------
    path : pathlib.Path
        The ``council_civic_hq`` file (CSV) from the mirror or the download cache.

    Returns
    -------
    pandas.DataFrame
        One row per authority, columns :data:`SOURCE_COLUMNS`, re-indexed from 0; postcodes
        in canonical form. Record id is ``organisation_code`` (the authority's E09 code,
        E12000007 for the GLA). Sub-type :data:`COUNCIL_HQ` for a borough council or the City
        of London Corporation, :data:`GLA_HQ` for the GLA; organisation "<place> (local
        authority)" or "Greater London Authority"; sector "Local authority" or "Greater London
        Authority group" from the code; ``stated_borough`` the E09 code (none for the GLA,
        whose City Hall is in Newham); all open.
        ``coords`` per row: ``"bng"`` (``easting``/``northing``, EPSG:27700 metres, copied from
        the postcode's Code-Point row) for rows placed by postcode; ``"wgs84"`` (``lat``/``lon``,
        EPSG:4326 degrees, the building's published coordinates) for rows whose ``note`` says
        ``GEOCODE FALLBACK``, which are marked :data:`APPROXIMATE_NOTE`. A row with no
        coordinates (``NOT GEOCODED``) keeps NaN and is listed by the build report.

    Raises
    ------
    DataSourceError
        When the file cannot be read as CSV or lacks a required column.
    """
    df = read_table(
        path,
        dataset="council_civic_hq",
        dtype=str,
        required=[
            "organisation",
            "organisation_code",
            "site_name",
            "address",
            "postcode",
            "easting",
            "northing",
            "lat",
            "lon",
            "note",
        ],
    )
    code = _text(df["organisation_code"]).str.upper()
    gla = code == GLA_CODE
    note = _text(df["note"]).str.upper()
    fallback = note.str.contains("GEOCODE FALLBACK", regex=False)
    organisation = (df["organisation"].map(authority_place) + " (local authority)").where(~gla, GLA_HQ)
    return _frame(
        df,
        fallback.map({True: "wgs84", False: "bng"}),
        source_record_id=code,
        name=_text(df["site_name"]),
        category="council_civic",
        subtype=gla.map({True: GLA_HQ, False: COUNCIL_HQ}),
        organisation=organisation,
        sector=gla.map({True: SECTOR_GLA_GROUP, False: SECTOR_LOCAL_AUTHORITY}),
        stated_borough=code.where(code.str.startswith("E09"), ""),
        address=_text(df["address"]),
        postcode=df["postcode"],
        status="open",
        provenance=fallback.map({True: APPROXIMATE_NOTE, False: ""}),
        easting=df["easting"],
        northing=df["northing"],
        lat=df["lat"],
        lon=df["lon"],
    )


_JOBCENTRE_TYPES = {"JCP": "Jobcentre Plus office", "BDC": "Benefit delivery centre"}
"""DWP's ``TYPE`` codes in the jobcentre list -> sub-type."""


def read_jobcentres(path: Path) -> pd.DataFrame:
    """Jobcentre Plus offices as the DWP listed them in 2016, category ``jobcentres``.

    Parameters
    ----------
    path : pathlib.Path
        The ``dwp_jobcentres_2016`` file (CSV) from the mirror or the download cache.

    Returns
    -------
    pandas.DataFrame
        One row per office, columns :data:`SOURCE_COLUMNS`, re-indexed from 0; postcodes in
        canonical form (``postcode_clean``, the published ``POSTCODE`` with its typing errors
        corrected). Record id is DWP's office id (``MNEMONIC``); sub-type from ``TYPE``
        ("Jobcentre Plus office"); organisation "Department for Work and Pensions", sector
        "Central government"; all open *as listed in 2016* (the list has no closures; the
        dataset's date says how old it is). Provenance from the file's own fields: a
        ``geocode`` of ``sector_centroid`` is a postcode-sector fallback geocode (the office's
        postcode is no longer in Code-Point), and a ``postcode_clean`` that differs from
        ``POSTCODE`` is :data:`POSTCODE_CORRECTED_NOTE`.
        ``coords`` ``"bng"``: ``easting``/``northing`` (British National Grid, EPSG:27700,
        metres) as the file gives them from Code-Point; ``lat``/``lon`` (WGS84, degrees) too.

    Raises
    ------
    DataSourceError
        When the file cannot be read as CSV or lacks a required column.
    """
    df = read_table(
        path,
        dataset="dwp_jobcentres_2016",
        dtype=str,
        required=[
            "MNEMONIC",
            "TYPE",
            "NAME",
            "BUILDINGNAME",
            "STREET",
            "TOWN",
            "CITY",
            "POSTCODE",
            "postcode_clean",
            "easting",
            "northing",
            "lat",
            "lon",
            "geocode",
        ],
    )
    published = df["POSTCODE"].map(format_postcode)
    cleaned = df["postcode_clean"].map(format_postcode)
    corrected = published.str.replace(" ", "") != cleaned.str.replace(" ", "")
    notes = [
        "; ".join(n for n in (g, POSTCODE_CORRECTED_NOTE if c else "") if n)
        for g, c in zip(_geocode_note(df["geocode"]), corrected, strict=True)
    ]
    kind = _text(df["TYPE"]).str.upper()
    return _frame(
        df,
        "bng",
        source_record_id=_text(df["MNEMONIC"]),
        name=_text(df["NAME"]),
        category="jobcentres",
        subtype=kind.map(_JOBCENTRE_TYPES).fillna("Jobcentre Plus office"),
        organisation="Department for Work and Pensions",
        sector=SECTOR_CENTRAL_GOVERNMENT,
        address=_address(df, ["BUILDINGNAME", "STREET", "TOWN", "CITY"]),
        postcode=cleaned,
        status="open",
        provenance=notes,
        easting=df["easting"],
        northing=df["northing"],
        lat=df["lat"],
        lon=df["lon"],
    )


_SLUG = re.compile(r"[^a-z0-9]+")


def _slug_ids(names: pd.Series) -> pd.Series:
    """Stable record ids from names ("Barking and Dagenham/Castle Green" -> "barking-and-dagenham/castle-green").

    Files without an id column get these; a repeated name gets "-2", "-3"... in file order.
    """
    slugs = names.map(lambda n: "/".join(_SLUG.sub("-", part.lower()).strip("-") for part in n.split("/")))
    seen = slugs.groupby(slugs).cumcount()
    return slugs.where(seen == 0, slugs + "-" + (seen + 1).astype(str))


READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "hospitals": read_hospitals,
    "nhs_trusts": read_nhs_trusts,
    "gp_practices": read_gp_practices,
    "he_providers": read_he_providers,
    "schools": read_schools,
    "libraries": read_libraries,
    "museums": read_museums,
    "fire_stations": read_fire_stations,
    "police_front_counters": read_police_front_counters,
    "places_of_worship": read_places_of_worship,
    "council_civic_hq": read_council_headquarters,
    "dwp_jobcentres_2016": read_jobcentres,
}
"""Anchor dataset id -> reader. Every anchor dataset in the manifest is here."""


def he_duplicates(frames: dict[str, pd.DataFrame]) -> dict[str, pd.Series]:
    """Rows that repeat a site already given by another source: {source: boolean mask}.

    - GIAS higher-education institutions that Discover Uni also lists (same postcode or
      matching name): Discover Uni is the higher-education source.
    - Discover Uni providers at the same postcode as a GIAS further-education college: the
      GIAS record is kept, as it says what kind of college it is.

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        Reader output by dataset id; needs ``he_providers`` and ``schools`` (with its
        ``gias_category`` column). Names match as :func:`anchormap.names.names_match`
        says (against Discover Uni's names and organisations).

    Returns
    -------
    dict of str to pandas.Series of bool
        ``{"schools": mask, "he_providers": mask}``, each aligned with its frame's index;
        True marks a row to drop as a duplicate.
    """
    he, schools = frames["he_providers"], frames["schools"]
    gias_he = schools["gias_category"] == "he_institution"
    he_postcodes = set(he["postcode"])
    dup_gias = gias_he & schools.apply(
        lambda r: (
            r["postcode"] in he_postcodes
            or any(names_match(r["name"], n) for n in he["name"])
            or any(names_match(r["name"], n) for n in he["organisation"])
        ),
        axis=1,
    )
    fe_postcodes = set(
        schools.loc[schools["subtype"].isin(["Further education college", "Sixth form college"]), "postcode"]
    ) - {""}
    dup_he = he["postcode"].isin(fe_postcodes)
    return {"schools": dup_gias, "he_providers": dup_he}
