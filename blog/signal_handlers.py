from django.utils.translation import gettext as _
from django.utils.translation import override

from wagtail.signals import page_published

from sites import roles
from sites.signals import site_created, site_opened

from . import page_cache, syndication

# The site's editors and administrators may add and correct their site's authors (the permission
# policy of blog/authors.py keeps them to those), the network administrators every author;
# categories are the network's, managed by superusers.
EDITOR_SNIPPET_PERMISSIONS = ("add_author", "change_author")


def create_blog_index(sender, site, profile, home, locale, **kwargs):
    """Every new site gets its blog, inside the factory's transaction."""
    from django.contrib.auth.models import Permission

    from .models import BlogIndexPage

    with override(locale.language_code):
        blog = BlogIndexPage(title=_("Blog"), slug="blog", locale=locale, show_in_menus=True)
    home.add_child(instance=blog)
    blog.save_revision().publish()
    permissions = Permission.objects.filter(
        content_type__app_label="blog", codename__in=EDITOR_SNIPPET_PERMISSIONS
    )
    network_administrators = roles.ensure_network_administrators()
    for group in (profile.editors, profile.administrators, network_administrators):
        if group is not None:
            group.permissions.add(*permissions)


def propose_shared_post(sender, instance, revision=None, **kwargs):
    """Sharing follows the live page: publishing a post proposes it to its new target sites."""
    syndication.propose(instance, user=getattr(revision, "user", None))


def propose_to_opened_site(sender, site, **kwargs):
    """A site that opens receives the proposals it could not while a draft or archived."""
    syndication.propose_to_site(site)


def connect():
    from .models import BlogPostPage

    site_created.connect(create_blog_index, dispatch_uid="blog.create_blog_index")
    page_published.connect(
        propose_shared_post, sender=BlogPostPage, dispatch_uid="blog.propose_shared_post"
    )
    site_opened.connect(propose_to_opened_site, dispatch_uid="blog.propose_to_opened_site")
    page_cache.connect()
