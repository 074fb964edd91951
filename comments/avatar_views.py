"""The avatar of a comment, served by the site itself (comments.avatars decides what)."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from . import avatars

# A day: an avatar changes rarely, and a withdrawn Gravatar disappears within this delay.
MAX_AGE = 24 * 60 * 60


@require_safe
def avatar(request, key):
    if not avatars.is_valid_key(key):
        raise Http404
    image = avatars.avatar_for(key)
    response = HttpResponse(image.content, content_type=image.content_type)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    # An SVG opened on its own is a document: let it run and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
