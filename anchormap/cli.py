"""The ``anchormap`` command line (also ``python -m anchormap``).

Each command family lives in its own module with a ``register(subparsers)`` function;
this module only assembles them, sets the shared options and turns AnchorMap errors
into one-line messages with exit status 2 (never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from anchormap import (
    AnchorMapError,
)

COMMAND_MODULES = [
    "anchormap.commands.data",
    "anchormap.commands.export",
    "anchormap.commands.anchors",
    "anchormap.commands.gaps",
    "anchormap.commands.land",
    "anchormap.commands.partners",
    "anchormap.commands.audit",
    "anchormap.commands.profile",
    "anchormap.commands.metrics",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="anchormap",
        description="AnchorMap: London's anchor institutions, deprivation and shared land.",
    )
    parser.add_argument(
        "--mirror",
        metavar="DIR",
        help="directory holding the published files (default: $ANCHORMAP_MIRROR or ../shared/data/raw)",
    )
    parser.add_argument(
        "--cache",
        metavar="DIR",
        help="directory for downloads and built layers (default: $ANCHORMAP_CACHE or data/cache)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for mod in COMMAND_MODULES:
        importlib.import_module(mod).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    overrides = {"ANCHORMAP_MIRROR": args.mirror, "ANCHORMAP_CACHE": args.cache}
    saved = {k: os.environ.get(k) for k in overrides}
    for key, value in overrides.items():
        if value is not None:
            os.environ[key] = value
    try:
        return int(args.func(args) or 0)
    except AnchorMapError as exc:
        print(f"anchormap: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("anchormap: interrupted", file=sys.stderr)
        return 130
    finally:  # --mirror/--cache apply to this call only (main() is also called in-process)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
