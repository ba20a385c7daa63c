"""``anchormap data build|status`` and ``export lsoa`` end to end, in a temporary cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

from anchormap.cli import main


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "anchormap", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_build_twice_second_run_rebuilds_nothing(tmp_path, capsys):
    cache = str(tmp_path / "cache")
    assert main(["--cache", cache, "data", "build", "lsoa_2011", "boroughs", "postcodes"]) == 0
    first = capsys.readouterr().out
    assert "lsoa_2011: built 4835 rows" in first and "boroughs: built 33 rows" in first
    assert (Path(cache) / "layers" / "lsoa_2011.parquet").is_file()

    assert main(["--cache", cache, "data", "build", "lsoa_2011", "boroughs", "postcodes"]) == 0
    second = capsys.readouterr().out
    assert ": built" not in second and "building" not in second
    assert second.count("up to date") == 4  # three layers and the summary line
    assert "Nothing to rebuild: all 3 layers are up to date." in second


def test_changed_source_is_rebuilt_and_touched_source_is_not(tmp_path, mirror, capsys, monkeypatch):
    # a private mirror holding just the borough files, so they can be touched and changed
    private = tmp_path / "mirror"
    shutil.copytree(mirror / "boroughs", private / "boroughs")
    cache = str(tmp_path / "cache")
    args = ["--cache", cache, "--mirror", str(private), "data", "build", "boroughs"]
    assert main(args) == 0
    capsys.readouterr()

    shp = private / "boroughs" / "london-2021-lad22-gen20.shp"
    os.utime(shp, (shp.stat().st_atime, shp.stat().st_mtime + 100))  # same bytes, new time
    assert main(args) == 0
    assert "Nothing to rebuild" in capsys.readouterr().out

    with open(shp, "ab") as fh:  # different bytes: the manifest's checksum no longer matches
        fh.write(b"\0")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "boroughs" in err and "corrupt" in err and "Traceback" not in err


def test_missing_mirror_gives_a_message_not_a_traceback(tmp_path):
    proc = _run(
        "--cache",
        str(tmp_path / "cache"),
        "--mirror",
        str(tmp_path / "nowhere"),
        "data",
        "build",
        "lsoa_2011",
        env={"ANCHORMAP_OFFLINE": "1"},
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "lsoa2011" in proc.stderr and "--mirror" in proc.stderr


def test_status_lists_every_dataset(tmp_path):
    proc = _run("--cache", str(tmp_path / "cache"), "data", "status", "--no-download")
    assert proc.returncode == 0, proc.stderr
    for ds in ("lsoa2011", "imd2025", "postcodes", "places_of_worship"):
        assert ds in proc.stdout
    assert "OGL-3.0" in proc.stdout and "ODbL-1.0" in proc.stdout
    assert "MISSING" not in proc.stdout


def test_export_lsoa_csv_and_geojson(tmp_path, mirror):
    csv_out = tmp_path / "lsoa2019.csv"
    assert main(["export", "lsoa", "--edition", "2019", "--format", "csv", "--out", str(csv_out)]) == 0
    df = pd.read_csv(csv_out)
    assert len(df) == 4835
    assert {"lsoa_code", "lsoa_name", "borough_name", "imd_decile", "idaci_score", "idaopi_rank"} <= set(df.columns)
    raw = pd.read_csv(mirror / "imd2019/london_imd2019_lsoa11_derived.csv").set_index("LSOA code (2011)")
    first = df.set_index("lsoa_code").loc["E01000001"]
    assert first["imd_score"] == raw.loc["E01000001", "Index of Multiple Deprivation (IMD) Score"]

    gj_out = tmp_path / "lsoa2025.geojson"
    assert main(["export", "lsoa", "--edition", "2025", "--format", "geojson", "--out", str(gj_out)]) == 0
    gdf = gpd.read_file(gj_out)
    assert len(gdf) == 4994 and gdf.crs.to_epsg() == 4326
    assert gdf.geometry.is_valid.all()
    assert {"lsoa_code", "borough_code", "imd_decile", "crime_score"} <= set(gdf.columns)
    minx, miny, maxx, maxy = gdf.total_bounds
    assert -0.6 < minx < maxx < 0.4 and 51.2 < miny < maxy < 51.8


def test_export_rejects_bad_options(tmp_path):
    proc = _run("export", "lsoa", "--edition", "2011", "--format", "csv", "--out", str(tmp_path / "x.csv"))
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


def test_load_layer_rebuilds_a_layer_built_by_an_older_builder(tmp_path, monkeypatch):
    import dataclasses

    from anchormap.data import build
    from anchormap.data.layers import LAYERS

    cache = tmp_path / "cache"
    build.load_layer("boroughs", cache=cache)
    first = build.read_build_manifest(cache)["boroughs"]["built_at"]
    calls = []
    spec = LAYERS["boroughs"]

    def counting_build(paths):
        calls.append(1)
        return spec.build(paths)

    monkeypatch.setitem(LAYERS, "boroughs", dataclasses.replace(spec, version=spec.version + 1, build=counting_build))
    build._MEMORY.clear()
    assert len(build.load_layer("boroughs", cache=cache)) == 33
    assert calls == [1]
    assert build.read_build_manifest(cache)["boroughs"]["version"] == [spec.version + 1]
    build.load_layer("boroughs", cache=cache)  # now current: not rebuilt again
    assert calls == [1]
    assert first  # the first build was recorded too


def test_cached_on_layers_recomputes_after_a_rebuild(tmp_path, monkeypatch):
    """A cache of a layer-derived result is refreshed when the layer is rebuilt (a running server
    after ``anchormap data build``), and served from memory while it is not."""
    from anchormap.data import build

    monkeypatch.setenv("ANCHORMAP_CACHE", str(tmp_path))
    calls = []

    @build.cached_on_layers("boroughs")
    def borough_count():
        calls.append(1)
        return len(build.load_layer("boroughs"))

    assert borough_count() == 33 and borough_count() == 33
    assert len(calls) == 1
    build.build_layers(["boroughs"], force=True)
    assert borough_count() == 33
    assert len(calls) == 2
