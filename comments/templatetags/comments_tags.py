from django import template
from django.utils import timezone

from comments import conf
from comments.forms import CommentForm
from comments.rendering import initials, render_body, safe_url
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
        if reply.isdigit():
            replying_to = next((c for c in comments if c.pk == int(reply)), None)
        form = CommentForm(page=page, initial={"parent": replying_to.pk if replying_to else None})
    return {
        "request": request,
        "page": page,
        "roots": roots,
        "count": len(comments),
        "form": form,
        "is_open": is_open,
        "policy": policy,
        "replying_to": replying_to,
        "pending": request is not None and request.GET.get("comment") == "pending",
    }


@register.filter
def comment_body(text):
    return render_body(text)


@register.filter
def comment_initials(name):
    return initials(name)


@register.filter
def comment_url(url):
    return safe_url(url)
