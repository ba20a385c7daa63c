"""Writing tables to files people open with no options: CSV, Excel, GeoJSON and GeoPackage, atomically.

========  =====================================================================================
format    what is written
========  =====================================================================================
csv       RFC 4180 (CRLF line ends, one header row, no comment lines), UTF-8 with a byte-order
          mark so that Excel shows £, accents and ×; no geometry. The metadata goes into the
          W3C CSVW sidecar ``NAME.csv-metadata.json`` beside it (:mod:`anchormap.data.csvw`).
          Formula-like text gets an apostrophe (:mod:`anchormap.data.formulas`).
xlsx      the table on the first sheet, typed and with a frozen header, then an "About" sheet
          (the metadata in words) and a "Columns" sheet (:mod:`anchormap.data.xlsx`).
geojson   RFC 7946: WGS84 (EPSG:4326) coordinates, the metadata in a top-level ``anchormap``
          member.
gpkg      GeoPackage in British National Grid (EPSG:27700): the table as one named layer (its
          description is the title) and the metadata in words as the layer's metadata
          (:func:`gpkg_metadata`), so that the file opens on its one layer with no warning.
========  =====================================================================================

A column of dicts or lists (the ``extra`` attributes of land assets) is written as JSON text in
CSV, XLSX and GeoPackage and as a JSON object in GeoJSON. pandas, geopandas and openpyxl read every
file back with no options.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from anchormap.atomic import atomic_path
from anchormap.crs import BNG
from anchormap.data.about import ExportAbout
from anchormap.data.attribution import attribution_lines
from anchormap.data.build import load_layer
from anchormap.data.columns import column_info
from anchormap.data.csvw import sidecar_path, write_sidecar
from anchormap.data.formulas import FORMULA_START, csv_safe, csv_text, looks_like_formula, neutralise_formula
from anchormap.editions import edition_info
from anchormap.errors import AnchorMapError

__all__ = [
    "DOWNLOADS",
    "FILE_TYPES",
    "FORMATS",
    "FORMULA_START",
    "csv_safe",
    "csv_text",
    "download_name",
    "export_file_bytes",
    "export_lsoa",
    "flat_table",
    "looks_like_formula",
    "lsoa_layer",
    "neutralise_formula",
    "one_line",
    "write_table",
    "written_files",
    "written_text",
]

FORMATS = ("csv", "xlsx", "geojson", "gpkg")
"""The formats every export can be written in (``--format``)."""

FILE_TYPES = {
    "csv": ("text/csv", ".csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "geojson": ("application/geo+json", ".geojson"),
    "gpkg": ("application/geopackage+sqlite3", ".gpkg"),
    "csvw": ("application/csvm+json", ".csv-metadata.json"),
}
"""Format -> (MIME type, file name ending); ``csvw`` is the sidecar of a CSV."""


DOWNLOADS = {
    "csv": ("CSV", "Opens in Excel, LibreOffice and pandas as it is (UTF-8 with a byte-order mark)."),
    "xlsx": ("Excel (XLSX)", "The table, an About sheet (parameters, sources, date) and a Columns sheet."),
    "geojson": ("GeoJSON", "For web maps: WGS84 (EPSG:4326) coordinates."),
    "gpkg": ("GeoPackage", "For QGIS and ArcGIS: British National Grid (EPSG:27700)."),
    "csvw": (
        "Column descriptions (JSON)",
        "The CSV's parameters, sources, column titles and units (W3C CSV on the Web): keep it beside the CSV.",
    ),
}
"""The download buttons of a page, in order: format -> (label, help)."""


def download_name(stem: str, fmt: str) -> str:
    """The file name of a download: ``stem`` and the format's ending (a CSV's sidecar matches its CSV).

    >>> download_name("anchormap-gaps-2025-imd", "xlsx"), download_name("land", "csvw")
    ('anchormap-gaps-2025-imd.xlsx', 'land.csv-metadata.json')
    """
    return stem + FILE_TYPES[fmt][1]


def one_line(value: object) -> str:
    """``value`` as text on one line (line breaks become spaces).

    >>> one_line("Lewisham" + chr(10) + "=HYPERLINK(1)")
    'Lewisham =HYPERLINK(1)'
    """
    return " ".join(str(value).splitlines())


def _json_cell(value: object) -> object:
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str) if len(value) else None
    return value


def _tidy_object(series: pd.Series) -> pd.Series:
    """An object column as a typed one: whole numbers as Int64, numbers as float, else text."""
    values = series.dropna()
    if values.empty:
        return series
    if values.map(lambda v: isinstance(v, dict | list | tuple)).any():
        return pd.Series([_json_cell(v) for v in series], index=series.index, dtype=object)
    if values.map(lambda v: isinstance(v, bool)).all():
        return series.astype("boolean")
    if values.map(lambda v: isinstance(v, int) and not isinstance(v, bool)).all():
        return series.astype("Int64")
    if values.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool)).all():
        return series.astype(float)
    return series.map(lambda v: v if v is None or isinstance(v, str) or v != v else str(v))


def flat_table(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` without geometry, as written to CSV and XLSX: categorical columns as text, dict and
    list cells as JSON text (empty ones empty), object columns of numbers typed.

    Parameters
    ----------
    df : pandas.DataFrame
        Any table (a ``geometry`` column is dropped).

    Returns
    -------
    pandas.DataFrame

    >>> flat_table(pd.DataFrame({"extra": [{"Vacant From": "2024"}, {}], "n": [1, None]}))["extra"].tolist()
    ['{"Vacant From": "2024"}', None]
    """
    out = pd.DataFrame(df.drop(columns="geometry", errors="ignore")).copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(object)
        if out[col].dtype == object:
            out[col] = _tidy_object(out[col])
    return out


def _write_csv(table: pd.DataFrame, out: Path, about: ExportAbout) -> None:
    with atomic_path(out, suffix=".csv") as tmp:
        csv_safe(table).to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    write_sidecar(table, out, about)


def _geo(df: pd.DataFrame, fmt: str) -> gpd.GeoDataFrame:
    if not isinstance(df, gpd.GeoDataFrame) or "geometry" not in df:
        name = {"geojson": "GeoJSON", "gpkg": "GeoPackage"}[fmt]
        msg = f"{name} export needs a layer with geometry (locations); choose csv or xlsx."
        raise AnchorMapError(msg)
    return df


def _write_geojson(df: pd.DataFrame, out: Path, about: ExportAbout) -> None:
    gdf = _geo(df, "geojson").to_crs(4326)
    for col in gdf.columns:
        if isinstance(gdf[col].dtype, pd.CategoricalDtype):
            gdf[col] = gdf[col].astype(object)
    doc = json.loads(gdf.to_json(drop_id=True, to_wgs84=False, default=str))
    doc["anchormap"] = about.member()
    with atomic_path(out, suffix=".geojson") as tmp:
        tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def gpkg_metadata(about: ExportAbout, columns: Iterable[str]) -> dict[str, str]:
    """The GeoPackage layer's metadata: :meth:`ExportAbout.items` (repeated items numbered), then
    one ``Column <name>`` item per column with its title, unit and description.

    GDAL keeps it in the file's ``gpkg_metadata`` table; ``pyogrio.read_info(path)["layer_metadata"]``
    reads it back. Kept there, not in extra layers, so that a GeoPackage opens on its one layer
    with no options (and no warning about several layers).
    """
    out: dict[str, str] = {}
    for item, text in about.items():
        key, n = item, 2
        while key in out:
            key, n = f"{item} {n}", n + 1
        out[key] = one_line(text)
    for col in columns:
        info = column_info(str(col))
        unit = f" ({info.unit})" if info.unit else ""
        out[f"Column {col}"] = one_line(f"{info.title}{unit}. {info.description}".strip().rstrip("."))
    return out


def _write_gpkg(df: pd.DataFrame, out: Path, about: ExportAbout, layer: str) -> None:
    import pyogrio

    gdf = _geo(df, "gpkg")
    gdf = gdf.set_crs(BNG) if gdf.crs is None else gdf.to_crs(BNG)
    data = gpd.GeoDataFrame(flat_table(gdf), geometry=gdf.geometry.values, crs=BNG)
    meta = gpkg_metadata(about, [c for c in data.columns if c != "geometry"])
    with atomic_path(out, suffix=".gpkg") as tmp:
        pyogrio.write_dataframe(
            data,
            tmp,
            layer=layer,
            driver="GPKG",
            layer_options={"DESCRIPTION": one_line(about.title)},
            layer_metadata=meta,
        )


def write_table(
    df: pd.DataFrame,
    fmt: str,
    out: str | Path,
    metadata: dict | None = None,
    *,
    layer: str = "data",
    datasets: Iterable[str] = (),
    title: str = "AnchorMap export",
) -> int:
    """Write ``df`` as CSV (with its CSVW sidecar), XLSX, GeoJSON (WGS84) or GeoPackage (EPSG:27700).

    Parameters
    ----------
    df : pandas.DataFrame or geopandas.GeoDataFrame
        The table; GeoJSON and GeoPackage need a GeoDataFrame (any CRS; reprojected).
    fmt : {"csv", "xlsx", "geojson", "gpkg"}
        The format (see the module's table).
    out : str or pathlib.Path
        The file to write (replaced atomically); a CSV's sidecar goes beside it
        (:func:`anchormap.data.csvw.sidecar_path`).
    metadata : dict, optional
        Flat metadata (see :meth:`anchormap.data.about.ExportAbout.from_metadata`): ``title``,
        ``formula``, ``attribution`` and plain parameters.
    layer : str
        The GeoPackage layer's name (e.g. ``"gaps"``, ``"lsoa_2025"``).
    datasets : iterable of str
        Manifest ids of the datasets in the table, for the licences.
    title : str
        The title when ``metadata`` gives none.

    Returns
    -------
    int
        Rows written.

    Raises
    ------
    AnchorMapError
        An unknown format, or a map format for a table without geometry.
    """
    out = Path(out)
    about = ExportAbout.from_metadata(metadata, title=title, datasets=datasets)
    if fmt == "csv":
        _write_csv(flat_table(df), out, about)
    elif fmt == "xlsx":
        from anchormap.data.xlsx import write_xlsx  # openpyxl only when a workbook is written

        write_xlsx(flat_table(df), out, about, sheet=layer)
    elif fmt == "geojson":
        _write_geojson(df, out, about)
    elif fmt == "gpkg":
        _write_gpkg(df, out, about, layer)
    else:
        msg = f"Unknown format '{fmt}': choose {', '.join(FORMATS[:-1])} or {FORMATS[-1]}."
        raise AnchorMapError(msg)
    return len(df)


def written_files(fmt: str, out: str | Path) -> list[Path]:
    """The files :func:`write_table` writes for ``fmt`` at ``out`` (a CSV and its sidecar).

    >>> [p.name for p in written_files("csv", "gaps.csv")]
    ['gaps.csv', 'gaps.csv-metadata.json']
    """
    out = Path(out)
    return [out, sidecar_path(out)] if fmt == "csv" else [out]


def written_text(fmt: str, out: str | Path) -> str:
    """Where :func:`write_table` wrote, in words (for the command line).

    >>> written_text("csv", "gaps.csv")
    'gaps.csv (its metadata and column descriptions in gaps.csv-metadata.json)'
    >>> written_text("gpkg", "gaps.gpkg")
    'gaps.gpkg'
    """
    files = written_files(fmt, out)
    extra = f" (its metadata and column descriptions in {files[1]})" if len(files) > 1 else ""
    return f"{files[0]}{extra}"


def export_file_bytes(write: Callable[[str, Path], object], fmt: str, file_name: str) -> bytes:
    """The bytes of the file ``write(fmt, path)`` writes (for download buttons).

    Parameters
    ----------
    write : callable
        Writes the export in a format to a path (e.g. a :func:`write_table` partial).
    fmt : {"csv", "xlsx", "geojson", "gpkg", "csvw"}
        The format; ``csvw`` gives the sidecar of the CSV.
    file_name : str
        The downloaded file's name: a sidecar's ``url`` names the CSV, so pass the CSV's name
        for ``csvw`` (``gaps.csv`` gives ``gaps.csv-metadata.json``).

    Returns
    -------
    bytes
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(file_name).name
        if fmt == "csvw":
            write("csv", path)
            return sidecar_path(path).read_bytes()
        write(fmt, path)
        return path.read_bytes()


def lsoa_layer(edition: int) -> gpd.GeoDataFrame:
    """The analysis LSOA layer of an IoD edition.

    Parameters
    ----------
    edition : int
        An edition year (2019: LSOA 2011; 2025: LSOA 2021; see :mod:`anchormap.editions`).

    Returns
    -------
    geopandas.GeoDataFrame
        Its LSOA polygons (EPSG:27700, metres) with every measure's score, rank and decile.
    """
    return load_layer(edition_info(edition).lsoa_layer)


def export_lsoa(
    edition: int, fmt: str, out: str | Path, lsoa_codes: Iterable[str] | None = None, extra_metadata: dict | None = None
) -> int:
    """Write the LSOA layer of ``edition`` with every measure's score, rank and decile.

    Parameters
    ----------
    edition : int
        An IoD edition year (:mod:`anchormap.editions`).
    fmt : {"csv", "xlsx", "geojson", "gpkg"}
        See :func:`write_table`; the GeoPackage layer is the layer's name (``lsoa_2021``...).
    out : str or pathlib.Path
        The file to write.
    lsoa_codes : iterable of str, optional
        Only these LSOAs (a place's); default every London LSOA.
    extra_metadata : dict, optional
        More items for the file's metadata (e.g. the place).

    Returns
    -------
    int
        Rows written.
    """
    info = edition_info(edition)
    metadata = {
        "title": f"AnchorMap neighbourhoods (LSOA {info.boundaries}) with the Indices of Deprivation {edition}",
        "edition": edition,
        "layer": info.lsoa_layer,
        "crs": "EPSG:27700 (metres) in GeoPackage; EPSG:4326 in GeoJSON",
        **(extra_metadata or {}),
        "attribution": attribution_lines(info.datasets, with_editions=True),
    }
    table = lsoa_layer(edition)
    if lsoa_codes is not None:
        table = table[table["lsoa_code"].isin(set(lsoa_codes))]
    return write_table(table, fmt, out, metadata, layer=info.lsoa_layer, datasets=info.datasets)
