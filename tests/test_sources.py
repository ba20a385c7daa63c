"""Resolving datasets: the manifest, the mirror, and downloads from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from anchormap.data import sources
from anchormap.data.sources import download_file, get_dataset, load_manifest, resolve
from anchormap.errors import DataSourceError

FAST = {"timeout": (2.0, 0.5), "retries": 3, "backoff": 0.05}


class _Handler(BaseHTTPRequestHandler):
    """Serves files from the mirror. The first path segment picks a behaviour:

    ok        the file
    flaky     HTTP 500 on the first request for a path, then the file
    fail      HTTP 500 always
    truncate  announces the full length, sends half, closes
    stall     announces the full length, sends 10 bytes, then stops sending
    """

    root: Path
    hits: dict[str, int]

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        mode, _, rel = self.path.lstrip("/").partition("/")
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        body = (self.root / rel).read_bytes() if (self.root / rel).is_file() else None
        if body is None:
            self.send_error(404)
            return
        if mode == "fail" or (mode == "flaky" and self.hits[self.path] == 1):
            self.send_error(500, "Internal Server Error")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "ok" or mode == "flaky":
            self.wfile.write(body)
        elif mode == "truncate":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif mode == "stall":
            self.wfile.write(body[:10])
            self.wfile.flush()
            time.sleep(1.5)  # longer than the client's read timeout; bounded so the server stops


@pytest.fixture()
def server(mirror):
    handler = type("Handler", (_Handler,), {"root": mirror, "hits": {}})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler.hits
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def fire(server):
    """The fire stations dataset, with its download URL pointed at the local server."""
    base, _ = server
    ds = get_dataset("fire_stations")
    return lambda mode: dataclasses.replace(ds, download_url=f"{base}/{mode}/{ds.path}")


def _no_partial_files(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*") if p.is_file()]


def test_manifest_lists_every_dataset_with_provenance():
    manifest = load_manifest()
    assert {
        "lsoa2011",
        "lsoa2021",
        "imd2019",
        "imd2025",
        "boroughs",
        "wards2022",
        "wards2025",
        "lsoa11_lsoa21",
        "postcodes",
    } <= set(manifest)
    for ds in manifest.values():
        assert ds.attribution and ds.licence and ds.publisher and ds.edition and ds.format
        if ds.optional:  # a "latest" download (the Geofabrik extract) changes daily: no fixed checksum
            assert ds.download_url and not ds.sha256
            continue
        assert ds.sha256 and len(ds.sha256) == 64


def test_every_dataset_says_when_its_facts_describe():
    import datetime
    import tomllib

    from anchormap import config

    raw = tomllib.loads(config.manifest_path().read_text(encoding="utf-8"))["datasets"]
    for ds in load_manifest().values():
        assert raw[ds.id].get("name") and raw[ds.id].get("as_of"), f"{ds.id} lacks a short name or a date in words"
        if ds.optional and ds.edition_date is None:  # a "latest" download: dated by the copy supplied
            continue
        assert isinstance(ds.edition_date, datetime.date), ds.id
        assert datetime.date(2000, 1, 1) < ds.edition_date < datetime.date(2026, 12, 31), ds.id


def test_an_edition_date_that_is_not_a_date_is_named_in_the_message(tmp_path):
    manifest = tmp_path / "sources.toml"
    manifest.write_text(
        '[datasets.x]\ntitle = "X"\npublisher = "P"\nedition = "2017"\nlicence = "OGL-3.0"\n'
        'attribution = "A"\npath = "x.csv"\nformat = "csv"\nedition_date = "spring 2017"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataSourceError, match=r"'x' has edition_date 'spring 2017', not a date"):
        load_manifest(manifest)


def test_every_manifest_file_is_in_the_mirror_with_its_checksum(mirror):
    for ds in load_manifest().values():
        if ds.optional:  # not in the mirror by design; see test_an_optional_dataset_missing_offline_*
            continue
        res = resolve(ds, mirror=mirror, cache=Path("/nonexistent-cache"), allow_download=False)
        assert res.origin == "mirror"
        assert hashlib.sha256(res.path.read_bytes()).hexdigest() == ds.sha256


def test_download_success(fire, tmp_path):
    res = resolve(fire("ok"), mirror=tmp_path / "empty", cache=tmp_path, download_options=FAST)
    assert res.origin == "download"
    assert hashlib.sha256(res.path.read_bytes()).hexdigest() == get_dataset("fire_stations").sha256
    # the next resolve uses the cache, not the network
    again = resolve(fire("fail"), mirror=tmp_path / "empty", cache=tmp_path, download_options=FAST)
    assert again.origin == "cache" and again.path == res.path


def test_download_retries_after_a_server_error(fire, server, tmp_path):
    _, hits = server
    res = resolve(fire("flaky"), mirror=tmp_path / "empty", cache=tmp_path, download_options=FAST)
    assert res.origin == "download"
    assert list(hits.values()) == [2]  # one 500, then success
    assert res.path.read_bytes() == (Path(sources.config.mirror_dir()) / get_dataset("fire_stations").path).read_bytes()


@pytest.mark.parametrize(
    ("mode", "words"),
    [("truncate", "truncated"), ("stall", "stopped responding"), ("fail", "HTTP 500")],
)
def test_failed_download_leaves_no_partial_file_and_names_dataset_and_url(fire, tmp_path, mode, words):
    ds = fire(mode)
    with pytest.raises(DataSourceError) as info:
        resolve(ds, mirror=tmp_path / "empty", cache=tmp_path, download_options=FAST)
    msg = str(info.value)
    assert "fire_stations" in msg and ds.download_url in msg and words in msg
    assert _no_partial_files(tmp_path) == []


def test_download_with_wrong_checksum_is_rejected(server, tmp_path, mirror):
    base, _ = server
    ds = get_dataset("fire_stations")
    # serve a different real file under this dataset's name: complete, but not what the manifest expects
    with pytest.raises(DataSourceError, match="checksum mismatch"):
        download_file(
            f"{base}/ok/{get_dataset('police_front_counters').path}",
            tmp_path / "x.csv",
            label=ds.id,
            expected_sha256=ds.sha256,
            **FAST,
        )
    assert _no_partial_files(tmp_path) == []


def test_shapefile_downloads_with_its_companions(server, tmp_path):
    base, _ = server
    ds = get_dataset("boroughs")
    ds = dataclasses.replace(ds, download_url=f"{base}/ok/{ds.path}")
    res = resolve(ds, mirror=tmp_path / "empty", cache=tmp_path, download_options=FAST)
    assert sorted(p.suffix for p in res.path.parent.iterdir()) == [".cpg", ".dbf", ".prj", ".shp", ".shx"]


def test_no_mirror_and_no_network_gives_one_clear_message(tmp_path):
    ds = dataclasses.replace(get_dataset("fire_stations"), download_url="http://127.0.0.1:9/fire_stations.csv")
    with pytest.raises(DataSourceError) as info:
        resolve(ds, mirror=tmp_path / "empty", cache=tmp_path, download_options={**FAST, "retries": 1})
    msg = str(info.value)
    assert "fire_stations" in msg and "--mirror" in msg and "ANCHORMAP_MIRROR" in msg
    derived = get_dataset("imd2019")
    with pytest.raises(DataSourceError, match="no direct download"):
        resolve(derived, mirror=tmp_path / "empty", cache=tmp_path)


def test_corrupt_mirror_file_is_reported(tmp_path, mirror):
    ds = get_dataset("imd2019")
    bad = tmp_path / "mirror" / ds.path
    bad.parent.mkdir(parents=True)
    data = (mirror / ds.path).read_bytes()
    bad.write_bytes(data[: len(data) // 3])  # cut short, as a failed copy would be
    with pytest.raises(DataSourceError, match=r"corrupt.*imd2019|imd2019.*corrupt"):
        resolve(ds, mirror=tmp_path / "mirror", cache=tmp_path / "cache")


def test_unreadable_file_without_checksum_gives_a_clear_error(tmp_path):
    from anchormap.data.layers.deprivation import read_imd2019

    bad = tmp_path / "imd.csv"
    bad.write_bytes(b"\xff\xfe\x00garbage\x00\x01")
    with pytest.raises(DataSourceError, match="imd2019"):
        read_imd2019(bad)


def test_an_optional_dataset_missing_offline_is_reported_not_fatal(tmp_path, mirror, monkeypatch):
    """The Geofabrik extract is optional: offline and without a copy, resolving it names it and
    the ways to supply it, and building every layer still works (no default layer reads it)."""
    from anchormap.data.layers import LAYERS

    ds = get_dataset("osm_greater_london")
    assert ds.optional and ds.download_url.endswith("greater-london-latest.osm.pbf")
    monkeypatch.setenv("ANCHORMAP_OFFLINE", "1")
    with pytest.raises(DataSourceError) as info:
        resolve(ds, mirror=mirror, cache=tmp_path)
    assert "osm_greater_london" in str(info.value) and "switched off" in str(info.value)
    assert not any("osm_greater_london" in spec.inputs for spec in LAYERS.values())
