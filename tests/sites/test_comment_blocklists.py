"""Comment blocklists in the admin: each site's in its settings, the network's for network
administrators only."""

from django.urls import reverse

from wagtail.models import Site

import pytest
from bs4 import BeautifulSoup

from sites.models import NetworkCommentSettings, SiteSettings
from tests.support.forms import settings_form
from tests.support.scoping_fixtures import *  # noqa: F403

NETWORK_SETTINGS = reverse(
    "wagtailsettings:edit", args=["maillage_sites", "networkcommentsettings"]
)
BLOCKLISTS = {
    "blocked_words": "viagra\ncasino en ligne",
    "blocked_domains": "spam.example",
    "blocked_email_domains": "jetable.example",
}


def site_settings_url(site):
    return reverse("wagtailsettings:edit", args=["maillage_sites", "sitesettings", site.pk])


def network_settings_url():
    return reverse(
        "wagtailsettings:edit",
        args=["maillage_sites", "networkcommentsettings", NetworkCommentSettings.load().pk],
    )


def test_a_site_administrator_edits_the_sites_blocklists(client, bretagne_administrator):
    bretagne = Site.objects.get(hostname="bretagne.localhost")
    client.force_login(bretagne_administrator)
    form = BeautifulSoup(client.get(site_settings_url(bretagne)).content, "html.parser")
    for name in BLOCKLISTS:
        assert form.find("textarea", attrs={"name": name})

    response = client.post(site_settings_url(bretagne), settings_form(bretagne, **BLOCKLISTS))

    assert response.status_code == 302
    saved = SiteSettings.objects.get(site=bretagne)
    assert {name: getattr(saved, name) for name in BLOCKLISTS} == BLOCKLISTS
    occitanie = SiteSettings.for_site(Site.objects.get(hostname="occitanie.localhost"))
    assert occitanie.blocked_words == ""


@pytest.mark.parametrize("user_fixture", ["bretagne_administrator", "bretagne_editor"])
def test_site_teams_cannot_open_the_network_setting(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    url = network_settings_url()

    for response in (client.get(url), client.post(url, BLOCKLISTS)):
        assert response.status_code == 302  # Wagtail's refusal: back to the dashboard
        assert response["Location"] == reverse("wagtailadmin_home")
    assert NetworkCommentSettings.load().blocked_words == ""
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url not in home and NETWORK_SETTINGS not in home  # not offered in the menu


@pytest.mark.parametrize("user_fixture", ["network_administrator", "superuser"])
def test_network_administrators_edit_the_network_setting(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(NETWORK_SETTINGS).status_code == 302  # to the one instance
    url = network_settings_url()
    assert client.get(url).status_code == 200

    response = client.post(url, BLOCKLISTS)

    assert response.status_code == 302
    saved = NetworkCommentSettings.load()
    assert {name: getattr(saved, name) for name in BLOCKLISTS} == BLOCKLISTS
    assert NetworkCommentSettings.objects.count() == 1
