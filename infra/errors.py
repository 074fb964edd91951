"""Error handlers: a 500 page in the site's own branding that can never itself fail.

Django's default handler renders the static 500.html without any context. Ours first tries the
branded page, which reads the site's settings from the database; if anything goes wrong there (the
database being down is a common reason for a 500), it falls back to the static page, and if even
that cannot be loaded, to a few bytes of inline HTML.

When the database cannot be reached (stopped, restarting, out of connections), the answer is a
503 with Retry-After instead: the outage is temporary, crawlers and proxies should come back, and
the page says so. That page needs nothing but templates and static files.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

BRANDED_TEMPLATE = "500_branded.html"
STATIC_TEMPLATE = "500.html"
UNAVAILABLE_TEMPLATE = "503.html"
RETRY_AFTER_SECONDS = 30
LAST_RESORT = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Erreur du serveur / '
    "Server error</title></head><body><h1>Erreur du serveur / Server error</h1></body></html>"
)


def database_unreachable():
    """Is the exception being handled a lost or refused database connection?"""
    error = sys.exc_info()[1]
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def service_unavailable(request):
    """503 with Retry-After, from templates and static files only (the database is away)."""
    try:
        html = loader.render_to_string(UNAVAILABLE_TEMPLATE, {"retry_after": RETRY_AFTER_SECONDS})
    except Exception:
        logger.exception("The 503 page could not be rendered; serving the inline one.")
        html = LAST_RESORT
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name=BRANDED_TEMPLATE):
    """handler500: 503 when the database is unreachable; otherwise the branded page, else the
    static one, else inline HTML; never raises."""
    if database_unreachable():
        return service_unavailable(request)
    try:
        return HttpResponseServerError(loader.render_to_string(template_name, request=request))
    except Exception:
        logger.exception("The branded error page could not be rendered; serving the static one.")
    try:
        return HttpResponseServerError(loader.get_template(STATIC_TEMPLATE).render())
    except Exception:
        logger.exception("The static error page could not be rendered either.")
    return HttpResponseServerError(LAST_RESORT)
