"""Read-only panels of the blog's page editor."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel

from . import syndication

HEADING = _("Where is this published")


class WherePublishedPanel(Panel):
    """Where a post shows: its origin site and each site it is shared with, with the state there
    (listed, hidden by that site, not published...), as blog.syndication.publication_states
    says. It reads the post as published, since sharing follows the live page, not a draft."""

    def __init__(self, heading=HEADING, **kwargs):
        super().__init__(heading=heading, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "blog/admin/where_published.html"

        def get_context_data(self, parent_context=None):
            from .models import BlogPostPage

            context = super().get_context_data(parent_context)
            post = None
            if getattr(self.instance, "pk", None):
                post = BlogPostPage.objects.filter(pk=self.instance.pk).first()
            context["post"] = post
            if post is not None:
                context["origin"] = syndication.origin_site(post)
                context["states"] = syndication.publication_states(post)
            return context
