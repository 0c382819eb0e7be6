"""Safe HTML for Odoo's HTML fields and chatter: formatting kept, scripts and event handlers removed."""

from __future__ import annotations

import html
import re

import nh3

# Tags a rich-text CRM note uses; everything else is removed, and the content
# of script and style elements goes with them.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "ol", "p", "pre", "s", "small",
    "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
}
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text))


def sanitize_html(text: str) -> str:
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def to_html(value) -> str | None:
    """Return safe HTML for a rich-text or plain-text cell; plain text keeps its paragraphs and line breaks."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if looks_like_html(text):
        return sanitize_html(text)
    paragraphs = [html.escape(part.strip()).replace("\n", "<br>") for part in re.split(r"\n\s*\n", text)]
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs if paragraph)
