"""Posting a comment: a plain form POST that works without JavaScript."""

import math
from urllib.parse import urlsplit

from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wagtail.models import Page, PageViewRestriction

from . import conf, digest, editing, notifications, selfservice, signals, spam, throttle, trust
from .forms import CommentForm
from .identification import record as record_identification
from .models import Comment, CommentStatus
from .moderation import initial_status
from .rendering import render_for_page


class SeeOther(HttpResponseRedirect):
    status_code = 303


def _commentable_page(page_id):
    """The live page outside any private section (as Page.objects.live().public()), in its
    specific class with its specific fields loaded on first use. public() reads every view
    restriction of the network and .specific the page again: here two small queries, the page
    and the restrictions on it or its ancestors."""
    page = get_object_or_404(Page.objects.live(), pk=page_id)
    steps = range(Page.steplen, len(page.path) + 1, Page.steplen)
    if PageViewRestriction.objects.filter(page__path__in=[page.path[:n] for n in steps]).exists():
        raise Http404
    return page.specific_deferred


@require_POST
def post_comment(request, page_id):
    page = _commentable_page(page_id)
    policy = conf.policy_for_page(page)
    if not conf.comments_open(page, policy, timezone.now()):
        return render_for_page(request, page, "comments/closed.html", {"policy": policy}, 403)

    retry_after = spam.rate_limit(request, page)
    if retry_after is not None:
        response = render_for_page(
            request,
            page,
            "comments/throttled.html",
            {"minutes": max(1, math.ceil(retry_after / 60))},
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        return response

    form = CommentForm(request.POST, page=page)
    if not form.is_valid():
        form.refresh_timestamp()
        context = {"form": form, "policy": policy, "next": return_address(request, page)}
        return render_for_page(request, page, "comments/form_errors.html", context, 400)

    data = form.cleaned_data
    page_url = return_address(request, page)
    with transaction.atomic():
        # The same form sent twice at once (a double click) reaches both workers together: the
        # second waits for the first to be stored, then finds it as its duplicate.
        spam.wait_for_same_submissions(page, data)
        verdict = spam.check(page, data, policy, sent_here=lambda dup: sent_here(request, dup))
        if verdict.duplicate_of is not None:  # the same form sent twice: one comment
            return _redirect_to(page_url, verdict.duplicate_of)
        comment = Comment.objects.create(
            page=page,
            parent=data["parent"],
            author_name=data["name"],
            email=data["email"],
            url=data["url"],
            body=data["body"],
            use_gravatar=data["use_gravatar"],
            status=(
                CommentStatus.SPAM
                if verdict.is_spam
                else initial_status(page, data, policy, request)
            ),
            spam_reason=verdict.reason,
            ip_address=throttle.client_ip(request),
            user_agent=user_agent(request),
        )
        record_identification(comment, request)  # the legal record, when the setting is on
        notifications.comment_posted(comment, wants_notify=data["notify"])
        digest.comment_held(comment)
        if data["use_gravatar"] and not verdict.is_spam:
            selfservice.offer_gravatar(comment)
    if comment.status == CommentStatus.APPROVED:
        signals.changed({page.pk})
    response = _redirect_to(page_url, comment)
    editing.remember(request, response, comment)
    trust.remember_posted(request, response, comment)
    return response


def sent_here(request, comment):
    """Whether `comment` came from this client (its edit cookie lists it, or the same address and
    browser sent it): only then is an identical submission its duplicate. Another client's is
    stored and answered like any comment, so the answer never tells who wrote what."""
    if comment.pk in editing.editable_ids(request):
        return True
    ip = throttle.client_ip(request)
    return ip is not None and (comment.ip_address, comment.user_agent) == (ip, user_agent(request))


def user_agent(request):
    """The User-Agent as moderators read it: printable characters only (a NUL would make
    PostgreSQL refuse the comment with a server error), at most 300."""
    value = request.META.get("HTTP_USER_AGENT", "")[:1000]
    return "".join(char for char in value if char.isprintable())[:300]


def return_address(request, page):
    """Where the visitor comes back: the path they posted from (`next`, same host only: a post
    shared with other sites is served at their own addresses), else the page's URL."""
    next_url = request.POST.get("next", "")
    if (
        next_url.startswith("/")
        and next_url.isprintable()
        and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return urlsplit(next_url).path or "/"
    return page.get_url(request) or "/"


def _redirect_to(page_url, comment):
    if comment.status == CommentStatus.APPROVED:
        return SeeOther(f"{page_url}#comment-{comment.pk}")
    return SeeOther(f"{page_url}?comment=pending#comments")
