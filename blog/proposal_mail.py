"""Telling a site's team that a post was proposed to it (blog.syndication.propose).

One plain-text e-mail per person (their addresses are not shown to each other), in the target
site's language, with a link to its "Shared with my site" screen; sent through the task queue
(django-tasks) once the publication has committed, so a rolled-back publication mails nobody.
Who is told: the site's editors and administrators, active and with an address; if it has none,
the network administrators (the head office), so that no proposal goes unseen.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from django_tasks import task

from sites import network, roles

from .choices import ProposalStatus


def recipients(site):
    """The addresses to tell of a proposal to `site`, sorted."""

    def reachable(users):
        return users.filter(is_active=True).exclude(email="")

    team = reachable(roles.users_with_role(site, roles.EDITOR))
    emails = set(team.values_list("email", flat=True))
    if not emails:
        emails = set(reachable(roles.network_administrators()).values_list("email", flat=True))
    return sorted(emails)


def admin_url(site):
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{reverse('blog_shared:site', args=[site.pk])}"


def notify(proposal):
    """Enqueue the e-mail of a new proposal for when the current transaction commits."""
    proposal_id = proposal.pk
    transaction.on_commit(lambda: send_proposal_notification.enqueue(proposal_id))


@task()
def send_proposal_notification(proposal_id):
    """Mail the target site's team, if the proposal still awaits an answer; returns the number
    of e-mails sent."""
    from .models import ShareProposal

    proposal = (
        ShareProposal.objects.select_related("post", "site__root_page__locale")
        .filter(pk=proposal_id, status=ProposalStatus.PROPOSED, post__live=True)
        .first()
    )
    if proposal is None:
        return 0
    addresses = recipients(proposal.site)
    if not addresses:
        return 0
    origin = network.site_for_page(proposal.post)
    context = {
        "title": " ".join(proposal.post.title.split()),
        "origin": origin.site_name if origin else "",
        "site": proposal.site.site_name,
        "url": admin_url(proposal.site),
    }
    with translation.override(proposal.site.root_page.locale.language_code):
        subject = " ".join(render_to_string("blog/email/proposal_subject.txt", context).split())
        body = render_to_string("blog/email/proposal_body.txt", context)
    sender = settings.DEFAULT_FROM_EMAIL
    messages = [EmailMessage(subject, body, sender, [address]) for address in addresses]
    return get_connection().send_messages(messages) or 0
