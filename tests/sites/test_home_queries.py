"""Rendering a home page costs the same number of SQL queries with 3 sites or 60."""

import io

from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.images.models import Image

import pytest
from PIL import Image as PILImage

from sites import lifecycle
from sites.factory import SiteRequest, create_site
from sites.models import SiteSettings

# A fully branded home page (logo, favicon, contact, social links, policy links, menu): 12.
# 5 route the request (site, locale, page, view restrictions), 1 reads the site settings with its
# logo, favicon, Site and policy pages (SiteSettings.select_related), 2 the menu (active locale,
# children), 1 each policy link's translation in the active language, 1 the latest posts and 1
# the blog's menu link (Wagtail looks the active Locale up again each time; not cached).
HOME_PAGE_QUERY_BUDGET = 12


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_image(title):
    buffer = io.BytesIO()
    PILImage.new("RGB", (96, 96), "#0b6e4f").save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


def brand(site):
    settings = SiteSettings.for_site(site)
    settings.logo = make_image(f"logo-{site.pk}")
    settings.favicon = make_image(f"icon-{site.pk}")
    settings.tagline = "Entreprendre autrement"
    settings.contact_email = "contact@example.org"
    settings.postal_address = "1 place de la Mairie\n35000 Rennes"
    settings.mastodon_url = "https://mastodon.example.org/@maillage"
    settings.save()


def count_home_queries(client, host, assert_max_num_queries):
    client.get("/", HTTP_HOST=host)  # renditions and caches filled once, as in production
    with (
        assert_max_num_queries(HOME_PAGE_QUERY_BUDGET),
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    assert "/media/images/logo-" in response.content.decode()
    return len(queries)


def add_sites(count, start):
    for number in range(start, start + count):
        site = create_site(
            SiteRequest(
                name=f"Maillage Région {number}",
                hostname=f"region-{number}.localhost",
                kind="regional",
                region=f"Région {number}",
            )
        )
        lifecycle.launch(site)
        brand(site)


def test_home_page_queries_do_not_grow_with_the_number_of_sites(
    client, network, django_assert_max_num_queries
):
    for site in network.values():
        brand(site)
    with_3 = count_home_queries(client, "bretagne.localhost", django_assert_max_num_queries)

    add_sites(57, start=1)
    with_60 = count_home_queries(client, "bretagne.localhost", django_assert_max_num_queries)
    newest = count_home_queries(client, "region-57.localhost", django_assert_max_num_queries)

    assert with_3 == with_60 == newest, (with_3, with_60, newest)
