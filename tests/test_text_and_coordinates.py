"""The shared readers under network lists and land uploads: BNG/WGS84 conversion
(anchormap.crs), coordinate pairs and the London test (anchormap.geo.coordinates), and messy
text tables (anchormap.land.ingest.read). Places come from the real postcodes and boroughs layers."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from anchormap.crs import bng_bounds_to_wgs84, bng_to_wgs84, wgs84_to_bng
from anchormap.data.build import load_layer
from anchormap.errors import AnchorMapError
from anchormap.geo.coordinates import LondonArea, read_pair
from anchormap.land.ingest.read import (
    MAX_UPLOAD_BYTES,
    MB,
    CsvSyntaxError,
    check_file_bytes,
    csv_rows,
    decode_text,
    is_blank_row,
    looks_binary,
    size_text,
    sniff_delimiter,
)


@pytest.fixture(scope="module")
def postcode(mirror):
    """SE6 4RU (Lewisham) as published in Code-Point Open: easting, northing, lat, lon."""
    pc = load_layer("postcodes").set_index("postcode_key")
    return pc.loc["SE64RU", ["easting", "northing", "lat", "lon"]].astype(float)


def test_crs_round_trip_on_a_real_postcode(postcode):
    lon, lat = bng_to_wgs84(postcode["easting"], postcode["northing"])
    assert isinstance(lon, float) and (lat, lon) == pytest.approx((postcode["lat"], postcode["lon"]), abs=1e-5)
    e, n = wgs84_to_bng([postcode["lon"]] * 2, [postcode["lat"]] * 2)
    assert isinstance(e, np.ndarray) and e.shape == (2,)
    assert (e[0], n[0]) == pytest.approx((postcode["easting"], postcode["northing"]), abs=2.0)
    west, south, east, north = bng_bounds_to_wgs84(
        postcode["easting"] - 500, postcode["northing"] - 500, postcode["easting"] + 500, postcode["northing"] + 500
    )
    assert west < postcode["lon"] < east and south < postcode["lat"] < north


def test_read_pair_tells_systems_and_orders_apart(postcode):
    e, n, lat, lon = postcode
    assert read_pair(e, n).system == "bng"
    assert (read_pair(e, n).swapped, read_pair(n, e).swapped) == (False, True)
    assert (read_pair(n, e).easting, read_pair(n, e).northing) == (e, n)
    for x, y, swapped in ((lon, lat, False), (lat, lon, True)):
        pair = read_pair(x, y)
        assert (pair.system, pair.swapped) == ("wgs84", swapped)
        assert (pair.easting, pair.northing) == pytest.approx((e, n), abs=2.0)


@pytest.mark.parametrize(
    ("x", "y", "reason"),
    [
        (-2.59, 51.45, "outside London"),  # Bristol, degrees
        (358_000.0, 173_000.0, "outside London"),  # Bristol, grid metres
        (3_980_000.0, -1_000.0, r"geocentric \(ECEF\)"),
        (5e9, 5e9, "not recognisable coordinates"),
    ],
)
def test_read_pair_says_why_it_cannot_place(x, y, reason):
    with pytest.raises(ValueError, match=reason):
        read_pair(x, y)


def test_london_area_margin(mirror, postcode):
    boroughs = load_layer("boroughs")
    near, far = LondonArea(boroughs, 50.0), LondonArea(boroughs, 250.0)
    assert near.contains(postcode["easting"], postcode["northing"])
    # 100 m due west of the westernmost vertex of Greater London: exactly 100 m from the outline
    xy = shapely.get_coordinates(boroughs.geometry.to_numpy())
    x, y = xy[np.argmin(xy[:, 0])]
    assert not near.contains(x - 100, y) and far.contains(x - 100, y)
    assert not far.contains(x - 300, y)


def test_check_file_bytes_messages():
    # one MB is 1,048,576 bytes, as Streamlit's uploader counts (server.maxUploadSize)
    with pytest.raises(AnchorMapError, match=r"^The file a\.csv is 1\.1 MB; the limit is 1 MB\.$"):
        check_file_bytes(b"x" * int(1.1 * MB), "The file a.csv", MB)
    with pytest.raises(AnchorMapError, match=r"^b\.csv is 1\.1 MB; the limit is 1 MB\. Split it\.$"):
        check_file_bytes(b"x" * int(1.1 * MB), "b.csv", MB, too_large_advice="Split it.")
    # the upload limit says 20 MB, like the uploader, and a file just over it never reads as 20 MB
    with pytest.raises(AnchorMapError, match=r"^c\.csv is 20\.1 MB; the limit is 20 MB\.$"):
        check_file_bytes(b"x" * (MAX_UPLOAD_BYTES + 1), "c.csv", MAX_UPLOAD_BYTES)
    assert MAX_UPLOAD_BYTES == 20 * 1024 * 1024 and size_text(MAX_UPLOAD_BYTES) == "20 MB"
    with pytest.raises(AnchorMapError, match=r"^c\.csv is empty\.$"):
        check_file_bytes(b" \r\n\t", "c.csv", 10)
    with pytest.raises(AnchorMapError, match=r"^c\.csv is empty: add rows\.$"):
        check_file_bytes(b"", "c.csv", 10, empty_advice="add rows.")
    check_file_bytes(b"name\n", "d.csv", 10)


def test_decode_text_fallbacks():
    assert decode_text("\ufeffname".encode()) == decode_text(b"name")
    assert decode_text(b"name").encoding == "utf-8-sig" and decode_text(b"name").not_utf8_at is None
    cp = decode_text("Café £5".encode("cp1252"))
    assert (cp.text, cp.encoding, cp.label, cp.not_utf8_at) == ("Café £5", "cp1252", "Windows-1252", 3)
    with pytest.raises(UnicodeDecodeError) as exc:
        decode_text(b"ab\x81")  # 0x81 is neither UTF-8 nor Windows-1252
    assert exc.value.start == 2
    latin = decode_text(b"ab\x81", fallbacks=("cp1252", "latin-1"))
    assert (latin.encoding, latin.label) == ("latin-1", "Latin-1 (ISO-8859-1)")
    utf16 = "name\tCafé".encode("utf-16")
    assert decode_text(utf16, utf16=True).text == "name\tCafé"
    assert decode_text(utf16).encoding == "cp1252"  # without utf16 the bytes are not recognised as UTF-16
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00") and not looks_binary(utf16) and not looks_binary(b"a,b")


def test_csv_rows_numbers_lines_and_errors():
    rows = list(csv_rows('name,note\n"two\nlines",x\n\nC,y\n'))
    assert [(r.number, r.line) for r in rows] == [(1, 1), (2, 3), (3, 4), (4, 5)]
    assert rows[1].cells == ["two\nlines", "x"] and is_blank_row(rows[2].cells)
    assert is_blank_row([" ", None, ""]) and not is_blank_row([None, "0"])
    assert sniff_delimiter("\n\nname;postcode,town;x\n") == ";" and sniff_delimiter("name\n") == ","
    assert [r.cells for r in csv_rows("a\tb\n", "\t")] == [["a", "b"]]
    with pytest.raises(CsvSyntaxError) as exc:
        list(csv_rows('name\n"' + "x" * 200_000 + '"\n'))
    assert exc.value.line == 2 and "field limit" in exc.value.reason


def test_shared_transformers_match_pyproj_from_epsg_codes_in_any_thread():
    """The transformers are made from PROJ pipelines (cheap in each new thread, as Streamlit runs
    every script run in one): the same numbers as pyproj's own from EPSG codes, in a new thread too."""
    import threading

    import geopandas as gpd
    from pyproj import Transformer

    from anchormap.crs import geometry_to_wgs84

    pc = load_layer("postcodes").sample(500, random_state=3)
    x, y = pc["easting"].to_numpy(float), pc["northing"].to_numpy(float)
    want = Transformer.from_crs(27700, 4326, always_xy=True).transform(x, y)
    got: dict = {}
    t = threading.Thread(target=lambda: got.update(v=bng_to_wgs84(x, y)))
    t.start()
    t.join()
    assert np.allclose(got["v"][0], want[0], atol=1e-9) and np.allclose(got["v"][1], want[1], atol=1e-9)
    back = wgs84_to_bng(*want)
    assert np.allclose(back[0], x, atol=1e-6) and np.allclose(back[1], y, atol=1e-6)
    # bounds: pyproj's densified transform_bounds; a real ward boundary as geopandas projects it
    box = (530000.0, 180000.0, 536000.0, 184000.0)
    assert np.allclose(
        bng_bounds_to_wgs84(*box), Transformer.from_crs(27700, 4326, always_xy=True).transform_bounds(*box), atol=1e-9
    )
    ward = load_layer("wards_2025").geometry.iloc[0]
    assert np.allclose(
        geometry_to_wgs84(ward).bounds, gpd.GeoSeries([ward], crs=27700).to_crs(4326).total_bounds, atol=1e-9
    )
