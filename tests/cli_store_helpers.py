"""Running the real ``anchormap`` command line on a real SQLite store in a temporary directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anchormap.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "land" / "transparency_code_register.csv"
LEWISHAM = "Lewisham Council"
NEL = "NHS North East London"


@dataclass
class Run:
    code: int
    out: str
    err: str


def make_runner(store: Path, capsys):
    """A function running ``anchormap ARGS... --store STORE`` in-process and returning its exit status and output."""

    def run(*args: str, store_option: bool = True) -> Run:
        capsys.readouterr()
        argv = [*args, "--store", str(store)] if store_option else list(args)
        code = main(argv)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def variant(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the Transparency Code fixture with ``old`` replaced by ``new`` (another file, another SHA-256)."""
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path
