from wagtail.models import Locale, Site

import pytest

from tests.factories import make_site


@pytest.fixture
def french(db):
    return Locale.objects.get_or_create(language_code="fr")[0]


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def network(db, french):
    """Two sites at least, so that a leak from one to the other shows. Wagtail's placeholder
    site is removed so that the head site is the default."""
    Site.objects.all().delete()
    head = make_site("localhost", "Réseau Maillage", default=True)
    bretagne = make_site("bretagne.localhost", "Maillage Bretagne")
    return {"head": head, "bretagne": bretagne}


@pytest.fixture
def head_site(network):
    return network["head"]


@pytest.fixture
def bretagne_site(network):
    return network["bretagne"]
