"""Builders for blog tests: posts, authors, categories, images and translated blogs.

Shared by several test modules (and other helpers): keep these signatures stable. Everything is
created straight in the database, live, without revisions, which is what listings and feeds read;
tests of the editing workflow should go through the admin instead.
"""

import datetime
import io
import itertools

from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify

from wagtail.images.models import Image

from PIL import Image as PILImage

from blog.models import Author, BlogCategory, BlogIndexPage, BlogPostAuthor, BlogPostPage

_counter = itertools.count(1)


def blog_of(site, locale=None):
    """The site's blog index (the factory makes one at slug "blog"), in `locale` if given."""
    blog = BlogIndexPage.objects.descendant_of(site.root_page).get(slug="blog")
    if locale is not None and blog.locale_id != locale.pk:
        blog = blog.get_translation(locale)
    return blog


def make_author(name, locale=None, site=None, **fields):
    """An Author (a translatable snippet), in the default language unless `locale` is given;
    the network's (no site) unless `site` is given (a Site)."""
    if locale is not None:
        fields["locale"] = locale
    return Author.objects.create(name=name, site=site, **fields)


def make_category(name, slug=None, locale=None, description=""):
    """A BlogCategory, in the default language unless `locale` is given."""
    fields = {"name": name, "slug": slug or slugify(name), "description": description}
    if locale is not None:
        fields["locale"] = locale
    return BlogCategory.objects.create(**fields)


def translate_snippet(obj, locale, **fields):
    """A translation of an Author or BlogCategory into `locale`, with `fields` changed (e.g. the
    category's name and slug)."""
    translation = obj.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    return translation


def make_image(title="Image", size=(320, 180), colour="#0b6e4f"):
    """A small PNG image in the Wagtail image library. Point MEDIA_ROOT at a temporary folder."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return Image.objects.create(
        title=title, file=ImageFile(buffer, name=f"{slugify(title) or 'image'}.png")
    )


def make_post(
    blog,
    title,
    date=None,
    authors=(),
    categories=(),
    tags=(),
    hero=None,
    *,
    hero_alt=None,
    intro=None,
    slug=None,
    body=None,
    live=True,
):
    """A post under `blog`, live unless live=False, returned saved.

    date: a datetime.date (default: today); first_published_at is noon of that day.
    authors: Authors, in order; categories: BlogCategory objects; tags: tag names.
    hero: a Wagtail Image; hero_alt defaults to "Illustration: <title>".
    intro defaults to "About <title>."; slug to a slug of the title plus a unique number.
    """
    date = date or timezone.localdate()
    published = timezone.make_aware(datetime.datetime.combine(date, datetime.time(12)))
    post = BlogPostPage(
        title=title,
        slug=slug or f"{slugify(title)[:40]}-{next(_counter)}",
        locale_id=blog.locale_id,
        date=date,
        intro=f"About {title}." if intro is None else intro,
        hero_image=hero,
        hero_alt=(f"Illustration: {title}" if hero else "") if hero_alt is None else hero_alt,
        live=live,
        has_unpublished_changes=not live,
        first_published_at=published if live else None,
        last_published_at=published if live else None,
    )
    if body is not None:
        post.body = body
    post.post_authors = [BlogPostAuthor(author=author) for author in authors]
    post.categories = list(categories)
    if tags:
        post.tags.add(*tags)
    blog.add_child(instance=post)
    return post


def translate_blog(site, locale, home_title="Home", blog_title="Blog"):
    """The site's home page and blog translated into `locale` and published (the blog at the
    same slug, "blog"); returns the translated blog."""
    home = site.root_page.specific
    translated_home = home.get_translation_or_none(locale)
    if translated_home is None:
        translated_home = home.copy_for_translation(locale)
        translated_home.title = home_title
        translated_home.save_revision().publish()
    blog = blog_of(site)
    translated_blog = blog.copy_for_translation(locale)
    translated_blog.title = blog_title
    translated_blog.save_revision().publish()
    return BlogIndexPage.objects.get(pk=translated_blog.pk)


def share(post, *sites, scope=None, accept=True):
    """Share the live post with `sites` and the sites of `scope` (a ShareScope; default: only
    those sites), saved straight to the page as listings read it, then propose it as publishing
    does (blog.syndication.propose); unless accept=False, every target accepts at once. Tests of
    the editing workflow publish revisions instead."""
    from blog import syndication
    from blog.choices import ShareScope

    post.share_scope = scope or ShareScope.NONE
    post.shared_sites = list(sites)
    post.save()
    syndication.propose(post)
    if accept:
        accept_all(post)
    return post


def accept_all(post, user=None):
    """Every target site of the post accepts it (its proposals that are not accepted yet)."""
    from blog import syndication
    from blog.choices import ProposalStatus

    for proposal in post.proposals.exclude(status=ProposalStatus.ACCEPTED):
        syndication.accept(proposal, user)
    return post
