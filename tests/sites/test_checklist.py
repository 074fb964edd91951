"""A site's launch checklist: items flip as the site gets ready; only its team and the network's
administrators see it."""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from wagtail.users.models import UserProfile

import pytest
import wagtail_factories

from blog.models import BlogIndexPage, BlogPostPage
from sites import roles
from sites.checklist import launch_checklist
from sites.models import SiteSettings


def make_user(username, *groups, **extra):
    """A user who reads the admin in English (French catalogues come later; tests read English)."""
    user = get_user_model().objects.create_user(username=username, password="x", **extra)
    user.groups.add(*groups)
    UserProfile.objects.create(user=user, preferred_language="en")
    return user


def checklist_url(site):
    return f"/admin/network/sites/{site.pk}/checklist/"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def logo(media_root):
    return wagtail_factories.ImageFactory(title="Logo")


def add_post(site, title, live=True, **extra):
    blog = BlogIndexPage.objects.descendant_of(site.root_page).get()
    post = BlogPostPage(title=title, slug=re.sub(r"\W+", "-", title.lower()), live=live, **extra)
    blog.add_child(instance=post)
    return post


def states(response):
    """{item key: "yes" | "no" | "note"} as the page shows it."""
    html = response.content.decode()
    return dict(re.findall(r'data-item="(\w+)" data-done="(\w+)"', html))


@pytest.fixture
def network_admin_client(client, network):
    client.force_login(make_user("network-admin", roles.ensure_network_administrators()))
    return client


def test_a_new_site_has_everything_left_to_do(network_admin_client, bretagne_site):
    response = network_admin_client.get(checklist_url(bretagne_site))

    assert response.status_code == 200
    assert states(response) == {
        "logo": "no",
        "contact": "no",
        "privacy": "no",
        "post": "no",
        "dns": "note",
    }
    html = response.content.decode()
    assert "0 of 4" in html
    assert "Maillage Bretagne" in html
    assert "Left to the operator" in html
    assert "bretagne.localhost" in html


def test_items_flip_as_the_site_gets_ready(network_admin_client, bretagne_site, logo):
    site_settings = SiteSettings.objects.get(site=bretagne_site)
    url = checklist_url(bretagne_site)

    site_settings.logo = logo
    site_settings.save()
    response = network_admin_client.get(url)
    assert states(response)["logo"] == "yes"
    assert "1 of 4" in response.content.decode()

    site_settings.postal_address = "1 rue de la Paix, Rennes"
    site_settings.save()
    assert states(network_admin_client.get(url))["contact"] == "yes"

    site_settings.privacy_page_reviewed = True
    site_settings.save()
    assert states(network_admin_client.get(url))["privacy"] == "yes"

    add_post(bretagne_site, "Premier article")
    response = network_admin_client.get(url)
    assert states(response) == {
        "logo": "yes",
        "contact": "yes",
        "privacy": "yes",
        "post": "yes",
        "dns": "note",
    }
    assert "4 of 4" in response.content.decode()


def test_a_contact_e_mail_is_enough(bretagne_site):
    SiteSettings.objects.filter(site=bretagne_site).update(contact_email="bzh@example.org")

    assert {item.key: item.done for item in launch_checklist(bretagne_site)}["contact"] is True


def test_an_unpublished_privacy_page_is_not_enough(network_admin_client, bretagne_site):
    site_settings = SiteSettings.objects.get(site=bretagne_site)
    site_settings.privacy_page_reviewed = True
    site_settings.save()
    site_settings.privacy_page.unpublish()

    response = network_admin_client.get(checklist_url(bretagne_site))

    assert states(response)["privacy"] == "no"
    html = response.content.decode()
    assert "The privacy policy page is not published." in html
    assert reverse("wagtailadmin_pages:edit", args=[site_settings.privacy_page_id]) in html


def test_a_reviewed_setting_without_a_privacy_page_is_not_enough(bretagne_site):
    SiteSettings.objects.filter(site=bretagne_site).update(
        privacy_page=None, privacy_page_reviewed=True
    )

    assert {item.key: item.done for item in launch_checklist(bretagne_site)}["privacy"] is False


def test_only_the_sites_own_published_posts_count(bretagne_site, occitanie_site):
    add_post(occitanie_site, "Article occitan")
    add_post(bretagne_site, "Brouillon breton", live=False)

    assert {item.key: item.done for item in launch_checklist(bretagne_site)}["post"] is False
    assert {item.key: item.done for item in launch_checklist(occitanie_site)}["post"] is True


def test_old_posts_count_too(bretagne_site):
    add_post(bretagne_site, "Ancien", first_published_at=timezone.now() - timedelta(days=400))

    assert {item.key: item.done for item in launch_checklist(bretagne_site)}["post"] is True


def test_each_item_links_to_where_it_is_fixed(bretagne_site):
    checklist = launch_checklist(bretagne_site)
    settings_url = reverse(
        "wagtailsettings:edit", args=["maillage_sites", "sitesettings", bretagne_site.pk]
    )

    links = {item.key: item.url for item in checklist}
    assert links["logo"] == links["contact"] == links["privacy"] == settings_url
    assert links["post"] == reverse("wagtailadmin_explore", args=[bretagne_site.root_page_id])
    assert links["dns"] == "http://bretagne.localhost"
    assert all(item.label for item in checklist)
    assert (checklist.done, checklist.total) == (0, 4)
    dns = checklist.items[-1]
    assert dns.done is None and dns.is_note


def test_the_checklist_page_shows_the_links(network_admin_client, bretagne_site):
    html = network_admin_client.get(checklist_url(bretagne_site)).content.decode()

    assert (
        reverse("wagtailsettings:edit", args=["maillage_sites", "sitesettings", bretagne_site.pk])
        in html
    )
    assert reverse("wagtailadmin_explore", args=[bretagne_site.root_page_id]) in html


# --- Who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("superuser", 200),
        ("network administrator", 200),
        ("Bretagne editor", 200),
        ("Bretagne administrator", 200),
        ("Bretagne moderator", 403),
        ("Occitanie editor", 403),
        ("Occitanie administrator", 403),
    ],
)
def test_who_may_see_the_bretagne_checklist(client, network, who, status):
    bretagne, occitanie = network["bretagne"].profile, network["occitanie"].profile
    groups = {
        "superuser": [],
        "network administrator": [roles.ensure_network_administrators()],
        "Bretagne editor": [bretagne.editors],
        "Bretagne administrator": [bretagne.administrators],
        "Bretagne moderator": [bretagne.moderators],
        "Occitanie editor": [occitanie.editors],
        "Occitanie administrator": [occitanie.administrators],
    }[who]
    user = make_user("someone", *groups, is_superuser=who == "superuser")
    client.force_login(user)

    response = client.get(checklist_url(network["bretagne"]))

    assert response.status_code == status
    if status == 403:
        assert "Maillage Bretagne" not in response.content.decode()


def test_the_occitanie_editor_still_sees_the_occitanie_checklist(client, occitanie_site):
    client.force_login(make_user("occ", occitanie_site.profile.editors))

    assert client.get(checklist_url(occitanie_site)).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client, bretagne_site):
    response = client.get(checklist_url(bretagne_site))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_unknown_site_is_not_found(network_admin_client, network):
    assert network_admin_client.get("/admin/network/sites/999999/checklist/").status_code == 404


def test_team_members_cannot_probe_unknown_sites(client, bretagne_site):
    client.force_login(make_user("bzh", bretagne_site.profile.editors))

    assert client.get("/admin/network/sites/999999/checklist/").status_code == 403


def test_each_step_names_the_role_that_does_it(client, bretagne_site):
    """docs/roles.md: the site's administrators set the logo, contact and privacy policy, its
    editors publish, the network's administrators look after the host name."""
    client.force_login(make_user("admin-bzh", bretagne_site.profile.administrators))
    html = client.get(checklist_url(bretagne_site)).content.decode()

    def step(key):
        match = re.search(rf'<strong id="checklist-{key}">(.*?)</strong>', html, re.S)
        return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())

    assert step("logo") == "Site administrators: A logo is set"
    assert step("contact").startswith("Site administrators: ")
    assert step("privacy").startswith("Site administrators: ")
    assert step("post") == "Editors: At least one post is published"
    assert step("dns") == "Network administrators: The host name is reachable"
