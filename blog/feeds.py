"""RSS 2.0 and Atom feeds of a blog and of each of its categories, and of the network news.

Built on Django's syndication framework. The routes on BlogIndexPage make one feed object per
request (`RssBlogFeed()(request, blog=self)`), so nothing here is shared between requests. Every
address in a feed is absolute and on the site's own host, as Wagtail builds it from the Site; the
network news links each post on its origin site instead.

This module does not import blog.models: the models import it for their feed routes.
"""

import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import feedgenerator, timezone
from django.utils.functional import cached_property
from django.utils.html import escape

from wagtail.models import Site

from sites.models import SiteSettings

FEED_LENGTH = 20
# The hero image as an enclosure: the size social networks and feed readers expect.
ENCLOSURE_FILTER = "fill-1200x630"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
# What XML 1.0 cannot carry: the control characters but tab, line feed and carriage return.
# Django's generator refuses them with a server error; editors paste them (Word's line break in
# a title is "\x0b").
XML_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(value):
    """`value` with the characters XML 1.0 cannot carry replaced by spaces, in a string or a
    list of strings (categories, authors); any other value as it is."""
    if isinstance(value, str):
        return XML_CONTROLS.sub(" ", value)
    if isinstance(value, (list, tuple)):
        return [xml_text(item) for item in value]
    return value


class XmlTextFeed:
    """A feed generator given only what XML can carry (xml_text()): one post's odd title must
    not take the whole feed down."""

    def __init__(self, *args, **kwargs):
        args = [xml_text(value) for value in args]
        super().__init__(*args, **{name: xml_text(value) for name, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        args = [xml_text(value) for value in args]
        super().add_item(*args, **{name: xml_text(value) for name, value in kwargs.items()})


class RssFeedGenerator(XmlTextFeed, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with one <dc:creator> per author: RSS's own <author> requires an e-mail address,
    which we do not publish."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("authors", ()):
            handler.addQuickElement("dc:creator", name)


class AtomFeedGenerator(XmlTextFeed, feedgenerator.Atom1Feed):
    """Atom with one <author> per author (Django's generator writes at most one)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


@dataclass
class Channel:
    """What one feed is about: a blog, or one of its categories, as seen from a request."""

    request: object
    blog: object
    category: object = None
    kind: str = "rss"

    @cached_property
    def root_url(self):
        return Site.find_for_request(self.request).root_url

    @cached_property
    def blog_url(self):
        url = self.blog.get_full_url(self.request)
        return url if url.endswith("/") else url + "/"

    def route_url(self, name, *args):
        return self.blog_url + self.blog.reverse_subpage(name, args=args)

    @property
    def listing_url(self):
        if self.category is None:
            return self.blog_url
        return self.route_url("category_route", self.category.slug)

    @property
    def feed_url(self):
        if self.category is None:
            return self.route_url(f"{self.kind}_feed")
        return self.route_url(f"category_{self.kind}_feed", self.category.slug)

    def absolute(self, url):
        """Media URLs are relative unless MEDIA_URL says otherwise."""
        return self.root_url + url if url.startswith("/") else url

    def posts(self):
        """The posts the feed lists, newest first, before prepare_cards()."""
        posts = self.blog.posts(self.request)
        if self.category is not None:
            posts = posts.filter(categories__translation_key=self.category.translation_key)
        return posts

    def post_url(self, post):
        """Where a feed reader finds the post: shared posts at their address on this blog's site,
        every other post on its own site."""
        if getattr(post, "shared_from", None):
            return self.absolute(self.blog.shared_post_url(post, self.request))
        return post.get_full_url(self.request)


@dataclass
class NetworkChannel(Channel):
    """The network news (`blog` is a NetworkNewsPage) with the reader's filters
    (blog.network_news.NewsFilters), which the feed's own addresses keep. Each post links to its
    origin site."""

    filters: object = None

    def _with_query(self, url):
        return f"{url}?{self.filters.query}" if self.filters.query else url

    @property
    def listing_url(self):
        return self._with_query(self.blog_url)

    @property
    def feed_url(self):
        return self._with_query(self.route_url(f"{self.kind}_feed"))

    def posts(self):
        return self.blog.posts(self.filters, self.request)


@dataclass
class Entry:
    """One post, as a feed shows it."""

    title: str
    link: str
    description: str
    pubdate: datetime | None
    updateddate: datetime | None
    authors: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    enclosures: list = field(default_factory=list)


def published_at(post):
    """The post's date as an aware datetime: the moment it was first published when that was on
    the same day (in the site's time zone), else the start of that day."""
    first = post.first_published_at
    if post.date is None:
        return first
    if first is not None and timezone.localdate(first) == post.date:
        return first
    return timezone.make_aware(datetime.combine(post.date, time.min))


def enclosure(image, channel):
    """The hero image's rendition as an enclosure, or None if the image file cannot be read:
    a missing file must not take the whole feed down."""
    try:
        rendition = image.get_rendition(ENCLOSURE_FILTER)
        length = rendition.file.size
    except OSError:  # includes Wagtail's SourceImageIOError
        return None
    mime_type = mimetypes.guess_type(rendition.file.name)[0] or "application/octet-stream"
    return feedgenerator.Enclosure(channel.absolute(rendition.url), str(length), mime_type)


def entries(channel):
    """The latest posts of the channel, newest first, with everything the feed shows: a fixed
    number of queries whatever the number of posts."""
    posts = channel.posts()[:FEED_LENGTH]
    posts = channel.blog.prepare_cards(
        posts, renditions=[ENCLOSURE_FILTER], comment_counts=False, request=channel.request
    )
    result = []
    for post in posts:
        pubdate = published_at(post)
        updated = post.last_published_at
        hero = enclosure(post.hero_image, channel) if post.hero_image else None
        result.append(
            Entry(
                title=post.title,
                link=channel.post_url(post),
                # Feed readers treat descriptions as HTML; the intro is plain text.
                description=escape(post.intro),
                pubdate=pubdate,
                updateddate=max(updated, pubdate) if updated and pubdate else pubdate or updated,
                authors=[author.name for author in post.localized_authors],
                categories=[category.name for category in post.localized_categories],
                enclosures=[hero] if hero else [],
            )
        )
    return result


class BlogFeed(Feed):
    """The FEED_LENGTH latest posts of a blog, or of one of its categories."""

    kind = "rss"

    def get_object(self, request, blog, category=None):
        return Channel(request=request, blog=blog, category=category, kind=self.kind)

    def title(self, channel):
        site_name = SiteSettings.for_request(channel.request).display_name
        parts = [channel.blog.title, site_name]
        if channel.category is not None:
            parts.insert(0, channel.category.name)
        return " · ".join(part for part in parts if part)

    def link(self, channel):
        return channel.listing_url

    def feed_url(self, channel):
        return channel.feed_url

    def description(self, channel):
        if channel.category is not None and channel.category.description:
            return channel.category.description
        return channel.blog.intro or self.title(channel)

    def items(self, channel):
        return entries(channel)

    def item_title(self, entry):
        return entry.title

    def item_link(self, entry):
        return entry.link

    def item_description(self, entry):
        return entry.description

    def item_pubdate(self, entry):
        return entry.pubdate

    def item_updateddate(self, entry):
        return entry.updateddate

    def item_categories(self, entry):
        return entry.categories

    def item_enclosures(self, entry):
        return entry.enclosures

    def item_extra_kwargs(self, entry):
        return {"authors": entry.authors}


class RssBlogFeed(BlogFeed):
    feed_type = RssFeedGenerator
    kind = "rss"


class AtomBlogFeed(BlogFeed):
    feed_type = AtomFeedGenerator
    kind = "atom"

    def subtitle(self, channel):
        return self.description(channel)


class NetworkNewsFeed(BlogFeed):
    """The FEED_LENGTH latest posts of the network news, with the reader's filters; each entry
    links to the post on its origin site."""

    def get_object(self, request, page, filters):
        return NetworkChannel(
            request=request, blog=page, category=filters.category, kind=self.kind, filters=filters
        )

    def title(self, channel):
        site_name = SiteSettings.for_request(channel.request).display_name
        parts = [*channel.filters.labels, channel.blog.title, site_name]
        return " · ".join(str(part) for part in parts if part)


class RssNetworkNewsFeed(NetworkNewsFeed):
    feed_type = RssFeedGenerator
    kind = "rss"


class AtomNetworkNewsFeed(NetworkNewsFeed):
    feed_type = AtomFeedGenerator
    kind = "atom"

    def subtitle(self, channel):
        return self.description(channel)
