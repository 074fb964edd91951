"""Each site's blog. The blog issue fills in authors, categories, feeds and translations."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from sites.blocks import BodyBlock


class BlogIndexPage(Page):
    """A site's blog: its posts, newest first."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["blog.BlogPostPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("blog")
        verbose_name_plural = _("blogs")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["posts"] = (
            BlogPostPage.objects.child_of(self).live().order_by("-date", "-first_published_at")
        )
        return context


class BlogPostPage(Page):
    """One article of a site's blog."""

    date = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Defaults to the day of first publication."),
    )
    intro = models.CharField(_("introduction"), max_length=400, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("blog post")
        verbose_name_plural = _("blog posts")

    def save(self, *args, **kwargs):
        if self.date is None and self.live:
            self.date = timezone.localdate(self.first_published_at or timezone.now())
        super().save(*args, **kwargs)
