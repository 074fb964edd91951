"""Per-visitor values of the comment form, filled in as the response leaves.

The form on a page is the same for every anonymous visitor but for two values: the CSRF token and
the signed timestamp the anti-robot check reads. With this middleware installed the form is
rendered with placeholders instead (`comments_tags.comment_form_state`), so that the page around it
can be cached whole (infra.page_cache) and still give each visitor a fresh token and timestamp.
Without it, the form carries the real values as any Django form would.
"""

from django.middleware.csrf import get_token
from django.utils.html import format_html

from .forms import signed_timestamp

CSRF_PLACEHOLDER = b"<!--comments:csrf-input-->"
TIMESTAMP_PLACEHOLDER = b"<!--comments:timestamp-input-->"


def csrf_input(token):
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def timestamp_input(value):
    return format_html(
        '<input type="hidden" name="timestamp" value="{}" id="comment-timestamp">', value
    )


def defers_form_state(request):
    return getattr(request, "comments_defer_form_state", False)


class FormStateMiddleware:
    """Must sit inside CsrfViewMiddleware (which then sets the cookie for the token given here)
    and outside any cache of whole responses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.comments_defer_form_state = True
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        content = response.content
        if CSRF_PLACEHOLDER in content:
            content = content.replace(CSRF_PLACEHOLDER, csrf_input(get_token(request)).encode())
        if TIMESTAMP_PLACEHOLDER in content:
            content = content.replace(
                TIMESTAMP_PLACEHOLDER, timestamp_input(signed_timestamp()).encode()
            )
        if content is not response.content:
            response.content = content
        return response
