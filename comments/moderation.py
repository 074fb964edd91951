"""Which status a new comment gets, from the moderation mode of the page's policy."""

from wagtail.models import Page

from .models import Comment, CommentStatus, ConfirmedEmail


def site_pages(page):
    """Pages under the same top-level page as `page` (its site's tree, in the page's language).

    comments/ knows nothing of the project's sites, so "the same site" is approximated by the
    Wagtail tree: every page below the same depth-2 ancestor.
    """
    return Page.objects.filter(path__startswith=page.path[: 2 * Page.steplen])


def is_known_commenter(page, email):
    """The e-mail was confirmed by its owner (not merely typed) and already has an approved
    comment on the page's site."""
    return (
        ConfirmedEmail.objects.filter(email=email).exists()
        and Comment.objects.filter(
            email=email, status=CommentStatus.APPROVED, page__in=site_pages(page)
        ).exists()
    )


def initial_status(page, data, policy):
    """all: held; first: held unless the commenter is known on the site (is_known_commenter);
    none: approved at once. An unknown mode holds the comment (fail closed)."""
    if policy.moderation == "none":
        return CommentStatus.APPROVED
    if policy.moderation == "first" and is_known_commenter(page, data["email"]):
        return CommentStatus.APPROVED
    return CommentStatus.PENDING
