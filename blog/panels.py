"""Read-only panels of the blog's page editor. Imported by blog.models, so it imports nothing of
the blog: its template reads what it shows (blog/templatetags/blog_syndication.py)."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel

HEADING = _("Where is this published")


class WherePublishedPanel(Panel):
    """Where a post shows: its origin site and each site it is shared with, with the state there
    (listed, hidden by that site, not published...), as blog.syndication.publication_states
    says. It reads the post as published, since sharing follows the live page, not a draft."""

    def __init__(self, heading=HEADING, **kwargs):
        super().__init__(heading=heading, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "blog/admin/where_published.html"
