"""HTML sanitising of html fields, close to what Odoo 17.0 and 19.0 store.

Both versions drop `<script>` with its content and every `on*` attribute, and keep
`style` and `class` (seen on crm.lead.description). nh3 does the parsing.
"""

from __future__ import annotations

import html

import nh3

_TAGS = set(nh3.ALLOWED_TAGS) | {"font", "tfoot"}
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = {"style", "class", "title", "id", "data-oe-model", "data-oe-id"}
_ATTRIBUTES.setdefault("a", set()).update({"target", "rel"})
_ATTRIBUTES["font"] = {"color", "face", "size"}


def sanitize_html(value: str) -> str:
    """Return `value` with unsafe markup removed."""
    cleaned = nh3.clean(value, tags=_TAGS, attributes=_ATTRIBUTES, link_rel=None)
    stripped = cleaned.strip()
    if stripped and not stripped.startswith("<"):
        # NOTE: lxml, which Odoo uses, wraps leading bare text in <p>. Bare text
        # after a first element is left unwrapped here.
        return f"<p>{cleaned}</p>"
    return cleaned


def plaintext_to_html(text: str) -> str:
    """Escape a plain-text message body and wrap it in a paragraph, as message_post does."""
    escaped = html.escape(text, quote=False).replace("\n", "<br>")
    return f"<p>{escaped}</p>"
