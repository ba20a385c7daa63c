"""Options and sub-command groups that several ``anchormap`` commands share.

Each option is parsed here, where it enters, into a typed value (an edition is an ``int``
checked against :data:`anchormap.editions.EDITIONS`), so commands pass typed values on.
"""

from __future__ import annotations

import argparse

from anchormap import (
    DEFAULT_EDITION,
    EDITIONS,
)


def add_group(sub, name: str, help: str, *, dest: str, metavar: str = "ACTION"):
    """Add the command ``name`` with its own required sub-commands; returns their subparsers.

    Parameters
    ----------
    sub : argparse subparsers
        Where ``name`` is added (the ``anchormap`` command's subparsers).
    name, help : str
        The command and its one-line help.
    dest : str
        Attribute of the parsed arguments that names the chosen sub-command.
    metavar : str
        How the sub-command is shown in the usage line.

    Returns
    -------
    argparse subparsers
        To add the sub-commands to.
    """
    group = sub.add_parser(name, help=help).add_subparsers(dest=dest, metavar=metavar)
    group.required = True
    return group


def add_edition_option(parser: argparse.ArgumentParser, what: str = "") -> None:
    """Add ``--edition YEAR``: an IoD edition year (an ``int``), :data:`DEFAULT_EDITION` unless given.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The command to add the option to.
    what : str
        Words put before the list of editions in the help, e.g. ``"IoD edition: "``.
    """
    known = " or ".join(f"{e.year} (LSOA {e.boundaries})" for e in sorted(EDITIONS.values(), key=lambda e: e.year))
    parser.add_argument(
        "--edition",
        type=int,
        choices=sorted(EDITIONS),
        default=DEFAULT_EDITION,
        help=f"{what}{known}; default {DEFAULT_EDITION}",
    )
