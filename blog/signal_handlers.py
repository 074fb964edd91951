from django.utils.translation import gettext as _
from django.utils.translation import override

from sites.signals import site_created


def create_blog_index(sender, site, home, locale, **kwargs):
    """Every new site gets its blog, inside the factory's transaction."""
    from .models import BlogIndexPage

    with override(locale.language_code):
        blog = BlogIndexPage(title=_("Blog"), slug="blog", locale=locale)
    home.add_child(instance=blog)
    blog.save_revision().publish()


def connect():
    site_created.connect(create_blog_index, dispatch_uid="blog.create_blog_index")
