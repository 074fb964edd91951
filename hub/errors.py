"""Error handlers: a 500 page in the site's own branding that can never itself fail.

Django's default handler renders the static 500.html without any context. Ours first tries the
branded page, which reads the site's settings from the database; if anything goes wrong there (the
database being down is a common reason for a 500), it falls back to the static page, and if even
that cannot be loaded, to a few bytes of inline HTML.
"""

import logging

from django.http import HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

BRANDED_TEMPLATE = "500_branded.html"
STATIC_TEMPLATE = "500.html"
LAST_RESORT = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Erreur du serveur / '
    "Server error</title></head><body><h1>Erreur du serveur / Server error</h1></body></html>"
)


def server_error(request, template_name=BRANDED_TEMPLATE):
    """handler500: branded page, else the static one, else inline HTML; never raises."""
    try:
        return HttpResponseServerError(loader.render_to_string(template_name, request=request))
    except Exception:
        logger.exception("The branded error page could not be rendered; serving the static one.")
    try:
        return HttpResponseServerError(loader.get_template(STATIC_TEMPLATE).render())
    except Exception:
        logger.exception("The static error page could not be rendered either.")
    return HttpResponseServerError(LAST_RESORT)
