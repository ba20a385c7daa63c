"""Options and sub-command groups that several ``anchormap`` commands share.

Each option is parsed here, where it enters, into a typed value (an edition is an ``int``
checked against :data:`anchormap.editions.EDITIONS`), so commands pass typed values on.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pandas as pd

from anchormap import (
    DEFAULT_EDITION,
    EDITIONS,
    load_layer,
)
from anchormap.access.people import Person
from anchormap.geo.place_text import PlaceError, PlacePart, parse_place
from anchormap.geo.places import Place, resolve_place
from anchormap.network.catchment_place import DEFAULT_MINUTES, network_lsoas_for
from anchormap.network.lists import read_network_csv


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


PLACE_HELP = (
    "narrow to a place: borough:E09000023, ward:E05..., msoa:E02..., lsoa:E01..., file:PATH (a GeoJSON, "
    "GeoPackage or zipped shapefile boundary), network (the walking catchment of the sites of --network); "
    "join several with +, e.g. ward:E05013915+ward:E05013916"
)


def _place_parts(text: str) -> tuple[PlacePart, ...]:
    try:
        return parse_place(text)
    except PlaceError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_place_option(parser: argparse.ArgumentParser, what: str = "") -> None:
    """Add ``--place PLACE`` (read into place parts where it enters) and ``--network FILE``.

    The text is parsed by :func:`anchormap.geo.place_text.parse_place` (a bad text is an
    argparse error: a message and exit status 2); it is resolved to an edition's LSOAs by
    :func:`place_from_args`, once the command knows its edition.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The command to add the options to.
    what : str
        Words added to the help saying what the place narrows.
    """
    parser.add_argument(
        "--place",
        type=_place_parts,
        default=None,
        metavar="PLACE",
        help=PLACE_HELP + (f"; {what}" if what else "") + "; default: all of London",
    )
    parser.add_argument(
        "--network",
        metavar="FILE",
        default=None,
        help="our network's own list of sites (the CSV the Our network page takes) for --place network",
    )
    parser.add_argument(
        "--network-minutes",
        type=float,
        default=DEFAULT_MINUTES,
        metavar="N",
        help=f"walking time (minutes) of the catchment for --place network (default {DEFAULT_MINUTES})",
    )


def place_from_args(args: argparse.Namespace, edition: int) -> Place | None:
    """The place of ``--place`` resolved to ``edition``'s LSOAs (None when none was given).

    Parameters
    ----------
    args : argparse.Namespace
        With ``place`` (parts or None), ``network`` (a path or None) and ``network_minutes``.
    edition : int
        The IoD edition the command works on.

    Returns
    -------
    Place or None

    Raises
    ------
    PlaceError
        A place London does not have, an unreadable boundary file, ``network`` without
        ``--network``; the CLI shows the message and exits with status 2.
    """
    parts = getattr(args, "place", None)
    if not parts:
        if getattr(args, "network", None):
            raise PlaceError("--network is only used with --place network (e.g. --place network --network list.csv).")
        return None
    network_lsoas = None
    if getattr(args, "network", None):
        network_lsoas = network_lsoas_for(read_network_file(args.network), args.network_minutes)
    elif any(p.kind == "network" for p in parts):
        raise PlaceError("--place network needs our network's list: give it with --network FILE.")
    return resolve_place(parts, edition, network_lsoas=network_lsoas)


def read_network_file(path: str) -> pd.DataFrame:
    """Our network's sites from the CSV (or spreadsheet) the Our network page takes.

    Parameters
    ----------
    path : str
        The file.

    Returns
    -------
    GeoDataFrame
        The sites placed (anchors schema, EPSG:27700); rows that could not be placed are left out.

    Raises
    ------
    AnchorMapError
        When the file does not exist or cannot be read as a network list, or no site in it can be placed.
    """
    file = Path(path)
    if not file.is_file():
        raise PlaceError(f"--network: the file {path} does not exist.")
    sites, _report = read_network_csv(file, file.name, load_layer("postcodes"), load_layer("boroughs"))
    if len(sites) == 0:
        raise PlaceError(f"--network: no site in {file.name} could be placed (each needs a postcode or coordinates).")
    return sites


USER_ENV = "ANCHORMAP_USER"
"""Environment variable naming the person the command line acts as (as ``--as``)."""
STORE_HELP = (
    "the land store: a file path or sqlite:///PATH (SQLite), or postgresql://USER@HOST/DB (PostGIS); "
    "default: $ANCHORMAP_STORE, the settings file's store, or data/cache/store/land.sqlite"
)
AS_HELP = (
    f"act as this person (default ${USER_ENV}), with the role the store's list of members gives them; "
    "without it the command acts as the local user, who may make every change: whoever can run it holds "
    "the store's file or database credentials. Every change is recorded in the audit trail as its person."
)


def add_store_options(parser: argparse.ArgumentParser, *, acting: bool = True) -> None:
    """Add ``--store PATH_OR_URL`` and (with ``acting``) ``--as EMAIL`` to a command that uses the store.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The command.
    acting : bool, optional
        Also add ``--as`` (commands that write, or read what only stewards may read).
    """
    parser.add_argument("--store", metavar="PATH_OR_URL", default=None, help=STORE_HELP)
    if acting:
        parser.add_argument("--as", dest="as_email", metavar="EMAIL", default=None, help=AS_HELP)


def store_from_args(args: argparse.Namespace):
    """The store of ``--store`` (or ``ANCHORMAP_STORE``, the settings file, the default file).

    Returns
    -------
    anchormap.land.store.LandStore
        Opened lazily: nothing is created until the first write.

    Raises
    ------
    anchormap.land.store.StoreError
        When the location cannot be used (the CLI shows the message and exits with status 2).
    """
    from anchormap.land.store import open_store

    location = getattr(args, "store", None)
    return open_store(location) if location else open_store()


def person_from_args(args: argparse.Namespace) -> Person:
    """Who the command acts as: ``--as EMAIL``, else ``ANCHORMAP_USER``, else the local user.

    Parameters
    ----------
    args : argparse.Namespace
        With ``as_email`` (str or None) when the command has ``--as``.

    Returns
    -------
    Person
        ``Person(email, via="cli")`` for a named person (their role comes from the store's
        list of members when the store checks a write), or ``Person.local_user("cli")``,
        who may make every change.
    """
    email = (getattr(args, "as_email", None) or os.environ.get(USER_ENV, "")).strip()
    if email:
        return Person(email=email, via="cli")
    return Person.local_user("cli")
