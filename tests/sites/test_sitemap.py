"""Search engines get one robots.txt and one sitemap per site, covering every language of it."""

import xml.etree.ElementTree as ET

from wagtail.models import PageViewRestriction

import pytest

from sites import lifecycle
from sites.factory import SiteRequest, create_site
from sites.models import SiteSettings, StandardPage

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap(client, host, **extra):
    response = client.get("/sitemap.xml", HTTP_HOST=host, **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    entries = {}
    for url in root.findall("s:url", NS):
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in url.findall("x:link[@rel='alternate']", NS)
        }
        entries[url.findtext("s:loc", namespaces=NS)] = alternates
    return entries


def translate(page, locale, title, slug):
    translation = page.specific.copy_for_translation(locale)
    translation.title, translation.slug = title, slug
    translation.save_revision().publish()
    return translation


def test_sitemap_lists_only_the_sites_own_pages(client, network):
    bretagne = sitemap(client, "bretagne.localhost")
    assert "http://bretagne.localhost/" in bretagne
    assert "http://bretagne.localhost/politique-de-confidentialite/" in bretagne
    assert "http://bretagne.localhost/mentions-legales/" in bretagne
    assert all(loc.startswith("http://bretagne.localhost/") for loc in bretagne), bretagne
    occitanie = sitemap(client, "occitanie.localhost")
    assert occitanie and all(loc.startswith("http://occitanie.localhost/") for loc in occitanie)
    assert len(occitanie) == len(bretagne)  # the same default pages, each on its own host
    head = sitemap(client, "localhost")
    assert all(loc.startswith("http://localhost/") for loc in head)


def test_sitemap_leaves_out_drafts_and_private_pages(client, network):
    home = network["bretagne"].root_page
    draft = home.add_child(instance=StandardPage(title="Brouillon", slug="brouillon", live=False))
    private = home.add_child(instance=StandardPage(title="Équipe", slug="equipe"))
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    public = home.add_child(instance=StandardPage(title="Projets", slug="projets"))
    public.save_revision().publish()
    locations = sitemap(client, "bretagne.localhost")
    assert "http://bretagne.localhost/projets/" in locations
    assert f"http://bretagne.localhost/{draft.slug}/" not in locations
    assert f"http://bretagne.localhost/{private.slug}/" not in locations


def test_sitemap_includes_translations_with_hreflang_alternates(client, network, english):
    site = network["bretagne"]
    translate(site.root_page, english, "Maillage Brittany", "maillage-brittany")
    # the privacy policy and legal notice follow the translated home (sites.factory)
    assert SiteSettings.for_site(site).privacy_page.has_translation(english)
    # Occitanie's English home must not show up on Bretagne
    translate(network["occitanie"].root_page, english, "Maillage Occitanie", "maillage-occitanie")

    entries = sitemap(client, "bretagne.localhost")
    assert all(loc.startswith("http://bretagne.localhost/") for loc in entries)
    home_versions = {
        "fr": "http://bretagne.localhost/",
        "en": "http://bretagne.localhost/en/",
        "x-default": "http://bretagne.localhost/",
    }
    assert entries["http://bretagne.localhost/"] == home_versions
    assert entries["http://bretagne.localhost/en/"] == home_versions
    privacy_versions = entries["http://bretagne.localhost/en/privacy-policy/"]
    assert privacy_versions == {
        "fr": "http://bretagne.localhost/politique-de-confidentialite/",
        "en": "http://bretagne.localhost/en/privacy-policy/",
        "x-default": "http://bretagne.localhost/politique-de-confidentialite/",
    }
    assert entries["http://bretagne.localhost/mentions-legales/"]["en"] == (
        "http://bretagne.localhost/en/legal-notice/"
    )
    # a page with no translation has no alternates
    assert entries["http://bretagne.localhost/blog/"] == {}


def test_sitemap_and_robots_are_not_language_prefixed(client, network):
    assert client.get("/en/sitemap.xml", HTTP_HOST="bretagne.localhost").status_code == 404
    assert client.get("/en/robots.txt", HTTP_HOST="bretagne.localhost").status_code == 404


@pytest.mark.parametrize("host", ["bretagne.localhost", "occitanie.localhost", "localhost"])
def test_robots_txt_points_to_the_sites_own_sitemap(client, network, host):
    response = client.get("/robots.txt", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        f"User-agent: *\nDisallow: /admin/\n\nSitemap: http://{host}/sitemap.xml\n"
    )


def test_robots_txt_names_the_sites_port(client, network):
    site = create_site(
        SiteRequest(name="Maillage Test", hostname="test.localhost", port=8000, kind="head")
    )
    lifecycle.launch(site)  # a draft's robots.txt and sitemap are its team's only
    response = client.get("/robots.txt", HTTP_HOST="test.localhost:8000", SERVER_PORT="8000")
    assert "Sitemap: http://test.localhost:8000/sitemap.xml" in response.content.decode()
    locations = sitemap(client, "test.localhost:8000", SERVER_PORT="8000")
    assert locations and all(loc.startswith("http://test.localhost:8000/") for loc in locations)


def test_robots_txt_only_answers_get(client, network):
    assert client.post("/robots.txt", HTTP_HOST="bretagne.localhost").status_code == 405
