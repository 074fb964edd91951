"""Posting a comment: a plain form POST that works without JavaScript."""

import ipaddress

from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from wagtail.models import Page

from . import conf
from .forms import CommentForm
from .models import Comment, CommentStatus
from .moderation import initial_status


def _client_ip(request):
    """REMOTE_ADDR (the proxy in front sets it); None when absent or not an IP address."""
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return None


class SeeOther(HttpResponseRedirect):
    status_code = 303


@require_POST
def post_comment(request, page_id):
    page = get_object_or_404(Page.objects.live().public(), pk=page_id).specific
    policy = conf.policy_for_page(page)
    if not conf.comments_open(page, policy, timezone.now()):
        return HttpResponseForbidden(
            render_to_string(
                "comments/closed.html", {"page": page, "policy": policy}, request=request
            )
        )

    form = CommentForm(request.POST, page=page)
    if not form.is_valid():
        form.refresh_timestamp()
        with translation.override(page.locale.language_code):
            html = render_to_string(
                "comments/form_errors.html",
                {"page": page, "self": page, "form": form, "policy": policy},
                request=request,
            )
        return HttpResponse(html, status=400)

    data = form.cleaned_data
    with transaction.atomic():
        comment = Comment.objects.create(
            page=page,
            parent=data["parent"],
            author_name=data["name"],
            email=data["email"],
            url=data["url"],
            body=data["body"],
            status=initial_status(page, data["email"], policy),
            ip_address=_client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
    page_url = page.get_url(request) or "/"
    if comment.status == CommentStatus.APPROVED:
        return SeeOther(f"{page_url}#comment-{comment.pk}")
    return SeeOther(f"{page_url}?comment=pending#comments")
