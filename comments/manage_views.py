"""The "Manage my comments" pages (comments.selfservice): ask for the link, then, from the link,
see, download, correct, stop the notifications of and erase one's comments on every site.

Plain forms that work without JavaScript; each change is a POST (with CSRF) answered by a redirect
back to the link's page, which says what was done. The pages wear the branding of the site asked
(base.html reads it from the host) and speak the visitor's language: the `lang` parameter on the
request page, then the language carried by the link. Pages under a link are never cached, send no
Referer (the link is a key) and are not indexed.
"""

import json
import logging
import math

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wagtail.models import Site

from . import personal_data, selfservice, trust
from .forms import single_line
from .rendering import render_for_page
from .views import SeeOther

logger = logging.getLogger(__name__)

# What the link's page says after a change (?done=...).
DONE = {
    "corrected": _("Your name and website have been corrected on all your comments."),
    "notifications": _("You will receive no more reply notifications."),
    "anonymized": _(
        "Your comments have been anonymized: they no longer carry your name, e-mail address, "
        "website or anything else that could identify you."
    ),
    "deleted": _(
        "Your comments have been deleted. Where others had replied, “Comment removed” stands "
        "in their place, with nothing of your text or of you."
    ),
    "confirmed": _(
        "Your address is confirmed. Where a site holds only first comments, yours sent from "
        "this browser will be published at once."
    ),
    "gravatar-on": _("Your Gravatar is now shown with your comments."),
    "gravatar-off": _("Your Gravatar is no longer shown with your comments."),
}


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "manage-%s")
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class CorrectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.URLField(label=_("Website"), required=False, max_length=300, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "correct-%s")
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = single_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("This field is required."))
        return name

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Enter a web address starting with http:// or https://."))
        return url


class ErasureForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("What to do with your comments"),
        choices=[
            (
                personal_data.ANONYMIZE,
                _("Anonymize them: the texts stay, signed “Anonymous”, with nothing of you"),
            ),
            (
                personal_data.DELETE,
                _("Delete them: only “Comment removed” stays where others replied"),
            ),
        ],
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "erase-%s")
        super().__init__(*args, **kwargs)


def _render(request, template, context, language, status=200):
    """A page of the manage area: about no commented page, in the visitor's language."""
    return render_for_page(request, None, template, context, status, language=language)


def _private(response):
    """A page opened from a link: the link must not travel further (Referer) nor be indexed."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def root_url(request):
    """Scheme, host and port of the site asked, as its Wagtail Site record gives them (as the
    other mails do), never from the request's Host header."""
    site = Site.find_for_request(request)
    return site.root_url if site is not None else request.build_absolute_uri("/").rstrip("/")


# --- asking for the link -------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request):
    language = selfservice.language_from(request.POST.get("lang") or request.GET.get("lang"))
    with translation.override(language):  # the forms' labels too
        return _manage(request, language)


def _manage(request, language):
    form = LinkRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        retry_after = selfservice.rate_limit(request)
        if retry_after is not None:
            minutes = max(1, math.ceil(retry_after / 60))
            context = {"minutes": minutes, "lang": language}
            response = _render(request, "comments/manage/throttled.html", context, language, 429)
            response["Retry-After"] = str(retry_after)
            return response
        if form.is_valid():
            selfservice.request_link(form.cleaned_data["email"], language, root_url(request))
            return SeeOther(f"{reverse('comments:manage_sent')}?lang={language}")
        status = 400
    context = {"form": form, "lang": language, "minutes": selfservice.LINK_MAX_AGE // 60}
    return _render(request, "comments/manage/request.html", context, language, status)


@never_cache
@require_http_methods(["GET"])
def sent(request):
    language = selfservice.language_from(request.GET.get("lang"))
    context = {"lang": language, "minutes": selfservice.LINK_MAX_AGE // 60}
    return _render(request, "comments/manage/sent.html", context, language)


@never_cache
@require_http_methods(["GET"])
def erased(request):
    """After an erasure the link leads nowhere (it named the address by its comments, which are
    gone): this page says what was done."""
    language = selfservice.language_from(request.GET.get("lang"))
    done = request.GET.get("done", "")
    if done not in ("anonymized", "deleted"):
        raise Http404
    context = {"lang": language, "entries": [], "done": DONE[done]}
    return _private(_render(request, "comments/manage/comments.html", context, language))


# --- the link's page -----------------------------------------------------------------------------


def _visitor_or_refusal(request, token):
    """(Visitor, None) for a valid link; (None, a clear 4xx page) for an expired or altered one."""
    try:
        return selfservice.read_token(token), None
    except selfservice.ExpiredLink:
        reason, status = "expired", 410
    except selfservice.InvalidLink:
        reason, status = "invalid", 400
    language = selfservice.language_from(request.GET.get("lang"))
    context = {"reason": reason, "lang": language}
    response = _render(request, "comments/manage/invalid_link.html", context, language, status)
    return None, _private(response)


def _page(request, token, visitor, status=200, **forms_):
    items = personal_data.entries(visitor.email, request)
    latest = items[0].comment if items else None
    context = {
        "token": token,
        "entries": items,
        "lang": visitor.language,
        "done": DONE.get(request.GET.get("done", "")),
        "has_subscriptions": any(
            entry.notifications in ("active", "unconfirmed") for entry in items
        ),
        "correction_form": forms_.get("correction_form")
        or CorrectionForm(
            initial={"name": latest.author_name, "url": latest.url} if latest else None
        ),
        "erasure_form": forms_.get("erasure_form") or ErasureForm(),
        "minutes": selfservice.LINK_MAX_AGE // 60,
        "gravatar_shown": selfservice.gravatar_shown(visitor.email),
    }
    response = _render(request, "comments/manage/comments.html", context, visitor.language, status)
    return _private(response)


@never_cache
@require_http_methods(["GET"])
def comments(request, token):
    visitor, refusal = _visitor_or_refusal(request, token)
    if refusal:
        return refusal
    # A GET changes nothing (mail scanners and prefetchers open links): confirming is a button.
    with translation.override(visitor.language):
        return _page(request, token, visitor)


def _done(token, what):
    url = reverse("comments:manage_comments", args=[token])
    return _private(SeeOther(f"{url}?done={what}"))


@never_cache
@require_POST
def act(request, token, action):
    visitor, refusal = _visitor_or_refusal(request, token)
    if refusal:
        return refusal
    with translation.override(visitor.language):  # the forms' labels and errors too
        return _act(request, token, visitor, action)


def _act(request, token, visitor, action):
    if action == "export":
        return _export(visitor)
    if action == "correct":
        form = CorrectionForm(request.POST)
        if not form.is_valid():
            return _page(request, token, visitor, status=400, correction_form=form)
        personal_data.correct(visitor.email, form.cleaned_data["name"], form.cleaned_data["url"])
        return _done(token, "corrected")
    if action == "notifications":
        personal_data.stop_notifications(visitor.email)
        return _done(token, "notifications")
    if action in ("confirm", "gravatar-on", "gravatar-off"):
        if action == "confirm":
            selfservice.record_confirmation(visitor.email)
        else:
            selfservice.set_gravatar(visitor.email, shown=action == "gravatar-on")
        response = _done(token, "confirmed" if action == "confirm" else action)
        trust.remember_confirmed(request, response, visitor.email)  # this browser proved it
        return response
    if action == "erase":
        form = ErasureForm(request.POST)
        if not form.is_valid():
            return _page(request, token, visitor, status=400, erasure_form=form)
        mode = form.cleaned_data["mode"]
        result = personal_data.erase(visitor.email, mode)
        # Counts only: no personal data in logs.
        logger.info(
            "Self-service erasure (%s): %d anonymized, %d deleted, %d tombstoned.",
            mode,
            result.anonymized,
            result.deleted,
            result.tombstoned,
        )
        done = "anonymized" if mode == personal_data.ANONYMIZE else "deleted"
        url = reverse("comments:manage_erased")
        return _private(SeeOther(f"{url}?done={done}&lang={visitor.language}"))
    raise Http404


def _export(visitor):
    data = personal_data.export(visitor.email)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-comments.json"'
    return _private(response)
