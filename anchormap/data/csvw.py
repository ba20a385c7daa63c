"""The W3C CSVW sidecar of an exported CSV: ``NAME.csv-metadata.json`` beside ``NAME.csv``.

CSV has no place for metadata that every reader skips, so the parameters, the formula in
words, the sources, licences, date and version go into a "CSV on the Web" metadata document
(https://www.w3.org/TR/tabular-metadata/), which CSVW tools find by its name
(``<csv file name>-metadata.json``). Its ``tableSchema.columns`` name every column of the CSV in
order: ``titles`` holds the header as written first (so a validator matches it), then a title
people read; ``datatype`` comes from the column's dtype; ``schema:unitText`` gives the unit
where the column has one (:mod:`anchormap.data.columns`). Parameters are
``schema:additionalProperty`` values (``schema:propertyID``, ``schema:name``, ``schema:value``);
:func:`sidecar_parameters` reads them back.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from anchormap.atomic import write_text
from anchormap.data.about import PARAMETER_LABELS, ExportAbout, licence_url
from anchormap.data.columns import column_info

CSVW_CONTEXT = "http://www.w3.org/ns/csvw"


def sidecar_path(csv_path: str | Path) -> Path:
    """Where the sidecar of ``csv_path`` goes: the same folder, ``<file name>-metadata.json``.

    >>> sidecar_path("out/gaps.csv").as_posix()
    'out/gaps.csv-metadata.json'
    """
    csv_path = Path(csv_path)
    return csv_path.with_name(csv_path.name + "-metadata.json")


def csvw_datatype(series: pd.Series) -> str | dict:
    """The CSVW datatype of a column as pandas writes it to CSV.

    >>> csvw_datatype(pd.Series([1, 2])), csvw_datatype(pd.Series([0.5])), csvw_datatype(pd.Series(["a"]))
    ('integer', 'number', 'string')
    >>> csvw_datatype(pd.Series([True]))
    {'base': 'boolean', 'format': 'True|False'}
    """
    if pd.api.types.is_bool_dtype(series):
        return {"base": "boolean", "format": "True|False"}
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    return "string"


def _column_name(header: str, used: set[str]) -> str:
    """A CSVW column name (letters, digits, underscores; not starting with one) unique in the table."""
    name = re.sub(r"[^A-Za-z0-9_.]", "_", str(header)).lstrip("_") or "column"
    base, n = name, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


def csvw_metadata(table: pd.DataFrame, csv_name: str, about: ExportAbout) -> dict:
    """The CSVW metadata document of ``table`` written as the CSV file ``csv_name``.

    Parameters
    ----------
    table : pandas.DataFrame
        The table as written (no geometry column), its columns in the file's order.
    csv_name : str
        The CSV's file name (the document's ``url``, relative to the sidecar).
    about : ExportAbout
        Title, description, parameters, sources, licences, date and version.

    Returns
    -------
    dict
        A JSON-LD document with ``@context`` ``http://www.w3.org/ns/csvw``.
    """
    used: set[str] = set()
    columns = []
    for header in table.columns:
        info = column_info(str(header))
        titles = [str(header)] + ([info.title] if info.title != str(header) else [])
        col = {"name": _column_name(header, used), "titles": titles, "datatype": csvw_datatype(table[header])}
        if info.description:
            col["dc:description"] = info.description
        if info.unit:
            col["schema:unitText"] = info.unit
        columns.append(col)
    doc = {
        "@context": [CSVW_CONTEXT, {"@language": "en"}],
        "url": csv_name,
        "dc:title": about.title,
        "dc:created": {"@value": about.generated_at, "@type": "xsd:dateTime"},
        "prov:wasGeneratedBy": {"rdfs:label": f"AnchorMap {about.version}", "schema:softwareVersion": about.version},
    }
    if about.description:
        doc["dc:description"] = about.description
    if about.licences:
        links = [{"@id": url} for url in map(licence_url, about.licences) if url]
        words = [x for x in about.licences if licence_url(x) is None]  # a licence stated in words: not a link
        if links:
            doc["dc:license"] = links
        if words:
            doc["dc:rights"] = words
    if about.attribution:
        doc["dc:source"] = list(about.attribution)
    doc["schema:additionalProperty"] = [
        {
            "@type": "schema:PropertyValue",
            "schema:propertyID": str(key),
            "schema:name": PARAMETER_LABELS.get(key) or str(key).replace("_", " ").capitalize(),
            "schema:value": value if isinstance(value, int | float | bool) else " ".join(str(value).splitlines()),
        }
        for key, value in about.parameters.items()
    ]
    doc["dialect"] = {"encoding": "utf-8", "header": True, "headerRowCount": 1}
    doc["tableSchema"] = {"columns": columns}
    return doc


def write_sidecar(table: pd.DataFrame, csv_path: str | Path, about: ExportAbout) -> Path:
    """Write the sidecar of the CSV ``csv_path`` (atomically, UTF-8); returns its path."""
    path = sidecar_path(csv_path)
    doc = csvw_metadata(table, Path(csv_path).name, about)
    write_text(path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    return path


def read_sidecar(csv_path: str | Path) -> dict:
    """The sidecar document of the CSV ``csv_path`` (or the sidecar's own path)."""
    path = Path(csv_path)
    if not path.name.endswith("-metadata.json"):
        path = sidecar_path(path)
    return json.loads(path.read_text(encoding="utf-8"))


def sidecar_parameters(doc: dict) -> dict:
    """The parameters of a sidecar document: ``schema:propertyID`` -> ``schema:value``."""
    return {p["schema:propertyID"]: p["schema:value"] for p in doc.get("schema:additionalProperty", [])}
