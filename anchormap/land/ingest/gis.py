"""Reading the files GIS teams keep registers in: a GeoPackage (.gpkg) or a zipped shapefile
(.zip holding .shp, .shx, .dbf and .prj), as a table like any other upload.

The bytes are written to a temporary folder (removed afterwards) and read with pyogrio
(GDAL). A zip is untrusted: members whose path leaves the folder, more than
:data:`MAX_ZIP_MEMBERS` members or more than :data:`MAX_UNZIPPED_BYTES` once unpacked are
refused before anything is unpacked, and only the chosen shapefile's own files are written.
When a file holds several layers or shapefiles, the one whose field names look most like a
register is read (:func:`~anchormap.land.ingest.choice.choose_part`), or a person is asked.

Each feature becomes a row numbered as GIS software numbers features (1 for the first
feature): its attributes as text, then its point in British National Grid (EPSG:27700,
metres) reprojected from the file's own coordinate reference system, in two more columns
(``__geometry_easting``/``__geometry_northing``). A point is the site's location; a line or
polygon is placed at a point inside it (``representative_point``), and a polygon's area
(hectares, measured in EPSG:27700) fills the site area when the attributes give none.
A file with no coordinate reference system is read as British National Grid only when
every coordinate is in its range and not in the range of longitudes and latitudes
(the report says so); otherwise it is refused with a message.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from anchormap.crs import BNG
from anchormap.land.ingest.choice import choose_part
from anchormap.land.ingest.headers import GEOMETRY_PREFIX, header_score, normalise_header, recognise_columns
from anchormap.land.ingest.read import MB, Table, cell_text
from anchormap.land.ingest.report import Issue, UploadError

MAX_ZIP_MEMBERS = 1000
"""The most files a zipped shapefile may hold."""
MAX_UNZIPPED_BYTES = 200 * MB
"""The most a zip may hold once unpacked (a guard against zip bombs): 200 MB of 1,048,576 bytes."""
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
"""The files of one shapefile that are unpacked (.shp, .shx and .dbf are required)."""
BNG_BOUNDS = (0.0, 0.0, 700_000.0, 1_300_000.0)
"""Eastings and northings (metres) British National Grid covers: min E, min N, max E, max N."""
DBF_NAME_CHARS = 10
"""A shapefile's attribute names are cut to this many characters."""
STANDARD_HEADERS = (
    "OrganisationURI",
    "OrganisationLabel",
    "SiteReference",
    "PreviouslyPartOf",
    "SiteNameAddress",
    "SiteplanURL",
    "CoordinateReferenceSystem",
    "OwnershipStatus",
    "Deliverable",
    "PlanningStatus",
    "PermissionType",
    "PermissionDate",
    "PlanningHistory",
    "ProposedForPIP",
    "MinNetDwellings",
    "DevelopmentDescription",
    "NonHousingDevelopment",
    "NetDwellingsRangeFrom",
    "NetDwellingsRangeTo",
    "HazardousSubstances",
    "SiteInformation",
    "FirstAddedDate",
    "LastUpdatedDate",
)
"""Brownfield land register data standard (MHCLG, 2017) names longer than a shapefile keeps;
a cut name that begins exactly one of them is read as it (the register template's names are
added by :func:`restore_cut_names`' caller)."""
_UNSAFE = re.compile(r"(^|/)\.\.(/|$)|^/|^[a-zA-Z]:|\\")


def _check_member_names(zf: zipfile.ZipFile, file_name: str) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        msg = f"{file_name} holds {len(infos):,} files; a zipped shapefile may hold at most {MAX_ZIP_MEMBERS:,}."
        raise UploadError(msg)
    for info in infos:
        if _UNSAFE.search(info.filename):
            msg = (
                f"{file_name} holds a file whose path leaves the zip's folder ({info.filename!r}); "
                "the zip is refused. Zip the shapefile's files on their own and upload that."
            )
            raise UploadError(msg)
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        msg = (
            f"{file_name} would unpack to {total / MB:,.0f} MB; the limit is {MAX_UNZIPPED_BYTES // MB} MB. "
            "Zip only the shapefile's own files (.shp, .shx, .dbf, .prj)."
        )
        raise UploadError(msg)
    return infos


def _shapefiles(infos: list[zipfile.ZipInfo]) -> dict[str, dict[str, zipfile.ZipInfo]]:
    """Shapefile name (its path in the zip without the suffix) -> suffix -> member."""
    groups: dict[str, dict[str, zipfile.ZipInfo]] = {}
    for info in infos:
        path = PurePosixPath(info.filename)
        if info.is_dir() or path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        suffix = path.suffix.lower()
        if suffix in SHAPEFILE_PARTS:
            groups.setdefault(str(path.with_suffix("")), {})[suffix] = info
    return {name: parts for name, parts in groups.items() if ".shp" in parts}


def _unzip_shapefiles(data: bytes, file_name: str, folder: Path) -> dict[str, Path]:
    """Unpack every shapefile of the zip under ``folder``: shapefile name -> path of its .shp."""
    import io

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        msg = f"{file_name} is not a readable zip file ({exc}). Zip the shapefile's files again and upload that."
        raise UploadError(msg) from None
    with zf:
        infos = _check_member_names(zf, file_name)
        found = _shapefiles(infos)
        if not found:
            listed = ", ".join(i.filename for i in infos[:10]) or "nothing"
            msg = (
                f"{file_name} holds no shapefile (no .shp file; it holds {listed}). "
                "Zip the shapefile's .shp, .shx, .dbf and .prj files and upload that."
            )
            raise UploadError(msg)
        out: dict[str, Path] = {}
        for n, (name, parts) in enumerate(found.items()):
            lacking = [s for s in (".shx", ".dbf") if s not in parts]
            if lacking:
                msg = (
                    f"{file_name}: the shapefile '{name}' has no {' and no '.join(lacking)} file "
                    "(a shapefile needs its .shp, .shx and .dbf files; .prj says its coordinate system)."
                )
                raise UploadError(msg)
            sub = folder / str(n)
            sub.mkdir()
            for suffix, info in parts.items():
                with zf.open(info) as src:
                    (sub / f"layer{suffix}").write_bytes(src.read(info.file_size + 1))
            out[name] = sub / "layer.shp"
        return out


def restore_cut_names(fields: list[str], known: tuple[str, ...]) -> dict[str, str]:
    """Shapefile field names cut to 10 characters -> the known name each begins.

    A cut name is restored when the known names it begins are one, or all mean the same field.

    >>> restore_cut_names(["SiteNameAd", "Hectares", "NetDwellin"], ("SiteNameAddress", "NetDwellingsRangeFrom",
    ...     "NetDwellingsRangeTo"))
    {'SiteNameAd': 'SiteNameAddress'}
    """
    out = {}
    for f in fields:
        if len(f) != DBF_NAME_CHARS:
            continue
        key = normalise_header(f)
        starts = [k for k in dict.fromkeys(known) if normalise_header(k).startswith(key) and len(k) > len(f)]
        fields = {recognise_columns([k]).popitem()[0] if recognise_columns([k]) else k for k in starts}
        if starts and len(fields) == 1:  # one name, or names that all mean the same field
            out[f] = starts[0]
    return out


def _layer_fields(path: Path, layer: str | None, file_name: str, shapefile: str | None = None) -> list[str]:
    import pyogrio

    try:
        return [str(f) for f in pyogrio.read_info(path, layer=layer)["fields"]]
    except Exception as exc:  # a damaged .shp/.dbf or layer: GDAL's own words, with the file's name
        raise UploadError(_unreadable(file_name, path, layer, exc, shapefile)) from None


def _unreadable(file_name: str, path: Path, layer: str | None, exc: Exception, shapefile: str | None = None) -> str:
    """The message for a file GDAL cannot read: the uploaded file's name (and the part), never a temporary path."""
    part = f" (layer '{layer}')" if layer else (f" (shapefile {shapefile}.shp)" if shapefile else "")
    detail = str(exc).replace(str(path), file_name).replace(str(path.parent), "").strip().rstrip(".")
    return f"{file_name}{part} cannot be read: {detail or exc.__class__.__name__}. Save it again from your GIS and upload it."


def _bng_points(gdf, file_name: str, issues: list[Issue]):
    """The features' geometry in EPSG:27700 (None where a feature has none)."""
    geom = gdf.geometry
    if gdf.crs is None:
        has = geom[geom.notna() & ~geom.is_empty]
        if has.empty:
            return geom
        minx, miny, maxx, maxy = has.total_bounds
        in_bng = minx >= BNG_BOUNDS[0] and miny >= BNG_BOUNDS[1] and maxx <= BNG_BOUNDS[2] and maxy <= BNG_BOUNDS[3]
        if not in_bng or max(abs(maxx), abs(maxy)) <= 180:
            msg = (
                f"{file_name} does not say its coordinate reference system (for a shapefile: no .prj file), "
                "and its coordinates are not clearly British National Grid. Add the .prj file "
                "(or save the layer with its coordinate system) and upload it again."
            )
            raise UploadError(msg)
        issues.append(
            Issue(
                None,
                "geometry",
                "the file does not say its coordinate reference system (no .prj file)",
                "read as British National Grid (EPSG:27700): every coordinate is in its range",
                "warning",
            )
        )
        return geom.set_crs(BNG)
    if gdf.crs.to_epsg() != 27700:
        issues.append(
            Issue(
                None,
                "geometry",
                f"the coordinates are in {gdf.crs.name}",
                "reprojected to British National Grid (EPSG:27700)",
                "note",
            )
        )
    return geom.to_crs(BNG)


def _table(gdf, file_name: str, issues: list[Issue], renamed: dict[str, str]) -> Table:
    import pandas as pd

    attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name) if hasattr(gdf, "geometry") else gdf)
    attrs = attrs.rename(columns=renamed)
    header = [str(c) for c in attrs.columns]
    if renamed:
        pairs = ", ".join(f"{a} as {b}" for a, b in renamed.items())
        issues.append(Issue(None, None, "shapefile field names are cut to 10 letters", f"read {pairs}", "note"))
    values = attrs.astype(object).where(attrs.notna(), None).to_numpy().tolist()
    rows: list[tuple[int, list]] = [(i, [cell_text(v) for v in rec]) for i, rec in enumerate(values, start=1)]
    if not hasattr(gdf, "geometry") or gdf.geometry.isna().all():
        return Table(header=header, header_row=0, rows=rows, row_word="feature")
    geom = _bng_points(gdf, file_name, issues)
    kinds = geom[geom.notna()].geom_type.value_counts()
    not_points = int(kinds.drop(["Point"], errors="ignore").sum())
    if not_points:
        issues.append(
            Issue(
                None,
                "geometry",
                f"{not_points:,} feature(s) are {', '.join(k for k in kinds.index if k != 'Point')}, not points",
                "each placed at a point inside its shape",
                "note",
            )
        )
    area_recognised = {"site_area_ha", "site_area_m2", "site_area_acres"} & set(recognise_columns(header))
    polygons = geom.geom_type.isin(["Polygon", "MultiPolygon"])
    add_area = bool(polygons.any()) and not area_recognised
    if add_area:
        issues.append(
            Issue(
                None,
                "geometry",
                "the attributes give no site area",
                "site area measured from each polygon (hectares, British National Grid)",
                "note",
            )
        )
    for (_, cells), g, is_poly in zip(rows, geom, polygons):
        x = y = area = None
        if g is not None and not g.is_empty:
            p = g if g.geom_type == "Point" else g.representative_point()
            x, y = cell_text(round(p.x, 2)), cell_text(round(p.y, 2))
            if add_area and is_poly:
                area = cell_text(round(g.area / 10_000, 4))
        cells.extend([x, y, area] if add_area else [x, y])
    extra = [f"{GEOMETRY_PREFIX}easting", f"{GEOMETRY_PREFIX}northing"]
    if add_area:
        extra.append(f"{GEOMETRY_PREFIX}site_area_ha")
    return Table(header=[*header, *extra], header_row=0, rows=rows, row_word="feature")


def _read(path: Path, layer: str | None, file_name: str, shapefile: str | None = None):
    import geopandas as gpd

    try:
        return gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError, FieldError...
        raise UploadError(_unreadable(file_name, path, layer, exc, shapefile)) from None


def read_gis_table(
    data: bytes, file_name: str, issues: list[Issue], kind: str, part: str | None = None, known_headers=()
) -> Table:
    """A GeoPackage's layer or a zipped shapefile as a table of its features.

    Parameters
    ----------
    data : bytes
        The file.
    file_name : str
        Named in messages.
    issues : list of Issue
        The report (which layer was read, reprojection, shapes placed at a point...).
    kind : str
        "gpkg" or "shapefile_zip".
    part : str, optional
        The layer (GeoPackage) or shapefile (its name in the zip, without .shp) to read; by
        default the one whose field names are recognised best.
    known_headers : tuple of str
        Long header names (besides :data:`STANDARD_HEADERS`) that a shapefile's cut field
        names are read as.

    Returns
    -------
    Table
        Rows numbered by feature (1 for the first); the point of each feature in EPSG:27700
        metres in ``__geometry_easting``/``__geometry_northing``.

    Raises
    ------
    UploadError
        When the file cannot be read, is unsafe, or has no coordinate reference system.
    anchormap.land.ingest.choice.ChoiceNeeded
        When two layers or shapefiles look equally like a register.
    """
    import pyogrio

    with tempfile.TemporaryDirectory(prefix="anchormap-upload-") as tmp:
        folder = Path(tmp)
        renamed: dict[str, str] = {}
        if kind == "gpkg":
            path = folder / "upload.gpkg"
            path.write_bytes(data)
            try:
                layers = [str(row[0]) for row in pyogrio.list_layers(path)]
            except Exception as exc:  # DataSourceError for a file GDAL cannot open
                msg = _unreadable(file_name, path, None, exc).replace(
                    " cannot be read:", " cannot be read as a GeoPackage:"
                )
                raise UploadError(msg) from None
            scores = {name: header_score(_layer_fields(path, name, file_name)) for name in layers}
            layer = choose_part(scores, part, file_name, "layer", issues)
            gdf = _read(path, layer, file_name)
        else:
            shapefiles = _unzip_shapefiles(data, file_name, folder)
            scores = {name: header_score(_layer_fields(p, None, file_name, name)) for name, p in shapefiles.items()}
            chosen = choose_part(scores, part, file_name, "shapefile", issues)
            path = shapefiles[chosen]
            gdf = _read(path, None, file_name, chosen)
            renamed = restore_cut_names(
                [str(c) for c in gdf.columns if c != "geometry"], (*STANDARD_HEADERS, *known_headers)
            )
        if gdf.empty:
            msg = f"{file_name} has no features."
            raise UploadError(msg)
        return _table(gdf, file_name, issues, renamed)
