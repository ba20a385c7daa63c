"""The area card as safe HTML for Streamlit (every piece of text is escaped).

:func:`card_html` turns an :class:`anchormap.analysis.area_card.AreaCard` into one HTML block with
headings and lists (screen readers announce them), a small decile meter beside each
measure (hidden from screen readers: the sentence says the same), and no blank lines, so
Markdown never reinterprets it. Text from data files (names, owners) is passed through
:func:`html.escape`; nothing from the data becomes markup.
"""

from __future__ import annotations

import html

from anchormap import (
    DECILE_COLOURS,
    AreaCard,
    MeasureLine,
)
from anchormap.data.fact_dates import OLD_WORDS


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def decile_meter(decile: int | None) -> str:
    """Ten viridis swatches (decile 1, most deprived, darkest) with the area's decile ringed."""
    colours = DECILE_COLOURS
    cells = "".join(
        f'<span class="{"on" if decile == d else ""}" style="background:{colours[d - 1]}"></span>' for d in range(1, 11)
    )
    return f'<span class="am-meter" aria-hidden="true">{cells}</span>'


def _measure_item(m: MeasureLine) -> str:
    return (
        f"<li>{decile_meter(m.decile)}{_e(m.sentence)}"
        f'<span class="am-help">{_e(m.label)}: {_e(m.explanation)}.</span></li>'
    )


def deprivation_html(card: AreaCard) -> str:
    """Where the neighbourhood is and how deprived it is, as one escaped HTML block."""
    parts = ['<section class="am-card" aria-label="How this area is doing">']
    if card.subtitle:
        parts.append(f'<p class="am-where">{_e(card.subtitle)}</p>')
    parts.append(f'<p class="am-about">{_e(card.about)}</p>')
    if card.area_summary:
        parts.append(f"<p>{_e(card.area_summary)}</p>")
    parts.append(f'<p class="am-headline">{decile_meter(card.overall.decile)}{_e(card.overall.sentence)}</p>')
    parts.append("<h3>Each part of deprivation</h3><ul>")
    parts.extend(_measure_item(m) for m in card.domains)
    parts.append(
        f'</ul><p class="am-note">{_marked(card.edition_note)} Decile 1 (darkest) is the most deprived '
        "10% of neighbourhoods in England, decile 10 the least deprived.</p></section>"
    )
    return "".join(parts)


def _section(title: str, note: str, body: str) -> str:
    """A titled card section (``title`` and ``note`` escaped here, ``body`` already escaped)."""
    return f'<section class="am-card" aria-label="{_e(title)}"><h3>{_e(title)}</h3><p>{_e(note)}</p>{body}</section>'


def _marked(text: object) -> str:
    """``text`` escaped, with "more than five years old" in bold so old data stands out."""
    old = _e(OLD_WORDS)
    return _e(text).replace(old, f'<strong class="am-old">{old}</strong>')


def _items(lines) -> str:
    return "".join(f"<li>{_marked(s)}</li>" for s in lines)


def anchors_html(card: AreaCard) -> str:
    """The anchor institutions nearby, grouped by kind, as one escaped HTML block ("" if none asked)."""
    if not card.anchor_note:
        return ""
    groups = card.anchors.groupby("category_label", sort=False) if len(card.anchors) else ()
    body = "".join(
        f"<h4>{_e(label)}</h4><ul>{_items(card.anchor_lines[i] for i in rows.index)}</ul>" for label, rows in groups
    )
    return _section("Anchor institutions nearby", card.anchor_note, body)


def land_html(card: AreaCard) -> str:
    """Public land nearby marked as unused, as one escaped HTML block ("" if no land was given)."""
    if not card.land_note:
        return ""
    body = f"<ul>{_items(card.land_lines)}</ul>" if card.land_lines else ""
    return _section("Public land nearby marked as unused", card.land_note, body)


def card_html(card: AreaCard) -> str:
    """The whole card as escaped HTML (deprivation, anchors nearby, land nearby)."""
    return deprivation_html(card) + anchors_html(card) + land_html(card)


def glossary_html(card: AreaCard) -> str:
    """The one-line explanations of the words the card cannot avoid."""
    return '<ul class="am-card">' + "".join(f"<li>{_e(g)}</li>" for g in card.glossary) + "</ul>"


def notice_html(text: str) -> str:
    """A plain, high-contrast message box (escaped)."""
    return f'<div class="am-notice" role="status">{_e(text)}</div>'


def share_link_html(url: str) -> str:
    """A link to ``url`` that shows the whole address (to click, or press and hold to copy).

    Plain HTML, escaped, rather than ``st.code``: a code block makes every visitor's browser load
    Streamlit's syntax highlighter (1.5 MB of script) before the map.
    """
    return f'<p class="am-share"><a href="{_e(url)}" target="_self">{_e(url)}</a></p>'
