"""Test data builders. Sites are built the way the product builds them: a home page under the
tree root and a Wagtail Site pointing at it."""

from wagtail.models import Page, Site

import factory
import wagtail_factories

from sites.models import HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Site {n}")
    slug = factory.Sequence(lambda n: f"site-{n}")
    intro = "Bienvenue"

    class Meta:
        model = HomePage


def make_site(hostname, name, *, port=80, default=False, **home_fields):
    """A published home page under the root and its Site; the name shows in the header."""
    root = Page.get_first_root_node()
    home = HomePageFactory.build(title=name, slug=hostname.split(".")[0], **home_fields)
    root.add_child(instance=home)
    home.save_revision().publish()
    return Site.objects.create(
        hostname=hostname, port=port, site_name=name, root_page=home, is_default_site=default
    )
