"""Benchmark: exported files and uploaded registers in every format (prints figures).

    python benchmarks/files.py

Exports: the 2025 gap ranking of every LSOA in deciles 1-2 (15 minutes' walk) and every land
asset (built-in registers), written as CSV (+ its CSVW sidecar), XLSX, GeoJSON and GeoPackage;
the time and size of each. Uploads: the GLA London Brownfield Register 2017 (1,079 real rows)
written as CSV, GeoPackage, zipped shapefile, a two-sheet XLSX and ODS, then validated; the time
of each against the CSV's. Best of 3 runs, warm layers.
"""

from __future__ import annotations

import io
import tempfile
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
from land import best  # benchmarks/land.py: best of n runs (run as a script, the folder is on the path)
from shapely.geometry import Point

from anchormap import GapParams, export_assets, export_gaps, load_layer, prepare, rank_gaps, read_upload
from anchormap.data.sources import resolve
from anchormap.land.assets import all_assets

FORMATS = ("csv", "xlsx", "geojson", "gpkg")
HELPER_COLUMNS = ["coord_source_kind", "lon_wgs84", "lat_wgs84", "easting_bng", "northing_bng", "ownership_norm"]
"""Columns the mirror's curator added to the GLA register (not the register's own)."""


def size_of(path: Path) -> str:
    sidecar = path.with_name(path.name + "-metadata.json")
    extra = f" + sidecar {sidecar.stat().st_size / 1e3:.1f} kB" if sidecar.exists() else ""
    return f"{path.stat().st_size / 1e6:6.2f} MB{extra}"


def exports(tmp: Path) -> None:
    params = GapParams(edition=2025, measure="imd", deciles="1,2", walk_minutes=15)
    ctx = prepare(2025, load_layer("anchors"), "the anchors layer", max_radius_m=5000.0)
    table = rank_gaps(ctx, params)
    assets = all_assets()
    for what, rows, write in (
        ("gaps", len(table), lambda fmt, out: export_gaps(table, params, fmt, out)),
        ("land", len(assets), lambda fmt, out: export_assets(fmt, out, assets=assets)),
    ):
        for fmt in FORMATS:
            out = tmp / f"{what}.{fmt}"
            secs, _ = best(lambda fmt=fmt, out=out, write=write: write(fmt, out))
            print(f"export {what:5} {rows:6,} rows  {fmt:8} {secs * 1000:7.0f} ms  {size_of(out)}")


def register_files(tmp: Path) -> dict[str, bytes]:
    source = pd.read_csv(resolve("brownfield_london_2017").path, dtype={"SiteReference": str})
    register = source.drop(columns=HELPER_COLUMNS)
    placeable = source["coord_source_kind"] != "ecef_xy_etrs89"
    points = [Point(x, y) if ok else None for x, y, ok in zip(source["lon_wgs84"], source["lat_wgs84"], placeable)]
    gis = gpd.GeoDataFrame(register, geometry=points, crs="EPSG:4326")
    files = {"csv": register.to_csv(index=False).encode("utf-8")}
    gis.to_file(tmp / "r.gpkg", layer="brownfield_sites", engine="pyogrio")
    files["gpkg"] = (tmp / "r.gpkg").read_bytes()
    (tmp / "shp").mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # field names cut to 10 letters
        gis.to_file(tmp / "shp" / "sites.shp", engine="pyogrio")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted((tmp / "shp").iterdir()):
            zf.writestr(p.name, p.read_bytes())
    files["zip"] = buf.getvalue()
    clean = register.apply(
        lambda c: (
            c.str.replace(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", regex=True) if pd.api.types.is_string_dtype(c) else c
        )
    )
    for suffix, engine in (("xlsx", "openpyxl"), ("ods", "odf")):
        out = io.BytesIO()
        with pd.ExcelWriter(out, engine=engine) as xl:
            pd.DataFrame({"About": ["London Brownfield Register 2017"]}).to_excel(xl, sheet_name="Cover", index=False)
            clean.to_excel(xl, sheet_name="Register", index=False)
        files[suffix] = out.getvalue()
    return files


def uploads(tmp: Path) -> None:
    files = register_files(tmp)
    read_upload(files["csv"], "warm.csv", "GLA")
    base = None
    for suffix, data in files.items():
        secs, r = best(lambda suffix=suffix, data=data: read_upload(data, f"register.{suffix}", "GLA"))
        base = base or secs
        print(
            f"upload {suffix:5} {len(data) / 1e6:5.2f} MB  validate {secs * 1000:6.0f} ms ({secs / base:.2f}x CSV)  "
            f"{r.rows_accepted} valid, {r.rows_rejected} rejected"
        )


def main() -> None:
    for layer in ("postcodes", "boroughs", "anchors", "lsoa_2021"):
        load_layer(layer)
    with tempfile.TemporaryDirectory() as tmp:
        exports(Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        uploads(Path(tmp))


if __name__ == "__main__":
    main()
