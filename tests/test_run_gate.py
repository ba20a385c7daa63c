"""The run gate: at most N page runs work at once, the others wait (anchormap.ui.run_gate)."""

from __future__ import annotations

import threading

import pytest

from anchormap.errors import AnchorMapError
from anchormap.ui import run_gate


def _most_inside_at_once(threads: int) -> int:
    """Start ``threads`` threads that each enter the gate and stay until every thread has tried;
    return the largest number that were inside together."""
    inside = 0
    most = 0
    lock = threading.Lock()
    tried = threading.Barrier(threads + 1)  # everyone (and this thread) has started
    release = threading.Event()

    def visitor() -> None:
        nonlocal inside, most
        tried.wait()
        with run_gate.turn():
            with lock:
                inside += 1
                most = max(most, inside)
            release.wait(10)
            with lock:
                inside -= 1

    pool = [threading.Thread(target=visitor) for _ in range(threads)]
    for t in pool:
        t.start()
    tried.wait()
    # wait until the gate is full (or everyone is in when there is no limit), then let them go
    limit = run_gate.concurrent_runs() or threads
    for _ in range(1000):
        with lock:
            if inside >= min(limit, threads):
                break
        threading.Event().wait(0.01)
    release.set()
    for t in pool:
        t.join(10)
    assert not any(t.is_alive() for t in pool)
    return most


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_no_more_than_the_limit_work_at_once(monkeypatch, limit):
    monkeypatch.setenv("ANCHORMAP_CONCURRENT_RUNS", str(limit))
    assert _most_inside_at_once(6) == limit


def test_zero_means_no_limit(monkeypatch):
    monkeypatch.setenv("ANCHORMAP_CONCURRENT_RUNS", "0")
    assert _most_inside_at_once(5) == 5


def test_the_place_is_given_back_when_the_block_fails(monkeypatch):
    monkeypatch.setenv("ANCHORMAP_CONCURRENT_RUNS", "1")
    with pytest.raises(RuntimeError), run_gate.turn():
        raise RuntimeError("a rerun or stop request ends the run early")
    entered = threading.Event()

    def again() -> None:
        with run_gate.turn():
            entered.set()

    t = threading.Thread(target=again)
    t.start()
    t.join(5)
    assert entered.is_set()


def test_the_default_and_the_settings_file(monkeypatch, tmp_path):
    monkeypatch.delenv("ANCHORMAP_CONCURRENT_RUNS", raising=False)
    monkeypatch.setenv("ANCHORMAP_CONFIG", str(tmp_path / "none.toml"))
    assert run_gate.concurrent_runs() == run_gate.DEFAULT_CONCURRENT_RUNS == 2
    settings = tmp_path / "anchormap.toml"
    settings.write_text("concurrent_runs = 4\n", encoding="utf-8")
    monkeypatch.setenv("ANCHORMAP_CONFIG", str(settings))
    assert run_gate.concurrent_runs() == 4
    monkeypatch.setenv("ANCHORMAP_CONCURRENT_RUNS", "1")  # the environment wins
    assert run_gate.concurrent_runs() == 1


@pytest.mark.parametrize(
    ("env", "toml", "where"),
    [
        ("two", None, "ANCHORMAP_CONCURRENT_RUNS"),
        ("-1", None, "ANCHORMAP_CONCURRENT_RUNS"),
        (None, "concurrent_runs = true", "settings file"),
        (None, 'concurrent_runs = "x"', "settings file"),
    ],
)
def test_a_bad_setting_says_where_it_was_set(monkeypatch, tmp_path, env, toml, where):
    if env is None:
        monkeypatch.delenv("ANCHORMAP_CONCURRENT_RUNS", raising=False)
    else:
        monkeypatch.setenv("ANCHORMAP_CONCURRENT_RUNS", env)
    settings = tmp_path / "anchormap.toml"
    settings.write_text(f"{toml or ''}\n", encoding="utf-8")
    monkeypatch.setenv("ANCHORMAP_CONFIG", str(settings))
    with pytest.raises(AnchorMapError, match=where) as err:
        run_gate.concurrent_runs()
    assert "whole number of 0 or more" in str(err.value)
