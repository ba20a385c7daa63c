"""Two partners importing at once, from two processes, on both stores: both land complete.

Once through the package (two spawned processes that read their registers, then store them at
the same moment, released together by a barrier) and once through the command line (two
``anchormap land import`` processes started together). The registers are real: the GLA London
Brownfield Register 2017 as published and Lewisham's brownfield register 2019.
"""

from __future__ import annotations

import multiprocessing
import subprocess

from anchormap.access.people import Person
from anchormap.land.store import open_store
from tests.store_helpers import (
    GLA,
    LEWISHAM,
    anchormap_command,
    child_env,
    data_rows,
    gla_2017,
    import_in_process,
    lewisham_2019,
    read_register,
)

LOCAL = Person.local_user("cli")
REGISTERS = {GLA: gla_2017, LEWISHAM: lewisham_2019}


def _register_partners(location: str) -> None:
    store = open_store(location)
    for partner in REGISTERS:
        store.add_partner(partner, by=LOCAL)


def _assert_both_complete(location: str) -> None:
    """Each partner has one active submission whose rows are exactly its file's."""
    store = open_store(location)
    subs = store.submissions()
    assert sorted(subs["partner"]) == sorted(REGISTERS), subs
    counts = store.assets()["submission_id"].value_counts()
    for partner, path_of in REGISTERS.items():
        path = path_of()
        expected = read_register(path, partner)
        sub = subs[subs["partner"] == partner].iloc[0]
        assert sub["status"] == "active" and sub["file_name"] == path.name
        assert sub["rows_accepted"] == expected.rows_accepted > 0
        assert sub["rows_accepted"] + sub["rows_rejected"] == data_rows(path)
        assert counts.get(sub["id"], 0) == expected.rows_accepted


def test_two_partners_storing_at_the_same_moment_from_two_processes(store_location):
    _register_partners(store_location)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(REGISTERS))
    results = ctx.Queue()
    procs = [
        ctx.Process(target=import_in_process, args=(store_location, str(path_of()), partner, barrier, results))
        for partner, path_of in REGISTERS.items()
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    outcomes = [results.get_nowait() for _ in procs]
    assert [p.exitcode for p in procs] == [0, 0]
    assert all(status == "ok" for _partner, status, _detail in outcomes), outcomes
    _assert_both_complete(store_location)


def test_two_partners_importing_at_once_from_the_command_line(store_location):
    _register_partners(store_location)
    procs = [
        subprocess.Popen(
            anchormap_command("land", "import", str(path_of()), "--partner", partner, "--store", store_location),
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for partner, path_of in REGISTERS.items()
    ]
    outputs = [proc.communicate() for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    assert all("Traceback" not in err for _out, err in outputs), outputs
    _assert_both_complete(store_location)
