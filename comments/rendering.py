"""How the comments app renders: a comment's plain text made readable (render_body: line breaks
and bare http(s) links, the rest escaped) and the app's own pages (render_for_page)."""

import re

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
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


def render_for_page(request, page, template, context=None, status=200, language=None):
    """A page of the comments app about the commented `page` (or None), as a response: in the
    page's language (else `language`, else the active one), the page in the context as
    `commented_page` (not `page`, which base.html would take for the page shown: its title,
    description and other languages)."""
    if page is not None:
        language = page.locale.language_code
    with translation.override(language or translation.get_language()):
        html = render_to_string(
            template, {"commented_page": page, **(context or {})}, request=request
        )
    return HttpResponse(html, status=status)
