"""A place profile (:func:`anchormap.analysis.profile.place_profile`) in tables people read, and as files.

The same tables (headings and values in words, numbers formatted, nothing empty shown as
"None") are used by the page, the HTML page and the PDF, so what is printed is what the page
shows:

- :func:`section_table`: the figures of one section, the place (and the place compared with)
  beside London and England;
- :func:`deciles_table`, :func:`extremes_table`, :func:`anchors_table`, :func:`gaps_table`,
  :func:`land_table`, :func:`network_table`, :func:`change_table`, :func:`metrics_table`.

:func:`write_profile` writes ``csv`` (one row per indicator, columns
:data:`anchormap.analysis.profile.CSV_COLUMNS`, with its CSVW sidecar), ``xlsx`` (the same rows,
then About and Columns sheets), ``html`` (one self-contained page: everything from the data is
escaped, the map is an embedded PNG) and ``pdf`` (A4 portrait, readable in black and white:
greys and hatching for the deciles; matplotlib's PdfPages). Writes are atomic.
"""

from __future__ import annotations

import base64
import html
import io
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from anchormap.analysis.change import CHANGE_WARNING
from anchormap.analysis.profile import (
    Profile,
    anchor_datasets,
    land_datasets,
    profile_datasets,
    source_text,
)
from anchormap.atomic import atomic_path
from anchormap.data.attribution import attribution_lines
from anchormap.data.exports import export_file_bytes, write_table
from anchormap.data.formulas import looks_like_formula
from anchormap.data.xlsx import cell_value
from anchormap.editions import edition_info
from anchormap.errors import AnchorMapError
from anchormap.land.overview import summary_table
from anchormap.measures import measures_for
from anchormap.words import value_words

PROFILE_FORMATS = ("pdf", "html", "csv", "xlsx")
EMPTY_WORDS = "Nothing to list for this place."
"""What a table with no rows says (page, HTML and PDF)."""
"""The formats of ``anchormap profile --format`` and the page's downloads."""

MIME_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

A4_PORTRAIT = (8.27, 11.69)
"""An A4 page, portrait, in inches."""

SUMMARY_KEYS = ("share_10", "share_20", "average_score", "spread", "most_deprived_decile", "least_deprived_decile")
"""The figures of each deprivation measure shown in its table (the decile counts have their own)."""

DECILE_GREYS = [str(g) for g in np.linspace(0.12, 0.95, 10)]
"""Decile 1 (most deprived) darkest to decile 10 lightest: readable printed in black and white."""
DECILE_HATCH = ["///", "///", "..", "..", "", "", "", "", "", ""]
"""Hatching on the two most deprived deciles (and dots on the next two), so grey is never the only cue."""


# --------------------------------------------------------------------------- values in words
def format_value(value: float | None, unit: str) -> str:
    """A figure as text: thousands separated, percentages with one decimal, small scores with three.

    >>> format_value(294999.0, "people"), format_value(2.958, "%"), format_value(0.1044, "score")
    ('294,999', '3.0%', '0.104')
    >>> format_value(26.6609, "score"), format_value(None, "score"), format_value(3.0, "decile")
    ('26.66', '', '3')
    """
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return ""
    v = float(value)
    if unit == "%":
        return f"{v:.1f}%"
    if unit in ("people", "neighbourhoods", "sites", "decile"):
        return f"{v:,.0f}"
    if unit == "km²":
        return f"{v:,.2f} km²"
    if unit == "sites per 1,000 residents":
        return f"{v:.3f}"
    if unit == "score":
        return f"{v:.3f}" if abs(v) < 1 else f"{v:,.2f}"
    return f"{v:,.3g}"


def section_table(profile: Profile, section: str, keys: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The figures of ``section``: "Figure", the place (and the compared place), "London", "England".

    Parameters
    ----------
    profile : Profile
    section : str
        A heading of :meth:`Profile.sections`.
    keys : tuple of str, optional
        Only indicators whose key ends with one of these.

    Returns
    -------
    DataFrame
        Text cells ("" where a figure does not apply).
    """
    places = profile.places()
    mine = [i for i in profile.section(section) if keys is None or i.key.endswith(keys)]
    others = [{j.key: j for j in p.section(section)} for p in places[1:]]
    rows = []
    for i in mine:
        row = {"Figure": i.indicator, _column(places[0]): format_value(i.value, i.unit)}
        for p, by_key in zip(places[1:], others, strict=True):
            j = by_key.get(i.key)
            row[_column(p)] = format_value(j.value if j else None, i.unit)
        row["London"] = format_value(i.london, i.unit)
        row["England"] = format_value(i.england, i.unit)
        rows.append(row)
    return pd.DataFrame(rows)


def _column(profile: Profile) -> str:
    label = profile.label[:1].upper() + profile.label[1:]
    return label if label not in ("Figure", "London", "England") else f"{label} (the place)"


def deprivation_sections(profile: Profile) -> list[str]:
    """The sections of the deprivation measures of the profile's edition, the IMD first."""
    return [m.label for m in measures_for(profile.edition)]


def deprivation_summary(profile: Profile) -> pd.DataFrame:
    """One row per measure and place: its share in the most deprived 10% and 20%, average score, deciles found.

    Returns
    -------
    DataFrame
        Text cells under headings in words.
    """
    rows = []
    for m in measures_for(profile.edition):
        for p in profile.places():
            v = {i.key.removeprefix(f"{m.key}_"): i for i in p.section(m.label)}

            def f(k, v=v):
                return format_value(v[k].value, v[k].unit) if k in v else ""

            def lon(k, v=v):
                return format_value(v[k].london, v[k].unit) if k in v else ""

            row = {"Measure": m.label}
            if profile.compare is not None:
                row["Place"] = _column(p)
            row.update(
                {
                    "In England's most deprived 10%": f("share_10"),
                    "London": lon("share_10"),
                    "In the most deprived 20%": f("share_20"),
                    "London ": lon("share_20"),
                    "Average score": f("average_score"),
                    "London  ": lon("average_score"),
                    "Deciles found": f"{f('most_deprived_decile')} to {f('least_deprived_decile')}",
                    "Spread of scores": f("spread"),
                }
            )
            rows.append(row)
    return pd.DataFrame(rows)


def deciles_table(profile: Profile) -> pd.DataFrame:
    """Neighbourhoods in each national decile, one row per measure (and place when comparing)."""
    rows = []
    for p in profile.places():
        for rec in p.deciles.to_dict("records"):
            row = {"Measure": rec["label"]}
            if profile.compare is not None:
                row["Place"] = _column(p)
            for k in range(1, 11):
                head = "Decile 1 (most deprived)" if k == 1 else ("Decile 10 (least)" if k == 10 else f"Decile {k}")
                row[head] = f"{rec[f'decile_{k}']:,}"
            rows.append(row)
    return pd.DataFrame(rows)


def _both(profile: Profile, table_of) -> pd.DataFrame:
    """``table_of(place profile)`` for each place, with a Place column first when comparing."""
    parts = []
    for p in profile.places():
        t = table_of(p)
        if len(t) and profile.compare is not None:
            t.insert(0, "Place", _column(p))
        parts.append(t)
    parts = [t for t in parts if len(t)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def extremes_table(profile: Profile) -> pd.DataFrame:
    """The most and least deprived neighbourhoods (IMD) of each place, with their scores and deciles."""

    def of(p: Profile) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "Which": rec["which"],
                    "Neighbourhood": value_words(rec["lsoa_name"]),
                    "Code": value_words(rec["lsoa_code"]),
                    "IMD score": format_value(rec["imd_score"], "score"),
                    "Decile (1 = most deprived 10% in England)": f"{int(rec['imd_decile'])}",
                }
                for rec in p.extremes.to_dict("records")
            ]
        )

    return _both(profile, of)


def anchors_table(profile: Profile) -> pd.DataFrame:
    """Open anchor sites by kind, per 1,000 residents, beside London's rate."""
    places = profile.places()
    rows = []
    for k, rec in enumerate(places[0].anchors.to_dict("records")):
        row = {"Kind of anchor": rec["label"]}
        for p in places:
            r = p.anchors.iloc[k]
            row[f"{_column(p)}: sites"] = f"{int(r['sites']):,}"
            row[f"{_column(p)}: per 1,000 residents"] = format_value(r["per_1000"], "sites per 1,000 residents")
        row["London: per 1,000 residents"] = format_value(rec["london_per_1000"], "sites per 1,000 residents")
        rows.append(row)
    return pd.DataFrame(rows)


def gaps_table(profile: Profile) -> pd.DataFrame:
    """The place's biggest gaps (of both places when comparing), with their rank in London."""

    def of(p: Profile) -> pd.DataFrame:
        if p.gaps is None:
            return pd.DataFrame()
        decile = next((c for c in p.gaps.columns if c.endswith("_decile")), None)
        return pd.DataFrame(
            [
                {
                    "Rank in London": f"{int(rec['gap_rank']):,}",
                    "Neighbourhood": value_words(rec["lsoa_name"]),
                    "Decile": f"{int(rec[decile])}" if decile else "",
                    "Anchors within reach": f"{int(rec['anchors_in_catchment'])}",
                    "Nearest anchor": value_words(rec["nearest_anchor_name"]),
                    "Distance to it (m)": format_value(rec["nearest_anchor_m"], "people"),
                    "Gap score": f"{float(rec['gap_score']):.3f}",
                }
                for rec in p.gaps.to_dict("records")
            ]
        )

    return _both(profile, of)


def land_table(profile: Profile) -> pd.DataFrame:
    """Unused public land and buildings by owner type and status (of both places when comparing)."""
    out = _both(profile, lambda p: summary_table(p.land) if len(p.land) else pd.DataFrame())
    return out.fillna("").astype(str).replace({"nan": "", "None": ""}) if len(out) else out


def network_table(profile: Profile) -> pd.DataFrame:
    """Our network's sites in the place (of both places when comparing); empty without a network."""
    from anchormap.categories import CATEGORIES

    rows = []
    for p in profile.places():
        if p.network is None:
            continue
        for rec in p.network.to_dict("records"):
            row = {"Place": _column(p)} if profile.compare is not None else {}
            row["Site"] = value_words(rec.get("name"))
            row["Organisation"] = value_words(rec.get("organisation"))
            cat = rec.get("category") or ""
            row["Kind"] = CATEGORIES[cat].label if cat in CATEGORIES else "Not given"
            rows.append(row)
    return pd.DataFrame(rows)


CHANGE_HEADINGS = {
    "lsoa21_name": "Neighbourhood (2021)",
    "change_type": "How its boundary changed",
    "rank_2019": "Rank 2019",
    "rank_2025": "Rank 2025",
    "rank_change": "Change in rank",
    "decile_2019": "Decile 2019",
    "decile_2025": "Decile 2025",
    "decile_change": "Change in decile",
}


def _change_of(p: Profile) -> pd.DataFrame:
    if p.change is None or not len(p.change):
        return pd.DataFrame()
    t = p.change[[c for c in CHANGE_HEADINGS if c in p.change.columns]].copy()
    for c in t.columns:
        t[c] = t[c].map(value_words)
    return t.rename(columns=CHANGE_HEADINGS)


def change_table(profile: Profile) -> pd.DataFrame:
    """The 2019 to 2025 change of the place's neighbourhoods (of both places when comparing), in
    words; empty when it is not available."""
    return _both(profile, _change_of)


def _metrics_of(p: Profile) -> pd.DataFrame:
    if p.metrics is None or not len(p.metrics):
        return pd.DataFrame()
    heads = {"metric": "Metric", "date": "Date", "value": "Value", "target": "Target"}
    t = p.metrics[[c for c in heads if c in p.metrics.columns]].copy()
    for c in t.columns:
        t[c] = t[c].map(value_words)
    return t.rename(columns=heads)


def metrics_table(profile: Profile) -> pd.DataFrame:
    """The network's shared metrics of the place (of both places when comparing: date, value,
    target), empty when none are recorded."""
    return _both(profile, _metrics_of)


def title_line(profile: Profile) -> str:
    """The profile's title ("Lewisham compared with Southwark: place profile, 2019 edition")."""
    who = profile.label if profile.compare is None else f"{profile.label} compared with {profile.compare.label}"
    return f"{who[:1].upper()}{who[1:]}: place profile, Indices of Deprivation {profile.edition}"


def source_lines(profile: Profile) -> list[str]:
    """Attribution of every dataset in the profile, with each dataset's name and date."""
    return attribution_lines(profile_datasets(profile))


def all_tables(profile: Profile) -> list[tuple[str, pd.DataFrame, str]]:
    """Every table of the profile with its heading and its source line (datasets, dates, licences),
    in the order the page, the HTML page and the PDF show them."""
    from anchormap.analysis.gaps import GapParams, gap_datasets

    info = edition_info(profile.edition)
    imd = source_text(info.datasets)
    people = source_text(["imd2019", info.datasets[0], *(["lsoa11_lsoa21"] if profile.edition != 2019 else [])])
    out = [
        ("People and area", section_table(profile, "People and area"), people),
        ("Deprivation: shares, average scores and spread", deprivation_summary(profile), imd),
        ("Neighbourhoods in each national decile", deciles_table(profile), imd),
        ("The most and least deprived neighbourhoods (IMD)", extremes_table(profile), imd),
        ("Anchors by kind", anchors_table(profile), source_text(["imd2019", *anchor_datasets()])),
    ]
    if profile.network is not None:
        out.append(("Our network's sites in the place", network_table(profile), "Our network's own list"))
    gaps = source_text(gap_datasets(GapParams(edition=profile.edition)))
    out.append(("The biggest gaps: need and few anchors", gaps_table(profile), gaps))
    out.append(
        (
            "Unused public land and buildings, by owner type and status",
            land_table(profile),
            source_text(land_datasets()) + "; partners' uploaded registers, each with its own date",
        )
    )
    if profile.change is not None:
        out.append(
            ("Change from 2019 to 2025", change_table(profile), source_text(["imd2019", "imd2025", "lsoa11_lsoa21"]))
        )
    if profile.metrics is not None:
        out.append(("Our shared metrics", metrics_table(profile), "Recorded by our network"))
    return out


# --------------------------------------------------------------------------- the map
MAP_SIMPLIFY_M = 15.0
"""Tolerance (metres, EPSG:27700) the printed map's outlines are simplified to: invisible at its size."""


def draw_need_map(profile: Profile, ax) -> None:
    """Where need concentrates: the place's neighbourhoods by IMD decile in greys and hatching (EPSG:27700)."""
    lsoas = profile.lsoas.assign(geometry=profile.lsoas.geometry.simplify(MAP_SIMPLIFY_M))
    for d in range(1, 11):
        part = lsoas[lsoas["imd_decile"] == d]
        if len(part):
            part.plot(ax=ax, facecolor=DECILE_GREYS[d - 1], edgecolor="black", linewidth=0.2, hatch=DECILE_HATCH[d - 1])
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_title(profile.label, fontsize=10, wrap=True)


def legend_handles() -> list[Patch]:
    """The map's key: one patch per decile, grey and hatching."""
    return [
        Patch(
            facecolor=DECILE_GREYS[d - 1],
            edgecolor="black",
            hatch=DECILE_HATCH[d - 1],
            label=f"Decile {d}"
            + (" (most deprived 10% in England)" if d == 1 else " (least deprived)" if d == 10 else ""),
        )
        for d in range(1, 11)
    ]


def map_figure(profile: Profile, size: tuple[float, float] = (7.5, 4.2)) -> Figure:
    """A small figure with the need map of the place (and of the compared place); names drawn as
    typed (no ``$...$`` notation)."""
    import matplotlib

    places = profile.places()
    with matplotlib.rc_context({"text.parse_math": False}):
        fig = Figure(figsize=size)
        axes = fig.subplots(1, len(places))
        for p, ax in zip(places, np.atleast_1d(axes), strict=True):
            draw_need_map(p, ax)
    return fig


def map_png(profile: Profile, dpi: int = 110) -> bytes:
    """The need map as PNG bytes (for the HTML page and the app)."""
    fig = map_figure(profile)
    fig.legend(handles=legend_handles(), loc="lower center", ncol=5, fontsize=6, frameon=False)
    fig.subplots_adjust(bottom=0.2)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


# --------------------------------------------------------------------------- files
def profile_metadata(profile: Profile) -> dict:
    """The flat metadata of the CSV and workbook (:class:`anchormap.data.about.ExportAbout`)."""
    meta = {
        "title": title_line(profile),
        "formula": " ".join(profile.notes),
        "edition": profile.edition,
        "place": profile.place.text,
        "rows": len(profile.indicator_table()),
        "attribution": attribution_lines(profile_datasets(profile), with_editions=True),
    }
    if profile.compare is not None:
        meta["compare"] = profile.compare.place.text
    return meta


def write_profile(profile: Profile, fmt: str, out: str | Path) -> int:
    """Write the profile as ``pdf``, ``html``, ``csv`` or ``xlsx`` (atomically).

    Parameters
    ----------
    profile : Profile
    fmt : {"pdf", "html", "csv", "xlsx"}
    out : str or pathlib.Path
        The file (a CSV's CSVW sidecar ``NAME.csv-metadata.json`` goes beside it).

    Returns
    -------
    int
        Indicator rows (csv, xlsx) or pages (pdf) or tables (html) written.

    Raises
    ------
    AnchorMapError
        On an unknown format.
    """
    if fmt not in PROFILE_FORMATS:
        msg = f"Unknown profile format '{fmt}': choose {', '.join(PROFILE_FORMATS)}."
        raise AnchorMapError(msg)
    out = Path(out)
    if fmt == "xlsx":
        return _write_workbook(profile, out)
    if fmt == "csv":
        table = profile.indicator_table()
        return write_table(
            table, fmt, out, metadata=profile_metadata(profile), layer="profile", datasets=profile_datasets(profile)
        )
    if fmt == "html":
        text = profile_html(profile)
        with atomic_path(out, suffix=".html") as tmp:
            Path(tmp).write_text(text, encoding="utf-8")
        return len(all_tables(profile))
    pages = profile_pdf_pages(profile)
    from matplotlib.backends.backend_pdf import PdfPages

    with atomic_path(out, suffix=".pdf") as tmp:
        with PdfPages(tmp, metadata={"Title": title_line(profile), "Creator": "AnchorMap"}) as pdf:
            for fig in pages:
                pdf.savefig(fig)
    return len(pages)


def _write_workbook(profile: Profile, out: Path) -> int:
    """The indicators (first sheet), About and Columns (:func:`anchormap.data.exports.write_table`), then
    one sheet per table of the page, text stored as text (never a formula)."""
    import tempfile

    from openpyxl import load_workbook
    from openpyxl.styles import Font

    table = profile.indicator_table()
    with tempfile.TemporaryDirectory() as tmp:
        first = Path(tmp) / "profile.xlsx"
        write_table(
            table,
            "xlsx",
            first,
            metadata=profile_metadata(profile),
            layer="profile",
            datasets=profile_datasets(profile),
        )
        wb = load_workbook(first)
    used = set(wb.sheetnames)
    for heading, frame, source in all_tables(profile):
        name = "".join(c for c in heading if c not in "[]:*?/\\")[:31].strip()
        while name in used:
            name = name[:29] + f" {len(used)}"
        used.add(name)
        ws = wb.create_sheet(name)
        rows = [[heading], [f"Source: {source}"], [], list(frame.columns), *frame.astype(str).values.tolist()]
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row, start=1):
                cell = ws.cell(row=i, column=j)
                cell.value = cell_value(value)
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    cell.quotePrefix = looks_like_formula(cell.value)
                if i in (1, 4):
                    cell.font = Font(bold=True)
        for j in range(1, len(frame.columns) + 1):
            ws.column_dimensions[ws.cell(row=4, column=j).column_letter].width = 22
    with atomic_path(out, suffix=".xlsx") as path:
        wb.save(path)
    return len(table)


def profile_bytes(profile: Profile, fmt: str, file_name: str = "profile.csv") -> bytes:
    """The file :func:`write_profile` writes, as bytes (for download buttons); ``csvw`` gives the CSV's sidecar."""
    return export_file_bytes(lambda f, path: write_profile(profile, f, path), fmt, file_name)


def _html_table(table: pd.DataFrame) -> str:
    if not len(table):
        return f"<p>{EMPTY_WORDS}</p>"
    return table.to_html(index=False, escape=True, border=0, classes="t")


def profile_html(profile: Profile) -> str:
    """The profile as one self-contained HTML page (no outside file; every value escaped)."""
    e = html.escape
    made = datetime.now(UTC).strftime("%d %B %Y")
    png = base64.b64encode(map_png(profile)).decode("ascii")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(title_line(profile))}</title>",
        "<style>body{font-family:sans-serif;font-size:18px;max-width:1100px;margin:2rem auto;color:#0b0c0c}"
        "table.t{border-collapse:collapse;margin:0.5rem 0 1.5rem}table.t td,table.t th{border:1px solid #555;"
        "padding:0.25rem 0.5rem;text-align:left}table.t th{background:#eee}.note{color:#383838;font-size:0.9rem}"
        "img{max-width:100%}</style></head><body>",
        f"<h1>{e(title_line(profile))}</h1>",
        f"<p class='note'>Made by AnchorMap on {e(made)}. Neighbourhoods are the LSOAs of "
        f"{e(edition_info(profile.edition).boundaries)}.</p>",
        "<h2>Where need concentrates</h2>",
        f"<img alt='{e('Map of the neighbourhoods of ' + profile.label + ' by deprivation decile')}' "
        f"src='data:image/png;base64,{png}'>",
    ]
    for heading, table, source in all_tables(profile):
        parts.append(f"<h2>{e(heading)}</h2>")
        if heading.startswith("Change"):
            parts.append(f"<p>{e(CHANGE_WARNING)}</p>")
        parts.append(_html_table(table))
        parts.append(f"<p class='note'>Source: {e(source)}</p>")
    parts.append("<h2>How the figures are worked out</h2><ul>")
    parts += [f"<li>{e(n)}</li>" for n in profile.notes]
    parts.append("</ul><h2>Sources, dates and licences</h2><ul>")
    parts += [f"<li class='note'>{e(line)}</li>" for line in source_lines(profile)]
    parts.append("</ul></body></html>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- PDF pages
ROWS_PER_PAGE = 34
"""Table rows on one A4 page (font 7)."""


def _new_page(profile: Profile, number: int) -> Figure:
    fig = Figure(figsize=A4_PORTRAIT)
    title = title_line(profile)
    # one line across the page: a long name (two wards against the rest of a borough) gets smaller type
    fig.text(0.06, 0.975, title, fontsize=max(6.5, min(11.0, 11.0 * 82 / max(len(title), 1))), weight="bold", va="top")
    fig.text(0.94, 0.02, f"Page {number}", fontsize=7, ha="right")
    return fig


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width)) or ""


LINE_H = 6.5 * 1.25 / 72 / A4_PORTRAIT[1]
"""Height of one line of table text (6.5 pt, spacing 1.25) as a fraction of the A4 page."""


def _draw_table(fig: Figure, table: pd.DataFrame, top: float, heading: str) -> float:
    """Draw ``table`` under ``heading`` from ``top`` (figure fraction) down; returns where it ends.

    Each column is one block of text (rows padded to the same number of lines) with a rule
    under every row: far fewer text objects than a cell per value, so pages draw quickly.
    """
    fig.text(0.06, top, heading, fontsize=10, weight="bold", va="top")
    top -= 0.022
    if not len(table):
        fig.text(0.06, top, EMPTY_WORDS, fontsize=8, va="top")
        return top - 0.03
    cols = [str(c).strip() for c in table.columns]
    values = table.astype(str).to_numpy()
    longest = [
        max(len(cols[j]) // 2 + 1, *(len(w) + 1 for w in cols[j].split()), *(len(v) for v in values[:, j]))
        for j in range(len(cols))
    ]
    share = np.minimum(np.array(longest, float), 60) + 3
    share = share / share.sum()
    chars = [max(6, int(s * 150)) for s in share]
    heads = [_wrap(c, chars[j]) for j, c in enumerate(cols)]
    cells = [[_wrap(v, chars[j]) or " " for j, v in enumerate(row)] for row in values]
    rows = [heads, *cells]
    lines = [max(c.count("\n") + 1 for c in row) for row in rows]
    x = 0.06 + 0.88 * np.concatenate([[0], np.cumsum(share)[:-1]])
    for j in range(len(cols)):
        block = "\n".join(row[j] + "\n" * (n - row[j].count("\n") - 1) for row, n in zip(rows, lines, strict=True))
        fig.text(x[j] + 0.003, top, block, fontsize=6.5, va="top", linespacing=1.25)
    y = top
    for k, n in enumerate(lines):
        y -= n * LINE_H
        fig.add_artist(
            Line2D([0.06, 0.94], [y, y], transform=fig.transFigure, color="black", linewidth=0.8 if k == 0 else 0.3)
        )
    fig.add_artist(Line2D([0.06, 0.94], [top, top], transform=fig.transFigure, color="black", linewidth=0.8))
    return y - 0.025


def _chunks(table: pd.DataFrame, size: int):
    for start in range(0, max(1, len(table)), size):
        yield table.iloc[start : start + size]


def profile_pdf_pages(profile: Profile) -> list[Figure]:
    """The PDF's pages (A4 portrait figures): the map and the people first, then every table, then sources.

    Text comes from data files and people (place, metric and file names): it is drawn as typed,
    never read as matplotlib's mathematical notation (``$...$``).
    """
    import matplotlib

    with matplotlib.rc_context({"text.parse_math": False}):
        return _pdf_pages(profile)


def _pdf_pages(profile: Profile) -> list[Figure]:
    pages: list[Figure] = []
    fig = _new_page(profile, 1)
    fig.text(
        0.06,
        0.95,
        f"Made by AnchorMap on {datetime.now(UTC):%d %B %Y}. Deciles: 1 is the most deprived 10% of "
        "neighbourhoods in England, 10 the least deprived.",
        fontsize=8,
        va="top",
    )
    fig.text(
        0.06,
        0.93,
        "Where need concentrates (Index of Multiple Deprivation, by neighbourhood)",
        fontsize=10,
        weight="bold",
        va="top",
    )
    places = profile.places()
    width = 0.88 / len(places)
    for k, p in enumerate(places):
        ax = fig.add_axes([0.06 + k * width, 0.62, width - 0.01, 0.27])
        draw_need_map(p, ax)
    fig.legend(
        handles=legend_handles(), loc="upper left", bbox_to_anchor=(0.06, 0.615), ncol=4, fontsize=6.5, frameon=False
    )
    top = 0.53
    tables = all_tables(profile)
    number = 1
    for heading, table, source in tables:
        chunks = list(_chunks(table, ROWS_PER_PAGE))
        for i, chunk in enumerate(chunks):
            name = heading if i == 0 else f"{heading} (continued)"
            need = LINE_H * (len(chunk) * 1.6 + 3) + 0.05
            if top - need < 0.08:
                pages.append(fig)
                number += 1
                fig = _new_page(profile, number)
                top = 0.94
            if heading.startswith("Change") and i == 0:
                fig.text(0.06, top, _wrap(CHANGE_WARNING, 140), fontsize=7, va="top")
                top -= 0.03
            top = _draw_table(fig, chunk, top, name)
            if i == len(chunks) - 1:
                fig.text(0.06, top + 0.012, _wrap(f"Source: {source}", 160), fontsize=6, va="top", style="italic")
                top -= 0.012 * (1 + len(source) // 160)
    notes = [*profile.notes, "", "Sources, dates and licences:", *source_lines(profile)]
    text = "\n".join(_wrap(n, 150) for n in notes)
    need = 0.011 * (text.count("\n") + 2)
    if top - need < 0.05:
        pages.append(fig)
        number += 1
        fig = _new_page(profile, number)
        top = 0.94
    fig.text(0.06, top, "How the figures are worked out", fontsize=10, weight="bold", va="top")
    fig.text(0.06, top - 0.025, text, fontsize=6.5, va="top")
    pages.append(fig)
    return pages
