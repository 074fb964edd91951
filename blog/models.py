"""Each site's blog: posts, authors, categories and tags.

Authors and categories are translatable snippets. Categories are shared by the whole network, so
that network-wide listings can filter by them; an author belongs to a site, or to the whole network
(blog/authors.py says who edits and who may credit which).
"""

import functools
import math
import unicodedata
from collections import Counter
from urllib.parse import urljoin

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, PageManager, Site, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index

from infra import page_cache, pagination
from sites import network
from sites.blocks import BodyBlock
from sites.choosable import ChoosableReferencesPageForm
from sites.models import SiteSettings
from sites.page_cache import site_ids_at

from . import authors, feeds, listing, network_news
from .choices import ProposalStatus, ShareScope
from .listing import POSTS_PER_PAGE
from .localization import localize
from .panels import WherePublishedPanel

WORDS_PER_MINUTE = 230


class Author(TranslatableMixin, index.Indexed, models.Model):
    """Someone who writes for a site (or, without a site, for the whole network); each post ends
    with an "About <author>" box. Who may edit and credit whom: blog/authors.py."""

    base_form_class = authors.AuthorForm  # the site: the user's; the photo: one they may choose

    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=150, blank=True)
    bio = models.TextField(_("short biography"), blank=True, max_length=1000)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="authors",
        verbose_name=_("site"),
        help_text=_("The site this author writes for; empty: the whole network."),
    )
    website_url = models.URLField(_("website"), blank=True)
    mastodon_url = models.URLField(_("Mastodon"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("site"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        MultiFieldPanel(
            [FieldPanel("website_url"), FieldPanel("mastodon_url"), FieldPanel("linkedin_url")],
            heading=_("Links"),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("site"),  # the listing and chooser search within the user's authors
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """An author and its translations are one person of one site: a change of site moves
        them all (a new translation copies it: copy_for_translation, wagtail-localize's sync)."""
        super().save(*args, **kwargs)
        others = Author.objects.filter(translation_key=self.translation_key).exclude(pk=self.pk)
        others.exclude(site_id=self.site_id).update(site_id=self.site_id)

    @property
    def links(self):
        labels = [
            ("website_url", _("Website")),
            ("mastodon_url", "Mastodon"),
            ("linkedin_url", "LinkedIn"),
        ]
        return [(label, getattr(self, f)) for f, label in labels if getattr(self, f)]


class BlogCategory(TranslatableMixin, models.Model):
    """A category shared by the network, so that network-wide listings can filter by it."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(
        _("slug"), max_length=80, allow_unicode=False, help_text=_("Used in addresses.")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_category_slug_locale")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)


class BlogPostTag(TaggedItemBase):
    content_object = ParentalKey(
        "blog.BlogPostPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class BlogIndexPage(RoutablePageMixin, Page):
    """A site's blog: its posts, newest first, by category, tag and month, with feeds."""

    base_form_class = ChoosableReferencesPageForm

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["blog.BlogPostPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("blog")
        verbose_name_plural = _("blogs")

    # --- what the blog lists -------------------------------------------------------------------

    def posts(self, request=None):
        """The live posts of this blog and those shared with its site, newest first, with what
        listings show prefetched: one query whatever the number of sites."""
        site = self.network_site()
        posts = BlogPostPage.objects.child_of(self)
        if site is not None:
            # Not a shared post with the address of one of the blog's own (route() serves its own).
            own_slugs = BlogPostPage.objects.child_of(self).live().values("slug")
            shared = BlogPostPage.objects.shared_with(site, request=request)
            posts |= shared.exclude(slug__in=own_slugs)
        return (
            posts.filter(locale_id=self.locale_id)
            .live()
            .public()
            .order_by("-date", "-first_published_at", "-pk")
            .select_related("hero_image")
            .prefetch_related("post_authors__author", "categories", "tagged_items__tag")
        )

    def listing(self, request, posts, **extra):
        """The page asked for of the posts `posts(request)` returns, as cards: read when the
        template shows them, and not at all when they come from the fragment cache
        (blog_index_page.html)."""

        def cards():
            number = request.GET.get("page", 1)
            posts_page = pagination.paginate(posts(request), number, POSTS_PER_PAGE)
            posts_page.object_list = self.prepare_cards(posts_page.object_list, request=request)
            listing.declare_cards(request, posts_page.object_list)
            return posts_page

        context = {
            "posts_page": _once(cards),
            "page_number": pagination.page_number(request.GET.get("page", 1)),
            **extra,
        }
        return self.render(request, context_overrides=context)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["blog_categories"], context["archive_months"] = self.sidebar(request)
        return context

    def sidebar(self, request=None):
        """(categories_in_use(), archive_months()): aggregates over every post of the blog, kept
        between renders (infra.page_cache.fragment) until a page of the site or the blog changes."""
        tags = [page_cache.page_tag(self.pk)]
        tags += [page_cache.site_tag(pk) for pk in site_ids_at(self.url_path, request)]
        return page_cache.fragment(
            request,
            f"blog-sidebar:{self.pk}",
            tags,
            lambda: (self.categories_in_use(), list(self.archive_months())),
            per_path=False,
        )

    def network_site(self):
        """This blog's Site with its profile (kind), found once per instance."""
        if not hasattr(self, "_network_site"):
            site_id = self.get_url_parts()[0] if self.pk else None
            self._network_site = (
                Site.objects.select_related("profile").filter(pk=site_id).first()
                if site_id
                else None
            )
        return self._network_site

    def route(self, request, path_components):
        """The blog's own posts first, then its routes (whose /<slug>/ serves shared posts). A
        blog holds only posts (subpage_types): each is read as one, in one query."""
        if path_components:
            post = BlogPostPage.objects.child_of(self).filter(slug=path_components[0]).first()
            if post is not None:
                post._cached_parent_obj = self  # as Wagtail's Page.route does
                try:
                    return post.route(request, path_components[1:])
                except Http404:
                    pass
        return super().route(request, path_components)

    def prepare_cards(self, posts, renditions=None, comment_counts=True, request=None):
        """The posts as a list, ready for cards and feeds in a fixed number of queries, as
        blog.listing.prepare_cards() does for every listing (localized categories and authors,
        renditions, comment counts), in this blog's language, each with `shared_from`
        (mark_shared()); shared posts as this site adapted them (blog.adaptation: one query),
        before the images' renditions are read."""
        posts = list(posts)
        shared = [post for post in posts if not post.path.startswith(self.path)]
        LocalAdaptation.adapt(shared, self.network_site())
        posts = listing.prepare_cards(posts, self.locale, renditions, comment_counts)
        return self.mark_shared(posts, request)

    def mark_shared(self, posts, request=None):
        """Set `shared_from` (the origin Site, or None for this blog's own posts) on each post, from
        the map of the network (sites.network: no query once it is built)."""
        for post in posts:
            own = post.path.startswith(self.path)
            post.shared_from = None if own else network.site_for_page(post, request)
        return posts

    def shared_post_url(self, post, request=None):
        """Where this blog serves a post shared with its site: /blog/<slug>/ on its own host."""
        return self.get_url(request) + self.reverse_subpage("shared_post", args=[post.slug])

    def categories_in_use(self):
        """The categories of this blog's live posts, in the blog's language, sorted by name, each
        with `post_count` (two queries at most)."""
        live_posts = BlogPostPage.objects.child_of(self).live().public().values("pk")
        used = list(
            BlogCategory.objects.filter(posts__in=live_posts)
            .annotate(post_count=Count("posts", distinct=True))
            .order_by()
        )
        counts = Counter()  # a category and its translation may both be in use
        for category in used:
            counts[category.translation_key] += category.post_count
        by_key = {}
        for category in localize(used, self.locale):
            category.post_count = counts[category.translation_key]
            by_key[category.translation_key] = category
        return sorted(by_key.values(), key=lambda category: _sort_key(category.name))

    # --- routes ----------------------------------------------------------------------------------

    @path("")
    def index_route(self, request):
        return self.listing(request, self.posts)

    @path("category/<slug:slug>/")
    def category_route(self, request, slug):
        category = self._category(slug)
        key = category.translation_key

        def posts(request):
            return self.posts(request).filter(categories__translation_key=key)

        return self.listing(request, posts, category=category)

    # Taggit keeps accents in tag slugs ("vélo"), which Django's slug converter refuses.
    @re_path(r"^tag/(?P<tag>[-\w]+)/$")
    def tag_route(self, request, tag):
        tag = Tag.objects.filter(slug=tag).first()
        if tag is None:
            raise Http404(_("There is no such tag."))

        def posts(request):
            return self.posts(request).filter(tagged_items__tag=tag)

        return self.listing(request, posts, tag=tag)

    @re_path(r"^archive/(?P<year>\d{4})/(?P<month>\d{1,2})/$")
    def archive_route(self, request, year, month):
        year, month = int(year), int(month)
        if not 1 <= month <= 12 or year < 1:  # year 0 does not exist: no 500 for /0000/01/
            raise Http404(_("There is no such month."))

        def posts(request):
            return self.posts(request).filter(date__year=year, date__month=month)

        return self.listing(request, posts, archive_month=timezone.datetime(year, month, 1).date())

    @path("<slug:slug>/", name="shared_post")
    def shared_post(self, request, slug):
        """A post of another site shared with this one, in this site's branding."""
        post = self.posts(request).exclude(path__startswith=self.path).filter(slug=slug).first()
        if post is None:
            raise Http404(_("There is no such post."))
        (origin,) = [p.shared_from for p in self.mark_shared([post], request)]
        return post.serve_shared(request, blog=self, origin=origin)

    @path("feed/rss/")
    def rss_feed(self, request):
        return feeds.RssBlogFeed()(request, blog=self)

    @path("feed/atom/")
    def atom_feed(self, request):
        return feeds.AtomBlogFeed()(request, blog=self)

    @path("category/<slug:slug>/feed/rss/")
    def category_rss_feed(self, request, slug):
        return feeds.RssBlogFeed()(request, blog=self, category=self._category(slug))

    @path("category/<slug:slug>/feed/atom/")
    def category_atom_feed(self, request, slug):
        return feeds.AtomBlogFeed()(request, blog=self, category=self._category(slug))

    def _category(self, slug):
        """The category in this blog's language; or, as the cards of translated posts link to
        them, an untranslated category that this blog's posts use. Anything else is a 404: a
        category of another language that has a translation here lives at the translation's
        address."""
        category = BlogCategory.objects.filter(slug=slug, locale=self.locale).first()
        if category is None:
            translated_here = BlogCategory.objects.filter(locale=self.locale).values(
                "translation_key"
            )
            category = (
                BlogCategory.objects.filter(
                    slug=slug, posts__in=BlogPostPage.objects.child_of(self).live().values("pk")
                )
                .exclude(translation_key__in=translated_here)
                .first()
            )
        if category is None:
            raise Http404(_("There is no such category."))
        return category

    def archive_months(self):
        """Months that have posts, newest first, with their counts (one query)."""
        return (
            BlogPostPage.objects.child_of(self)
            .live()
            .public()
            .exclude(date=None)
            .dates("date", "month", order="DESC")
        )


def _once(compute):
    """`compute`, called at most once: a context value the template reads only when it needs it
    (a template calls what it is given)."""
    return functools.cache(compute)


def _sort_key(name):
    """Sorted as a reader expects, accents aside: "Économie" between "Culture" and "Santé"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class BlogPostAuthor(Orderable):
    post = ParentalKey("blog.BlogPostPage", on_delete=models.CASCADE, related_name="post_authors")
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )

    panels = [FieldPanel("author")]


class RelatedPost(Orderable):
    post = ParentalKey("blog.BlogPostPage", on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(
        "blog.BlogPostPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("related post"),
    )

    panels = [FieldPanel("related")]


class BlogPostForm(ChoosableReferencesPageForm):
    """Offers only the categories in the post's own language, and as sites to share with only the
    public sites other than the post's own (and, as every page form, refuses images, documents
    and pages the user may not choose)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale_id = getattr(self.instance, "locale_id", None)
        if locale_id and "categories" in self.fields:
            self.fields["categories"].queryset = BlogCategory.objects.filter(locale_id=locale_id)
        if "shared_sites" in self.fields:
            page = self.instance if self.instance.path else self.parent_page
            own = network.site_id_for_page(page) if page is not None else None
            self.fields["shared_sites"].queryset = (
                Site.objects.filter(pk__in=network.public_site_ids())
                .exclude(pk=own)
                .order_by("site_name")
            )

    def clean(self):
        cleaned_data = super().clean()
        authors.check_post_authors(self)  # only its site's, the head office's, the network's
        return cleaned_data


class BlogPostPageQuerySet(PageQuerySet):
    """Which posts are a site's own and which are shared with it. A site's pages are those of
    sites.network (its home and the translations of it that are no other Site's root)."""

    def of_site(self, sites, request=None):
        """The posts of these sites (a Site, its id, or several): their own, not those shared."""
        return self.filter(network.pages_condition(sites, request=request))

    def shared_with(self, site, include_hidden=False, request=None):
        """Posts of other sites shared with this one (by scope or by name) that it accepted
        (blog.syndication.propose) and, unless `include_hidden`, does not hide."""
        kind = getattr(getattr(site, "profile", None), "kind", None)
        scope = Q(share_scope=ShareScope.ALL)
        if kind in (ShareScope.REGIONAL, ShareScope.THEMATIC):
            scope |= Q(share_scope=kind)
        chosen = self.model.shared_sites.through.objects.filter(
            blogpostpage_id=OuterRef("pk"), site_id=site.pk
        )
        accepted = ShareProposal.objects.filter(
            post_id=OuterRef("pk"), site_id=site.pk, status=ProposalStatus.ACCEPTED
        )
        condition = (
            (scope | Exists(chosen))
            & Exists(accepted)
            & ~network.pages_condition(site, request=request)
        )
        closed = network.hidden_site_ids(request)  # drafts and archived sites share nothing
        if closed:
            condition &= ~network.pages_condition(closed, request=request)
        if not include_hidden:
            hidden = HiddenSharedPost.objects.filter(post_id=OuterRef("pk"), site_id=site.pk)
            condition &= ~Exists(hidden)
        return self.filter(condition)


class BlogPostPage(Page):
    """One article of a site's blog."""

    objects = PageManager.from_queryset(BlogPostPageQuerySet)()

    base_form_class = BlogPostForm

    date = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Defaults to the day of first publication."),
    )
    intro = models.CharField(_("introduction"), max_length=400, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("main image"),
    )
    hero_alt = models.CharField(
        _("main image: alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it; required with an image."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    categories = ParentalManyToManyField(
        BlogCategory, blank=True, related_name="posts", verbose_name=_("categories")
    )
    tags = ClusterTaggableManager(through=BlogPostTag, blank=True, verbose_name=_("tags"))
    reading_minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=1)
    share_scope = models.CharField(
        _("share with"),
        max_length=20,
        choices=ShareScope.choices,
        default=ShareScope.NONE,
        db_index=True,
    )
    shared_sites = ParentalManyToManyField(
        "wagtailcore.Site",
        blank=True,
        related_name="shared_posts",
        verbose_name=_("also share with these sites"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_alt")], heading=_("Image")),
        FieldPanel("body"),
        InlinePanel("post_authors", label=_("Authors"), min_num=1),
        FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        InlinePanel("related_links", label=_("Related posts"), max_num=6),
    ]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [
                FieldPanel("share_scope"),
                FieldPanel("shared_sites", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Share with other sites of the network"),
            help_text=_(
                "Shared posts appear on the other sites' blogs, marked with their origin, and "
                "always follow this page: edits, unpublication and deletion show everywhere."
            ),
        ),
        WherePublishedPanel(),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("blog post")
        verbose_name_plural = _("blog posts")

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_alt.strip():
            raise ValidationError(
                {"hero_alt": _("Describe the image: people who cannot see it rely on this text.")}
            )

    def save(self, *args, **kwargs):
        if self.date is None and self.live:
            self.date = timezone.localdate(self.first_published_at or timezone.now())
        self.reading_minutes = self.compute_reading_minutes()
        super().save(*args, **kwargs)

    def compute_reading_minutes(self):
        """Stored on save, so that listings show it without reading every body."""
        words = len(self.intro.split())
        for child in self.body:
            for text in child.block.get_searchable_content(child.value):
                words += len(strip_tags(str(text)).split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    @cached_property
    def authors(self):
        return [link.author for link in self.post_authors.all()]

    def related_posts(self, limit=3):
        """Chosen by the editor, else the latest live posts of the same blog sharing a category."""
        chosen = [
            link.related
            for link in self.related_links.select_related("related")
            if link.related.live
        ]
        if chosen:
            return chosen[:limit]
        parent = self.get_parent()
        keys = [c.translation_key for c in self.prefetched_categories()]
        if not keys:
            return []
        return list(
            BlogPostPage.objects.child_of(parent)
            .live()
            .public()
            .filter(categories__translation_key__in=keys)
            .exclude(pk=self.pk)
            .distinct()
            .order_by("-date", "-first_published_at")[:limit]
        )

    # --- the post's own page -------------------------------------------------------------------

    AUTHOR_PHOTO_FILTER = "fill-160x160"  # as in blog/includes/author_box.html
    SHARE_IMAGE_FILTER = "fill-1200x630"  # as in includes/seo.html (og:image)

    def get_context(self, request, *args, **kwargs):
        """Authors and categories in the page's language, in the same number of queries whatever
        their number (tests/blog/test_post_queries.py). Each is read when the template first
        uses it, and not at all when the part showing it comes from the fragment cache
        (blog_post_page.html)."""
        context = super().get_context(request, *args, **kwargs)
        authors = _once(self.localized_authors)
        context.update(
            authors=authors,
            categories=_once(lambda: localize(self.prefetched_categories(), self.locale)),
            tags=_once(lambda: list(self.tags.all())),
            related_posts=_once(self.related_posts),
            blog_index=_once(lambda: BlogIndexPage.objects.parent_of(self).first()),
            structured_data=_once(lambda: self.structured_data(request, authors())),
        )
        return context

    def prefetched_categories(self):
        """The post's categories, read once (related_posts() reads them again)."""
        if self.pk:
            prefetch_related_objects([self], "categories")
        return self.categories.all()

    def localized_authors(self):
        authors = localize(
            [link.author for link in self.post_authors.select_related("author")], self.locale
        )
        # After localizing: a translated author's photo may differ from the source's.
        prefetch_related_objects(
            authors,
            Prefetch(
                "photo",
                queryset=get_image_model().objects.prefetch_renditions(self.AUTHOR_PHOTO_FILTER),
            ),
        )
        return authors

    def serve_shared(self, request, blog, origin):
        """Render this post on a site it is shared with: that site's branding and blog links,
        "From <origin>", and the canonical address of the origin; as that site adapted it
        (blog.adaptation), the JSON-LD saying what the page shows."""
        page_cache.tag(request, page_cache.page_tag(self.pk))
        LocalAdaptation.adapt([self], blog.network_site())
        context = self.get_context(request)
        context.update(blog_index=blog, shared_from=origin, shared_on=blog)
        return TemplateResponse(request, self.get_template(request), context)

    def structured_data(self, request, authors):
        """schema.org BlogPosting, for search engines (rendered as JSON-LD in the page's head)."""
        url = self.get_full_url(request)
        data = {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": self.seo_title or self.title,
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "inLanguage": self.locale.language_code,
            "author": [{"@type": "Person", "name": author.name} for author in authors],
            "publisher": {
                "@type": "Organization",
                "name": SiteSettings.for_request(request).display_name,
            },
        }
        if self.search_description or self.intro:
            data["description"] = self.search_description or self.intro
        if self.date:
            data["datePublished"] = self.date.isoformat()
        if self.last_published_at:
            data["dateModified"] = timezone.localtime(self.last_published_at).isoformat()
        elif self.date:
            data["dateModified"] = self.date.isoformat()
        if self.hero_image:
            rendition = self.hero_image.get_rendition(self.SHARE_IMAGE_FILTER)
            data["image"] = [urljoin(url or "", rendition.url)]
        return data


class HiddenSharedPost(models.Model):
    """A target site's choice not to list a post another site shares with it."""

    post = models.ForeignKey(BlogPostPage, on_delete=models.CASCADE, related_name="hidden_on")
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "site"], name="unique_hidden_shared_post")
        ]
        verbose_name = _("hidden shared post")
        verbose_name_plural = _("hidden shared posts")

    def __str__(self):
        return f"{self.post} hidden on {self.site}"


class ShareProposal(models.Model):
    """A post offered to another site of the network (blog.syndication): shown there only once
    that site's editors, or the head office, accepted it."""

    post = models.ForeignKey(BlogPostPage, on_delete=models.CASCADE, related_name="proposals")
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
        db_index=True,
    )
    reason = models.TextField(_("reason"), blank=True, max_length=1000)
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "site"], name="unique_share_proposal")
        ]
        verbose_name = _("share proposal")
        verbose_name_plural = _("share proposals")

    def __str__(self):
        return f"{self.post} proposed to {self.site} ({self.status})"


class LocalAdaptation(models.Model):
    """A target site's local version of a post shared with it: its own title, introduction or
    image, and a note above or below the body. Nothing is copied: the rest follows the origin."""

    post = models.ForeignKey(BlogPostPage, on_delete=models.CASCADE, related_name="adaptations")
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("local title"), max_length=255, blank=True)
    intro = models.CharField(_("local introduction"), max_length=400, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("local main image"),
    )
    hero_alt = models.CharField(_("local main image: alternative text"), max_length=250, blank=True)
    note_above = RichTextField(_("local note above the body"), blank=True)
    note_below = RichTextField(_("local note below the body"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "site"], name="unique_local_adaptation")
        ]
        verbose_name = _("local adaptation")
        verbose_name_plural = _("local adaptations")

    def __str__(self):
        return f"{self.post} adapted on {self.site}"

    @classmethod
    def adapt(cls, posts, site):
        """Show posts shared with `site` (a Site or its id) as it adapted them, in memory only
        (never saved): one query for all, none without a site or posts. Each post gets
        `local_adaptation` (None if not adapted)."""
        posts = list(posts)
        ids = [post.pk for post in posts]
        site_id = getattr(site, "pk", site)
        found = {}
        if site_id is not None and ids:
            adaptations = cls.objects.filter(site_id=site_id, post_id__in=ids)
            found = {a.post_id: a for a in adaptations.select_related("hero_image")}
        for post in posts:
            adaptation = found.get(post.pk)
            post.local_adaptation = adaptation
            if adaptation is not None:
                adaptation.apply_to(post)
        return posts

    def apply_to(self, post):
        """The local title, introduction and image replace the origin's, and the origin's SEO
        title or description (written for the origin's wording) give way to them."""
        if self.title:
            post.title, post.seo_title = self.title, ""
        if self.intro:
            post.intro, post.search_description = self.intro, ""
        if self.hero_image_id:
            post.hero_image, post.hero_alt = self.hero_image, self.hero_alt
        return post


class NetworkNewsPage(RoutablePageMixin, Page):
    """The network's news, on the head site: the latest live, public posts of every site of the
    network in the page's language, each linking to its origin site, filterable by site, kind of
    site and category, with RSS and Atom feeds that keep the filters.

    A fixed number of queries whatever the number of sites and posts: the posts' sites come from
    Wagtail's cached site root paths (tests/blog/test_network_news.py counts them).
    """

    base_form_class = ChoosableReferencesPageForm

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["maillage_sites.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("network news")
        verbose_name_plural = _("network news pages")

    # --- what the page lists ---------------------------------------------------------------------

    def page_cache_tags(self, site):
        """It lists posts of every site (sites/page_cache.py)."""
        return [page_cache.NETWORK]

    def posts(self, filters=None, request=None):
        """The live, public posts of every site in this page's language, newest first, with what
        cards show prefetched; only those `filters` (network_news.NewsFilters) keep, none if
        one of them matches nothing. One query whatever the number of sites."""
        if filters is not None and not filters.valid:
            return BlogPostPage.objects.none()
        site_ids = network.public_site_ids(request)  # neither drafts nor archived sites
        if filters is not None and filters.site is not None:
            site_ids &= {filters.site.pk}
        if filters is not None and filters.kind:
            sites = self.network_sites()
            site_ids &= {s.pk for s in sites if network_news.site_kind(s) == filters.kind}
        # Posts of the chosen sites: never a page that no site serves, which would have no
        # address to link to.
        posts = BlogPostPage.objects.of_site(site_ids, request).filter(locale_id=self.locale_id)
        posts = posts.live().public()
        if filters is not None and filters.category is not None:
            with_category = BlogPostPage.categories.through.objects.filter(
                blogcategory__translation_key=filters.category.translation_key
            )
            posts = posts.filter(pk__in=with_category.values("blogpostpage_id"))
        return (
            posts.order_by("-date", "-first_published_at", "-pk")
            .select_related("hero_image")
            .prefetch_related("post_authors__author", "categories")
        )

    def prepare_cards(self, posts, renditions=None, comment_counts=True, request=None):
        """As BlogIndexPage.prepare_cards(), each post with `origin_site` (its Site, from the map
        of the network, sites.network: no query once it is built)."""
        posts = listing.prepare_cards(posts, self.locale, renditions, comment_counts)
        for post in posts:
            post.origin_site = network.site_for_page(post, request)
        return posts

    def network_sites(self):
        """Every public site of the network (sites.network.public_site_ids) with its profile
        (kind), sorted by name: one query, once."""
        if not hasattr(self, "_network_sites"):
            self._network_sites = sorted(
                Site.objects.select_related("profile").filter(pk__in=network.public_site_ids()),
                key=lambda site: _sort_key(site.site_name or site.hostname),
            )
        return self._network_sites

    def filter_categories(self):
        """(the categories the filter offers, {slug: category}): every category once, in this
        page's language when translated, else as written; and every slug a card may link to, this
        language's first. One query, once."""
        if not hasattr(self, "_filter_categories"):
            categories = list(BlogCategory.objects.order_by("pk"))
            own = {c.translation_key: c for c in categories if c.locale_id == self.locale_id}
            untranslated = [c for c in categories if c.translation_key not in own]
            offered = {}
            for category in untranslated:
                offered.setdefault(category.translation_key, category)
            by_slug = {}
            for category in untranslated:
                by_slug.setdefault(category.slug, category)
            by_slug.update((category.slug, category) for category in own.values())
            offered = sorted([*own.values(), *offered.values()], key=lambda c: _sort_key(c.name))
            self._filter_categories = (offered, by_slug)
        return self._filter_categories

    def read_filters(self, request):
        categories, by_slug = self.filter_categories()
        return network_news.read_filters(
            request.GET,
            sites=self.network_sites(),
            categories=categories,
            categories_by_slug=by_slug,
        )

    # --- routes ----------------------------------------------------------------------------------

    @path("")
    def index_route(self, request):
        filters = self.read_filters(request)
        posts_page = pagination.paginate(
            self.posts(filters, request), request.GET.get("page", 1), POSTS_PER_PAGE
        )
        posts_page.object_list = self.prepare_cards(posts_page.object_list, request=request)
        listing.declare_cards(request, posts_page.object_list)
        context = {
            "filters": filters,
            "filter_form": filters.form,
            "posts_page": posts_page,
            "rss_url": self.feed_url("rss", filters, request),
            "atom_url": self.feed_url("atom", filters, request),
        }
        return self.render(request, context_overrides=context)

    def feed_url(self, kind, filters, request=None):
        """The address of the page's "rss" or "atom" feed, with the filters."""
        url = self.get_url(request) + self.reverse_subpage(f"{kind}_feed")
        return f"{url}?{filters.query}" if filters.query else url

    @path("feed/rss/")
    def rss_feed(self, request):
        return feeds.RssNetworkNewsFeed()(request, page=self, filters=self.read_filters(request))

    @path("feed/atom/")
    def atom_feed(self, request):
        return feeds.AtomNetworkNewsFeed()(request, page=self, filters=self.read_filters(request))
