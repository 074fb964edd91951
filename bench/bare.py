"""The ceiling: a bare Django view returning "ok", no middleware, no database, served by
bench/run.py with the same gunicorn settings as Maillage (`gunicorn --pythonpath bench
bare:application`). Every figure of the benchmark is also given as a ratio of this one, so that
runs on different machines compare."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY", "bare-benchmark-view"),
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", ok)]
application = get_wsgi_application()
