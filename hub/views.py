"""The project's overrides of Wagtail views: its password forms and staff password resets,
throttled (infra.throttle)."""

import math

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from wagtail import views as wagtail_views
from wagtail.admin.views import account
from wagtail.documents.views import serve as wagtail_documents

from infra import throttle


def _too_many(request, template, wait):
    minutes = max(1, math.ceil(wait / 60))
    response = render(request, template, {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _guarded(request, kind, restriction_id, view, *args):
    """Wagtail's password form for a view restriction, refused (429) once failed guesses reach
    the limit for this restriction or this client (infra.throttle); a wrong password is the form
    shown again, the right one a redirect."""
    if request.method != "POST":
        return view(request, *args)
    wait = throttle.password_wait(request, kind, restriction_id)
    if wait:
        return _too_many(request, "hub/password_throttled.html", wait)
    response = view(request, *args)
    if response.status_code != 302:
        throttle.password_failed(request, kind, restriction_id)
    return response


@never_cache
def page_password(request, page_view_restriction_id, page_id):
    return _guarded(
        request,
        "page",
        page_view_restriction_id,
        wagtail_views.authenticate_with_password,
        page_view_restriction_id,
        page_id,
    )


@never_cache
def document_password(request, restriction_id):
    return _guarded(
        request,
        "collection",
        restriction_id,
        wagtail_documents.authenticate_with_password,
        restriction_id,
    )


class PasswordResetView(account.PasswordResetView):
    """Wagtail's staff password reset, throttled per address asked for and per client, counted
    whether or not an account has that address (infra.throttle): the same answer either way."""

    def form_valid(self, form):
        wait = throttle.reset_wait(self.request, form.cleaned_data["email"])
        if wait:
            return _too_many(self.request, "hub/password_reset_throttled.html", wait)
        return super().form_valid(form)
