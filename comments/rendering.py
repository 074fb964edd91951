"""Plain-text comments made readable: line breaks and bare http(s) links, the rest escaped."""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

LINK_REL = "nofollow ugc noopener"
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"


def safe_url(url):
    """The URL when it is http(s), else "" (a javascript: or data: URL never becomes a link)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


def render_body(text):
    """Escaped text with bare http(s) links made links (rel nofollow ugc) and line breaks kept."""
    parts = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group(0)
        stripped = url.rstrip(_TRAILING)
        parts.append(escape(text[position : match.start()]))
        parts.append(format_html('<a href="{}" rel="{}">{}</a>', stripped, LINK_REL, stripped))
        position = match.start() + len(stripped)
    parts.append(escape(text[position:]))
    html = "".join(str(part) for part in parts)
    return mark_safe(html.replace("\n", "<br>\n"))  # noqa: S308 — every piece escaped above
