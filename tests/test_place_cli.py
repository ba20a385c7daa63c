"""``--place`` on the command line, end to end on the real data: ``gaps``, ``export lsoa``,
``export anchors`` and ``land export`` narrowed to boroughs, wards, boundary files (GeoJSON and a
zipped shapefile written here from the real ward boundaries) and our network's walking catchment."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from anchormap.analysis.catchment import lsoa_origins, walk_radius_m
from anchormap.analysis.gaps import DEFAULT_CATEGORIES
from anchormap.cli import main
from anchormap.data.build import load_layer
from anchormap.data.csvw import read_sidecar, sidecar_parameters
from anchormap.data.layers.anchors import select_anchors
from anchormap.data.sources import resolve
from anchormap.land.assets import all_assets

WARDS_2025 = resolve("wards2025", allow_download=False).path  # the real ward boundaries, through the manifest
LEWISHAM = "E09000023"


def _gaps(tmp_path: Path, name: str, *extra: str) -> pd.DataFrame:
    out = tmp_path / f"{name}.csv"
    assert main(["gaps", "--deciles", "1-10", "--out", str(out), *extra]) == 0
    return pd.read_csv(out, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def london(tmp_path_factory) -> pd.DataFrame:
    return _gaps(tmp_path_factory.mktemp("london"), "london")


@pytest.fixture(scope="module")
def ward_shape() -> gpd.GeoDataFrame:
    wards = gpd.read_file(WARDS_2025)
    return wards[wards["LAD25CD"] == LEWISHAM].head(1)


def test_gaps_in_a_borough_are_its_lsoas_with_the_london_wide_scores(tmp_path, london, capsys):
    table = _gaps(tmp_path, "lewisham", "--place", f"borough:{LEWISHAM}")
    lsoas = load_layer("lsoa_2021")
    assert set(table["lsoa_code"]) == set(lsoas.loc[lsoas["borough_code"] == LEWISHAM, "lsoa_code"])
    assert "in Lewisham" in capsys.readouterr().out
    wide = london.set_index("lsoa_code").loc[table["lsoa_code"]]
    assert np.allclose(table["gap_score"].to_numpy(), wide["gap_score"].to_numpy())
    assert (table["anchors_in_catchment"].to_numpy() == wide["anchors_in_catchment"].to_numpy()).all()
    assert list(table["gap_rank"]) == list(range(1, len(table) + 1))  # ranked among themselves
    assert list(table["lsoa_code"]) == [c for c in london["lsoa_code"] if c in set(table["lsoa_code"])]
    params = sidecar_parameters(read_sidecar(tmp_path / "lewisham.csv"))
    assert params["place"] == "Lewisham" and params["place_text"] == f"borough:{LEWISHAM}"


def test_gaps_counts_anchors_outside_the_place(tmp_path, london):
    """The City's LSOAs keep the anchors across its boundary: their counts are London's, and more
    than the City itself holds."""
    table = _gaps(tmp_path, "city", "--place", "borough:E09000001")
    wide = london.set_index("lsoa_code").loc[table["lsoa_code"]]
    assert (table["anchors_in_catchment"].to_numpy() == wide["anchors_in_catchment"].to_numpy()).all()
    counted = select_anchors(load_layer("anchors"), DEFAULT_CATEGORIES)
    assert table["anchors_in_catchment"].max() > int((counted["borough_code"] == "E09000001").sum())


def test_gaps_in_two_wards_are_those_wards_lsoas(tmp_path):
    lookup = load_layer("lsoa21_wards")
    wards = list(lookup.loc[lookup["ward_2025_name"].notna(), "ward_2025_code"].drop_duplicates().iloc[:2])
    table = _gaps(tmp_path, "wards", "--place", "+".join(f"ward:{w}" for w in wards))
    assert set(table["lsoa_code"]) == set(lookup.loc[lookup["ward_2025_code"].isin(wards), "lsoa_code"])


def _points_inside(shape: gpd.GeoDataFrame) -> set[str]:
    """Independently: LSOA 2021 whose representative point is inside the shape (EPSG:27700)."""
    origins = lsoa_origins(load_layer("lsoa_2021"))
    pts = gpd.GeoSeries(gpd.points_from_xy(origins["x"], origins["y"]), crs=27700)
    return set(origins.loc[pts.within(shape.to_crs(27700).union_all()).to_numpy(), "lsoa_code"])


def _zip_shapefile(shape: gpd.GeoDataFrame, folder: Path, name: str = "ward") -> Path:
    shp = folder / "shp"
    shp.mkdir()
    shape[["WD25CD", "WD25NM", "geometry"]].to_file(shp / f"{name}.shp")
    out = folder / f"{name}.zip"
    with zipfile.ZipFile(out, "w") as zf:
        for part in shp.iterdir():
            zf.write(part, part.name)
    return out


def test_boundary_files_give_the_lsoas_inside_the_ward(tmp_path, ward_shape):
    geojson = tmp_path / "ward.geojson"
    ward_shape.to_file(geojson, driver="GeoJSON")
    zipped = _zip_shapefile(ward_shape, tmp_path)
    expected = _points_inside(ward_shape)
    by_lookup = set(load_layer("lsoa21_wards").query("ward_2025_code == @ward_shape.WD25CD.iloc[0]")["lsoa_code"])
    assert expected and len(expected ^ by_lookup) <= 3  # generalised ward lines against ONS's best fit
    for path in (geojson, zipped):
        out = tmp_path / f"{path.suffix[1:]}.csv"
        assert main(["export", "lsoa", "--place", f"file:{path}", "--out", str(out)]) == 0
        written = pd.read_csv(out, encoding="utf-8-sig")
        assert set(written["lsoa_code"]) == expected
        assert sidecar_parameters(read_sidecar(out))["place_text"] == f"file:{path}"


def test_anchor_and_land_exports_keep_the_sites_inside(tmp_path, monkeypatch):
    monkeypatch.setenv("ANCHORMAP_STORE", str(tmp_path / "store" / "land.sqlite"))
    boundary = load_layer("boroughs").query("borough_code == @LEWISHAM").union_all()
    out = tmp_path / "anchors.csv"
    assert main(["export", "anchors", "--place", f"borough:{LEWISHAM}", "--out", str(out)]) == 0
    written = pd.read_csv(out, encoding="utf-8-sig")
    anchors = load_layer("anchors")
    open_ = anchors[anchors["status"].fillna("open") != "closed"] if "status" in anchors else anchors
    inside = gpd.points_from_xy(open_["easting"], open_["northing"]).within(boundary.buffer(1))
    assert 0 < len(written) and abs(len(written) - int(inside.sum())) <= 3  # LSOA union vs borough line
    assert set(written["borough_code"]) <= {LEWISHAM, *load_layer("boroughs")["borough_code"]}
    assert (written["borough_code"] == LEWISHAM).mean() > 0.98
    land = tmp_path / "land.csv"
    assert main(["land", "export", "--format", "csv", "--place", f"borough:{LEWISHAM}", "--out", str(land)]) == 0
    kept = pd.read_csv(land, encoding="utf-8-sig")
    assets = all_assets()
    has_point = ~(assets.geometry.isna() | assets.geometry.is_empty)
    near = assets[has_point].geometry.within(boundary.buffer(1))
    assert 0 < len(kept) < len(assets) and abs(len(kept) - int(near.sum())) <= 3
    assert sidecar_parameters(read_sidecar(land))["place"] == "Lewisham"


def test_network_place_is_the_walking_catchment_of_its_sites(tmp_path):
    network = tmp_path / "our_network.csv"  # the Our network upload format, two real sites
    network.write_text(
        "Organisation name,Post code,Category\nLewisham Hospital,SE13 6LH,Health\nCatford Library,SE6 4RU,libraries\n"
    )
    out = tmp_path / "net.csv"
    assert main(["export", "lsoa", "--place", "network", "--network", str(network), "--out", str(out)]) == 0
    got = set(pd.read_csv(out, encoding="utf-8-sig")["lsoa_code"])
    # Independently: the sites' points (Lewisham Hospital, Catford Library; far from the Thames, so the
    # river model is the straight line) and every LSOA point within 15 minutes' walk of one
    postcodes = load_layer("postcodes").set_index("postcode")
    sites = postcodes.loc[["SE13 6LH", "SE6 4RU"], ["easting", "northing"]].to_numpy(dtype=float)
    origins = lsoa_origins(load_layer("lsoa_2021"))
    xy = origins[["x", "y"]].to_numpy(dtype=float)
    d = np.sqrt(((xy[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    assert got == set(origins.loc[d <= walk_radius_m(15), "lsoa_code"]) and len(got) > 5


def _run(args: list[str]) -> int:
    try:
        return main(args)
    except SystemExit as exc:  # argparse refuses a place it cannot read, with status 2
        return int(exc.code)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--place", "Lewisham"], "is not understood"),
        (["--place", "borough:E0900002"], "is not a borough code"),
        (["--place", "borough:E09000099"], "not one of London's 33 boroughs"),
        (["--place", "ward:E05999999"], "not a London ward"),
        (["--place", "file:/nowhere/area.geojson"], "does not exist"),
        (["--place", "network"], "give it with --network FILE"),
    ],
)
def test_bad_places_are_messages_with_exit_status_2(tmp_path, capsys, args, words):
    assert _run(["export", "lsoa", *args, "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not (tmp_path / "x.csv").exists()


def test_an_unsafe_zip_is_refused_with_the_upload_checks(tmp_path, capsys, ward_shape):
    zipped = _zip_shapefile(ward_shape, tmp_path)
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(zipped) as src, zipfile.ZipFile(evil, "w") as dst:
        for info in src.infolist():
            dst.writestr("../" + info.filename, src.read(info))
    assert main(["export", "lsoa", "--place", f"file:{evil}", "--out", str(tmp_path / "x.csv")]) == 2
    assert "leaves the zip's folder" in capsys.readouterr().err
    not_zip = tmp_path / "broken.zip"
    not_zip.write_bytes(b"not a zip")
    assert main(["export", "lsoa", "--place", f"file:{not_zip}", "--out", str(tmp_path / "x.csv")]) == 2
    assert "not a readable zip" in capsys.readouterr().err


def test_anchors_export_is_export_anchors(tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert main(["anchors", "export", "--place", f"borough:{LEWISHAM}", "--out", str(one)]) == 0
    assert main(["export", "anchors", "--place", f"borough:{LEWISHAM}", "--out", str(two)]) == 0
    a, b = (pd.read_csv(p, encoding="utf-8-sig") for p in (one, two))
    assert len(a) > 0 and a.equals(b)
