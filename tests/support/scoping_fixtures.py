"""People in each role and objects of each kind on two sites, for the isolation tests.

Imported with `from tests.support.scoping_fixtures import *` by the test modules that use them.
"""

from django.contrib.auth import get_user_model

from wagtail.contrib.redirects.models import Redirect

import pytest
import wagtail_factories

from sites import roles
from sites.models import StandardPage
from sites.team import ROLE_GROUP_FIELDS

PASSWORD = "not-a-real-password"


def make_user(username, **extra):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, **extra
    )


def make_member(site, role, username, **extra):
    """A user in one of the site's groups, as the site factory made them."""
    user = make_user(username, **extra)
    getattr(site.profile, ROLE_GROUP_FIELDS[role]).user_set.add(user)
    return user


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def bretagne_editor(bretagne_site):
    return make_member(bretagne_site, roles.EDITOR, "bretagne-editor")


@pytest.fixture
def bretagne_moderator(bretagne_site):
    return make_member(bretagne_site, roles.MODERATOR, "bretagne-moderator")


@pytest.fixture
def bretagne_administrator(bretagne_site):
    return make_member(bretagne_site, roles.ADMINISTRATOR, "bretagne-administrator")


@pytest.fixture
def occitanie_administrator(occitanie_site):
    return make_member(occitanie_site, roles.ADMINISTRATOR, "occitanie-administrator")


@pytest.fixture
def network_administrator(network):
    user = make_user("network-administrator")
    user.groups.add(roles.ensure_network_administrators())
    return user


@pytest.fixture
def superuser(network):
    return get_user_model().objects.create_superuser(
        username="root", email="root@example.org", password=PASSWORD
    )


@pytest.fixture
def bretagne_people(bretagne_editor, bretagne_moderator, bretagne_administrator):
    return {
        roles.EDITOR: bretagne_editor,
        roles.MODERATOR: bretagne_moderator,
        roles.ADMINISTRATOR: bretagne_administrator,
    }


def _site_objects(site, name):
    home = site.root_page.specific
    page = StandardPage(title=f"Page de {name}", slug=f"page-{name.lower()}")
    home.add_child(instance=page)
    page.save_revision().publish()
    collection = site.profile.collection
    return {
        "home": home,
        "page": page,
        "image": wagtail_factories.ImageFactory(title=f"Image de {name}", collection=collection),
        "document": wagtail_factories.DocumentFactory(
            title=f"Document de {name}",
            collection=collection,
            file__filename=f"{name.lower()}.txt",
            file__data=b"Bonjour",
        ),
        "redirect": Redirect.objects.create(
            old_path=f"/ancien-{name.lower()}", site=site, redirect_link="https://example.org/"
        ),
        "settings": site,
    }


@pytest.fixture
def site_objects(network, media_root):
    """{"bretagne": {...}, "occitanie": {...}}: a page, an image, a document and a redirect on
    each site (the "settings" entry is the site itself)."""
    return {
        "bretagne": _site_objects(network["bretagne"], "Bretagne"),
        "occitanie": _site_objects(network["occitanie"], "Occitanie"),
    }


@pytest.fixture
def network_wide_redirect(network):
    """A redirect for every site (no site): only network administrators manage those."""
    return Redirect.objects.create(old_path="/partout", site=None, redirect_link="/")
