"""The map's files are prepared at ``anchormap data build`` and read back, not made again, on a
server's first visit (anchormap.maps.prepared); a changed key makes them again."""

from __future__ import annotations

import json

import pytest

from anchormap.data.build import layer_stamp, load_layer
from anchormap.maps import assets as map_assets
from anchormap.maps import geometry, overlay, prepared


def test_a_result_is_made_once_per_key_and_again_when_the_key_changes(tmp_path):
    made = []

    def make():
        made.append(1)
        return {"n": len(made)}

    assert prepared.prepared("thing", {"stamp": 1}, make, cache=tmp_path) == {"n": 1}
    assert prepared.prepared("thing", {"stamp": 1}, make, cache=tmp_path) == {"n": 1}
    assert len(made) == 1  # read back
    assert prepared.prepared("thing", {"stamp": 2}, make, cache=tmp_path) == {"n": 2}
    (tmp_path / prepared.SUBDIR / "thing.json").write_text("{ not json", encoding="utf-8")
    assert prepared.prepared("thing", {"stamp": 2}, make, cache=tmp_path) == {"n": 3}  # unreadable: made again
    assert json.loads((tmp_path / prepared.SUBDIR / "thing.json").read_text())["key"] == {"stamp": 2}


def test_the_code_version_follows_the_source_files():
    assert prepared.code_version("anchormap.maps.geometry") == prepared.code_version("anchormap.maps.geometry")
    assert prepared.code_version("anchormap.maps.geometry") != prepared.code_version("anchormap.maps.overlay")


@pytest.fixture
def static_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ANCHORMAP_STATIC_DIR", str(tmp_path / "static"))
    return tmp_path / "static"


def test_after_a_build_the_map_files_are_read_not_made(static_dir, monkeypatch, tmp_path):
    monkeypatch.setattr(prepared, "prepared_dir", lambda: tmp_path / "map_files")  # this test's own
    geometry._areas_file.cache_clear()  # nothing remembered from earlier tests in this process
    geometry._outlines_file.cache_clear()
    overlay._PUBLIC.clear()
    prepared.prepare_map_files()  # what ``anchormap data build`` does (with the real built layers)
    first = geometry.areas_file(2025)
    first_outlines = geometry.outlines_file()
    first_anchors = overlay.public_anchor_urls(load_layer("anchors"))
    # a new server process: nothing in memory, and making them again would fail
    geometry._areas_file.cache_clear()
    geometry._outlines_file.cache_clear()
    overlay._PUBLIC.clear()
    monkeypatch.setattr(map_assets, "_INSTALLED", set())

    def refuse(*_args, **_kwargs):
        raise AssertionError("worked out again instead of read from the build cache")

    monkeypatch.setattr(geometry, "compact_areas", refuse)
    monkeypatch.setattr(overlay, "make_anchor_records", refuse)
    again = geometry.areas_file(2025)
    assert again == first and again.codes == tuple(load_layer("lsoa_2021_display")["lsoa_code"].astype(str))
    assert geometry.outlines_file() == first_outlines
    assert overlay.public_anchor_urls(load_layer("anchors")) == first_anchors
    # and the files behind the URLs are in the static folder the app serves
    for url in [again.url, first_outlines.url, *first_anchors.values()]:
        path = map_assets.published_path(url)
        assert path.is_file() and str(path).startswith(str(static_dir))
    doc = json.loads(map_assets.published_path(again.url).read_text(encoding="utf-8"))
    assert doc["token"] == again.token and len(doc["geoms"]) == len(again.codes)
    records = json.loads(map_assets.published_path(first_anchors["health"]).read_text(encoding="utf-8"))["records"]
    anchors = load_layer("anchors")
    assert len(records) == int(
        (anchors["category"] == "health").sum() - anchors[anchors["category"] == "health"]["lat"].isna().sum()
    )


def test_a_rebuilt_layer_makes_the_file_again(tmp_path, static_dir, monkeypatch):
    key_now = layer_stamp("boroughs_display")
    geometry._outlines_file.cache_clear()
    monkeypatch.setattr(prepared, "prepared_dir", lambda: tmp_path / "map_files")  # an empty one for the results
    made = []
    real = geometry.compact_areas

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(geometry, "compact_areas", counting)
    geometry._outlines_file(key_now, str(static_dir))
    geometry._outlines_file.cache_clear()
    geometry._outlines_file(key_now, str(static_dir))
    assert len(made) == 1  # the same build: read back
    geometry._outlines_file.cache_clear()
    geometry._outlines_file(key_now + 1, str(static_dir))  # as after ``anchormap data build`` rewrote the layer
    assert len(made) == 2
    geometry._outlines_file.cache_clear()


def test_a_cache_that_cannot_be_written_still_gives_the_result(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    assert prepared.prepared("thing", {"stamp": 1}, lambda: [1, 2], cache=blocked) == [1, 2]
