from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from comments import conf, inventory
from comments.avatars import public_key
from comments.editing import editable_ids
from comments.forms import CommentForm
from comments.middleware import (
    CSRF_PLACEHOLDER,
    TIMESTAMP_PLACEHOLDER,
    csrf_input,
    defers_form_state,
    timestamp_input,
)
from comments.rendering import render_body, safe_url
from comments.threads import approved_thread

register = template.Library()


@register.inclusion_tag("comments/thread.html", takes_context=True)
def comments_for(context, page):
    """The page's approved comments, threaded, and the form when the page's policy allows."""
    request = context.get("request")
    if page.pk is None:  # the preview of a page not saved yet: nothing to show or post to
        return {"page": page, "hidden": True}
    policy = conf.policy_for_page(page)
    roots, comments = approved_thread(page)
    replying_to = None
    form = None
    is_open = conf.comments_open(page, policy, timezone.now())
    if is_open:
        reply = request.GET.get("reply", "") if request is not None else ""
        if reply.isascii() and reply.isdigit() and len(reply) < 20:  # "²" is a digit to isdigit()
            replying_to = next((c for c in comments if c.pk == int(reply)), None)
        form = CommentForm(page=page, initial={"parent": replying_to.pk if replying_to else None})
    return {
        "request": request,
        "page": page,
        "roots": roots,
        "count": sum(1 for comment in comments if comment.removed_at is None),
        "form": form,
        "is_open": is_open,
        "policy": policy,
        "replying_to": replying_to,
        "pending": request is not None and request.GET.get("comment") == "pending",
        # Comments this browser may still edit (from its signed cookie, no query).
        "editable": editable_ids(request),
    }


@register.inclusion_tag("comments/privacy_notice.html")
def comment_privacy_notice(policy):
    """The form's privacy notice, with the link to the site's privacy policy (if it has one)."""
    return inventory.form_notice_context(getattr(policy, "privacy_url", "") or "")


@register.simple_tag(takes_context=True)
def comment_form_state(context, form):
    """The form's CSRF token and timestamp: placeholders filled per visitor by
    comments.middleware.FormStateMiddleware when it runs (so the page may be cached whole), the
    values themselves otherwise. A form shown again with its errors keeps its own timestamp."""
    request = context.get("request")
    deferred = request is not None and defers_form_state(request)
    if deferred:
        csrf = mark_safe(CSRF_PLACEHOLDER.decode())  # noqa: S308 (a constant)
    else:
        csrf = csrf_input(get_token(request)) if request is not None else ""
    if form.is_bound:
        timestamp = form["timestamp"]
    elif deferred:
        timestamp = mark_safe(TIMESTAMP_PLACEHOLDER.decode())  # noqa: S308 (a constant)
    else:
        timestamp = timestamp_input(form.initial["timestamp"])
    return mark_safe(f"{csrf}{timestamp}")  # noqa: S308 (built from escaped parts)


@register.filter
def comment_body(text):
    return render_body(text)


@register.filter
def comment_may_edit(comment_id, editable):
    """Whether this browser may still edit the comment (its id is in the edit cookie)."""
    return bool(editable) and comment_id in editable


@register.filter
def comment_url(url):
    return safe_url(url)


@register.filter
def comment_avatar_url(comment):
    """The comment's avatar, served by this site from its opaque key (never the e-mail)."""
    return reverse("comments:avatar", args=[public_key(comment)])
