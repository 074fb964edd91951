"""Test data builders. Sites themselves come from the site factory (the `network` fixture of
tests/conftest.py)."""

import factory
import wagtail_factories

from sites.models import HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Site {n}")
    slug = factory.Sequence(lambda n: f"site-{n}")
    intro = "Bienvenue"

    class Meta:
        model = HomePage
