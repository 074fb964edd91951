"""The links of the notification e-mails: confirm a subscription, unsubscribe.

Opening a link (GET) only shows a page with a button, so that mail scanners and link prefetchers
confirm or unsubscribe nothing; the button (POST) acts. The unsubscribe URL also takes the RFC 8058
one-click POST that mail clients send without any cookie, hence no CSRF check there.
"""

from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import notifications, trust
from .models import Subscription
from .rendering import render_for_page
from .views import SeeOther


def gone(request, status=404, page=None):
    """Nothing (any more) behind this link: said plainly, never a server error."""
    return render_for_page(request, page, "comments/subscription_invalid.html", status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_subscription(request, token):
    subscription = notifications.subscription_for_token(token)
    if subscription is None:
        return gone(request)
    page = subscription.comment.page
    if request.method == "POST":
        notifications.confirm(subscription)
        response = SeeOther(request.path)
        # The button under a link mailed to the address: this browser vouches for it now.
        trust.remember_confirmed(request, response, subscription.email)
        return response
    template = (
        "comments/subscription_confirmed.html"
        if subscription.confirmed_at
        else "comments/subscription_confirm.html"
    )
    return render_for_page(request, page, template, {"page_url": page.get_url(request)})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, subscription_id, token):
    subscription = (
        Subscription.objects.select_related("comment__page").filter(pk=subscription_id).first()
    )
    if subscription is None:
        return gone(request)
    page = subscription.comment.page
    if subscription.unsubscribed_at is not None:
        return gone(request, status=410, page=page)
    if not notifications.check_unsubscribe_token(subscription, token):
        return gone(request, page=page)
    context = {"page_url": page.get_url(request)}
    if request.method == "POST":
        notifications.unsubscribe(subscription)
        return render_for_page(request, page, "comments/unsubscribe_done.html", context)
    return render_for_page(request, page, "comments/unsubscribe.html", context)
