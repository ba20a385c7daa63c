"""AnchorMap: London's anchor institutions, deprivation and shared land on one map.

All logic lives in this package; the Streamlit pages in ``pages/`` and ``app.py`` only arrange
widgets and call it, and the ``anchormap`` command line calls the same functions. The names
they use are listed once, in :mod:`anchormap._api`, and importable from here.

Each name is imported from its module when it is first asked for (a module ``__getattr__``,
PEP 562), not all of them with the package: a page loads only the modules it uses, so the first
visitor after a server start waits for fewer imports (matplotlib, SciPy and SQLAlchemy only
come with the pages and commands that need them). ``import anchormap._api`` imports them all.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

__version__ = "0.1.0"


def _read_api() -> tuple[dict[str, tuple[str, str]], list[str]]:
    """{name: (module, name there)} of every ``from <module> import <name> [as <name>]`` in
    ``_api.py``, and its ``__all__``."""
    tree = ast.parse(Path(__file__).with_name("_api.py").read_text(encoding="utf-8"))
    where: dict[str, tuple[str, str]] = {}
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("anchormap."):
            for alias in node.names:
                where[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            names = list(ast.literal_eval(node.value))
    return where, names


_WHERE, __all__ = _read_api()


def __getattr__(name: str):
    if name not in _WHERE:
        msg = f"module 'anchormap' has no attribute {name!r}"
        raise AttributeError(msg)
    module, there = _WHERE[name]
    value = getattr(importlib.import_module(module), there)
    globals()[name] = value  # asked for once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
