"""``streamlit`` with a timing line for every script run (for the benchmarks; not part of the app).

    python benchmarks/timed_streamlit.py run app.py --server.port 8501 ...

Takes the same arguments as the ``streamlit`` command. Before handing over to Streamlit's own
command line it wraps ``ScriptRunner._run_script`` (one call per rerun request: the run and any
``st.rerun`` it chains into) so that each one writes, to standard error, one line::

    AMBENCH {"event": "run", "page": "Community", "query": "postcode=SE6+4RU", "wall_s": 1.92,
             "cpu_s": 1.41, "finish_s": 0.21, "runs": 1, "start": 1764680000.1, "end": ...}

``wall_s`` is the wall-clock time of the run on the server (seconds); ``cpu_s`` the CPU time
of the script thread alone (``time.thread_time``, seconds): with several sessions running at
once, ``wall_s - cpu_s`` is mostly time the script waited for the interpreter lock or a core.
``finish_s`` is the part spent in Streamlit's end-of-run clean-up (``_on_script_finished``,
which runs a full ``gc.collect(2)`` when ``runner.postScriptGC`` is on, as by default);
``runs`` counts the script executions in the chain (2 when the page reran itself). ``start``
and ``end`` are Unix times (seconds). A line ``AMBENCH {"event": "start", ...}`` is written
when a run begins.

With ``AMBENCH_PREPARE=1`` the server is first prepared as ``bash dev app`` starts it
(:func:`anchormap.ui.serve.prepare_server`: the pages' modules, layers and map files), before
Streamlit opens its port.

With ``AMBENCH_PROFILE_DIR`` set, each run is also profiled with :mod:`cProfile` (the script
thread only) into ``<dir>/<page>-<n>.prof``; profiling slows the run, so its times are not
comparable with unprofiled ones.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from itertools import count

PREFIX = "AMBENCH "
_SEQ = count(1)
_LOCK = threading.Lock()


def _emit(record: dict) -> None:
    line = PREFIX + json.dumps(record, separators=(",", ":"))
    with _LOCK:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def install() -> None:
    """Wrap Streamlit's ScriptRunner so that every run writes its times (see the module doc)."""
    from streamlit.runtime.scriptrunner import script_runner

    runner = script_runner.ScriptRunner
    run_script = runner._run_script
    on_finished = runner._on_script_finished
    profile_dir = os.environ.get("AMBENCH_PROFILE_DIR")
    local = threading.local()

    def timed_finished(self, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return on_finished(self, *args, **kwargs)
        finally:
            local.finish = getattr(local, "finish", 0.0) + time.perf_counter() - t0
            local.runs = getattr(local, "runs", 0) + 1

    def timed_run(self, rerun_data):
        seq = next(_SEQ)
        page, query = rerun_data.page_name or "", rerun_data.query_string or ""
        local.finish, local.runs = 0.0, 0
        start = time.time()
        _emit({"event": "start", "seq": seq, "page": page, "query": query, "start": start})
        w0, c0 = time.perf_counter(), time.thread_time()
        prof = None
        if profile_dir:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        try:
            return run_script(self, rerun_data)
        finally:
            if prof is not None:
                prof.disable()
                name = "".join(ch if ch.isalnum() else "_" for ch in (page or "home"))
                prof.dump_stats(os.path.join(profile_dir, f"{name}-{seq}.prof"))
            _emit(
                {
                    "event": "run",
                    "seq": seq,
                    "page": page,
                    "query": query,
                    "wall_s": round(time.perf_counter() - w0, 4),
                    "cpu_s": round(time.thread_time() - c0, 4),
                    "finish_s": round(local.finish, 4),
                    "runs": local.runs,
                    "start": start,
                    "end": time.time(),
                }
            )

    runner._run_script = timed_run
    runner._on_script_finished = timed_finished


def main() -> None:
    # this folder holds a profile.py of its own (benchmarks/profile.py): keep it off the path, so
    # that cProfile finds the standard library's profile module
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    install()
    if os.environ.get("AMBENCH_PREPARE") == "1":  # as ``python -m anchormap.ui.serve`` (``bash dev app``) starts it
        from anchormap.ui.serve import prepare_server

        prepare_server(report=lambda line: print(line, file=sys.stderr, flush=True))
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
