"""A small stylesheet for public pages: large type, high contrast, visible keyboard focus.

Works from a 375 px phone to a 1920x1080 projector: sizes are in ``rem`` / ``clamp()`` so
they grow with the screen, and Streamlit's columns stack on narrow screens by themselves.
Colours: near-black text on white (contrast above 15:1), GOV.UK-style yellow-and-black
focus ring, decile swatches from viridis (colour-blind safe). Apply once per page with
:func:`apply_public_styles`.
"""

from __future__ import annotations

import streamlit as st

FOCUS = "#FFDD00"
TEXT = "#0B0C0C"
MUTED = "#383838"  # still 11:1 on white

PUBLIC_CSS = f"""
<style>
html {{ font-size: 18px; }}
@media (min-width: 1600px) {{ html {{ font-size: 21px; }} }}
[data-testid="stAppViewContainer"], [data-testid="stMarkdownContainer"], .stMarkdown p, .stMarkdown li {{
  color: {TEXT};
}}
.block-container, [data-testid="stMainBlockContainer"] {{
  padding-top: 1.5rem; padding-left: clamp(0.6rem, 3vw, 3rem); padding-right: clamp(0.6rem, 3vw, 3rem);
  max-width: 1800px;
}}
h1 {{ font-size: clamp(2rem, 5vw, 3rem) !important; line-height: 1.15 !important; }}
h2 {{ font-size: clamp(1.5rem, 3.5vw, 2.2rem) !important; }}
h3 {{ font-size: clamp(1.25rem, 2.6vw, 1.6rem) !important; }}
[data-testid="stCaptionContainer"], .stCaption {{ color: {MUTED} !important; font-size: 0.85rem !important; }}
input, textarea, [data-baseweb="select"] {{ font-size: 1.15rem !important; }}
[data-testid="stTextInput"] input {{ min-height: 3rem; }}
button, [data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"] {{
  min-height: 3rem; font-size: 1.05rem !important;
}}
[data-testid="stBaseButton-primary"] {{
  background-color: {TEXT} !important; border-color: {TEXT} !important; color: #FFFFFF !important;
}}
[data-testid="stBaseButton-primary"] p {{ color: #FFFFFF !important; font-weight: 700; }}
[data-testid="stBaseButton-primary"]:hover {{ background-color: {MUTED} !important; }}
[data-testid="stBaseButton-secondary"] {{ border: 2px solid {TEXT} !important; color: {TEXT} !important; }}
a:focus-visible, button:focus-visible, input:focus-visible, [role="button"]:focus-visible,
[tabindex]:focus-visible, summary:focus-visible {{
  outline: 4px solid {FOCUS} !important; box-shadow: 0 0 0 7px {TEXT} !important; outline-offset: 0;
}}
.am-card {{ font-size: 1.05rem; line-height: 1.55; color: {TEXT}; overflow-wrap: anywhere; }}
.am-card h3 {{ margin: 1.2rem 0 0.4rem 0; }}
.am-card h4 {{ margin: 0.9rem 0 0.2rem 0; font-size: 1.1rem; }}
.am-card .am-where {{ font-size: 1.1rem; font-weight: 600; margin: 0 0 0.3rem 0; }}
.am-card .am-about {{ color: {MUTED}; }}
.am-card .am-headline {{ font-size: 1.35rem; font-weight: 700; border-left: 8px solid {TEXT};
  padding: 0.3rem 0 0.3rem 0.8rem; margin: 0.8rem 0; }}
.am-card ul {{ padding-left: 1.2rem; margin: 0.2rem 0; }}
.am-card li {{ margin: 0.35rem 0; }}
.am-card .am-help {{ display: block; color: {MUTED}; font-size: 0.9rem; }}
.am-card .am-note {{ color: {MUTED}; font-size: 0.9rem; }}
.am-meter {{ display: inline-flex; gap: 2px; vertical-align: middle; margin-right: 0.5rem; }}
.am-meter span {{ width: 0.8rem; height: 0.8rem; border: 1px solid #555; display: inline-block; }}
.am-meter span.on {{ outline: 2px solid {TEXT}; outline-offset: 1px; width: 1rem; height: 1rem; }}
.am-notice {{ font-size: 1.15rem; border-left: 8px solid {TEXT}; background: #F3F2F1; padding: 0.8rem 1rem;
  color: {TEXT}; overflow-wrap: anywhere; }}
.am-share {{ font-size: 1.05rem; background: #F3F2F1; padding: 0.6rem 0.8rem; overflow-wrap: anywhere; }}
.am-share a {{ color: {TEXT}; }}
@media (max-width: 640px) {{
  html {{ font-size: 17px; }}
  .am-card {{ font-size: 1rem; }}
  .am-card .am-headline {{ font-size: 1.2rem; }}
}}
</style>
"""


PHONE_CSS = """
<style>
html { font-size: 21px; }
.block-container, [data-testid="stMainBlockContainer"] { max-width: 40rem; }
.am-card { font-size: 1.1rem; }
.am-card .am-headline { font-size: 1.4rem; }
</style>
"""
"""The phone layout of Your area (``?phone=1``): bigger type, one narrow column."""

MAP_HEIGHT_CSS = """
<style>
/* A projector or any tall, wide screen: the map takes the screen's height (viewport units on the
   map's iframe; inside it, the Leaflet map fills the iframe: anchormap/maps/web/anchormap.css). */
@media (min-width: 1500px) and (min-height: 950px) {
  iframe[title="streamlit_folium.st_folium"] { height: max(640px, calc(100vh - 120px)) !important; }
}
</style>
"""
"""Map height on projectors: the iframe's height follows the screen (``vh``)."""


def apply_phone_styles() -> None:
    """Add the phone layout's stylesheet (call after :func:`apply_public_styles`)."""
    st.markdown(PHONE_CSS, unsafe_allow_html=True)


def apply_map_height() -> None:
    """Let the map use a tall screen's height (once per page that shows a map)."""
    st.html(MAP_HEIGHT_CSS)


def apply_public_styles() -> None:
    """Add the public stylesheet to the page (call once, near the top)."""
    st.markdown(PUBLIC_CSS, unsafe_allow_html=True)
