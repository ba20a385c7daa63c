"""What an exported file says about itself: title, parameters, formula, sources, licences, date, version.

One :class:`ExportAbout` per export, made from the flat metadata the exporters already build
(:meth:`ExportAbout.from_metadata`). The writers put it where each format keeps such things:
the CSVW sidecar of a CSV (:mod:`anchormap.data.csvw`), the "About" sheet of a workbook
(:mod:`anchormap.data.xlsx`), the ``about`` table of a GeoPackage and the ``anchormap`` member of
a GeoJSON file. :meth:`ExportAbout.items` says it all in words, one item a row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

from anchormap.categories import CATEGORIES
from anchormap.data.fact_dates import dated_words
from anchormap.data.sources import load_manifest
from anchormap.measures import MEASURES

LICENCE_URLS = {
    "OGL-3.0": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
    "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
}
"""Licence ids of the manifest -> the licence's page (others: ``https://spdx.org/licenses/<id>``)."""

PARAMETER_LABELS = {
    "edition": "Edition of the Indices of Deprivation",
    "measure": "Deprivation measure",
    "deciles": "Deciles considered (1 = the most deprived 10% in England)",
    "categories": "Anchor categories",
    "catchment_m": "Catchment radius (metres, straight line)",
    "anchors": "Anchors counted",
    "scarcity": "Scarcity",
    "walk_minutes": "Walking time (minutes)",
    "detour_factor": "Detour factor",
    "walk_kmh": "Walking speed (km/h)",
    "walking": "Walking model",
    "decay": "Distance decay",
    "weights": "Weight of each category",
    "rows": "Rows",
    "distances": "Distances",
    "layer": "Layer",
    "include_closed": "Closed sites included",
    "crs": "Coordinates",
    "filter": "Filter",
}
"""Metadata keys the exporters use -> how the "About" sheet names them."""

FORMULA_NOTE = (
    "Text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage "
    "return) starts with an apostrophe in the CSV file; in the workbook it is stored as text."
)


def anchormap_version() -> str:
    """The installed AnchorMap's version ("unknown" when it is not installed)."""
    try:
        return version("anchormap")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


_LICENCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*")


def licence_url(licence: str) -> str | None:
    """The page of a licence id of the manifest; None for a licence the manifest states in words.

    >>> licence_url("ODbL-1.0"), licence_url("MIT"), licence_url("OGL-3.0 (believed; not re-verified)")
    ('https://opendatacommons.org/licenses/odbl/1-0/', 'https://spdx.org/licenses/MIT', None)
    """
    if licence in LICENCE_URLS:
        return LICENCE_URLS[licence]
    return f"https://spdx.org/licenses/{licence}" if _LICENCE_ID.fullmatch(licence) else None


def licence_text(licence: str) -> str:
    """A licence as people read it: its id and page, or the manifest's words when it has no id.

    >>> licence_text("OGL-3.0")
    'OGL-3.0: https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/'
    >>> licence_text("public facts; geocodes OGL-3.0")
    'public facts; geocodes OGL-3.0'
    """
    url = licence_url(licence)
    return f"{licence}: {url}" if url else licence


def licences_of(dataset_ids: Iterable[str]) -> tuple[str, ...]:
    """The licences (manifest ids such as ``OGL-3.0``) of the manifest's datasets among ``dataset_ids``.

    Ids the manifest does not know (uploads, a network's own list) are skipped.
    """
    manifest = load_manifest()
    found = [manifest[d].licence for d in dict.fromkeys(str(d) for d in dataset_ids) if d in manifest]
    return tuple(dict.fromkeys(x for x in found if x))


def dates_of(dataset_ids: Iterable[str]) -> tuple[str, ...]:
    """Each manifest dataset's name and date, old ones marked, once each, in the order given.

    >>> dates_of(["imd2019", "upload:3", "imd2019"])[0].startswith("Indices of Deprivation 2019, September 2019")
    True
    """
    manifest = load_manifest()
    ids = dict.fromkeys(str(d) for d in dataset_ids)
    return tuple(dict.fromkeys(dated_words(manifest[d]) for d in ids if d in manifest))


def _value_in_words(key: str, value: object) -> str:
    if key == "measure" and value in MEASURES:
        return MEASURES[value].label
    if key == "categories" and isinstance(value, str) and value != "all":
        return ", ".join(CATEGORIES[c].label if c in CATEGORIES else c for c in value.split(","))
    if isinstance(value, bool) or value in ("true", "false"):
        return "yes" if value in (True, "true") else "no"
    return " ".join(str(value).splitlines())


@dataclass(frozen=True)
class ExportAbout:
    """The metadata of one exported table.

    Attributes
    ----------
    title : str
        What the table is ("AnchorMap gap ranking").
    description : str
        The formula or method in words ("" when none).
    parameters : dict
        Plain values (numbers, text) by key, e.g. ``{"walk_minutes": 12}``; keys are named in
        words through :data:`PARAMETER_LABELS`.
    attribution : tuple of str
        The attribution line of every dataset in the table, with editions.
    licences : tuple of str
        Licence ids of the manifest (``OGL-3.0``...).
    dates : tuple of str
        Each dataset's short name and date, old ones marked
        (:func:`anchormap.data.fact_dates.dated_words`), one per dataset in the table.
    generated_at : str
        When the file was made, ISO 8601 in UTC.
    version : str
        AnchorMap's version.
    """

    title: str
    description: str = ""
    parameters: dict = field(default_factory=dict)
    attribution: tuple[str, ...] = ()
    licences: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    generated_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    version: str = field(default_factory=anchormap_version)

    @classmethod
    def from_metadata(
        cls, metadata: Mapping | None, *, title: str = "AnchorMap export", datasets: Iterable[str] = ()
    ) -> ExportAbout:
        """Read the flat metadata of an exporter.

        Parameters
        ----------
        metadata : mapping or None
            ``title`` or ``dataset`` give the title, ``formula`` or ``description`` the description,
            ``attribution`` (lines joined with " | ", or a list) the attribution; everything else
            is a parameter.
        title : str
            The title when ``metadata`` gives none.
        datasets : iterable of str
            Manifest ids of the datasets in the table, for the licences.

        Returns
        -------
        ExportAbout
        """
        meta = dict(metadata or {})
        title = str(meta.pop("title", meta.pop("dataset", title)))
        description = str(meta.pop("formula", meta.pop("description", "")))
        attribution = meta.pop("attribution", ())
        if isinstance(attribution, str):
            attribution = [a.strip() for a in attribution.split(" | ") if a.strip()]
        return cls(
            title=title,
            description=description,
            parameters=meta,
            attribution=tuple(str(a) for a in attribution),
            licences=licences_of(datasets),
            dates=dates_of(datasets),
        )

    def member(self) -> dict:
        """The ``anchormap`` member of a GeoJSON file: the parameters, then title, formula,
        attribution (lines joined with " | "), licences, date and version."""
        out = {"title": self.title, **self.parameters}
        if self.description:
            out["formula"] = self.description
        if self.attribution:
            out["attribution"] = " | ".join(self.attribution)
        if self.licences:
            out["licences"] = [licence_url(x) or x for x in self.licences]
        return {**out, "generated_at": self.generated_at, "anchormap_version": self.version}

    def items(self) -> list[tuple[str, str]]:
        """Everything in words, one (item, text) pair a row, for the "About" sheet and table."""
        rows = [("Title", self.title)]
        if self.description:
            rows.append(("How it is worked out", self.description))
        for key, value in self.parameters.items():
            label = PARAMETER_LABELS.get(key) or str(key).replace("_", " ").capitalize()
            rows.append((label, _value_in_words(key, value)))
        rows += [("Source", line) for line in self.attribution]
        rows += [("Data and its date", line) for line in self.dates]
        rows += [("Licence", licence_text(x)) for x in self.licences]
        rows += [
            ("Formula cells", FORMULA_NOTE),
            ("Generated at (UTC)", self.generated_at),
            ("AnchorMap version", self.version),
        ]
        return rows
